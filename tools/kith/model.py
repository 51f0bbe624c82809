"""The model: plain dataclasses for a person, their log, tasks and the network.

Nothing here reads files or knows about MkDocs; `load.py` builds these objects
and every other module only reads them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .circles import CIRCLES  # noqa: F401 - part of the model; kept apart for quick imports


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one file, as a linter reports it."""

    path: str  # relative to the repository root, POSIX separators
    line: int  # 1-based; 0 when the problem is the whole file
    severity: str  # "error" | "warning"
    code: str
    message: str

    def format(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message} [{self.code}]"

    def _replace_path(self, path: str) -> "Finding":
        return Finding(path, self.line, self.severity, self.code, self.message)

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class Cadence:
    """Keep in touch every `count` `unit`s (d, w, m or y)."""

    count: int
    unit: str
    text: str

    def describe(self) -> str:
        words = {"d": "day", "w": "week", "m": "month", "y": "year"}
        word = words[self.unit]
        return f"every {word}" if self.count == 1 else f"every {self.count} {word}s"


@dataclass(frozen=True, slots=True)
class Birthday:
    """A birthday; `year` is None for `--MM-DD`."""

    month: int
    day: int
    year: int | None = None

    def iso(self) -> str:
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True, slots=True)
class Mention:
    """A `[[slug]]` in the body: who is mentioned, where, and the line's text."""

    slug: str
    line: int
    context: str  # the whole source line, for "mentioned by"
    private: bool = False  # inside a `## Private` section


@dataclass(frozen=True, slots=True)
class LogEntry:
    """`- YYYY-MM-DD kind: text` in the `## Log` section."""

    date: dt.date
    kind: str  # lower-cased; "" when the line has no `kind:`
    text: str
    line: int
    mentions: tuple[str, ...] = ()
    private: bool = False


@dataclass(frozen=True, slots=True)
class Credit:
    """A log entry written outside a person's own log (in someone else's
    file, or in a journal note) that counts as contact with them, because it
    mentions them and its kind is one of the contact kinds (see
    `contact.credit_network`)."""

    date: dt.date
    kind: str
    text: str
    path: str  # the file that holds it, relative to the repository root
    line: int
    by: str | None = None  # the person whose file holds it; None for a journal note
    note: str | None = None  # the journal note's name on the site (journal/<note>.md)
    private: bool = False  # never shown: a private section, person or note, or a withheld body


@dataclass(frozen=True, slots=True)
class Task:
    """`- [ ] YYYY-MM-DD text` (open) or `- [x] ...` (done) in the `## Log`."""

    due: dt.date | None
    text: str
    done: bool
    line: int
    mentions: tuple[str, ...] = ()
    private: bool = False


@dataclass(frozen=True, slots=True)
class Relationship:
    """`{with: other, type: mentor}`: `other` is this person's mentor."""

    other: str
    type: str
    line: int


@dataclass(frozen=True, slots=True)
class Met:
    date: dt.date | None = None
    where: str | None = None
    event: str | None = None
    via: str | None = None
    line: int = 0


@dataclass(slots=True)
class Person:
    slug: str
    path: Path  # absolute
    relpath: str  # relative to the repository root, POSIX separators
    name: str
    aka: list[str] = field(default_factory=list)
    company: str | None = None
    title: str | None = None
    location: str | None = None
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    circle: str | None = None
    cadence: Cadence | None = None
    snooze: dt.date | None = None
    met: Met | None = None
    birthday: Birthday | None = None
    interests: list[str] = field(default_factory=list)
    offers: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    private: bool = False
    log: list[LogEntry] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    notes: str = ""  # the body with `## Log` and `## Private` sections removed
    # True when kith could not place a Private section for certain: the
    # notes are empty and every log entry, task and mention is private.
    withheld: bool = False
    notes_plain: bool = False  # the site shows the notes as plain text (see body.py)
    body_line: int = 1  # file line on which `notes` starts (for messages)
    meta: dict[str, Any] = field(default_factory=dict)  # front matter as read
    key_lines: dict[str, int] = field(default_factory=dict)  # top-level key -> line
    extra: dict[str, Any] = field(default_factory=dict)  # unknown keys, kept as read
    # Entries written elsewhere that count as contact with this person: set
    # on every load from the whole network (`contact.credit_network`), never
    # read from this person's own file.
    credits: tuple[Credit, ...] = ()

    @property
    def last_contact(self) -> dt.date | None:
        """The newest dated log entry, their own or one written elsewhere
        that counts as contact with them (private ones count: they were
        contact)."""
        own = max((e.date for e in self.log), default=None)
        other = max((c.date for c in self.credits), default=None)
        if own is None or (other is not None and other > own):
            return other
        return own

    @property
    def open_tasks(self) -> list[Task]:
        return [t for t in self.tasks if not t.done]

    def line_of(self, key: str) -> int:
        """The line of `key` (dotted for nested keys: `met.via`), else its parent's."""
        while key:
            if key in self.key_lines:
                return self.key_lines[key]
            key = key.rpartition(".")[0]
        return 1


@dataclass
class Network:
    """Everyone in the repository, plus what loading them found wrong."""

    root: Path
    people: dict[str, Person] = field(default_factory=dict)  # slug -> person
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # every file looked at (relpaths)
    # The journal (`journal.py`): notes in date order, and every file looked at.
    journal: list[Any] = field(default_factory=list)
    journal_files: list[str] = field(default_factory=list)

    def get(self, slug: str) -> Person | None:
        return self.people.get(slug)

    def public(self) -> list[Person]:
        """People who may appear on the site, sorted by slug."""
        return [p for slug, p in sorted(self.people.items()) if not p.private]

    def sorted_people(self) -> list[Person]:
        return [p for _, p in sorted(self.people.items())]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]
