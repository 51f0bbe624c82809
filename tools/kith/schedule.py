"""Running `kith digest` every morning: the cron line, the systemd user
timer, the launchd agent and the Windows scheduled task that do it, filled
in with this machine's paths.

Each scheduler has its own quoting; each function here quotes for its
scheduler, so a repository in a folder with spaces or quotes in its name
still works. docs/guide/reminders.md shows the output and how to install it.
"""

from __future__ import annotations

import os
import plistlib
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from .dates import WEEKDAYS as DAY_NAMES

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
NAME = "kith-digest"
LAUNCHD_LABEL = "kith.digest"
WINDOWS_TASK = "kith digest"
SCHTASKS_MAX_TR = 261
"""Longest command schtasks takes after /TR, in characters."""


class ScheduleError(ValueError):
    """An option that makes no schedule; the text says why."""


@dataclass(frozen=True)
class Job:
    """What to run and when."""

    kith: str  # the kith executable, absolute
    root: str  # the repository, absolute
    hour: int
    minute: int
    period: str = "day"  # day | week
    weekday: str = "mon"  # for week: the day it runs
    send: bool = True
    notify: bool = False
    quiet: bool = False  # cron mails whatever a job prints: print only errors

    def __post_init__(self) -> None:
        # A line break would split a crontab line, and a plist cannot hold
        # control characters: refused here, before any scheduler's text.
        for what, path in (("kith", self.kith), ("the repository", self.root)):
            if any(ord(c) < 0x20 or ord(c) == 0x7F for c in path):
                raise ScheduleError(f"the path of {what} holds a control character or line break: {path!r}")

    def argv(self) -> list[str]:
        args = [self.kith, "digest", "--root", self.root, "--period", self.period]
        if self.send:
            args.append("--send")
        if self.notify:
            args.append("--notify")
        if self.quiet:
            args.append("--quiet")
        return args

    def when(self) -> str:
        at = f"{self.hour:02d}:{self.minute:02d}"
        if self.period == "week":
            return f"every {DAY_NAMES[WEEKDAYS.index(self.weekday)]} at {at}"
        return f"every day at {at}"

    def what(self) -> str:
        ways = [w for w, on in (("mail", self.send), ("show", self.notify)) if on]
        period = "week's" if self.period == "week" else "day's"
        return f"kith: {' and '.join(ways)} the {period} digest"




