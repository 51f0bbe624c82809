"""Follow-ups: who is due for what on a given day.

Pure functions over the model. `kith due`, the calendar feed and the site all
call `due_items` (or `items_for` for one person), so they cannot disagree.
The rules, for users, are in docs/reference/followups.md.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Callable, Iterable, NamedTuple, TypeVar

from .config import Settings
from .dates import add_cadence, day_and_month, next_birthday
from .model import CIRCLES, Birthday, Cadence, Credit, LogEntry, Network, Person

REASONS = ("cadence", "task", "met", "birthday", "intro")
"""Every reason a person can be due, in the order ties on one day are listed."""

REASON_LABELS = {
    "cadence": "keep in touch",
    "task": "task",
    "met": "follow up after meeting",
    "birthday": "birthday",
    "intro": "ask how the intro went",
}
"""Each reason in words, as the site and `kith show` say it."""

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
    return _last_contact(_contacts(person), person.met.date if person.met else None, today)


def _contacts(person: Person) -> tuple[int, ...]:
    """The days of every entry that is contact with a person (their own log
    and `Person.credits`: see `contact_log`), as ordinals, sorted."""
    days = [e.date.toordinal() for e in person.log]
    if person.credits:
        days.extend(c.date.toordinal() for c in person.credits)
    days.sort()
    return tuple(days)


def own_contacts(person: Person) -> tuple[int, ...]:
    """`_contacts` of the person's own file alone (no credits): what the
    index keeps per file; credits are added when a plan is read."""
    return tuple(sorted(e.date.toordinal() for e in person.log))


def _last_contact(contacts: Sequence[int], met: dt.date | None, today: dt.date) -> dt.date | None:
    """`last_contact` over a person's log days (ordinals, sorted)."""
    upto = bisect.bisect_right(contacts, today.toordinal())
    if upto:
        return dt.date.fromordinal(contacts[upto - 1])
    if met is not None and met <= today:
        return met
    return None


def _contact_since(contacts: Sequence[int], day: dt.date, today: dt.date, *, strictly_after: bool) -> bool:
    """Any contact (a log day up to `today`) after `day`, or on it unless
    `strictly_after`; `contacts` ordinals, sorted."""
    ordinal = day.toordinal()
    first = bisect.bisect_right(contacts, ordinal) if strictly_after else bisect.bisect_left(contacts, ordinal)
    return first < bisect.bisect_right(contacts, today.toordinal())


# -- the rules, one person at a time -----------------------------------------


class Plan(NamedTuple):
    """What the rules read of one person, whatever the day: `plan_of(person)`.

    Built once per contact file (the index in kith.index keeps it), so that
    the follow-ups of a given day are a few comparisons per person.
    """

    slug: str
    name: str
    path: str
    circle: str | None
    tags: tuple[str, ...]
    private: bool
    cadence: Cadence | None
    cadence_line: int
    contacts: tuple[int, ...]  # the day of every entry that is contact (`contact_log`; private ones too), as ordinals, sorted
    met: dt.date | None
    met_line: int
    met_label: str  # "met at <event or place>" or "met on <day>"; "" without a day
    birthday: Birthday | None
    birthday_line: int
    tasks: tuple[tuple[dt.date, str, int, bool], ...]  # open dated tasks, in file order: (due, text, line, private)
    intros: tuple[tuple[dt.date, int, bool, tuple[str, ...]], ...]  # `intro` entries in log order: (day, line, private, others)
    snooze: dt.date | None


def plan_of(person: Person, with_credits: bool = True) -> Plan:
    """What the rules read of `person`; `with_credits=False`: as their own
    file says, without the contact written elsewhere (`Person.credits`)."""
    met = person.met.date if person.met is not None else None
    label = ""
    if met is not None:
        place = person.met.event or person.met.where  # type: ignore[union-attr]
        label = f"met at {place}" if place else f"met on {met.isoformat()}"
    # Lines only where a rule can name them (the site makes a plan for
    # everyone on every build).
    return Plan(
        slug=person.slug,
        name=person.name,
        path=person.relpath,
        circle=person.circle,
        tags=tuple(person.tags),
        private=person.private,
        cadence=person.cadence,
        cadence_line=person.line_of("cadence") if person.cadence is not None else 1,
        contacts=_contacts(person) if with_credits else own_contacts(person),
        met=met,
        met_line=person.line_of("met.date") if met is not None else 1,
        met_label=label,
        birthday=person.birthday,
        birthday_line=person.line_of("birthday") if person.birthday is not None else 1,
        tasks=tuple(
            (t.due, t.text, t.line, t.private) for t in person.tasks if not t.done and t.due is not None
        ),
        intros=tuple(
            (e.date, e.line, e.private, tuple(o for o in dict.fromkeys(e.mentions) if o != person.slug))
            for e in person.log
            if e.kind == "intro"
        ),
        snooze=person.snooze,
    )


# Each rule appends what it finds to `found`, one tuple per item:
# (reason, due, detail, line, key, other). Plain tuples and no generators:
# `kith due` runs the rules for thousands of people on a big network.
Found = list[tuple[str, dt.date, str, int, str, "str | None"]]


def _cadence(plan: Plan, today: dt.date, found: Found) -> None:
    if plan.cadence is None:
        return
    every = plan.cadence.describe()
    last = _last_contact(plan.contacts, plan.met, today)
    if last is None:
        found.append(("cadence", today, f"{every}; never in touch yet", plan.cadence_line, "cadence", None))
        return
    since = "last contact" if plan.contacts and plan.contacts[0] <= today.toordinal() else "met"
    due = add_cadence(last, plan.cadence)
    found.append(("cadence", due, f"{every}; {since} {last.isoformat()}", plan.cadence_line, "cadence", None))


