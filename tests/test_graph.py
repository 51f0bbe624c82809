"""The relationship graph, suggestions and paths, on small networks whose
answers are known."""

from __future__ import annotations

import datetime as dt

import pytest

from kith.config import Settings
from kith.graph import Backlink, Related, build, give_ask, graph_data
from kith.load import load_network
from kith.suggest import FANOUT, key_of, suggestions, suggestions_by_person


def graph_of(repo, include_private=True):
    return build(load_network(repo.root), include_private=include_private)


# relationships


def test_relationship_written_on_one_side_shows_its_inverse_on_the_other(repo):
    repo.person("ada", "name: Ada\nrelationships:\n  - {with: mary, type: mentor}")
    repo.person("mary", "name: Mary")
    g = graph_of(repo)
    assert g.relations_of("ada") == {"mentor": [Related("mary", 4)]}
    assert g.relations_of("mary") == {"mentee": [Related("ada", None)]}


def test_relationship_written_on_both_sides_is_one_relationship(repo):
    repo.person("ada", "name: Ada\nrelationships:\n  - {with: mary, type: mentor}")
    repo.person("mary", "name: Mary\nrelationships:\n  - {with: ada, type: Mentee}")
    g = graph_of(repo)
    assert g.relations_of("ada") == {"mentor": [Related("mary", 4)]}
    assert g.relations_of("mary") == {"mentee": [Related("ada", 4)]}
    assert g.nx.number_of_edges() == 1


def test_symmetric_types_and_grouping(repo):
    repo.person(
        "ada",
        """
        name: Ada
        relationships:
          - {with: bob, type: colleague}
          - {with: carol, type: colleague}
          - {with: dan, type: manager}
        """,
    )
    for slug in ("bob", "carol", "dan"):
        repo.person(slug, f"name: {slug.title()}")
    g = graph_of(repo)
    assert {t: [r.other for r in rs] for t, rs in g.relations_of("ada").items()} == {
        "manager": ["dan"],
        "colleague": ["bob", "carol"],
    }
    assert g.relations_of("bob") == {"colleague": [Related("ada", None)]}
    assert g.relations_of("dan") == {"report": [Related("ada", None)]}


def test_dangling_links_and_self_links_are_skipped(repo):
    repo.person(
        "ada",
        """
        name: Ada
        met: {via: nobody}
        relationships:
          - {with: ghost, type: friend}
          - {with: ada, type: friend}
        """,
        "Met [[ghost]] and [[ada]].\n\n## Log\n\n- 2026-01-01 intro: to [[ghost]]\n",
    )
    g = graph_of(repo)
    assert g.relations_of("ada") == {}
    assert g.mentioned_by("ghost") == []
    assert g.introductions() == []
    assert g.nx.number_of_edges() == 0


def test_met_via_is_introduced_by_seen_from_this_person_and_introduced_from_via(repo):
    repo.person("ada", "name: Ada\nmet:\n  date: 2024-03-14\n  via: charles")
    repo.person("charles", "name: Charles")
    g = graph_of(repo)
    assert g.relations_of("ada") == {"introduced-by": [Related("charles", 5)]}
    assert g.relations_of("charles") == {"introduced": [Related("ada", None)]}
    assert g.introduced_by("ada") == ["charles"]
    assert g.introduced("charles") == ["ada"]
    [intro] = g.introductions()
    assert (intro.date, intro.a, intro.b, intro.by, intro.kind) == (
        dt.date(2024, 3, 14), "ada", None, "charles", "via"
    )


