"""The home page: what needs you today, then a summary of the network."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable

from ..model import CIRCLES
from . import followups
from .context import SiteContext
from .html import Linker, e, link, replace_mentions_html, section, ul
from .pages import Page
from .people import mention_html

HomeSection = Callable[[SiteContext, Linker], str]
# Sections that lead the home page (follow-ups, tasks, birthdays...), in order.
LEAD_SECTIONS: list[HomeSection] = [*followups.HOME_SECTIONS]


def circles(ctx: SiteContext, linker: Linker) -> str:
    people = ctx.public_people
    counts = {c: 0 for c in CIRCLES}
    unset = 0
    for person in people:
        if person.circle:
            counts[person.circle] += 1
        else:
            unset += 1
    rows = "".join(
        f'<tr><td><span class="kith-circle kith-circle-{e(c)}">{e(c)}</span></td><td>{n}</td></tr>'
        for c, n in counts.items()
    )
    if unset:
        rows += f"<tr><td>no circle</td><td>{unset}</td></tr>"
    table = f'<table class="kith-counts"><tbody>{rows}</tbody></table>'
    intro = (
        f'<p>{len(people)} people. '
        f'{link(linker.to("people/index.md"), "Everyone, A to Z")}.</p>'
    )
    return section("Your network", intro + table, "kith-circles")


def recent(ctx: SiteContext, linker: Linker, count: int = 10) -> str:
    def latest_of(person) -> list[tuple]:
        # Each person's own latest first: the overall latest are among them.
        entries = [
            (entry.date, person.slug, entry)
            for entry in person.log
            if not entry.private and entry.date <= ctx.today
        ]
        # What heapq.nlargest gives (a stable sort, newest first), cheaper on short logs.
        entries.sort(key=_newest, reverse=True)
        return entries[:count]

    mine = [
        found
        for person in ctx.public_people
        if (found := ctx.for_person(f"recent:{count}", person, lambda person=person: latest_of(person)))
    ]
    # The latest `count` entries are all someone's own latest; and only the
    # `count` people whose newest entries are newest can hold them (keys
    # hold the slug, so two people never tie).
    ahead = heapq.nlargest(count, mine, key=lambda found: _newest(found[0]))
    latest = heapq.nlargest(count, (entry for found in ahead for entry in found), key=_newest)
    resolve = mention_html(ctx, linker)
    items = (
        f"<time>{e(day.isoformat())}</time> "
        + link(linker.person(slug), ctx.network.people[slug].name)
        + (f' <span class="kith-kind">{e(entry.kind)}</span>' if entry.kind else "")
        + ": "
        + replace_mentions_html(entry.text, resolve)
        for day, slug, entry in latest
    )
    return section("Recent contact", ul(items, "kith-timeline"), "kith-recent")


def _newest(entry: tuple) -> tuple:
    return (entry[0], entry[1])


SUMMARY_SECTIONS: list[HomeSection] = [circles, recent]


def render_home(ctx: SiteContext, linker: Linker) -> str:
    head = f'<h1>kith</h1><p class="kith-today">Today is <time>{e(ctx.today.isoformat())}</time>.</p>'
    return head + "".join(s(ctx, linker) for s in LEAD_SECTIONS + SUMMARY_SECTIONS)


def pages(ctx: SiteContext) -> Iterable[Page]:
    yield Page(src="index.md", title="Home", kind="home", before=render_home, search=False)
