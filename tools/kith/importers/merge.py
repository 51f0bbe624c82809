"""Merging imported cards into the network: match, add what is missing, never
overwrite.

Pure: `plan(network, cards)` reads the loaded network and returns what to
create and what to add to which file; `apply.py` turns that into file
changes through the one writer. A card matches an existing person by, in
this order: the UID kith's own vCard export gave them; an email address
(case-insensitive); their LinkedIn profile URL (scheme, `www.` and trailing
slash ignored); or their name (accents, case and spacing ignored, `aka`
included) together with the same company. An existing value that differs
from the card's is reported as a conflict and kept.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import uuid
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from .. import phones
from ..model import Birthday, Network, Person
from ..notes import public_notes
from ..orgs import org_key
from ..text import slugify, unique_slug
from . import clean
from .records import Card, Problem

# kith's export names each person `urn:uuid:<uuid5(this, slug)>`, so a card
# exported by kith finds its person again even after a rename.
UID_NAMESPACE = uuid.UUID("6f1c5a4e-8a5b-4c1e-9a59-6b6974682d31")


def person_uid(slug: str) -> str:
    return f"urn:uuid:{uuid.uuid5(UID_NAMESPACE, slug)}"


@dataclass(frozen=True)
class Edit:
    """One addition to an existing file, in the writer's terms."""

    op: str  # "add" (to a list) | "set" (a top-level key) | "set_in" (a nested key)
    path: tuple[str, ...]
    value: Any
    label: str  # what the user reads: "+email ada@example.org"