def test_intro_entries_are_introductions_newest_first_and_deduplicated(repo):
    repo.person(
        "ada",
        "name: Ada",
        """
        ## Log

        - 2026-09-12 intro: introduced her to [[charles]]
        - 2026-10-01 intro: put her in touch with [[mary]] about books
        - 2026-10-02 coffee: talked about [[mary]]
        """,
    )
    repo.person("charles", "name: Charles", "## Log\n\n- 2026-09-12 intro: met [[ada]] through me\n")
    repo.person("mary", "name: Mary")
    g = graph_of(repo)
    intros = g.introductions()
    assert [(i.date.isoformat(), i.a, i.b, i.by) for i in intros] == [
        ("2026-10-01", "ada", "mary", None),
        ("2026-09-12", "ada", "charles", None),
    ]
    assert intros[0].text == "put her in touch with [[mary]] about books"
    assert intros[0].line == 8
    assert [i.b for i in g.introductions_of("mary")] == ["mary"]
    assert g.link_types("charles", "ada") == ["introduction"]


def test_mentions_are_backlinks_with_their_line(repo):
    repo.person(
        "ada",
        "name: Ada",
        """
        Thinks [[bob]] should meet [[carol]]. Ask [[bob|Bobby]] later.

        ## Log

        - 2026-01-01 coffee: with [[bob]]
        """,
    )
    repo.person("bob", "name: Bob")
    repo.person("carol", "name: Carol", "Old friend of [[bob]].\n")
    g = graph_of(repo)
    assert g.mentioned_by("bob") == [
        Backlink("ada", 5, "Thinks [[bob]] should meet [[carol]]. Ask [[bob|Bobby]] later."),
        Backlink("ada", 9, "- 2026-01-01 coffee: with [[bob]]"),
        Backlink("carol", 5, "Old friend of [[bob]]."),
    ]
    assert g.connected("bob", "ada") and g.connected("carol", "bob")
    assert g.link_types("bob", "ada") == ["mentioned"]
    assert g.relations_of("bob") == {}


# privacy


@pytest.fixture
def private_repo(repo):
    repo.person("ada", "name: Ada\nrelationships:\n  - {with: spy, type: friend}", """
        Public note on [[bob]].

        ## Log

        - 2026-02-01 intro: introduced her to [[spy]]

        ## Private

        Worried about [[carol]].

        ### Log

        - 2026-03-01 intro: quietly to [[dan]]
        """)
    repo.person("bob", "name: Bob")
    repo.person("carol", "name: Carol")
    repo.person("dan", "name: Dan")
    repo.person("spy", "name: Spy\nprivate: true\nmet: {via: bob}", "Knows [[carol]].\n")
    return repo


def test_site_graph_drops_private_people_and_every_edge_touching_them(private_repo):
    g = graph_of(private_repo, include_private=False)
    assert "spy" not in g and "spy" not in g.nx
    assert g.relations_of("ada") == {}
    assert g.relations_of("bob") == {}
    assert g.mentioned_by("carol") == []
    assert all("spy" not in (i.a, i.b, i.by) for i in g.introductions())


def test_site_graph_drops_mentions_and_log_entries_in_private_sections(private_repo):
    g = graph_of(private_repo, include_private=False)
    assert [b.source for b in g.mentioned_by("bob")] == ["ada"]
    assert not g.connected("ada", "carol")
    assert not g.connected("ada", "dan")
    assert g.introductions() == []


def test_cli_graph_keeps_everything(private_repo):
    g = graph_of(private_repo, include_private=True)
    assert g.relations_of("spy") == {"friend": [Related("ada", None)], "introduced-by": [Related("bob", 4)]}
    assert {b.source for b in g.mentioned_by("carol")} == {"ada", "spy"}
    assert [i.b for i in g.introductions() if i.by is None] == ["dan", "spy"]


def test_graph_data_has_no_private_person_or_private_mention(private_repo):
    data = graph_data(load_network(private_repo.root), Settings())
    assert [n["id"] for n in data["nodes"]] == ["ada", "bob", "carol", "dan"]
    assert data["links"] == [{"source": "ada", "target": "bob", "type": "mentioned"}]
    ada = data["nodes"][0]
    # the public intro counts as giving; the one in `## Private` does not
    assert (ada["name"], ada["degree"], ada["given"]) == ("Ada", 1, 1)
    assert "spy" not in repr(data) and "Worried" not in repr(data)


