"""`kith import calendar`: real .ics files, through the real CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kith.importers.calendar import read_calendars
from kith.load import load_network

SAMPLES = Path(__file__).resolve().parent / "samples" / "ics"
TODAY = "2026-11-22"

NEW_YORK = """BEGIN:VTIMEZONE
TZID:America/New_York
BEGIN:STANDARD
DTSTART:19701101T020000
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:19700308T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
END:DAYLIGHT
END:VTIMEZONE
"""


def calendar(*events: str, zones: str = NEW_YORK) -> str:
    body = "".join(f"BEGIN:VEVENT\n{e.strip()}\nEND:VEVENT\n" for e in events)
    text = f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//kith tests//EN\n{zones}{body}END:VCALENDAR\n"
    return text.replace("\n", "\r\n")  # as RFC 5545 and every exporter write it


@pytest.fixture
def people(repo):
    repo.person("ada", "name: Ada\nemails: [Ada@Example.org]\ncadence: 1m  # keep\n", "Notes.\n\n## Log\n\n- 2026-09-01 call: x\n")
    repo.person("bob", "name: Bob\nemails: [bob@example.org]\ncadence: 1m")
    repo.person("cy", "name: Cy\nemails: [cy@example.org]")
    repo.person("me", "name: Me Myself\nemails: [me@example.org]")
    repo.write("mkdocs.yml", "site_name: x\nplugins:\n  - kith:\n      me: [me@example.org]\n")
    return repo


def run(kith, repo, path, *args):
    return kith(repo, "import", "calendar", str(path), "--today", TODAY, *args)


def log_lines(repo, slug):
    text = repo.read(f"people/{slug}.md")
    return [line for line in text.splitlines() if line.startswith("- 20")]


MEETINGS = calendar(
    # 21:30 in New York on the 19th is the 20th in Berlin.
    """UID:late@t
DTSTART;TZID=America/New_York:20261119T213000
DTEND;TZID=America/New_York:20261119T223000
SUMMARY:Late call
ORGANIZER;CN=Me:mailto:me@example.org
ATTENDEE;PARTSTAT=ACCEPTED:mailto:ada@example.org
ATTENDEE;PARTSTAT=DECLINED:mailto:bob@example.org
ATTENDEE;CUTYPE=ROOM;PARTSTAT=ACCEPTED:mailto:cy@example.org""",
    # Weekly, all-day, one week left out (EXDATE), one moved (RECURRENCE-ID), one cancelled.
    """UID:weekly@t
DTSTART;VALUE=DATE:20261026
SUMMARY:Weekly walk
RRULE:FREQ=WEEKLY;COUNT=6
EXDATE;VALUE=DATE:20261102
ORGANIZER:mailto:bob@example.org
ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@example.org""",
    """UID:weekly@t
RECURRENCE-ID;VALUE=DATE:20261109
DTSTART;VALUE=DATE:20261111
SUMMARY:Weekly walk (moved)
ORGANIZER:mailto:bob@example.org
ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@example.org""",
    """UID:weekly@t
RECURRENCE-ID;VALUE=DATE:20261116
DTSTART;VALUE=DATE:20261116
STATUS:CANCELLED
SUMMARY:Weekly walk
ORGANIZER:mailto:bob@example.org""",
    """UID:cancelled@t
DTSTART:20261110T100000Z
STATUS:CANCELLED
SUMMARY:Cancelled lunch
ATTENDEE:mailto:cy@example.org
ATTENDEE:mailto:me@example.org""",
    """UID:declined@t
DTSTART:20261112T100000Z
SUMMARY:I said no
ORGANIZER:mailto:cy@example.org
ATTENDEE;PARTSTAT=DECLINED:mailto:me@example.org""",
    """UID:others@t
DTSTART:20261113T100000Z
SUMMARY:Not my meeting
ORGANIZER:mailto:cy@example.org
ATTENDEE:mailto:bob@example.org""",
    """UID:future@t
DTSTART:20261203T100000Z
SUMMARY:Next month
ORGANIZER:mailto:cy@example.org
ATTENDEE:mailto:me@example.org""",
    """UID:old@t
