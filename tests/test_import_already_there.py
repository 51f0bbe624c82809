"""A second import, or a later export that overlaps the first, adds nothing
twice, even after you added words to an imported entry, or logged the same
meeting in the journal: real .ics and mbox files, the real CLI."""

from __future__ import annotations

import json

import pytest

TODAY = "2026-11-22"


def calendar(*events: str) -> str:
    body = "".join(f"BEGIN:VEVENT\n{e.strip()}\nEND:VEVENT\n" for e in events)
    return f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//kith tests//EN\n{body}END:VCALENDAR\n".replace("\n", "\r\n")


def event(uid: str, start: str, summary: str, *attendees: str, description: str = "") -> str:
    lines = [f"UID:{uid}", f"DTSTART:{start}", f"SUMMARY:{summary}", "ORGANIZER:mailto:me@example.org"]
    lines += [f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{a}@example.org" for a in attendees]
    if description:
        lines.append(f"DESCRIPTION:{description}")
    return "\n".join(lines)


ROADMAP = event("roadmap@t", "20261120T100000Z", "Roadmap review", "ada", "bob")


@pytest.fixture
def people(repo):
    repo.person("ada", "name: Ada\nemails: [ada@example.org]", "## Log\n\n- 2026-09-01 call: x\n")
    repo.person("bob", "name: Bob\nemails: [bob@example.org]")
    repo.person("cy", "name: Cy\nemails: [cy@example.org]")
    repo.write("mkdocs.yml", "site_name: x\nplugins:\n  - kith:\n      me: [me@example.org]\n")
    return repo


def import_calendar(kith, repo, ics, *args):
    result = kith(repo, "import", "calendar", str(ics), "--today", TODAY, "--tz", "UTC", *args)
    assert result.exit_code == 0, result.output
    return result


def log_lines(repo, slug):
    return [line for line in repo.read(f"people/{slug}.md").splitlines() if line.startswith("- 20")]


def annotate(repo, slug, old, new):
    path = repo.root / f"people/{slug}.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def snapshot(repo):
    return {p: p.read_bytes() for p in sorted(repo.root.rglob("*.md"))}


def test_an_imported_meeting_you_added_words_to_is_not_added_again(people, kith, tmp_path):
    ics = tmp_path / "cal.ics"
    ics.write_text(calendar(ROADMAP), newline="")
    import_calendar(kith, people, ics)
    assert log_lines(people, "ada")[0] == "- 2026-11-20 meeting: Roadmap review"
    annotate(people, "ada", "meeting: Roadmap review", "meeting: Roadmap review, he wants a designer")
    annotate(people, "bob", "meeting: Roadmap review", "meeting: roadmap  REVIEW — ask about Q3")

    before = snapshot(people)
    dry = import_calendar(kith, people, ics, "--dry-run")
    assert "would add" not in dry.stdout.replace("would add 0 entries", "")
    assert "+++ " not in dry.stdout  # no diff: nothing to add
    assert dry.stdout.rstrip().endswith("would add 0 entries for 0 people (2 already in the logs)")
    again = import_calendar(kith, people, ics)
    assert again.stdout.rstrip().endswith("added 0 entries for 0 people (2 already in the logs)")
    assert snapshot(people) == before
    assert log_lines(people, "ada") == ["- 2026-11-20 meeting: Roadmap review, he wants a designer", "- 2026-09-01 call: x"]


def test_an_overlapping_later_export_adds_only_what_is_new(people, kith, tmp_path):
    first = tmp_path / "week46.ics"
    first.write_text(calendar(ROADMAP), newline="")
    import_calendar(kith, people, first)
    annotate(people, "ada", "meeting: Roadmap review", "meeting: Roadmap review, he wants a designer")
    later = tmp_path / "week47.ics"
    later.write_text(
        calendar(
            ROADMAP,
            # The same day, another meeting: a different summary is a different meeting.
            event("hiring@t", "20261120T150000Z", "Hiring plan", "ada"),
            # A summary that merely starts like the one logged is another meeting too.
            event("reviews@t", "20261120T170000Z", "Roadmap reviews", "ada"),
            event("lunch@t", "20261121T120000Z", "Lunch", "ada"),
        ),
        newline="",
    )
    result = import_calendar(kith, people, later)
    assert log_lines(people, "ada") == [
        "- 2026-11-21 meeting: Lunch",
        "- 2026-11-20 meeting: Roadmap review, he wants a designer",
        "- 2026-11-20 meeting: Hiring plan",
        "- 2026-11-20 meeting: Roadmap reviews",
        "- 2026-09-01 call: x",
    ]
    assert result.stdout.rstrip().endswith("added 3 entries for 1 person (2 already in the logs)")


def test_a_longer_summary_logged_that_day_does_not_hide_a_shorter_one(people, kith, tmp_path):
    # "Sync 2, notes" begins with "Sync": it is Sync 2's entry, not Sync's.
    people.person("ada", "name: Ada\nemails: [ada@example.org]", "## Log\n\n- 2026-11-20 meeting: Sync 2, notes\n")
    ics = tmp_path / "cal.ics"
    ics.write_text(
        calendar(event("s1@t", "20261120T090000Z", "Sync", "ada"), event("s2@t", "20261120T160000Z", "Sync 2", "ada")),
        newline="",
    )
    import_calendar(kith, people, ics)
    assert log_lines(people, "ada") == ["- 2026-11-20 meeting: Sync 2, notes", "- 2026-11-20 meeting: Sync"]
    before = snapshot(people)
    import_calendar(kith, people, ics)
    assert snapshot(people) == before


def test_two_events_with_one_summary_on_one_day_are_one_entry(people, kith, tmp_path):
    ics = tmp_path / "cal.ics"
    ics.write_text(
        calendar(
            event("am@t", "20261120T090000Z", "Workshop", "ada"),
            event("pm@t", "20261120T140000Z", "Workshop", "ada"),
        ),
        newline="",
    )
    first = import_calendar(kith, people, ics)
    assert log_lines(people, "ada")[0] == "- 2026-11-20 meeting: Workshop"
    assert [line for line in log_lines(people, "ada") if "Workshop" in line] == ["- 2026-11-20 meeting: Workshop"]
    assert first.stdout.rstrip().endswith("added 1 entry for 1 person (0 already in the logs)")
    annotate(people, "ada", "meeting: Workshop", "meeting: Workshop, both halves")
    again = import_calendar(kith, people, ics)
    assert again.stdout.rstrip().endswith("added 0 entries for 0 people (1 already in the logs)")


def test_with_notes_or_without_the_summary_is_what_names_the_meeting(people, kith, tmp_path):
    ics = tmp_path / "cal.ics"
    ics.write_text(calendar(event("n@t", "20261120T090000Z", "Planning", "ada", description="Bring the numbers")), newline="")
    import_calendar(kith, people, ics, "--with-notes")
    assert log_lines(people, "ada")[0] == "- 2026-11-20 meeting: Planning — Bring the numbers"
    before = snapshot(people)
    import_calendar(kith, people, ics)
    import_calendar(kith, people, ics, "--with-notes")
    assert snapshot(people) == before


def test_a_summary_with_markup_is_matched_as_kith_wrote_it(people, kith, tmp_path):
    ics = tmp_path / "cal.ics"
    ics.write_text(calendar(event("m@t", "20261120T090000Z", "# Q4 *plan* [[bob]] <b>", "ada")), newline="")
    import_calendar(kith, people, ics)
    (written,) = [line for line in log_lines(people, "ada") if "2026-11-20" in line]
    annotate(people, "ada", written, written + " — went well")
    before = snapshot(people)
    import_calendar(kith, people, ics)
    assert snapshot(people) == before


def test_the_meeting_logged_in_the_journal_is_already_there(people, kith, tmp_path):
    logged = kith(people, "log", "ada", "bob", "meeting: Roadmap review, in person", "--date", "2026-11-20")
    assert logged.exit_code == 0, logged.output
    ics = tmp_path / "cal.ics"
    ics.write_text(calendar(event("roadmap@t", "20261120T100000Z", "Roadmap review", "ada", "bob", "cy")), newline="")
    before = snapshot(people)
    dry = import_calendar(kith, people, ics, "--dry-run", "--format", "json")
    report = json.loads(dry.stdout)
    # Ada and Bob are named in the journal's entry; Cy, who was there too, is not.
    assert report["added"] == {"people/cy.md": ["- 2026-11-20 meeting: Roadmap review"]}
    assert report["already_there"] == 2
    assert snapshot(people) == before
    import_calendar(kith, people, ics)
    assert log_lines(people, "ada") == ["- 2026-09-01 call: x"]
    assert log_lines(people, "bob") == []
    assert log_lines(people, "cy") == ["- 2026-11-20 meeting: Roadmap review"]


def test_the_meeting_logged_in_another_persons_file_is_already_there(people, kith, tmp_path):
    people.person("ada", "name: Ada\nemails: [ada@example.org]", "## Log\n\n- 2026-11-20 meeting: Roadmap review with [[bob]]\n")
    ics = tmp_path / "cal.ics"
    ics.write_text(calendar(ROADMAP), newline="")
    result = import_calendar(kith, people, ics)
    assert result.stdout.rstrip().endswith("added 0 entries for 0 people (2 already in the logs)")
    assert log_lines(people, "bob") == []


def test_a_journal_entry_of_another_kind_or_day_is_not_the_meeting(people, kith, tmp_path):
    people.write("journal/2026-11-20.md", "- dinner: Roadmap review after [[ada]]\n- 2026-11-19 meeting: Roadmap review [[bob]]\n")
    ics = tmp_path / "cal.ics"
    ics.write_text(calendar(ROADMAP), newline="")
    import_calendar(kith, people, ics)
    assert log_lines(people, "ada")[0] == "- 2026-11-20 meeting: Roadmap review"
    assert log_lines(people, "bob") == ["- 2026-11-20 meeting: Roadmap review"]


def message(frm: str, to: str, subject: str, date: str) -> str:
    return f"From x@example.org Fri Nov 20 10:00:00 2026\nFrom: {frm}\nTo: {to}\nSubject: {subject}\nDate: {date}\n\nHi.\n\n"


def test_mail_follows_the_same_rule(people, kith, tmp_path):
    mbox = tmp_path / "mail.mbox"
    mbox.write_text(message("me@example.org", "ada@example.org", "the deck", "Fri, 20 Nov 2026 09:00:00 +0000"))
    people.write("journal/2026-11-20.md", "- email: sent [[bob]] the deck by hand\n")
    run = lambda: kith(people, "import", "mail", str(mbox), "--today", TODAY, "--tz", "UTC")  # noqa: E731
    assert run().exit_code == 0
    annotate(people, "ada", "email: the deck (sent)", "email: the deck (sent), she liked it")
    mbox.write_text(
        mbox.read_text()
        + message("bob@example.org", "me@example.org", "Re: the deck", "Fri, 20 Nov 2026 11:00:00 +0000")
        + message("ada@example.org", "me@example.org", "Re: the deck", "Fri, 20 Nov 2026 12:00:00 +0000")
    )
    before = snapshot(people)
    again = run()
    assert again.exit_code == 0
    # Ada's day already has its email entry; Bob's is in the journal.
    assert again.stdout.rstrip().endswith("added 0 entries for 0 people (2 already in the logs)")
    assert snapshot(people) == before


def test_a_summary_typed_by_hand_as_it_reads_counts_as_there(repo, kith, tmp_path):
    """kith writes a summary quoted (`Q&amp;A \\[v2\\]`); the same meeting typed
    by hand in a journal note as it reads (`Q&A [v2]`) is the same meeting."""
    repo.person("ada", "name: Ada\nemails: [ada@example.org]")
    repo.write("mkdocs.yml", "site_name: x\nplugins:\n  - kith:\n      me: [me@example.org]\n")
    repo.write("journal/2026-11-25.md", "- meeting: Q&A [v2] with [[ada]], she liked it\n")
    ics = tmp_path / "qa.ics"
    ics.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:qa@t\r\n"
        "DTSTART:20261125T100000Z\r\nDTEND:20261125T110000Z\r\nSUMMARY:Q&A [v2]\r\n"
        "ORGANIZER:mailto:me@example.org\r\nATTENDEE:mailto:ada@example.org\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    before = repo.read("people/ada.md")
    result = kith(repo, "import", "calendar", str(ics), "--today", "2026-12-01", "--tz", "UTC")
    assert result.exit_code == 0, result.output
    assert repo.read("people/ada.md") == before
    assert "added 0 entries" in result.output
