"""Text from other programs (a mail subject, a meeting's summary, a card's
note) is stored quoted, so that it can never become kith's structure, and is
shown as it was sent: on the site, as the person's log and notes."""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kith import grammar
from sitebuild import build_site, write_config

# Text that looks like Markdown, HTML, kith's own structure and its escapes.
PIECES = list("ab \\`*_{}[]()>#+-.!&;<=~|:?/1)") + ["&amp;", "&#61;", "\t", "[[ada]]", "## ", "- [ ] ", "<b>", "\\["]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_a_quoted_line_is_shown_as_it_was_sent_and_names_nobody(text):
    quoted = grammar.quote_text(text)
    body = text.rstrip().lstrip(" \t")
    lead = text.rstrip()[: len(text.rstrip()) - len(body)]
    assert grammar.shown_text(quoted) == (" " * len(lead.expandtabs(4)) + body if body else "")
    assert grammar.mention_matches(quoted) == []


def test_what_markdown_writes_is_read_as_markdown_reads_it():
    assert grammar.shown_text(r"Q\&amp;A \[v2\] \*x\* a\_b &#61;") == "Q\\&A [v2] *x* a_b ="
    # Inside a code span Markdown keeps backslashes; an escaped backtick opens none.
    assert grammar.shown_text(r"`a\_b` c\_d") == r"`a\_b` c_d"
    assert grammar.shown_text(r"\`a\_b\`") == "`a_b`"
    # Not a character reference: left as written.
    assert grammar.shown_text("R&D; a & b &#xZZ;") == "R&D; a & b &#xZZ;"


SUBJECT = "Q&A <notes> [v2] *draft* file_name.md \\o/ [[ada]] `ls`"
SUMMARY = "R&D sync <3 [draft] *urgent* a_b_c &amp; #1"
NOTE_LINES = ["Title", "---", "more", "", "***", "===", "-2 points", "=SUM(1)", "+44 is the code", "@home"]


def test_an_imported_subject_summary_and_note_read_on_the_site_as_sent(repo, kith, tmp_path):
    repo.person("ada", "name: Ada\nemails: [ada@example.org]\ncadence: 1m")
    repo.person("bob", "name: Bob\nemails: [bob@example.org]")
    mbox = tmp_path / "in.mbox"
    mbox.write_text(
        "From x Mon Nov 30 09:00:00 2026\nFrom: ada@example.org\nTo: me@example.org\n"
        f"Date: Mon, 30 Nov 2026 09:00:00 +0000\nSubject: {SUBJECT}\n\nHello.\n",
        encoding="utf-8",
    )
    ics = tmp_path / "in.ics"
    ics.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:1@t\r\n"
        "DTSTART:20261125T100000Z\r\nDTEND:20261125T110000Z\r\n"
        f"SUMMARY:{SUMMARY.replace(';', chr(92) + ';')}\r\n"
        "ORGANIZER:mailto:me@example.org\r\nATTENDEE:mailto:bob@example.org\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    note = "\\n".join(NOTE_LINES)
    card = tmp_path / "in.vcf"
    card.write_text(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cy Card\r\nNOTE:{note}\r\nEND:VCARD\r\n", encoding="utf-8")
    write_config(repo.root, kith_options={"me": ["me@example.org"]})
    for args in (
        ("mail", str(mbox), "--today", "2026-12-01", "--tz", "UTC"),
        ("calendar", str(ics), "--today", "2026-12-01", "--tz", "UTC"),
        ("vcard", str(card)),
    ):
        result = kith(repo, "import", *args)
        assert result.exit_code == 0, result.output

    # Stored quoted: nothing in it is a mention, markup or structure...
    ada_file = repo.read("people/ada.md")
    assert "[[ada]]" not in ada_file and "<notes>" not in ada_file
    card_body = repo.read("people/cy-card.md").split("---\n", 2)[2]
    # ...and every line of the note is kept, none taken for a formula.
    assert [grammar.shown_text(line) for line in card_body.strip().splitlines()] == NOTE_LINES

    result, site = build_site(repo.root)
    assert result.returncode == 0, result.stderr
    ada = (site / "people" / "ada" / "index.html").read_text(encoding="utf-8")
    bob = (site / "people" / "bob" / "index.html").read_text(encoding="utf-8")
    assert html.escape(SUBJECT, quote=False) in ada
    assert html.escape(SUMMARY, quote=False) in bob
    entries = re.findall(r"<li><time [^>]*>.*?</li>", ada + bob)
    assert entries and not [e for e in entries if re.search(r"\\[\[*_`]|&amp;lt;", e)]
    assert "<notes>" not in ada
    # The note is rendered as Markdown: each line reads as written.
    cy = (site / "people" / "cy-card" / "index.html").read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", "", cy))
    for line in NOTE_LINES:
        assert line in text, line


def test_the_terminal_reads_a_task_as_its_markdown_reads(repo, kith):
    repo.person("ada", "name: Ada", "## Log\n\n- [ ] 2026-11-20 send the Q&amp;A \\[v2\\] to [[bob]] \\*today\\*\n")
    repo.person("bob", "name: Bob Builder")
    due = kith(repo, "due", "--today", "2026-11-22")
    assert "send the Q&A [v2] to Bob Builder *today*" in due.output, due.output
    show = kith(repo, "show", "ada", "--today", "2026-11-22")
    assert "send the Q&A [v2] to Bob Builder *today*" in show.output, show.output
    # What a program reads stays the file's text.
    raw = kith(repo, "due", "--today", "2026-11-22", "--format", "json").output
    assert "Q&amp;A \\\\[v2\\\\]" in raw
