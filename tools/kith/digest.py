"""The digest: what to do today or this week, each person once, short enough
to read over breakfast.

Built from `followups.due_items`, the rule behind `kith due`, the site and the
calendar feed, so the digest says what they say. It is meant to leave the
machine (by mail, as a desktop notification), so it is made like the site:
private people and `## Private` items are left out, and a `[[link]]` to a
private person reads "someone". Every value from a contact file is cleaned
of control characters, cut to a readable length and escaped for the format
it lands in.

`build_digest` works out the content as plain data; `to_text`,
`to_markdown` and `to_html` write it. The rules, for users, are in
docs/reference/digest.md.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import textwrap
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from .config import Settings
from .dates import MONTHS, WEEKDAYS
from .followups import REASON_LABELS, Due, by_urgency, due_items
from .model import Network
from .grammar import mention_matches, shown_text
from .render.html import page_url, person_src
from .text import one_line

PERIODS = {"day": 1, "week": 7}
"""Days each period covers, today included."""

SECTIONS = (
    ("overdue", "Overdue"),
    ("birthday", "Birthdays"),
    ("met", "Met, not followed up yet"),
    ("intro", "Introductions to check on"),
    ("task", "Open tasks"),
    ("cadence", "Keep in touch"),
)
"""The digest's sections, in order. A person is listed once, in the first
section any of their items belongs to; the line lists all their items."""

LABELS = REASON_LABELS

MAX_PEOPLE = 25
"""Most people listed in one section; the rest are counted, and `kith due`
lists them all. A digest nobody can read through reminds nobody."""

MAX_NAME = 80
MAX_DETAIL = 240
"""Longest name and detail shown, in characters: a contact file may hold a
task of a megabyte."""

WIDTH = 76
"""Plain-text lines are wrapped to this width, as mail should be."""


@dataclass(frozen=True)
class SiteLinks:
    """Where the built site lives, for links to person pages: mkdocs.yml's
    `site_url` and `use_directory_urls`."""

    url: str
    directory_urls: bool = True

    def person(self, slug: str) -> str:
        path = page_url(person_src(quote(slug, safe="-_.~")), self.directory_urls)
        return self.url.rstrip("/") + "/" + path


def site_links(url: str | None, directory_urls: bool = True) -> SiteLinks | None:
    """SiteLinks for an http(s) `site_url`; None for anything else (a digest
    never carries a `javascript:` or `file:` link)."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c in url for c in "\r\n\t <>\"'"):
        return None
    return SiteLinks(url.strip(), directory_urls)


@dataclass(frozen=True)
class Entry:
    """One person in the digest, with every item of theirs it covers."""

    slug: str
    name: str
    circle: str | None
    items: tuple[Due, ...]  # most urgent first
    url: str | None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    entries: tuple[Entry, ...]
    left_out: int  # people beyond MAX_PEOPLE


@dataclass(frozen=True)
class Digest:
    today: dt.date
    period: str  # day | week
    sections: tuple[Section, ...]  # only the non-empty ones
    mentions: dict[str, tuple[str, str | None] | None]  # slug -> (name, url), None: private
    site: SiteLinks | None = None

    @property
    def last(self) -> dt.date:
        return self.today + dt.timedelta(days=PERIODS[self.period] - 1)

    @property
    def people(self) -> int:
        return sum(len(s.entries) + s.left_out for s in self.sections)

    @property
    def overdue(self) -> int:
        return next((len(s.entries) + s.left_out for s in self.sections if s.key == "overdue"), 0)

    @property
    def empty(self) -> bool:
        return not self.sections


