"""The calendar feed (kith.ics and `kith export ics`), read back with icalendar."""

from __future__ import annotations

import datetime as dt
import stat

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from kith.config import Settings
from kith.ics import FeedEvent, build_calendar, calendar_of, to_ics, write_ics
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


def test_a_labelled_link_to_a_private_person_reads_someone(repo):
    repo.person("kit", "name: Kit\nprivate: true")
    repo.person("ada", "name: Ada", "## Log\n\n- [ ] 2026-11-25 call [[kit|Kit Secretname]] about [[ada|her]]\n")
    data = feed(repo)
    assert b"Secretname" not in data
    assert {str(e["SUMMARY"]) for e in events(data).values()} == {"Ada: call someone about her"}
    assert b"Kit Secretname" in feed(repo, include_private=True)


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


# -- the direct serialisation against icalendar, byte for byte ----------------
#
# `to_ics` writes the feed itself (icalendar's generic serialisation takes
# seconds on a large network); `build_calendar(...).to_ical()` is the
# reference it must match exactly, or the site's feed and `kith export ics`
# could drift from what icalendar would write.


def both(root, today=TODAY, **kwargs) -> tuple[bytes, bytes]:
    network = load_network(root)
    fast = to_ics(network, today, Settings(), **kwargs)
    reference = build_calendar(network, today, Settings(), **kwargs).to_ical()
    return fast, reference


def assert_well_formed(data: bytes) -> None:
    assert data.endswith(b"\r\n")
    for line in data[:-2].split(b"\r\n"):
        assert b"\n" not in line and b"\r" not in line
        assert len(line) <= 75, line
        line.decode("utf-8")  # never a character cut in two by a fold


@pytest.mark.parametrize("today", ["2026-11-22", "2026-01-01", "2027-02-28", "2028-02-29", "2030-12-31"])
@pytest.mark.parametrize("include_private", [False, True])
def test_the_example_network_is_written_exactly_as_icalendar_writes_it(example_repo, today, include_private):
    fast, reference = both(example_repo.root, D(today), include_private=include_private)
    assert fast == reference
    assert_well_formed(fast)
    assert set(events(fast)) == set(events(reference))
    assert len(events(fast)) > 10


# Characters around which folding or escaping could go wrong: 2, 3 and 4 byte
# UTF-8 characters, the TEXT escapes and the characters icalendar will not
# leave at the end of a folded line.
AWKWARD = "Zoë漢字😀\\;,^:\"'\t"


@pytest.fixture
def awkward_repo(repo):
    # Padding of every length near the 75-octet boundary, so each awkward
    # character lands before, on and after a fold in the summary and the
    # description (whose prefixes differ in length).
    tasks = "".join(f"- [ ] 2026-12-{1 + n % 28:02d} {'x' * n}{AWKWARD} n{n}\n" for n in range(50, 90))
    long = ("A long task, with commas; semicolons \\ backslashes, Zoë 漢字 😀 and more. " * 40).strip()
    repo.person(
        "zoe",
        'name: "Zoë, O\'Brien; the \\\\ one 漢字 😀"\ncadence: 3w\nbirthday: 1990-02-29',
        "## Log\n\n- 2026-10-01 call: fine\n"
        + tasks
        + f"- [ ] 2026-12-02 {long}\n"
        + "- [ ] 2026-12-03 a literal \\N and \\n and \\\\ and \\; in the text\n"
        + "- [ ] 2026-12-04 ask [[bob]] and [[dee|Dee, the one; with a label]] about [[nobody]]\n"
        + "- [ ] 2026-12-04 ask [[bob]] and [[dee|Dee, the one; with a label]] about [[nobody]]\n",
    )
    repo.person("bob", 'name: "Bob, Secret"\nprivate: true\ncadence: 1w\nbirthday: --02-29',
                "## Log\n\n- [ ] 2026-11-30 a private person's task, with 😀\n")
    repo.person("dee", 'name: "Dee\\nTwo Lines\\r\\nThree"\nbirthday: --07-04\n'
                'met: {date: 2026-11-20, event: "Conf, 2026; Berlin \\\\ Zoë"}',
                "## Log\n\n- 2026-11-01 intro: to [[zoe]] and [[bob]]\n\n### Private\n\n"
                "- [ ] 2026-12-05 a private section task, 漢字\n")
    repo.person("eve", "name: Eve\nbirthday: 2000-12-31")
    repo.person("fay", "name: " + "Fay " + "é" * 80 + "\nbirthday: 1970-01-01")
    return repo


@pytest.mark.parametrize("today", ["2026-11-22", "2027-02-27", "2028-02-28"])
@pytest.mark.parametrize("include_private", [False, True])
def test_awkward_text_is_written_exactly_as_icalendar_writes_it(awkward_repo, today, include_private):
    fast, reference = both(awkward_repo.root, D(today), include_private=include_private)
    assert fast == reference
    assert_well_formed(fast)
    parsed = events(fast)
    assert set(parsed) == set(events(reference))
    summaries = {str(e["SUMMARY"]) for e in parsed.values()}
    # Read back, the text is what was written.
    assert "Zoë, O'Brien; the \\ one 漢字 😀: " + "x" * 60 + AWKWARD + " n60" in summaries
    assert any("\\N" not in s and "a literal" in s for s in summaries)
    assert ("Birthday: Bob, Secret" in summaries) == include_private
    assert ("Dee\nTwo Lines\nThree: a private section task, 漢字" in summaries) == include_private
    assert "Birthday: Dee\nTwo Lines\nThree" in summaries


def test_the_awkward_network_really_folds_and_escapes(awkward_repo):
    fast, _ = both(awkward_repo.root, include_private=True)
    assert b"\r\n " in fast
    assert b"\\;" in fast and b"\\," in fast and b"\\\\" in fast and b"\\n" in fast
    assert "漢字".encode() in fast and "😀".encode() in fast
    assert b"RRULE:FREQ=YEARLY;BYMONTHDAY=-1;BYMONTH=2" in fast


texts = st.text(st.characters(codec="utf-8"), max_size=300)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    summary=texts,
    description=st.none() | texts,
    category=st.sampled_from(["cadence", "task", "met", "intro", "birthday"]),
    uid=st.text(st.characters(codec="ascii", exclude_characters="\r\n"), min_size=1, max_size=120),
    start=st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 30)),
    leap=st.booleans(),
)
def test_any_text_is_written_exactly_as_icalendar_writes_it(summary, description, category, uid, start, leap):
    rrule = (("FREQ", "YEARLY"), ("BYMONTHDAY", "-1"), ("BYMONTH", "2")) if leap else (("FREQ", "YEARLY"),)
    items = [
        FeedEvent(uid=uid, summary=summary, start=start, category=category, description=description),
        FeedEvent(uid=uid + "-2", summary=description or summary, start=start, category=category, rrule=rrule),
    ]
    fast = write_ics(items, TODAY)
    assert fast == calendar_of(items, TODAY).to_ical()
    assert_well_formed(fast)


task_texts = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Zl", "Zp"], exclude_characters="\x85"),
    min_size=1,
    max_size=200,
).filter(lambda t: t.strip())


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
          deadline=None)
@given(text=task_texts, pad=st.integers(0, 80))
def test_any_task_text_from_a_contact_file_is_written_exactly_as_icalendar_writes_it(repo, text, pad):
    repo.person("zoe", "name: Zoë\nbirthday: --02-29", f"## Log\n\n- [ ] 2026-12-01 {'y' * pad}{text}\n")
    fast, reference = both(repo.root)
    assert fast == reference
    assert set(events(fast)) == set(events(reference))