def test_graph_data_refuses_a_graph_with_private_data(private_repo):
    network = load_network(private_repo.root)
    with pytest.raises(ValueError):
        graph_data(network, Settings(), build(network, include_private=True))


# give/ask, neighbourhood


def test_give_ask_counts_log_kinds_from_settings(repo):
    repo.person("ada", "name: Ada", """
        ## Log

        - 2026-01-01 intro: to [[bob]]
        - 2026-01-02 gift: a book
        - 2026-01-03 ask: a reference
        - 2026-01-04 coffee: catch-up
        """)
    person = load_network(repo.root).people["ada"]
    assert give_ask(person, Settings()) == (2, 1)
    assert give_ask(person, Settings(giving_kinds=("coffee",), asking_kinds=("gift", "ask"))) == (1, 2)


def test_neighbourhood_depth_and_cap(repo):
    repo.person("a", "name: A\nrelationships:\n  - {with: b, type: friend}\n  - {with: c, type: friend}")
    repo.person("b", "name: B\nrelationships:\n  - {with: d, type: colleague}")
    repo.person("c", "name: C", "See [[e]].\n")
    repo.person("d", "name: D")
    repo.person("e", "name: E")
    g = graph_of(repo)
    one = g.neighbourhood("a", depth=1)
    assert one.nodes == ("a", "b", "c")
    assert {(e.source, e.target, e.type) for e in one.edges} == {("a", "b", "friend"), ("a", "c", "friend")}
    two = g.neighbourhood("a", depth=2)
    assert set(two.nodes) == {"a", "b", "c", "d", "e"}
    assert ("c", "e", "mentioned") in {(e.source, e.target, e.type) for e in two.edges}
    assert len(g.neighbourhood("a", depth=2, max_nodes=3).nodes) == 3
    assert g.neighbourhood("nobody").nodes == ()


# paths


def test_shortest_path_through_people_who_know_each_other(repo):
    repo.person("ada", "name: Ada\nrelationships:\n  - {with: charles, type: colleague}")
    repo.person("charles", "name: Charles\nrelationships:\n  - {with: mary, type: mentor}")
    repo.person("mary", "name: Mary")
    repo.person("hermit", "name: Hermit")
    g = graph_of(repo)
    assert g.shortest_path("ada", "mary") == ["ada", "charles", "mary"]
    assert g.link_types("charles", "mary") == ["mentor"]
    assert g.shortest_path("ada", "hermit") is None
    assert g.shortest_path("ada", "nobody") is None


def test_a_mention_is_a_weaker_link_than_a_relationship(repo):
    # Two hops through mentions (a-x-d) lose to three through people who
    # really know each other (a-b-c-d); a mention alone still makes a chain.
    repo.person("a", "name: A\nrelationships:\n  - {with: b, type: friend}", "Heard of [[x]].\n")
    repo.person("b", "name: B\nrelationships:\n  - {with: c, type: friend}")
    repo.person("c", "name: C\nrelationships:\n  - {with: d, type: friend}")
    repo.person("x", "name: X", "Knows [[d]].\n")
    repo.person("d", "name: D")
    repo.person("y", "name: Y", "Knows [[z]].\n")
    repo.person("z", "name: Z")
    g = graph_of(repo)
    assert g.shortest_path("a", "d") == ["a", "b", "c", "d"]
    assert g.shortest_path("x", "a") == ["x", "a"]
    assert g.shortest_path("y", "z") == ["y", "z"]


# suggestions


def test_needs_and_offers_match_on_normalised_words():
    assert key_of("A Publisher") == key_of("publishers")
    assert key_of("help with taxes") == key_of("Taxes")
    assert key_of("horse-racing") == key_of("Horse racing")
    assert key_of("illustration") != key_of("illustrator")


