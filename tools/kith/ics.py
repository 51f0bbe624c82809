"""The calendar feed: follow-ups and birthdays as an iCalendar file.

Built from `followups.items_for`, the rule behind `kith due`, so the feed says what `kith due` says. A
calendar app that subscribes re-reads the whole feed and matches events by
UID, so every UID is derived from what the item is (person, reason, key),
never from the run: the same network on the same day gives the same bytes.
Each event carries one VALARM (`alarm_time` on the day, `birthday_alarm_days`
before a birthday), written as a trigger relative to the event's start, so
the alarms are as stable as the events.

What goes in the feed is worked out once, as plain data (`feed_events`), and
serialised two ways: `build_calendar` makes an `icalendar.Calendar` (the
reference, and the public API), and `to_ics` writes the same VCALENDAR text
directly, because icalendar's generic serialisation is far too slow for a
network of thousands (seconds per build). The two are checked byte for byte
against each other in tests/test_ics.py, so a change to the feed's contents
is made in one place (`feed_events`) and a change to how it is written shows
up as a test failure, not as a feed that differs between the site and
`kith export ics`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import quote


from . import grammar
from .config import Settings
from .dates import birthday_in_year
from .followups import Due, by_due, items_for
from .model import Network, Person

if TYPE_CHECKING:
    from icalendar import Calendar, Event

HORIZON = 365
"""Days ahead the feed looks; a subscribing app refreshes it long before that."""

PRODID = "-//kith//kith follow-ups//EN"
CALNAME = "kith follow-ups"
UID_DOMAIN = "kith"


class FeedEvent(NamedTuple):
    """One all-day event of the feed, as plain data: what both serialisations
    (`build_calendar` and `to_ics`) write."""

    uid: str
    summary: str
    start: dt.date  # all day: it ends the next day
    category: str  # the reason: cadence, task, met, intro, birthday
    description: str | None = None
    rrule: tuple[tuple[str, str], ...] = ()  # (NAME, value) pairs, in the order icalendar writes them; () for none
    alarm: dt.timedelta | None = None  # when the reminder rings, from the start of the day; None: no alarm


def alarm_trigger(settings: Settings, days_before: int = 0) -> dt.timedelta | None:
    """The VALARM's TRIGGER for an all-day event: `days_before` the day, at
    `settings.alarm_time` (09:00 the day before is -15 hours). A trigger
    relative to the start, rather than a moment in UTC, rings at that hour
    wherever the calendar is, and on every occurrence of a yearly event."""
    at = settings.alarm_time
    if at is None:
        return None
    return dt.timedelta(days=-days_before, hours=at.hour, minutes=at.minute)


def feed_events(
    network: Network,
    today: dt.date,
    settings: Settings,
    include_private: bool = False,
    horizon: int = HORIZON,
) -> list[FeedEvent]:
    """One all-day event per follow-up due up to `today + horizon` days, and
    one yearly event per birthday. Overdue items are placed on `today` (a
    reminder in the past would go unseen), their real due day in the text.
    Private people and `## Private` items are left out unless asked for,
    because the feed is published with the site."""
    names = namer(network, include_private)
    return merge_events(
        [
            person_events(person, today, settings, names, include_private, horizon)
            for person in network.sorted_people()
            if include_private or not person.private
        ]
    )


class PersonEvents(NamedTuple):
    """One person's part of the feed, before UIDs are made unique across it."""

    followups: list[tuple[tuple, FeedEvent]]  # (followups.by_due key, event)
    birthday: FeedEvent | None


