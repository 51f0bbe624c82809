"""Front-matter values into the model, with a finding for each value that is
wrong. One function per kind of value in `schema.py`."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import sys
from typing import Any, Callable

from . import schema
from .dates import parse_birthday, parse_cadence, parse_iso_date
from .model import CIRCLES, Met, Person, Relationship
from .parse import FrontMatter, InvalidDate, LongNumber, Problem, Scalar
from .relations import INVERSE, normalise_type

EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[^@\s<>(),;:\"\[\].]+$")


def did_you_mean(word: str, choices: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.7)
    return f"; did you mean `{close[0]}`?" if close else ""


def changed_by_yaml(scalar: Scalar) -> bool:
    """True when the unquoted text does not survive YAML 1.1's typing."""
    value = scalar.value
    if isinstance(value, bool):
        return scalar.raw.lower() not in ("true", "false")
    if isinstance(value, int):
        return scalar.raw != str(value)
    if isinstance(value, float):
        return scalar.raw.lower() not in (repr(value), str(value))
    return False


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class Reader:
    """Reads one file's front matter; collects problems as it goes."""

    def __init__(self, fm: FrontMatter) -> None:
        self.fm = fm
        self.problems: list[Problem] = []

    def line(self, path: tuple) -> int:
        while path:
            if path in self.fm.lines:
                return self.fm.lines[path]
            path = path[:-1]
        return 1

    def add(self, path: tuple, code: str, message: str) -> None:
        self.problems.append((self.line(path), code, message))

    @staticmethod
    def label(path: tuple) -> str:
        out = ""
        for part in path:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
        return out

    def coercion(self, path: tuple, scalar: Scalar) -> None:
        self.problems.append(
            (
                scalar.line,
                "yaml-coercion",
                f"`{self.label(path)}: {scalar.raw}` loads as {_shown(scalar.value)} "
                f"(YAML 1.1); quote it to keep the text: `\"{scalar.raw}\"`",
            )
        )

    # -- kinds of value ---------------------------------------------------

    def text(self, path: tuple, value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, str):
            return value.strip() or None
        if isinstance(value, (bool, int, float, dt.date)):
            scalar = self.fm.scalars.get(path)
            if scalar is None:
                return _shown(value)
            if changed_by_yaml(scalar):
                self.coercion(path, scalar)
            return scalar.raw
        self.add(path, "type", f"`{self.label(path)}` should be text, not {_kind(value)}")
        return None

    def text_list(self, path: tuple, value: Any) -> list[str]:
        if value is None:
            return []
        if isinstance(value, (str, int, float, dt.date)) and not isinstance(value, bool):
            key = self.label(path)
            single = self.text(path, value)
            if single is None:
                return []
            self.add(
                path,
                "single-string",
                f"`{key}` should be a list: write `{key}: [{single}]` "
                "(read as a one-item list)",
            )
            return [single]
        if not isinstance(value, list):
            self.add(path, "type", f"`{self.label(path)}` should be a list, not {_kind(value)}")
            return []
        items = []
        for index, item in enumerate(value):
            text = self.text(path + (index,), item)
            if text is not None:
                items.append(text)
        return items

    def emails(self, path: tuple, value: Any) -> list[str]:
        emails = self.text_list(path, value)
        for index, email in enumerate(emails):
            if not EMAIL.match(email):
                self.add(path + (index,), "email-invalid", f"`{email}` is not an email address")
        return emails

    def links(self, path: tuple, value: Any) -> dict[str, str]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.add(
                path,
                "type",
                "`links` should be named links, like `links: {web: \"https://example.org\"}`",
            )
            return {}
        out = {}
        for key, url in value.items():
            text = self.text(path + (key,), url)
            if text is not None:
                out[str(key)] = text
        return out

    def circle(self, path: tuple, value: Any) -> str | None:
        text = self.text(path, value)
        if text is None:
            return None
        if text.lower() not in CIRCLES:
            self.add(
                path,
                "circle-invalid",
                f"circle `{text}` is not one of {', '.join(CIRCLES)}"
                + did_you_mean(text.lower(), CIRCLES),
            )
            return None
        return text.lower()

    def cadence(self, path: tuple, value: Any):
        if value is None:
            return None
        raw = self.fm.scalars[path].raw if path in self.fm.scalars else value
        parsed = parse_cadence(value) if isinstance(value, str) else None
        if parsed is None:
            self.add(
                path,
                "cadence-invalid",
                f"cadence `{raw}` should be a number and a unit: 10d, 2w, 3m or 1y",
            )
        return parsed

    def date(self, path: tuple, value: Any) -> dt.date | None:
        if value is None:
            return None
        if isinstance(value, InvalidDate):
            self.add(path, "date-invalid", f"`{self.label(path)}: {value}` is not a real day")
            return None
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            parsed = parse_iso_date(value)
            if parsed is None:
                self.add(
                    path,
                    "date-invalid",
                    f"`{self.label(path)}: {value}` is not a date; write YYYY-MM-DD",
                )
            return parsed
        self.add(path, "date-invalid", f"`{self.label(path)}` should be a date, YYYY-MM-DD")
        return None

    def birthday(self, path: tuple, value: Any):
        if value is None:
            return None
        parsed = parse_birthday(value)
        if parsed is None:
            self.add(
                path,
                "date-invalid",
                f"birthday `{value}` is not a real day; write YYYY-MM-DD, "
                "or --MM-DD when the year is unknown",
            )
        return parsed

    def slug(self, path: tuple, value: Any) -> str | None:
        # `via: [[ada]]` is YAML for a list in a list; it means the link.
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], list):
            if len(value[0]) == 1 and isinstance(value[0][0], str):
                value = value[0][0]
        text = self.text(path, value)
        if text is None:
            return None
        if text.startswith("[[") and text.endswith("]]"):
            text = text[2:-2].strip()
        return text

    def boolean(self, path: tuple, value: Any) -> bool:
        if value is None:
            return False
        if isinstance(value, bool):
            return value
        self.add(path, "type", f"`{self.label(path)}` should be true or false")
        return False

    def met(self, path: tuple, value: Any) -> Met | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            self.add(
                path,
                "type",
                "`met` should be a mapping, like `met: {date: 2024-03-14, where: London}`",
            )
            return None
        children = {f.key for f in schema.MET_FIELDS}
        for key in value:
            if key not in children:
                self.add(
                    path + (key,),
                    "unknown-key",
                    f"unknown key `met.{key}`" + did_you_mean(str(key), sorted(children)),
                )
        return Met(
            date=self.date(path + ("date",), value.get("date")),
            where=self.text(path + ("where",), value.get("where")),
            event=self.text(path + ("event",), value.get("event")),
            via=self.slug(path + ("via",), value.get("via")),
            line=self.line(path),
        )

    def relationships(self, path: tuple, value: Any) -> list[Relationship]:
        if value is None:
            return []
        if isinstance(value, dict):
            value = [value]
        if not isinstance(value, list):
            self.add(
                path,
                "type",
                "`relationships` should be a list like `- {with: slug, type: colleague}`",
            )
            return []
        out = []
        for index, item in enumerate(value):
            here = path + (index,)
            if not isinstance(item, dict) or "with" not in item:
                self.add(
                    here,
                    "type",
                    "each relationship should be `{with: slug, type: colleague}`",
                )
                continue
            for key in item:
                if key not in ("with", "type"):
                    self.add(
                        here + (key,),
                        "unknown-key",
                        f"unknown key `{key}` in a relationship"
                        + did_you_mean(str(key), ["with", "type"]),
                    )
            other = self.slug(here + ("with",), item.get("with"))
            if other is None:
                self.add(here, "type", "relationship has no `with:` slug")
                continue
            raw_type = self.text(here + ("type",), item.get("type")) or "related"
            rel_type = normalise_type(raw_type)
            if rel_type not in INVERSE and rel_type != "related":
                self.add(
                    here + ("type",),
                    "relationship-type",
                    f"relationship type `{raw_type}` has no known inverse (taken as "
                    f"symmetric); known: {', '.join(sorted(INVERSE))}"
                    + did_you_mean(rel_type, sorted(INVERSE)),
                )
            out.append(Relationship(other, rel_type, self.line(here)))
        return out


