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
        header.start()
        card = _card(header, row.line, row.cells, out)
        if build.finish(card, out):
            build.report_unread(card, header.unread(row.cells, _bookkeeping), out)
    return out


# Outlook fills these for every contact; the value says nothing a person wrote.
DEFAULTS = {"gender": "unspecified", "priority": "normal", "sensitivity": "normal", "private": "false"}


def _bookkeeping(name: str, value: str) -> bool:
    lowered = name.lower()
    if DEFAULTS.get(lowered) == value.lower():
        return True
    # The type (SMTP) and display name of an address that is imported.
    return lowered.startswith("e-mail") and lowered.endswith(("type", "display name")) or lowered == "initials"


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
        # Read until one is found: the others are reported as not imported.
        card.location = clean.line(get(key))
        if card.location:
            break
    build.set_birthday(card, get("Birthday"), out)
    card.notes = clean.note(get("Notes"))
    for category in get("Categories").split(";"):
        if category.strip():
            build.add_tag(card, category)
    return card
