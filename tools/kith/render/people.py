"""What a person's page and the People index are made of: the card's facts,
links for `[[mentions]]`, what search reads, the row that lists a person
anywhere, and the A to Z. The person page itself is put together in
person.py."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

from .. import grammar, phones
from ..dates import birthday_text
from ..model import CIRCLES, Person
from .context import SiteContext
from .html import Linker, e, link, md_text, replace_mentions_html, ul
from .linebreaks import keep_line_breaks
from .pages import Page
from ..text import initial, name_key
from .templating import Markup

PRIVATE_MENTION = '<span class="kith-private" title="a private contact">(private)</span>'

def mention_html(ctx: SiteContext, linker: Linker):
    """A resolver for `replace_mentions_html`: link public people, hide private ones."""

    def resolve(slug: str, label: str | None) -> str:
        person = ctx.network.people.get(slug)
        if person is None:
            return e(f"[[{slug}]]")
        if person.private:
            return PRIVATE_MENTION
        return ctx.person_link(linker, slug, label, "kith-mention")

    return resolve


def notes_markdown(person: Person, ctx: SiteContext, href: Callable[[str], str] | None = None) -> str:
    """The person's notes as Markdown, `[[slug]]` turned into page links.

    The links are relative `.md` links so MkDocs checks and rewrites them
    like any other; a private person is named nowhere. Line breaks are kept
    where the notes are not wrapped prose (see linebreaks.py)."""
    if "[[" not in person.notes:
        return _not_meta(keep_line_breaks(person.notes))
    lines = person.notes.split("\n")
    code = grammar.code_lines(lines)
    return _not_meta(
        keep_line_breaks(
            "\n".join(
                line if code[i] or "[[" not in line else _link_mentions(line, ctx, href)
                for i, line in enumerate(lines)
            )
        )
    )


# What MkDocs takes for a page's own meta-data at the very start of its
# source: `key: value` lines (MultiMarkdown) or a `---` block (YAML).
_META_START = re.compile(r"^(?:-{3}[ \t]*\n|[ ]{0,3}[A-Za-z0-9_-]+:)")


def _not_meta(markdown: str) -> str:
    """Notes that start like meta-data ("Kids: Tom, Anna") start with a blank
    line, so MkDocs shows that line instead of taking it for the page's meta."""
    return "\n" + markdown if _META_START.match(markdown) else markdown


def _link_mentions(line: str, ctx: SiteContext, href: Callable[[str], str] | None = None) -> str:
    out: list[str] = []
    pos = 0
    for match in grammar.mention_matches(line):
        slug = match.group(1).strip()
        label = (match.group(2) or "").strip()
        person = ctx.network.people.get(slug)
        if person is None:
            continue
        out.append(line[pos : match.start()])
        target = href(slug) if href else f"{slug}.md"
        out.append(PRIVATE_MENTION if person.private else f"[{md_text(label or person.name)}]({target})")
        pos = match.end()
    out.append(line[pos:])
    return "".join(out)


def facts(person: Person, ctx: SiteContext, linker: Linker) -> list[tuple[str, str]]:
    """The card's key facts as (label, HTML), in the order the card shows them."""
    # Imported here: directory lists people with person_row from this module.
    from . import directory

    def to_page(kind: directory.Kind, name: str, cls: str | None = None) -> str:
        return directory.link_to(ctx, linker, kind, name, cls)

    rows: list[tuple[str, str]] = []
    if person.aka:
        rows.append(("Also known as", e(", ".join(person.aka))))
    title = e(person.title) if person.title else ""
    company = to_page(directory.ORGANISATIONS, person.company) if person.company else ""
    role = " at ".join(x for x in (title, company) if x)
    if role:
        rows.append(("Role", role))
    if person.location:
        rows.append(("Location", e(person.location)))
    if person.circle:
        rows.append(("Circle", f'<span class="kith-circle kith-circle-{e(person.circle)}">{e(person.circle)}</span>'))
    if person.cadence:
        rows.append(("Keep in touch", e(person.cadence.describe())))
    last = person.last_contact
    if last:
        rows.append(("Last contact", f"<time>{e(last.isoformat())}</time>"))
    if person.snooze:
        rows.append(("Snoozed until", f"<time>{e(person.snooze.isoformat())}</time>"))
    if person.emails:
        rows.append(
            ("Email", ", ".join(f'<a href="mailto:{e(x)}">{e(x)}</a>' for x in person.emails))
        )
    if person.phones:
        region = ctx.settings.default_region
        rows.append(
            (
                "Phone",
                ", ".join(
                    f'<a href="tel:{e(phones.dial(x, region))}">{e(phones.shown(x, region))}</a>'
                    for x in person.phones
                ),
            )
        )
    if person.links:
        rows.append(
            (
                "Links",
                ", ".join(
                    link(url, label) if _safe_url(url) else e(f"{label}: {url}")
                    for label, url in person.links.items()
                ),
            )
        )
    if person.birthday:
        # HTML's yearless date is MM-DD.
        when = person.birthday.iso().removeprefix("--")
        rows.append(("Birthday", f'<time datetime="{e(when)}">{e(birthday_text(person.birthday))}</time>'))
    met = person.met
    if met:
        parts = []
        if met.date:
            parts.append(f"<time>{e(met.date.isoformat())}</time>")
        if met.event:
            parts.append(to_page(directory.EVENTS, met.event))
        if met.where:
            parts.append(to_page(directory.PLACES, met.where))
        if met.via and ctx.is_public(met.via):
            parts.append("via " + link(linker.person(met.via), ctx.network.people[met.via].name))
        if parts:
            rows.append(("Met", ", ".join(parts)))
    if person.tags:
        rows.append(("Tags", "".join(to_page(directory.TAGS, t, "kith-chip") for t in person.tags)))
    for label, values in (
        ("Interests", person.interests),
        ("Offers", person.offers),
        ("Needs", person.needs),
    ):
        if values:
            chips = "".join(f'<span class="kith-chip">{e(v)}</span>' for v in values)
            rows.append((label, chips))
    return rows


