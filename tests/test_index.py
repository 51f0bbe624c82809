"""The index (kith.index): every command that reads it answers exactly what
it answers from the files, on random networks after random edits; it is
never stale, never trusted when it is not kith's own, and two commands at
once do not break it."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kith.index as kith_index
import kith.index.query as query
import kith.index.walk as walk
from kith.cli import COMMANDS
from kith.cli import common as cli_common
from kith.cli import main as kith_main
from kith.load import contact_files

TODAY = dt.date(2026, 11, 22)
INDEX = Path(".kith-cache") / "index-people.sqlite"


# -- running both ways -----------------------------------------------------------


def invoke(root: Path, args: list[str], index: bool, monkeypatch=None):
    """(exit code, stdout, stderr) of `kith --root ROOT args`, with the index
    or without it. With it, reading the whole network is an error: the
    answer must come from the index, not from a silent fallback."""
    env = {"KITH_INDEX": "1" if index else "0", "KITH_TODAY": TODAY.isoformat()}
    runner = CliRunner()
    if index and monkeypatch is not None:
        with monkeypatch.context() as patch:
            patch.setattr(cli_common.Repo, "network", _no_network)
            result = runner.invoke(kith_main, ["--root", str(root), *args], env=env, catch_exceptions=False)
    else:
        result = runner.invoke(kith_main, ["--root", str(root), *args], env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _no_network(self):
    raise AssertionError("the command read the whole network instead of the index")


def same(root: Path, monkeypatch, *args: str):
    """Run `kith args` from the index and from the files: the same answer."""
    with_index = invoke(root, list(args), True, monkeypatch)
    from_files = invoke(root, list(args), False)
    assert with_index == from_files, args
    return with_index


def complete(root: Path, words: str, index: bool, monkeypatch) -> str:
    env = {
        "_KITH_COMPLETE": "bash_complete",
        "COMP_WORDS": f"kith --root {root} {words}",
        "COMP_CWORD": str(len(words.split(" ")) + 2),
        "KITH_INDEX": "1" if index else "0",
    }
    with monkeypatch.context() as patch:
        if index:
            patch.setattr("kith.load.load_network", _no_network)
        result = CliRunner().invoke(kith_main, [], env=env, prog_name="kith")
    assert result.exit_code == 0, result.output
    return result.output


# -- random networks ---------------------------------------------------------------

SLUGS = ["ada-lovelace", "bob", "zoe-whitfield", "soren", "lukasz", "mary", "charles-babbage", "whit"]
NAMES = ["Ada Lovelace", "Bob", "Zoë Whitfield", "Søren Kjær", "Łukasz Straße", "Mary Somerville", "Charles Babbage", "Whit Field", "ÅSA ÖBERG", "Ada"]
WORDS = ["design", "poetry", "python", "climate", "jazz", "field", "Straße", "café", "ZOË", "whit", "Lovelace", "engines"]
NEEDS = ["a publisher", "publishers", "illustration", "a mentor", "seed investors", "code review"]
EVENTS = ["PyCon US 2024", "pycon us 2024", "FOSDEM"]
CIRCLES = ["inner", "close", "friend", "acquaintance"]
KINDS = ["coffee", "intro", "call", "ask", "shared"]
REL_TYPES = ["mentor", "mentee", "colleague", "friend", "introduced-by", "sibling", "rival"]


def _day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


@st.composite
def person_file(draw, slugs: list[str]) -> str:
    pick = lambda options: draw(st.sampled_from(options))  # noqa: E731
    maybe = lambda: draw(st.booleans())  # noqa: E731
    some = lambda options, most=2: draw(st.lists(st.sampled_from(options), max_size=most, unique=True))  # noqa: E731
    front = [f"name: {json.dumps(pick(NAMES), ensure_ascii=False)}"]
    if maybe():
        front.append(f"aka: {json.dumps(some(NAMES + WORDS), ensure_ascii=False)}")
    if maybe():
        front.append(f"company: {pick(['Analytical Engines', 'Fernhill Labs', 'Café Straße'])}")
    if maybe():
        front.append(f"title: {pick(WORDS)}")
    if maybe():
        front.append(f"location: {pick(['London', 'Zürich', 'Whitby'])}")
    if maybe():
        front.append(f"emails: [{pick(['ada@example.org', 'zoe.w@example.org', 'x@field.org'])}]")
    if maybe():
        front.append(f"tags: {json.dumps(some(WORDS + ['Design', 'désign']), ensure_ascii=False)}")
    if maybe():
        front.append(f"circle: {pick(CIRCLES)}")
    if maybe():
        front.append(f"cadence: {pick(['3d', '1w', '2w', '1m', '2m', '1y'])}")
    if draw(st.integers(0, 4)) == 0:
        front.append(f"snooze: {_day(draw(st.integers(-30, 60)))}")
    if maybe():
        met = [f"date: {_day(draw(st.integers(-60, 10)))}"]
        if maybe():
            met.append(f"event: {pick(EVENTS)}")
        if maybe():
            met.append(f"where: {pick(['Pittsburgh', 'Brussels'])}")
        if maybe():
            met.append(f"via: {pick(slugs + ['nobody'])}")
        front.append("met: {" + ", ".join(met) + "}")
    if maybe():
        front.append(f"birthday: {pick(['1815-12-10', '--11-25', '--02-29', '1990-11-23', '--12-31'])}")
    for key in ("interests", "offers", "needs"):
        if maybe():
            front.append(f"{key}: {json.dumps(some(NEEDS + WORDS), ensure_ascii=False)}")
    if maybe():
        rels = [f"  - {{with: {pick(slugs + ['nobody'])}, type: {pick(REL_TYPES)}}}" for _ in range(draw(st.integers(1, 3)))]
        front.append("relationships:\n" + "\n".join(rels))
    if draw(st.integers(0, 5)) == 0:
        front.append("private: true")
    body = [" ".join(some(WORDS, 4)) + (f" with [[{pick(slugs)}]]" if maybe() else ""), ""]
    if draw(st.integers(0, 3)) == 0:
        body += ["## Private", "", f"secret {pick(WORDS)} [[{pick(slugs)}]]", f"- {_day(draw(st.integers(-40, 0)))} intro: private [[{pick(slugs)}]]", ""]
    body += ["## Log", ""]
    for _ in range(draw(st.integers(0, 4))):
        kind = pick(KINDS)
        mention = f" [[{pick(slugs)}]]" if kind == "intro" or maybe() else ""
        body.append(f"- {_day(draw(st.integers(-400, 5)))} {kind}: {pick(WORDS)}{mention}")
    for _ in range(draw(st.integers(0, 2))):
        body.append(f"- [{pick([' ', 'x'])}] {_day(draw(st.integers(-20, 30)))} {pick(WORDS)}")
    return "---\n" + "\n".join(front) + "\n---\n\n" + "\n".join(body) + "\n"


BROKEN = ["---\nname: [unclosed\n---\n", "no front matter at all\n", "---\n- a list\n---\n"]

JOURNAL_NAMES = ["journal/{day}.md", "journal/{day} trip.md", "journal/notes.md", "journal/2026/{day}.md"]


@st.composite
def journal_note(draw, slugs: list[str]) -> tuple[str, str]:
    """(relpath, text) of a journal note: dated by its name, its front
    matter, or not at all; entries with and without a day or a kind that
    counts as contact; sometimes private."""
    pick = lambda options: draw(st.sampled_from(options))  # noqa: E731
    day = _day(draw(st.integers(-120, 10)))
    name = pick(JOURNAL_NAMES).format(day=day)
    front = []
    if draw(st.integers(0, 2)) == 0:
        front.append(f"date: {_day(draw(st.integers(-120, 10)))}")
    if draw(st.integers(0, 4)) == 0:
        front.append("private: true")
    lines = ["---", *front, "---", ""] if front else []
    lines.append(f"A day with {pick(WORDS)}.")
    lines.append("")
    for _ in range(draw(st.integers(1, 4))):
        dated = f"{_day(draw(st.integers(-200, 10)))} " if draw(st.booleans()) else ""
        kind = pick(["dinner", "call", "coffee", "shared", "intro", ""])
        kinded = f"{kind}: " if kind else ""
        people = " and ".join(f"[[{pick(slugs + ['nobody'])}]]" for _ in range(draw(st.integers(1, 2))))
        lines.append(f"- {dated}{kinded}{pick(WORDS)} with {people}")
    if draw(st.integers(0, 3)) == 0:
        lines += ["", "## Private", "", f"- dinner: secret with [[{pick(slugs)}]]"]
    return name, "\n".join(lines) + "\n"


@st.composite
def networks(draw) -> dict[str, str]:
    """relpath -> text: people, sometimes a broken file, a slug twice, a skipped file."""
    slugs = draw(st.lists(st.sampled_from(SLUGS), min_size=2, max_size=6, unique=True))
    files = {f"people/{slug}.md": draw(person_file(slugs)) for slug in slugs}
    if draw(st.booleans()):
        # The same slug in a subfolder: `people/a/x.md` comes first in the loader's order.
        files[f"people/a/{draw(st.sampled_from(slugs))}.md"] = draw(person_file(slugs))
    if draw(st.booleans()):
        files[f"people/{draw(st.sampled_from(['broken', slugs[0]]))}.md"] = draw(st.sampled_from(BROKEN))
    if draw(st.booleans()):
        files["people/_template.md"] = "---\nname: Template\n---\n"
    for _ in range(draw(st.integers(0, 3))):
        name, text = draw(journal_note(slugs))
        files[name] = text
    return files


@st.composite
def edits(draw, slugs_drawn: list[str]):
    """One edit: (relpath, new text or None to delete)."""
    slugs = slugs_drawn or SLUGS[:2]
    kind = draw(st.integers(0, 5))
    target = f"people/{draw(st.sampled_from(SLUGS))}.md"
    if kind == 4:
        return draw(journal_note(slugs))  # a note written or rewritten
    if kind == 5:
        return draw(st.sampled_from(JOURNAL_NAMES)).format(day=_day(-3)), None  # a note gone
    if kind == 0:
        return target, None
    if kind == 1:
        return target, draw(st.sampled_from(BROKEN))
    folder = draw(st.sampled_from(["people", "people/a", "people/b"]))
    return f"{folder}/{draw(st.sampled_from(SLUGS))}.md", draw(person_file(slugs))


class Clock:
    """File times for a test: every write gets its own mtime, well in the
    past, so that the index trusts stat keys (no racy window) and every
    edit changes the key, as it does on a real disk."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.tick = 0

    def write(self, relpath: str, text: str | None) -> None:
        path = self.root / relpath
        if text is None:
            if path.exists():
                path.unlink()
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.tick += 1
        old = dt.datetime(2026, 1, 1).timestamp() * 1e9 + self.tick * 1_000_000
        os.utime(path, ns=(int(old), int(old)))


