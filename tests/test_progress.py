"""Progress bars: on a terminal's standard error for long work, never in
piped output, never with `kith -q`."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kith.cli import main as kith_main
from kith.cli.progress import THRESHOLD, progress

BAR_CHARS = ("[#", "\r", "\x1b[", "Rendering")


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def many_people(root: Path, count: int) -> Path:
    people = root / "people"
    people.mkdir(parents=True)
    for n in range(count):
        (people / f"person-{n:04d}.md").write_text(f"---\nname: Person {n}\n---\n", encoding="utf-8")
    return root


def run_main(monkeypatch, args: list[str], tty: bool) -> tuple[str, str, int]:
    """Run `kith ARGS` in-process with real-looking stdout and stderr."""
    out, err = io.StringIO(), (FakeTTY() if tty else io.StringIO())
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    try:
        kith_main.main(args, prog_name="kith", standalone_mode=False)
        code = 0
    except SystemExit as exc:  # pragma: no cover - usage errors
        code = int(exc.code or 0)
    return out.getvalue(), err.getvalue(), code


def test_the_bar_appears_on_a_terminal_for_many_items(monkeypatch):
    err = FakeTTY()
    monkeypatch.setattr(sys, "stderr", err)
    items = list(range(THRESHOLD + 50))
    assert list(progress(items, "Counting")) == items
    shown = err.getvalue()
    assert "Counting" in shown
    assert "[####" in shown
    assert f"{len(items)}/{len(items)}" in shown


def test_no_bar_when_stderr_is_not_a_terminal(monkeypatch):
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    items = list(range(THRESHOLD * 3))
    assert list(progress(items, "Counting")) == items
    assert err.getvalue() == ""


def test_no_bar_for_a_few_items_or_when_quiet(monkeypatch):
    err = FakeTTY()
    monkeypatch.setattr(sys, "stderr", err)
    assert list(progress(range(THRESHOLD), "Counting", total=THRESHOLD)) == list(range(THRESHOLD))
    assert list(progress(list(range(1000)), "Counting", quiet=True)) == list(range(1000))
    assert err.getvalue() == ""


def test_a_generator_needs_a_total_for_a_bar(monkeypatch):
    err = FakeTTY()
    monkeypatch.setattr(sys, "stderr", err)
    assert sum(progress((n for n in range(500)), "Summing")) == sum(range(500))
    assert err.getvalue() == ""
    assert sum(progress((n for n in range(500)), "Summing", total=500)) == sum(range(500))
    assert "Summing" in err.getvalue()


def test_render_shows_the_bar_on_a_terminal_and_q_hides_it(tmp_path, monkeypatch):
    root = many_people(tmp_path / "repo", THRESHOLD + 20)
    out, err, code = run_main(monkeypatch, ["--root", str(root), "render", "--out", str(tmp_path / "a")], tty=True)
    assert code == 0
    assert "Rendering" in err and re.search(r"(\d+)/\1", err)
    assert "Rendering" not in out and re.match(r"\d+ pages and \d+ other files in ", out)
    out, err, code = run_main(
        monkeypatch, ["-q", "--root", str(root), "render", "--out", str(tmp_path / "b")], tty=True
    )
    assert code == 0
    assert err == ""
    assert re.match(r"\d+ pages and \d+ other files in ", out)


def test_piped_render_has_no_progress_characters(tmp_path):
    root = many_people(tmp_path / "repo", THRESHOLD + 20)
    kith = Path(sys.executable).with_name("kith")
    if not kith.exists():
        pytest.skip("the kith console script is not installed next to this Python")
    result = subprocess.run(
        [str(kith), "--root", str(root), "render", "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env={**os.environ, "KITH_TODAY": "2026-11-22"},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert not any(c in result.stdout for c in BAR_CHARS)
    assert re.match(r"\d+ pages and \d+ other files in ", result.stdout)


def test_import_and_enrich_show_their_writes_on_a_terminal(monkeypatch, tmp_path):
    root = many_people(tmp_path / "repo", 1)
    csv = tmp_path / "Connections.csv"
    rows = [f"First{n},Last{n},,,Acme,Engineer,02 Oct 2023" for n in range(THRESHOLD + 20)]
    csv.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(root)
    _, err, code = run_main(monkeypatch, ["import", "linkedin", str(csv)], tty=True)
    assert code == 0
    assert "Writing" in err and f"{THRESHOLD + 20}/{THRESHOLD + 20}" in err
    quiet_root = many_people(tmp_path / "quiet", 1)
    monkeypatch.chdir(quiet_root)
    _, err, code = run_main(monkeypatch, ["-q", "import", "linkedin", str(csv)], tty=True)
    assert code == 0 and (quiet_root / "people" / "first0-last0.md").exists()
    assert "Writing" not in err


def test_the_first_command_without_an_index_shows_its_bar(tmp_path, monkeypatch):
    import kith.index.walk

    root = many_people(tmp_path / "repo", THRESHOLD + 20)
    # The files as if written long ago (just written, they would be read
    # again next time: the racy-stat rule).
    monkeypatch.setattr(kith.index.walk, "now_ns", lambda: 10**19)
    out, err, code = run_main(monkeypatch, ["--root", str(root), "find", "person"], tty=True)
    assert code == 0 and out.count("person-") == 20
    assert "Reading people" in err and "Indexing people" in err
    assert re.search(rf"{THRESHOLD + 20}/{THRESHOLD + 20}", err)
    out, err, code = run_main(monkeypatch, ["--root", str(root), "find", "person"], tty=True)
    assert code == 0 and "Indexing" not in err  # built: nothing to show
