"""`kith triage`, driven through a real pseudo-terminal (pexpect), and its
non-interactive `--plan`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
import pytest

from kith.load import load_network

KITH = str(Path(sys.executable).parent / "kith")
TIMEOUT = 60  # a slow, shared machine: generous, never a measure of speed


def spawn(root: Path, *args: str, env: dict | None = None) -> pexpect.spawn:
    environment = {**os.environ, "KITH_TODAY": "2026-12-03", "TERM": "dumb", **(env or {})}
    return pexpect.spawn(
        KITH, ["--root", str(root), "triage", *args], env=environment, encoding="utf-8", timeout=TIMEOUT,
        dimensions=(40, 200),
    )


def finish(child: pexpect.spawn) -> str:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    return child.before


@pytest.fixture
def imported(repo):
    """Three people as an import leaves them (no circle, no cadence), one done."""
    repo.person("newest", "name: Nia Newest\ncompany: Acme\nmet: {date: 2026-11-20}")
    repo.person(
        "middle", "name: Mo Middle\nmet: {date: 2026-06-01}\ntags: [pycon]",
        "## Log\n\n" + "".join(f"- 2026-{m:02d}-01 call: catch-up\n" for m in range(1, 13)),
    )
    repo.person("oldest", "name: Olu Oldest\nmet: {date: 2020-01-01}\ntags: [pycon]")
    repo.person("settled", "name: Sam Settled\ncircle: close\ncadence: 1m")
    return repo


def test_triage_assigns_circles_and_cadences_one_key_each(imported) -> None:
    child = spawn(imported.root)
    child.expect_exact("[1/3] Nia Newest · Acme")
    child.expect_exact("circle? i inner  c close  f friend  a acquaintance  Enter acquaintance")
    child.send("f")
    child.expect_exact("circle: friend")
    child.expect_exact("cadence? 1 2w  2 1m  3 3m  4 6m  5 1y  0 none  Enter 3m")
    child.send("4")
    child.expect_exact("cadence: 6m")
    child.expect_exact("[2/3] Mo Middle")
    child.expect_exact("12 entries, last 2026-12-01")
    child.expect_exact("Enter close")  # twelve calls in a year
    child.send("\r")
    child.expect_exact("circle: close")
    child.expect_exact("Enter 1m")
    child.send("\r")
    child.expect_exact("cadence: 1m")
    child.expect_exact("[3/3] Olu Oldest")
    child.send("a")
    child.expect_exact("cadence? ")
    child.send("0")
    out = finish(child)
    assert "triage: 3 decided, 0 skipped, 0 left" in out
    people = load_network(imported.root).people
    assert (people["newest"].circle, people["newest"].cadence.text) == ("friend", "6m")
    assert (people["middle"].circle, people["middle"].cadence.text) == ("close", "1m")
    assert (people["oldest"].circle, people["oldest"].cadence) == ("acquaintance", None)
    assert imported.read("people/newest.md") == "---\nname: Nia Newest\ncompany: Acme\nmet: {date: 2026-11-20}\ncircle: friend\ncadence: 6m\n---\n\n"
    again = spawn(imported.root)
    assert "nobody to triage" in finish(again)


def test_triage_saves_as_it_goes_and_resumes(imported) -> None:
    child = spawn(imported.root)
    child.expect_exact("[1/3] Nia Newest")
    child.send("s")
    child.expect_exact("[2/3] Mo Middle")
    child.send("c")
    child.expect_exact("cadence? ")
    child.send("q")
    out = finish(child)
    assert "triage: 0 decided, 1 skipped, 2 left (run `kith triage` to go on)" in out
    assert load_network(imported.root).people["middle"].circle == "close"  # written before quitting
    assert (imported.root / ".kith-cache" / "triage.json").is_file()
    resumed = spawn(imported.root)
    resumed.expect_exact("[1/2] Mo Middle")  # Nia was skipped; Mo still lacks a cadence
    resumed.expect_exact("cadence? ")
    resumed.send("2")
    resumed.expect_exact("[2/2] Olu Oldest")
    resumed.send("q")
    finish(resumed)
    assert load_network(imported.root).people["middle"].cadence.text == "1m"
    restarted = spawn(imported.root, "--restart", "--tag", "PyCon")
    restarted.expect_exact("[1/1] Olu Oldest")
    restarted.send("q")
    finish(restarted)


def test_triage_opens_the_file_in_the_editor(imported, tmp_path) -> None:
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nsed -i "s/^name: Nia Newest$/name: Nia Newest\\ncircle: inner\\ncadence: 2w/" "$1"\n')
    editor.chmod(0o755)
    child = spawn(imported.root, env={"EDITOR": str(editor), "VISUAL": str(editor)})
    child.expect_exact("[1/3] Nia Newest")
    child.send("e")
    child.expect_exact("[2/3] Mo Middle")  # the editor gave her both
    child.send("q")
    finish(child)
    people = load_network(imported.root).people
    assert (people["newest"].circle, people["newest"].cadence.text) == ("inner", "2w")


def test_plan_prints_the_proposals_and_writes_nothing(imported, kith) -> None:
    before = {p.name: p.read_bytes() for p in (imported.root / "people").iterdir()}
    result = kith(imported, "triage", "--plan", "--today", "2026-12-03")
    assert result.exit_code == 0
    assert result.stdout == (
        "kith set circle=acquaintance newest  # Nia Newest: 0 log entries in the last year\n"
        "kith set circle=close cadence=1m middle  # Mo Middle: 12 log entries in the last year\n"
        "kith set circle=acquaintance oldest  # Olu Oldest: 0 log entries in the last year\n"
        "# 3 people to triage\n"
    )
    assert {p.name: p.read_bytes() for p in (imported.root / "people").iterdir()} == before


def test_triage_without_a_terminal_points_at_plan(imported, kith) -> None:
    result = kith(imported, "triage")
    assert result.exit_code == 2
    assert "run it in a terminal, or print the proposals with --plan" in result.stderr