def _commands(data, root: Path, slugs: list[str], monkeypatch) -> None:
    """A random selection of questions, each asked both ways."""
    draw = data.draw
    for _ in range(2):
        words = draw(st.lists(st.sampled_from(WORDS + NAMES + ["a", "zo", "ss", "eld", "ß", "lov", "xyzzy", "@"]), min_size=1, max_size=2))
        args = ["find", *words, "--limit", str(draw(st.sampled_from([0, 1, 3, 20])))]
        if draw(st.integers(0, 3)) == 0:
            args += draw(st.sampled_from([["--tag", "design"], ["--circle", "close"], ["--company", "café"]]))
        if draw(st.booleans()):
            args += ["--format", "json"]
        same(root, monkeypatch, *args)
    same(root, monkeypatch, "find", "--tag", draw(st.sampled_from(WORDS)))
    for slug in draw(st.lists(st.sampled_from(slugs + ["nobdy", "[[bob]]", "people/a/bob.md", "zoe"]), min_size=1, max_size=3)):
        same(root, monkeypatch, "show", slug, "--today", _day(draw(st.integers(-100, 100))))
        same(root, monkeypatch, "show", slug, "--format", "json")
    for _ in range(2):
        args = ["due", "--today", _day(draw(st.integers(-450, 400))), "--within", str(draw(st.sampled_from([0, 7, 30, 400])))]
        if draw(st.integers(0, 3)) == 0:
            args += draw(st.sampled_from([["--tag", "Design"], ["--circle", "friend"]]))
        if draw(st.booleans()):
            args += ["--limit", str(draw(st.integers(0, 3)))]
        if draw(st.booleans()):
            args += ["--format", "json"]
        same(root, monkeypatch, *args)
    same(root, monkeypatch, "suggest", "--limit", str(draw(st.sampled_from([0, 1, 2]))))
    same(root, monkeypatch, "suggest", draw(st.sampled_from(slugs + ["nobdy"])), "--format", "json")
    prefix = draw(st.sampled_from(["", "a", "zo", "Zoë", "s", "[[b", "whit", "x"]))
    assert complete(root, f"show {prefix}", True, monkeypatch) == complete(root, f"show {prefix}", False, monkeypatch)
    same(root, monkeypatch, "log", draw(st.sampled_from(slugs + ["ad"])), "coffee: checking the index", "--dry-run")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(files=networks(), data=st.data(), old_files=st.booleans(), fts=st.sampled_from(["tokens", "some", "scan"]), two_way=st.booleans())
