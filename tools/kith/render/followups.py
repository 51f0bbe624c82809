"""Follow-ups on the site: the sections that lead the home page, the
Follow-ups page, the "Next" line on each person's card and the calendar feed.

Every list here comes from `kith.followups` with `include_private=False`
(`due_items`, `most_urgent`, `next_due`) and the feed
from `kith.ics.to_ics`, so the site says what `kith due` and
`kith export ics` say, minus private people and `## Private` items.
This module only chooses what to show and escapes it.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable

from ..dates import relative_due
from ..followups import REASON_LABELS, Due, by_due, due_items, items_for, most_urgent, most_urgent_one
from ..ics import merge_events, namer, person_events, write_ics
from ..model import Person
from .context import SiteContext
from .html import Linker, e, link, replace_mentions_html
from .pages import Asset, Page
from .people import mention_html
from .templating import Markup

PAGE_SRC = "followups.md"
FEED_PATH = "followups.ics"

PAGE_ROWS = 500
"""Most rows in one table of the Follow-ups page: at 30,000 people the list could hold
thousands of items, and a page nobody can read through is no list."""

BIRTHDAY_DAYS = 30
"""How far ahead the home page looks for birthdays."""

LATER_DAYS = 30
"""How far beyond `within` the Follow-ups page's "Later" section looks."""


# -- the lists, computed once per build -------------------------------------


def everything(ctx: SiteContext) -> list[Due]:
    """Every item of every public person, whatever its day, in calendar order.

    One call to `due_items` with the horizon at the end of the calendar; the
    home page and the Follow-ups page cut their lists from it, so the core
    walks the network once per build instead of once per list."""

    def compute() -> list[Due]:
        far = (dt.date.max - ctx.today).days
        return due_items(
            ctx.network,
            ctx.today,
            ctx.settings,
            within=far,
            include_private=False,
            limit=0,
            items_of=lambda person: items_of(ctx, person),
        )

    def patch(previous: list[Due], next_ctx: SiteContext) -> list[Due]:
        # Only `changed` people's items differ: take theirs out, put the new
        # ones in place. Keys hold the slug, so no one else's item ties with
        # theirs, and insort after equals keeps a person's own order: the
        # list a fresh computation gives.
        changed = next_ctx.changed
        kept = [i for i in previous if i.slug not in changed]
        for slug in sorted(changed):
            person = next_ctx.network.people[slug]
            if not person.private:
                for item in items_of(next_ctx, person):
                    bisect.insort(kept, item, key=by_due)
        return kept

    return ctx.shared("followups.everything", compute, refresh=patch)


def items_of(ctx: SiteContext, person: Person) -> list[Due]:
    """`items_for` one person as the site shows them, kept while their file is unchanged."""
    return ctx.for_person(
        "followups.items", person, lambda: items_for(person, ctx.today, ctx.settings, include_private=False)
    )


def horizon(ctx: SiteContext) -> dt.date:
    return ctx.today + dt.timedelta(days=ctx.settings.within)


def daily(ctx: SiteContext) -> list[Due]:
    """What `kith due --limit 0` lists (minus private people), most overdue
    first and closer circles first on ties: the order of its table."""

    def compute() -> list[Due]:
        last = horizon(ctx)
        return most_urgent((i for i in everything(ctx) if i.due <= last), None)

    return ctx.shared("followups.daily", compute)


def later(ctx: SiteContext) -> list[Due]:
    """Items due in the `LATER_DAYS` days after the daily list's horizon."""
    first = horizon(ctx)
    last = first + dt.timedelta(days=LATER_DAYS)
    return most_urgent((i for i in everything(ctx) if first < i.due <= last), None)


# -- shared bits of HTML ------------------------------------------------------


def _when(item: Due) -> str:
    cls = "kith-when kith-overdue" if item.overdue else "kith-when"
    return f'<span class="{cls}">{e(item.when())}</span>'


def _detail(item: Due, resolve) -> str:
    # A detail may name people (`intro to [[b]]`, a task's text): link the
    # public ones, hide the private ones, escape the rest.
    return replace_mentions_html(item.detail, resolve)


def _who(item: Due, linker: Linker) -> str:
    out = link(linker.person(item.slug), item.name)
    if item.circle:
        out += f' <span class="kith-circle kith-circle-{e(item.circle)}">{e(item.circle)}</span>'
    return out


def _data(item: Due) -> str:
    return (
        f'data-slug="{e(item.slug)}" data-reason="{e(item.reason)}" '
        f'data-due="{e(item.due.isoformat())}"'
    )


# -- the home page's "today" list ---------------------------------------------


TODAY_LABELS = {
    "cadence": "keep in touch",
    "task": "task",
    "met": "follow up",
    "birthday": "birthday",
    "intro": "introduction",
}


def _today_detail(item: Due, ctx: SiteContext, linker: Linker, resolve) -> str:
    if item.reason == "cadence":
        return e(item.detail.split(";")[0])
    if item.reason == "intro" and item.other and ctx.is_public(item.other):
        return "ask how the introduction to " + ctx.person_link(linker, item.other) + " went"
    return _detail(item, resolve)


