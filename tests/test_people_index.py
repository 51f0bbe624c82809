"""The People index: everyone on one page while they fit on one listing
page; beyond that, one page (or more) per letter, so no page grows with the
network."""

from __future__ import annotations

import datetime as dt
import re

import pytest

import kith.render.directory as directory
from kith.config import Settings
from kith.load import load_network
from kith.render.incremental import IncrementalSite

from test_incremental import Served, append_log, edit

TODAY = dt.date(2026, 11, 22)


def built(root) -> IncrementalSite:
    site = IncrementalSite()
    site.update(load_network(root), Settings(), TODAY)
    return site


def test_a_small_network_is_listed_whole_on_the_index(example_repo):
    site = built(example_repo.root)
    index = site.indexed_html("people/index.md")
    assert "Amara Diallo" in index and 'id="letter-A"' in index
    assert not [src for src in site.pages if src.startswith("people/letters/")]


def test_a_big_network_gets_pages_per_letter_each_person_on_one(example_repo, monkeypatch):
    monkeypatch.setattr(directory, "PAGE_SIZE", 3)
    site = built(example_repo.root)
    index = site.indexed_html("people/index.md")
    assert "Amara Diallo" not in index  # letters and counts only
    letter_pages = sorted(src for src in site.pages if src.startswith("people/letters/"))
    firsts = [src for src in letter_pages if src.count("/") == 2]
    for src in firsts:  # the index links each letter's first page
        assert f'href="letters/{src.split("/")[2].removesuffix(".md")}/"' in index
    assert any("/page-2.md" in src for src in letter_pages)  # a letter with more than three
    public = sorted(p.slug for p in site.ctx.public_people)
    listed = []
    for src in letter_pages:
        rows = re.findall(r'<li><a href="(?:\.\./)+([^/"]+)/"', site.indexed_html(src))
        assert 0 < len(rows) <= 3
        listed.extend(rows)
    assert sorted(listed) == public  # everyone once, no private person


def test_a_split_index_rebuilt_after_an_edit_equals_a_fresh_build(example_repo, monkeypatch):
    monkeypatch.setattr(directory, "PAGE_SIZE", 5)
    served = Served(example_repo.root)
    edit(example_repo.root / "people/amara-diallo.md", append_log("- 2026-11-21 call: the letter pages"))
    update, rebuilt = served.rebuild()
    assert not update.full
    assert rebuilt == served.fresh()
