"""`kith due`: the follow-up list for a day."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import click

from ..circles import CIRCLES
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
    unreadable,
    warn_unreadable,
)

if TYPE_CHECKING:
    from ..followups import Due
    from ..index import Index

Names = dict[str, Any]  # slug -> anything with a `name`: the people named in the details shown


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

    def from_index(index: Index) -> tuple[list[Due], list[str], Names, list[Due] | None]:
        from ..index import query
        from ..text import named_in

        horizon = day + dt.timedelta(days=shown_within)
        # Asked again with nothing changed (the same files, day, settings
        # and options), the answer is the one kept from last time: at
        # 30,000 people working it out takes most of the command's 0.5 s.
        # The rows' fields in the key: cli/ is outside the source checksum
        # that rebuilds the index when kith changes.
        key = query.answer_key(index.conn, index.generation, _DUE_FIELDS, day, horizon, within, tag, circle, settings)
        everything = _due_from_json(query.kept_answer(index.conn, key))
        if everything is None:
            plans = query.due_plans(index.conn, day, horizon, settings)
            everything = select_due(
                plans, day, settings, within, tag, circle, True, 0, lambda plan: plan_items(plan, day, settings, horizon=horizon)
            )
            kept = json.dumps([_due_row(item) for item in everything], ensure_ascii=False, separators=(",", ":"))
        else:
            kept = None
        shown = cut_due(everything, settings, limit)
        # An intro's detail names the one introduced: "intro to [[other]] on ...".
        named = named_in(f"[[{i.other}]]" if i.reason == "intro" and i.other else i.detail for i in shown)
        answer = everything, query.unreadable(index.conn, index.names), query.named(index.conn, named), shown
        if kept is not None:
            query.keep_answer(index, key, kept)
        return answer

    def from_files() -> tuple[list[Due], list[str], Names, list[Due] | None]:
        network = repo.network()
        everything = due_items(network, day, settings, within=within, tag=tag, circle=circle, limit=0)
        return everything, unreadable(network), network.people, None

    # Everything due, then cut: the count of everything is in the summary.
    everything, missing, people, shown = repo.answer(from_index, from_files, contact=True)
    warn_unreadable(missing)
    items = shown if shown is not None else cut_due(everything, settings, limit)
    if fmt == "json":
        print_json([item.as_dict() for item in items])
        return
    if not items:
        click.echo(f"Nobody is due on or before {(day + dt.timedelta(days=shown_within)).isoformat()}.")
        return
    click.echo(format_table(most_urgent(items, None), len(everything), people))


def format_table(items: list[Due], total: int, people: Mapping[str, Any] | None = None) -> str:
    """Aligned columns: when, due date, who, why, detail. People named in a
    detail (`[[slug]]`) are written by name (`people`: slug -> anything with
    a `name`); on a terminal, what is overdue is red and what is due today
    yellow."""
    people = people or {}
    # Thousands of rows on a big network: each day's words, date and colour,
    # and each name as printed, are made once, and each line by one format call.
    when: dict[int, str] = {}
    dates: dict[dt.date, str] = {}
    shown: dict[str, str] = {}
    painted: dict[int, str] = {}
    introduced: dict[str, tuple[str, str] | None] = {}  # other -> ("[[other]]", their name)
    rows = []
    for i in items:
        days = i.days_overdue
        said = when.get(days)
        if said is None:
            said = when[days] = i.when()
        iso = dates.get(i.due)
        if iso is None:
            iso = dates[i.due] = i.due.isoformat()
        name = shown.get(i.name)
        if name is None:
            name = shown[i.name] = terminal_text(i.name)
        detail = i.detail
        if "[[" in detail:
            if i.reason == "intro" and i.other is not None and detail.count("[[") == 1:
                # "intro to [[other]] on ...": with_names' answer without its
                # parse (thousands of these on a big network).
                swap = introduced.get(i.other, False)
                if swap is False:
                    other = people.get(i.other)
                    swap = introduced[i.other] = None if other is None else (f"[[{i.other}]]", other.name)
                if swap is not None:
                    detail = detail.replace(*swap)
            else:
                from ..text import with_names

                detail = with_names(detail, people)
        elif "\\" in detail or "&" in detail:
            from ..grammar import shown_text

            detail = shown_text(detail)  # as its Markdown reads (an imported `Q&amp;A`)
        rows.append((days, said, iso, name, i.reason, detail))
    details = [row[5] for row in rows]
    joined = " ".join(details)
    if terminal_text(joined) != joined:  # one scan for all: control characters are rare
        rows = [(*row[:5], terminal_text(row[5])) for row in rows]
    widths = [max(map(len, column)) for column in list(zip(*rows))[1:5]]
    # A name's style around it, as paint() puts it (nothing under NO_COLOR).
    before, after = paint("\0", "name").split("\0")
    line = "{}  {:<%d}  %s{:<%d}%s  {:<%d}  {}" % (widths[1], before, widths[2], after, widths[3])
    lines = []
    for days, said, iso, name, reason, detail in rows:
        cell = painted.get(days)
        if cell is None:
            mood = "overdue" if days > 0 else ("today" if days == 0 else "soon")
            cell = painted[days] = paint(said.ljust(widths[0]), mood)
        lines.append(line.format(cell, iso, name, reason, detail))
    overdue = sum(1 for i in items if i.overdue)
    lines.append("")
    lines.append(f"{len(items)} due, {overdue} overdue")
    if total > len(items):
        lines[-1] += f" (the {len(items)} most urgent of {total}; --limit 0 shows all)"
    return "\n".join(lines)


_DUE_FIELDS = ("slug", "name", "reason", "due", "days_overdue", "detail", "path", "line", "circle", "key", "other")


def _due_row(item: Due) -> list:
    return [item.slug, item.name, item.reason, item.due.toordinal(), item.days_overdue, item.detail,
            item.path, item.line, item.circle, item.key, item.other]  # fmt: skip


def _due_from_json(text: str | None) -> list[Due] | None:
    """The items kept by `_due_row`, or None when there are none or they
    are not what was written (then they are worked out again)."""
    if text is None:
        return None
    from ..followups import Due

    try:
        rows = json.loads(text)
        items = []
        for row in rows:
            values = dict(zip(_DUE_FIELDS, row, strict=True))
            if not all(type(values[f]) is t or (values[f] is None and f in _OPTIONAL) for f, t in _DUE_TYPES):
                return None
            values["due"] = dt.date.fromordinal(values["due"])
            items.append(Due(**values))
        return items
    except (ValueError, TypeError, OverflowError):
        return None


_DUE_TYPES = (
    ("slug", str), ("name", str), ("reason", str), ("due", int), ("days_overdue", int), ("detail", str),
    ("path", str), ("line", int), ("circle", str), ("key", str), ("other", str),
)  # fmt: skip
_OPTIONAL = frozenset({"circle", "other"})