def test_every_command_answers_from_the_index_what_it_answers_from_the_files(tmp_path_factory, monkeypatch, files, data, old_files, fts, two_way):
    root = tmp_path_factory.mktemp("net")
    clock = Clock(root)
    # Files stated in two processes, as in a folder of 6,000 or more.
    monkeypatch.setattr(walk, "TWO_WAY_MIN", 2 if two_way else 10**9)
    if old_files:
        # Everything written long ago: the index trusts stat keys outright.
        monkeypatch.setattr(walk, "now_ns", lambda: 10**19)
    # find's candidates: from FTS5 (tokens), from FTS5 for rare words only
    # (some: a common word scans), or from a scan of everyone.
    monkeypatch.setattr(query, "BROAD", {"tokens": 10**9, "some": 2, "scan": 0}[fts])
    monkeypatch.setattr(kith_index, "HAS_FTS5", fts != "scan" and kith_index.HAS_FTS5)
    for relpath, text in files.items():
        clock.write(relpath, text)
    slugs = sorted({Path(p).stem for p in files if p.startswith("people/")})
    _commands(data, root, slugs, monkeypatch)
    for relpath, text in data.draw(st.lists(edits(slugs), max_size=3)):
        clock.write(relpath, text)
        _commands(data, root, slugs, monkeypatch)


# -- freshness ---------------------------------------------------------------------


def _coarse(stat):
    """A file system with one-second timestamps (FAT, HFS+, some network
    mounts; change times included): two writes in the same second have the
    same stat key."""
    second = stat.st_mtime_ns // 1_000_000_000 * 1_000_000_000
    return (second, stat.st_size, second, stat.st_ino)


def _same_second_edit(repo, kith_run):
    """Index Ada, then change her file in place, keeping its size, its inode
    and (on this coarse file system) its stat key."""
    path = repo.person("ada", "name: Ada Lovelace\ntitle: Poet")
    first = kith_run("find", "poet")
    assert first[0] == 0 and "ada" in first[1]
    before = path.stat()
    with open(path, "r+b") as handle:  # in place: same inode
        text = handle.read()
        handle.seek(0)
        handle.write(text.replace(b"Poet", b"Mage"))
    # Within the same second as the first write, whatever this machine's speed.
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert _coarse(path.stat()) == _coarse(before)
    return kith_run("find", "mage")


def test_an_edit_within_the_same_second_is_never_missed(repo, monkeypatch):
    monkeypatch.setattr(walk, "STAT_KEY", _coarse)
    run = lambda *args: invoke(repo.root, list(args), True, monkeypatch)  # noqa: E731
    after = _same_second_edit(repo, run)
    assert after[0] == 0 and "ada" in after[1] and "Mage" in after[1]
    assert run("find", "poet")[0] == 1  # and the old title is gone


def test_the_racy_window_is_what_keeps_that_edit(repo, monkeypatch):
    # The same edit, with the racy-stat rule switched off: the index would
    # answer from Ada's old row, so the test above does test the rule.
    monkeypatch.setattr(walk, "STAT_KEY", _coarse)
    monkeypatch.setattr(walk, "RACY_NS", -1)
    run = lambda *args: invoke(repo.root, list(args), True, monkeypatch)  # noqa: E731
    after = _same_second_edit(repo, run)
    assert after[0] == 1


