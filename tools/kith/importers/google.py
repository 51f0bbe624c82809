"""Google Contacts CSV ("Google CSV" in contacts.google.com > Export).

The current layout names columns `E-mail 1 - Label`/`E-mail 1 - Value`,
`Phone 1 - ...`, `Website 1 - ...`; the layout before it used `- Type` and
`Given Name`/`Family Name`/`Group Membership`; Gmail's oldest export had
`Name`, `E-mail` and `Section 1 - ...` columns. All three are read. A cell
may hold several values joined by ` ::: `; labels carry a `* ` prefix for
Google's own groups.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import build, clean
from .csvfile import Header, first_row_header, read_text, rows
from .records import Card, Parsed, Problem

_NUMBERED = re.compile(r"^(e-mail|phone|website|address|organization|section) (\d+) - (.+)$", re.IGNORECASE)


def looks_like(header: Header) -> bool:
    names = {n.lower() for n in header.names}
    return (
        "e-mail 1 - value" in names
        or "section 1 - email" in names
        or ("given name" in names and "group membership" in names)
        or ("labels" in names and "organization name" in names)
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
        "no Google Contacts columns (E-mail 1 - Value, ...) in the first row: "
        "is this a Google CSV export?",
        "not-google",
    )
    if header is None:
        return out
    groups = _groups(header)
    for row in found:
        header.start()
        out_card = _card(header, groups, row.line, row.cells, out)
        if build.finish(out_card, out):
            build.report_unread(out_card, header.unread(row.cells, _derived), out)
    return out


def _groups(header: Header) -> dict[tuple[str, int], dict[str, int]]:
    """`(kind, n)` -> {field: column}: `("e-mail", 1)` -> {"value": 7, "label": 6}."""
    groups: dict[tuple[str, int], dict[str, int]] = {}
    for i, name in enumerate(header.names):
        m = _NUMBERED.match(name)
        if m:
            key = (m[1].lower(), int(m[2]))
            groups.setdefault(key, {})[m[3].strip().lower()] = i
    return dict(sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1])))


def _derived(name: str, value: str) -> bool:
    """Columns that only repeat what other columns say, or Google's own bookkeeping."""
    lowered = name.lower()
    return lowered in ("name", "file as", "initials", "short name") or lowered.endswith(
        (" - formatted", " - type", " - label")
    )


def _card(header: Header, groups, line: int, cells: list[str], out: Parsed) -> Card:
    get = lambda name: header.get(cells, name)  # noqa: E731

    def _cell(cells: list[str], index: int | None) -> str:
        if index is None or index >= len(cells):
            return ""
        header.touch(index)
        return cells[index].strip()

    card = Card(line=line)
    given = get("First Name") or get("Given Name")
    middle = get("Middle Name") or get("Additional Name")
    family = get("Last Name") or get("Family Name")
    parts = [clean.line(p) for p in (get("Name Prefix"), given, middle, family, get("Name Suffix"))]
    card.name = clean.line(" ".join(p for p in parts if p)) or clean.line(get("Name")) or ""
    nickname = clean.line(get("Nickname"))
    if nickname:
        card.aka.append(nickname)
    card.company = clean.line(get("Organization Name"))
    card.title = clean.line(get("Organization Title"))
    build.set_birthday(card, get("Birthday"), out)
    card.notes = clean.note(get("Notes"))
    legacy_email = get("E-mail")
    for value in clean.split_multi(legacy_email):
        build.add_email(card, value, out)
    for (kind, _), columns in groups.items():
        value = _cell(cells, columns.get("value"))
        if kind == "e-mail":
            for item in clean.split_multi(value):
                build.add_email(card, item, out)
        elif kind == "phone":
            for item in clean.split_multi(value):
                build.add_phone(card, item, out)
        elif kind == "website":
            for item in clean.split_multi(value):
                clean.add_link(card.links, item)
        elif kind == "organization":
            card.company = card.company or clean.line(_cell(cells, columns.get("name")))
            card.title = card.title or clean.line(_cell(cells, columns.get("title")))
        elif kind == "address" and card.location is None:
            card.location = clean.line(_cell(cells, columns.get("city"))) or clean.line(
                _cell(cells, columns.get("country"))
            )
        elif kind == "section":
            for item in clean.split_multi(_cell(cells, columns.get("email"))):
                build.add_email(card, item, out)
            for column in ("phone", "mobile"):
                for item in clean.split_multi(_cell(cells, columns.get(column))):
                    build.add_phone(card, item, out)
            card.company = card.company or clean.line(_cell(cells, columns.get("company")))
    for label in clean.split_multi(get("Labels") or get("Group Membership")):
        build.add_tag(card, label)
    return card