def _safe_url(url: str) -> bool:
    return url.lower().startswith(("https://", "http://", "mailto:"))


def search_text(person: Person, ctx: SiteContext, linker: Linker) -> str:
    """What a search should find a person by, as plain paragraphs: the words
    of the card (other names, role, organisation, location, tags, interests,
    offers, needs, where you met, email and phone) and of the timeline (log
    entries and tasks, people named in them by name). Private entries are
    left out, as on the page."""

    def name_of(slug: str, label: str | None) -> str:
        person = ctx.network.people.get(slug)
        if person is None:
            return e(f"[[{slug}]]")
        return "(private)" if person.private else e(label or person.name)

    met = person.met
    facts = [
        *person.aka,
        *(x for x in (person.title, person.company, person.location) if x),
        *person.tags,
        *person.interests,
        *person.offers,
        *person.needs,
        *((x for x in (met.event, met.where) if x) if met else ()),
        *person.emails,
        *person.phones,
        # Found by the international form shown on the card too.
        *(shown for x in person.phones if (shown := phones.shown(x, ctx.settings.default_region)) != x),
    ]
    paragraphs = [" · ".join(e(x) for x in facts)] if facts else []
    for entry in person.log:
        if not entry.private:
            kind = f" {e(entry.kind)}" if entry.kind else ""
            paragraphs.append(f"{entry.date.isoformat()}{kind}: " + replace_mentions_html(entry.text, name_of))
    for task in person.tasks:
        if not task.private:
            paragraphs.append(replace_mentions_html(task.text, name_of))
    # The name as the heading, as on the card: search titles the entry with
    # it, and a person with nothing else written is still found by name.
    return f"<h1>{e(person.name)}</h1>" + "".join(f"<p>{x}</p>" for x in paragraphs)


LETTERS = "people/letters"
"""Where a big network's A to Z goes, one page (or more) per letter."""


def _split(ctx: SiteContext) -> bool:
    """Up to one listing page of people, everyone is on the index; beyond,
    each letter has pages of its own, so no page grows with the network."""
    from . import directory

    return len(ctx.public_people) > directory.PAGE_SIZE


def letter_src(key: str) -> str:
    return f"{LETTERS}/{'other' if key == '#' else key.lower()}.md"


def people_index(ctx: SiteContext, linker: Linker) -> str:
    # Names, circles and who is public are structure: the letters, their
    # people and the counts stand while only people's own data changes, and
    # a letter's list is rendered again only when one of its people changed.
    from . import problems

    letters = letters_of(ctx)
    circles = ctx.shared(
        "people.circles", lambda: Counter(p.circle for p in ctx.public_people), refresh=lambda c, next_ctx: c
    )
    split = _split(ctx)
    lists = ctx.shared(
        "people.letter-html",
        dict,
        refresh=lambda lists, next_ctx: {
            key: html
            for key, html in lists.items()
            if next_ctx.changed.isdisjoint(letters_of(next_ctx).get(key[1], ()))
        },
    )
    shown = []
    for key, slugs in letters.items():
        rows = ""
        if not split:
            slot = (linker.here, key)
            rows = lists.get(slot)
            if rows is None:
                rows = lists[slot] = _rows(ctx, slugs, linker)
        shown.append({"key": key, "href": linker.to(letter_src(key)), "count": len(slugs), "rows": Markup(rows)})
    return ctx.render(
        "people.html",
        total=len(ctx.public_people),
        circles=" · ".join(f"{circles[c]} {c}" for c in CIRCLES if circles[c]),
        unread=problems.unread_links(ctx, linker),
        split=split,
        letters=shown,
    )