def test_a_racy_file_is_read_again_until_it_is_old_enough(repo, monkeypatch):
    repo.person("ada", "name: Ada Lovelace")
    assert invoke(repo.root, ["find", "ada"], True, monkeypatch)[0] == 0
    conn = sqlite3.connect(repo.root / INDEX)
    racy = conn.execute("SELECT racy FROM manifest").fetchone()[0]
    assert racy == b"people/ada.md"  # just written: read again next time
    monkeypatch.setattr(walk, "now_ns", lambda: 10**19)  # much later
    assert invoke(repo.root, ["find", "ada"], True, monkeypatch)[0] == 0
    assert conn.execute("SELECT racy FROM manifest").fetchone()[0] == b""


def test_added_removed_and_renamed_files_are_noticed(repo, monkeypatch):
    clock = Clock(repo.root)
    monkeypatch.setattr(walk, "now_ns", lambda: 10**19)
    clock.write("people/ada.md", "---\nname: Ada Lovelace\n---\n")
    clock.write("people/bob.md", "---\nname: Bob\n---\n")
    assert same(repo.root, monkeypatch, "find", "bob")[0] == 0
    (repo.root / "people/bob.md").rename(repo.root / "people/robert.md")
    assert "robert" in same(repo.root, monkeypatch, "find", "bob")[1]
    clock.write("people/sub/bob.md", "---\nname: Bobby\n---\n")
    assert "bobby" in same(repo.root, monkeypatch, "find", "bobby")[1].lower()
    (repo.root / "people/robert.md").unlink()
    assert "robert" not in same(repo.root, monkeypatch, "find", "bob")[1]


def test_the_listing_is_the_loaders(tmp_path):
    # Hidden and underscored names skipped, symlinked folders not entered,
    # symlinked files kept, path order by parts (a/x before a-b/x).
    people = tmp_path / "people"
    for rel in ["a/x.md", "a-b/x.md", "ab.md", ".hidden/x.md", "_drafts/x.md", "a/_t.md", "a/.t.md", "z/y/w.md", "notes.txt"]:
        (people / rel).parent.mkdir(parents=True, exist_ok=True)
        (people / rel).write_text("---\nname: X\n---\n")
    (people / "linked").symlink_to(people / "a", target_is_directory=True)
    (people / "link.md").symlink_to(people / "ab.md")
    (people / "dirlink.md").symlink_to(people / "z", target_is_directory=True)
    expected = [p.relative_to(tmp_path).as_posix() for p in contact_files(people)]
    names, _, changed = walk.list_files(str(tmp_path), "people", {}, [])
    assert names == expected and changed
    folders = walk.list_files(str(tmp_path), "people", {}, [])[1]
    again, _, changed = walk.list_files(str(tmp_path), "people", folders, names)
    assert again == expected and not changed


def test_completion_ranges_reach_the_ends_of_unicode(repo, monkeypatch):
    # Completion reads "starts with" as an index range up to the next code
    # point: its edges (before the surrogates, the last code point) and
    # the ranges' three sources (slug, folded name, a word of the name).
    names = {
        "edge-a": "\ud7ff\ud7ff Edge",
        "edge-b": "\ue000 After Surrogates",
        "edge-c": "Zz\U0010ffff Last",
        "edge-d": "Zz\U0010ffff\U0010ffff Laster",
        "edge-e": "Zz Plain",
        "o-brien": "Máire O'Brien-Ní Dhúill",
    }
    for slug, name in names.items():
        repo.person(slug, f'name: "{name}"')
    prefixes = ["", "edge", "edge-", "\ud7ff", "\ud7ff\ud7ff", "\ue000", "zz", "zz\U0010ffff", "zz\U0010ffff\U0010ffff", "maire", "o'b", "brien", "dhu", "ni", "Zz", "[[edge-c"]
    for prefix in prefixes:
        with_index = complete(repo.root, f"show {prefix}", True, monkeypatch)
        assert with_index == complete(repo.root, f"show {prefix}", False, monkeypatch), prefix
    assert "o-brien" in complete(repo.root, "show dhu", True, monkeypatch)
    assert complete(repo.root, "show zz\U0010ffff", True, monkeypatch).count("edge-") == 2


def _stat_files(tmp_path: Path, count: int) -> list[str]:
    (tmp_path / "people").mkdir()
    names = []
    for i in range(count):
        name = f"people/p{i:03}.md"
        (tmp_path / name).write_text("x" * i)
        names.append(name)
    return names


@pytest.fixture
def forks(monkeypatch):
    """Every stat_keys call of two or more files forks (as at 6,000 files);
    the list counts the forks."""
    made: list[int] = []
    real_fork = os.fork

    def fork():
        made.append(1)
        return real_fork()

    monkeypatch.setattr(walk, "TWO_WAY_MIN", 2)
    monkeypatch.setattr(walk, "_can_fork", lambda: True)
    monkeypatch.setattr(os, "fork", fork)
    return made


def test_stating_in_two_processes_gives_every_key_in_order(tmp_path, forks, monkeypatch):
    names = _stat_files(tmp_path, 101)
    keys = walk.stat_keys(str(tmp_path), names)
    assert forks, "the files were not stated in two processes"
    one_by_one = [k for name in names for k in walk.stat_key(str(tmp_path), name)]
    assert list(keys) == one_by_one
    monkeypatch.chdir(tmp_path)  # from the root, the names are the paths
    assert list(walk.stat_keys(str(tmp_path), names)) == one_by_one


@pytest.mark.parametrize("gone", [3, 90], ids=["first-half", "second-half"])
def test_a_file_gone_while_stating_in_two_is_reported(tmp_path, forks, gone):
    names = _stat_files(tmp_path, 101)
    (tmp_path / names[gone]).unlink()
    assert walk.stat_keys(str(tmp_path), names) is None  # the caller then looks file by file