# The only spellings that say for certain whether a person is private.
_TRUE = ("true", "True", "TRUE")
_FALSE = ("false", "False", "FALSE")


def _privacy(reader: Reader, data: dict, fm: FrontMatter) -> bool:
    """Whether the person is private, failing closed: only a single plain
    `private: false` (or no such key at all) makes them public. A flag
    written any other way (`Private: true`, `private: "true"`, `yes`, `1`,
    `[true]`, an empty value, a near miss like `privte:`, the key twice)
    keeps them private and is an error, so a typo can never publish someone."""
    doubts: list[tuple[tuple, str]] = []
    keys = [k for k in data if isinstance(k, str)]
    lookalikes = [k for k in keys if k != "private" and _like_private(k)]
    for key in lookalikes:
        doubts.append(((key,), f"`{key}:` looks like the privacy flag `private:` but is not spelled so"))
    duplicated = [line for path, line in fm.duplicates if path and isinstance(path[0], str) and _like_private(path[0])]
    if duplicated:
        doubts.append((("private",), "the privacy flag is given more than once"))
    verdict = False
    if "private" in data:
        value = data["private"]
        scalar = fm.scalars.get(("private",))
        if isinstance(value, bool) and scalar is not None and scalar.raw in _TRUE:
            verdict = True
        elif isinstance(value, bool) and scalar is not None and scalar.raw in _FALSE:
            verdict = False
        else:
            if value is None:
                why = "`private:` has no value"
            elif isinstance(value, (list, dict)):
                why = f"`private` is {_kind(value)}, not `true` or `false`"
            elif scalar is not None:
                why = f"`private: {scalar.raw}` is not `true` or `false`"
            else:
                why = f"`private: \"{value}\"` is quoted text, not `true` or `false`"
            doubts.append((("private",), why))
    for path, why in doubts:
        reader.add(
            path,
            "private-doubtful",
            f"{why}; the person is kept private until it reads exactly `private: true` or `private: false`",
        )
    return verdict or bool(doubts)


