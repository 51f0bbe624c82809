"""Thunderbird's address book CSV (Tools > Export > Address Book, "Comma
Separated" or "Tab Separated").

Thunderbird names its 37 columns in the language of its interface and
always writes them in the same order: `First Name, Last Name, Display Name,
Nickname, Primary Email, Secondary Email, Screen Name, Work Phone, Home
Phone, Fax Number, Pager Number, Mobile Number, Home Address, ..., Birth
Year, Birth Month, Birth Day, Custom 1..4, Notes`. The English and German
names are recognised (and so sniffed by `kith import auto`); with another
language, `kith import thunderbird` reads the columns by that order and
says so. Quoted cells may hold raw line breaks, tabs and lone CRs.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..model import Birthday
from . import build, clean
from .csvfile import Header, read_text, rows
from .records import Card, ImportRefused, Parsed, Problem

# Thunderbird's order, with the English and German names of each column
# (older versions write `Home Address2`, `Home Zipcode`, `Work Zip`: the
# names are compared without case and spacing, and those are listed too).
COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("first", ("First Name", "Vorname")),
    ("last", ("Last Name", "Nachname")),
    ("display", ("Display Name", "Anzeigename")),
    ("nickname", ("Nickname", "Spitzname")),
    ("email1", ("Primary Email", "Primäre E-Mail-Adresse")),
    ("email2", ("Secondary Email", "Sekundäre E-Mail-Adresse")),
    ("screen", ("Screen Name", "Messenger-Name")),
    ("work_phone", ("Work Phone", "Tel. dienstlich")),
    ("home_phone", ("Home Phone", "Tel. privat")),
    ("fax", ("Fax Number", "Fax-Nummer")),
    ("pager", ("Pager Number", "Pager-Nummer")),
    ("mobile", ("Mobile Number", "Mobil-Tel.-Nr.")),
    ("home_address", ("Home Address", "Privat: Adresse")),
    ("home_address2", ("Home Address 2", "Home Address2", "Privat: Adresse 2")),
    ("home_city", ("Home City", "Privat: Ort")),
    ("home_state", ("Home State", "Privat: Bundesland")),
    ("home_zip", ("Home ZipCode", "Privat: PLZ")),
    ("home_country", ("Home Country", "Privat: Land")),
    ("work_address", ("Work Address", "Dienstlich: Adresse")),
    ("work_address2", ("Work Address 2", "Work Address2", "Dienstlich: Adresse 2")),
    ("work_city", ("Work City", "Dienstlich: Ort")),
    ("work_state", ("Work State", "Dienstlich: Bundesland")),
    ("work_zip", ("Work ZipCode", "Work Zip", "Dienstlich: PLZ")),
    ("work_country", ("Work Country", "Dienstlich: Land")),
    ("title", ("Job Title", "Arbeitstitel")),
    ("department", ("Department", "Abteilung")),
    ("organization", ("Organization", "Organisation")),
    ("web1", ("Web Page 1", "Webseite 1")),
    ("web2", ("Web Page 2", "Webseite 2")),
    ("birth_year", ("Birth Year", "Geburtsjahr")),
    ("birth_month", ("Birth Month", "Geburtsmonat")),
    ("birth_day", ("Birth Day", "Geburtstag")),
    ("custom1", ("Custom 1", "Benutzerdef. 1")),
    ("custom2", ("Custom 2", "Benutzerdef. 2")),
    ("custom3", ("Custom 3", "Benutzerdef. 3")),
    ("custom4", ("Custom 4", "Benutzerdef. 4")),
    ("notes", ("Notes", "Notizen")),
)
# Columns that say it is Thunderbird's export: no other exporter has these together.
SIGNATURE = ("display", "email1", "email2", "screen", "birth_year")


def positions(header: Header) -> dict[str, int]:
    """Field -> column, from the column names."""
    found: dict[str, int] = {}
    for field, names in COLUMNS:
        for name in names:
            index = header.position(name)
            if index is not None:
                found[field] = index
                break
    return found


def looks_like(header: Header) -> bool:
    return all(field in positions(header) for field in SIGNATURE)


def parse(path: Path) -> Parsed:
    text, problems = read_text(path)
    return parse_text(text, problems)


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    return "\t" if first.count("\t") > first.count(",") else ","


def parse_text(text: str, problems: list[Problem] | None = None) -> Parsed:
    out = Parsed(problems=list(problems or []))
    found = rows(text, out.problems, delimiter=_delimiter(text))
    first = next(found, None)
    if first is None:
        return out
    header = Header(first.cells)
    where = positions(header)
    if not looks_like(header):
        if len(first.cells) != len(COLUMNS):
            raise ImportRefused(
                "no Thunderbird columns (Display Name, Primary Email, Secondary Email, ...) in the first "
                f"row, and {len(first.cells)} columns where Thunderbird writes {len(COLUMNS)}: "
                "is this a Thunderbird address book export?",
                "not-thunderbird",
                first.line,
            )
        # Another language: Thunderbird's order is the same in every one.
        where = {field: i for i, (field, _) in enumerate(COLUMNS)}
        out.problems.append(
            Problem(
                first.line,
                "warning",
                "csv-columns",
                "column names not recognised; read in Thunderbird's column order "
                f"({COLUMNS[0][1][0]}, {COLUMNS[1][1][0]}, {COLUMNS[2][1][0]}, ...)",
            )
        )
    for row in found:
        header.start()
        card = _card(header, where, row.line, row.cells, out)
        if build.finish(card, out):
            build.report_unread(card, header.unread(row.cells), out)
    return out


def _card(header: Header, where: dict[str, int], line: int, cells: list[str], out: Parsed) -> Card:
    def get(field: str) -> str:
        index = where.get(field)
        if index is None or index >= len(cells):
            return ""
        header.touch(index)
        return cells[index].strip()

    card = Card(line=line)
    full = " ".join(p for p in (clean.line(get("first")), clean.line(get("last"))) if p)
    card.name = clean.line(get("display")) or full
    nickname = clean.line(get("nickname"))
    if nickname:
        card.aka.append(nickname)
    if full and card.name and clean.fold(full) != clean.fold(card.name):
        clean.add_unique(card.aka, full)
    for field in ("email1", "email2"):
        build.add_email(card, get(field), out)
    for field in ("mobile", "work_phone", "home_phone"):
        build.add_phone(card, get(field), out)
    card.company = clean.line(get("organization"))
    card.title = clean.line(get("title"))
    for field in ("work_city", "home_city", "work_country", "home_country"):
        # Read until one is found: the others are reported as not imported.
        card.location = clean.line(get(field))
        if card.location:
            break
    for field in ("web1", "web2"):
        clean.add_link(card.links, get(field))
    _birthday(card, get("birth_year"), get("birth_month"), get("birth_day"), out)
    card.notes = clean.note(get("notes"))
    return card


def _birthday(card: Card, year: str, month: str, day: str, out: Parsed) -> None:
    if not (month or day):
        if year:
            out.problems.append(
                Problem(card.line, "warning", "date-unread", f"a birth year ({build.shown_value(year, 12)}) without a day; left out")
            )
        return
    try:
        number_month, number_day = int(month), int(day)
        number_year = int(year) if year else None
        # 2000 is a leap year: 29 February without a year is a birthday. A
        # year must be a date's (1 to 9999): `0` is no year anyone was born.
        dt.date(2000 if number_year is None else number_year, number_month, number_day)
    except ValueError:
        shown = "-".join(build.shown_value(x, 12) for x in (year, month, day) if x)
        out.problems.append(
            Problem(card.line, "warning", "date-unread", f"birthday `{shown}` (year, month, day) is not a date; left out")
        )
        return
    card.birthday = Birthday(number_month, number_day, number_year)
