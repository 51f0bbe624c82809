"""Organisations, events, places met and tags: an index page each, and one
page per organisation, event, place or tag listing its people.

Only public people are grouped, so an organisation whose members are all
private has no page at all. No page grows without bound (30,000 people is
a supported size): an index or an item page longer than PAGE_SIZE entries is
split into numbered pages with previous/next links.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

from ..followups import never_followed_up
from ..model import Person
from ..orgs import org_key
from ..text import group_key, name_key, slugify, sort_key, unique_slug
from .context import SiteContext
from .html import Linker, e, link, ul
from .pages import NO_ONE, Page
from .templating import Markup
from .people import listed

T = TypeVar("T")

PAGE_SIZE = 200  # entries on one listing page; more go to page-2, page-3, ...


# -- pagination (also used by the introductions page) -------------------------


def chunks(items: Sequence[T], size: int = PAGE_SIZE) -> list[Sequence[T]]:
    """`items` cut into pages of `size`; always at least one (maybe empty) page."""
    return [items[i : i + size] for i in range(0, len(items), size)] or [items[:0]]


def numbered_srcs(first: str, folder: str, count: int) -> list[str]:
    """The sources of `count` pages: `first`, then `folder/page-2.md`, ..."""
    return [first] + [f"{folder}/page-{n}.md" for n in range(2, count + 1)]


def pager(linker: Linker, srcs: Sequence[str], index: int) -> str:
    """Previous / page N of M / next links; "" when there is a single page."""
    if len(srcs) < 2:
        return ""
    bits = []
    if index > 0:
        bits.append(link(linker.to(srcs[0]), "« First", "kith-first"))
        bits.append(f'<a href="{e(linker.to(srcs[index - 1]))}" rel="prev">‹ Previous</a>')
    bits.append(f'<span class="kith-page-of">page {index + 1} of {len(srcs)}</span>')
    if index + 1 < len(srcs):
        bits.append(f'<a href="{e(linker.to(srcs[index + 1]))}" rel="next">Next ›</a>')
        bits.append(link(linker.to(srcs[-1]), "Last »", "kith-last-page"))
    return f'<nav class="kith-pager">{" · ".join(bits)}</nav>'


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


# -- grouping ------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """One family of pages: where they live and what groups people."""

    folder: str  # "organisations": pages live in organisations/
    title: str  # "Organisations"
    singular: str  # "organisation": also the slug of a name with no Latin letters
    values: Callable[[Person], Iterable[str]]  # the names a person is grouped under
    intro: str  # one line under the index page's title
    key: Callable[[str], str] = lambda name: group_key(name)  # names with one key are one group


def _company(person: Person) -> Iterable[str]:
    return [person.company] if person.company else []


def _event(person: Person) -> Iterable[str]:
    return [person.met.event] if person.met and person.met.event else []


def _where(person: Person) -> Iterable[str]:
    return [person.met.where] if person.met and person.met.where else []


def _tags(person: Person) -> Iterable[str]:
    return person.tags


ORGANISATIONS = Kind(
    "organisations",
    "Organisations",
    "organisation",
    _company,
    "Where people work.",
    key=org_key,  # "Stripe", "Stripe, Inc." and "STRIPE INC" are one organisation
)
EVENTS = Kind("events", "Events", "event", _event, "The events where you met people, newest first.")
PLACES = Kind("places", "Places met", "place", _where, "The places where you met people.")
TAGS = Kind("tags", "Tags", "tag", _tags, "Communities and groups.")
KINDS: tuple[Kind, ...] = (ORGANISATIONS, EVENTS, PLACES, TAGS)


@dataclass(frozen=True)
class Group:
    """The people under one name: an organisation, an event, a place or a tag.

    Structure only (slugs, not Person objects), so a group stands while
    people's own data changes; pages look the people up when they render."""

    name: str  # the spelling most of its people use
    slug: str  # unique within its kind
    slugs: tuple[str, ...]  # its people, by name, then slug
    latest_met: dt.date | None = None  # the last day you met one of them

    @cached_property
    def members(self) -> frozenset[str]:
        return frozenset(self.slugs)

    def people(self, ctx: SiteContext) -> list[Person]:
        found = ctx.network.people
        return [found[slug] for slug in self.slugs]