def today_li(item: Due, more: int, ctx: SiteContext, linker: Linker, resolve) -> str:
    """One line of the home page: who, why, and when in words ("3 weeks overdue")."""
    iso = item.due.isoformat()
    cls = "kith-when kith-overdue" if item.overdue else "kith-when"
    extra = f' <span class="kith-also">and {more} more</span>' if more else ""
    return (
        f"<li {_data(item)}>{ctx.person_link(linker, item.slug)} "
        f'<span class="kith-reason">{e(TODAY_LABELS[item.reason])}</span> '
        f'<span class="kith-detail">{_today_detail(item, ctx, linker, resolve)}</span> '
        f'<time class="{cls}" datetime="{iso}" title="{iso}">{e(relative_due(item.due, ctx.today))}</time>'
        f"{extra}</li>"
    )


# -- the Follow-ups page ------------------------------------------------------


HEADS = ("When", "Due", "Who", "Why", "Detail")


def _row(i: Due, linker: Linker, resolve) -> str:
    # data-label: on a phone each row becomes a card, each cell a labelled line.
    iso = e(i.due.isoformat())
    return (
        f"<tr {_data(i)}>"
        f'<td data-label="When">{_when(i)}</td>'
        f'<td data-label="Due"><time datetime="{iso}">{iso}</time></td>'
        f'<td data-label="Who">{_who(i, linker)}</td>'
        f'<td data-label="Why">{e(REASON_LABELS[i.reason])}</td>'
        f'<td data-label="Detail">{_detail(i, resolve)}</td></tr>'
    )


def _kept(ctx: SiteContext, kind: str, linker: Linker, item: Due, make, resolve) -> str:
    """`make(item, linker, resolve)`, kept between builds: a Due holds all
    it shows, and the rest (names, where the page is) is structure."""
    made = ctx.shared("followups.html", dict, refresh=lambda made, next_ctx: made)
    key = (kind, linker.person_prefix, item)
    html = made.get(key)
    if html is None:
        html = made[key] = make(item, linker, resolve)
    return html


def _rows(ctx: SiteContext, items: list[Due], linker: Linker, resolve) -> Markup:
    return Markup("".join(_kept(ctx, "tr", linker, i, _row, resolve) for i in items[:PAGE_ROWS]))


def _table(title: str, id_: str, cls: str, intro: str, items: list[Due], ctx, linker, resolve) -> dict:
    return {
        "title": title,
        "id": id_,
        "cls": cls,
        "intro": Markup(intro),
        "heads": HEADS,
        "rows": _rows(ctx, items, linker, resolve),
        "rest": max(len(items) - PAGE_ROWS, 0),
    }


def _day(day: dt.date) -> str:
    iso = e(day.isoformat())
    return f'<time datetime="{iso}">{iso}</time>'


def render_page(ctx: SiteContext, linker: Linker) -> str:
    items = daily(ctx)
    last = horizon(ctx)
    resolve = mention_html(ctx, linker)
    overdue_count = sum(1 for i in items if i.overdue)
    if items:
        summary = (
            f"{len(items)} due by {_day(last)}, {overdue_count} of them overdue (today is {_day(ctx.today)}). "
            "Most overdue first; on the same day, closer circles first."
        )
    else:
        summary = f"Nobody is due by {_day(last)}."
    tables = [_table("", "due", "kith-due-now", "", items, ctx, linker, resolve)]
    tasks = [i for i in everything(ctx) if i.reason == "task"]
    if tasks:
        tables.append(
            _table(
                "Open tasks",
                "open-tasks",
                "kith-open-tasks",
                "Every open task with a date, soonest first.",
                tasks,
                ctx,
                linker,
                resolve,
            )
        )
    coming = later(ctx)
    if coming:
        end = last + dt.timedelta(days=LATER_DAYS)
        intro = f"Due after {_day(last)}, up to {_day(end)}."
        tables.append(_table("Later", "later", "kith-later", intro, coming, ctx, linker, resolve))
    return ctx.render(
        "followups.html",
        summary=Markup(summary),
        feed=linker.asset(FEED_PATH),
        tables=tables,
    )


def pages(ctx: SiteContext) -> Iterable[Page]:
    yield Page(src=PAGE_SRC, title="Follow-ups", kind="followups", before=render_page, search=False)


# -- the calendar feed --------------------------------------------------------


def _feed(ctx: SiteContext) -> bytes:
    # What `kith export ics` writes (`to_ics` with its defaults: the site's
    # view), the same bytes for one day, assembled from per-person parts
    # kept while each file is unchanged. tests/test_incremental.py compares.
    names = ctx.shared("ics.names", lambda: namer(ctx.network, include_private=False))
    parts = [
        ctx.for_person(
            "ics.events",
            person,
            lambda person=person: person_events(
                person, ctx.today, ctx.settings, names, items=items_of(ctx, person)
            ),
        )
        for person in ctx.public_people
    ]
    texts = ctx.shared("ics.texts", dict, refresh=lambda texts, next_ctx: texts)
    return write_ics(merge_events(parts), ctx.today, texts)


def assets(ctx: SiteContext) -> Iterable[Asset]:
    yield Asset(FEED_PATH, _feed)


# -- the person card ----------------------------------------------------------


def next_line(person: Person, ctx: SiteContext, linker: Linker) -> str:
    """"Next: keep in touch 2026-11-24 (in 2 days): every 2 months; ...", or nothing."""
    item = most_urgent_one(items_of(ctx, person))  # `next_due`, memoised
    if item is None:
        return ""
    resolve = mention_html(ctx, linker)
    return (
        f'<p class="kith-next" {_data(item)}><strong>Next:</strong> '
        f"{e(REASON_LABELS[item.reason])} "
        f'<time datetime="{e(item.due.isoformat())}">{e(item.due.isoformat())}</time> '
        f"({_when(item)}): {_detail(item, resolve)}</p>"
    )