def person_events(
    person: Person,
    today: dt.date,
    settings: Settings,
    names: Callable[[str], str],
    include_private: bool = False,
    horizon: int = HORIZON,
    items: list[Due] | None = None,
) -> PersonEvents:
    """`person`'s events. `names` is `namer(network, include_private)`;
    `items`, when given, is `items_for(person, today, settings, include_private)`."""
    last = today + dt.timedelta(days=horizon)
    if items is None:
        items = items_for(person, today, settings, include_private)
    alarm = alarm_trigger(settings)
    followups = [
        (by_due(item), _followup_event(item, today, names, uid_for(item), alarm))
        for item in items
        # One recurring event per person for birthdays instead.
        if item.due <= last and item.reason != "birthday"
    ]
    birthday = (
        _birthday_event(
            person, today, _uid(person.slug, "birthday", ""), alarm_trigger(settings, settings.birthday_alarm_days)
        )
        if person.birthday is not None
        else None
    )
    return PersonEvents(followups, birthday)


def merge_events(parts: Iterable[PersonEvents]) -> list[FeedEvent]:
    """Everyone's events (`parts` in slug order) as the feed lists them:
    follow-ups in calendar order (`followups.by_due`), then birthdays, each
    UID made unique in that order."""
    parts = list(parts)
    seen: set[str] = set()
    events: list[FeedEvent] = []
    # A stable sort of the parts in slug order: `due_items`' order exactly.
    followups = sorted((x for part in parts for x in part.followups), key=lambda x: x[0])
    for _key, event in followups:
        events.append(_with_unique_uid(event, seen))
    for part in parts:
        if part.birthday is not None:
            events.append(_with_unique_uid(part.birthday, seen))
    return events


def _with_unique_uid(event: FeedEvent, seen: set[str]) -> FeedEvent:
    uid = _unique(event.uid, seen)
    return event if uid == event.uid else event._replace(uid=uid)


def build_calendar(
    network: Network,
    today: dt.date,
    settings: Settings,
    include_private: bool = False,
    horizon: int = HORIZON,
) -> Calendar:
    """The feed (`feed_events`) as an `icalendar.Calendar`: the reference that
    `to_ics` must match byte for byte."""
    return calendar_of(feed_events(network, today, settings, include_private, horizon), today)