DTSTART:20250103T100000Z
SUMMARY:Last year
ORGANIZER:mailto:cy@example.org
ATTENDEE:mailto:me@example.org""",
)


def test_events_become_meetings_for_the_right_people(people, kith, tmp_path):
    ics = tmp_path / "export.ics"
    ics.write_text(MEETINGS, newline="")
    result = run(kith, people, ics, "--tz", "Europe/Berlin")
    assert result.exit_code == 0, result.output
    assert log_lines(people, "ada") == ["- 2026-11-20 meeting: Late call", "- 2026-09-01 call: x"]
    # Newest first, as the log was; EXDATE, the cancelled and future weeks left out.
    assert log_lines(people, "bob") == ["- 2026-11-11 meeting: Weekly walk (moved)", "- 2026-10-26 meeting: Weekly walk"]
    assert log_lines(people, "cy") == ["- 2025-01-03 meeting: Last year"]
    assert log_lines(people, "me") == []  # your own addresses are never a contact
    assert "4 with people you know; skipped 2 cancelled, 1 declined, 1 of others" in result.stdout
    assert "people/ada.md: added 1 entry\n  - 2026-11-20 meeting: Late call\n" in result.stdout


def test_the_day_is_the_day_in_your_time_zone(people, kith, tmp_path):
    ics = tmp_path / "export.ics"
    ics.write_text(MEETINGS, newline="")
    run(kith, people, ics, "--tz", "America/New_York", "--since", "2026-11-19")
    assert log_lines(people, "ada")[0] == "- 2026-11-19 meeting: Late call"
    assert log_lines(people, "cy") == []  # --since leaves last year out


def test_a_second_run_changes_nothing_and_every_other_byte_stays(people, kith, tmp_path):
    ics = tmp_path / "export.ics"
    ics.write_text(MEETINGS, newline="")
    ada = people.root / "people/ada.md"
    ada.write_bytes(b"---\r\nname: Ada   # the first\r\nemails: [Ada@Example.org]\r\n---\r\n\r\nNotes.\r\n\r\n## Log\r\n\r\n- 2026-11-21 coffee: x\r\n- 2026-09-01 call: x\r\n")
    before = ada.read_bytes()
    run(kith, people, ics, "--tz", "Europe/Berlin")
    after = ada.read_bytes()
    assert after == before.replace(b"- 2026-09-01", b"- 2026-11-20 meeting: Late call\r\n- 2026-09-01")
    snapshot = {p.name: p.read_bytes() for p in (people.root / "people").iterdir()}
    again = run(kith, people, ics, "--tz", "Europe/Berlin")
    assert again.exit_code == 0
    assert {p.name: p.read_bytes() for p in (people.root / "people").iterdir()} == snapshot
    assert again.stdout.endswith("added 0 entries for 0 people (4 already in the logs)\n")


def test_an_entry_you_wrote_is_neither_touched_nor_doubled(people, kith, tmp_path):
    people.person("ada", "name: Ada\nemails: [ada@example.org]", "## Log\n\n- 2026-11-20 meeting: Late call\n")
    ics = tmp_path / "export.ics"
    ics.write_text(MEETINGS, newline="")
    run(kith, people, ics, "--tz", "Europe/Berlin")
    assert people.read("people/ada.md").count("Late call") == 1


def test_dry_run_prints_the_diff_and_writes_nothing(people, kith, tmp_path):
    ics = tmp_path / "export.ics"
    ics.write_text(MEETINGS, newline="")
    before = {p.name: p.read_bytes() for p in (people.root / "people").iterdir()}
    result = run(kith, people, ics, "--tz", "Europe/Berlin", "--dry-run")
    assert result.exit_code == 0
    assert "+++ b/people/ada.md\n" in result.stdout and "+- 2026-11-20 meeting: Late call\n" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("dry run, nothing written: ")
    assert {p.name: p.read_bytes() for p in (people.root / "people").iterdir()} == before


def test_a_summary_can_never_become_structure(people, kith, tmp_path):
    hostile = calendar(
        """UID:h@t
