"""Rebuilds that render only what an edit can change must give exactly the
site a fresh build gives: every page, every section, every asset, byte for
byte. Edits are made to real files of the example network and read back
through the loader's cache, as `mkdocs serve` does."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kith.config import Settings
from kith.load import FileCache, load_network
from kith.render.incremental import OWN_FIELDS, STRUCTURE_FIELDS, IncrementalSite, field_names

from conftest import EXAMPLE_PEOPLE

TODAY = dt.date(2026, 11, 22)


def test_every_person_field_is_own_data_or_structure():
    # A field in neither list would be missed by the rebuild's comparison.
    assert OWN_FIELDS.isdisjoint(STRUCTURE_FIELDS)
    assert OWN_FIELDS | STRUCTURE_FIELDS == field_names()


def render_all(site: IncrementalSite) -> dict[str, object]:
    out: dict[str, object] = {}
    for src, page in site.pages.items():
        out[src] = (
            page.title,
            page.markdown,
            page.tags,
            page.in_nav,
            page.search,
            site.indexed_html(src, "<p>BODY</p>"),
            site.unindexed_html(src),
        )
    for path in site.assets:
        out[path] = site.asset_bytes(path)
    return out


class Served:
    """A repository as `mkdocs serve` sees it: one file cache, one site, rebuilt after each edit."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cache = FileCache()
        self.site = IncrementalSite()
        self.rebuild()

    def rebuild(self):
        network = load_network(self.root, cache=self.cache)
        update = self.site.update(network, Settings(), TODAY)
        return update, render_all(self.site)

    def fresh(self) -> dict[str, object]:
        site = IncrementalSite()
        site.update(load_network(self.root), Settings(), TODAY)
        return render_all(site)


def edit(path: Path, change) -> None:
    text = path.read_text(encoding="utf-8")
    new = change(text)
    assert new != text, f"the edit did not apply to {path.name}"
    path.write_text(new, encoding="utf-8")


def append_log(line: str):
    def change(text: str) -> str:
        if "\n## Log\n" in text:
            head, _, tail = text.partition("\n## Log\n")
            return f"{head}\n## Log\n\n{line}\n{tail.lstrip(chr(10))}"
        return text.rstrip("\n") + f"\n\n## Log\n\n{line}\n"

    return change


def set_key(key: str, value: str):
    def change(text: str) -> str:
        front_end = text.index("\n---", 3)
        front = text[:front_end]
        if re.search(rf"^{key}:", front, flags=re.M):
            front = re.sub(rf"^{key}:.*$", f"{key}: {value}", front, count=1, flags=re.M)
        else:
            front += f"\n{key}: {value}"
        return front + text[front_end:]

    return change


def replace(old: str, new: str):
    return lambda text: text.replace(old, new, 1)


# (file, edit, whether only own data changes)
OWN_EDITS = {
    "log entry": ("people/amara-diallo.md", append_log("- 2026-11-21 call: pitch numbers, round two")),
    "giving entry": ("people/work/priya-natarajan.md", append_log("- 2026-11-20 shared: a hiring plan template")),
    "task": ("people/arjun-mehta.md", append_log("- [ ] 2026-11-23 send Arjun the grant list")),
    "title": ("people/work/priya-natarajan.md", set_key("title", "Director of Engineering")),
    "cadence": ("people/elena-rossi.md", set_key("cadence", "1w")),
    "birthday": ("people/hugo-martin.md", set_key("birthday", "1990-11-30")),
    "snooze": ("people/work/priya-natarajan.md", set_key("snooze", "2026-11-01")),
    "phone": ("people/kwame-asante.md", set_key("phones", '["+44 20 7946 0999"]')),
    "notes": ("people/amara-diallo.md", replace("Met her in the coffee queue", "Met her in the long coffee queue")),
    "private section": ("people/family/david-hale.md", append_log("- 2026-11-21 call: private? no, a plain call")),
    "private person": ("people/peregrine-ashdown-vale.md", set_key("title", "Archivist")),
    "other names": ("people/hugo-martin.md", set_key("aka", "[Hugh, H.]")),
}

