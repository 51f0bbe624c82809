"""Outlook CSV: desktop Outlook's 92-column "Comma Separated Values" export,
Outlook.com's 61-column one, and Google's "Outlook CSV" option (which adds
`Categories`). All share the column names read here. Desktop Outlook writes
`0/0/00` for an empty date and the system code page rather than UTF-8.
"""

from __future__ import annotations

from pathlib import Path

from . import build, clean
from .csvfile import Header, first_row_header, read_text, rows
from .records import Card, Parsed, Problem

EMAILS = ("E-mail Address", "E-mail 2 Address", "E-mail 3 Address")
PHONES = (
    "Mobile Phone",
    "Primary Phone",
    "Business Phone",
    "Business Phone 2",
    "Home Phone",
    "Home Phone 2",
    "Other Phone",
    "Car Phone",
    "Company Main Phone",
    "Assistant's Phone",
)
LINKS = ("Web Page", "Personal Web Page")
LOCATIONS = ("Business City", "Home City", "Other City", "Business Country/Region", "Home Country/Region")


def looks_like(header: Header) -> bool:
    return header.has("First Name", "Last Name", "E-mail Address") and (
        header.has("Job Title") or header.has("Business Phone") or header.has("Home Phone")
    )


def parse(path: Path) -> Parsed:
    text, problems = read_text(path)
    return parse_text(text, problems)


def parse_text(text: str, problems: list[Problem] | None = None) -> Parsed:
    out = Parsed(problems=list(problems or []))
    found = rows(text, out.problems)
    header = first_row_header(
        found,
        looks_like,
        "no Outlook columns (First Name, Last Name, E-mail Address, Job Title) in the "
        "first row: is this an Outlook CSV export?",
        "not-outlook",
    )
    if header is None:
        return out
    for row in found:
        build.finish(_card(header, row.line, row.cells, out), out)
    return out


def _card(header: Header, line: int, cells: list[str], out: Parsed) -> Card:
    get = lambda name: header.get(cells, name)  # noqa: E731
    card = Card(line=line)
    parts = [clean.line(get(k)) for k in ("First Name", "Middle Name", "Last Name", "Suffix")]
    card.name = clean.line(" ".join(p for p in parts if p)) or ""
    nickname = clean.line(get("Nickname"))
    if nickname:
        card.aka.append(nickname)
    card.company = clean.line(get("Company"))
    card.title = clean.line(get("Job Title"))
    for key in EMAILS:
        # An Exchange address (`E-mail Type` EX) is an X.500 path, not an email.
        value = get(key)
        if value and not value.startswith("/o="):
            build.add_email(card, value, out)
    for key in PHONES:
        build.add_phone(card, get(key), out)
    for key in LINKS:
        clean.add_link(card.links, get(key))
    for key in LOCATIONS:
        card.location = card.location or clean.line(get(key))
    build.set_birthday(card, get("Birthday"), out)
    card.notes = clean.note(get("Notes"))
    for category in get("Categories").split(";"):
        if category.strip():
            build.add_tag(card, category)
    return card
