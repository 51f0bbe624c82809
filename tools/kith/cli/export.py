"""`kith export`: the network in formats other tools read. Each format is a
subcommand; modules add theirs with `from .export import export`."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import click

from ..ics import HORIZON, to_ics
from . import main
from .common import KithGroup, open_repo, resolve_today, root_option, today_option


@main.group(cls=KithGroup)
def export() -> None:
    """Write the network in a format other tools read."""


@export.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write the feed to this file (replaced atomically). Default: standard output.",
)
@click.option(
    "--include-private",
    is_flag=True,
    help="Also include private people and `## Private` items (left out by default: the feed is published with the site).",
)
@click.option(
    "--horizon",
    type=click.IntRange(min=0),
    default=HORIZON,
    show_default=True,
    metavar="DAYS",
    help="Include follow-ups due up to DAYS days ahead.",
)
@today_option
@root_option
def ics(
    out: str | None,
    include_private: bool,
    horizon: int,
    today: dt.datetime | None,
    root: str | None,
) -> None:
    """A calendar feed (.ics) of follow-ups and birthdays.

    One all-day event per follow-up (overdue ones on today), and one yearly
    event per birthday. UIDs are stable, so a calendar app that subscribes
    updates events instead of duplicating them.
    """
    repo = open_repo(root)
    day = resolve_today(repo, today)
    data = to_ics(repo.network(), day, repo.settings, include_private=include_private, horizon=horizon)
    if out is None:
        click.echo(data, nl=False)
        return
    try:
        write_atomic(Path(out), data)
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc.strerror}") from None
    click.echo(f"wrote {out}", err=True)


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it over `path`, so
    a reader (or a crash) never sees half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        # mkstemp makes the file private (0600); a feed is meant to be served.
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """The mode the file has now, else what a plain `open` would give it."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