STRUCTURE_EDITS = {
    "name": ("people/amara-diallo.md", set_key("name", "Amara N. Diallo")),
    "relationship": ("people/amara-diallo.md", set_key("relationships", "[{with: elena-rossi, type: friend}]")),
    "interests": ("people/elena-rossi.md", set_key("interests", "[kites, climate]")),
    "needs": ("people/hugo-martin.md", set_key("needs", "[a publisher]")),
    "met via": ("people/hugo-martin.md", replace("  where: Berlin", "  where: Berlin\n  via: amara-diallo")),
    "circle": ("people/elena-rossi.md", set_key("circle", "inner")),
    "intro": ("people/arjun-mehta.md", append_log("- 2026-11-21 intro: introduced him to [[elena-rossi]]")),
    "company": ("people/work/priya-natarajan.md", set_key("company", "Other Labs")),
    "tags": ("people/amara-diallo.md", set_key("tags", "[founders, climate]")),
    "mention": ("people/amara-diallo.md", append_log("- 2026-11-21 call: told her about [[elena-rossi]]")),
    "private": ("people/hugo-martin.md", set_key("private", "true")),
}


def served_copy(source: Path, tmp_path_factory) -> "Served":
    """A copy of the people of `source`, served."""
    import shutil

    root = tmp_path_factory.mktemp("served")
    shutil.copytree(source / "people", root / "people")
    return Served(root)


def play(served: "Served", steps) -> None:
    """Each (file, edit) in turn, then a rebuild that must equal a fresh build."""
    for relpath, change in steps:
        path = served.root / relpath
        before = path.read_text(encoding="utf-8")
        new = change(before)
        if new == before:
            continue
        path.write_text(new, encoding="utf-8")
        update, rebuilt = served.rebuild()
        fresh = served.fresh()
        assert rebuilt == fresh, (update, [k for k in fresh if rebuilt.get(k) != fresh[k]][:5])


def edited(root: Path, relpath: str, change):
    """(the update, the rebuilt site, a fresh build's site) after one edit."""
    served = Served(root)
    edit(root / relpath, change)
    update, rebuilt = served.rebuild()
    return update, rebuilt, served.fresh()


@pytest.mark.parametrize("name", sorted(OWN_EDITS))
def test_own_data_edit_renders_few_pages_and_equals_a_fresh_build(example_repo, name):
    update, rebuilt, fresh = edited(example_repo.root, *OWN_EDITS[name])
    assert not update.full, update.reason
    assert update.stale < update.total / 2
    assert rebuilt == fresh


@pytest.mark.parametrize("name", sorted(STRUCTURE_EDITS))
def test_structure_edit_renders_what_it_changes_and_equals_a_fresh_build(example_repo, name):
    update, rebuilt, fresh = edited(example_repo.root, *STRUCTURE_EDITS[name])
    assert not update.full and update.structural, update.reason
    # The pages that read everyone, the people the edit touches and their
    # neighbours: not every page of the site.
    assert update.stale < update.total
    assert rebuilt == fresh


def test_a_line_written_above_a_mention_is_not_a_structure_change(example_repo):
    # Lines shift, the mention's line number with them; no page shows it.
    path = example_repo.root / "people/anika-sharma.md"
    text = path.read_text(encoding="utf-8")
    assert "[[" in text.partition("## Log")[2]
    served = Served(example_repo.root)
    edit(path, append_log("- 2026-11-21 call: a new line at the top of the log"))
    update, rebuilt = served.rebuild()
    assert not update.full, update.reason
    assert rebuilt == served.fresh()


def test_adding_or_removing_a_person_renders_everything_again(example_repo):
    served = Served(example_repo.root)
    example_repo.person("new-person", "name: New Person\ncompany: Fernhill Labs")
    update, rebuilt = served.rebuild()
    assert update.full and "added or removed" in update.reason
    assert rebuilt == served.fresh()
    (example_repo.root / "people/new-person.md").unlink()
    update, rebuilt = served.rebuild()
    assert update.full
    assert rebuilt == served.fresh()


def test_nothing_changed_renders_nothing(example_repo):
    served = Served(example_repo.root)
    update, rebuilt = served.rebuild()
    assert not update.full and update.stale == 0
    assert rebuilt == served.fresh()


def test_a_new_day_renders_everything_again(example_repo):
    served = Served(example_repo.root)
    update = served.site.update(load_network(example_repo.root, cache=served.cache), Settings(), TODAY + dt.timedelta(days=1))
    assert update.full


PEOPLE = sorted(p.relative_to(EXAMPLE_PEOPLE.parent).as_posix() for p in EXAMPLE_PEOPLE.rglob("*.md"))
KINDS = ["call", "coffee", "shared", "intro", "helped", "asked", "note"]