def _tasks(plan: Plan, include_private: bool, found: Found) -> None:
    for due, text, line, private in plan.tasks:
        if private and not include_private:
            continue
        found.append(("task", due, text, line, f"{due.isoformat()} {text}", None))


def _met(plan: Plan, today: dt.date, settings: Settings, found: Found) -> None:
    met = plan.met
    if met is None:
        return
    if not 0 <= (today - met).days <= settings.met_window:
        return
    if _contact_since(plan.contacts, met, today, strictly_after=False):
        return
    due = met + dt.timedelta(days=settings.met_followup)
    found.append(("met", due, plan.met_label, plan.met_line, "met", None))


def _birthday(plan: Plan, today: dt.date, found: Found) -> None:
    if plan.birthday is None:
        return
    day = next_birthday(plan.birthday, today)
    year = plan.birthday.year
    # "turns 42" when the year is known, else the day itself ("3 February"):
    # the reason column already says it is a birthday.
    detail = f"turns {day.year - year}" if year is not None and day.year > year else day_and_month(plan.birthday)
    found.append(("birthday", day, detail, plan.birthday_line, "birthday", None))


def _intros(plan: Plan, today: dt.date, settings: Settings, include_private: bool, found: Found) -> None:
    for day, line, private, others in plan.intros:
        if day > today or (private and not include_private):
            continue
        if _contact_since(plan.contacts, day, today, strictly_after=True):
            continue
        due = day + dt.timedelta(days=settings.intro_followup)
        for other in others:
            detail = f"intro to [[{other}]] on {day.isoformat()}: how did it go?"
            found.append(("intro", due, detail, line, f"{day.isoformat()} {other}", other))


def items_for(
    person: Person, today: dt.date, settings: Settings, include_private: bool = True
) -> list[Due]:
    """Everything `person` is due for, whatever the day, snooze applied.

    With `include_private=False`, items written in a `## Private` section
    (their text is private) are left out; whether the person is private is
    for the caller (`due_items`) to decide.
    """
    return plan_items(plan_of(person), today, settings, include_private)


def plan_items(
    plan: Plan, today: dt.date, settings: Settings, include_private: bool = True, horizon: dt.date | None = None
) -> list[Due]:
    """`items_for` the person `plan` was made from; with `horizon`, only
    the items due on or before it (the rest are not made at all)."""
    found: Found = []
    _cadence(plan, today, found)
    _tasks(plan, include_private, found)
    _met(plan, today, settings, found)
    _birthday(plan, today, found)
    _intros(plan, today, settings, include_private, found)
    if plan.snooze is not None and today < plan.snooze:
        found = [f for f in found if f[0] not in SNOOZABLE]
    if horizon is not None:
        found = [f for f in found if f[1] <= horizon]
    items = [
        Due(
            slug=plan.slug,
            name=plan.name,
            reason=reason,
            due=due,
            days_overdue=(today - due).days,
            detail=detail,
            path=plan.path,
            line=line,
            circle=plan.circle,
            key=key,
            other=other,
        )
        for reason, due, detail, line, key, other in found
    ]
    if len(items) > 1:
        items.sort(key=by_due)
    return items


# -- the list ----------------------------------------------------------------


_REASON_RANK = {reason: rank for rank, reason in enumerate(REASONS)}
_CIRCLE_RANK = {circle: rank for rank, circle in enumerate(CIRCLES)}


def by_due(item: Due) -> tuple:
    """Calendar order: by day, then slug, then reason, then source line."""
    return (item.due, item.slug, _REASON_RANK[item.reason], item.line, item.key)


def _circle_rank(circle: str | None) -> int:
    return _CIRCLE_RANK.get(circle, len(CIRCLES))  # type: ignore[arg-type]


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
    if items_of is None:
        items_of = lambda person: items_for(person, today, settings, include_private)  # noqa: E731
    return select_due(network.sorted_people(), today, settings, within, tag, circle, include_private, limit, items_of)


Who = TypeVar("Who", Person, Plan)


def select_due(
    people: Iterable[Who],
    today: dt.date,
    settings: Settings,
    within: int | None,
    tag: str | None,
    circle: str | None,
    include_private: bool,
    limit: int | None,
    items_of: Callable[[Who], list[Due]],
) -> list[Due]:
    """`due_items` over `people` (Persons or their Plans) in slug order, with
    `items_of(one)` their items: the filters, the horizon and the limit."""
    horizon = today + dt.timedelta(days=settings.within if within is None else within)
    if tag:
        from .text import fold  # only to filter by tag: `kith due` reads thousands of plans without it

        wanted_tag = fold(tag)
    else:
        wanted_tag = None
    items: list[Due] = []
    for person in people:
        if person.private and not include_private:
            continue
        if circle is not None and person.circle != circle:
            continue
        if wanted_tag is not None and wanted_tag not in {fold(t) for t in person.tags}:
            continue
        items.extend(i for i in items_of(person) if i.due <= horizon)
    return cut_due(sorted(items, key=by_due), settings, limit)


def cut_due(items: list[Due], settings: Settings, limit: int | None) -> list[Due]:
    """`items` (in `by_due` order) cut to `limit` (default `settings.limit`;
    0: all of them), keeping the most urgent, still in `by_due` order."""
    cut = settings.limit if limit is None else limit
    return sorted(most_urgent(items, cut), key=by_due) if cut else items


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
        and not _contact_since(_contacts(p), p.met.date, today, strictly_after=False)
    ]
    return sorted(found, key=lambda p: (p.met.date, p.slug))  # type: ignore[union-attr]
