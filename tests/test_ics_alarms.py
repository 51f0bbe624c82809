"""Alarms in the calendar feed (GitHub issue 19): one VALARM per event, at
`alarm_time` on the day (09:00 by default) and `birthday_alarm_days` before a
birthday (1), read back with icalendar and with `ical`, a strict RFC 5545
parser; written byte for byte as icalendar writes them; the same bytes from
the site and from `kith export ics`.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream
from ical.exceptions import CalendarParseError
from icalendar import Calendar, vDuration

from kith.config import Settings
from kith.ics import _duration, build_calendar, to_ics
from kith.load import load_network
from sitebuild import build_site

D = dt.date.fromisoformat
TODAY = "2026-11-22"


@pytest.fixture
def alarm_repo(repo):
    repo.person("ada", "name: Ada Lovelace\ncadence: 2m\nbirthday: 1815-12-10",
                "## Log\n\n- 2026-09-01 coffee: hi\n- [ ] 2026-12-01 send the publisher contact\n")
    repo.person("cy", "name: Cy\nbirthday: --02-29\nmet: {date: 2026-11-21, event: PyCon}")
    repo.person("kit", "name: CANARY-PRIVATE-7f3e\nprivate: true\ncadence: 1w\nbirthday: --07-04")
    return repo


def mkdocs_yml(repo, options: str) -> None:
    repo.write("mkdocs.yml", "site_name: t\nplugins:\n  - search\n  - kith:\n" + options)


def strict(data: bytes):
    """The feed through `ical`'s strict parser: it raises on anything RFC 5545
    does not allow (a VALARM without TRIGGER, a bad DURATION, ...)."""
    return IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))


def alarms_by_summary(data: bytes) -> dict[str, list[tuple[str, object, str]]]:
    """icalendar's reading: summary -> [(ACTION, TRIGGER, DESCRIPTION)]."""
    out = {}
    for event in Calendar.from_ical(data).walk("VEVENT"):
        alarms = event.walk("VALARM")
        out[str(event["SUMMARY"])] = [
            (str(a["ACTION"]), a.decoded("TRIGGER"), str(a["DESCRIPTION"])) for a in alarms
        ]
    return out


def test_every_event_has_one_alarm_at_nine_and_birthdays_the_day_before(alarm_repo, kith):
    result = kith(alarm_repo, "export", "ics", "--today", TODAY)
    assert result.exit_code == 0, result.output
    data = result.stdout_bytes
    found = alarms_by_summary(data)
    nine = dt.timedelta(hours=9)
    day_before_at_nine = dt.timedelta(hours=-15)
    assert found == {
        "Keep in touch: Ada Lovelace": [("DISPLAY", nine, "Keep in touch: Ada Lovelace")],
        "Ada Lovelace: send the publisher contact": [("DISPLAY", nine, "Ada Lovelace: send the publisher contact")],
        "Follow up: Cy (met at PyCon)": [("DISPLAY", nine, "Follow up: Cy (met at PyCon)")],
        "Birthday: Ada Lovelace": [("DISPLAY", day_before_at_nine, "Birthday: Ada Lovelace")],
        "Birthday: Cy": [("DISPLAY", day_before_at_nine, "Birthday: Cy")],
    }
    assert b"TRIGGER:PT9H\r\n" in data and b"TRIGGER:-PT15H\r\n" in data
    assert b"CANARY-PRIVATE" not in data

    # The strict parser reads the same alarms: when they ring, in local time.
    calendar = strict(data)
    rings = {}
    for event in calendar.events:
        assert len(event.alarm) == 1
        alarm = event.alarm[0]
        assert alarm.action == "DISPLAY" and alarm.description == event.summary
        start = dt.datetime.combine(event.dtstart, dt.time())
        rings[event.summary] = start + alarm.trigger
    assert rings["Birthday: Ada Lovelace"] == dt.datetime(2026, 12, 9, 9, 0)
    assert rings["Ada Lovelace: send the publisher contact"] == dt.datetime(2026, 12, 1, 9, 0)
    # Overdue: shown today, so it rings today.
    assert rings["Keep in touch: Ada Lovelace"] == dt.datetime(2026, 11, 22, 9, 0)


def test_the_strict_parser_would_catch_a_broken_alarm(alarm_repo, kith):
    data = kith(alarm_repo, "export", "ics", "--today", TODAY).stdout_bytes
    strict(data)  # the real feed passes
    with pytest.raises(CalendarParseError):
        strict(data.replace(b"TRIGGER:PT9H\r\n", b"", 1))
    with pytest.raises(CalendarParseError):
        strict(data.replace(b"TRIGGER:PT9H\r\n", b"TRIGGER:9 hours\r\n", 1))


