"""The relationship sections of a person page: relationships both ways,
who mentions them, introductions, the give/ask balance, their neighbourhood
and whom they could be introduced to.

The graph and the suggestions are computed once per build (`ctx.shared`)
and every page only reads its own slice, so 5,000 pages stay linear. Every
list is capped (LIST_LIMIT) so no page grows without bound.
"""

from __future__ import annotations


# The cost the core's shortest paths and neighbourhoods rank links by: one
# source of truth, so this page and `kith` order neighbours alike.
from ..graph import Graph, build, give_ask
from ..model import Person
from ..suggest import Suggestion, suggestions_by_person
from .context import SiteContext
from .html import Linker, e, replace_mentions_html, ul
from .people import mention_html

LIST_LIMIT = 100  # most entries any one list shows; the rest are counted
SUGGESTION_LIMIT = 8  # suggestions per person page
NEIGHBOURHOOD_DEPTH = 2
NEIGHBOURHOOD_MAX = 30  # people shown around someone, them included

# How a type reads as a label on the page ("Mentor: Mary Somerville").
# Seen from Charles, `introduced: ada` means Charles introduced you to Ada.
TYPE_LABELS = {
    "introduced-by": "Introduced by",
    "introduced": "Introduced you to",
}


def site_graph(ctx: SiteContext) -> Graph:
    """The graph of the site: without private people or private sections."""
    return ctx.shared(
        "graph",
        lambda: build(ctx.network, include_private=False),
        lambda graph, next_ctx: graph.with_people_of(next_ctx.network),
    )


def site_suggestions(ctx: SiteContext) -> dict[str, list[Suggestion]]:
    # Suggestions hold slugs and reasons drawn from structure only.
    return ctx.shared(
        "suggestions_by_person",
        lambda: suggestions_by_person(site_graph(ctx), limit=SUGGESTION_LIMIT),
        lambda found, next_ctx: found,
    )


def site_give_ask(ctx: SiteContext, person: Person) -> tuple[int, int]:
    """`give_ask` without private entries, kept while the person's file is unchanged."""
    return ctx.for_person("give_ask", person, lambda: give_ask(person, ctx.settings, include_private=False))


def type_label(rel_type: str) -> str:
    if rel_type in TYPE_LABELS:
        return TYPE_LABELS[rel_type]
    words = rel_type.replace("-", " ")
    return words[:1].upper() + words[1:]


def _name_link(ctx: SiteContext, linker: Linker, slug: str) -> str:
    return ctx.person_link(linker, slug)


def _more(total: int, shown: int) -> str:
    return f'<p class="kith-more">… and {total - shown} more.</p>' if total > shown else ""


def relationships(person: Person, ctx: SiteContext, linker: Linker) -> str:
    """Grouped by type, both directions: a `mentor` written in Ada's file
    shows Mary as Ada's mentor here and Ada as Mary's mentee on Mary's page."""
    grouped = site_graph(ctx).relations_of(person.slug)
    rows = []
    for rel_type, related in grouped.items():
        shown = related[:LIST_LIMIT]
        names = ", ".join(_name_link(ctx, linker, r.other) for r in shown)
        extra = f", and {len(related) - len(shown)} more" if len(related) > len(shown) else ""
        rows.append(f"<dt>{e(type_label(rel_type))}</dt><dd>{names}{extra}</dd>")
    return f'<dl class="kith-facts kith-relations">{"".join(rows)}</dl>' if rows else ""


def _strip_marker(line: str) -> str:
    """The mentioning line without its list marker: `- 2026-11-02 coffee: ...`."""
    text = line.strip()
    for marker in ("- [ ] ", "- [x] ", "- [X] ", "- ", "* ", "+ "):
        if text.startswith(marker):
            return text[len(marker) :]
    return text


def mentioned_by(person: Person, ctx: SiteContext, linker: Linker) -> str:
    """Backlinks: who mentions this person, with the line that does."""
    backlinks = site_graph(ctx).mentioned_by(person.slug)
    resolve = mention_html(ctx, linker)
    shown = backlinks[:LIST_LIMIT]
    items = (
        _name_link(ctx, linker, b.source)
        + ': <span class="kith-context">'
        + replace_mentions_html(_strip_marker(b.context), resolve)
        + "</span>"
        for b in shown
    )
    listing = ul(items, "kith-list kith-backlinks")
    return listing + _more(len(backlinks), len(shown)) if listing else ""