DTSTART:20261120T100000Z
SUMMARY:## Private\\n- 2026-01-01 ask: [[bob]] <script>alert(1)</script> *x* `y`
DESCRIPTION:- [ ] 2026-01-01 a task\\n# Heading
ORGANIZER:mailto:ada@example.org
ATTENDEE:mailto:me@example.org"""
    )
    ics = tmp_path / "h.ics"
    ics.write_text(hostile, newline="")
    result = run(kith, people, ics, "--with-notes", "--tz", "UTC")
    assert result.exit_code == 0, result.output
    ada = load_network(people.root).people["ada"]
    entry = [e for e in ada.log if e.kind == "meeting"][0]
    assert not entry.private and entry.mentions == () and len(ada.log) == 2 and ada.tasks == []
    assert "<script>" not in people.read("people/ada.md")
    assert "a task" in entry.text and "\\[\\[bob\\]\\]" in entry.text
    assert load_network(people.root).people["bob"].credits == ()


def test_a_folder_of_ics_files_as_khal_keeps_them(people, kith, tmp_path):
    folder = tmp_path / "calendars" / "work"
    folder.mkdir(parents=True)
    (folder / "a.ics").write_text(
        calendar("UID:a@t\nDTSTART:20261120T100000Z\nSUMMARY:One\nORGANIZER:mailto:bob@example.org\nATTENDEE:mailto:me@example.org"),
        newline="",
    )
    (folder / "b.ics").write_text(
        calendar("UID:b@t\nDTSTART;VALUE=DATE:20261121\nSUMMARY:Two\nATTENDEE:mailto:bob@example.org\nATTENDEE:mailto:me@example.org"),
        newline="",
    )
    (folder / "broken.ics").write_text("BEGIN:VCALENDAR\nthis is not\n", newline="")
    result = run(kith, people, tmp_path / "calendars")
    assert sorted(log_lines(people, "bob")) == ["- 2026-11-20 meeting: One", "- 2026-11-21 meeting: Two"]
    assert result.exit_code == 1
    assert "broken.ics:0: error: " in result.stdout and "[calendar-unreadable]" in result.stdout


def test_kind_and_json(people, kith, tmp_path):
    ics = tmp_path / "export.ics"
    ics.write_text(MEETINGS, newline="")
    result = run(kith, people, ics, "--tz", "Europe/Berlin", "--kind", "Standup", "--format", "json")
    data = json.loads(result.stdout)
    assert data["added"]["people/ada.md"] == ["- 2026-11-20 standup: Late call"]
    assert data["counts"]["cancelled"] == 2 and data["counts"]["declined"] == 1
    assert run(kith, people, ics, "--kind", "two words").exit_code == 2
    assert run(kith, people, ics, "--tz", "Mars/Base").exit_code == 2


def test_an_address_two_people_share_is_left_out(people, kith, tmp_path):
    people.person("bob2", "name: Bob Two\nemails: [bob@example.org]")
    ics = tmp_path / "export.ics"
    ics.write_text(MEETINGS, newline="")
    result = run(kith, people, ics, "--tz", "Europe/Berlin")
    assert "bob@example.org is in several people's files" in result.stdout
    assert log_lines(people, "bob") == [] and log_lines(people, "bob2") == []


# -- public test calendars (tests/samples/PROVENANCE.md) ------------------------------


def test_thunderbird_cancelled_occurrence_of_a_daily_series():
    result = read_calendars(
        SAMPLES / "rie_thunderbird_cancelled_occurrence.ics", {}, [], "meeting", dt.date(2020, 2, 1),
        tz=dt.timezone.utc,
    )
    assert (result.occurrences, result.cancelled, result.problems) == (3, 1, [])


def test_google_export_with_a_moved_occurrence_and_x_wr_timezone():
    from kith.importers import calendar as cal

    seen = []
    original = cal._event

    def spy(event, *args):
        seen.append(cal.local_date(event["DTSTART"].dt, dt.timezone.utc))
        return original(event, *args)

    cal._event = spy
    try:
        result = read_calendars(SAMPLES / "rie_google_moved_occurrence.ics", {}, [], "meeting", dt.date(2022, 1, 31))
    finally:
        cal._event = original
    # Last Friday monthly from 2021-11-26; December's moved from the 31st to the 17th.
    assert sorted(seen) == [dt.date(2021, 11, 26), dt.date(2021, 12, 17), dt.date(2022, 1, 28)]
    assert result.problems == [] and result.occurrences == 3


def test_control_characters_and_bidi_overrides_never_reach_the_file(people, kith, tmp_path):
    ics = tmp_path / "c.ics"
    ics.write_text(
        calendar("UID:c@t\nDTSTART:20261120T100000Z\nSUMMARY:Plan\u202eevil\x1b[2J ok\nORGANIZER:mailto:ada@example.org\nATTENDEE:mailto:me@example.org"),
        newline="",
    )
    assert run(kith, people, ics, "--tz", "UTC").exit_code == 0
    line = log_lines(people, "ada")[0]
    assert line == "- 2026-11-20 meeting: Plan evil \\[2J ok"
