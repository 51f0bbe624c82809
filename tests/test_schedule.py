"""`kith schedule` (GitHub issue 19): the cron line, the systemd user units,
the launchd plist and the schtasks command that run the digest, each
checked as far as this machine allows: the systemd units by
`systemd-analyze verify`, the plist by plistlib, the Windows command by
splitting it with the Windows rules; and then the command each scheduler
would run is run for real, in a repository whose path has spaces, quotes and
a `%` in it, and the digest arrives at an SMTP server on 127.0.0.1.
"""

from __future__ import annotations

import email
import email.policy
import os
import plistlib
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Repo
from test_digest import TODAY, make_network
from test_digest_send import start_server

KITH = str(Path(sys.executable).parent / "kith")


@pytest.fixture
def server():
    started = start_server(auth_require_tls=False)
    yield started
    started.controller.stop()


@pytest.fixture
def awkward(tmp_path, server) -> Repo:
    """The test network in a folder a shell, systemd and Windows all need
    quoting for, set to mail the digest to `server`."""
    repo = Repo(tmp_path / "my notes" / "it's \"kith\" 100% $HOME")
    make_network(repo)
    repo.write(
        "mkdocs.yml",
        "site_name: t\nplugins:\n  - kith:\n      mail:\n"
        f"        to: me@example.org\n        host: 127.0.0.1\n        port: {server.port}\n"
        "        security: none\n",
    )
    return repo


def run_digest(argv: list[str], server, silent: bool = False) -> None:
    """Run what the scheduler would run; the digest must reach the server."""
    env = {**os.environ, "KITH_TODAY": TODAY, "XDG_CONFIG_HOME": "/nonexistent"}
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    if silent:  # cron would mail any output to its user every morning
        assert (done.stdout, done.stderr) == ("", "")
    [(_, recipients, message)] = [
        (f, r, email.message_from_bytes(m.as_bytes(), policy=email.policy.default))
        for f, r, m in server.inbox.received
    ]
    assert recipients == ["me@example.org"]
    assert message["Subject"] == "kith: 4 people today, 2 overdue (Sun 22 Nov)"


def schedule(kith, repo: Repo, *args: str):
    result = kith(repo, "schedule", *args, "--kith", KITH)
    assert result.exit_code == 0, result.output
    return result


# -- cron -------------------------------------------------------------------------------


def test_the_cron_line_runs_the_digest(awkward, kith, server):
    line = schedule(kith, awkward, "cron", "--at", "07:05").stdout.splitlines()
    assert line[0] == "# kith: mail the day's digest, every day at 07:05 (crontab -e, then add this line)"
    minute, hour, day, month, weekday, command = line[1].split(" ", 5)
    assert (minute, hour, day, month, weekday) == ("5", "7", "*", "*", "*")
    # cron turns `\%` into `%` (a bare % would end the command), then hands
    # the line to /bin/sh.
    assert re.search(r"(?<!\\)%", command) is None
    assert command.endswith(" --period day --send --quiet")
    run_digest(["/bin/sh", "-c", command.replace("\\%", "%")], server, silent=True)


@pytest.mark.parametrize("weekday, number", [("mon", "1"), ("sat", "6"), ("sun", "0")])
def test_a_weekly_cron_line_names_the_day(example_repo, kith, weekday, number):
    line = schedule(kith, example_repo, "cron", "--period", "week", "--weekday", weekday).stdout.splitlines()[1]
    assert line.split(" ")[:5] == ["30", "7", "*", "*", number]
    assert line.endswith(" --period week --send --quiet")


def test_a_cron_line_that_notifies_finds_the_desktop_session(example_repo, kith):
    line = schedule(kith, example_repo, "cron", "--notify", "--no-send").stdout.splitlines()[1]
    assert f" DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/{os.getuid()}/bus " in line
    assert line.endswith(" --period day --notify --quiet")


# -- systemd ------------------------------------------------------------------------------


