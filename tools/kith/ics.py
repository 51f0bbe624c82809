"""The calendar feed: follow-ups and birthdays as an iCalendar file.

Built from `followups.due_items`, so the feed says what `kith due` says. A
calendar app that subscribes re-reads the whole feed and matches events by
UID, so every UID is derived from what the item is (person, reason, key),
never from the run: the same network on the same day gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from urllib.parse import quote

from icalendar import Calendar, Event, vDuration

from .config import Settings
from .dates import birthday_in_year
from .followups import Due, due_items
from .model import Network, Person

HORIZON = 365
"""Days ahead the feed looks; a subscribing app refreshes it long before that."""

PRODID = "-//kith//kith follow-ups//EN"
UID_DOMAIN = "kith"
MENTION = re.compile(r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]*))?\]\]")


def build_calendar(
    network: Network,
    today: dt.date,
    settings: Settings,
    include_private: bool = False,
    horizon: int = HORIZON,
) -> Calendar:
    """One all-day event per follow-up due up to `today + horizon` days, and
    one yearly event per birthday. Overdue items are placed on `today` (a
    reminder in the past would go unseen), their real due day in the text.
    Private people and `## Private` items are left out unless asked for,
    because the feed is published with the site."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "kith follow-ups")
    # Hints for subscribing apps: the list changes daily.
    cal.add("refresh-interval", dt.timedelta(days=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(dt.timedelta(days=1)))
    stamp = dt.datetime.combine(today, dt.time(0, 0), tzinfo=dt.timezone.utc)
    names = _namer(network, include_private)
    seen: set[str] = set()

    items = due_items(network, today, settings, within=horizon, include_private=include_private, limit=0)
    for item in items:
        if item.reason == "birthday":
            continue  # one recurring event per person instead, below
        cal.add_component(_followup_event(item, today, stamp, names, _unique(uid_for(item), seen)))

    for person in network.sorted_people():
        if person.birthday is None or (person.private and not include_private):
            continue
        cal.add_component(_birthday_event(person, today, stamp, _unique(_uid(person.slug, "birthday", ""), seen)))
    return cal


def to_ics(
    network: Network,
    today: dt.date,
    settings: Settings,
    include_private: bool = False,
    horizon: int = HORIZON,
) -> bytes:
    return build_calendar(network, today, settings, include_private, horizon).to_ical()


def uid_for(item: Due) -> str:
    return _uid(item.slug, item.reason, item.key)


def _uid(slug: str, reason: str, key: str) -> str:
    # The slug keeps UIDs readable; the digest of the key keeps free text
    # (a task's wording) out of them and their length bounded.
    readable = quote(slug, safe="-_.")
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


def _namer(network: Network, include_private: bool):
    """`[[slug]]` -> the person's name, or "someone" for a private person the
    feed must not name."""

    def name(slug: str, label: str | None = None) -> str:
        if label:
            return label
        person = network.get(slug)
        if person is None:
            return slug
        if person.private and not include_private:
            return "someone"
        return person.name

    def names(text: str) -> str:
        return MENTION.sub(lambda m: name(m.group(1).strip(), (m.group(2) or "").strip() or None), text)

    return names


def _summary(item: Due, names) -> str:
    if item.reason == "cadence":
        return f"Keep in touch: {item.name}"
    if item.reason == "task":
        return f"{item.name}: {names(item.detail)}"
    if item.reason == "met":
        return f"Follow up: {item.name} ({names(item.detail)})"
    return f"Intro: ask {item.name} how it went with {names(f'[[{item.other}]]')}"


def _followup_event(item: Due, today: dt.date, stamp: dt.datetime, names, uid: str) -> Event:
    day = max(item.due, today)
    lines = [names(item.detail), f"Due {item.due.isoformat()} ({item.when()})."]
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", _summary(item, names))
    event.add("description", "\n".join(lines))
    event.add("categories", [item.reason])
    event.add("transp", "TRANSPARENT")
    return event


def _birthday_event(person: Person, today: dt.date, stamp: dt.datetime, uid: str) -> Event:
    birthday = person.birthday
    assert birthday is not None
    start = birthday_in_year(birthday, today.year)
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(days=1))
    if (birthday.month, birthday.day) == (2, 29):
        # The last day of February: the 29th in leap years, the 28th in
        # others, as `kith due` counts it. A plain yearly rule on 29 February
        # would skip three years in four (RFC 5545 drops invalid dates).
        event.add("rrule", {"freq": "yearly", "bymonth": 2, "bymonthday": -1})
    else:
        event.add("rrule", {"freq": "yearly"})
    event.add("summary", f"Birthday: {person.name}")
    if birthday.year is not None:
        event.add("description", f"Born {birthday.year}.")
    event.add("categories", ["birthday"])
    event.add("transp", "TRANSPARENT")
    return event