@dataclass
class Entry:
    """A person as the import sees them: an existing file or one to create."""

    slug: str
    relpath: str
    new: bool
    name: str
    aka: list[str] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)  # top-level keys the file has
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    company: str | None = None
    title: str | None = None
    location: str | None = None
    birthday: Birthday | None = None
    met_date: dt.date | None = None
    met_keys: set[str] = field(default_factory=set)
    notes: str = ""
    notes_words: str = ""  # an existing person's notes as words, to tell whether a card's NOTE is in them
    edits: list[Edit] = field(default_factory=list)
    matched: bool = False  # a card in this import matched (or created) it

    @classmethod
    def from_person(cls, person: Person, network: Network | None = None) -> "Entry":
        meta = person.meta if isinstance(person.meta, dict) else {}
        met = meta.get("met")
        return cls(
            slug=person.slug,
            relpath=person.relpath,
            new=False,
            name=person.name,
            aka=list(person.aka),
            keys={str(k) for k in meta},
            emails=list(person.emails),
            phones=list(person.phones),
            links=dict(person.links),
            tags=list(person.tags),
            company=person.company,
            title=person.title,
            location=person.location,
            birthday=person.birthday,
            met_date=person.met.date if person.met else None,
            met_keys={str(k) for k in met} if isinstance(met, dict) else set(),
            notes_words=words((public_notes(person, network) if network is not None else None) or person.notes),
        )

    def front_matter(self) -> dict[str, Any]:
        """A new file's front matter, in the schema's key order."""
        data: dict[str, Any] = {"name": self.name}
        if self.aka:
            data["aka"] = list(self.aka)
        for key in ("company", "title", "location"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        for key in ("emails", "phones"):
            if getattr(self, key):
                data[key] = list(getattr(self, key))
        if self.links:
            data["links"] = dict(self.links)
        if self.tags:
            data["tags"] = list(self.tags)
        if self.met_date:
            data["met"] = {"date": self.met_date}
        if self.birthday:
            data["birthday"] = birthday_value(self.birthday)
        return data


@dataclass
class Plan:
    entries: list[Entry] = field(default_factory=list)  # touched by the import, in order
    problems: list[Problem] = field(default_factory=list)  # conflicts and ambiguities
    skipped: int = 0

    @property
    def created(self) -> list[Entry]:
        return [e for e in self.entries if e.new]

    @property
    def updated(self) -> list[Entry]:
        return [e for e in self.entries if not e.new and e.edits]

    @property
    def unchanged(self) -> list[Entry]:
        return [e for e in self.entries if not e.new and not e.edits]


def same_phone(a: str, b: str, region: str | None = None) -> bool:
    """One number written two ways (`+44 20 7946 0000`, `020 7946 0000` in
    GB): compared as E.164 when both parse, else digit for digit, so
    `+1 415 555 1234` and `555 1234` stay two numbers."""
    return phones.same(a, b, region)


def _key(text: str | None) -> str:
    return clean.fold(text or "")


def _same(key: str, mine: str, theirs: str) -> bool:
    """`Stripe` and `Stripe Inc` are one company; other values as `_key` says."""
    if key == "company":
        return org_key(mine) == org_key(theirs)
    return _key(mine) == _key(theirs)


def words(text: str) -> str:
    """Text as its words, to compare notes however they were escaped or wrapped."""
    return " ".join(re.findall(r"\w+", html.unescape(text).casefold()))


def _spelling(text: str) -> str:
    """The same name however spaced and cased, but not however accented."""
    return " ".join(text.split()).casefold()


class Index:
    """Who has which email, profile, name: updated as the import goes."""

    def __init__(self, network: Network, people_dir: str, region: str | None = None) -> None:
        self.people_dir = people_dir
        self.region = region
        self.entries: dict[str, Entry] = {}
        self.taken: set[str] = {PurePosixPath(f).stem for f in network.files}
        self.by_uid: dict[str, str] = {}
        for person in network.sorted_people():
            self._add(Entry.from_person(person, network))

    def _add(self, entry: Entry) -> None:
        self.entries[entry.slug] = entry
        self.taken.add(entry.slug)
        self.by_uid[person_uid(entry.slug)] = entry.slug

    def by_email(self, email: str) -> list[Entry]:
        key = email.lower()
        return [e for e in self.entries.values() if any(x.lower() == key for x in e.emails)]

    def by_linkedin(self, url: str) -> list[Entry]:
        key = clean.url_key(url)
        return [
            e
            for e in self.entries.values()
            if "linkedin" in e.links and clean.url_key(e.links["linkedin"]) == key
        ]

    def by_name(self, name: str, company: str | None) -> list[Entry]:
        key, firm = _key(name), org_key(company or "")
        return [
            e
            for e in self.entries.values()
            if org_key(e.company or "") == firm and key in {_key(n) for n in [e.name, *e.aka]}
        ]

    def match(self, card: Card) -> list[Entry]:
        """The people the card matches by its strongest key (usually one)."""
        if card.uid and card.uid.lower() in self.by_uid:
            return [self.entries[self.by_uid[card.uid.lower()]]]
        found: dict[str, Entry] = {}
        for email in card.emails:
            for entry in self.by_email(email):
                found[entry.slug] = entry
        if found:
            return list(found.values())
        if "linkedin" in card.links:
            hits = self.by_linkedin(card.links["linkedin"])
            if hits:
                return hits
        return self.by_name(card.name, card.company)

    def create(self, card: Card) -> Entry:
        base = card.name
        if not slugify(base):
            # A name in a script slugs cannot hold: name the file by the email.
            base = card.emails[0].split("@")[0] if card.emails else "contact"
            if not slugify(base):
                base = "contact"
        slug = unique_slug(base, self.taken)
        entry = Entry(
            slug=slug,
            relpath=f"{self.people_dir}/{slug}.md",
            new=True,
            name=card.name,
            notes=card.notes,
        )
        self._add(entry)
        return entry


def plan(network: Network, cards: list[Card], people_dir: str = "people", region: str | None = None) -> Plan:
    """`region`: the country numbers without +country are read in (`default_region`)."""
    index = Index(network, people_dir, region)
    result = Plan()
    for card in cards:
        hits = index.match(card)
        if len(hits) > 1:
            names = ", ".join(e.relpath for e in hits)
            result.problems.append(
                Problem(
                    card.line,
                    "warning",
                    "ambiguous",
                    f"`{card.name}` matches several people ({names}); not imported: "
                    "merge them or add the address to one of them",
                    skipped=True,
                )
            )
            result.skipped += 1
            continue
        entry = hits[0] if hits else index.create(card)
        if not entry.matched:
            entry.matched = True
            result.entries.append(entry)
        merge_card(entry, card, index, result.problems)
    return result


def merge_card(entry: Entry, card: Card, index: Index, problems: list[Problem]) -> None:
    """Add to `entry` what the card has and it lacks; report what differs."""

    def edit(op: str, path: tuple[str, ...], value: Any, label: str) -> None:
        if not entry.new:
            entry.edits.append(Edit(op, path, value, label))
        entry.keys.add(path[0])

    def conflict(what: str, mine: str, theirs: str, source: str = "") -> None:
        problems.append(
            Problem(
                card.line_of(source or what),
                "warning",
                "conflict",
                f"{entry.relpath} keeps {what} `{mine}`; this file says `{theirs}`",
            )
        )

    for name in card.aka:
        # Accents count here: `Zoë` is a nickname of `Zoe`, kept as written.
        if _spelling(name) not in {_spelling(n) for n in [entry.name, *entry.aka]}:
            entry.aka.append(name)
            edit("add", ("aka",), name, f"+aka {name}")
    for email in card.emails:
        if any(email.lower() == x.lower() for x in entry.emails):
            continue
        owners = [e for e in index.by_email(email) if e is not entry]
        if owners:
            conflict(
                "its emails; not adding",
                ", ".join(entry.emails) or "none",
                f"{email} (already {owners[0].relpath})",
                f"email:{email}",
            )
            continue
        entry.emails.append(email)
        edit("add", ("emails",), email, f"+email {email}")
    for phone in card.phones:
        if not any(same_phone(phone, x, index.region) for x in entry.phones):
            entry.phones.append(phone)
            edit("add", ("phones",), phone, f"+phone {phone}")
    for key, url in card.links.items():
        if any(clean.url_key(url) == clean.url_key(v) for v in entry.links.values()):
            continue
        if key == "linkedin" and "linkedin" in entry.links:
            conflict("links.linkedin", entry.links["linkedin"], url, f"link:{key}")
            continue
        name = clean.free_key(key, entry.links)
        entry.links[name] = url
        if not entry.new and "links" not in entry.keys:
            edit("set", ("links",), {name: url}, f"+link {url}")
        else:
            edit("set_in", ("links", name), url, f"+link {url}")
    for key in ("company", "title", "location"):
        theirs = getattr(card, key)
        if not theirs:
            continue
        mine = getattr(entry, key)
        if key not in entry.keys:
            setattr(entry, key, theirs)
            edit("set", (key,), theirs, f"+{key} {theirs}")
        elif mine is not None and not _same(key, mine, theirs):
            conflict(key, mine, theirs)
    for tag in card.tags:
        if all(tag.lower() != t.lower() for t in entry.tags):
            entry.tags.append(tag)
            edit("add", ("tags",), tag, f"+tag {tag}")
    if card.birthday:
        if "birthday" not in entry.keys:
            entry.birthday = card.birthday
            edit("set", ("birthday",), birthday_value(card.birthday), f"+birthday {card.birthday.iso()}")
        elif entry.birthday and not _same_birthday(entry.birthday, card.birthday):
            conflict("birthday", entry.birthday.iso(), card.birthday.iso())
    # The day you connected is not the day you met when you met first: an
    # existing met.date is kept silently.
    if card.met_date and "date" not in entry.met_keys:
        entry.met_date = card.met_date
        entry.met_keys.add("date")
        if not entry.new and "met" not in entry.keys:
            edit("set", ("met",), {"date": card.met_date}, f"+met.date {card.met_date}")
        else:
            edit("set_in", ("met", "date"), card.met_date, f"+met.date {card.met_date}")
    if entry.new and card.notes and card.notes not in entry.notes:
        entry.notes = f"{entry.notes}\n\n{card.notes}".strip("\n") if entry.notes else card.notes
    elif not entry.new and card.notes and words(card.notes) not in entry.notes_words:
        problems.append(
            Problem(
                card.line_of("notes"),
                "warning",
                "not-imported",
                f"{entry.relpath} keeps its notes; these notes are not imported "
                "(kith never changes the body of a file)",
            )
        )


def birthday_value(birthday: Birthday) -> dt.date | str:
    """What goes in the file: a date, or `--MM-DD` when the year is unknown."""
    if birthday.year is None:
        return birthday.iso()
    return dt.date(birthday.year, birthday.month, birthday.day)


def _same_birthday(a: Birthday, b: Birthday) -> bool:
    """A birthday without a year agrees with the same day in any year."""
    if (a.month, a.day) != (b.month, b.day):
        return False
    return a.year is None or b.year is None or a.year == b.year