def test_the_systemd_units_pass_systemd_analyze_verify_and_run_the_digest(awkward, kith, server, tmp_path):
    out = tmp_path / "units dir"
    result = schedule(kith, awkward, "systemd", "--out", str(out), "--at", "06:40")
    assert "then: systemctl --user daemon-reload && systemctl --user enable --now kith-digest.timer" in result.stderr
    service = (out / "kith-digest.service").read_text(encoding="utf-8")
    timer = (out / "kith-digest.timer").read_text(encoding="utf-8")
    assert "OnCalendar=*-*-* 06:40:00\n" in timer and "Persistent=true\n" in timer
    assert "Type=oneshot\n" in service

    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed on this machine: the units were not verified")
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    verify = subprocess.run(
        [analyze, "--user", "verify", str(out / "kith-digest.service"), str(out / "kith-digest.timer")],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "XDG_RUNTIME_DIR": str(runtime)},
    )
    # Nothing at all to say: an unknown key or a bad quote would be a warning.
    assert (verify.returncode, verify.stdout, verify.stderr) == (0, "", "")

    # ExecStart= as systemd reads it: %% and $$ are a % and a $; quotes as the shell's.
    exec_start = next(line for line in service.splitlines() if line.startswith("ExecStart="))
    argv = shlex.split(exec_start[len("ExecStart="):].replace("%%", "%").replace("$$", "$"))
    assert argv[:3] == [KITH, "digest", "--root"] and argv[3] == str(awkward.root)
    run_digest(argv, server)


def test_a_broken_unit_fails_the_same_check(tmp_path):
    # The check above can fail: systemd-analyze does complain about a bad unit.
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed on this machine")
    unit = tmp_path / "kith-digest.service"
    unit.write_text('[Service]\nType=oneshot\nExecStart="/no such/kith" digest\nBogus=1\n', encoding="utf-8")
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    verify = subprocess.run([analyze, "--user", "verify", str(unit)], capture_output=True, text=True,
                            timeout=120, env={**os.environ, "XDG_RUNTIME_DIR": str(runtime)})
    assert verify.returncode != 0 and "Bogus" in verify.stderr


def test_a_weekly_timer(example_repo, kith):
    printed = schedule(kith, example_repo, "systemd", "--period", "week", "--weekday", "fri").stdout
    assert "# --- kith-digest.service ---\n" in printed and "# --- kith-digest.timer ---\n" in printed
    assert "OnCalendar=Fri *-*-* 07:30:00\n" in printed
    assert "Description=kith: mail the week's digest, every Friday at 07:30\n" in printed


# -- launchd ------------------------------------------------------------------------------


def test_the_launchd_plist_is_a_valid_plist_that_runs_the_digest(awkward, kith, server, tmp_path):
    result = schedule(kith, awkward, "launchd", "--out", str(tmp_path), "--at", "08:15", "--period", "week",
                      "--weekday", "sun")
    assert "then: launchctl bootstrap gui/$(id -u)" in result.stderr
    agent = plistlib.loads((tmp_path / "kith.digest.plist").read_bytes())
    assert agent["Label"] == "kith.digest"
    assert agent["StartCalendarInterval"] == {"Hour": 8, "Minute": 15, "Weekday": 0}
    assert agent["StandardOutPath"] == agent["StandardErrorPath"]
    assert agent["StandardOutPath"].endswith("/Library/Logs/kith-digest.log")
    argv = agent["ProgramArguments"]
    assert all(isinstance(arg, str) for arg in argv)
    assert argv == [KITH, "digest", "--root", str(awkward.root), "--period", "week", "--send"]
    if shutil.which("plutil"):  # macOS only
        assert subprocess.run(["plutil", "-lint", str(tmp_path / "kith.digest.plist")]).returncode == 0
    run_digest([*argv[:-3], "--period", "day", "--send"], server)


# -- Windows ----------------------------------------------------------------------------------


