"""`kith due`: the follow-up list for a day."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import click

from ..circles import CIRCLES
from . import main
from .common import (
    format_option,
    open_repo,
    print_json,
    resolve_today,
    root_option,
    today_option,
    unreadable,
    warn_unreadable,
)

if TYPE_CHECKING:
    from ..followups import Due
    from ..index import Index


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
    from ..followups import cut_due, due_items, most_urgent, plan_items, select_due

    repo = open_repo(root)
    day = resolve_today(repo, today)
    settings = repo.settings
    shown_within = settings.within if within is None else within

    def from_index(index: Index) -> tuple[list[Due], list[str]]:
        from ..index import query

        horizon = day + dt.timedelta(days=shown_within)
        plans = query.due_plans(index.conn, day, horizon, settings)
        everything = select_due(
            plans, day, settings, within, tag, circle, True, 0, lambda plan: plan_items(plan, day, settings, horizon=horizon)
        )
        return everything, query.unreadable(index.conn, index.names)

    def from_files() -> tuple[list[Due], list[str]]:
        network = repo.network()
        return due_items(network, day, settings, within=within, tag=tag, circle=circle, limit=0), unreadable(network)

    # Everything due, then cut: the count of everything is in the summary.
    everything, missing = repo.answer(from_index, from_files)
    warn_unreadable(missing)
    items = cut_due(everything, settings, limit)
    if fmt == "json":
        print_json([item.as_dict() for item in items])
        return
    if not items:
        click.echo(f"Nobody is due on or before {(day + dt.timedelta(days=shown_within)).isoformat()}.")
        return
    click.echo(format_table(most_urgent(items, None), len(everything)))


def format_table(items: list[Due], total: int) -> str:
    """Aligned columns: when, due date, who, why, detail."""
    # Thousands of rows on a big network: each day's words and date are
    # made once, and each line by one format call.
    when: dict[int, str] = {}
    dates: dict[dt.date, str] = {}
    rows = []
    for i in items:
        said = when.get(i.days_overdue)
        if said is None:
            said = when[i.days_overdue] = i.when()
        iso = dates.get(i.due)
        if iso is None:
            iso = dates[i.due] = i.due.isoformat()
        rows.append((said, iso, i.name, i.reason, i.detail))
    widths = [max(map(len, column)) for column in list(zip(*rows))[:4]]
    line = "  ".join(f"{{:<{width}}}" for width in widths) + "  {}"
    lines = [line.format(*row) for row in rows]
    overdue = sum(1 for i in items if i.overdue)
    lines.append("")
    lines.append(f"{len(items)} due, {overdue} overdue")
    if total > len(items):
        lines[-1] += f" (the {len(items)} most urgent of {total}; --limit 0 shows all)"
    return "\n".join(lines)


