"""`kith schedule`: the lines that run `kith digest` every morning, for cron,
systemd, launchd or the Windows Task Scheduler."""

from __future__ import annotations

from pathlib import Path

import click

from ..digest import PERIODS
from ..schedule import (
    LAUNCHD_LABEL,
    NAME,
    WEEKDAYS,
    Job,
    ScheduleError,
    cron,
    find_kith,
    launchd_plist,
    parse_time,
    systemd_units,
    windows_command,
)
from ..errors import KithError
from ..write import atomic_write
from . import main
from .common import open_repo, root_option

SCHEDULERS = ("cron", "systemd", "launchd", "windows")


@main.command()
@click.argument("scheduler", type=click.Choice(SCHEDULERS))
@click.option("--at", "at", default="07:30", show_default=True, metavar="HH:MM", help="The time of day it runs.")
@click.option(
    "--period",
    type=click.Choice(list(PERIODS)),
    default="day",
    show_default=True,
    help="day: every day, today's digest; week: once a week, the week's.",
)
@click.option(
    "--weekday",
    type=click.Choice(WEEKDAYS),
    default="mon",
    show_default=True,
    help="With --period week: the day it runs.",
)
@click.option("--notify", is_flag=True, help="Show it as a desktop notification as well as mailing it.")
@click.option("--no-send", is_flag=True, help="Do not mail it (with --notify: only the notification).")
@click.option(
    "--kith",
    "kith_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="The kith command to run. Default: this one (the scheduler has no virtualenv activated).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="systemd and launchd: write the files into this folder (such as ~/.config/systemd/user) "
    "instead of printing them.",
)
@root_option
def schedule(
    scheduler: str,
    at: str,
    period: str,
    weekday: str,
    notify: bool,
    no_send: bool,
    kith_path: str | None,
    out: Path | None,
    root: str | None,
) -> None:
    """Print what runs `kith digest --send` every morning.

    SCHEDULER is cron (a crontab line), systemd (a user service and timer),
    launchd (a macOS agent's plist) or windows (a schtasks command). The
    paths of this repository and of this kith command are filled in and
    quoted for that scheduler. Nothing is installed: docs/guide/reminders.md
    says where each goes.
    """
    if no_send and not notify:
        raise click.UsageError("--no-send leaves nothing to do: add --notify")
    if out is not None and scheduler not in ("systemd", "launchd"):
        raise click.UsageError(f"--out is for systemd and launchd; {scheduler} takes the printed line")
    try:
        hour, minute = parse_time(at)
    except ScheduleError as exc:
        raise click.BadParameter(str(exc), param_hint="--at") from None
    repo = open_repo(root)
    kith = str(Path(kith_path).resolve()) if kith_path else find_kith()
    if kith is None:
        raise click.UsageError("cannot find the kith command: pass --kith PATH")
    try:
        job = Job(kith, str(repo.root), hour, minute, period, weekday, send=not no_send, notify=notify)
    except ScheduleError as exc:
        raise KithError(str(exc), code="failed") from None

    if scheduler == "cron":
        click.echo(cron(job), nl=False)
    elif scheduler == "windows":
        try:
            click.echo(windows_command(job))
        except ScheduleError as exc:
            raise KithError(str(exc), code="failed") from None
    elif scheduler == "systemd":
        _files(systemd_units(job), out)
        if out is not None:
            click.echo(f"then: systemctl --user daemon-reload && systemctl --user enable --now {NAME}.timer", err=True)
    else:
        log = str(Path("~/Library/Logs/kith-digest.log").expanduser())
        _files({f"{LAUNCHD_LABEL}.plist": launchd_plist(job, log).decode("utf-8")}, out)
        if out is not None:
            target = out / f"{LAUNCHD_LABEL}.plist"
            click.echo(f"then: launchctl bootstrap gui/$(id -u) {target}", err=True)


def _files(files: dict[str, str], out: Path | None) -> None:
    if out is None:
        for n, (name, text) in enumerate(files.items()):
            if len(files) > 1:
                click.echo(("\n" if n else "") + f"# --- {name} ---")
            click.echo(text, nl=False)
        return
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            atomic_write(out / name, text.encode("utf-8"))
            click.echo(f"wrote {out / name}", err=True)
    except OSError as exc:
        raise KithError(f"cannot write into {out}: {exc.strerror or exc}", code="write-failed") from None
