"""Date arithmetic and the small date-like formats of the contact file."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re

from .model import Birthday, Cadence

ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
NO_YEAR = re.compile(r"^--(\d{1,2})-?(\d{2})$")
CADENCE = re.compile(r"^\s*(\d+)\s*([dwmy])\s*$", re.IGNORECASE)


@functools.lru_cache(maxsize=8192)
def parse_iso_date(text: str) -> dt.date | None:
    """`2026-02-28` -> date; None when it is not a real day. One object per
    day however many log lines name it (a network of 30,000 people holds a
    few thousand distinct days and hundreds of thousands of dated lines)."""
    m = ISO_DATE.match(text.strip())
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def parse_cadence(text: str) -> Cadence | None:
    m = CADENCE.match(text)
    if not m or int(m[1]) == 0:
        return None
    return Cadence(int(m[1]), m[2].lower(), f"{int(m[1])}{m[2].lower()}")


def parse_birthday(value: object) -> Birthday | None:
    """A date, `YYYY-MM-DD` or `--MM-DD`; 29 February is a real birthday."""
    if isinstance(value, dt.date):
        return Birthday(value.month, value.day, value.year)
    if not isinstance(value, str):
        return None
    text = value.strip()
    m = NO_YEAR.match(text)
    if m:
        month, day = int(m[1]), int(m[2])
        # 2000 is a leap year, so --02-29 is accepted.
        try:
            dt.date(2000, month, day)
        except ValueError:
            return None
        return Birthday(month, day, None)
    parsed = parse_iso_date(text)
    return Birthday(parsed.month, parsed.day, parsed.year) if parsed else None


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months: 2026-01-31 + 1 month is 2026-02-28."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if day.day <= 28:  # every month has the day: no need to look (kith due does this for thousands)
        return dt.date(year, month, day.day)
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def add_cadence(day: dt.date, cadence: Cadence) -> dt.date:
    if cadence.unit == "d":
        return day + dt.timedelta(days=cadence.count)
    if cadence.unit == "w":
        return day + dt.timedelta(weeks=cadence.count)
    if cadence.unit == "m":
        return add_months(day, cadence.count)
    return add_months(day, 12 * cadence.count)


def birthday_in_year(birthday: Birthday, year: int) -> dt.date:
    """The day it falls on in `year`: 29 February is 28 February in other years."""
    if birthday.day <= 28:
        return dt.date(year, birthday.month, birthday.day)
    last = calendar.monthrange(year, birthday.month)[1]
    return dt.date(year, birthday.month, min(birthday.day, last))


def next_birthday(birthday: Birthday, today: dt.date) -> dt.date:
    """The next occurrence on or after `today`."""
    this_year = birthday_in_year(birthday, today.year)
    if this_year >= today:
        return this_year
    return birthday_in_year(birthday, today.year + 1)


def _span(days: int) -> str:
    """A length of time as people say it: `3 days`, `2 weeks`, `5 months`, `2 years`."""
    if days < 14:
        count, unit = days, "day"
    elif days < 60:
        count, unit = round(days / 7), "week"
    elif days < 730:
        count, unit = round(days / 30.44), "month"
    else:
        count, unit = round(days / 365.25), "year"
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def relative_due(day: dt.date, today: dt.date) -> str:
    """When something falls due, from today: `today`, `tomorrow`, `in 3 days`,
    `yesterday`, `3 weeks overdue`."""
    days = (day - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "1 day overdue"
    if days > 0:
        return f"in {_span(days)}"
    return f"{_span(-days)} overdue"


def relative_past(day: dt.date, today: dt.date) -> str:
    """How long ago a day was: `today`, `yesterday`, `3 weeks ago`."""
    days = (today - day).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 0:
        return f"in {_span(-days)}"
    return f"{_span(days)} ago"
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def day_and_month(birthday: Birthday) -> str:
    """`3 February`: how a person says a birthday."""
    return f"{birthday.day} {MONTHS[birthday.month - 1]}"


def birthday_text(birthday: Birthday) -> str:
    """`3 February` without a year, `10 December 1815` with one."""
    if birthday.year is None:
        return day_and_month(birthday)
    return f"{day_and_month(birthday)} {birthday.year}"
