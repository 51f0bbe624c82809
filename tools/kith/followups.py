"""Follow-ups: who is due for what on a given day.

Pure functions over the model. `kith due`, the calendar feed and the site all
call `due_items` (or `items_for` for one person), so they cannot disagree.
The rules, for users, are in docs/reference/followups.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable, Iterable, NamedTuple

from .config import Settings
from .dates import add_cadence, day_and_month, next_birthday
from .model import CIRCLES, Credit, LogEntry, Network, Person
from .text import fold

REASONS = ("cadence", "task", "met", "birthday", "intro")
"""Every reason a person can be due, in the order ties on one day are listed."""

SNOOZABLE = frozenset({"cadence", "met", "intro"})
"""Snooze pauses reminders you set yourself; tasks and birthdays keep their day."""


@dataclass(frozen=True)
class Due:
    """One reason to get in touch with one person, falling due on one day."""

    slug: str
    name: str
    reason: str  # one of REASONS
    due: dt.date
    days_overdue: int  # negative while not yet due
    detail: str  # why, in words
    path: str  # the contact file, relative to the repository root
    line: int  # the source line the item comes from
    circle: str | None = None
    key: str = ""  # tells apart a person's items of one reason, stable across runs
    other: str | None = None  # for an intro: the slug of the person introduced

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0

    def when(self) -> str:
        return describe_when(self.days_overdue)

    def as_dict(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "name": self.name,
            "reason": self.reason,
            "due": self.due.isoformat(),
            "days_overdue": self.days_overdue,
            "when": self.when(),
            "detail": self.detail,
            "path": self.path,
            "line": self.line,
            "circle": self.circle,
            "key": self.key,
            "other": self.other,
        }


def describe_when(days_overdue: int) -> str:
    """`3 days overdue`, `due today`, `in 4 days`: the words every view uses."""
    if days_overdue == 0:
        return "due today"
    days = abs(days_overdue)
    unit = "day" if days == 1 else "days"
    return f"{days} {unit} overdue" if days_overdue > 0 else f"in {days} {unit}"


# -- contact ---------------------------------------------------------------


def contact_log(person: Person, today: dt.date) -> list[LogEntry | Credit]:
    """Every entry up to `today` that is contact with `person`: their own
    log, and entries written elsewhere that count as contact with them
    (`Person.credits`, see kith.contact). An entry dated later is a plan,
    not contact. The one source of last contact, cadence and follow-ups."""
    own = [e for e in person.log if e.date <= today]
    if person.credits:
        own.extend(c for c in person.credits if c.date <= today)
    return own


def last_contact(person: Person, today: dt.date) -> dt.date | None:
    """The newest log entry up to `today`, else the day you met, else None."""
    newest = max((e.date for e in contact_log(person, today)), default=None)
    if newest is not None:
        return newest
    if person.met and person.met.date and person.met.date <= today:
        return person.met.date
    return None


def _contact_since(person: Person, day: dt.date, today: dt.date, *, strictly_after: bool) -> bool:
    for entry in contact_log(person, today):
        if entry.date > day or (entry.date == day and not strictly_after):
            return True
    return False


def _met_label(person: Person) -> str:
    met = person.met
    assert met is not None and met.date is not None
    place = met.event or met.where
    return f"met at {place}" if place else f"met on {met.date.isoformat()}"


# -- the rules, one person at a time -----------------------------------------


class _Found(NamedTuple):
    """One rule's answer, before it becomes a `Due` for a person."""

    reason: str
    due: dt.date
    detail: str
    line: int
    key: str
    other: str | None = None


def _cadence(person: Person, today: dt.date) -> Iterable[_Found]:
    if person.cadence is None:
        return
    every = person.cadence.describe()
    line = person.line_of("cadence")
    last = last_contact(person, today)
    if last is None:
        yield _Found("cadence", today, f"{every}; never in touch yet", line, "cadence")
        return
    since = "last contact" if contact_log(person, today) else "met"
    due = add_cadence(last, person.cadence)
    yield _Found("cadence", due, f"{every}; {since} {last.isoformat()}", line, "cadence")


def _tasks(person: Person, include_private: bool) -> Iterable[_Found]:
    for task in person.open_tasks:
        if task.due is None or (task.private and not include_private):
            continue
        yield _Found("task", task.due, task.text, task.line, f"{task.due.isoformat()} {task.text}")


def _met(person: Person, today: dt.date, settings: Settings) -> Iterable[_Found]:
    met = person.met
    if met is None or met.date is None:
        return
    if not 0 <= (today - met.date).days <= settings.met_window:
        return
    if _contact_since(person, met.date, today, strictly_after=False):
        return
    due = met.date + dt.timedelta(days=settings.met_followup)
    yield _Found("met", due, _met_label(person), person.line_of("met.date"), "met")


def _birthday(person: Person, today: dt.date) -> Iterable[_Found]:
    if person.birthday is None:
        return
    day = next_birthday(person.birthday, today)
    year = person.birthday.year
    # "turns 42" when the year is known, else the day itself ("3 February"):
    # the reason column already says it is a birthday.
    detail = f"turns {day.year - year}" if year is not None and day.year > year else day_and_month(person.birthday)
    yield _Found("birthday", day, detail, person.line_of("birthday"), "birthday")


