"""Small edits from the terminal: tick a task (`kith done`), snooze a person
(`kith snooze`), set front-matter values on many people at once (`kith set`).

Pure: each function takes a `Document` (the one writer's view of a file)
and changes it, or reads the network; the CLI reads and writes the files.
Values are checked by the loader's own rules (the ones `kith validate`
applies) before anything is written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import schema
from .dates import add_cadence, parse_birthday, parse_cadence, parse_iso_date
from .fields import did_you_mean
from .importers.clean import fold
from .load import parse_person
from .model import Network, Person, Task
from .write import Document, WriteError

DONE_MARK = re.compile(r"\[[ ]\]")
DONE_SUFFIX = " (done {day})"
"""What `kith done` writes after the task's text: `- [x] 2026-12-01 send
the deck (done 2026-12-03)`. The body reads it as a done task whose text
ends with the marker, so the day it was done shows wherever the task does."""


class TidyError(Exception):
    """A request that cannot be carried out; the message says why."""


# -- kith done ----------------------------------------------------------------


def task_label(task: Task) -> str:
    return f"{task.due.isoformat()} {task.text}" if task.due else task.text


def matching_tasks(person: Person, text: str | None) -> list[Task]:
    """Open tasks matching `text` (their due day and words, case and accents
    ignored); an exact match wins over partial ones. No text: every open task."""
    tasks = person.open_tasks
    if not text:
        return tasks
    wanted = fold(text)
    exact = [t for t in tasks if fold(t.text) == wanted or fold(task_label(t)) == wanted]
    if exact:
        return exact
    return [t for t in tasks if wanted in fold(task_label(t))]


def tick(doc: Document, task: Task, day: dt.date) -> str:
    """`- [ ] ...` on the task's line -> `- [x] ... (done DAY)`; returns the new line."""
    old = doc.body_line(task.line)
    mark = DONE_MARK.search(old)
    if mark is None or task.text not in old:
        raise WriteError(f"line {task.line} is not an open task any more; run the command again")
    body = old.rstrip(" \t")
    new = body[: mark.start()] + "[x]" + body[mark.end() :] + DONE_SUFFIX.format(day=day.isoformat())
    doc.replace_body_line(task.line, old, new)
    return new


# -- kith snooze --------------------------------------------------------------

OFF = ("off", "none", "clear")


def parse_until(text: str, today: dt.date) -> dt.date | None:
    """`2027-01-15`, or a span from today like `10d`, `2w`, `3m`, `1y`;
    None for `off`. Raises TidyError for anything else or a day past."""
    value = text.strip().lower()
    if value in OFF:
        return None
    day = parse_iso_date(value)
    if day is None:
        span = parse_cadence(value)
        if span is None:
            raise TidyError(f"`{text}` is not a day (YYYY-MM-DD) or a span like 10d, 2w, 3m, 1y")
        day = add_cadence(today, span)
    if day <= today:
        raise TidyError(f"{day.isoformat()} is not after today ({today.isoformat()}): nothing would be snoozed")
    return day


# -- kith set -----------------------------------------------------------------


@dataclass(frozen=True)
class Assignment:
    """`KEY=VALUE` (replace), `KEY+=VALUE` (add to a list), `KEY-=VALUE`
    (take out of a list) or `KEY=` (remove the key)."""

    path: tuple[str, ...]
    op: str  # "=", "+=", "-="
    value: Any  # typed for the key; None removes it

    @property
    def key(self) -> str:
        return ".".join(self.path)

    def describe(self) -> str:
        if self.op == "=" and self.value is None:
            return f"-{self.key}"
        shown = ", ".join(map(_text, self.value)) if isinstance(self.value, list) else _text(self.value)
        return f"{self.key}{self.op}{shown}" if self.op != "=" else f"{self.key}: {shown}"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


ASSIGNMENT = re.compile(r"^([A-Za-z_][\w.-]*?)(\+=|-=|=)(.*)$", re.S)
SETTABLE = tuple(k for k in schema.KEYS if k not in ("relationships",))
NESTED = {"met": tuple(f.key for f in schema.MET_FIELDS)}


def parse_assignment(text: str) -> Assignment:
    match = ASSIGNMENT.match(text)
    if not match:
        raise TidyError(f"`{text}` is not KEY=VALUE")
    key, op, raw = match.group(1), match.group(2), match.group(3).strip()
    if "\n" in raw or "\r" in raw:
        raise TidyError(f"{key}: a value is one line")
    path = tuple(key.split("."))
    top = path[0]
    if top not in SETTABLE:
        hint = did_you_mean(top, list(SETTABLE))
        if top == "relationships":
            raise TidyError("relationships cannot be set here: edit the file, or add them with `kith enrich`")
        raise TidyError(f"unknown key `{top}`{hint}")
    field = schema.BY_KEY[top]
    if len(path) > 1:
        if top == "links" and len(path) == 2 and path[1]:
            kind = schema.TEXT
        elif top in NESTED and len(path) == 2 and path[1] in NESTED[top]:
            kind = next(f.kind for f in schema.MET_FIELDS if f.key == path[1])
        else:
            raise TidyError(f"`{key}` is not a key kith knows")
    else:
        if top in ("met", "links"):
            raise TidyError(f"give one part of `{top}`: {top}.{'where' if top == 'met' else 'web'}=...")
        kind = field.kind
    if top == "name" and (op != "=" or not raw):
        raise TidyError("name is required: it can be changed, not removed")
    if op != "=" and kind not in schema.LIST_KINDS:
        raise TidyError(f"{op} is for lists (tags, emails, ...); `{key}` holds one value: use {key}=VALUE")
    if op == "=" and not raw:
        return Assignment(path, op, None)
    return Assignment(path, op, _typed(key, kind, raw))


def _typed(key: str, kind: str, raw: str) -> Any:
    if kind in schema.LIST_KINDS:
        items = [item.strip() for item in raw.split(",")]
        if not all(items):
            raise TidyError(f"{key}: an empty item in `{raw}`")
        return items
    if kind == schema.DATE:
        day = parse_iso_date(raw)
        if day is None:
            raise TidyError(f"{key}: `{raw}` is not a day; write YYYY-MM-DD")
        return day
    if kind == schema.BIRTHDAY:
        birthday = parse_birthday(raw)
        if birthday is None:
            raise TidyError(f"{key}: `{raw}` is not a birthday; write YYYY-MM-DD or --MM-DD")
        if birthday.year is None:
            return birthday.iso()
        return dt.date(birthday.year, birthday.month, birthday.day)
    if kind == schema.BOOL:
        if raw.lower() not in ("true", "false"):
            raise TidyError(f"{key}: write true or false, not `{raw}`")
        return raw.lower() == "true"
    if kind == schema.CIRCLE:
        return raw.lower()
    if kind == schema.CADENCE:
        return raw.lower().replace(" ", "")
    return raw


def check_assignments(assignments: list[Assignment]) -> None:
    """Run the values through the loader's rules on a file that holds only
    them: a circle that is not one, a bad email or cadence is refused here,
    before any file is touched, with validate's own message."""
    doc = Document.from_text("---\nname: x\n---\n")
    for item in assignments:
        if item.value is not None:
            apply_assignment(doc, item)
    found = parse_person(doc.to_bytes(), Path("check.md"), "check.md").findings
    errors = [f for f in found if f.severity == "error"]
    if errors:
        raise TidyError("; ".join(f"{f.message} [{f.code}]" for f in errors))


def apply_assignment(doc: Document, item: Assignment) -> list[str]:
    """Make the edit; returns what changed (`cadence: 3m`, `+tag pycon`),
    nothing when the file already says so."""
    if item.value is None:
        return [f"-{item.key}"] if doc.remove_in(item.path) else []
    if item.op == "=":
        return [item.describe()] if doc.set_in(item.path, item.value) else []
    key = item.path[0]
    singular = key[:-1] if key.endswith("s") else key
    said: list[str] = []
    if item.op == "+=":
        for value in item.value:
            current = doc.get(key)
            items = current if isinstance(current, list) else [current] if isinstance(current, str) else []
            if any(isinstance(x, str) and fold(x) == fold(value) for x in items):
                continue
            if doc.add_to_list(key, value):
                said.append(f"+{singular} {value}")
        return said
    if isinstance(doc.get(key), str):
        doc.to_list(key)
    for value in item.value:
        current = doc.get(key)
        if not isinstance(current, list):
            break
        for index in reversed(range(len(current))):
            here = current[index]
            if isinstance(here, str) and fold(here) == fold(value):
                doc.remove_in((key, index))
                said.append(f"-{singular} {here}")
                break
    return said


def has_no(person: Person, key: str) -> bool:
    """True when `key` (dotted for `met.date`) is missing, empty or null."""
    value: Any = person.meta
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return True
        value = value[part]
    return value is None or value == "" or value == [] or value == {}


def select(
    network: Network,
    slugs: list[str],
    tag: str | None,
    company: str | None,
    circle: str | None,
    no: list[str],
) -> list[Person]:
    """The people `kith set` changes: the SLUGs given (else everyone), kept
    when they match every option."""
    if slugs:
        people = []
        for slug in slugs:
            person = network.get(slug)
            if person is None:
                raise TidyError(f"no person `{slug}`" + did_you_mean(slug, sorted(network.people)))
            people.append(person)
    else:
        people = network.sorted_people()
    if tag is not None:
        people = [p for p in people if any(fold(t) == fold(tag) for t in p.tags)]
    if company is not None:
        people = [p for p in people if p.company is not None and fold(p.company) == fold(company)]
    if circle is not None:
        people = [p for p in people if p.circle == circle.lower()]
    for key in no:
        people = [p for p in people if has_no(p, key)]
    return people
