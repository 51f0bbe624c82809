"""The calendar feed (kith.ics and `kith export ics`), read back with icalendar."""

from __future__ import annotations

import datetime as dt
import stat

import pytest
from icalendar import Calendar

from kith.config import Settings
from kith.ics import to_ics
from kith.load import load_network

D = dt.date.fromisoformat
TODAY = D("2026-11-22")


@pytest.fixture
def net_repo(repo):
    repo.person("ada", "name: Ada Lovelace\ncadence: 2m\nbirthday: 1815-12-10",
                "## Log\n\n- 2026-09-01 coffee: hi\n- [ ] 2026-12-01 send the publisher contact to [[bob]]\n")
    repo.person("bob", "name: Bob Secret\nprivate: true\ncadence: 1w\nbirthday: --07-04")
    repo.person("cy", "name: Cy\nbirthday: 1988-02-29\nmet: {date: 2026-11-21, event: PyCon}",
                "## Log\n\n- [ ] 2027-06-01 far ahead\n- [ ] 2028-01-01 beyond the horizon\n")
    repo.person("dee", "name: Dee", "## Log\n\n- 2026-11-01 intro: to [[ada]]\n- 2026-11-01 intro: and to [[bob]]\n")
    return repo


def feed(repo, today=TODAY, **kwargs) -> bytes:
    return to_ics(load_network(repo.root), today, Settings(), **kwargs)


def events(data: bytes) -> dict[str, object]:
    cal = Calendar.from_ical(data)
    found = cal.walk("VEVENT")
    uids = [str(e["UID"]) for e in found]
    assert len(uids) == len(set(uids)), "duplicate UIDs"
    return {str(e["UID"]): e for e in found}


def test_one_event_per_item_and_one_yearly_event_per_birthday(net_repo):
    got = {uid: (str(e["SUMMARY"]), e.decoded("DTSTART")) for uid, e in events(feed(net_repo)).items()}
    by_summary = {summary: start for summary, start in got.values()}
    assert by_summary == {
        "Keep in touch: Ada Lovelace": TODAY,  # due 2026-11-01: overdue, so shown today
        "Ada Lovelace: send the publisher contact to someone": D("2026-12-01"),
        "Follow up: Cy (met at PyCon)": D("2026-11-23"),
        "Cy: far ahead": D("2027-06-01"),
        "Intro: ask Dee how it went with Ada Lovelace": D("2026-11-22"),  # due 2026-11-15
        "Intro: ask Dee how it went with someone": D("2026-11-22"),
        "Birthday: Ada Lovelace": D("2026-12-10"),
        "Birthday: Cy": D("2026-02-28"),
    }
    assert "cadence-ada@kith" in got and "birthday-cy@kith" in got


def test_events_are_all_day_and_describe_the_real_due_day(net_repo):
    evs = events(feed(net_repo))
    cadence = evs["cadence-ada@kith"]
    assert cadence.decoded("DTEND") - cadence.decoded("DTSTART") == dt.timedelta(days=1)
    assert isinstance(cadence.decoded("DTSTART"), dt.date)
    assert not isinstance(cadence.decoded("DTSTART"), dt.datetime)
    assert str(cadence["DESCRIPTION"]) == (
        "every 2 months; last contact 2026-09-01\nDue 2026-11-01 (21 days overdue)."
    )
    assert cadence.decoded("DTSTAMP") == dt.datetime(2026, 11, 22, tzinfo=dt.timezone.utc)


def test_birthdays_recur_yearly_and_29_february_falls_on_the_last_day(net_repo):
    evs = events(feed(net_repo))
    ada = evs["birthday-ada@kith"]
    assert ada["RRULE"].to_ical() == b"FREQ=YEARLY"
    assert str(ada["DESCRIPTION"]) == "Born 1815."
    cy = evs["birthday-cy@kith"]
    assert cy["RRULE"]["FREQ"] == ["YEARLY"]
    assert cy["RRULE"]["BYMONTH"] == [2] and cy["RRULE"]["BYMONTHDAY"] == [-1]


def test_same_network_same_day_gives_the_same_bytes(net_repo, kith):
    first = kith(net_repo, "export", "ics", "--today", "2026-11-22")
    second = kith(net_repo, "export", "ics", "--today", "2026-11-22")
    assert first.exit_code == 0
    assert first.stdout_bytes == second.stdout_bytes == feed(net_repo)


def test_uids_stay_the_same_when_the_day_or_the_file_around_an_item_changes(net_repo):
    before = set(events(feed(net_repo)))
    # A new entry above the task moves its line, and marks Ada as contacted.
    net_repo.person("ada", "name: Ada Lovelace\ncadence: 2m\nbirthday: 1815-12-10",
                    "## Log\n\n- 2026-11-20 call: caught up\n- 2026-09-01 coffee: hi\n"
                    "- [ ] 2026-12-01 send the publisher contact to [[bob]]\n")
    after = events(feed(net_repo, today=D("2026-11-24")))
    assert set(after) == before
    assert after["cadence-ada@kith"].decoded("DTSTART") == D("2027-01-20")


def test_private_people_are_left_out_unless_asked_for(net_repo, kith):
    public = feed(net_repo)
    assert b"Bob" not in public and b"bob" not in public
    with_private = events(feed(net_repo, include_private=True))
    summaries = {str(e["SUMMARY"]) for e in with_private.values()}
    assert "Keep in touch: Bob Secret" in summaries
    assert "Birthday: Bob Secret" in summaries
    assert "Intro: ask Dee how it went with Bob Secret" in summaries
    result = kith(net_repo, "export", "ics", "--today", "2026-11-22", "--include-private")
    assert b"Bob Secret" in result.stdout_bytes


def test_private_sections_stay_out_of_the_public_feed(repo):
    repo.person("ada", "name: Ada",
                "## Log\n\n- [ ] 2026-11-25 public task\n\n## Private\n\n- [ ] 2026-11-26 private task\n")
    summaries = {str(e["SUMMARY"]) for e in events(feed(repo)).values()}
    assert summaries == {"Ada: public task"}


def test_identical_tasks_get_distinct_uids(repo):
    repo.person("ada", "name: Ada", "## Log\n\n- [ ] 2026-12-01 call\n- [ ] 2026-12-01 call\n")
    assert len(events(feed(repo))) == 2


def test_horizon_bounds_the_follow_ups_not_the_birthdays(net_repo, kith):
    result = kith(net_repo, "export", "ics", "--today", "2026-11-22", "--horizon", "0")
    summaries = {str(e["SUMMARY"]) for e in events(result.stdout_bytes).values()}
    assert "Cy: far ahead" not in summaries
    assert "Keep in touch: Ada Lovelace" in summaries
    assert "Birthday: Cy" in summaries


def test_out_writes_the_file_readable_like_any_other(net_repo, kith, tmp_path):
    out = tmp_path / "site" / "kith.ics"
    out.parent.mkdir()
    result = kith(net_repo, "export", "ics", "--today", "2026-11-22", "--out", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert out.read_bytes() == feed(net_repo)
    assert stat.S_IMODE(out.stat().st_mode) & 0o044  # not the 0600 of a temp file
    assert [p.name for p in out.parent.iterdir()] == ["kith.ics"]  # no temp file left


def test_out_into_a_missing_folder_is_one_clear_error(net_repo, kith, tmp_path):
    result = kith(net_repo, "export", "ics", "--out", str(tmp_path / "nope" / "kith.ics"))
    assert result.exit_code == 1
    assert "cannot write" in result.stderr
    assert "Traceback" not in result.output