def _date(intro) -> str:
    return f"<time>{e(intro.date.isoformat())}</time>" if intro.date else "undated"


def introductions(person: Person, ctx: SiteContext, linker: Linker) -> str:
    """Who introduced you to them, whom they introduced you to, and whom you
    introduced them to; newest first."""
    slug = person.slug
    found = site_graph(ctx).introductions_of(slug)
    items = []
    for intro in found[:LIST_LIMIT]:
        if intro.b is None:  # `by` introduced you to `a` (met.via)
            if slug == intro.a:
                text = f"{_name_link(ctx, linker, intro.by)} introduced you to them"
            else:
                text = f"Introduced you to {_name_link(ctx, linker, intro.a)}"
        else:  # you introduced `a` and `b`
            other = intro.b if slug == intro.a else intro.a
            text = f"You introduced them to {_name_link(ctx, linker, other)}"
        items.append(f"{_date(intro)} {text}")
    listing = ul(items, "kith-list kith-intros")
    return listing + _more(len(found), min(len(found), LIST_LIMIT)) if listing else ""


def times(count: int) -> str:
    return f"{count} time" if count == 1 else f"{count} times"


def give_and_ask(person: Person, ctx: SiteContext, linker: Linker) -> str:
    """The balance of log kinds configured as giving and asking."""
    given, asked = site_give_ask(ctx, person)
    if not given and not asked:
        return ""
    text = f"You gave {times(given)}, asked {times(asked)}."
    if asked > given:
        text += " Time to give something back."
    return f'<p class="kith-balance" data-given="{given}" data-asked="{asked}">{e(text)}</p>'


def _hood(ctx: SiteContext, center: str) -> tuple[list[str], dict[str, list[str]]]:
    """(people one step away, nearest first; {one-step person: the people two
    steps away first reached through them}), NEIGHBOURHOOD_MAX people at most
    with `center`: the breadth-first walk of `Graph.neighbourhood`."""
    graph = site_graph(ctx)
    chosen = {center}
    direct: list[str] = []
    for other in graph.nearest(center, NEIGHBOURHOOD_MAX):
        if len(chosen) >= NEIGHBOURHOOD_MAX:
            break
        chosen.add(other)
        direct.append(other)
    through: dict[str, list[str]] = {}
    for via in direct:
        for other in graph.nearest(via, NEIGHBOURHOOD_MAX):
            if len(chosen) >= NEIGHBOURHOOD_MAX:
                return direct, through
            if other not in chosen:
                chosen.add(other)
                through.setdefault(via, []).append(other)
    return direct, through


def neighbourhood(person: Person, ctx: SiteContext, linker: Linker) -> str:
    """Who is one and two steps away, as a compact list: the people they know
    directly, then each further person under whom they are reached through."""
    graph = site_graph(ctx)
    center = person.slug
    direct, through = _hood(ctx, center)
    if not direct:
        return ""

    def entry(slug: str, kind: str = "") -> str:
        label = f' <span class="kith-kind">{e(kind)}</span>' if kind else ""
        return _name_link(ctx, linker, slug) + label

    rows = [f"<dt>Knows directly</dt><dd>{', '.join(entry(s, graph.edge_type(center, s)) for s in direct)}</dd>"]
    for via, others in through.items():
        rows.append(
            f"<dt>Through {e(ctx.network.people[via].name)}</dt><dd>{', '.join(entry(s) for s in others)}</dd>"
        )
    count = len(direct) + sum(len(others) for others in through.values())
    summary = (
        f'<p class="kith-summary">{count} {"person" if count == 1 else "people"} within two steps'
        + (" (the nearest shown)" if count + 1 >= NEIGHBOURHOOD_MAX else "")
        + f' · <a href="{e(linker.to("network.md"))}#{e(center)}">see on the network map</a></p>'
    )
    return summary + f'<dl class="kith-facts kith-hood">{"".join(rows)}</dl>'


def could_introduce(person: Person, ctx: SiteContext, linker: Linker) -> str:
    """People not yet connected to this one whom they should meet, with why."""
    found = site_suggestions(ctx).get(person.slug, [])
    items = (
        _name_link(ctx, linker, s.other(person.slug))
        + ': <span class="kith-reason">'
        + e("; ".join(s.reasons))
        + "</span>"
        for s in found
    )
    return ul(items, "kith-list kith-suggestions")

