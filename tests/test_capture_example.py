"""The issue's "done means", on a copy of the example network: a journal
note of a dinner with three people, an .ics export and an mbox each bring
the right people's last contact up to date, `kith due` drops them, and a
second run changes nothing."""

from __future__ import annotations

import json

TODAY = "2026-11-22"
ME = "you@example.org"


def overdue(kith, repo) -> set[str]:
    result = kith(repo, "due", "--today", TODAY, "--within", "0", "--format", "json")
    assert result.exit_code == 0, result.output
    return {d["slug"] for d in json.loads(result.stdout) if d["reason"] == "cadence"}


def last_contact(kith, repo, slug) -> str:
    result = kith(repo, "show", slug, "--today", TODAY, "--format", "json")
    return json.loads(result.stdout)["last_contact"]


def snapshot(repo) -> dict[str, bytes]:
    return {
        p.relative_to(repo.root).as_posix(): p.read_bytes()
        for folder in ("people", "journal")
        for p in (repo.root / folder).rglob("*.md")
    }


ICS = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Google Inc//Google Calendar 70.9054//EN\r
X-WR-TIMEZONE:Europe/London\r
BEGIN:VEVENT\r
UID:review@kith\r
DTSTART:20261119T150000Z\r
DTEND:20261119T160000Z\r
SUMMARY:Podcast planning\r
ORGANIZER;CN=You:mailto:you@example.org\r
ATTENDEE;PARTSTAT=ACCEPTED;CN=Dan:mailto:dan@example.net\r
ATTENDEE;PARTSTAT=ACCEPTED:mailto:ruth.adler@example.com\r
ATTENDEE;PARTSTAT=ACCEPTED:mailto:you@example.org\r
END:VEVENT\r
END:VCALENDAR\r
"""

MBOX = (
    "From you@example.org Thu Nov 19 09:00:00 2026\n"
    "From: You <you@example.org>\nTo: Anika Sharma <anika.sharma@example.net>\n"
    "Subject: Edinburgh weekend\nDate: Thu, 19 Nov 2026 09:00:00 +0000\n\nDates?\n\n"
    "From arjun.mehta@example.org Fri Nov 20 18:00:00 2026\n"
    "From: Arjun Mehta <arjun.mehta@example.org>\nTo: you@example.org\n"
    "Subject: =?UTF-8?Q?Re:_the_r=C3=A9sum=C3=A9?=\nDate: Fri, 20 Nov 2026 18:00:00 +0000\n\nThanks!\n\n"
)


def test_journal_calendar_and_mail_bring_last_contact_up_to_date(example_repo, kith, tmp_path):
    repo = example_repo
    before = overdue(kith, repo)
    targets = {"oliver-grant", "hugo-martin", "rhys-morgan", "dan-o-connor", "ruth-adler", "anika-sharma", "arjun-mehta"}
    assert targets <= before

    # 1. A dinner with three people, in one line of the journal.
    result = kith(repo, "log", "oliver-grant", "hugo-martin", "rhys-morgan", "dinner: at Rosa's", "--today", "2026-11-21")
    assert result.exit_code == 0, result.output
    for slug in ("oliver-grant", "hugo-martin", "rhys-morgan"):
        assert last_contact(kith, repo, slug) == "2026-11-21"

    # 2. A calendar export.
    ics = tmp_path / "calendar.ics"
    ics.write_text(ICS, newline="")
    result = kith(repo, "import", "calendar", str(ics), "--me", ME, "--today", TODAY, "--tz", "Europe/London")
    assert result.exit_code == 0, result.output
    assert last_contact(kith, repo, "dan-o-connor") == "2026-11-19"
    assert last_contact(kith, repo, "ruth-adler") == "2026-11-19"

    # 3. A mailbox.
    mbox = tmp_path / "mail.mbox"
    mbox.write_text(MBOX)
    result = kith(repo, "import", "mail", str(mbox), "--me", ME, "--today", TODAY, "--tz", "Europe/London")
    assert result.exit_code == 0, result.output
    assert last_contact(kith, repo, "anika-sharma") == "2026-11-19"
    assert last_contact(kith, repo, "arjun-mehta") == "2026-11-20"
    assert "- 2026-11-20 email: the résumé (received)" in repo.read("people/arjun-mehta.md")

    # kith due drops them, and only them.
    after = overdue(kith, repo)
    assert after == before - targets

    # A second run of each changes nothing.
    files = snapshot(repo)
    assert kith(repo, "import", "calendar", str(ics), "--me", ME, "--today", TODAY, "--tz", "Europe/London").exit_code == 0
    assert kith(repo, "import", "mail", str(mbox), "--me", ME, "--today", TODAY, "--tz", "Europe/London").exit_code == 0
    assert snapshot(repo) == files
    assert kith(repo, "validate").exit_code == 0