def test_alarm_time_and_birthday_days_come_from_mkdocs_yml(alarm_repo, kith):
    mkdocs_yml(alarm_repo, '      alarm_time: "07:30"\n      birthday_alarm_days: 2\n')
    data = kith(alarm_repo, "export", "ics", "--today", TODAY).stdout_bytes
    found = alarms_by_summary(data)
    assert found["Keep in touch: Ada Lovelace"][0][1] == dt.timedelta(hours=7, minutes=30)
    # Two days before at 07:30: 40.5 hours before the birthday starts.
    assert found["Birthday: Ada Lovelace"][0][1] == -dt.timedelta(hours=40, minutes=30)
    assert b"TRIGGER:-P1DT16H30M\r\n" in data
    strict(data)


def test_an_unquoted_time_reads_as_yaml_writes_it(alarm_repo, kith):
    # YAML 1.1 reads 8:15 as 495 (base 60): kith takes it as 08:15.
    mkdocs_yml(alarm_repo, "      alarm_time: 8:15\n      birthday_alarm_days: 0\n")
    found = alarms_by_summary(kith(alarm_repo, "export", "ics", "--today", TODAY).stdout_bytes)
    assert found["Birthday: Cy"][0][1] == dt.timedelta(hours=8, minutes=15)
    assert found["Follow up: Cy (met at PyCon)"][0][1] == dt.timedelta(hours=8, minutes=15)


def test_alarm_time_false_leaves_the_alarms_out(alarm_repo, kith):
    mkdocs_yml(alarm_repo, "      alarm_time: false\n")
    data = kith(alarm_repo, "export", "ics", "--today", TODAY).stdout_bytes
    assert b"VALARM" not in data
    assert all(alarms == [] for alarms in alarms_by_summary(data).values())
    assert len(strict(data).events) == 5


@pytest.mark.parametrize(
    "options, shown",
    [
        ('      alarm_time: "25:00"\n', "'25:00' is not a time of day"),
        ("      alarm_time: soon\n", "'soon' is not a time of day"),
        ("      alarm_time: 30:00\n", "1800 is not a time of day"),
        ("      birthday_alarm_days: -1\n", "-1 is not a number of days"),
        ("      birthday_alarm_days: tomorrow\n", "'tomorrow' is not a number of days"),
    ],
)
def test_a_bad_alarm_option_is_one_clear_error_naming_the_line(alarm_repo, kith, options, shown):
    mkdocs_yml(alarm_repo, "      within: 7\n" + options)
    result = kith(alarm_repo, "export", "ics", "--today", TODAY)
    assert result.exit_code == 2
    assert result.stdout_bytes == b""
    assert result.stderr.startswith("mkdocs.yml:6: error: kith plugin option ")
    assert shown in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_a_bad_alarm_option_stops_the_site_build_with_the_option_named(alarm_repo):
    result, _site = build_site(alarm_repo.root, kith_options={"alarm_time": "noon"})
    assert result.returncode != 0
    assert "alarm_time" in result.stderr and "'noon' is not a time of day" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_the_site_feed_and_kith_export_ics_carry_the_same_alarms(alarm_repo, kith):
    options = {"alarm_time": "06:45", "birthday_alarm_days": 3}
    result, site = build_site(alarm_repo.root, kith_options=options)
    assert result.returncode == 0, result.stderr
    feed = (site / "followups.ics").read_bytes()
    exported = kith(alarm_repo, "export", "ics", "--today", TODAY)
    assert exported.stdout_bytes == feed
    assert b"TRIGGER:PT6H45M\r\n" in feed and b"TRIGGER:-P2DT17H15M\r\n" in feed
    again, site = build_site(alarm_repo.root, kith_options=options)
    assert (site / "followups.ics").read_bytes() == feed
    strict(feed)


@pytest.mark.parametrize("alarm_time, days", [("09:00", 1), ("00:00", 0), ("23:59", 7), ("12:30", 366), (False, 1)])
def test_alarms_are_written_exactly_as_icalendar_writes_them(example_repo, alarm_time, days):
    options = {"alarm_time": alarm_time, "birthday_alarm_days": days}
    from kith.config import settings_from_mapping

    settings = settings_from_mapping(options)
    network = load_network(example_repo.root)
    fast = to_ics(network, D(TODAY), settings)
    assert fast == build_calendar(network, D(TODAY), settings).to_ical()
    assert (b"BEGIN:VALARM" in fast) == (alarm_time is not False)
    strict(fast)


@given(st.timedeltas(min_value=dt.timedelta(days=-400), max_value=dt.timedelta(days=400)))
def test_any_trigger_is_written_as_icalendar_writes_a_duration(delta):
    delta = dt.timedelta(days=delta.days, seconds=delta.seconds)  # no microseconds in iCalendar
    assert _duration(delta).encode() == vDuration(delta).to_ical()


def test_default_settings_ring_at_nine():
    settings = Settings()
    assert settings.alarm_time == dt.time(9, 0) and settings.birthday_alarm_days == 1
