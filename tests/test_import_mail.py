"""`kith import mail`: real mbox files and Maildirs, through the real CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kith.importers.mail import mbox_headers, read_mail

SAMPLES = Path(__file__).resolve().parent / "samples" / "mail"
TODAY = "2026-11-22"


def message(frm: str, to: str, subject: str, date: str, extra: str = "", body: str = "Hi.\n", from_line: str | None = None) -> str:
    head = from_line if from_line is not None else "From someone@example.org Fri Nov 20 10:00:00 2026"
    return f"{head}\nFrom: {frm}\nTo: {to}\nSubject: {subject}\nDate: {date}\n{extra}\n{body}\n"


@pytest.fixture
def people(repo):
    repo.person("ada", "name: Ada\nemails: [ada@example.org]\ncadence: 1m", "## Log\n\n- 2026-09-01 call: x\n")
    repo.person("bob", "name: Bob\nemails: [bob@example.org, Bob@Work.example]\ncadence: 1m")
    repo.person("cy", "name: Cy\nemails: [cy@example.org]")
    repo.write("mkdocs.yml", "site_name: x\nplugins:\n  - kith:\n      me: [me@example.org, Me@Old.example]\n")
    return repo


def run(kith, repo, path, *args):
    return kith(repo, "import", "mail", str(path), "--today", TODAY, "--tz", "UTC", *args)


def log_lines(repo, slug):
    return [line for line in repo.read(f"people/{slug}.md").splitlines() if line.startswith("- 20")]


MULTIPART = (
    'Content-Type: multipart/mixed; boundary="b1"\nMIME-Version: 1.0\n',
    "--b1\nContent-Type: text/plain; charset=utf-8\n\nSee attached.\n"
    "From: evil@example.org\nTo: me@example.org\n\n"
    "--b1\nContent-Type: message/rfc822\n\nFrom: cy@example.org\nTo: me@example.org\nSubject: inner\n"
    "Date: Mon, 16 Nov 2026 10:00:00 +0000\n\ninner body\n--b1--\n",
)


def mailbox_text() -> str:
    return "".join(
        [
            # Sent to Ada, RFC 2047 Q-encoded UTF-8, a Re: prefix.
            message("Me <me@example.org>", '"Lovelace, Ada" <ADA@example.org>', "=?UTF-8?Q?Re:_caf=C3=A9_on_*Friday*?=", "Fri, 20 Nov 2026 09:00:00 +0000"),
            # Her answer the same day: one entry, "sent and received".
            message("=?iso-8859-1?q?Ada_L=F6velace?= <ada@example.org>", "me@example.org", "Re: Re: caf\u00e9", "Fri, 20 Nov 2026 11:00:00 +0000"),
            # From Bob's work address to your old one, base64 subject; a multipart body
            # whose inner headers are never read.
            message("bob@work.example", "Me <me@old.example>", "=?UTF-8?B?w5xiZXIgZGVuIFBsYW4=?=", "Wed, 18 Nov 2026 23:30:00 -0500", *MULTIPART),
            # A mailing list, bulk mail, an auto-reply, too many recipients.
            message("cy@example.org", "me@example.org", "list", "Thu, 19 Nov 2026 10:00:00 +0000", "List-Id: <dev.example.org>\n"),
            message("cy@example.org", "me@example.org", "bulk", "Thu, 19 Nov 2026 10:00:00 +0000", "Precedence: bulk\n"),
            message("cy@example.org", "me@example.org", "away", "Thu, 19 Nov 2026 10:00:00 +0000", "Auto-Submitted: auto-replied\n"),
            message("me@example.org", ", ".join(f"p{i}@example.org" for i in range(11)) + ", cy@example.org", "all hands", "Thu, 19 Nov 2026 10:00:00 +0000"),
            # A broken Date header: the From line's day is used.
            message("cy@example.org", "me@example.org", "dateless", "sometime soon", from_line="From cy@example.org Tue Nov 17 08:00:00 2026"),
            # No date anywhere: reported and skipped.
            message("cy@example.org", "me@example.org", "no date at all", "never", from_line="From cy@example.org at 10:00 somewhere"),
            # A header in a charset that does not exist: reported and skipped.
            message("bob@example.org", "me@example.org", "=?x-nonsense?Q?broken?=", "Thu, 19 Nov 2026 10:00:00 +0000"),
            # Raw bytes that are not UTF-8 in a header: reported and skipped (written below).
            message("bob@example.org", "me@example.org", "RAWBYTES", "Thu, 19 Nov 2026 12:00:00 +0000"),
            # Unknown people you write to, for --unknown.
            message("me@example.org", "Dana Scully <dana@fbi.example>", "case", "Mon, 16 Nov 2026 10:00:00 +0000"),
            message("me@example.org", "dana@fbi.example, Fox <fox@fbi.example>", "case 2", "Mon, 16 Nov 2026 11:00:00 +0000"),
            # Not to you: someone else's mail in your archive.
            message("ada@example.org", "someone@else.example", "fwd", "Mon, 16 Nov 2026 11:00:00 +0000"),
            # Outside the window.
            message("ada@example.org", "me@example.org", "long ago", "Mon, 16 Nov 2020 11:00:00 +0000"),
            message("ada@example.org", "me@example.org", "tomorrow", "Mon, 23 Nov 2026 11:00:00 +0000"),
        ]
    )


def write_mbox(path: Path, crlf: bool = False) -> Path:
    data = mailbox_text().encode("utf-8").replace(b"RAWBYTES", b"caf\xe9 \xff")
    if crlf:
        data = data.replace(b"\n", b"\r\n")
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("crlf", [False, True])
def test_messages_become_one_entry_per_person_per_day(people, kith, tmp_path, crlf):
    mbox = write_mbox(tmp_path / "all.mbox", crlf)
    result = run(kith, people, mbox)
    assert result.exit_code == 0, result.output
    # Newest first, as her log was; without --since, all past mail counts.
    assert log_lines(people, "ada") == [
        "- 2026-11-20 email: café on \\*Friday\\* (sent and received, 2 messages)",
        "- 2026-09-01 call: x",
        "- 2020-11-16 email: long ago (received)",
    ]
    assert log_lines(people, "bob") == ["- 2026-11-19 email: Über den Plan (received)"]
    assert log_lines(people, "cy") == ["- 2026-11-17 email: dateless (received)"]
    out = result.stdout
    assert "16 messages: 5 between you and people you know; skipped 1 from mailing lists, 2 bulk or automatic, 1 with over 10 recipients, 1 outside the dates, 3 malformed" in out
    assert "[mail-encoding]" in out and out.count("[mail-encoding]") == 2
    assert "a message whose date cannot be read" in out


def test_a_second_run_changes_nothing(people, kith, tmp_path):
    mbox = write_mbox(tmp_path / "all.mbox")
    run(kith, people, mbox)
    snapshot = {p.name: p.read_bytes() for p in (people.root / "people").iterdir()}
    again = run(kith, people, mbox)
    assert again.exit_code == 0
    assert {p.name: p.read_bytes() for p in (people.root / "people").iterdir()} == snapshot
    assert "added 0 entries for 0 people (4 already in the logs)" in again.stdout


def test_an_email_entry_you_wrote_that_day_is_kept_alone(people, kith, tmp_path):
    people.person("ada", "name: Ada\nemails: [ada@example.org]", "## Log\n\n- 2026-11-20 email: my own words\n")
    run(kith, people, write_mbox(tmp_path / "all.mbox"))
    assert log_lines(people, "ada")[0] == "- 2026-11-20 email: my own words"
    assert people.read("people/ada.md").count("2026-11-20") == 1


def test_since_and_dry_run(people, kith, tmp_path):
    mbox = write_mbox(tmp_path / "all.mbox")
    before = {p.name: p.read_bytes() for p in (people.root / "people").iterdir()}
    result = run(kith, people, mbox, "--since", "2026-11-19", "--dry-run")
    assert "+- 2026-11-20 email: " in result.stdout
    assert "dateless" not in result.stdout and "long ago" not in result.stdout
    assert "6 outside the dates" in result.stdout
    assert {p.name: p.read_bytes() for p in (people.root / "people").iterdir()} == before


def test_unknown_lists_who_you_write_to_most(people, kith, tmp_path):
    result = run(kith, people, write_mbox(tmp_path / "all.mbox"), "--unknown")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == '     2  dana@fbi.example  kith new "Dana Scully"'
    assert lines[1] == '     1  fox@fbi.example  kith new "Fox"'
    data = json.loads(run(kith, people, tmp_path / "all.mbox", "--unknown", "--format", "json").stdout)
    assert data[0] == {"address": "dana@fbi.example", "messages": 2, "name": "Dana Scully"}
    assert log_lines(people, "ada") == ["- 2026-09-01 call: x"]


def test_me_is_required(repo, kith, tmp_path):
    repo.person("ada", "name: Ada\nemails: [ada@example.org]")
    result = kith(repo, "import", "mail", str(write_mbox(tmp_path / "m.mbox")))
    assert result.exit_code == 2 and "your own addresses" in result.output
    ok = kith(repo, "import", "mail", str(tmp_path / "m.mbox"), "--me", "me@example.org", "--today", TODAY)
    assert ok.exit_code == 0, ok.output


def test_a_maildir_with_maildirplusplus_folders(people, kith, tmp_path):
    maildir = tmp_path / "Mail"
    for folder in ("cur", "new", "tmp", ".Sent/cur", ".Sent/new", ".Sent/tmp"):
        (maildir / folder).mkdir(parents=True)
    (maildir / "new" / "1.eml").write_text(
        message("ada@example.org", "me@example.org", "hello", "Sat, 21 Nov 2026 10:00:00 +0000").split("\n", 1)[1]
    )
    (maildir / ".Sent" / "cur" / "2.eml:2,S").write_text(
        message("me@example.org", "bob@example.org", "re: hello", "Sat, 21 Nov 2026 12:00:00 +0000").split("\n", 1)[1]
    )
    (maildir / "tmp" / "3.eml").write_text("From: ada@example.org\n\nhalf-delivered\n")
    # A Mailman digest from CPython's test suite: the digest's inner messages are body, never read.
    shutil.copy(SAMPLES / "cpython_msg_02_digest.eml", maildir / "cur" / "4.eml")
    people.person("ppp", "name: Ppp List\nemails: [ppp-request@zzz.org, barry@digicool.com]")
    result = kith(
        people, "import", "mail", str(maildir), "--today", TODAY, "--me", "ppp@zzz.org", "--tz", "America/New_York"
    )
    assert result.exit_code == 0, result.output
    assert log_lines(people, "ada") == ["- 2026-11-21 email: hello (received)", "- 2026-09-01 call: x"]
    assert log_lines(people, "bob") == ["- 2026-11-21 email: hello (sent)"]
    # 20:18 EDT on 20 April 2001; in UTC it would be the 21st.
    assert log_lines(people, "ppp") == ["- 2001-04-20 email: Ppp digest, Vol 1 #2 - 5 msgs (received)"]
    assert "3 messages" in result.stdout or "messages:" in result.stdout
    (tmp_path / "plain").mkdir()
    assert kith(people, "import", "mail", str(tmp_path / "plain"), "--today", TODAY).exit_code == 2  # not a Maildir


def test_cpython_mbox_with_an_unquoted_from_in_the_body():
    """`From time to time` after a blank line is body text, not a new message."""
    found = list(mbox_headers(SAMPLES / "cpython_mailbox_01.mbox"))
    assert [(line, header.splitlines()[0]) for line, _, header in found] == [(1, b"From: foo")]
    import datetime as dt

    result = read_mail(SAMPLES / "cpython_mailbox_01.mbox", {}, ["me@example.org"], dt.date(2026, 1, 1))
    assert (result.messages, result.malformed) == (1, 1)
    assert result.problems[0].format().endswith("a message without a sender address; skipped [mail-malformed]")


def test_memory_stays_bounded_by_the_header_not_the_message(tmp_path):
    """A message with a 20 MB body costs its header block only."""
    import tracemalloc

    big = tmp_path / "big.mbox"
    with big.open("wb") as out:
        out.write(message("ada@example.org", "me@example.org", "big", "Fri, 20 Nov 2026 10:00:00 +0000").encode())
        out.write(b"From x@y Fri Nov 20 11:00:00 2026\nFrom: ada@example.org\nTo: me@example.org\nSubject: huge\nDate: Fri, 20 Nov 2026 11:00:00 +0000\n\n")
        line = b"x" * 99 + b"\n"
        for _ in range(200_000):
            out.write(line)
    import datetime as dt

    tracemalloc.start()
    result = read_mail(big, {"ada@example.org": "ada"}, ["me@example.org"], dt.date(2026, 11, 22))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert result.counted == 2
    assert peak < 2_000_000
