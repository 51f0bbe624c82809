"""Follow-ups on the site: the sections that lead the home page, the
Follow-ups page, the "Next" line on each person's card and the calendar feed.

Every list here comes from `kith.followups` with `include_private=False`
(`due_items`, `most_urgent`, `next_due`, `never_followed_up`) and the feed
from `kith.ics.to_ics`, so the site says what `kith due` and
`kith export ics` say, minus private people and `## Private` items.
This module only chooses what to show and escapes it.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable

from ..followups import REASON_LABELS, Due, by_due, due_items, items_for, most_urgent, most_urgent_one, never_followed_up
from ..ics import merge_events, namer, person_events, write_ics
from ..model import Person
from . import people
from .context import SiteContext
from .html import Linker, e, link, replace_mentions_html, section
from .pages import Asset, Page
from .people import mention_html

PAGE_SRC = "followups.md"
FEED_PATH = "followups.ics"

PAGE_ROWS = 500
"""Most rows in one table of the Follow-ups page (and in the home page's
daily list when `limit` is 0): at 30,000 people the list could hold
thousands of items, and a page nobody can read through is no list."""

HOME_ROWS = 20
"""Most items in each of the home page's other lists (tasks, birthdays, met)."""

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


def _item_li(item: Due, linker: Linker, resolve) -> str:
    return (
        f"<li {_data(item)}>{_who(item, linker)}: "
        f'<span class="kith-reason">{e(REASON_LABELS[item.reason])}</span>, '
        f"{_detail(item, resolve)} "
        f'(<time datetime="{e(item.due.isoformat())}">{e(item.due.isoformat())}</time>, {_when(item)})</li>'
    )


def _ul(items: Iterable[str], cls: str) -> str:
    """Like `html.ul`, for items that are whole `<li ...>` elements already
    (they carry data-slug, which `ul` has no way to add)."""
    inner = "".join(items)
    return f'<ul class="{e(cls)}">{inner}</ul>' if inner else ""


def _more(count: int, linker: Linker, here_is_page: bool = False) -> str:
    if count <= 0:
        return ""
    text = f"and {count} more"
    if here_is_page:
        return f'<p class="kith-more">{e(text)}</p>'
    return f'<p class="kith-more">{e(text)} on {link(linker.to(PAGE_SRC), "the follow-ups page")}</p>'


# -- the home page's lead sections -------------------------------------------


def _daily_split(ctx: SiteContext) -> tuple[list[Due], list[Due], list[Due]]:
    """(all, shown) cut by `limit` (0: up to PAGE_ROWS), as `kith due --limit`
    keeps the most urgent first."""
    items = daily(ctx)
    cap = ctx.settings.limit if ctx.settings.limit > 0 else PAGE_ROWS
    shown = items[:cap]
    return items, [i for i in shown if i.overdue], [i for i in shown if not i.overdue]


def _daily_section(ctx: SiteContext, linker: Linker, overdue: bool) -> str:
    items, shown_overdue, shown_soon = _daily_split(ctx)
    total = sum(1 for i in items if i.overdue == overdue)
    shown = shown_overdue if overdue else shown_soon
    if total == 0:
        return ""
    resolve = mention_html(ctx, linker)
    inner = _ul((_kept(ctx, "li", linker, i, _item_li, resolve) for i in shown), "kith-list kith-due")
    inner += _more(total - len(shown), linker)
    if overdue:
        title = "Overdue"
    elif ctx.settings.within == 7:
        title = "Due this week"
    else:
        title = f"Due in the next {ctx.settings.within} days"
    return section(title, inner, "kith-overdue-list" if overdue else "kith-due-soon")


def overdue(ctx: SiteContext, linker: Linker) -> str:
    """Overdue items, most overdue first, closer circles first on ties."""
    return _daily_section(ctx, linker, overdue=True)


def due_soon(ctx: SiteContext, linker: Linker) -> str:
    """Items due from today to `within` days ahead."""
    return _daily_section(ctx, linker, overdue=False)


def open_tasks(ctx: SiteContext, linker: Linker) -> str:
    """Every open, dated task of a public person, due soonest first."""
    tasks = [i for i in everything(ctx) if i.reason == "task"]
    if not tasks:
        return ""
    resolve = mention_html(ctx, linker)
    items = (
        f"<li {_data(i)}><time>{e(i.due.isoformat())}</time> {_who(i, linker)}: "
        f"{_detail(i, resolve)} ({_when(i)})</li>"
        for i in tasks[:HOME_ROWS]
    )
    inner = _ul(items, "kith-tasks") + _more(len(tasks) - HOME_ROWS, linker, here_is_page=True)
    return section("Open tasks", inner, "kith-open-tasks")


def birthdays(ctx: SiteContext, linker: Linker) -> str:
    last = ctx.today + dt.timedelta(days=BIRTHDAY_DAYS)
    found = [i for i in everything(ctx) if i.reason == "birthday" and i.due <= last]
    if not found:
        return ""
    items = (
        f"<li {_data(i)}><time>{e(i.due.isoformat())}</time> {_who(i, linker)}: "
        f"{e(i.detail)} ({_when(i)})</li>"
        for i in found[:HOME_ROWS]
    )
    # Every birthday in the next 30 days is also on the Follow-ups page
    # (due or "Later"), so the rest can be found there.
    inner = _ul(items, "kith-list kith-birthdays") + _more(len(found) - HOME_ROWS, linker)
    return section("Upcoming birthdays", inner, "kith-birthdays")