def test_stating_in_two_falls_back_to_one_process(tmp_path, forks, monkeypatch):
    names = _stat_files(tmp_path, 40)
    expected = [k for name in names for k in walk.stat_key(str(tmp_path), name)]
    # The system refuses a process:
    def refused():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    with monkeypatch.context() as patch:
        patch.setattr(os, "fork", refused)
        assert list(walk.stat_keys(str(tmp_path), names)) == expected
    # SIGCHLD ignored (the system reaps the child, waitpid cannot report it):
    previous = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        assert list(walk.stat_keys(str(tmp_path), names)) == expected
    finally:
        signal.signal(signal.SIGCHLD, previous)
    # The child dies before it sends its keys:
    real_all = walk._stat_all
    parent = os.getpid()

    def dying(paths):
        if os.getpid() != parent:
            os._exit(9)
        return real_all(paths)

    monkeypatch.setattr(walk, "_stat_all", dying)
    assert list(walk.stat_keys(str(tmp_path), names)) == expected


def test_an_interrupted_two_way_stat_never_hangs(tmp_path, forks, monkeypatch):
    # Ctrl-C in the parent before it reads: the child is blocked writing
    # more keys than a pipe holds (3,000 keys, 96 kB), and must not be
    # waited for forever.
    names = _stat_files(tmp_path, 1) * 6000
    real_all = walk._stat_all
    parent = os.getpid()

    def interrupted(paths):
        if os.getpid() == parent:
            raise KeyboardInterrupt
        return real_all(paths)

    def hung(signum, frame):
        raise AssertionError("stat_keys hung waiting for its child")

    monkeypatch.setattr(walk, "_stat_all", interrupted)
    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)
    try:
        with pytest.raises(KeyboardInterrupt):
            walk.stat_keys(str(tmp_path), names)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_no_fork_beside_another_thread(monkeypatch):
    import threading

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert walk._can_fork() is (threading.active_count() == 1)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert walk._can_fork() is False
    finally:
        stop.set()
        thread.join()
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert walk._can_fork() is False  # one processor: nothing to gain


# -- trust ---------------------------------------------------------------------------


@pytest.fixture
def indexed(repo, monkeypatch):
    repo.person("ada", "name: Ada Lovelace\ncadence: 1w\nrelationships: [{with: bob, type: mentor}]", "## Log\n\n- 2026-10-01 coffee: hi\n")
    repo.person("bob", "name: Bob\nneeds: [a publisher]")
    repo.person("cy", "name: Cy\noffers: [publishers]")
    for args in (["find", "ada"], ["due"], ["show", "bob"], ["suggest"]):
        assert same(repo.root, monkeypatch, *args)[0] in (0, 1)
    assert (repo.root / INDEX).is_file()
    return repo


def _answers(repo, monkeypatch):
    for args in (["find", "ada"], ["due", "--format", "json"], ["show", "bob"], ["suggest"]):
        same(repo.root, monkeypatch, *args)


def _is_index(path: Path) -> bool:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok" and conn.execute("SELECT count(*) FROM files").fetchone()[0] == 3
    finally:
        conn.close()


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b""),
        lambda p: p.write_bytes(b"not a database at all" * 100),
        lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),
        lambda p: p.write_bytes(p.read_bytes()[:4096] + os.urandom(len(p.read_bytes()) - 4096)),
    ],
    ids=["empty", "garbage", "truncated", "scrambled"],
)
def test_a_damaged_index_is_rebuilt_silently(indexed, monkeypatch, damage):
    path = indexed.root / INDEX
    damage(path)
    _answers(indexed, monkeypatch)
    assert _is_index(path)


def test_a_foreign_database_is_rebuilt(indexed, monkeypatch):
    path = indexed.root / INDEX
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE files(name TEXT)")
    conn.execute("CREATE TRIGGER t AFTER INSERT ON files BEGIN SELECT 1; END")
    conn.commit()
    conn.close()
    _answers(indexed, monkeypatch)
    assert _is_index(path)