def build_digest(
    network: Network,
    today: dt.date,
    settings: Settings,
    period: str = "day",
    site: SiteLinks | None = None,
) -> Digest:
    """The digest for `today`: every public person with something overdue or
    due in the period (today, or the 7 days from today), plus everyone met
    lately and not followed up yet, each once."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}")
    last = today + dt.timedelta(days=PERIODS[period] - 1)
    # `met` items fall due a few days after meeting; the digest lists them
    # from the day you meet, as the home page does.
    within = max(PERIODS[period] - 1, settings.met_followup)
    items = due_items(network, today, settings, within=within, include_private=False, limit=0)
    by_person: dict[str, list[Due]] = {}
    for item in items:
        if item.due <= last or item.reason == "met":
            by_person.setdefault(item.slug, []).append(item)

    placed: dict[str, list[Entry]] = {key: [] for key, _ in SECTIONS}
    for slug, mine in by_person.items():
        mine.sort(key=by_urgency)
        person = network.people[slug]
        entry = Entry(
            slug=slug,
            name=person.name,
            circle=person.circle,
            items=tuple(mine),
            url=site.person(slug) if site else None,
        )
        placed[_section_of(mine)].append(entry)

    sections = []
    for key, title in SECTIONS:
        entries = sorted(placed[key], key=lambda entry: by_urgency(entry.items[0]))
        if entries:
            sections.append(Section(key, title, tuple(entries[:MAX_PEOPLE]), max(0, len(entries) - MAX_PEOPLE)))
    shown = [item for s in sections for entry in s.entries for item in entry.items]
    return Digest(today, period, tuple(sections), _mentions(network, shown, site), site)


def _section_of(items: list[Due]) -> str:
    if any(item.overdue for item in items):
        return "overdue"
    reasons = {item.reason for item in items}
    return next(key for key, _ in SECTIONS[1:] if key in reasons)


def _mentions(network: Network, items: list[Due], site: SiteLinks | None) -> dict:
    found: dict[str, tuple[str, str | None] | None] = {}
    for item in items:
        for match in mention_matches(one_line(item.detail)):
            slug = match.group(1).strip()
            person = network.get(slug)
            if person is None:
                found[slug] = (slug, None)
            elif person.private:
                found[slug] = None
            else:
                found[slug] = (person.name, site.person(slug) if site else None)
    return found


# -- words shared by every format ---------------------------------------------


def long_date(day: dt.date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: dt.date) -> str:
    return f"{WEEKDAYS[day.weekday()][:3]} {day.day} {MONTHS[day.month - 1][:3]}"


def title(digest: Digest) -> str:
    if digest.period == "day":
        return f"kith digest for {long_date(digest.today)}"
    first, last = digest.today, digest.last
    if first.year != last.year:
        span = f"{first.day} {MONTHS[first.month - 1]} {first.year} to {last.day} {MONTHS[last.month - 1]} {last.year}"
    elif first.month != last.month:
        span = f"{first.day} {MONTHS[first.month - 1]} to {last.day} {MONTHS[last.month - 1]} {last.year}"
    else:
        span = f"{first.day} to {last.day} {MONTHS[last.month - 1]} {last.year}"
    return f"kith digest for the week, {span}"


def _span(digest: Digest) -> str:
    return "today" if digest.period == "day" else "this week"


def summary(digest: Digest) -> str:
    """One line: how many people, how many overdue."""
    if digest.empty:
        return f"Nobody is due {_span(digest)}."
    people = digest.people
    who = "1 person" if people == 1 else f"{people} people"
    overdue = f", {digest.overdue} of them overdue" if digest.overdue else ""
    return f"{who} to get in touch with {_span(digest)}{overdue}."


def subject(digest: Digest) -> str:
    """The mail's subject: counts and the day only, never a name from a file."""
    day = short_date(digest.today)
    if digest.empty:
        return f"kith: nobody is due {_span(digest)} ({day})"
    people = digest.people
    who = "1 person" if people == 1 else f"{people} people"
    overdue = f", {digest.overdue} overdue" if digest.overdue else ""
    return f"kith: {who} {_span(digest)}{overdue} ({day})"


def _when(item: Due, digest: Digest) -> str:
    when = item.when()
    if item.days_overdue < 0:  # "in 3 days (Wed 25 Nov)": the weekday is what a person plans by
        when += f" ({short_date(item.due)})"
    return when


def _more_line(section: Section) -> str:
    return f"and {section.left_out} more: run `kith due --limit 0` for the whole list"


# -- plain text ----------------------------------------------------------------


def _detail_text(item: Due, digest: Digest) -> str:
    return _with_mentions(item, digest, lambda text: text, lambda name, url: name)


def _item_text(item: Due, digest: Digest) -> str:
    return f"{LABELS[item.reason]}, {_when(item, digest)}: {_detail_text(item, digest)}"


def _who_text(entry: Entry) -> str:
    who = one_line(entry.name, MAX_NAME)
    return f"{who} ({entry.circle})" if entry.circle else who


def to_text(digest: Digest) -> str:
    """The digest as plain text, lines wrapped at WIDTH (URLs kept whole)."""
    out = [title(digest), "", summary(digest)]
    for section in digest.sections:
        out += ["", section.title.upper()]
        for entry in section.entries:
            out.append("")
            out.append(textwrap.fill(_who_text(entry), WIDTH, initial_indent="* ", subsequent_indent="  "))
            for item in entry.items:
                out.append(textwrap.fill(_item_text(item, digest), WIDTH, initial_indent="  - ", subsequent_indent="    "))
            if entry.url:
                out.append(f"  {entry.url}")
        if section.left_out:
            out += ["", textwrap.fill(_more_line(section), WIDTH)]
    if digest.site:
        out += ["", f"The site: {digest.site.url}"]
    return "\n".join(out) + "\n"


# -- Markdown ------------------------------------------------------------------


def md_inline(value: str) -> str:
    """Text safe inside a line of Markdown, and still readable raw (it may be
    read as is, in a chat or a note): HTML's `<`, `&` and `>` escaped, and
    only the characters that could start emphasis, code, a link or a
    table cell backslashed. (The site's `render.html.md_text` escapes every
    special; it is never read raw.) No line of the digest starts with
    contact text, so `-`, `+`, `#` and `1.` need no escape."""
    return re.sub(r"([\\`*_\[\]~|!])", r"\\\1", html.escape(value, quote=False))