def test_needs_offers_match_ranks_above_shared_interests(repo):
    repo.person("ada", "name: Ada\nneeds: [an illustrator]\ninterests: [poetry]")
    repo.person("mary", "name: Mary\noffers: [illustrators]")
    repo.person("percy", "name: Percy\ninterests: [Poetry]")
    found = suggestions(graph_of(repo))
    assert [(s.a, s.b) for s in found] == [("ada", "mary"), ("ada", "percy")]
    assert found[0].score > found[1].score
    assert found[0].reasons == ("Mary offers illustrators, which Ada needs",)
    assert found[1].reasons == ("both care about poetry",)


def test_suggestions_exclude_pairs_already_connected(repo):
    repo.person("ada", "name: Ada\nneeds: [a publisher]\ninterests: [poetry]")
    repo.person("bob", "name: Bob\noffers: [publishing]\ninterests: [poetry]\nrelationships:\n  - {with: ada, type: friend}")
    repo.person("carol", "name: Carol\ninterests: [poetry]", "Carol knows [[ada]].\n")
    repo.person("dan", "name: Dan\ninterests: [poetry]")
    pairs = [(s.a, s.b) for s in suggestions(graph_of(repo))]
    assert ("ada", "bob") not in pairs and ("ada", "carol") not in pairs
    assert pairs == [("ada", "dan"), ("bob", "carol"), ("bob", "dan"), ("carol", "dan")]


def test_same_event_and_focus_and_limit(repo):
    repo.person("ada", "name: Ada\nmet: {event: PyCon US 2024}")
    repo.person("bob", "name: Bob\nmet: {event: pycon us  2024}")
    repo.person("cy", "name: Cy\nmet: {event: PyCon US 2024}\nneeds: [a job]")
    repo.person("dee", "name: Dee\noffers: [jobs]")
    g = graph_of(repo)
    every = suggestions(g)
    assert [(s.a, s.b, s.score) for s in every] == [
        ("cy", "dee", 5), ("ada", "bob", 2), ("ada", "cy", 2), ("bob", "cy", 2),
    ]
    assert every[1].reasons == ("you met both at PyCon US 2024",)
    assert [(s.a, s.b) for s in suggestions(g, "cy")] == [("cy", "dee"), ("ada", "cy"), ("bob", "cy")]
    assert [(s.a, s.b) for s in suggestions(g, "dee")] == [("cy", "dee")]
    assert len(suggestions(g, limit=2)) == 2
    by_person = suggestions_by_person(g)
    assert by_person["cy"] == suggestions(g, "cy")


def test_private_people_are_never_suggested_on_the_site(repo):
    repo.person("ada", "name: Ada\nneeds: [a lawyer]")
    repo.person("sam", "name: Sam\noffers: [lawyers]\nprivate: true")
    assert suggestions(graph_of(repo, include_private=False)) == []
    assert suggestions(load_network(repo.root)) == []
    assert [(s.a, s.b) for s in suggestions(graph_of(repo))] == [("ada", "sam")]


def test_a_very_common_interest_is_not_a_reason(repo):
    for i in range(FANOUT + 1):
        repo.person(f"p{i:02d}", f"name: P{i}\ninterests: [python]")
    repo.person("q1", "name: Q1\ninterests: [chess]")
    repo.person("q2", "name: Q2\ninterests: [chess]")
    g = graph_of(repo)
    assert [(s.a, s.b) for s in suggestions(g)] == [("q1", "q2")]
    assert suggestions(g, "p00") == []


def test_focused_and_full_suggestions_agree(repo):
    people = {
        "a": "needs: [design, funding]\ninterests: [go, chess]",
        "b": "offers: [designs]\ninterests: [chess]",
        "c": "offers: [funding]\nneeds: [design]\ninterests: [go, chess]",
        "d": "needs: [funding]\nmet: {event: X}",
        "e": "met: {event: X}\noffers: [design]",
    }
    for slug, front in people.items():
        repo.person(slug, f"name: {slug.upper()}\n{front}")
    g = graph_of(repo)
    every = suggestions(g)
    for slug in people:
        assert suggestions(g, slug) == [s for s in every if s.involves(slug)]