def test_an_index_of_another_repository_is_rebuilt(indexed, monkeypatch, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(indexed.root, other)
    (other / "people" / "cy.md").unlink()
    same(other, monkeypatch, "find", "cy")  # its copy says root = the first repository: rebuilt
    assert "cy" not in invoke(other, ["find", "cy"], True, monkeypatch)[1]
    conn = sqlite3.connect(other / INDEX)
    assert conn.execute("SELECT value FROM meta WHERE key = 'root'").fetchone()[0] == str(other)


def test_values_of_the_wrong_shape_are_never_used(indexed, monkeypatch):
    conn = sqlite3.connect(indexed.root / INDEX)
    ada = conn.execute("SELECT id FROM people WHERE slug = 'ada'").fetchone()[0]
    conn.execute("UPDATE due SET plan = '[1, 2, 3]' WHERE id = ?", (ada,))
    conn.execute("UPDATE cards SET card = x'00' WHERE id = ?", (ada,))
    conn.commit()
    conn.close()
    _answers(indexed, monkeypatch)


@pytest.mark.parametrize(
    "forge",
    [
        "UPDATE files SET name = 7 WHERE slug = CAST('bob' AS BLOB)",
        "UPDATE search SET f0 = 5",
        "UPDATE links SET rels = '[1]'",
        "UPDATE vocab SET df = 'many'",
        "UPDATE manifest SET keys = x'0102'",
        "UPDATE manifest SET folders = '{\"people\": 3}'",
        "UPDATE suggestions SET reasons = '{}'",
    ],
)
def test_rows_of_the_wrong_type_are_never_used(indexed, monkeypatch, forge):
    conn = sqlite3.connect(indexed.root / INDEX)
    conn.execute(forge)
    conn.commit()
    conn.close()
    indexed.person("bob", "name: Bob\nneeds: [a publisher]\ntitle: changed")  # a file to index again
    _answers(indexed, monkeypatch)
    for args in (["find", "bob"], ["show", "ada"], ["suggest", "bob"], ["due", "--within", "400"]):
        same(indexed.root, monkeypatch, *args)


def test_a_symlinked_index_is_never_followed(indexed, monkeypatch, tmp_path):
    path = indexed.root / INDEX
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    path.unlink()
    path.symlink_to(victim)
    _answers(indexed, monkeypatch)
    assert victim.read_text() == "keep me"
    assert not path.is_symlink() and _is_index(path)


def test_a_symlinked_journal_is_never_followed(indexed, monkeypatch, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    wal = Path(f"{indexed.root / INDEX}-wal")
    wal.symlink_to(victim)
    _answers(indexed, monkeypatch)
    assert victim.read_text() == "keep me"
    assert not wal.is_symlink()


def test_a_hard_linked_index_is_replaced_not_written(indexed, monkeypatch, tmp_path):
    path = indexed.root / INDEX
    elsewhere = tmp_path / "elsewhere.sqlite"
    os.link(path, elsewhere)
    before = elsewhere.read_bytes()
    indexed.person("dee", "name: Dee")
    _answers(indexed, monkeypatch)
    assert elsewhere.read_bytes() == before
    assert os.stat(path).st_nlink == 1


def test_a_folder_where_the_index_should_be_is_left_alone(indexed, monkeypatch):
    path = indexed.root / INDEX
    path.unlink()
    path.mkdir()
    (path / "mine.txt").write_text("mine")
    for args in (["find", "ada"], ["due"], ["show", "bob"]):
        assert invoke(indexed.root, args, True) == invoke(indexed.root, args, False)
    assert (path / "mine.txt").read_text() == "mine"


def test_no_cache_folder_means_answers_from_the_files(repo, monkeypatch):
    repo.person("ada", "name: Ada Lovelace")
    (repo.root / ".kith-cache").write_text("a file, not a folder")
    assert invoke(repo.root, ["find", "ada"], True) == invoke(repo.root, ["find", "ada"], False)
    assert (repo.root / ".kith-cache").read_text() == "a file, not a folder"


def test_text_sqlite_cannot_hold_sends_the_command_to_the_files(repo, monkeypatch):
    repo.person("ada", 'name: "Ada \\ud800 Lovelace"')
    assert invoke(repo.root, ["find", "ada"], True) == invoke(repo.root, ["find", "ada"], False)


def test_the_index_holds_no_private_section_text(repo, monkeypatch):
    repo.person(
        "ada",
        "name: Ada Lovelace",
        "Public notes.\n\n## Private\n\nzanzibarsecret about [[bob]] on a private line\n\n## Log\n\n- 2026-10-01 coffee: hi\n",
    )
    repo.person("bob", "name: Bob")
    same(repo.root, monkeypatch, "find", "ada")
    conn = sqlite3.connect(repo.root / INDEX)
    text = []
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"):
        for row in conn.execute(f"SELECT * FROM '{table}'"):
            for value in row:
                if isinstance(value, bytes):
                    try:
                        value = zlib.decompress(value)
                    except zlib.error:
                        pass
                    value = value.decode("utf-8", "replace")
                text.append(str(value))
    everything = "\n".join(text)
    assert "Public notes" in everything  # the cards are where this looks
    assert "zanzibarsecret" not in everything and "private line" not in everything


def test_what_is_built_for_others_never_reads_the_index(indexed, monkeypatch, kith, tmp_path):
    # Bob is private in his file; make the index say otherwise, with his
    # stat key unchanged, as someone who can write the cache folder could.
    # The CLI's quick answers show private people anyway; what is built for
    # others (the site, written by `kith render`) reads the files.
    indexed.person("bob", "name: Bob Private\nprivate: true\nneeds: [a publisher]")
    same(indexed.root, monkeypatch, "show", "bob")
    conn = sqlite3.connect(indexed.root / INDEX)
    bob = conn.execute("SELECT id FROM people WHERE slug = 'bob'").fetchone()[0]
    record = json.loads(zlib.decompress(conn.execute("SELECT card FROM cards WHERE id = ?", (bob,)).fetchone()[0]))
    assert record["private"] is True
    record["private"] = False
    conn.execute("UPDATE cards SET card = ? WHERE id = ?", (zlib.compress(json.dumps(record).encode()), bob))
    plan = json.loads(conn.execute("SELECT plan FROM due WHERE id = ?", (bob,)).fetchone()[0])
    plan[5] = False
    conn.execute("UPDATE due SET plan = ? WHERE id = ?", (json.dumps(plan), bob))
    conn.commit()
    out = tmp_path / "out"
    result = kith(indexed, "render", "--out", str(out))
    assert result.exit_code == 0, result.output
    written = [p for p in out.rglob("*") if p.is_file()]
    assert written and not any(b"Bob Private" in p.read_bytes() for p in written)
    # ... and with his file saying he is public, the same render shows him.
    indexed.person("bob", "name: Bob Private\nneeds: [a publisher]")
    assert kith(indexed, "render", "--out", str(tmp_path / "again")).exit_code == 0
    assert any(b"Bob Private" in p.read_bytes() for p in (tmp_path / "again").rglob("*") if p.is_file())


# -- two commands at once ------------------------------------------------------


KITH = str(Path(sys.executable).parent / "kith")  # the installed command, as a user runs it


def _env(index: bool = True) -> dict[str, str]:
    return {**os.environ, "KITH_TODAY": TODAY.isoformat(), "KITH_INDEX": "1" if index else "0"}


def _cli(root: Path, *args: str, index: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([KITH, "--root", str(root), *args], capture_output=True, text=True, env=_env(index), timeout=180)


def _spawn(root: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([KITH, "--root", str(root), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())


def test_commands_run_at_once_build_and_share_one_index(tmp_path, monkeypatch):
    from tests.bench.generate import generate

    generate(120, tmp_path)
    questions = [("find", "whitfield"), ("due", "--format", "json"), ("show", "alan-adler"), ("suggest",)]
    expected = {q: invoke(tmp_path, list(q), False) for q in questions}
    assert not (tmp_path / INDEX).exists()
    # Every one of them finds no index and builds it, at the same time.
    running = [(q, _spawn(tmp_path, *q)) for q in questions for _ in range(2)]
    for q, proc in running:
        out, err = proc.communicate(timeout=180)
        assert (proc.returncode, out) == expected[q][:2], (q, err)
    assert _integrity(tmp_path)


def test_edits_while_commands_run_never_corrupt_it(tmp_path, monkeypatch):
    from tests.bench.generate import generate

    files = generate(120, tmp_path)
    assert _cli(tmp_path, "due").returncode == 0
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, pathlib\n"
            "for i, p in enumerate(sys.argv[1:]):\n"
            "    path = pathlib.Path(p); text = path.read_text()\n"
            "    path.write_text(text.replace('## Log\\n\\n', f'## Log\\n\\n- 2026-11-21 coffee: edit {i}\\n', 1))\n",
            *[str(f) for f in files[:30]],
        ]
    )
    readers = [_spawn(tmp_path, *q) for q in [("due", "--format", "json"), ("find", "edit"), ("find", "coffee", "--limit", "0")] * 2]
    writer.wait(timeout=120)
    for proc in readers:
        _, err = proc.communicate(timeout=180)
        assert proc.returncode in (0, 1), err
        assert "Traceback" not in err
    for q in [("due", "--format", "json"), ("find", "edit", "--limit", "0"), ("show", files[3].stem)]:
        assert same(tmp_path, monkeypatch, *q)[0] in (0, 1)
    assert "edit 29" in same(tmp_path, monkeypatch, "find", "edit", "29")[1]
    assert _integrity(tmp_path)


def _integrity(root: Path) -> bool:
    conn = sqlite3.connect(root / INDEX)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


# -- a lean start ----------------------------------------------------------------


def test_each_command_is_registered_by_the_module_the_table_names():
    import importlib

    for module in set(COMMANDS.values()):
        importlib.import_module(f"kith.cli.{module}")
    assert list(kith_main.commands) == list(COMMANDS) or set(kith_main.commands) == set(COMMANDS)
    ctx = kith_main.make_context("kith", ["--help"], resilient_parsing=True)
    assert kith_main.list_commands(ctx) == list(COMMANDS)


def test_a_quick_command_imports_neither_the_parser_nor_the_graph(indexed):
    indexed.write("mkdocs.yml", "site_name: x\nplugins:\n  - kith:\n      within: 9\n")
    probe = (
        "import sys\n"
        "from kith.cli import main\n"
        "for args in (['find', 'ada'], ['show', 'bob'], ['due'], ['suggest', '--limit', '1']):\n"
        "    try:\n"
        "        main(['--root', sys.argv[1], *args])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = ('networkx', 'kith.load', 'kith.parse', 'kith.body', 'yaml', 'icalendar', 'vobject', 'ruamel', 'mkdocs')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    # The files were written just now: in the children's clock, much later,
    # so that the first child reads them again once and the second reads
    # only the index.
    later = "import types, kith.config as c, kith.index.walk as w; w.now_ns = lambda: 10**19; c.time = types.SimpleNamespace(time_ns=w.now_ns)\n"
    warm = subprocess.run([sys.executable, "-c", later + probe, str(indexed.root)], capture_output=True, text=True, env=_env())
    assert warm.returncode == 0, warm.stderr
    done = subprocess.run([sys.executable, "-c", later + probe, str(indexed.root)], capture_output=True, text=True, env=_env())
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


# -- the journal ---------------------------------------------------------------------


def test_contact_in_the_journal_and_in_other_files_counts_from_the_index(repo, monkeypatch):
    # Ada is due every week and last logged in October; a dinner in the
    # journal and a call in Bob's file (both naming her) are contact with
    # her, so `kith due` and `kith show` say so from the index as from the files.
    clock = Clock(repo.root)
    monkeypatch.setattr(walk, "now_ns", lambda: 10**19)
    clock.write("people/ada.md", "---\nname: Ada Lovelace\ncadence: 1w\n---\n\n## Log\n\n- 2026-10-01 coffee: hi\n")
    clock.write("people/bob.md", "---\nname: Bob\n---\n\n## Log\n\n- 2026-11-10 call: with [[ada]]\n")
    code, due, _ = same(repo.root, monkeypatch, "due", "--format", "json")
    assert [i["detail"] for i in json.loads(due) if i["slug"] == "ada"] == ["every week; last contact 2026-11-10"]
    assert "2026-11-10" in same(repo.root, monkeypatch, "show", "ada")[1]
    clock.write("journal/2026-11-20.md", "- dinner: at Rosa's with [[ada]] and [[bob]]\n")
    assert "2026-11-20" in same(repo.root, monkeypatch, "show", "ada", "--format", "json")[1]
    clock.write("journal/2026-11-20.md", "- shared: an article on [[ada]]\n")  # not a contact kind
    assert '"last_contact": "2026-11-10"' in same(repo.root, monkeypatch, "show", "ada", "--format", "json")[1]
    clock.write("journal/2026-11-21.md", "---\nprivate: true\n---\n\n- call: [[ada]]\n")  # private still counts
    assert '"last_contact": "2026-11-21"' in same(repo.root, monkeypatch, "show", "ada", "--format", "json")[1]
    # Another journal folder, then none: the index follows the setting.
    clock.write("mkdocs.yml", "site_name: t\nplugins:\n  - kith:\n      journal_dir: notes\n")
    assert '"last_contact": "2026-11-10"' in same(repo.root, monkeypatch, "show", "ada", "--format", "json")[1]
    clock.write("notes/2026-11-15.md", "- lunch: with [[ada]]\n")
    assert '"last_contact": "2026-11-15"' in same(repo.root, monkeypatch, "show", "ada", "--format", "json")[1]
    clock.write("mkdocs.yml", "site_name: t\nplugins:\n  - kith:\n      journal_dir: false\n")
    assert '"last_contact": "2026-11-10"' in same(repo.root, monkeypatch, "show", "ada", "--format", "json")[1]
    clock.write("mkdocs.yml", "site_name: t\nplugins:\n  - kith:\n      journal_dir: journal\n      contact_kinds: [shared]\n")
    assert '"last_contact": "2026-11-20"' in same(repo.root, monkeypatch, "show", "ada", "--format", "json")[1]
    same(repo.root, monkeypatch, "due", "--within", "30")
    (repo.root / "journal" / "2026-11-20.md").unlink()
    assert '"last_contact": "2026-10-01"' in same(repo.root, monkeypatch, "show", "ada", "--format", "json")[1]


# -- kith due's kept answer ------------------------------------------------------


def _kept(root: Path) -> list:
    conn = sqlite3.connect(root / INDEX)
    try:
        return conn.execute("SELECT key, value FROM answers").fetchall()
    finally:
        conn.close()


def test_due_asked_again_is_answered_from_what_was_kept_until_anything_changes(repo, monkeypatch):
    clock = Clock(repo.root)
    monkeypatch.setattr(walk, "now_ns", lambda: 10**19)
    clock.write("people/ada.md", "---\nname: Ada\ncadence: 1m\n---\n## Log\n\n- 2026-10-01 coffee: hi\n")
    clock.write("people/bob.md", "---\nname: Bob\ncadence: 1m\n---\n")
    first = same(repo.root, monkeypatch, "due", "--format", "json")
    [(key, _)] = _kept(repo.root)
    # Asked again: the kept answer, and the rules are not run.
    with monkeypatch.context() as patch:
        patch.setattr("kith.followups.plan_items", lambda *a, **k: pytest.fail("worked out again"))
        assert invoke(repo.root, ["due", "--format", "json"], True, monkeypatch) == first
    # Each thing the answer is made from gives another answer, never the kept one.
    clock.write("people/ada.md", "---\nname: Ada\ncadence: 1m\n---\n## Log\n\n- 2026-11-21 coffee: again\n")
    assert "ada" not in same(repo.root, monkeypatch, "due", "--format", "json")[1]
    clock.write("journal/2026-11-21.md", "- dinner: with [[bob]]\n")
    assert "bob" not in same(repo.root, monkeypatch, "due", "--format", "json")[1]
    assert same(repo.root, monkeypatch, "due", "--within", "400")[1] != same(repo.root, monkeypatch, "due")[1]
    repo.write("mkdocs.yml", "site_name: x\nplugins:\n  - kith:\n      contact_kinds: [call]\n")
    assert "bob" in same(repo.root, monkeypatch, "due", "--format", "json")[1]
    later = invoke(repo.root, ["due", "--today", "2027-06-01", "--format", "json"], True, monkeypatch)
    assert later == invoke(repo.root, ["due", "--today", "2027-06-01", "--format", "json"], False)
    assert len(_kept(repo.root)) == 1 and _kept(repo.root)[0][0] != key


@pytest.mark.parametrize(
    "forged",
    [
        "not json",
        "[[1, 2]]",
        '[["ada", "Ada", "cadence", "x", 1, "d", "p", 1, null, "", null]]',
        '[["ada", "Ada", "cadence", 739000, "many", "d", "p", 1, null, "", null]]',
        "{}",
    ],
)
def test_a_kept_due_answer_of_the_wrong_shape_is_worked_out_again(indexed, monkeypatch, forged):
    same(indexed.root, monkeypatch, "due", "--format", "json")
    conn = sqlite3.connect(indexed.root / INDEX)
    conn.execute("UPDATE answers SET value = ?", (forged,))
    conn.commit()
    conn.close()
    same(indexed.root, monkeypatch, "due", "--format", "json")
    same(indexed.root, monkeypatch, "due")


def test_contact_elsewhere_before_the_day_you_met_is_found_from_the_index(repo, monkeypatch):
    """Only met, no log: a dinner in the journal, though dated before the
    meeting, is the last contact (followups.last_contact), so the cadence
    falls due from it; the index must not skip them for their meeting day.
    (Found by the property test above.)"""
    clock = Clock(repo.root)
    monkeypatch.setattr(walk, "now_ns", lambda: 10**19)
    clock.write("people/lukasz.md", "---\nname: Łukasz\ncadence: 1y\nmet: {date: 2026-10-10}\n---\n")
    clock.write("journal/2026-07-10.md", "- dinner: with [[lukasz]]\n")
    code, out, _ = same(repo.root, monkeypatch, "due", "--today", "2027-08-10", "--within", "0")
    assert "last contact 2026-07-10" in out
