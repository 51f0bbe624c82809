"""What the search index holds: names, organisations, tags and notes, not the
sections that only repeat other people's names (which still show on the page)."""

from __future__ import annotations

import json

import pytest

from sitebuild import build_site


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from conftest import Repo

    repo = Repo(tmp_path_factory.mktemp("search") / "repo")
    repo.person(
        "ada",
        """
        name: Ada Lovelace
        company: Analytical Engines
        tags: [poetry]
        needs: [a publisher]
        relationships:
          - {with: mary, type: mentor}
        """,
        "Loves horse racing and the wordquokka.\n\n## Log\n\n- 2026-11-02 coffee: the wordnumbat\n"
        "- 2026-11-03 call: asked [[mary]] about the wordwombat\n- [ ] send the wordwallaby\n\n"
        "## Private\n\n- 2026-11-04 call: the wordsecret\n",
    )
    repo.person("mary", "name: Mary Somerville\noffers: [a publisher]\n", "Astronomer.\n")
    repo.person("zed", "name: Zed Stone\noffers: [publishers]\n", "")
    result, site = build_site(repo.root)
    assert result.returncode == 0, result.stderr
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return site, index["docs"]


def entry(docs, location):
    return " ".join(d["title"] + " " + d["text"] for d in docs if d["location"].startswith(location))


def test_person_entry_has_name_company_tags_notes_and_log(built):
    _, docs = built
    text = entry(docs, "people/ada/")
    for wanted in ("Ada Lovelace", "Analytical Engines", "poetry", "wordquokka", "wordnumbat"):
        assert wanted in text


def test_relationship_sections_are_on_the_page_but_not_indexed(built):
    site, docs = built
    html = (site / "people" / "ada" / "index.html").read_text(encoding="utf-8")
    assert "Could introduce to" in html and "Zed Stone" in html  # offers match her need
    assert "Relationships" in html and "Mentor" in html
    text = entry(docs, "people/ada/")
    assert "Zed Stone" not in text
    assert "Could introduce to" not in text
    assert html.count("Could introduce to") == 1  # added once, after search read the page


def test_listing_pages_are_not_indexed(built):
    _, docs = built
    locations = {d["location"].split("#")[0] for d in docs}
    assert "people/" not in locations
    assert "" not in locations  # the home page only repeats names


def test_log_and_tasks_are_indexed_with_people_named_and_private_lines_left_out(built):
    _, docs = built
    text = entry(docs, "people/ada/")
    assert "wordwombat" in text and "Mary Somerville" in text and "[[mary]]" not in text
    assert "wordwallaby" in text
    assert "wordsecret" not in text


def test_the_page_shows_the_card_and_timeline_and_no_search_stand_in(built):
    site, _ = built
    html = (site / "people" / "ada" / "index.html").read_text(encoding="utf-8")
    assert html.count('class="kith-card"') == 1 and html.count("kith-timeline") == 1
    assert "wordwombat" in html and "wordquokka" in html
    assert "kith: end of search text" not in html and "kith: unindexed" not in html
    # The card comes first, then the notes, then the timeline, then relationships.
    order = [html.index(x) for x in ('class="kith-card"', "wordquokka", "kith-timeline", "kith-relationships")]
    assert order == sorted(order)