@st.composite
def own_edits(draw):
    relpath = draw(st.sampled_from(PEOPLE))
    choice = draw(st.integers(0, 4))
    day = dt.date(2026, 1, 1) + dt.timedelta(days=draw(st.integers(0, 400)))
    if choice == 0:
        return relpath, append_log(f"- {day} {draw(st.sampled_from(KINDS))}: hypothesis {day}")
    if choice == 1:
        return relpath, append_log(f"- [{draw(st.sampled_from([' ', 'x']))}] {day} do a thing {day}")
    if choice == 2:
        return relpath, set_key("title", draw(st.sampled_from(["Engineer", "Poet", "<b>CTO</b>"])) + f" {day}")
    if choice == 3:
        return relpath, set_key("cadence", draw(st.sampled_from(["1w", "2w", "3m", "1y"])))
    return relpath, set_key("snooze", str(day))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(own_edits(), min_size=1, max_size=3))
def test_any_sequence_of_own_data_edits_equals_a_fresh_build(example_repo, tmp_path_factory, steps):
    play(served_copy(example_repo.root, tmp_path_factory), steps)


SLUGS = [Path(p).stem for p in PEOPLE]


@st.composite
def any_edits(draw):
    """Own data or structure: names, mentions (contact for the one named),
    relationships, tags, organisations, interests, needs, circles, privacy."""
    relpath = draw(st.sampled_from(PEOPLE))
    choice = draw(st.integers(0, 9))
    day = dt.date(2026, 1, 1) + dt.timedelta(days=draw(st.integers(0, 400)))
    other = draw(st.sampled_from(SLUGS))
    if choice == 0:
        return relpath, append_log(f"- {day} {draw(st.sampled_from(KINDS))}: saw [[{other}]] {day}")
    if choice == 1:
        return relpath, set_key("name", draw(st.sampled_from(["Ada Renamed", "Zoë Neu", "<i>Ann</i>"])) + f" {day.day}")
    if choice == 2:
        return relpath, set_key("relationships", f"[{{with: {other}, type: {draw(st.sampled_from(['friend', 'mentor', 'partner']))}}}]")
    if choice == 3:
        return relpath, set_key("tags", f"[{draw(st.sampled_from(['kites', 'climate', 'founders']))}]")
    if choice == 4:
        return relpath, set_key("company", draw(st.sampled_from(["Fernhill Labs", "Other Labs", "Acme Inc"])))
    if choice == 5:
        return relpath, set_key("interests", f"[{draw(st.sampled_from(['kites', 'poetry', 'climate']))}]")
    if choice == 6:
        return relpath, set_key("needs", f"[{draw(st.sampled_from(['a publisher', 'an investor']))}]")
    if choice == 7:
        return relpath, set_key("circle", draw(st.sampled_from(["inner", "close", "friend", "acquaintance"])))
    if choice == 8:
        return relpath, set_key("private", draw(st.sampled_from(["true", "false"])))
    return draw(own_edits())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(any_edits(), min_size=1, max_size=4))
def test_any_sequence_of_edits_of_structure_and_own_data_equals_a_fresh_build(example_repo, tmp_path_factory, steps):
    play(served_copy(example_repo.root, tmp_path_factory), steps)


# On a generated network of a few hundred people, where most pages are far
# from any one edit: what a change of structure keeps must still equal a
# fresh build (the example network is small enough that two links reach
# most of it).
BIG = 300


@pytest.fixture(scope="module")
def big_network(tmp_path_factory):
    from tests.bench.generate import generate

    root = tmp_path_factory.mktemp("big")
    generate(BIG, root)
    return root


@st.composite
def big_edits(draw, slugs):
    slug = draw(st.sampled_from(slugs))
    other = draw(st.sampled_from(slugs))
    choice = draw(st.integers(0, 5))
    day = dt.date(2026, 1, 1) + dt.timedelta(days=draw(st.integers(0, 300)))
    if choice == 0:
        return slug, append_log(f"- {day} call: with [[{other}]]")
    if choice == 1:
        return slug, set_key("name", f"Renamed {day.day} {other[:3]}")
    if choice == 2:
        return slug, set_key("interests", f"[{draw(st.sampled_from(['kites', 'chess', 'climate', 'poetry']))}]")
    if choice == 3:
        return slug, set_key("company", draw(st.sampled_from(["Fernhill Labs", "Other Labs"])))
    if choice == 4:
        return slug, set_key("circle", draw(st.sampled_from(["inner", "close", "friend", "acquaintance"])))
    return slug, set_key("private", draw(st.sampled_from(["true", "false"])))


@pytest.mark.slow
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_structure_edits_far_apart_on_a_bigger_network_equal_a_fresh_build(big_network, tmp_path_factory, data):
    served = served_copy(big_network, tmp_path_factory)
    files = {path.stem: path.relative_to(served.root).as_posix() for path in (served.root / "people").rglob("*.md")}
    steps = data.draw(st.lists(big_edits(sorted(files)), min_size=1, max_size=3))
    play(served, [(files[slug], change) for slug, change in steps])