def windows_split(line: str) -> list[str]:
    """A command line split as Windows programs split theirs
    (CommandLineToArgvW and the C runtime): 2n backslashes before a quote are
    n backslashes and the quote opens or closes; 2n+1 are n and a literal
    quote; other backslashes are themselves."""
    args, current, quoted, i, started = [], [], False, 0, False
    while i < len(line):
        c = line[i]
        if c == "\\":
            n = 0
            while i < len(line) and line[i] == "\\":
                n, i = n + 1, i + 1
            if i < len(line) and line[i] == '"':
                current.append("\\" * (n // 2))
                if n % 2:
                    current.append('"')
                    i += 1
                started = True
                continue
            current.append("\\" * n)
            started = True
            continue
        if c == '"':
            if quoted and i + 1 < len(line) and line[i + 1] == '"':
                current.append('"')
                i += 2
                continue
            quoted, started = not quoted, True
        elif c in " \t" and not quoted:
            if started:
                args.append("".join(current))
                current, started = [], False
        else:
            current.append(c)
            started = True
        i += 1
    if started:
        args.append("".join(current))
    return args


def test_the_windows_command_splits_back_into_the_digest_command(awkward, kith, server):
    line = schedule(kith, awkward, "windows", "--at", "07:00").stdout.strip()
    args = windows_split(line)
    assert args[:9] == ["schtasks", "/Create", "/TN", "kith digest", "/SC", "DAILY", "/ST", "07:00", "/TR"]
    assert args[10:] == ["/F"]
    task = windows_split(args[9])
    assert task == [KITH, "digest", "--root", str(awkward.root), "--period", "day", "--send"]
    run_digest(task, server)


def test_a_weekly_windows_task(example_repo, kith):
    args = windows_split(schedule(kith, example_repo, "windows", "--period", "week", "--weekday", "wed").stdout)
    assert args[4:10] == ["/SC", "WEEKLY", "/D", "WED", "/ST", "07:30"]


def test_windows_split_reads_the_documented_examples():
    # Microsoft's table for the C runtime's parsing of a command line.
    assert windows_split('"a b c" d e') == ["a b c", "d", "e"]
    assert windows_split(r'"ab\"c" "\\" d') == ['ab"c', "\\", "d"]
    assert windows_split(r'a\\\b d"e f"g h') == [r"a\\\b", "de fg", "h"]
    assert windows_split(r'a\\\"b c d') == [r'a\"b', "c", "d"]
    assert windows_split(r'a\\\\"b c" d e') == [r"a\\b c", "d", "e"]


def test_a_task_command_too_long_for_schtasks_is_refused(tmp_path, kith):
    deep = Repo(tmp_path / ("x" * 120) / ("y" * 120))
    deep.person("ada", "name: Ada")
    result = kith(deep, "schedule", "windows", "--kith", KITH)
    assert result.exit_code == 1
    assert "schtasks takes 261 at most after /TR" in result.stderr


# -- options ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        (["cron", "--at", "25:00"], "'25:00' is not a time of day"),
        (["cron", "--no-send"], "--no-send leaves nothing to do: add --notify"),
        (["cron", "--out", "somewhere"], "--out is for systemd and launchd"),
        (["anacron"], "'anacron' is not one of 'cron', 'systemd', 'launchd', 'windows'"),
    ],
)
def test_bad_options_are_usage_errors(example_repo, kith, args, message):
    result = kith(example_repo, "schedule", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_the_guide_shows_exactly_what_kith_schedule_prints():
    # The examples in docs/guide/reminders.md are the generator's output for
    # Ada's paths, so the checks above hold for them too.
    from kith.schedule import Job, cron, launchd_plist, systemd_units, windows_command

    guide = (Path(__file__).resolve().parent.parent / "docs" / "guide" / "reminders.md").read_text(encoding="utf-8")
    linux = Job("/home/ada/kith/.venv/bin/kith", "/home/ada/kith", 7, 30)
    assert cron(linux) in guide
    for name, text in systemd_units(linux).items():
        assert f"# ~/.config/systemd/user/{name}\n{text}```" in guide
    mac = Job("/Users/ada/kith/.venv/bin/kith", "/Users/ada/kith", 7, 30)
    assert f"```xml\n{launchd_plist(mac, '/Users/ada/Library/Logs/kith-digest.log').decode()}```" in guide
    windows = Job(r"C:\Users\Ada\My Documents\kith\.venv\Scripts\kith.exe", r"C:\Users\Ada\My Documents\kith", 7, 30)
    assert f"```bat\n{windows_command(windows)}\n```" in guide


def test_a_path_with_a_line_break_is_refused_for_every_scheduler(tmp_path, kith):
    odd = Repo(tmp_path / "a\nb")
    odd.person("ada", "name: Ada")
    for scheduler in ("cron", "systemd", "launchd", "windows"):
        result = kith(odd, "schedule", scheduler, "--kith", KITH)
        assert result.exit_code == 1, (scheduler, result.output)
        assert "control character or line break" in result.output
