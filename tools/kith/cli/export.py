"""`kith export`: the network in formats other tools read. Each format is a
subcommand; modules add theirs with `from .export import export`."""

from __future__ import annotations

import datetime as dt

import click

from ..ics import HORIZON, to_ics
from . import main
from .common import OrderedGroup, open_repo, resolve_today, root_option, today_option, write_out


@main.group(cls=OrderedGroup)
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
    write_out(out, data)
    click.echo(f"wrote {out}", err=True)



# `kith export vcard` is defined with `kith import` (one module for vCards).
from . import io as _io  # noqa: E402,F401
