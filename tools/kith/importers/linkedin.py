"""LinkedIn's `Connections.csv` (Settings > Data privacy > Get a copy of your data).

Layouts seen in the wild, all handled: since mid-2021 three "Notes:" lines
come before the header; since mid-2023 a `URL` column sits after
`Last Name`; a file re-saved in Excel gains a BOM, CRLF and dates like
`4-Apr-21` instead of LinkedIn's `02 Oct 2023`. Rows that hold only a date
are hidden or closed profiles.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import clean
from .csvfile import find_header, read_text, rows
from .records import Card, ImportRefused, Parsed, Problem

HEADER = ("First Name", "Last Name", "Company", "Connected On")
DATE_FORMATS = ("%d %b %Y", "%d-%b-%y", "%d-%b-%Y", "%d %B %Y", "%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y")


def parse_date(text: str) -> dt.date | None:
    text = text.strip()
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse(path: Path) -> Parsed:
    text, problems = read_text(path)
    return parse_text(text, problems)


def parse_text(text: str, problems: list[Problem] | None = None) -> Parsed:
    out = Parsed(problems=list(problems or []))
    found = rows(text, out.problems)
    located = find_header(found, HEADER)
    if located is None:
        raise ImportRefused(
            "no LinkedIn header (First Name,Last Name,...,Connected On) in the first lines: "
            "is this LinkedIn's Connections.csv?",
            "not-linkedin",
            1,
        )
    header, _ = located
    for row in found:
        get = lambda name: header.get(row.cells, name)  # noqa: E731
        first, last = clean.line(get("First Name")), clean.line(get("Last Name"))
        name = " ".join(p for p in (first, last) if p)
        email_text = get("Email Address")
        connected = get("Connected On")
        if not name and not email_text:
            out.problems.append(
                Problem(
                    row.line,
                    "warning",
                    "no-name",
                    "a row with no name (a hidden or closed profile); skipped",
                    skipped=True,
                )
            )
            continue
        card = Card(line=row.line, name=name)
        if email_text:
            found_email = clean.email(email_text)
            if found_email:
                card.emails.append(found_email)
            else:
                out.problems.append(
                    Problem(row.line, "warning", "email-unread", f"`{clean.line_raw(email_text)}` is not an email address; left out")
                )
        if not card.name:
            card.name = card.emails[0] if card.emails else ""
        if not card.name:
            out.problems.append(
                Problem(row.line, "warning", "no-name", "no name and no usable email; row skipped", skipped=True)
            )
            continue
        card.company = clean.line(get("Company"))
        card.title = clean.line(get("Position"))
        profile = clean.url(get("URL"))
        if profile:
            card.links["linkedin"] = profile
        if connected:
            day = parse_date(connected)
            if day is None:
                out.problems.append(
                    Problem(row.line, "warning", "date-unread", f"`Connected On` `{clean.line_raw(connected)}` is not a date; left out")
                )
            card.met_date = day
        out.cards.append(card)
    return out