def _intros(person: Person, today: dt.date, settings: Settings, include_private: bool) -> Iterable[_Found]:
    for entry in person.log:
        if entry.kind != "intro" or entry.date > today or (entry.private and not include_private):
            continue
        if _contact_since(person, entry.date, today, strictly_after=True):
            continue
        due = entry.date + dt.timedelta(days=settings.intro_followup)
        for other in dict.fromkeys(entry.mentions):
            if other == person.slug:
                continue
            detail = f"intro to [[{other}]] on {entry.date.isoformat()}: how did it go?"
            yield _Found("intro", due, detail, entry.line, f"{entry.date.isoformat()} {other}", other)


def items_for(
    person: Person, today: dt.date, settings: Settings, include_private: bool = True
) -> list[Due]:
    """Everything `person` is due for, whatever the day, snooze applied.

    With `include_private=False`, items written in a `## Private` section
    (their text is private) are left out; whether the person is private is
    for the caller (`due_items`) to decide.
    """
    found = [
        *_cadence(person, today),
        *_tasks(person, include_private),
        *_met(person, today, settings),
        *_birthday(person, today),
        *_intros(person, today, settings, include_private),
    ]
    if person.snooze is not None and today < person.snooze:
        found = [f for f in found if f.reason not in SNOOZABLE]
    items = [
        Due(
            slug=person.slug,
            name=person.name,
            reason=reason,
            due=due,
            days_overdue=(today - due).days,
            detail=detail,
            path=person.relpath,
            line=line,
            circle=person.circle,
            key=key,
            other=other,
        )
        for reason, due, detail, line, key, other in found
    ]
    return sorted(items, key=by_due)


# -- the list ----------------------------------------------------------------


def by_due(item: Due) -> tuple:
    """Calendar order: by day, then slug, then reason, then source line."""
    return (item.due, item.slug, REASONS.index(item.reason), item.line, item.key)


def _circle_rank(circle: str | None) -> int:
    return CIRCLES.index(circle) if circle in CIRCLES else len(CIRCLES)


def by_urgency(item: Due) -> tuple:
    """Most overdue first; on the same day, closer circles first."""
    return (item.due, _circle_rank(item.circle), *by_due(item)[1:])


def most_urgent(items: Iterable[Due], limit: int | None) -> list[Due]:
    """`items` most overdue first, cut to `limit` (0 or None: all of them)."""
    ordered = sorted(items, key=by_urgency)
    return ordered[:limit] if limit else ordered


def due_items(
    network: Network,
    today: dt.date,
    settings: Settings,
    within: int | None = None,
    tag: str | None = None,
    circle: str | None = None,
    include_private: bool = True,
    limit: int | None = None,
    items_of: Callable[[Person], list[Due]] | None = None,
) -> list[Due]:
    """The follow-up list for `today`: every item due on or before
    `today + within` days (default `settings.within`), ordered by `by_due`.

    `limit` (default `settings.limit`; 0 means no limit) keeps the most urgent
    items (see `by_urgency`), still returned in `by_due` order.
    `include_private=False` is the site's view: no private people, no items
    from `## Private` sections. `items_of(person)`, when given, must return
    `items_for(person, today, settings, include_private)` (the site passes a
    memoised one).
    """
    horizon = today + dt.timedelta(days=settings.within if within is None else within)
    wanted_tag = fold(tag) if tag else None
    items: list[Due] = []
    for person in network.sorted_people():
        if person.private and not include_private:
            continue
        if circle is not None and person.circle != circle:
            continue
        if wanted_tag is not None and wanted_tag not in {fold(t) for t in person.tags}:
            continue
        found = items_of(person) if items_of is not None else items_for(person, today, settings, include_private)
        items.extend(i for i in found if i.due <= horizon)
    cut = settings.limit if limit is None else limit
    kept = most_urgent(items, cut) if cut else items
    return sorted(kept, key=by_due)


def next_due(
    person: Person, today: dt.date, settings: Settings, include_private: bool = True
) -> Due | None:
    """What a person page says next: the most urgent of their items, if any."""
    return most_urgent_one(items_for(person, today, settings, include_private))


def most_urgent_one(items: Iterable[Due]) -> Due | None:
    """The first of `most_urgent(items)`, if any."""
    found = most_urgent(items, 1)
    return found[0] if found else None


def never_followed_up(people: Iterable[Person], today: dt.date) -> list[Person]:
    """People you met (by `today`) and have logged nothing with since that day,
    however long ago: for event pages. Ordered by the day met, then slug."""
    found = [
        p
        for p in people
        if p.met is not None
        and p.met.date is not None
        and p.met.date <= today
        and not _contact_since(p, p.met.date, today, strictly_after=False)
    ]
    return sorted(found, key=lambda p: (p.met.date, p.slug))  # type: ignore[union-attr]
