"""`kith due`: the follow-up list for a day."""

from __future__ import annotations

import datetime as dt

import click

from ..followups import Due, due_items, most_urgent
from ..model import CIRCLES, Network
from ..text import with_names
from . import main
from .style import paint
from .common import (
    format_option,
    open_repo,
    print_json,
    resolve_today,
    root_option,
    terminal_text,
    today_option,
    warn_unreadable,
)


@main.command()
@click.option(
    "--within",
    type=click.IntRange(min=0),
    default=None,
    metavar="DAYS",
    help="Also list what falls due in the next DAYS days. Default: the plugin's `within` (7).",
)
@click.option("--tag", default=None, help="Only people with this tag.")
@click.option(
    "--circle",
    type=click.Choice(CIRCLES),
    default=None,
    help="Only people in this circle.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="Keep the N most overdue items (closer circles first on ties); 0 for all. "
    "Default: the plugin's `limit` (0).",
)
@today_option
@root_option
@format_option
def due(
    within: int | None,
    tag: str | None,
    circle: str | None,
    limit: int | None,
    today: dt.datetime | None,
    root: str | None,
    fmt: str,
) -> None:
    """Who to get in touch with, and why.

    Lists everything overdue or due within the next few days: keeping in
    touch (cadence), open tasks, following up after meeting someone,
    birthdays, and asking how an introduction went. Private people are
    included. The text list shows the most overdue first; `--format json`
    is ordered by due date, then slug.
    """
    repo = open_repo(root)
    day = resolve_today(repo, today)
    network = repo.network()
    warn_unreadable(network)
    items = due_items(network, day, repo.settings, within=within, tag=tag, circle=circle, limit=limit)
    if fmt == "json":
        print_json([item.as_dict() for item in items])
        return
    everything = due_items(network, day, repo.settings, within=within, tag=tag, circle=circle, limit=0)
    shown_within = repo.settings.within if within is None else within
    if not items:
        click.echo(f"Nobody is due on or before {(day + dt.timedelta(days=shown_within)).isoformat()}.")
        return
    click.echo(format_table(most_urgent(items, None), len(everything), network))


def format_table(items: list[Due], total: int, network: Network | None = None) -> str:
    """Aligned columns: when, due date, who, why, detail. People named in a
    detail (`[[slug]]`) are written by name; on a terminal, what is overdue
    is red and what is due today yellow."""
    people = network.people if network is not None else {}
    rows = [
        (i.when(), i.due.isoformat(), terminal_text(i.name), i.reason, terminal_text(with_names(i.detail, people)))
        for i in items
    ]
    widths = [max(len(row[c]) for row in rows) for c in range(4)]
    lines = []
    for item, row in zip(items, rows):
        cells = [cell.ljust(width) for cell, width in zip(row[:4], widths)]
        cells[0] = paint(cells[0], "overdue" if item.overdue else ("today" if item.days_overdue == 0 else "soon"))
        cells[2] = paint(cells[2], "name")
        lines.append("  ".join(cells) + "  " + row[4])
    overdue = sum(1 for i in items if i.overdue)
    lines.append("")
    lines.append(f"{len(items)} due, {overdue} overdue")
    if total > len(items):
        lines[-1] += f" (the {len(items)} most urgent of {total}; --limit 0 shows all)"
    return "\n".join(lines)


