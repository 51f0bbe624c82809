"""Where people sit on the network map (kith.render.layout) and what the
map's data holds: real files in a temp dir, read by the real loader, the
data made by the same code the site uses. The browser side is in
test_network_browser.py."""

from __future__ import annotations

import datetime as dt
import json
import math

from kith.config import Settings
from kith.graph import build
from kith.load import load_network
from kith.render import network
from kith.render.context import SiteContext
from kith.render.layout import SPACING, kept_layout, layout, layout_path, read_kept


def _context(root) -> SiteContext:
    return SiteContext(network=load_network(root), settings=Settings(), today=dt.date(2026, 11, 22))


def _data(root) -> dict:
    return json.loads(network._json_text(_context(root)))


def _people(repo, count: int, company: str = "Acme") -> None:
    for i in range(count):
        rel = f"relationships: [{{with: p{i - 1}, type: colleague}}]\n" if i else ""
        repo.person(f"p{i}", f"name: Person {i}\ncompany: {company}\n{rel}")


def test_partners_sit_side_by_side_even_at_different_organisations(repo):
    _people(repo, 40)
    repo.person("zoe", "name: Zoë\ncompany: Fernhill\nrelationships: [{with: p17, type: partner}]")
    repo.person("kit", "name: Kit\ncompany: Elsewhere\nrelationships: [{with: p30, type: sibling}]")
    positions = layout(build(load_network(repo.root)))
    assert math.dist(positions["zoe"], positions["p17"]) <= 1.5 * SPACING
    assert math.dist(positions["kit"], positions["p30"]) <= 2.5 * SPACING
    assert len(set(positions.values())) == len(positions)


def test_the_same_files_give_the_same_map_and_a_rebuild_moves_no_one(repo):
    _people(repo, 60)
    graph = build(load_network(repo.root))
    first = kept_layout(graph, repo.root, "people")
    assert layout(graph) == layout(graph)  # from scratch: deterministic
    again = kept_layout(build(load_network(repo.root)), repo.root, "people")
    assert all(math.dist(first[s], again[s]) < 0.01 for s in first)


def test_a_new_organisation_moves_only_that_person_and_newcomers_join_their_ties(repo):
    _people(repo, 60)
    before = kept_layout(build(load_network(repo.root)), repo.root, "people")
    repo.person("p5", "name: Person 5\ncompany: Globex\nrelationships: [{with: p4, type: colleague}]")
    repo.person("new", "name: New\nrelationships: [{with: p50, type: partner}]")
    after = kept_layout(build(load_network(repo.root)), repo.root, "people")
    moved = [s for s in before if math.dist(before[s], after[s]) > 0.01]
    assert moved == ["p5"]
    assert math.dist(after["new"], after["p50"]) <= 1.5 * SPACING


def test_a_kept_layout_not_written_by_kith_is_not_believed(repo):
    _people(repo, 10)
    kept_layout(build(load_network(repo.root)), repo.root, "people")
    path = layout_path(repo.root, "people")
    assert read_kept(path) is not None
    data = path.read_bytes()
    path.write_bytes(data.replace(b'"p1":[', b'"p1":[1e300,'))
    assert read_kept(path) is None  # the MAC no longer matches: laid out afresh
    path.write_bytes(b"not a layout at all")
    assert read_kept(path) is None
    # Laid out afresh (positions as kept: three decimals).
    fresh = {slug: (round(x, 3), round(y, 3)) for slug, (x, y) in layout(build(load_network(repo.root))).items()}
    assert kept_layout(build(load_network(repo.root)), repo.root, "people") == fresh


def test_the_map_data_holds_no_private_person_or_section(repo):
    repo.person("ada", "name: Ada Lovelace\nrelationships: [{with: sam, type: partner}]")
    repo.person("sam", "name: Secret Sam\nprivate: true\nrelationships: [{with: bob, type: friend}]")
    repo.person(
        "bob",
        "name: Bob Babbage\ntags: [engines]",
        """
        Public notes.

        ## Private

        - 2026-10-01 intro: introduced [[ada]] to the CanaryBank board
        Also [[ada]] owes money.
        """,
    )
    data = _data(repo.root)
    text = json.dumps(data, ensure_ascii=False)
    assert {n["id"] for n in data["nodes"]} == {"ada", "bob"}
    assert "sam" not in text and "Secret Sam" not in text and "CanaryBank" not in text
    assert data["links"] == []  # the only link between Ada and Bob was in a private section
    # What the map keeps between builds holds only the site's people too.
    kept = layout_path(repo.root, "people").read_bytes()
    assert b"sam" not in kept and b"Secret" not in kept


def test_each_link_carries_the_labels_kith_path_prints_both_ways(repo, kith):
    repo.person("ada", "name: Ada\nrelationships: [{with: mary, type: mentor}, {with: charles, type: colleague}]")
    repo.person("mary", "name: Mary")
    repo.person("charles", "name: Charles", "- 2026-01-02 intro: met [[mary]]\n")
    data = _data(repo.root)
    ids = [n["id"] for n in data["nodes"]]
    labels = {}
    for a, b, forward, backward in data["links"]:
        labels[(ids[a], ids[b])] = data["types"][forward]
        labels[(ids[b], ids[a])] = data["types"][backward]
    for a, b in labels:
        expected = json.loads(kith(repo, "path", a, b, "--format", "json").stdout)["path"]
        if len(expected) == 2:
            assert labels[(a, b)] == ", ".join(expected[1]["link"]), (a, b)
    assert labels[("ada", "mary")] == "mentor" and labels[("mary", "ada")] == "mentee"
    assert data["fold"]["ł"] == "l"
