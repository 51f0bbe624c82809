"""The CLI on a terminal (GitHub issue 15): colour when it prints to a
terminal, none when piped or under NO_COLOR; people by name, not [[slug]];
`kith init` starts an empty network that builds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from conftest import Repo

ANSI = "\x1b["


def network(repo: Repo) -> Repo:
    repo.person("ada", "name: Ada Lovelace\ncadence: 1w", "## Log\n\n- 2026-10-01 intro: introduced her to [[bob]]\n")
    repo.person("bob", "name: Bob Brown", "## Log\n\n- [ ] 2026-11-20 send [[ada]] the paper\n")
    repo.person("bad", "name: Bad\nbirthday: 2026-02-30")
    return repo


def kith_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "kith", *args]


def on_a_terminal(repo: Repo, *args: str, env: dict | None = None) -> str:
    environment = {**os.environ, "KITH_TODAY": "2026-11-22", "TERM": "xterm", **(env or {})}
    if "NO_COLOR" not in (env or {}):
        environment.pop("NO_COLOR", None)  # the caller's own setting must not decide the test
    child = pexpect.spawn(sys.executable, ["-m", "kith", *args], cwd=str(repo.root), env=environment, encoding="utf-8", timeout=60)
    child.expect(pexpect.EOF)
    child.close()
    return child.before


def piped(repo: Repo, *args: str, env: dict | None = None) -> str:
    environment = {**os.environ, "KITH_TODAY": "2026-11-22", **(env or {})}
    if "NO_COLOR" not in (env or {}):
        environment.pop("NO_COLOR", None)  # the caller's own setting must not decide the test
    return subprocess.run(kith_command(*args), cwd=repo.root, env=environment, capture_output=True, text=True).stdout


def test_colour_on_a_terminal_none_when_piped_or_under_no_color(repo: Repo):
    network(repo)
    shown = on_a_terminal(repo, "due")
    assert ANSI in shown
    assert "\x1b[31m" in shown  # overdue in red
    assert ANSI not in piped(repo, "due")
    assert ANSI not in on_a_terminal(repo, "due", env={"NO_COLOR": "1"})
    checked = on_a_terminal(repo, "validate")
    assert "error" in checked and ANSI in checked
    assert ANSI not in piped(repo, "validate")


def test_the_cli_names_people_not_slugs(repo: Repo):
    network(repo)
    out = piped(repo, "due")
    assert "intro to Bob Brown on 2026-10-01" in out
    assert "send Ada Lovelace the paper" in out
    assert "[[" not in out
    shown = piped(repo, "show", "bob")
    assert "send Ada Lovelace the paper" in shown and "[[" not in shown


def test_kith_init_starts_an_empty_network_that_builds(tmp_path: Path, kith):
    folder = tmp_path / "my-network"
    result = kith(None, "init", str(folder), "--no-git")
    assert result.exit_code == 0, result.output
    assert (folder / "people").is_dir() and (folder / "mkdocs.yml").is_file()
    assert not (folder / ".git").exists()
    again = kith(None, "init", str(folder))
    assert again.exit_code == 2 and "not an empty folder" in again.output
    added = kith(Repo(folder), "new", "Ada Lovelace")
    assert added.exit_code == 0, added.output
    from sitebuild import build_site

    built, site = build_site(folder, strict=True, keep_config=True)
    assert built.returncode == 0, built.stderr
    assert "Ada Lovelace" in (site / "people" / "index.html").read_text(encoding="utf-8")


def test_no_command_prints_a_control_character_from_a_file(repo, kith):
    """A name or task holding an escape sequence (`\\e[2J` clears the screen)
    is printed with `?` in its place by every command that shows it."""
    repo.person("ada", 'name: "Ada \\e[2J\\e]0;pwned\\a"\nrelationships: [{with: bob, type: friend}]\ncadence: 1w', "## Log\n\n- [ ] 2026-11-20 call \x1b[31mred\n")
    repo.person("bob", 'name: "Bob \\e[31m"\nneeds: [ada things]\noffers: [ada things]')
    for args in (["show", "ada"], ["find", "ada"], ["due"], ["suggest"], ["path", "ada", "bob"], ["done", "ada", "nothing like it"]):
        result = kith(repo, *args)
        assert "\x1b" not in result.output and "\x07" not in result.output, (args, result.output)


@pytest.mark.parametrize(
    "option, said",
    [("today: notadate", "is not a date"), ('met_window: "30"', "is not a number of days"), ("within: -3", "is not a number of days"),
     ("raw_html: maybe", "is not true or false"), ("limit: many", "is not a whole number")],
)
def test_a_setting_kith_cannot_use_is_one_error_line_not_a_traceback(repo, kith, option, said):
    repo.person("ada", "name: Ada\ncadence: 1w")
    repo.write("mkdocs.yml", f"site_name: x\nplugins:\n  - kith:\n      {option}\n")
    result = kith(repo, "due")
    assert result.exit_code == 2
    assert said in result.output and "[settings-invalid]" in result.output and "Traceback" not in result.output


def test_an_out_file_that_cannot_be_written_is_one_error_line(repo, kith, tmp_path):
    repo.person("ada", "name: Ada")
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for args in (["export", "vcard", "--out", str(blocker / "x.vcf")], ["export", "ics", "--out", str(blocker / "x.ics")],
                 ["schema", "--out", str(blocker / "s.json")], ["init", str(blocker / "new")]):
        result = kith(repo, *args)
        assert result.exit_code == 1, (args, result.output)
        assert "[write-failed]" in result.output and "Traceback" not in result.output
