"""The home page: what to do today, one line a person, then counts that
lead to the full lists (kith/home.html).

"Today" is everyone with something overdue or due today, a birthday this
week, someone met and not followed up, an introduction to ask about: each
person once, with their most urgent item (most overdue first, closer
circles first on the same day), `TODAY_ROWS` people at most. Everything
else is a count with a link to the page that lists it.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterable

from ..dates import relative_past
from ..followups import Due
from ..model import CIRCLES
from . import followups, problems
from .context import SiteContext
from .html import Linker, e, replace_mentions_html
from .pages import Page
from .people import mention_html
from .templating import Markup

TODAY_ROWS = 8
"""People on the home page's "today" list (the plugin's `limit`, when set,
instead); the rest are counted."""

RECENT_ROWS = 5
"""Log entries under "Recent contact"."""

BIRTHDAY_WEEK = 7  # days ahead a birthday counts as "this week"


SPECIAL = ("birthday", "met", "intro")
"""Reasons that lose their point when left to wait behind a long overdue
list: half of the "today" list is kept for them."""


def _urgent(item: Due, today: dt.date) -> bool:
    if item.due <= today:
        return True
    return item.reason == "birthday" and (item.due - today).days <= BIRTHDAY_WEEK


def today_items(ctx: SiteContext) -> tuple[list[tuple[Due, int]], int]:
    """[(the item to show for a person, how many other urgent items they
    have)], in the order of the daily list (most overdue first, closer
    circles first on the same day), and how many people have urgent items.

    Each person once. Up to half the list goes to people with a birthday
    this week, someone met and not followed up, or an introduction to ask
    about; the rest to the most overdue."""
    urgent: dict[str, list[Due]] = {}
    for item in followups.daily(ctx):
        if _urgent(item, ctx.today):
            urgent.setdefault(item.slug, []).append(item)
    cap = ctx.settings.limit if ctx.settings.limit > 0 else TODAY_ROWS
    special = [slug for slug, items in urgent.items() if any(i.reason in SPECIAL for i in items)]
    chosen = set(special[: (cap + 1) // 2])
    for slug in urgent:
        if len(chosen) >= cap:
            break
        chosen.add(slug)
    shown: list[Due] = []
    for slug in chosen:
        items = urgent[slug]
        # Chosen for a birthday, a meeting or an introduction: that is the line.
        pick = next((i for i in items if i.reason in SPECIAL), items[0]) if slug in special else items[0]
        shown.append(pick)
    order = {item: n for n, item in enumerate(followups.daily(ctx))}
    shown.sort(key=order.__getitem__)
    return [(item, len(urgent[item.slug]) - 1) for item in shown], len(urgent)


def _count(label: str, count: int, href: str, cls: str) -> dict:
    return {"label": label, "count": count, "href": href, "cls": cls}


def counts(ctx: SiteContext, linker: Linker) -> list[dict]:
    """The tiles under the list: each a number that links to its full list."""
    items = followups.daily(ctx)
    page = linker.to(followups.PAGE_SRC)
    overdue = sum(1 for i in items if i.overdue)
    soon = len(items) - overdue
    tasks = sum(1 for i in followups.everything(ctx) if i.reason == "task")
    last = ctx.today + dt.timedelta(days=followups.BIRTHDAY_DAYS)
    birthdays = sum(1 for i in followups.everything(ctx) if i.reason == "birthday" and i.due <= last)
    within = "this week" if ctx.settings.within == 7 else f"in {ctx.settings.within} days"
    people = len(ctx.public_people)
    return [
        _count("overdue", overdue, page, "kith-count-overdue"),
        _count(f"due {within}", soon, page + "#due-soon", "kith-count-soon"),
        _count("open tasks", tasks, page + "#open-tasks", "kith-count-tasks"),
        _count("birthdays this month", birthdays, page + "#later", "kith-count-birthdays"),
        _count("people" if people != 1 else "person", people, linker.to("people/index.md"), "kith-count-people"),
    ]


def circles_line(ctx: SiteContext) -> str:
    """"3 inner · 8 close · 12 friend · 14 acquaintance": the network by circle."""
    found = {c: 0 for c in CIRCLES}
    for person in ctx.public_people:
        if person.circle:
            found[person.circle] += 1
    return " · ".join(f"{n} {c}" for c, n in found.items() if n)


def recent(ctx: SiteContext, linker: Linker, count: int = RECENT_ROWS) -> list[str]:
    """The newest log entries, one person each, as list items."""

    def latest_of(person) -> list[tuple]:
        entries = [
            (entry.date, person.slug, entry) for entry in person.log if not entry.private and entry.date <= ctx.today
        ]
        entries.sort(key=_newest, reverse=True)
        return entries[:1]

    mine = [
        found
        for person in ctx.public_people
        if (found := ctx.for_person("recent:1", person, lambda person=person: latest_of(person)))
    ]
    latest = heapq.nlargest(count, (found[0] for found in mine), key=_newest)
    resolve = mention_html(ctx, linker)
    return [
        f'<li data-slug="{e(slug)}"><time datetime="{day.isoformat()}" title="{day.isoformat()}">'
        f"{e(relative_past(day, ctx.today))}</time> "
        + ctx.person_link(linker, slug)
        + (f' <span class="kith-kind">{e(entry.kind)}</span>' if entry.kind else "")
        + ": "
        + replace_mentions_html(entry.text, resolve)
        + "</li>"
        for day, slug, entry in latest
    ]


def _newest(entry: tuple) -> tuple:
    return (entry[0], entry[1])


def render_home(ctx: SiteContext, linker: Linker) -> str:
    shown, total = today_items(ctx)
    resolve = mention_html(ctx, linker)
    return ctx.render(
        "home.html",
        date=ctx.today.isoformat(),
        date_words=f"{ctx.today:%A} {ctx.today.day} {ctx.today:%B %Y}",
        unread=problems.unread_links(ctx, linker),
        today=[Markup(followups.today_li(item, more, ctx, linker, resolve)) for item, more in shown],
        more=total - len(shown),
        followups=linker.to(followups.PAGE_SRC),
        counts=counts(ctx, linker),
        circles=circles_line(ctx),
        recent=[Markup(item) for item in recent(ctx, linker)],
    )


def pages(ctx: SiteContext) -> Iterable[Page]:
    yield Page(src="index.md", title="Today", kind="home", before=render_home, search=False)