def _rows(ctx: SiteContext, slugs: Iterable[str], linker: Linker) -> str:
    """The people listed under a letter; a file with an error, marked."""
    people = ctx.network.people
    return ul(
        (listed(ctx, people[slug], linker) if slug in people else _broken_row(ctx, slug, linker) for slug in slugs),
        "kith-people",
    )


def _broken_row(ctx: SiteContext, slug: str, linker: Linker) -> str:
    from . import problems

    item = problems.named(ctx)[slug]
    return link(linker.person(slug), item.name or slug) + ERROR_MARK


ERROR_MARK = ' <span class="kith-badge kith-error" title="kith could not read all of this file">file has an error</span>'


def _letter_render(key: str, srcs: list[str], index: int) -> Callable[[SiteContext, Linker], str]:
    def render(ctx: SiteContext, linker: Linker) -> str:
        from . import directory

        slugs = letters_of(ctx)[key]
        pager = directory.pager(linker, srcs, index)
        shown = directory.chunks(slugs, directory.PAGE_SIZE)[index]
        return ctx.render(
            "letter.html",
            key=key,
            count=len(slugs),
            everyone=linker.to("people/index.md"),
            pager=Markup(pager),
            rows=Markup(_rows(ctx, shown, linker)),
        )

    return render


def letter_pages(ctx: SiteContext) -> Iterable[Page]:
    from . import directory

    for key, slugs in letters_of(ctx).items():
        first = letter_src(key)
        srcs = directory.numbered_srcs(first, first[: -len(".md")], len(directory.chunks(slugs, directory.PAGE_SIZE)))
        members = frozenset(slugs)
        for i, src in enumerate(srcs):
            title = f"People: {key}" if i == 0 else f"People: {key} (page {i + 1})"
            yield Page(src, title, "index", before=_letter_render(key, srcs, i), in_nav=False, search=False, reads=members)


def _by_letter(ctx: SiteContext) -> dict[str, list[str]]:
    """Letter -> the public people under it (slugs), by name."""
    from . import problems

    letters: dict[str, list[str]] = {}
    # Files with an error whose name could be read stay listed, marked.
    unread = [(item.name, slug) for slug, item in problems.named(ctx).items()]
    everyone = [(p.name, p.slug) for p in ctx.public_people] + unread
    for name, slug in sorted(everyone, key=lambda item: name_key(*item)):
        letters.setdefault(initial(name), []).append(slug)
    # A to Z, then "#" (names that start with a digit, a symbol or another script).
    return {key: letters[key] for key in sorted(letters, key=lambda k: (k == "#", k))}


def letters_of(ctx: SiteContext) -> dict[str, list[str]]:
    """`_by_letter`, kept between rebuilds: names are structure."""
    return ctx.shared("people.by_letter", lambda: _by_letter(ctx), refresh=lambda found, next_ctx: found)


def listed(ctx: SiteContext, person: Person, linker: Linker) -> str:
    """`person_row`, kept per person while their file is unchanged (a row
    depends on the page only through where person pages are from it)."""
    where = linker.person_prefix + "\0" + linker.person_suffix
    return ctx.for_person("row\0" + where, person, lambda: person_row(person, linker, _has_errors(ctx, person)))


def _has_errors(ctx: SiteContext, person: Person) -> bool:
    from .person import errors_by_file

    return person.relpath in errors_by_file(ctx)


def person_row(person: Person, linker: Linker, has_errors: bool = False) -> str:
    """One line about a person in any listing: name, circle, last contact;
    marked when their file has an error."""
    bits = [link(linker.person(person.slug), person.name)]
    if has_errors:
        bits.append(ERROR_MARK.strip())
    if person.circle:
        bits.append(f'<span class="kith-circle kith-circle-{e(person.circle)}">{e(person.circle)}</span>')
    role = ", ".join(x for x in (person.title, person.company) if x)
    if role:
        bits.append(f'<span class="kith-role">{e(role)}</span>')
    last = person.last_contact
    bits.append(
        f'<span class="kith-last">last spoke <time>{e(last.isoformat())}</time></span>'
        if last
        else '<span class="kith-last">never logged</span>'
    )
    return " ".join(bits)


def pages(ctx: SiteContext) -> Iterable[Page]:
    split = _split(ctx)
    yield Page(
        src="people/index.md",
        title="People",
        kind="index",
        before=people_index,
        search=False,
        # Split, it shows letters and counts only: structure, no one's own data.
        reads=frozenset() if split else None,
    )
    if split:
        yield from letter_pages(ctx)
