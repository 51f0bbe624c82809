"""What every importer produces: plain records, whatever the file format.

A `Card` is one contact as an export file describes it, already cleaned (see
`clean.py`); a `Problem` is one thing in the file that could not be read,
with the line it is on. The merge step (`merge.py`) reads only these.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .. import codes
from ..model import Birthday, Finding


@dataclass
class Card:
    """One contact from an export file."""

    line: int  # where the card or row starts in the file (1-based)
    name: str = ""
    aka: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    company: str | None = None
    title: str | None = None
    location: str | None = None
    links: dict[str, str] = field(default_factory=dict)  # key -> URL, as in the schema
    tags: list[str] = field(default_factory=list)
    birthday: Birthday | None = None
    met_date: dt.date | None = None
    notes: str = ""  # Markdown for the body of a new file
    uid: str | None = None  # the vCard UID, when there is one
    # Where a value came from, when not from `line`: a vCard property's own
    # line ("company" -> the ORG line, "email:ada@example.org" -> its EMAIL line).
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, what: str) -> int:
        return self.lines.get(what, self.line)


@dataclass(frozen=True)
class Problem:
    """Something in the import file that was not read; `line` is 1-based.
    Reported as a `Finding` like every other (`finding`); its code and
    severity are those of the one table, codes.CODES."""

    line: int
    severity: str  # "error" | "warning": as codes.CODES says for `code`
    code: str
    message: str
    skipped: bool = False  # the whole card or row was left out, not just a value

    def __post_init__(self) -> None:
        if codes.CODES.get(self.code, (None,))[0] != self.severity:
            raise ValueError(f"{self.code!r} is not a {self.severity} in codes.CODES")

    def finding(self, filename: str) -> Finding:
        return Finding(filename, self.line, self.severity, self.code, self.message)

    def format(self, filename: str) -> str:
        return self.finding(filename).format()


@dataclass
class Parsed:
    """A whole file read: the cards, what went wrong, and the photos left out."""

    cards: list[Card] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    photos_skipped: int = 0

    @property
    def skipped(self) -> int:
        """Cards or rows that were not imported at all."""
        return sum(1 for p in self.problems if p.skipped)


from ..errors import ImportRefused  # noqa: E402,F401 - raised here, defined with the others