def met_recently(ctx: SiteContext, linker: Linker) -> str:
    """People met in the last `met_window` days with nothing logged since."""
    window = ctx.settings.met_window
    # The window first (when you met is structure, kept between rebuilds):
    # it leaves few people whose logs to look through.
    lately = ctx.shared(
        "followups.met-lately",
        lambda: [
            p.slug for p in ctx.public_people if p.met and p.met.date and (ctx.today - p.met.date).days <= window
        ],
        refresh=lambda slugs, next_ctx: slugs,
    )
    found = never_followed_up([ctx.network.people[slug] for slug in lately], ctx.today)
    if not found:
        return ""
    inner = _ul((_met_li(p, ctx, linker) for p in found[:HOME_ROWS]), "kith-list kith-met")
    inner += _more(len(found) - HOME_ROWS, linker, here_is_page=True)
    return section("Met recently, never followed up", inner, "kith-met-recently")


def _met_li(person: Person, ctx: SiteContext, linker: Linker) -> str:
    met = person.met
    assert met is not None and met.date is not None
    place = met.event or met.where
    days = (ctx.today - met.date).days
    ago = "today" if days == 0 else ("1 day ago" if days == 1 else f"{days} days ago")
    where = f" at {e(place)}" if place else ""
    return (
        f'<li data-slug="{e(person.slug)}">{link(linker.person(person.slug), person.name)}: '
        f'met{where} on <time>{e(met.date.isoformat())}</time> ({e(ago)})</li>'
    )


HOME_SECTIONS = [overdue, due_soon, open_tasks, birthdays, met_recently]
"""The home page's lead sections, in order (home.LEAD_SECTIONS)."""


# -- the Follow-ups page ------------------------------------------------------


NOWRAP = ' style="white-space: nowrap"'  # "12 days overdue" and dates read as one


def _row(i: Due, linker: Linker, resolve) -> str:
    return (
        f"<tr {_data(i)}>"
        f"<td{NOWRAP}>{_when(i)}</td>"
        f'<td{NOWRAP}><time datetime="{e(i.due.isoformat())}">{e(i.due.isoformat())}</time></td>'
        f"<td>{_who(i, linker)}</td>"
        f"<td>{e(REASON_LABELS[i.reason])}</td>"
        f"<td>{_detail(i, resolve)}</td></tr>"
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


def _table(ctx: SiteContext, items: list[Due], linker: Linker, resolve) -> str:
    rows = "".join(_kept(ctx, "tr", linker, i, _row, resolve) for i in items)
    head = "<tr><th>When</th><th>Due</th><th>Who</th><th>Why</th><th>Detail</th></tr>"
    # The class is on a wrapper: Material styles only tables without a class.
    return f'<div class="kith-followups"><table><thead>{head}</thead><tbody>{rows}</tbody></table></div>'


def _rest(count: int, within: int) -> str:
    if count <= 0:
        return ""
    return (
        f'<p class="kith-more">and {count} more: run '
        f"<code>kith due --within {within} --limit 0</code></p>"
    )


def render_page(ctx: SiteContext, linker: Linker) -> str:
    items = daily(ctx)
    last = horizon(ctx)
    resolve = mention_html(ctx, linker)
    overdue_count = sum(1 for i in items if i.overdue)
    out = ["<h1>Follow-ups</h1>"]
    if items:
        out.append(
            f'<p class="kith-summary">{len(items)} due on or before '
            f"<time>{e(last.isoformat())}</time>, {overdue_count} overdue "
            f"(today is <time>{e(ctx.today.isoformat())}</time>). "
            "Most overdue first; on the same day, closer circles first.</p>"
        )
    else:
        out.append(
            f'<p class="kith-summary">Nobody is due on or before '
            f"<time>{e(last.isoformat())}</time>.</p>"
        )
    out.append(
        f'<p class="kith-feed">{link(linker.asset(FEED_PATH), "Subscribe to the calendar feed")} '
        "(follow-ups and birthdays, for any calendar app).</p>"
    )
    if items:
        out.append(_table(ctx, items[:PAGE_ROWS], linker, resolve))
        out.append(_rest(len(items) - PAGE_ROWS, ctx.settings.within))
    coming = later(ctx)
    if coming:
        end = last + dt.timedelta(days=LATER_DAYS)
        intro = f'<p>Due after <time>{e(last.isoformat())}</time>, up to <time>{e(end.isoformat())}</time>.</p>'
        body = intro + _table(ctx, coming[:PAGE_ROWS], linker, resolve)
        body += _rest(len(coming) - PAGE_ROWS, ctx.settings.within + LATER_DAYS)
        out.append(section("Later", body, "kith-later"))
    return "".join(out)


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


# Person pages are rendered only after `pages._sources()` has imported this
# module, so registering here puts the line on every card; the check keeps a
# re-import from adding it twice.
if next_line not in people.CARD_EXTRAS:
    people.CARD_EXTRAS.append(next_line)
