"""The journal: dated notes whose list items are log entries for everyone
they mention; `kith log` with several people; validate; privacy."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import threading

import pytest

from kith.journal import add_entry, entry_line, parse_note
from kith.load import load_network

TODAY = "2026-11-22"


@pytest.fixture
def trio(repo):
    for slug, name in (("ada", "Ada Lovelace"), ("grace", "Grace Hopper"), ("carl", "Carl Gauss")):
        repo.person(slug, f"name: {name}\ncadence: 1m", "## Log\n\n- 2026-09-01 call: x\n")
    repo.person("sec", "name: Secret Person\nprivate: true\ncadence: 1m")
    return repo


def due(kith, repo):
    result = kith(repo, "due", "--today", TODAY, "--format", "json")
    assert result.exit_code == 0, result.output
    return {d["slug"] for d in json.loads(result.stdout) if d["reason"] == "cadence"}


def test_a_dinner_with_three_people_is_contact_with_all_three(trio, kith):
    assert due(kith, trio) == {"ada", "grace", "carl", "sec"}
    trio.write("journal/2026-11-20.md", "# Friday\n\n- dinner: at Rosa's with [[ada]], [[grace]] and [[carl]]\n")
    assert due(kith, trio) == {"sec"}
    network = load_network(trio.root)
    credit = network.people["grace"].credits[0]
    assert (credit.date, credit.kind, credit.path, credit.line, credit.note) == (
        dt.date(2026, 11, 20), "dinner", "journal/2026-11-20.md", 3, "2026-11-20"
    )


def test_dates_from_the_name_the_front_matter_or_the_item(trio, kith):
    trio.write("journal/2026-11-19 Lisbon trip.md", "- lunch: [[ada]]\n")
    trio.write("journal/trip.md", "---\ndate: 2026-11-18\ntags: [travel]\n---\n- call: [[grace]]\n")
    trio.write("journal/misc.md", "- 2026-11-17 coffee: [[carl]]\n")
    network = load_network(trio.root)
    assert network.people["ada"].last_contact == dt.date(2026, 11, 19)
    assert network.people["grace"].last_contact == dt.date(2026, 11, 18)
    assert network.people["carl"].last_contact == dt.date(2026, 11, 17)
    assert [n.relpath for n in network.journal] == [
        "journal/misc.md", "journal/trip.md", "journal/2026-11-19 Lisbon trip.md"
    ]


def test_kinds_decide_as_in_people_files(trio, kith):
    trio.write("journal/2026-11-20.md", "- read: [[ada]]'s essay\n- saw [[grace]] in passing\nLunch with [[carl]]\n")
    assert due(kith, trio) == {"ada", "grace", "carl", "sec"}


def test_private_sections_and_private_notes_count_but_are_private(trio, kith):
    trio.write("journal/2026-11-20.md", "- lunch: [[ada]]\n\n## Private\n\n- drinks: [[grace]]\n")
    trio.write("journal/2026-11-21.md", "---\nprivate: true\n---\n- call: [[carl]]\n")
    network = load_network(trio.root)
    assert [(c.date.day, c.private) for c in network.people["ada"].credits] == [(20, False)]
    assert [(c.date.day, c.private) for c in network.people["grace"].credits] == [(20, True)]
    assert [(c.date.day, c.private) for c in network.people["carl"].credits] == [(21, True)]
    assert [n.public for n in network.journal] == [True, False]
    assert "drinks" not in network.journal[0].notes


def test_validate_checks_journal_files_with_the_same_codes(trio, kith):
    trio.write(
        "journal/2026-11-20.md",
        "- 2026-02-30 lunch: [[ada]]\n- dinner: [[nobody]]\n\n- item\n  ## Private\n  secret\n",
    )
    trio.write("journal/undated.md", "- coffee: [[grace]]\n")
    trio.write("journal/2026-13-01.md", "- coffee: [[grace]]\n")
    trio.write("journal/2026-11-19 broken.md", "---\ntitle: [\n---\n- coffee: [[carl]]\n")
    result = kith(trio, "validate", "--format", "json")
    found = {(f["path"], f["line"], f["code"]) for f in json.loads(result.stdout)}
    assert found == {
        ("journal/2026-11-20.md", 1, "date-invalid"),
        ("journal/2026-11-20.md", 2, "unknown-slug"),
        ("journal/2026-11-20.md", 5, "private-unplaced"),
        ("journal/undated.md", 1, "journal-undated"),
        ("journal/2026-13-01.md", 1, "date-invalid"),
        ("journal/2026-13-01.md", 1, "journal-undated"),
        ("journal/2026-11-19 broken.md", 2, "yaml-syntax"),
    }
    assert result.exit_code == 1
    text = kith(trio, "validate", "journal/undated.md")
    assert text.stdout.splitlines()[0].startswith("journal/undated.md:1: warning: this note has no date")
    assert text.stdout.splitlines()[-1] == "0 errors, 1 warning in 1 file"
    # The withheld note's entries still count, privately; the broken one fails closed.
    network = load_network(trio.root)
    assert [c.private for c in network.people["carl"].credits] == [True]


def test_no_journal_folder_means_no_journal_and_journal_dir_moves_it(trio, kith):
    trio.write("notes/2026-11-20.md", "- lunch: [[ada]]\n")
    assert "ada" in due(kith, trio)
    trio.write("mkdocs.yml", "site_name: x\nplugins:\n  - kith:\n      journal_dir: notes\n")
    assert "ada" not in due(kith, trio)
    trio.write("mkdocs.yml", "site_name: x\nplugins:\n  - kith:\n      journal_dir: ''\n")
    trio.write("journal/2026-11-20.md", "- lunch: [[ada]]\n")
    assert "ada" in due(kith, trio)


# -- kith log with several people ----------------------------------------------------


def test_log_with_several_people_writes_one_entry_into_the_days_note(trio, kith):
    result = kith(trio, "log", "ada", "grace", "dinner: at Rosa's", "--today", "2026-11-20")
    assert result.exit_code == 0, result.output
    assert result.stdout == "journal/2026-11-20.md: - dinner: at Rosa's with [[ada]] and [[grace]]\n"
    assert trio.read("journal/2026-11-20.md") == "- dinner: at Rosa's with [[ada]] and [[grace]]\n"
    again = kith(trio, "log", "carl", "grace", "lunch: with [[grace]] again", "--today", "2026-11-20")
    assert again.exit_code == 0, again.output
    assert trio.read("journal/2026-11-20.md") == (
        "- dinner: at Rosa's with [[ada]] and [[grace]]\n- lunch: with [[grace]] again with [[carl]]\n"
    )
    assert due(kith, trio) == {"sec"}
    # One slug: as before, into the person's own file.
    one = kith(trio, "log", "ada", "coffee: hi", "--today", "2026-11-21")
    assert one.stdout == "people/ada.md: - 2026-11-21 coffee: hi\n"


def test_log_keeps_every_byte_of_an_existing_note(trio, kith):
    note = "---\r\ntags: [daily]   # mine\r\n---\r\n# Friday\r\n\r\nWalked.\r\n\r\n## Log\r\n\r\n- lunch: [[ada]]\r\n  more about lunch\r\n\r\nEvening reading.\r\n"
    path = trio.write("journal/2026-11-20.md", note.encode())
    kith(trio, "log", "grace", "carl", "call: planning", "--date", "2026-11-20", "--today", TODAY)
    assert path.read_bytes() == note.replace(
        "  more about lunch\r\n", "  more about lunch\r\n- call: planning with [[grace]] and [[carl]]\r\n"
    ).encode()


def test_log_never_writes_into_a_private_end_of_a_note(trio, kith):
    for heading, added in (("## Private", "## Log"), ("# Private", "# Log")):
        note = f"- lunch: [[ada]]\n\n{heading}\n\nsecret\n"
        trio.write("journal/2026-11-20.md", note)
        result = kith(trio, "log", "grace", "carl", "call: x", "--today", "2026-11-20")
        assert result.exit_code == 0, result.output
        assert trio.read("journal/2026-11-20.md") == note + f"\n{added}\n\n- call: x with [[grace]] and [[carl]]\n"
        network = load_network(trio.root)
        assert [c.private for c in network.people["carl"].credits] == [False]


def test_log_refuses_what_it_cannot_write_safely(trio, kith):
    trio.write("journal/2026-11-20.md", "```\nno end\n")
    result = kith(trio, "log", "grace", "carl", "call: x", "--today", "2026-11-20")
    assert result.exit_code == 1
    assert "[fence-unclosed]" in result.stderr
    assert trio.read("journal/2026-11-20.md") == "```\nno end\n"
    assert kith(trio, "log", "grace", "carl", "no kind here", "--today", TODAY).exit_code == 2
    assert kith(trio, "log", "grace", "carl", "--task", "x").exit_code == 2
    missing = kith(trio, "log", "grace", "nobody", "call: x", "--today", TODAY)
    assert missing.exit_code == 1 and "no person `nobody`" in missing.stderr
    assert not (trio.root / "journal/2026-11-22.md").exists()
    warned = kith(trio, "log", "grace", "carl", "read: their paper", "--today", TODAY)
    assert warned.exit_code == 0 and "not one of the contact kinds" in warned.stderr


def test_log_dry_run_prints_the_diff_and_writes_nothing(trio, kith):
    result = kith(trio, "log", "ada", "grace", "dinner: x", "--today", TODAY, "--dry-run")
    assert result.stdout == (
        "--- /dev/null\n+++ b/journal/2026-11-22.md\n@@ -0,0 +1 @@\n+- dinner: x with [[ada]] and [[grace]]\n"
    )
    assert not (trio.root / "journal").exists()


def test_parallel_logs_into_one_note_all_land(trio, kith, tmp_path):
    import os
    import sys

    env = {**os.environ, "KITH_TODAY": TODAY}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "kith", "log", "ada", "grace", f"call: number {i}"],
            cwd=trio.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        for i in range(8)
    ]
    for proc in procs:
        assert proc.wait(60) == 0, proc.stderr.read()
    lines = trio.read("journal/2026-11-22.md").splitlines()
    assert sorted(lines) == sorted(f"- call: number {i} with [[ada]] and [[grace]]" for i in range(8))


def test_log_commits_the_note(trio, kith):
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@e"}
    import os

    subprocess.run(["git", "init", "-q"], cwd=trio.root, check=True)
    for key, value in env.items():
        os.environ.setdefault(key, value)
    result = kith(trio, "log", "ada", "grace", "dinner: x", "--today", TODAY, "--commit")
    assert result.exit_code == 0, result.output
    log = subprocess.run(["git", "log", "--format=%s", "--name-only"], cwd=trio.root, capture_output=True, text=True).stdout
    assert "log: dinner with ada, grace" in log and "journal/2026-11-22.md" in log


# -- the writer's pieces ------------------------------------------------------------


def test_entry_line_names_only_who_is_missing():
    assert entry_line("dinner: x", ["a", "b", "c"]) == "- dinner: x with [[a]], [[b]] and [[c]]"
    assert entry_line("dinner: with [[a]]", ["a", "b"]) == "- dinner: with [[a]] with [[b]]"
    assert entry_line("dinner: [[a]] and [[b]]", ["a", "b"]) == "- dinner: [[a]] and [[b]]"


def test_add_entry_reads_back_or_refuses():
    from kith.write import WriteError

    assert add_entry(None, "- call: [[a]]", "journal/x.md", "2026-01-01") == b"- call: [[a]]\n"
    with pytest.raises(WriteError):
        # A body kith cannot place for certain: the entry would be withheld.
        add_entry(b"> ## Private\n> x\n", "- call: [[a]]", "journal/x.md", "2026-01-01")


def test_a_note_is_parsed_with_the_contact_files_grammar():
    text = (
        "# Day\n\n```\n- call: [[a]] in code\n```\n\n- [ ] 2026-01-02 task with [[a]]\n"
        "- call: \\[[not]] but [[b]]\n  - coffee: [[c]]\n"
    )
    note, problems = parse_note(text.encode(), "journal/2026-01-01.md", "2026-01-01")
    assert problems == []
    assert [(e.kind, e.mentions, e.line) for e in note.entries] == [("call", ("b",), 8), ("coffee", ("c",), 9)]


def test_a_serve_rebuild_renders_everything_again_when_the_journal_changes(trio):
    """Journal entries are contact shown on people's pages: a change to a
    note is a change of structure, never a stale page."""
    from kith.config import Settings
    from kith.load import FileCache
    from kith.render.incremental import IncrementalSite

    cache = FileCache()
    site = IncrementalSite()
    today = dt.date(2026, 11, 22)
    site.update(load_network(trio.root, cache=cache), Settings(), today)
    trio.write("journal/2026-11-20.md", "- dinner: [[ada]]\n")
    update = site.update(load_network(trio.root, cache=cache), Settings(), today)
    assert update.full and update.reason == "the journal changed"
    assert "2026-11-20" in site.page_html("people/ada.md")
    trio.write("journal/2026-11-20.md", "- dinner: [[grace]]\n")
    site.update(load_network(trio.root, cache=cache), Settings(), today)
    assert "2026-11-20" not in site.page_html("people/ada.md")
    assert "2026-11-20" in site.page_html("people/grace.md")


def test_a_journal_dir_outside_the_repository_is_no_journal(trio, kith, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "2026-11-20.md").write_text("- dinner: [[ada]] SECRET\n")
    trio.write("mkdocs.yml", f"site_name: x\nplugins:\n  - kith:\n      journal_dir: {outside}\n")
    from kith.config import read_settings

    network = load_network(trio.root, settings=read_settings(trio.root))
    assert network.journal == [] and network.people["ada"].credits == ()
    trio.write("mkdocs.yml", "site_name: x\nplugins:\n  - kith:\n      journal_dir: ../elsewhere\n")
    assert load_network(trio.root, settings=read_settings(trio.root)).journal == []


def test_a_linked_note_from_outside_is_named(trio, kith, tmp_path):
    import os

    target = tmp_path / "outside.md"
    target.write_text("- dinner: [[ada]]\n")
    (trio.root / "journal").mkdir()
    os.symlink(target, trio.root / "journal" / "2026-11-20.md")
    found = json.loads(kith(trio, "validate", "--format", "json").stdout)
    assert [(f["path"], f["code"]) for f in found] == [("journal/2026-11-20.md", "symlink-outside")]