# `group_key` (kith.text): "PyCon  US", "pycon us" and "PyCön US" are one
# event (place, tag): case, accents and spacing ignored. Organisations also
# ignore legal forms (`org_key`).


def _by_name(person: Person) -> tuple:
    return name_key(person.name, person.slug)


def build_groups(people: Iterable[Person], kind: Kind) -> list[Group]:
    """Every group of `kind` among `people`, in index order (events newest
    first, the others by name). Slugs via `slugify`; when two names share one,
    the later (by name) gets `-2`, and so on. Index continuation pages are
    named `page-N`, so no group may take such a slug."""
    members: dict[str, list[Person]] = {}
    spellings: dict[str, Counter[str]] = {}
    for person in people:
        seen: set[str] = set()
        for value in kind.values(person):
            value = " ".join(str(value).split())
            key = kind.key(value)
            if not key or key in seen:
                continue
            seen.add(key)
            members.setdefault(key, []).append(person)
            spellings.setdefault(key, Counter())[value] += 1
    named = []
    for key, found in members.items():
        # The most used spelling; on a tie, the first in sort order, so builds agree.
        name = min(spellings[key].items(), key=lambda item: (-item[1], item[0]))[0]
        named.append((key, name, tuple(sorted(found, key=_by_name))))
    named.sort(key=lambda item: (sort_key(item[1]), item[0], item[1]))
    pages = len(chunks(named))
    taken: set[str] = {"index"} | {f"page-{n}" for n in range(2, pages + 1)}
    groups = []
    for _key, name, found in named:
        slug = unique_slug(slugify(name) or kind.singular, taken)
        taken.add(slug)
        met = max((p.met.date for p in found if p.met and p.met.date), default=None)
        groups.append(Group(name, slug, tuple(p.slug for p in found), met))
    if kind is EVENTS:
        groups.sort(key=lambda g: (-(g.latest_met.toordinal() if g.latest_met else 0), kind.key(g.name)))
    return groups


def groups(ctx: SiteContext, kind: Kind) -> list[Group]:
    """`build_groups` over the public people, once per build."""
    return ctx.shared(
        f"directory:{kind.folder}",
        lambda: build_groups(ctx.public_people, kind),
        refresh=lambda found, next_ctx: found,  # membership and order are structure
    )


def _lookup(ctx: SiteContext, kind: Kind) -> dict[str, Group]:
    return ctx.shared(
        f"directory-lookup:{kind.folder}", lambda: {kind.key(g.name): g for g in groups(ctx, kind)}
    )


def item_src(kind: Kind, group: Group) -> str:
    return f"{kind.folder}/{group.slug}.md"


def index_src(kind: Kind) -> str:
    return f"{kind.folder}/index.md"


def link_to(ctx: SiteContext, linker: Linker, kind: Kind, name: str, cls: str | None = None) -> str:
    """`name` linked to its page of `kind` (escaped text when it has none)."""
    group = _lookup(ctx, kind).get(kind.key(name))
    if group is None:
        return f'<span class="{e(cls)}">{e(name)}</span>' if cls else e(name)
    return link(linker.to(item_src(kind, group)), name, cls)


# -- pages ---------------------------------------------------------------------


def _index_row(kind: Kind, group: Group, linker: Linker) -> str:
    row = link(linker.to(item_src(kind, group)), group.name)
    row += f' <span class="kith-count">{e(plural(len(group.slugs), "person", "people"))}</span>'
    if kind is EVENTS and group.latest_met:
        row += f" <time>{e(group.latest_met.isoformat())}</time>"
    return row


