"""The network as vCards (`kith export vcard`), written with vobject.

Everything a vCard can hold comes back unchanged through `kith import
vcard`, in both versions:

- `name` as FN (and N: the last word as family name), `aka` as one NICKNAME
  each (a nickname with a comma stays one nickname), `company` as ORG,
  `title` as TITLE, `location` as the city of an ADR, `emails`, `phones`,
  `tags` as CATEGORIES, and the notes as NOTE with `notes=True`;
- each link as a URL whose TYPE is its key (`URL;TYPE=github:...`); a key
  that is not a plain lower-case word, or that TYPE already means something
  by (`home`, `work`, `pref`...), goes in Apple's label instead
  (`item1.URL` + `item1.X-ABLabel:My Shop`), which Apple, Google and khard read;
- the birthday as RFC 6350 says in 4.0 (`--MMDD` without a year) and the way
  Apple does in 3.0 (`BDAY;X-APPLE-OMIT-YEAR=1604:1604-MM-DD`).

Each card's UID is derived from the slug, so the import finds every person
again. Text is cleaned like imported text: nothing starts with a character
a spreadsheet would run as a formula. Private people, `## Private` sections
and the log are never exported; a `[[slug]]` naming a private person in the
notes becomes "(private)".
"""

from __future__ import annotations

import re

from . import grammar
from .importers import clean
from .importers.merge import person_uid
from .importers.vcard import GENERIC_TYPES
from .model import Birthday, Network, Person
from .notes import public_notes

APPLE_NO_YEAR = "1604"  # a leap year, so --02-29 survives
_TYPE_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def split_name(name: str) -> tuple[str, str]:
    """(given, family): the last word is taken as the family name."""
    words = name.split()
    if len(words) < 2:
        return name, ""
    return " ".join(words[:-1]), words[-1]


def bday(birthday: Birthday, version: str) -> tuple[str, dict[str, list[str]]]:
    if birthday.year is None:
        if version == "4.0":
            return f"--{birthday.month:02d}{birthday.day:02d}", {}
        return f"{APPLE_NO_YEAR}-{birthday.month:02d}-{birthday.day:02d}", {"X-APPLE-OMIT-YEAR": [APPLE_NO_YEAR]}
    if version == "4.0":
        return f"{birthday.year:04d}{birthday.month:02d}{birthday.day:02d}", {}
    return birthday.iso(), {}


def link_by_type(key: str) -> bool:
    """Whether TYPE can carry this key so that the import reads it back."""
    return bool(_TYPE_KEY.match(key)) and key.removeprefix("x-") == key and key not in GENERIC_TYPES


def person_card(
    person: Person,
    version: str = "4.0",
    notes: bool = False,
    network: Network | None = None,
    withheld: list[str] | None = None,
):
    import vobject  # imported on export, not by every `kith` command

    def raw(name: str, value: str):
        # An address, a number, a date or a UID is written as it is. URLs are
        # escaped like text (`a=1\,2`): vobject and khard cut a URL at a bare comma.
        prop = card.add(name)
        prop.value = value
        prop.encoded = True
        return prop

    card = vobject.vCard()
    card.add("version").value = version
    name = clean.line(person.name) or person.slug
    card.add("fn").value = name
    given, family = split_name(name)
    card.add("n").value = vobject.vcard.Name(family=family, given=given)
    raw("uid", person_uid(person.slug))
    # One NICKNAME per nickname: vobject, khard and ical.js read only the
    # first of a comma-separated list.
    for nickname in (n for n in (clean.line(a) for a in person.aka) if n):
        card.add("nickname").value = nickname
    for address in person.emails:
        found = clean.email(address)
        if found:
            prop = raw("email", found)
            if version == "3.0":
                prop.params["TYPE"] = ["INTERNET"]
    for number in person.phones:
        found = clean.phone(number)
        if found:
            raw("tel", found)
    company = clean.line(person.company)
    if company:
        card.add("org").value = [company]
    title = clean.line(person.title)
    if title:
        card.add("title").value = title
    location = clean.line(person.location)
    if location:
        card.add("adr").value = vobject.vcard.Address(city=location)
    if person.birthday:
        value, params = bday(person.birthday, version)
        prop = raw("bday", value)
        prop.params.update(params)
    labelled = 0
    for key, link in person.links.items():
        found = clean.url(link)
        if not found:
            continue
        key = str(key)
        if link_by_type(key):
            prop = card.add("url")
            prop.value = found
            prop.params["TYPE"] = [key]
        else:
            labelled += 1
            group = f"item{labelled}"
            card.add("url", group=group).value = found
            card.add("x-ablabel", group=group).value = clean.line(key) or "web"
    tags = [t for t in (clean.line(tag) for tag in person.tags) if t]
    if tags:
        card.add("categories").value = tags
    if notes and network is not None:
        found = public_notes(person, network)
        if found is None and withheld is not None:
            withheld.append(person.relpath)
        # As the notes read, not their Markdown's escapes: a note imported
        # from a card (quoted) goes back to a phone as the card said it.
        text = clean.note_for_export(grammar.shown_body(found or ""))
        if text:
            card.add("note").value = text
    return card


def to_vcf(network: Network, version: str = "4.0", notes: bool = False, withheld: list[str] | None = None) -> str:
    """Every non-private person, sorted by slug, as one .vcf text (CRLF lines).
    `withheld` gets the files whose notes were kept back (see notes.py)."""
    return "".join(person_card(p, version, notes, network, withheld).serialize() for p in network.public())
