"""`kith done`, `kith snooze` and `kith set` through the real CLI on real
files: golden files byte for byte, and what a user sees when a request
cannot be carried out."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden" / "tidy"


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "people").rglob("*")) if p.is_file()}


@pytest.fixture
def golden_repo(repo):
    for path in sorted((GOLDEN / "in").glob("*.md")):
        repo.write(f"people/{path.name}", path.read_bytes())
    return repo


def test_done_snooze_set_golden_files_byte_for_byte(golden_repo, kith) -> None:
    today = ("--today", "2026-12-03")
    steps = [
        ("done", "ada-lovelace", "publisher contact", *today),
        ("done", "grace-hopper", *today),
        ("snooze", "ada-lovelace", "2w", *today),
        ("snooze", "katherine-johnson", "2027-01-15", *today),
        ("set", "circle=friend", "cadence=3m", "tags+=pycon,Navy", "--tag", "navy"),
        ("set", "interests=rockets,chess", "met.where=Langley, VA", "katherine-johnson"),
        ("set", "cadence=", "grace-hopper"),
    ]
    outputs = []
    for step in steps:
        result = kith(golden_repo, *step)
        assert result.exit_code == 0, (step, result.output)
        outputs.append(result.stdout)
    for expected in sorted((GOLDEN / "out").glob("*.md")):
        got = (golden_repo.root / "people" / expected.name).read_bytes()
        assert got == expected.read_bytes(), expected.name
    assert outputs[0] == "people/ada-lovelace.md:17: - [x] 2026-12-01 send the publisher contact (done 2026-12-03)\n"
    assert outputs[2] == "people/ada-lovelace.md: snooze: 2026-12-17 (no reminders before then)\n"
    assert outputs[4] == (
        "people/grace-hopper.md: circle: friend, cadence: 3m, +tag pycon\n"
        "people/katherine-johnson.md: circle: friend, cadence: 3m, +tag pycon\n"
        "changed 2 people\n"
    )
    assert kith(golden_repo, "validate").stdout == "0 errors, 0 warnings in 3 files\n"


def test_a_ticked_task_reads_as_done_with_its_due_day(golden_repo, kith) -> None:
    from kith.load import load_network

    kith(golden_repo, "done", "grace-hopper", "--today", "2026-12-03")
    grace = load_network(golden_repo.root).people["grace-hopper"]
    assert [(t.done, t.due.isoformat(), t.text) for t in grace.tasks] == [
        (True, "2026-11-30", "return the nanosecond wire (done 2026-12-03)")
    ]
    due = kith(golden_repo, "due", "--today", "2026-12-03", "--format", "json")
    assert "nanosecond" not in due.stdout


def test_done_with_several_matches_and_no_terminal_lists_them(golden_repo, kith) -> None:
    before = snapshot(golden_repo.root)
    result = kith(golden_repo, "done", "ada-lovelace", "publisher")
    assert result.exit_code == 1
    assert result.stderr == (
        "people/ada-lovelace.md:17: error: 2 open tasks match; say which with more of its words [task-ambiguous]\n"
        "people/ada-lovelace.md:17: note: - [ ] 2026-12-01 send the publisher contact\n"
        "people/ada-lovelace.md:18: note: - [ ] 2026-12-10 send the publisher's catalogue\n"
    )
    assert snapshot(golden_repo.root) == before


def test_done_matches_a_due_day_and_private_tasks_too(golden_repo, kith) -> None:
    result = kith(golden_repo, "done", "ada-lovelace", "2026-12-02", "--today", "2026-12-03")
    assert result.exit_code == 0, result.output
    text = golden_repo.read("people/ada-lovelace.md")
    assert "### Private\n\n- [x] 2026-12-02 ask about her health (done 2026-12-03)\n" in text


def test_done_without_a_match_says_so(golden_repo, kith) -> None:
    result = kith(golden_repo, "done", "katherine-johnson")
    assert result.exit_code == 1
    assert result.stderr.startswith("people/katherine-johnson.md:1: error: Katherine Johnson has no open task")
    assert result.stderr.rstrip().endswith("[task-not-found]")
    result = kith(golden_repo, "done", "ada-lovelace", "no such thing")
    assert "no open task matching `no such thing`" in result.stderr


def test_done_dry_run_prints_the_diff_and_writes_nothing(golden_repo, kith) -> None:
    before = snapshot(golden_repo.root)
    result = kith(golden_repo, "done", "grace-hopper", "--dry-run", "--today", "2026-12-03")
    assert result.exit_code == 0
    assert "-- [ ] 2026-11-30 return the nanosecond wire\n" in result.stdout
    assert "+- [x] 2026-11-30 return the nanosecond wire (done 2026-12-03)\n" in result.stdout
    assert snapshot(golden_repo.root) == before


def test_done_never_overwrites_a_file_edited_meanwhile(golden_repo, kith, monkeypatch) -> None:
    """A save from an editor between kith's read and its write wins."""
    from kith import tidy

    real = tidy.tick
    path = golden_repo.root / "people" / "grace-hopper.md"

    def edited_meanwhile(doc, task, day):
        path.write_bytes(path.read_bytes().replace(b"nanosecond", b"picosecond"))
        return real(doc, task, day)

    monkeypatch.setattr(tidy, "tick", edited_meanwhile)
    result = kith(golden_repo, "done", "grace-hopper")
    assert result.exit_code == 1
    assert "changed on disk since it was read; run the command again [write-failed]" in result.stderr
    assert b"- [ ] 2026-11-30 return the picosecond wire" in path.read_bytes()


