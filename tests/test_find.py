"""`kith find`, `kith show` and slug completion: the ranking on small
networks whose answer is known, and what the user sees."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kith.cli import main as kith_main
from kith.find import fold, search
from kith.load import load_network


def people(repo):
    return load_network(repo.root).sorted_people()


def slugs(found):
    return [m.person.slug for m in found]


# -- folding and ranking (the core) -------------------------------------------


def test_fold_drops_accents_and_case():
    assert fold("Zoë ÅNGSTRÖM") == "zoe angstrom"
    assert fold("Łukasz Straße") == "lukasz strasse"
    assert fold("Søren") == "soren"


def test_accents_and_case_do_not_matter_either_way(repo):
    repo.person("zoe", "name: Zoë Whitfield")
    repo.person("soren", "name: Soren Kjaer")
    assert slugs(search(people(repo), "zoe")) == ["zoe"]
    assert slugs(search(people(repo), "ZOË")) == ["zoe"]
    assert slugs(search(people(repo), "søren")) == ["soren"]


def test_ranking_follows_the_fields(repo):
    # Every person matches "ada" in exactly one kind of place.
    repo.person("a-notes", "name: Nora Notes", "Had lunch with Ada's sister.\n")
    repo.person("a-other", "name: Olga Other\ninterests: [ada programming]")
    repo.person("a-tags", "name: Tess Tags\ntags: [ada]")
    repo.person("a-aka", "name: Augusta King\naka: [Ada]")
    repo.person("a-word", "name: Ada Lovelace")
    repo.person("a-exact", "name: Ada")
    found = search(people(repo), "ada")
    assert slugs(found) == ["a-exact", "a-word", "a-aka", "a-tags", "a-other", "a-notes"]
    scores = [m.score for m in found]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == len(scores)


def test_company_ranks_with_tags_above_other_fields(repo):
    repo.person("c", "name: Carl\ncompany: Analytical Engines")
    repo.person("t", "name: Tom\ntitle: Analytical chemist")
    assert slugs(search(people(repo), "analytical")) == ["c", "t"]


def test_each_result_names_the_fields_that_matched(repo):
    repo.person(
        "freya",
        "name: Freya Lindqvist\ntitle: Design Systems Lead\ntags: [design]\nmet: {where: Malmö, event: Config 2025}",
        "Loves design tokens.\n\n## Log\n\n- 2026-11-01 call: design review\n",
    )
    (m,) = search(people(repo), "design")
    assert m.fields == ("tags", "title", "notes", "log")
    (m,) = search(people(repo), "malmo")
    assert m.fields == ("met.where",)
    assert m.snippets == {"met.where": "Malmö"}
    (m,) = search(people(repo), "config")
    assert m.fields == ("met.event",)


def test_every_word_must_match_somewhere(repo):
    repo.person("jose", "name: José Ferreira\nlocation: London\ntags: [python]")
    repo.person("hugo", "name: Hugo Martin\nlocation: Paris\ntags: [python]")
    repo.person("hannah", "name: Hannah Okoye\nlocation: London")
    assert slugs(search(people(repo), "london python")) == ["jose"]
    assert slugs(search(people(repo), "python")) == ["hugo", "jose"]
    assert search(people(repo), "london cobol") == []


def test_several_words_of_a_name_in_any_order(repo):
    repo.person("ada", "name: Ada Lovelace")
    repo.person("love", "name: Lovelace Fan\ninterests: [ada]")
    found = search(people(repo), "lovelace ada")
    assert slugs(found) == ["ada", "love"]


def test_emails_and_places_are_searched(repo):
    repo.person("ada", "name: Ada\nemails: [ada@analytical.example]\nlocation: London")
    (m,) = search(people(repo), "analytical.example")
    assert m.fields == ("emails",)
    (m,) = search(people(repo), "london")
    assert m.fields == ("location",)


def test_filters_and_limit(repo):
    repo.person("a", "name: Ann\ntags: [Design]\ncircle: close\ncompany: Fernhill Labs")
    repo.person("b", "name: Ben\ntags: [design]\ncircle: friend")
    repo.person("c", "name: Cy\ntags: [python]\ncircle: close")
    assert slugs(search(people(repo), tag="désign")) == ["a", "b"]
    assert slugs(search(people(repo), tag="design", circle="close")) == ["a"]
    assert slugs(search(people(repo), company="fernhill")) == ["a"]
    assert slugs(search(people(repo), "n", limit=1)) == ["a"]


# -- kith find ----------------------------------------------------------------


@pytest.fixture
def network(repo):
    repo.person(
        "zoe-whitfield",
        """
        name: Zoë Whitfield
        aka: [Zo]
        tags: [design]
        relationships:
          - {with: callum-reid, type: partner}
          - {with: ruth-adler, type: mentor}
        """,
        "Illustrator.\n\n## Log\n\n- 2026-11-19 dinner: read the dummy\n- [ ] 2026-11-25 pick up the frame\n- [x] 2026-11-10 order the frame\n",
    )
    repo.person("callum-reid", "name: Callum Reid\ntags: [design]", "Zoë's partner.\n")
    repo.person("ruth-adler", "name: Ruth Adler\ncadence: 1m", "## Log\n\n- 2026-09-01 coffee: catch-up\n")
    return repo


def test_find_prints_slug_name_and_what_matched(network, kith):
    result = kith(network, "find", "zoe")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("zoe-whitfield  Zoë Whitfield  (name: Zoë Whitfield")
    assert lines[1].startswith("callum-reid")
    assert "notes: Zoë's partner." in lines[1]
    assert len(lines) == 2


def test_find_json(network, kith):
    result = kith(network, "find", "design", "--format", "json")
    data = json.loads(result.output)
    assert [d["slug"] for d in data] == ["callum-reid", "zoe-whitfield"]
    assert data[0] == {
        "slug": "callum-reid",
        "name": "Callum Reid",
        "score": data[0]["score"],
        "matches": ["tags"],
        "path": "people/callum-reid.md",
    }


def test_find_words_need_no_quotes(network, kith):
    result = kith(network, "find", "illustrator", "design", "--format", "json")
    assert [d["slug"] for d in json.loads(result.output)] == ["zoe-whitfield"]


def test_find_nothing_exits_1(network, kith):
    result = kith(network, "find", "nobody-at-all")
    assert result.exit_code == 1
    assert "nobody matches `nobody-at-all`" in result.output
    result = kith(network, "find", "nobody-at-all", "--format", "json")
    assert result.exit_code == 1 and json.loads(result.output) == []


def test_find_with_only_a_filter_lists_by_name(network, kith):
    result = kith(network, "find", "--tag", "design")
    assert result.output.splitlines() == ["callum-reid    Callum Reid", "zoe-whitfield  Zoë Whitfield"]


def test_find_without_query_or_filter_is_a_usage_error(network, kith):
    result = kith(network, "find")
    assert result.exit_code == 2
    assert "give a QUERY, or a filter" in result.output


# -- kith show ----------------------------------------------------------------


def test_show_prints_the_card(network, kith):
    result = kith(network, "show", "zoe-whitfield", "--today", "2026-11-22")
    assert result.exit_code == 0
    out = result.output
    assert out.startswith("Zoë Whitfield (zoe-whitfield)\npeople/zoe-whitfield.md\n")
    assert "Also known as  Zo\n" in out
    assert "Last contact   2026-11-19 (3 days ago)" in out
    assert "Next           task 2026-11-25 (in 3 days): pick up the frame" in out
    # Closest first: a partner before a mentor.
    assert "Relationships\n  partner  Callum Reid (callum-reid)\n  mentor   Ruth Adler (ruth-adler)" in out
    assert "Open tasks\n  [ ] 2026-11-25 pick up the frame" in out
    assert "order the frame" not in out  # done


def test_show_gives_the_inverse_on_the_other_side(network, kith):
    out = kith(network, "show", "ruth-adler", "--today", "2026-11-22").output
    assert "Relationships\n  mentee  Zoë Whitfield (zoe-whitfield)" in out
    assert "Next           keep in touch 2026-10-01 (52 days overdue)" in out


def test_show_someone_never_contacted(network, kith):
    out = kith(network, "show", "callum-reid", "--today", "2026-11-22").output
    assert "Last contact  never" in out
    assert "Next" not in out


def test_show_json(network, kith):
    data = json.loads(kith(network, "show", "zoe-whitfield", "--today", "2026-11-22", "--format", "json").output)
    assert data["slug"] == "zoe-whitfield"
    assert data["relationships"] == [
        {"type": "partner", "slug": "callum-reid", "name": "Callum Reid"},
        {"type": "mentor", "slug": "ruth-adler", "name": "Ruth Adler"},
    ]
    assert data["last_contact"] == "2026-11-19"
    assert data["next"]["reason"] == "task" and data["next"]["due"] == "2026-11-25"
    assert data["open_tasks"] == [{"due": "2026-11-25", "text": "pick up the frame", "line": 15}]
    assert data["facts"]["Tags"] == "design"


def test_show_accepts_a_link_or_a_path(network, kith):
    assert kith(network, "show", "[[ruth-adler]]").output.startswith("Ruth Adler")
    assert kith(network, "show", "people/ruth-adler.md").output.startswith("Ruth Adler")


def test_show_unknown_slug_is_a_usage_error_with_a_suggestion(network, kith):
    result = kith(network, "show", "zoe-whitfeld")
    assert result.exit_code == 2
    assert "no person with slug `zoe-whitfeld` in people/; did you mean `zoe-whitfield`?" in result.output
    assert "Traceback" not in result.output
    result = kith(network, "show", "zoe")
    assert result.exit_code == 2 and "did you mean `zoe-whitfield`?" in result.output


# -- shell completion ---------------------------------------------------------


def complete(root, words: str, cword: int, shell: str = "bash", monkeypatch=None):
    """What `kith` offers for the words typed, as the shell's script asks."""
    env = {"_KITH_COMPLETE": f"{shell}_complete", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    monkeypatch.chdir(root)
    result = CliRunner().invoke(kith_main, [], env=env, prog_name="kith")
    assert result.exit_code == 0, result.output
    return result.output


def test_completion_offers_slugs_for_show(network, monkeypatch):
    out = complete(network.root, "kith show ", 2, monkeypatch=monkeypatch)
    assert out.splitlines() == ["plain,callum-reid", "plain,ruth-adler", "plain,zoe-whitfield"]
    out = complete(network.root, "kith show ru", 2, monkeypatch=monkeypatch)
    assert out.splitlines() == ["plain,ruth-adler"]


def test_completion_matches_names_too(network, monkeypatch):
    # "Zoë" starts no slug, but starts her name.
    out = complete(network.root, "kith show Zoë", 2, monkeypatch=monkeypatch)
    assert out.splitlines() == ["plain,zoe-whitfield"]


def test_completion_gives_names_as_help_in_zsh(network, monkeypatch):
    out = complete(network.root, "kith show z", 2, shell="zsh", monkeypatch=monkeypatch)
    assert out.splitlines() == ["plain", "zoe-whitfield", "Zoë Whitfield"]


def test_completion_follows_root(network, tmp_path, monkeypatch):
    out = complete(tmp_path, f"kith --root {network.root} show c", 4, monkeypatch=monkeypatch)
    assert out.splitlines() == ["plain,callum-reid"]


def test_completion_outside_a_repository_offers_nothing_and_never_fails(tmp_path, monkeypatch):
    out = complete(tmp_path, "kith show ", 2, monkeypatch=monkeypatch)
    assert out.strip() == ""


def test_completion_survives_a_broken_file(network, monkeypatch):
    network.write("people/broken.md", "---\nname: [unclosed\n---\n")
    out = complete(network.root, "kith show ru", 2, monkeypatch=monkeypatch)
    assert out.splitlines() == ["plain,ruth-adler"]


@pytest.mark.parametrize("command", [("log",), ("path",), ("path", "ruth-adler")])
def test_completion_offers_slugs_for_log_and_path(network, monkeypatch, command):
    words = "kith " + " ".join(command) + " z"
    out = complete(network.root, words, len(command) + 1, monkeypatch=monkeypatch)
    assert out.splitlines() == ["plain,zoe-whitfield"]