def _index_render(kind: Kind, srcs: list[str], index: int) -> Callable[[SiteContext, Linker], str]:
    def render(ctx: SiteContext, linker: Linker) -> str:
        found = groups(ctx, kind)
        shown = chunks(found)[index]
        people = len({slug for g in found for slug in g.slugs})
        summary = f"{plural(len(found), kind.singular)}, {plural(people, 'person', 'people')}. {kind.intro}"
        return ctx.render(
            "directory.html",
            title=kind.title,
            summary=summary,
            pager=Markup(pager(linker, srcs, index)),
            rows=Markup(ul((_index_row(kind, g, linker) for g in shown), "kith-list kith-directory")),
        )

    return render


def _item_render(
    kind: Kind, group: Group, srcs: list[str], index: int
) -> Callable[[SiteContext, Linker], str]:
    def render(ctx: SiteContext, linker: Linker) -> str:
        members = group.people(ctx)
        lonely = {p.slug for p in never_followed_up(members, ctx.today)} if kind is EVENTS else set()
        first_lonely = [p for p in members if p.slug in lonely][:PAGE_SIZE] if index == 0 else []
        rows = ul(
            (
                listed(ctx, p, linker)
                + (' <span class="kith-badge kith-not-followed">never followed up</span>' if p.slug in lonely else "")
                for p in chunks(members)[index]
            ),
            "kith-people",
        )
        return ctx.render(
            "group.html",
            name=group.name,
            kind=kind.singular.capitalize(),
            kinds=kind.title.lower(),
            count=len(members),
            index=linker.to(index_src(kind)),
            lonely=Markup(ul((listed(ctx, p, linker) for p in first_lonely), "kith-people")),
            lonely_more=len(lonely) - len(first_lonely) if first_lonely else 0,
            pager=Markup(pager(linker, srcs, index)),
            rows=Markup(rows),
        )

    return render


def _title_only(title: str, what: str) -> Callable[[SiteContext, Linker], str]:
    """What search indexes for a listing page: its title and what it is,
    not its members (they lead to their own pages)."""
    return lambda ctx, linker: f"<h1>{e(title)}</h1><p>{e(what)}</p>"


def kind_pages(ctx: SiteContext, kind: Kind) -> Iterable[Page]:
    found = groups(ctx, kind)
    srcs = numbered_srcs(index_src(kind), kind.folder, len(chunks(found)))
    for i, src in enumerate(srcs):
        title = kind.title if i == 0 else f"{kind.title} (page {i + 1})"
        # Only the first index page goes in the navigation; the rest are reached from it.
        # Group names and counts only: structure, nobody's own data.
        yield Page(
            src,
            title,
            "index",
            before=_index_render(kind, srcs, i),
            search_text=_title_only(kind.title, kind.intro) if i == 0 else None,
            in_nav=i == 0,
            search=i == 0,
            reads=NO_ONE,
        )
    for group in found:
        first = item_src(kind, group)
        item_srcs = numbered_srcs(first, first[: -len(".md")], len(chunks(group.slugs)))
        # Every page of a group reads every member: the first page's "never
        # followed up" list looks at the logs of the whole group.
        members = group.members
        for i, src in enumerate(item_srcs):
            title = group.name if i == 0 else f"{group.name} (page {i + 1})"
            # Found by search by its name (the first page only), never by its people.
            yield Page(
                src,
                title,
                kind.singular,
                before=_item_render(kind, group, item_srcs, i),
                search_text=_title_only(group.name, f"{kind.singular.capitalize()}, {plural(len(group.slugs), 'person', 'people')}") if i == 0 else None,
                in_nav=False,
                search=i == 0,
                reads=members,
            )


def pages(ctx: SiteContext) -> Iterable[Page]:
    for kind in KINDS:
        yield from kind_pages(ctx, kind)