def test_done_reads_the_file_as_it_is_now(golden_repo, kith) -> None:
    """A task added above since the last load moves the others down: the
    task ticked is still the one asked for."""
    kith(golden_repo, "validate")  # the disk cache now holds the old lines
    path = golden_repo.root / "people" / "grace-hopper.md"
    path.write_bytes(path.read_bytes().replace(b"## Log\r\n\r\n", b"## Log\r\n\r\n- [ ] 2026-12-24 buy a gift\r\n"))
    result = kith(golden_repo, "done", "grace-hopper", "wire", "--today", "2026-12-03")
    assert result.exit_code == 0, result.output
    assert b"- [ ] 2026-12-24 buy a gift\r\n- [x] 2026-11-30 return the nanosecond wire (done 2026-12-03)\r\n" in path.read_bytes()


@pytest.mark.parametrize(
    "until, message",
    [
        ("2026-12-01", "is not after today"),
        ("tomorrow", "is not a day (YYYY-MM-DD) or a span"),
        ("2026-02-30", "is not a day"),
    ],
)
def test_snooze_refuses_a_day_that_is_not_one(golden_repo, kith, until, message) -> None:
    before = snapshot(golden_repo.root)
    result = kith(golden_repo, "snooze", "ada-lovelace", until, "--today", "2026-12-03")
    assert result.exit_code == 2
    assert message in result.stderr
    assert snapshot(golden_repo.root) == before


def test_snooze_off_removes_the_key_and_its_comment(golden_repo, kith) -> None:
    result = kith(golden_repo, "snooze", "katherine-johnson", "off")
    assert result.stdout == "people/katherine-johnson.md: snooze: off\n"
    assert golden_repo.read("people/katherine-johnson.md").startswith(
        "---\nname: Katherine Johnson\ntags: [nasa, navy]\n"
    )
    again = kith(golden_repo, "snooze", "katherine-johnson", "off")
    assert again.stdout == "people/katherine-johnson.md: already snooze: off\n"


@pytest.mark.parametrize(
    "assignment, message",
    [
        ("circle=bestie", "circle `bestie` is not one of inner, close, friend, acquaintance [circle-invalid]"),
        ("cadence=2 weeks", "cadence `2weeks` should be a number and a unit"),
        ("emails+=not-an-address", "`not-an-address` is not an email address [email-invalid]"),
        ("snooze=2027-02-30", "`2027-02-30` is not a day"),
        ("birthdy=1815-12-10", "unknown key `birthdy`; did you mean `birthday`?"),
        ("circle+=close", "+= is for lists"),
        ("name=", "name is required"),
        ("private=yes", "write true or false"),
        ("relationships=x", "relationships cannot be set here"),
        ("met.via=grace-hoper", "met.via `grace-hoper` names nobody: there is no grace-hoper.md under people/; did you mean `grace-hopper`? [unknown-slug]"),
    ],
)
def test_set_checks_values_with_validate_rules_before_writing(golden_repo, kith, assignment, message) -> None:
    before = snapshot(golden_repo.root)
    result = kith(golden_repo, "set", assignment, "ada-lovelace")
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.stderr.split()), result.stderr
    assert snapshot(golden_repo.root) == before