# The journal reads a note's flag by the same rule (journal.py).
privacy_flag = _privacy


def _like_private(key: str) -> bool:
    folded = key.strip().casefold()
    return folded == "private" or difflib.SequenceMatcher(None, folded, "private").ratio() >= 0.8


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    return type(value).__name__


READERS: dict[str, Callable[[Reader, tuple, Any], Any]] = {
    schema.TEXT: Reader.text,
    schema.LIST: Reader.text_list,
    schema.EMAIL_LIST: Reader.emails,
    schema.PHONE_LIST: Reader.text_list,
    schema.LINKS: Reader.links,
    schema.CIRCLE: Reader.circle,
    schema.CADENCE: Reader.cadence,
    schema.DATE: Reader.date,
    schema.BIRTHDAY: Reader.birthday,
    schema.MET: Reader.met,
    schema.RELATIONSHIPS: Reader.relationships,
    schema.BOOL: Reader.boolean,
    schema.SLUG: Reader.slug,
}


def read_front_matter(person: Person, fm: FrontMatter) -> list[Problem]:
    """Fill `person` from the front matter; return what is wrong with it."""
    reader = Reader(fm)
    data = fm.data
    for path, line in fm.duplicates:
        reader.problems.append(
            (line, "duplicate-key", f"`{Reader.label(path)}` is given twice; only the last counts")
        )
    person.meta = data
    # Keys are the same few dozen strings in every file: one copy each.
    person.key_lines = {
        sys.intern(".".join(p)): line for p, line in fm.lines.items() if all(isinstance(k, str) for k in p)
    }
    name = data.get("name")
    if name is None or (isinstance(name, str) and not name.strip()):
        reader.add(("name",), "name-missing", "`name` is missing: it is the only required key")
    elif not isinstance(name, str):
        scalar = fm.scalars.get(("name",))
        hint = f"; quote it: `name: \"{scalar.raw}\"`" if scalar else ""
        reader.add(("name",), "name-type", f"`name` should be text, not {_kind(name)}{hint}")
    else:
        person.name = name.strip()
    person.private = _privacy(reader, data, fm)
    for key, value in data.items():
        if key == "private":
            continue  # read by _privacy, which fails closed
        field = schema.BY_KEY.get(key) if isinstance(key, str) else None
        if field is None:
            reader.add(
                (key,),
                "unknown-key",
                f"unknown key `{key}`" + did_you_mean(str(key), schema.KEYS),
            )
            person.extra[str(key)] = value
            continue
        if key == "name":
            continue
        setattr(person, key, READERS[field.kind](reader, (key,), value))
    # Values under unknown keys are not read, but YAML still changed them.
    for path, scalar in fm.scalars.items():
        if isinstance(scalar.value, LongNumber):
            reader.problems.append(
                (
                    scalar.line,
                    "number-too-long",
                    f"`{Reader.label(path)}` holds a number of {len(scalar.raw):,} characters; "
                    "it is kept as text (quote it to say so)",
                )
            )
            continue
        top = schema.BY_KEY.get(path[0]) if path and isinstance(path[0], str) else None
        if top is None and changed_by_yaml(scalar):
            reader.coercion(path, scalar)
    return reader.problems
