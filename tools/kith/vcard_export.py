"""The network as vCards (`kith export vcard`), written with vobject.

Version 4.0 follows RFC 6350 (a birthday without a year is `--MMDD`);
version 3.0 is what older phones and Apple Contacts read best, and writes a
yearless birthday the way Apple does (`BDAY;X-APPLE-OMIT-YEAR=1604:1604-MM-DD`).
Each card's UID is derived from the slug, so `kith import vcard` of the file
finds every person again. Text is cleaned like imported text: nothing starts
with a character a spreadsheet would run as a formula.
"""

from __future__ import annotations

from .importers import clean
from .importers.merge import person_uid
from .model import Birthday, Network, Person

APPLE_NO_YEAR = "1604"  # a leap year, so --02-29 survives


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


def person_card(person: Person, version: str = "4.0"):
    import vobject  # imported on export, not by every `kith` command

    card = vobject.vCard()
    card.add("version").value = version
    name = clean.line(person.name) or person.slug
    card.add("fn").value = name
    given, family = split_name(name)
    card.add("n").value = vobject.vcard.Name(family=family, given=given)
    card.add("uid").value = person_uid(person.slug)
    nicknames = [n for n in (clean.line(a) for a in person.aka) if n]
    if nicknames:
        card.add("nickname").value = ", ".join(nicknames) if version == "3.0" else nicknames[0]
        for extra in nicknames[1:] if version == "4.0" else []:
            card.add("nickname").value = extra
    for address in person.emails:
        found = clean.email(address)
        if found:
            prop = card.add("email")
            prop.value = found
            if version == "3.0":
                prop.params["TYPE"] = ["INTERNET"]
    for number in person.phones:
        found = clean.phone(number)
        if found:
            card.add("tel").value = found
    company = clean.line(person.company)
    if company:
        card.add("org").value = [company]
    title = clean.line(person.title)
    if title:
        card.add("title").value = title
    if person.birthday:
        value, params = bday(person.birthday, version)
        prop = card.add("bday")
        prop.value = value
        prop.params.update(params)
    for link in person.links.values():
        found = clean.url(link)
        if found:
            card.add("url").value = found
    tags = [t for t in (clean.line(tag) for tag in person.tags) if t]
    if tags:
        card.add("categories").value = tags
    return card


def to_vcf(network: Network, version: str = "4.0") -> str:
    """Every non-private person, sorted by slug, as one .vcf text (CRLF lines)."""
    return "".join(person_card(p, version).serialize() for p in network.public())