def test_set_needs_someone_and_something(golden_repo, kith) -> None:
    assert kith(golden_repo, "set", "circle=close").exit_code == 2
    assert kith(golden_repo, "set", "ada-lovelace").exit_code == 2
    nobody = kith(golden_repo, "set", "circle=close", "--tag", "no-such-tag")
    assert nobody.exit_code == 1
    assert "nobody matches" in nobody.stderr
    unknown = kith(golden_repo, "set", "circle=close", "ada-lovlace")
    assert unknown.exit_code == 1
    assert "no person `ada-lovlace`; did you mean `ada-lovelace`?" in unknown.stderr


def test_set_selects_by_no_key_company_and_circle(golden_repo, kith) -> None:
    result = kith(golden_repo, "set", "circle=acquaintance", "--no", "circle", "--dry-run")
    assert "+++ b/people/grace-hopper.md" in result.stdout
    assert "+++ b/people/katherine-johnson.md" in result.stdout
    assert "ada-lovelace" not in result.stdout
    result = kith(golden_repo, "set", "title=Engineer", "--company", "nasa", "--dry-run")
    assert [line for line in result.stdout.splitlines() if line.startswith("+++")] == ["+++ b/people/katherine-johnson.md"]
    result = kith(golden_repo, "set", "title=Poet", "--circle", "close")
    assert result.stdout == "people/ada-lovelace.md: title: Poet\nchanged 1 person\n"


def test_set_dry_run_writes_nothing_and_a_second_run_changes_nothing(golden_repo, kith) -> None:
    before = snapshot(golden_repo.root)
    dry = kith(golden_repo, "set", "cadence=1y", "--tag", "navy", "--dry-run")
    assert dry.exit_code == 0
    assert "-cadence: 1m\n+cadence: 1y\n" in dry.stdout
    assert snapshot(golden_repo.root) == before
    kith(golden_repo, "set", "cadence=1y", "--tag", "navy")
    again = kith(golden_repo, "set", "cadence=1y", "--tag", "navy")
    assert again.stdout == "changed 0 people, 2 already so\n"


def test_set_takes_items_out_of_a_list(golden_repo, kith) -> None:
    result = kith(golden_repo, "set", "tags-=POETRY", "ada-lovelace")
    assert result.stdout == "people/ada-lovelace.md: -tag poetry\nchanged 1 person\n"
    assert "tags:\n  - math      # block style stays block style\ncircle: close\n" in golden_repo.read("people/ada-lovelace.md")


def test_set_writes_every_file_or_none(golden_repo, kith, full_disk) -> None:
    before = snapshot(golden_repo.root)
    full_disk(lambda n: n == 2)
    result = kith(golden_repo, "set", "cadence=1y", "--tag", "navy")
    assert result.exit_code == 1
    assert "error: nothing written: No space left on device [write-failed]" in result.stderr
    assert snapshot(golden_repo.root) == before
    assert sorted(os.listdir(golden_repo.root / "people")) == ["ada-lovelace.md", "grace-hopper.md", "katherine-johnson.md"]


def test_every_code_the_new_commands_print_is_in_the_table() -> None:
    import re

    from kith import codes

    source = "".join(
        (Path(__file__).resolve().parent.parent / "tools" / "kith" / name).read_text(encoding="utf-8")
        for name in ("cli/tidy.py", "cli/triage.py", "cli/edit.py")
    )
    printed = set(re.findall(r"\[([a-z]+(?:-[a-z]+)+)\]", source))
    assert printed and printed <= set(codes.COMMAND_CODES) | set(codes.CODES)


def test_done_asks_which_task_on_a_terminal(golden_repo) -> None:
    import sys

    import pexpect

    kith_bin = str(Path(sys.executable).parent / "kith")
    env = {**os.environ, "KITH_TODAY": "2026-12-03", "TERM": "dumb"}
    child = pexpect.spawn(kith_bin, ["--root", str(golden_repo.root), "done", "ada-lovelace", "publisher"], env=env, encoding="utf-8", timeout=60)
    child.expect_exact("1) 2026-12-01 send the publisher contact")
    child.expect_exact("2) 2026-12-10 send the publisher's catalogue")
    child.expect_exact("Which task is done?")
    child.sendline("2")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    text = golden_repo.read("people/ada-lovelace.md")
    assert "- [ ] 2026-12-01 send the publisher contact   \n" in text
    assert "- [x] 2026-12-10 send the publisher's catalogue (done 2026-12-03)\n" in text
