"""Calendar exports (.ics from Google, Outlook or Apple, or a folder of .ics
files as khal and vdirsyncer keep them) -> meetings in people's logs.

Each past occurrence of an event (recurring events expanded within the
window by recurring-ical-events, exceptions and EXDATEs included) whose
organiser or attendees include a person's email becomes, for that person,
`- DATE meeting: SUMMARY` (`Settings.meeting_kind`). Skipped: cancelled
events (STATUS:CANCELLED, on the series or on one occurrence), events you
declined (your PARTSTAT=DECLINED), attendees who declined, rooms and
resources, and events of others (you are neither organiser nor attendee)
when `me` is set. The day is the occurrence's start in your time zone
(`tz`; an all-day event keeps its date, a floating time its own). The
summary is quoted with `grammar.quote_text`: whatever it holds, it reads as
text in the log and can never become structure or markup. The description
is copied only when asked (`with_notes`).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from .. import grammar
from ..text import one_line
from .activity import Activity

MAX_ICS = 256 * 1024 * 1024
"""Bytes one .ics file may have (icalendar reads a file whole)."""
MAX_SUMMARY = 200
MAX_NOTES = 500


@dataclass
class CalendarProblem:
    path: str  # the file, as given
    line: int
    severity: str
    code: str
    message: str

    def format(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message} [{self.code}]"


@dataclass
class CalendarResult:
    activities: list[Activity] = field(default_factory=list)
    occurrences: int = 0  # occurrences in the window, looked at
    matched: int = 0  # occurrences with at least one person
    cancelled: int = 0
    declined: int = 0
    not_yours: int = 0  # others' events (you are neither organiser nor attendee)
    files: int = 0
    problems: list[CalendarProblem] = field(default_factory=list)


def ics_files(path: Path) -> list[Path]:
    """The .ics files to read: the file itself, or every *.ics under a folder."""
    if path.is_file():
        return [path]
    found = []
    for folder, dirs, names in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(folder) / n for n in sorted(names) if n.lower().endswith(".ics") and not n.startswith("."))
    return found


def address(value: object) -> str:
    """`mailto:Ada@Example.org` -> `ada@example.org`."""
    text = str(value or "").strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return text.strip().lower()


# Control characters and bidirectional overrides: a summary or a subject
# must not move a terminal's cursor or make the log read backwards.
def read_calendars(
    path: Path,
    emails: dict[str, str],
    me: Iterable[str],
    kind: str,
    today: dt.date,
    since: dt.date | None = None,
    tz: dt.tzinfo | None = None,
    with_notes: bool = False,
    shown: str | None = None,
    progress: Callable[[list[Path]], Iterable[Path]] | None = None,
) -> CalendarResult:
    """Every matching past occurrence in `path` as activities.

    `emails` maps a lower-cased address to the slug of its person; `me` are
    the user's own addresses; `today` ends the window (inclusive), `since`
    starts it; `tz` is the zone whose dates are logged (default: local)."""
    mine = {address(x) for x in me if address(x)}
    result = CalendarResult()
    files = ics_files(path)
    ordered = progress(files) if progress is not None else files
    for file in ordered:
        label = shown if (shown and file == path) else str(file)
        result.files += 1
        calendar = _read(file, label, result)
        if calendar is None:
            continue
        for event in _occurrences(calendar, label, since, today, tz, result):
            _event(event, emails, mine, kind, today, since, tz, with_notes, result)
    return result


def _read(file: Path, label: str, result: CalendarResult):
    import icalendar

    try:
        size = file.stat().st_size
        if size > MAX_ICS:
            raise ValueError(f"over {MAX_ICS // (1024 * 1024)} MiB")
        data = file.read_bytes()
    except (OSError, ValueError) as exc:
        why = getattr(exc, "strerror", None) or str(exc)
        result.problems.append(CalendarProblem(label, 0, "error", "calendar-unreadable", f"cannot read: {why}; skipped"))
        return None
    try:
        calendars = icalendar.Calendar.from_ical(data, multiple=True)
    except Exception as exc:  # noqa: BLE001 - icalendar raises many kinds on bad input
        result.problems.append(
            CalendarProblem(label, 0, "error", "calendar-unreadable", f"not an iCalendar file ({_why(exc)}); skipped")
        )
        return None
    if not calendars:
        result.problems.append(CalendarProblem(label, 0, "error", "calendar-unreadable", "no calendar in this file; skipped"))
        return None
    if len(calendars) == 1:
        return calendars[0]
    merged = icalendar.Calendar()
    for calendar in calendars:
        for component in calendar.subcomponents:
            merged.add_component(component)
    return merged


def _why(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text[:120] or type(exc).__name__


def _occurrences(calendar, label: str, since: dt.date | None, today: dt.date, tz, result: CalendarResult) -> Iterator:
    """Every event (occurrence) that may fall in the window. Series (RRULE,
    RDATE, or moved occurrences with RECURRENCE-ID) are expanded by
    recurring-ical-events; a single event is taken as it is, which is most
    of any real calendar and spares building a copy of each."""
    import icalendar
    import recurring_ical_events
    import x_wr_timezone

    start = since or dt.date(1900, 1, 1)
    # A day's margin each side: the window is in the user's zone, events in theirs.
    window_start = start - dt.timedelta(days=1)
    window_end = today + dt.timedelta(days=2)
    try:
        # Google's X-WR-TIMEZONE: times without a zone are in that zone.
        calendar = x_wr_timezone.to_standard(calendar)
        events = [c for c in calendar.subcomponents if c.name == "VEVENT"]
        series = {str(e.get("UID")) for e in events if "RRULE" in e or "RDATE" in e or "RECURRENCE-ID" in e}
        if series:
            only_series = icalendar.Calendar()
            for component in calendar.subcomponents:
                if component.name == "VTIMEZONE" or (component.name == "VEVENT" and str(component.get("UID")) in series):
                    only_series.add_component(component)
            yield from recurring_ical_events.of(only_series, skip_bad_series=True).between(window_start, window_end)
    except Exception as exc:  # noqa: BLE001 - a broken recurrence rule, an unknown zone...
        result.problems.append(
            CalendarProblem(label, 0, "error", "calendar-unreadable", f"cannot expand its events ({_why(exc)}); skipped")
        )
        return
    for event in events:
        if str(event.get("UID")) not in series:
            yield event


def local_date(value: object, tz: dt.tzinfo | None) -> dt.date | None:
    """The day an event starts on, for the user: an aware time in `tz`
    (default: this machine's zone), a floating time and a date as they are."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            return value.astimezone(tz).date() if tz is not None else value.astimezone().date()
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


def _event(event, emails, mine, kind, today, since, tz, with_notes, result: CalendarResult) -> None:
    start = event.get("DTSTART")
    try:
        day = local_date(start.dt if start is not None else None, tz)
    except (AttributeError, ValueError, OverflowError):
        day = None  # a DTSTART icalendar could not read as a date
    if day is None or day > today or (since is not None and day < since):
        return
    result.occurrences += 1
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        result.cancelled += 1
        return
    organizer = address(event.get("ORGANIZER"))
    attendees = event.get("ATTENDEE") or []
    if not isinstance(attendees, list):
        attendees = [attendees]
    present: list[str] = []
    me_there = organizer in mine
    for attendee in attendees:
        who = address(attendee)
        params = getattr(attendee, "params", {}) or {}
        status = str(params.get("PARTSTAT", "")).upper()
        if who in mine:
            me_there = True
            if status == "DECLINED":
                result.declined += 1
                return
            continue
        if status == "DECLINED" or str(params.get("CUTYPE", "")).upper() in ("ROOM", "RESOURCE"):
            continue
        present.append(who)
    if organizer and organizer not in mine:
        present.append(organizer)
    if mine and attendees and not me_there:
        result.not_yours += 1
        return
    slugs = list(dict.fromkeys(emails[a] for a in present if a in emails))
    if not slugs:
        return
    result.matched += 1
    summary = one_line(str(event.get("SUMMARY") or ""), MAX_SUMMARY) or "(no title)"
    # The summary names the meeting, with its notes or without them, so a
    # run with --with-notes and one without find each other's entries.
    identity = grammar.quote_text(summary)
    text = identity
    if with_notes and event.get("DESCRIPTION"):
        text += " — " + grammar.quote_text(one_line(str(event.get("DESCRIPTION")), MAX_NOTES))
    for slug in slugs:
        result.activities.append(Activity(slug, day, kind, text, identity))


def zone(name: str | None) -> dt.tzinfo | None:
    """An IANA zone by name (`Europe/Berlin`); None: this machine's zone."""
    if not name:
        return None
    return ZoneInfo(name)