def parse_time(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise ScheduleError(f"{text!r} is not a time of day (HH:MM, such as 07:30)")
    return int(match.group(1)), int(match.group(2))


def find_kith() -> str | None:
    """The `kith` command that is running, else the one on PATH: the path a
    scheduler, which has no virtualenv activated, must call."""
    beside = Path(sys.executable).parent / ("kith.exe" if os.name == "nt" else "kith")
    if beside.is_file():
        return str(beside)
    found = shutil.which("kith")
    return str(Path(found).resolve()) if found else None


# -- cron ------------------------------------------------------------------------------


def cron(job: Job) -> str:
    """A crontab line (`crontab -e`), with a comment above it. The digest
    runs `--quiet`: cron mails you whatever a job prints, so only a failure
    does."""
    job = replace(job, quiet=True)
    # cron counts the days of the week from 0, Sunday.
    day_of_week = str((WEEKDAYS.index(job.weekday) + 1) % 7) if job.period == "week" else "*"
    # cron hands the command to /bin/sh, after turning each unescaped % into
    # a line break: quote for the shell, then escape the %.
    command = " ".join(shlex.quote(arg) for arg in job.argv()).replace("%", "\\%")
    if job.notify and hasattr(os, "getuid"):
        # cron jobs run outside the desktop session: tell notify-send where
        # the session's message bus is.
        command = f"DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/{os.getuid()}/bus {command}"
    return (
        f"# {job.what()}, {job.when()} (crontab -e, then add this line)\n"
        f"{job.minute} {job.hour} * * {day_of_week} {command}\n"
    )


# -- systemd --------------------------------------------------------------------------


_SYSTEMD_PLAIN = re.compile(r"[A-Za-z0-9_@+=:,./-]+")


def systemd_quote(arg: str) -> str:
    """One ExecStart= argument: `%` and `$` doubled (specifiers and
    variables), then double-quoted with C escapes when it holds anything
    else than plain characters."""
    arg = arg.replace("%", "%%").replace("$", "$$")
    if _SYSTEMD_PLAIN.fullmatch(arg):
        return arg
    escaped = arg.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


def systemd_units(job: Job) -> dict[str, str]:
    """{file name: text} for ~/.config/systemd/user/: a oneshot service that
    runs the digest and a timer that starts it."""
    exec_start = " ".join(systemd_quote(arg) for arg in job.argv())
    service = f"""\
[Unit]
Description={job.what()}

[Service]
Type=oneshot
ExecStart={exec_start}
# The SMTP password, when it is not in the keyring: a file only you can
# read (chmod 600) holding the line KITH_SMTP_PASSWORD=...; never in the
# repository. The leading - lets the service run without it.
EnvironmentFile=-%h/.config/kith/mail.env
"""
    if job.period == "week":
        calendar = f"{job.weekday.capitalize()} *-*-* {job.hour:02d}:{job.minute:02d}:00"
    else:
        calendar = f"*-*-* {job.hour:02d}:{job.minute:02d}:00"
    timer = f"""\
[Unit]
Description={job.what()}, {job.when()}

[Timer]
OnCalendar={calendar}
# Missed while the machine was off: run at the next start.
Persistent=true

[Install]
WantedBy=timers.target
"""
    return {f"{NAME}.service": service, f"{NAME}.timer": timer}


# -- launchd --------------------------------------------------------------------------


def launchd_plist(job: Job, log: str) -> bytes:
    """~/Library/LaunchAgents/kith.digest.plist: the agent launchd runs at
    the time (and runs late, at wake, if the Mac slept through it)."""
    interval: dict[str, int] = {"Hour": job.hour, "Minute": job.minute}
    if job.period == "week":
        interval["Weekday"] = (WEEKDAYS.index(job.weekday) + 1) % 7  # launchd: 0 is Sunday
    agent = {
        "Label": LAUNCHD_LABEL,
        "ProgramArguments": job.argv(),
        "StartCalendarInterval": interval,
        # launchd starts agents with a bare PATH; sendmail lives in /usr/sbin.
        "EnvironmentVariables": {"PATH": "/usr/local/bin:/opt/homebrew/bin:/usr/bin:/bin:/usr/sbin:/sbin"},
        "StandardOutPath": log,
        "StandardErrorPath": log,
    }
    return plistlib.dumps(agent, sort_keys=False)


# -- Windows ----------------------------------------------------------------------------


def windows_command(job: Job) -> str:
    """The `schtasks /Create` command line, for cmd.exe or PowerShell.

    The task's command (after /TR) is one argument to schtasks: the digest's
    own command line, quoted by the C runtime's rules (`list2cmdline`), then
    quoted again as an argument of schtasks."""
    task = subprocess.list2cmdline(job.argv())
    if len(task) > SCHTASKS_MAX_TR:
        raise ScheduleError(
            f"the command is {len(task)} characters and schtasks takes {SCHTASKS_MAX_TR} at most after /TR: "
            "put the repository or kith in a folder with a shorter path, or call kith from a .cmd file"
        )
    at = f"{job.hour:02d}:{job.minute:02d}"
    if job.period == "week":
        when = ["/SC", "WEEKLY", "/D", job.weekday.upper(), "/ST", at]
    else:
        when = ["/SC", "DAILY", "/ST", at]
    return subprocess.list2cmdline(["schtasks", "/Create", "/TN", WINDOWS_TASK, *when, "/TR", task, "/F"])
