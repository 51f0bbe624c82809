"""The introductions page: every introduction made, newest first, with both
people linked; and the give/ask balance across the network.

Long histories are split into pages of PAGE_SIZE (introductions.md, then
introductions/page-2.md, ...), like every other listing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..graph import Introduction
from ..text import name_key
from .context import SiteContext
from .directory import PAGE_SIZE, chunks, numbered_srcs, pager
from .html import Linker, e, link, ul
from .pages import NO_ONE, Page
from .people import listed
from .relations import site_give_ask, site_graph, times
from .templating import Markup

FIRST = "introductions.md"
OWED_LIMIT = 50  # people listed under "asked more than you gave"


def describe(intro: Introduction, ctx: SiteContext, linker: Linker) -> str:
    """One introduction as HTML: the date, then who met whom through whom."""
    people = ctx.network.people

    def name(slug: str) -> str:
        return link(linker.person(slug), people[slug].name)

    when = f"<time>{e(intro.date.isoformat())}</time>" if intro.date else '<span class="kith-undated">undated</span>'
    if intro.b is None:
        what = f"{name(intro.by)} introduced you to {name(intro.a)}"
    else:
        what = f"You introduced {name(intro.a)} and {name(intro.b)}"
    return f"{when} {what}"


def _introductions(ctx: SiteContext) -> list[Introduction]:
    return site_graph(ctx).introductions()


def _balance(ctx: SiteContext, linker: Linker) -> str:
    totals = [(p, *site_give_ask(ctx, p)) for p in ctx.public_people]
    given = sum(g for _, g, _ in totals)
    asked = sum(a for _, _, a in totals)
    if not given and not asked:
        return ""
    summary = (
        f"<p>Across everyone you gave {e(times(given))} and asked {e(times(asked))}.</p>"
    )
    owed = sorted((t for t in totals if t[2] > t[1]), key=lambda t: (t[1] - t[2], *name_key(t[0].name, t[0].slug)))
    items = (
        listed(ctx, p, linker) + f' <span class="kith-balance">gave {e(times(g))}, asked {e(times(a))}</span>'
        for p, g, a in owed[:OWED_LIMIT]
    )
    listing = ul(items, "kith-people")
    if listing:
        listing = "<h3>Asked more than you gave</h3>" + listing
        if len(owed) > OWED_LIMIT:
            listing += f"<p>… and {len(owed) - OWED_LIMIT} more.</p>"
    return summary + listing


def _render(srcs: list[str], index: int) -> Callable[[SiteContext, Linker], str]:
    def render(ctx: SiteContext, linker: Linker) -> str:
        found = _introductions(ctx)
        return ctx.render(
            "introductions.html",
            count=len(found),
            pager=Markup(pager(linker, srcs, index)),
            rows=Markup(ul((describe(i, ctx, linker) for i in chunks(found)[index]), "kith-list kith-intros")),
            balance=Markup(_balance(ctx, linker) if index == 0 else ""),
        )

    return render


def pages(ctx: SiteContext) -> Iterable[Page]:
    count = len(chunks(_introductions(ctx), PAGE_SIZE))
    srcs = numbered_srcs(FIRST, "introductions", count)
    for i, src in enumerate(srcs):
        title = "Introductions" if i == 0 else f"Introductions (page {i + 1})"
        # The first page ends with everyone's give-and-ask balance (their
        # logs); the others list introductions, which are structure.
        yield Page(
            src,
            title,
            "introductions",
            before=_render(srcs, i),
            in_nav=i == 0,
            search=False,
            reads=None if i == 0 else NO_ONE,
        )