def calendar_of(events: list[FeedEvent], today: dt.date) -> Calendar:
    """`events` as an `icalendar.Calendar`, stamped `today`."""
    # icalendar is the reference, not the writer: imported only when asked
    # for, so no command or build pays for importing it.
    from icalendar import Calendar, vDuration

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", CALNAME)
    # Hints for subscribing apps: the list changes daily.
    cal.add("refresh-interval", dt.timedelta(days=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(dt.timedelta(days=1)))
    stamp = dt.datetime.combine(today, dt.time(0, 0), tzinfo=dt.timezone.utc)
    for item in events:
        cal.add_component(_event(item, stamp))
    return cal


def _event(item: FeedEvent, stamp: dt.datetime) -> Event:
    from icalendar import Alarm, Event

    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", item.start)
    event.add("dtend", item.start + dt.timedelta(days=1))
    if item.rrule:
        event.add("rrule", dict(item.rrule))
    event.add("summary", item.summary)
    if item.description is not None:
        event.add("description", item.description)
    event.add("categories", [item.category])
    event.add("transp", "TRANSPARENT")
    if item.alarm is not None:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", item.summary)
        alarm.add("trigger", item.alarm)
        event.add_component(alarm)
    return event


def to_ics(
    network: Network,
    today: dt.date,
    settings: Settings,
    include_private: bool = False,
    horizon: int = HORIZON,
) -> bytes:
    """The feed as bytes: `build_calendar(...).to_ical()`, written directly.

    Only the few properties kith emits are written, in the order icalendar
    writes them (its canonical order, then the rest alphabetically), with its
    TEXT escaping and its line folding; tests/test_ics.py checks the bytes
    against `build_calendar`.
    """
    return write_ics(feed_events(network, today, settings, include_private, horizon), today)


# -- the direct serialisation (RFC 5545, as icalendar writes it) --------------


def _text(value: str) -> str:
    """TEXT escaping, in icalendar's order: a literal `\\N` reads as a line
    break; then backslash, `;` and `,` are escaped, and every line break
    (CRLF, LF, lone CR) becomes `\\n`."""
    return (
        value.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


_FOLD = 75
"""A line is cut before the character that would bring it to 75 octets, so
every physical line (after the leading space of a continuation) stays within
75 octets; a character is never split."""


def _fold(line: str) -> str:
    """Fold a content line as icalendar does, continuation lines starting with
    one space. A trailing `\\` or `^` (the start of an escape) is moved to the
    next line rather than left at the end of one."""
    if len(line) < _FOLD and (line.isascii() or len(line.encode()) < _FOLD):
        return line
    if line.isascii():
        parts, start, width = [], 0, _FOLD - 1
        while len(line) - start > width:
            end = start + width
            if line[end - 1] in "\\^":
                end -= 1
            parts.append(line[start:end])
            start = end
        parts.append(line[start:])
        return "\r\n ".join(parts)
    parts, current, count = [], [], 0
    for char in line:
        size = len(char.encode())
        if current and count + size >= _FOLD:
            if len(current) > 1 and current[-1] in "\\^":
                carried = current.pop()
                parts.append("".join(current))
                current, count = [carried], len(carried.encode())
            else:
                parts.append("".join(current))
                current, count = [], 0
        current.append(char)
        count += size
    if current:
        parts.append("".join(current))
    return "\r\n ".join(parts)


def _date(day: dt.date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def write_ics(events: list[FeedEvent], today: dt.date, cache: dict | None = None) -> bytes:
    """`events` as VCALENDAR bytes, stamped `today`: `calendar_of(events, today).to_ical()`.

    `cache` (a dict kept by the caller) holds each event's text, so a feed
    written again after a few events changed costs little."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        _fold("PRODID:" + _text(PRODID)),
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        _fold("X-WR-CALNAME:" + _text(CALNAME)),
        "REFRESH-INTERVAL;VALUE=DURATION:P1D",
        "X-PUBLISHED-TTL:P1D",
    ]
    stamp = f"DTSTAMP:{_date(today)}T000000Z"
    add = lines.append
    for item in events:
        if cache is None:
            add(_vevent(item, stamp))
            continue
        text = cache.get((item, stamp))
        if text is None:
            text = cache[(item, stamp)] = _vevent(item, stamp)
        add(text)
    add("END:VCALENDAR")
    lines.append("")
    return "\r\n".join(lines).encode()


def _vevent(item: FeedEvent, stamp: str) -> str:
    lines = [
        "BEGIN:VEVENT",
        _fold("SUMMARY:" + _text(item.summary)),
        f"DTSTART;VALUE=DATE:{_date(item.start)}",
        f"DTEND;VALUE=DATE:{_date(item.start + _ONE_DAY)}",
        stamp,
        _fold("UID:" + _text(item.uid)),
    ]
    add = lines.append
    if item.rrule:
        add(_fold("RRULE:" + ";".join(f"{name}={value}" for name, value in item.rrule)))
    add(_fold("CATEGORIES:" + _text(item.category)))
    if item.description is not None:
        add(_fold("DESCRIPTION:" + _text(item.description)))
    add("TRANSP:TRANSPARENT")
    if item.alarm is not None:
        add("BEGIN:VALARM")
        add("ACTION:DISPLAY")
        add(_fold("DESCRIPTION:" + _text(item.summary)))
        add("TRIGGER:" + _duration(item.alarm))
        add("END:VALARM")
    add("END:VEVENT")
    return "\r\n".join(lines)


def _duration(delta: dt.timedelta) -> str:
    """A DURATION as icalendar writes it: `PT9H`, `-PT15H`, `-P1DT15H`, `P0D`."""
    sign = ""
    if delta.days < 0:
        sign, delta = "-", -delta
    time = ""
    if delta.seconds:
        hours, rest = divmod(delta.seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        time = "T" + (f"{hours}H" if hours else "")
        if minutes or (hours and seconds):
            time += f"{minutes}M"
        if seconds:
            time += f"{seconds}S"
    if delta.days == 0 and time:
        return f"{sign}P{time}"
    return f"{sign}P{delta.days}D{time}"


_ONE_DAY = dt.timedelta(days=1)


def uid_for(item: Due) -> str:
    return _uid(item.slug, item.reason, item.key)


_PLAIN_SLUG = re.compile(r"[A-Za-z0-9_.-]*")  # what `quote(..., safe="-_.")` leaves as is


def _uid(slug: str, reason: str, key: str) -> str:
    # The slug keeps UIDs readable; the digest of the key keeps free text
    # (a task's wording) out of them and their length bounded.
    readable = slug if _PLAIN_SLUG.fullmatch(slug) else quote(slug, safe="-_.")
    if reason in ("cadence", "met", "birthday"):
        return f"{reason}-{readable}@{UID_DOMAIN}"
    digest = hashlib.sha256(f"{slug}\0{reason}\0{key}".encode()).hexdigest()[:16]
    return f"{reason}-{readable}-{digest}@{UID_DOMAIN}"


def _unique(uid: str, seen: set[str]) -> str:
    # Two identical open tasks in one file share a key; number the copies.
    candidate, n = uid, 1
    while candidate in seen:
        n += 1
        local, _, domain = uid.partition("@")
        candidate = f"{local}-{n}@{domain}"
    seen.add(candidate)
    return candidate


def namer(network: Network, include_private: bool):
    """`[[slug]]` -> the person's name, or "someone" for a private person the
    feed must not name."""

    def name(slug: str, label: str | None = None) -> str:
        person = network.get(slug)
        # Before the label: `[[kit|Kit Smith]]` names a private person as
        # surely as their own file does.
        if person is not None and person.private and not include_private:
            return "someone"
        if label:
            return label
        return slug if person is None else person.name

    def names(text: str) -> str:
        out: list[str] = []
        pos = 0
        for match in grammar.mention_matches(text):
            out.append(grammar.shown_text(text[pos : match.start()]))
            out.append(name(match.group(1).strip(), (match.group(2) or "").strip() or None))
            pos = match.end()
        out.append(grammar.shown_text(text[pos:]))
        return "".join(out)

    return names


def _summary(item: Due, names) -> str:
    if item.reason == "cadence":
        return f"Keep in touch: {item.name}"
    if item.reason == "task":
        return f"{item.name}: {names(item.detail)}"
    if item.reason == "met":
        return f"Follow up: {item.name} ({names(item.detail)})"
    return f"Intro: ask {item.name} how it went with {names(f'[[{item.other}]]')}"


def _followup_event(item: Due, today: dt.date, names, uid: str, alarm: dt.timedelta | None = None) -> FeedEvent:
    lines = [names(item.detail), f"Due {item.due.isoformat()} ({item.when()})."]
    return FeedEvent(
        uid=uid,
        summary=_summary(item, names),
        start=max(item.due, today),
        category=item.reason,
        description="\n".join(lines),
        alarm=alarm,
    )


def _birthday_event(person: Person, today: dt.date, uid: str, alarm: dt.timedelta | None = None) -> FeedEvent:
    birthday = person.birthday
    assert birthday is not None
    if (birthday.month, birthday.day) == (2, 29):
        # The last day of February: the 29th in leap years, the 28th in
        # others, as `kith due` counts it. A plain yearly rule on 29 February
        # would skip three years in four (RFC 5545 drops invalid dates).
        rrule = (("FREQ", "YEARLY"), ("BYMONTHDAY", "-1"), ("BYMONTH", "2"))
    else:
        rrule = (("FREQ", "YEARLY"),)
    return FeedEvent(
        uid=uid,
        summary=f"Birthday: {person.name}",
        start=birthday_in_year(birthday, today.year),
        category="birthday",
        description=f"Born {birthday.year}." if birthday.year is not None else None,
        rrule=rrule,
        alarm=alarm,
    )
