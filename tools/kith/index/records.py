"""What the index keeps of a person, as JSON, and the strict way back.

Three records per person, each holding only what the commands that read it
show or need:

- the *card* (`card_of` / `person_of`): the Person as `kith find` and
  `kith show` read it (its `credits`, contact written in other files, are
  rows of their own: kith.index.query.credits). Not kept: the front matter
  as read (`meta`, unknown keys), the lines of `[[mentions]]` (their text
  can sit in a `## Private` section, and no command here shows it) and the
  line of every key but the few a follow-up names. The text of `## Private`
  sections is not in a Person at all, so it is not here either.
- the *plan* (`plan_json` / `plan_from`): `followups.Plan`, what the
  follow-up rules read, for `kith due`.
- the *links* (`links_json` / `links_from`): what suggestions read (name,
  circle, needs, offers, interests, the event met at, and whom the file
  links to).

Reading back never trusts the file: every value is checked for its type and
shape and rebuilt into the model's own classes; anything else raises
`Damaged`, and the index is thrown away and rebuilt from the contact files.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from pathlib import Path
from typing import Any

from ..followups import Plan
from ..model import Birthday, Cadence, LogEntry, Mention, Met, Person, Relationship, Task
from .store import Damaged

# The key lines a command shows (a follow-up's line, a relation's line); the
# rest of a file's key lines only serve `kith validate`, which reads files.
KEY_LINES = ("cadence", "met", "met.date", "met.via", "birthday")

_MAX_ORDINAL = dt.date.max.toordinal()


# -- writing -------------------------------------------------------------------


def _day(value: dt.date | None) -> int | None:
    return None if value is None else value.toordinal()


def card_of(person: Person) -> bytes:
    """The person as a compressed JSON card."""
    met = person.met
    record = {
        "slug": person.slug,
        "relpath": person.relpath,
        "name": person.name,
        "aka": person.aka,
        "company": person.company,
        "title": person.title,
        "location": person.location,
        "emails": person.emails,
        "phones": person.phones,
        "links": [[k, v] for k, v in person.links.items()],
        "tags": person.tags,
        "circle": person.circle,
        "cadence": None if person.cadence is None else [person.cadence.count, person.cadence.unit, person.cadence.text],
        "snooze": _day(person.snooze),
        "met": None if met is None else [_day(met.date), met.where, met.event, met.via, met.line],
        "birthday": None
        if person.birthday is None
        else [person.birthday.month, person.birthday.day, person.birthday.year],
        "interests": person.interests,
        "offers": person.offers,
        "needs": person.needs,
        "relationships": [[r.other, r.type, r.line] for r in person.relationships],
        "private": person.private,
        "log": [[e.date.toordinal(), e.kind, e.text, e.line, list(e.mentions), e.private] for e in person.log],
        "tasks": [[_day(t.due), t.text, t.done, t.line, list(t.mentions), t.private] for t in person.tasks],
        "mentions": [[m.slug, m.line, m.private] for m in person.mentions],
        "notes": person.notes,
        "withheld": person.withheld,
        "notes_plain": person.notes_plain,
        "body_line": person.body_line,
        "key_lines": {k: person.key_lines[k] for k in KEY_LINES if k in person.key_lines},
    }
    return zlib.compress(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 1)


def plan_json(plan: Plan) -> str:
    return json.dumps(
        [
            plan.slug,
            plan.name,
            plan.path,
            plan.circle,
            list(plan.tags),
            plan.private,
            None if plan.cadence is None else [plan.cadence.count, plan.cadence.unit, plan.cadence.text],
            plan.cadence_line,
            _day(plan.met),
            plan.met_line,
            plan.met_label,
            None if plan.birthday is None else [plan.birthday.month, plan.birthday.day, plan.birthday.year],
            plan.birthday_line,
            [[d.toordinal(), text, line, private] for d, text, line, private in plan.tasks],
            [[d.toordinal(), line, private, list(others)] for d, line, private, others in plan.intros],
            _day(plan.snooze),
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def links_json(person: Person, links: list[str]) -> str:
    event = person.met.event if person.met is not None else None
    return json.dumps(
        [person.name, person.circle, person.needs, person.offers, person.interests, event, links],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def rels_json(person: Person) -> str:
    """What `kith show` reads of the people who name someone: their
    relationships and `met.via` (with its line)."""
    via = person.met.via if person.met is not None else None
    return json.dumps(
        [[[r.other, r.type, r.line] for r in person.relationships], via, person.line_of("met.via")],
        ensure_ascii=False,
        separators=(",", ":"),
    )


# -- reading -------------------------------------------------------------------


def _str(value: Any) -> str:
    if type(value) is not str:
        raise Damaged("text expected")
    return value


def _opt_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _int(value: Any, low: int = 0, high: int = 1 << 62) -> int:
    if type(value) is not int or not low <= value <= high:
        raise Damaged("number expected")
    return value


def _bool(value: Any) -> bool:
    if type(value) is not bool:
        raise Damaged("true/false expected")
    return value


def _list(value: Any, length: int | None = None) -> list:
    if type(value) is not list or (length is not None and len(value) != length):
        raise Damaged("list expected")
    return value


def _strs(value: Any) -> list[str]:
    items = _list(value)
    for item in items:
        if type(item) is not str:
            raise Damaged("text expected")
    return items


def _date(value: Any) -> dt.date:
    return dt.date.fromordinal(_int(value, 1, _MAX_ORDINAL))


def _opt_date(value: Any) -> dt.date | None:
    return None if value is None else _date(value)


def _cadence(value: Any) -> Cadence | None:
    if value is None:
        return None
    count, unit, text = _list(value, 3)
    if unit not in ("d", "w", "m", "y"):
        raise Damaged("cadence unit")
    return Cadence(_int(count, 1), unit, _str(text))


def _birthday(value: Any) -> Birthday | None:
    if value is None:
        return None
    month, day, year = _list(value, 3)
    try:
        dt.date(2000, _int(month, 1, 12), _int(day, 1, 31))  # 2000: 29 February exists
    except ValueError:
        raise Damaged("birthday") from None
    return Birthday(month, day, None if year is None else _int(year, 1, 9999))


def _mapping(value: Any) -> dict:
    if type(value) is not dict:
        raise Damaged("mapping expected")
    return value


def _load(text: str | bytes) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise Damaged("not JSON") from None


CARD_KEYS = frozenset(
    "slug relpath name aka company title location emails phones links tags circle cadence snooze met "
    "birthday interests offers needs relationships private log tasks mentions notes withheld notes_plain "
    "body_line key_lines".split()
)


def person_of(card: Any, root: Path) -> Person:
    """A card back into a Person (its path under `root`)."""
    if type(card) is not bytes:
        raise Damaged("card expected")
    try:
        raw = zlib.decompress(card)
    except zlib.error:
        raise Damaged("card is not compressed JSON") from None
    record = _mapping(_load(raw))
    if set(record) != CARD_KEYS:
        raise Damaged("card keys")
    relpath = _str(record["relpath"])
    met = record["met"]
    if met is not None:
        day, where, event, via, line = _list(met, 5)
        met = Met(_opt_date(day), _opt_str(where), _opt_str(event), _opt_str(via), _int(line))
    links = {}
    for pair in _list(record["links"]):
        key, url = _list(pair, 2)
        links[_str(key)] = _str(url)
    log = []
    for item in _list(record["log"]):
        day, kind, text, line, mentions, private = _list(item, 6)
        log.append(LogEntry(_date(day), _str(kind), _str(text), _int(line), tuple(_strs(mentions)), _bool(private)))
    tasks = []
    for item in _list(record["tasks"]):
        due, text, done, line, mentions, private = _list(item, 6)
        tasks.append(Task(_opt_date(due), _str(text), _bool(done), _int(line), tuple(_strs(mentions)), _bool(private)))
    mentions = []
    for item in _list(record["mentions"]):
        slug, line, private = _list(item, 3)
        mentions.append(Mention(_str(slug), _int(line), "", _bool(private)))
    relationships = []
    for item in _list(record["relationships"]):
        other, rel_type, line = _list(item, 3)
        relationships.append(Relationship(_str(other), _str(rel_type), _int(line)))
    key_lines = _mapping(record["key_lines"])
    for key, line in key_lines.items():
        if key not in KEY_LINES:
            raise Damaged("key line")
        _int(line)
    return Person(
        slug=_str(record["slug"]),
        path=root / relpath,
        relpath=relpath,
        name=_str(record["name"]),
        aka=_strs(record["aka"]),
        company=_opt_str(record["company"]),
        title=_opt_str(record["title"]),
        location=_opt_str(record["location"]),
        emails=_strs(record["emails"]),
        phones=_strs(record["phones"]),
        links=links,
        tags=_strs(record["tags"]),
        circle=_opt_str(record["circle"]),
        cadence=_cadence(record["cadence"]),
        snooze=_opt_date(record["snooze"]),
        met=met,
        birthday=_birthday(record["birthday"]),
        interests=_strs(record["interests"]),
        offers=_strs(record["offers"]),
        needs=_strs(record["needs"]),
        relationships=relationships,
        private=_bool(record["private"]),
        log=log,
        tasks=tasks,
        mentions=mentions,
        notes=_str(record["notes"]),
        withheld=_bool(record["withheld"]),
        notes_plain=_bool(record["notes_plain"]),
        body_line=_int(record["body_line"]),
        key_lines=key_lines,
    )


def plans_from(rows: list[tuple[Any, ...]], more: list[int | None] | None = None) -> list[Plan]:
    """Plans from (plan_json record, log days, ...) rows; the log days are
    either a JSON list or, when only the last one matters, that day (or
    None). `more`: for each row, one more day of contact (written
    elsewhere: kith.index.query.last_credits), or None."""
    for row in rows:
        if type(row[0]) is not str:
            raise Damaged("plan")
    values = _list(_load("[" + ",".join(row[0] for row in rows) + "]"), len(rows))
    cadences: dict[tuple, Cadence] = {}
    birthdays: dict[tuple, Birthday] = {}
    if more is None:
        return [_plan(value, _contacts(row[1]), cadences, birthdays) for value, row in zip(values, rows)]
    plans = []
    for value, row, day in zip(values, rows, more):
        contacts = _contacts(row[1])
        if day is not None:
            # Sorted, as a plan's days are (usually the latest: no sort).
            contacts = (*contacts, day) if not contacts or contacts[-1] <= day else tuple(sorted((*contacts, day)))
        plans.append(_plan(value, contacts, cadences, birthdays))
    return plans


def _contacts(days: Any) -> tuple[int, ...]:
    if days is None:
        return ()
    if type(days) is int:
        if not 1 <= days <= _MAX_ORDINAL:
            raise Damaged("log day")
        return (days,)
    if type(days) is not str:
        raise Damaged("log days")
    listed = _list(_load(days))
    previous = 1
    for day in listed:
        if type(day) is not int or not previous <= day <= _MAX_ORDINAL:
            raise Damaged("log day")  # also: out of order
        previous = day
    return tuple(listed)


_BIRTHDAYS = frozenset(
    (month, day) for month in range(1, 13) for day in range(1, 32) if day <= (29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31)
)
_LINE = 1 << 62


def _plan(value: Any, contacts: tuple[int, ...], cadences: dict, birthdays: dict) -> Plan:
    # Checked inline (`kith due` reads thousands of these): the same checks
    # as the helpers above, without a call for each value; equal cadences
    # and birthdays (immutable) are made once.
    if type(value) is not list or len(value) != 16:
        raise Damaged("plan")
    (
        slug,
        name,
        path,
        circle,
        tags,
        private,
        cadence,
        cadence_line,
        met,
        met_line,
        met_label,
        birthday,
        birthday_line,
        tasks,
        intros,
        snooze,
    ) = value
    if not (
        type(slug) is str
        and type(name) is str
        and type(path) is str
        and type(met_label) is str
        and (circle is None or type(circle) is str)
        and type(private) is bool
        and type(cadence_line) is int
        and type(met_line) is int
        and type(birthday_line) is int
        and 0 <= cadence_line < _LINE
        and 0 <= met_line < _LINE
        and 0 <= birthday_line < _LINE
        and type(tags) is list
        and type(tasks) is list
        and type(intros) is list
    ):
        raise Damaged("plan")
    for tag in tags:
        if type(tag) is not str:
            raise Damaged("plan tag")
    if cadence is not None:
        if type(cadence) is not list:
            raise Damaged("plan cadence")
        key = tuple(cadence)
        made = cadences.get(key)
        if made is None:
            made = cadences[key] = _cadence(cadence)
        cadence = made
    if birthday is not None:
        if type(birthday) is not list or len(birthday) != 3:
            raise Damaged("plan birthday")
        key = tuple(birthday)
        made = birthdays.get(key)
        if made is None:
            month, day, year = birthday
            if type(month) is not int or type(day) is not int or (month, day) not in _BIRTHDAYS:
                raise Damaged("plan birthday")
            if year is not None and (type(year) is not int or not 1 <= year <= 9999):
                raise Damaged("plan birthday")
            made = birthdays[key] = Birthday(month, day, year)
        birthday = made
    if met is not None:
        if type(met) is not int or not 1 <= met <= _MAX_ORDINAL:
            raise Damaged("plan met")
        met = _fromordinal(met)
    if snooze is not None:
        if type(snooze) is not int or not 1 <= snooze <= _MAX_ORDINAL:
            raise Damaged("plan snooze")
        snooze = _fromordinal(snooze)
    # Positional, in the fields' order: a NamedTuple made by keyword costs
    # more than the rest of these checks together.
    return _new_plan(
        Plan,
        (
            slug,
            name,
            path,
            circle,
            tuple(tags),
            private,
            cadence,
            cadence_line,
            contacts,
            met,
            met_line,
            met_label,
            birthday,
            birthday_line,
            tuple(map(_task, tasks)) if tasks else (),
            tuple(map(_intro, intros)) if intros else (),
            snooze,
        ),
    )


_new_plan = tuple.__new__
_fromordinal = dt.date.fromordinal
assert Plan._fields == (
    "slug", "name", "path", "circle", "tags", "private", "cadence", "cadence_line", "contacts",
    "met", "met_line", "met_label", "birthday", "birthday_line", "tasks", "intros", "snooze",
)  # fmt: skip


def _task(value: Any) -> tuple[dt.date, str, int, bool]:
    if type(value) is not list or len(value) != 4:
        raise Damaged("plan task")
    due, text, line, private = value
    if not (
        type(due) is int
        and 1 <= due <= _MAX_ORDINAL
        and type(text) is str
        and type(line) is int
        and 0 <= line < _LINE
        and type(private) is bool
    ):
        raise Damaged("plan task")
    return _fromordinal(due), text, line, private


def _intro(value: Any) -> tuple[dt.date, int, bool, tuple[str, ...]]:
    day, line, private, others = _list(value, 4)
    return _date(day), _int(line), _bool(private), tuple(_strs(others))


class Relating:
    """Someone as `graph.relations_of` reads them (and `kith show` their
    name): their relationships and `met.via`, from `rels_json`."""

    __slots__ = ("slug", "name", "relationships", "met", "via_line")

    def __init__(self, slug: str, name: str, rels: Any = None) -> None:
        self.slug = _str(slug)
        self.name = _str(name)
        self.relationships: list[Relationship] = []
        self.met: Met | None = None
        self.via_line = 1
        if rels is None:
            return
        if type(rels) is not str:
            raise Damaged("rels expected")
        relationships, via, via_line = _list(_load(rels), 3)
        for item in _list(relationships):
            other, rel_type, line = _list(item, 3)
            self.relationships.append(Relationship(_str(other), _str(rel_type), _int(line)))
        if via is not None:
            self.met = Met(via=_str(via))
        self.via_line = _int(via_line)

    def line_of(self, key: str) -> int:
        return self.via_line  # the only key read: met.via


class Linked:
    """What suggestions read of one person (`suggest.suggestions` takes
    anything with these attributes)."""

    __slots__ = ("slug", "name", "circle", "needs", "offers", "interests", "met", "links")

    def __init__(self, slug: str, value: Any) -> None:
        name, circle, needs, offers, interests, event, links = _list(value, 7)
        self.slug = slug
        self.name = _str(name)
        self.circle = _opt_str(circle)
        self.needs = _strs(needs)
        self.offers = _strs(offers)
        self.interests = _strs(interests)
        self.met = None if event is None else Met(event=_str(event))
        self.links = frozenset(_strs(links))


def linked_from(slugs: list[str], text: Any) -> list[Linked]:
    """`Linked` people from a JSON array of `links_json` records, one per slug."""
    if type(text) is not str:
        raise Damaged("links expected")
    values = _list(_load(text), len(slugs))
    return [Linked(slug, value) for slug, value in zip(slugs, values)]