def _with_mentions(item: Due, digest: Digest, escape, person) -> str:
    """The item's detail on one line, each part escaped by `escape` and each
    `[[slug]]` written by `person(name, url)`: "someone" for a private
    person, whose name must not leave the machine (and for any slug the
    digest did not look up: it fails closed). Cut to MAX_DETAIL characters
    as read, between mentions or before one, never through one: a cut
    mention would be text, and its slug would go out."""
    text = one_line(item.detail)
    out: list[str] = []
    room = MAX_DETAIL

    def plain(part: str) -> bool:
        nonlocal room
        part = shown_text(part)
        if len(part) > room:
            out.append(escape(part[: max(room - 1, 0)].rstrip()) + "…")
            return False
        out.append(escape(part))
        room -= len(part)
        return True

    pos = 0
    for match in mention_matches(text):
        if not plain(text[pos : match.start()]):
            return "".join(out)
        found = digest.mentions.get(match.group(1).strip())
        label = one_line(match.group(2) or "", MAX_NAME)
        shown = "someone" if found is None else label or one_line(found[0], MAX_NAME)
        if len(shown) > room:
            out.append("…")
            return "".join(out)
        out.append(escape(shown) if found is None else person(shown, found[1]))
        room -= len(shown)
        pos = match.end()
    plain(text[pos:])
    return "".join(out)


def _detail_md(item: Due, digest: Digest) -> str:
    return _with_mentions(
        item, digest, md_inline, lambda name, url: f"[{md_inline(name)}](<{url}>)" if url else md_inline(name)
    )


def to_markdown(digest: Digest) -> str:
    """The digest as Markdown: for a note, a chat message, a static page."""
    out = [f"# {md_inline(title(digest))}", "", md_inline(summary(digest))]
    for section in digest.sections:
        out += ["", f"## {md_inline(section.title)}", ""]
        for entry in section.entries:
            name = md_inline(one_line(entry.name, MAX_NAME))
            who = f"[{name}](<{entry.url}>)" if entry.url else name
            if entry.circle:
                who += f" ({md_inline(entry.circle)})"
            out.append(f"- **{who}**")
            for item in entry.items:
                out.append(f"    - {md_inline(LABELS[item.reason])}, {md_inline(_when(item, digest))}: {_detail_md(item, digest)}")
        if section.left_out:
            out += ["", md_inline(_more_line(section)).replace("\\`", "`")]
    if digest.site:
        out += ["", f"[The site](<{digest.site.url}>)"]
    return "\n".join(out) + "\n"


# -- HTML ------------------------------------------------------------------------


def e(value: str) -> str:
    return html.escape(value, quote=True)


def _link(url: str | None, text: str) -> str:
    return f'<a href="{e(url)}">{e(text)}</a>' if url else e(text)


def _detail_html(item: Due, digest: Digest) -> str:
    return _with_mentions(item, digest, e, lambda name, url: _link(url, name))


OVERDUE_STYLE = ' style="color: #b00020"'


def to_html(digest: Digest) -> str:
    """The digest as a small HTML document: the mail's HTML part. Plain
    markup with a few inline styles, as mail programs drop style sheets."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title(digest))}</title></head>",
        '<body style="font-family: sans-serif; line-height: 1.4; max-width: 40em">',
        f"<h1 style=\"font-size: 1.3em\">{e(title(digest))}</h1>",
        f"<p>{e(summary(digest))}</p>",
    ]
    for section in digest.sections:
        out.append(f'<h2 style="font-size: 1.1em">{e(section.title)}</h2>')
        out.append("<ul>")
        for entry in section.entries:
            who = f"<strong>{_link(entry.url, one_line(entry.name, MAX_NAME))}</strong>"
            if entry.circle:
                who += f" ({e(entry.circle)})"
            items = "".join(
                f"<li>{e(LABELS[item.reason])}, "
                f"<span{OVERDUE_STYLE if item.overdue else ''}>{e(_when(item, digest))}</span>: "
                f"{_detail_html(item, digest)}</li>"
                for item in entry.items
            )
            out.append(f"<li>{who}<ul>{items}</ul></li>")
        out.append("</ul>")
        if section.left_out:
            more = f"and {section.left_out} more: run <code>kith due --limit 0</code> for the whole list"
            out.append(f"<p>{more}</p>")
    if digest.site:
        out.append(f"<p>{_link(digest.site.url, 'The site')}</p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


FORMATS = {"text": to_text, "markdown": to_markdown, "html": to_html}


# -- a desktop notification ------------------------------------------------------

NOTIFY_NAMES = 3
"""Names per section in a notification: it is a glance, not the digest."""


def notification(digest: Digest) -> tuple[str, str]:
    """(title, body) for a desktop notification: the summary, then one line
    per section naming its first few people."""
    lines = [summary(digest)]
    for section in digest.sections:
        names = [one_line(entry.name, 40) for entry in section.entries[:NOTIFY_NAMES]]
        rest = len(section.entries) + section.left_out - len(names)
        listed = ", ".join(names) + (f" and {rest} more" if rest else "")
        lines.append(f"{section.title}: {listed}")
    return subject(digest), "\n".join(lines)
