"""Mail (an mbox from Gmail Takeout or Thunderbird, or a Maildir) -> one
`- DATE email: SUBJECT (sent)` entry per person per day.

Read with the standard library, streaming: an mbox is read line by line and
only each message's header block is kept and parsed (bodies, attachments
and multipart structure are skipped over, never parsed), so memory stays
bounded whatever the size of the mailbox; a Maildir is read one file's
header block at a time.

A message counts when it is between you (`me`: your own addresses) and a
person: sent by you to them (To, Cc or Bcc), or sent by them to you (you in
To, Cc, Delivered-To or X-Original-To). Skipped and counted: mailing lists
(List-Id), bulk mail and auto-replies (Precedence: bulk/list/junk,
Auto-Submitted other than `no`), messages with more than `max_recipients`
recipients, and messages outside the window. Reported and skipped:
messages without a readable sender or date, and headers in broken
encodings. The subject is quoted with `grammar.quote_text`.
"""

from __future__ import annotations

import datetime as dt
import email.header
import email.parser
import email.policy
import email.utils
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .. import grammar
from .activity import Activity
from ..text import one_line
from .calendar import local_date

MAX_HEADER = 256 * 1024
"""Bytes of one message's header block kept; a longer one is malformed."""
MAX_SUBJECT = 200
MAX_RECIPIENTS = 10
"""More recipients than this is an announcement, not a conversation."""
MAX_REPORTED = 100
"""Problems printed one by one; past that they are only counted."""

# `From sender asctime-date`: a line of text that merely starts with "From "
# (`From time to time`, unquoted in a body) has no time of day in it.
_FROM_LINE = re.compile(rb"^From \S*\s+(.*\d{1,2}:\d{2}.*)$")
_REPLY = re.compile(r"^\s*(?:(?:re|fwd?|aw|wg|sv|vs|antw|tr)\s*(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE)
_BULK = {"bulk", "list", "junk"}


@dataclass
class MailProblem:
    path: str
    line: int
    severity: str
    code: str
    message: str

    def format(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message} [{self.code}]"


@dataclass
class Day:
    """What passed between you and one person on one day."""

    subject: str = ""
    first: dt.datetime | None = None
    sent: int = 0
    received: int = 0


@dataclass
class MailResult:
    messages: int = 0
    counted: int = 0  # messages between you and a person
    lists: int = 0
    bulk: int = 0
    crowded: int = 0  # too many recipients
    outside: int = 0  # before --since or after today
    unrelated: int = 0  # neither from you nor to you, or with no one known
    malformed: int = 0
    problems: list[MailProblem] = field(default_factory=list)
    days: dict[tuple[str, dt.date], Day] = field(default_factory=dict)
    unknown: Counter = field(default_factory=Counter)  # address -> messages you sent it
    names: dict[str, Counter] = field(default_factory=dict)  # address -> display names seen

    def activities(self, kind: str) -> list[Activity]:
        out = []
        for (slug, day), seen in sorted(self.days.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            if seen.sent and seen.received:
                how = "sent and received"
            else:
                how = "sent" if seen.sent else "received"
            total = seen.sent + seen.received
            if total > 1:
                how += f", {total} messages"
            # One entry a day: any entry of the kind that day is this one.
            out.append(Activity(slug, day, kind, f"{seen.subject} ({how})", identity=""))
        return out

    def report(self, path: str, line: int, code: str, message: str, severity: str = "warning") -> None:
        self.malformed += 1
        if len(self.problems) < MAX_REPORTED:
            self.problems.append(MailProblem(path, line, severity, code, message))


# -- reading raw messages ------------------------------------------------------


def mbox_headers(path: Path, on_bytes: Callable[[int], None] | None = None) -> Iterator[tuple[int, bytes, bytes]]:
    """(line of the `From ` line, the `From ` line, the header block) of each
    message of an mbox, streaming. A message starts at a `From ` line at the
    start of the file or after a blank line (mboxo and mboxrd escape body
    lines that start so)."""
    line_number = 0
    start = 0
    from_line = b""
    header: list[bytes] = []
    header_size = 0
    in_header = False
    oversize = False
    previous_blank = True
    pending = 0
    with path.open("rb") as stream:
        for line in stream:
            line_number += 1
            pending += len(line)
            if pending >= 1 << 20 and on_bytes is not None:
                on_bytes(pending)
                pending = 0
            if previous_blank and line.startswith(b"From ") and _FROM_LINE.match(line.rstrip(b"\r\n")):
                if start:
                    yield start, from_line, b"" if oversize else b"".join(header)
                start, from_line, header, header_size, in_header, oversize = line_number, line, [], 0, True, False
                previous_blank = False
                continue
            blank = line in (b"\n", b"\r\n")
            if in_header:
                if blank:
                    in_header = False
                elif not oversize:
                    header_size += len(line)
                    if header_size > MAX_HEADER:
                        oversize, header = True, []
                    else:
                        header.append(line)
            previous_blank = blank
    if on_bytes is not None and pending:
        on_bytes(pending)
    if start:
        yield start, from_line, b"" if oversize else b"".join(header)


def maildir_files(path: Path) -> list[Path]:
    """Every message file of a Maildir (cur/ and new/), and of the Maildir++
    folders inside it (`.Sent/cur`...), in name order."""
    found: list[Path] = []
    for folder, dirs, names in os.walk(path):
        dirs.sort()
        if os.path.basename(folder) in ("cur", "new"):
            found.extend(Path(folder) / n for n in sorted(names) if not n.startswith("."))
        dirs[:] = [d for d in dirs if d != "tmp"]
    return found


def is_maildir(path: Path) -> bool:
    return path.is_dir() and ((path / "cur").is_dir() or (path / "new").is_dir() or any(
        (child / "cur").is_dir() for child in path.iterdir() if child.is_dir()
    ))


def file_headers(path: Path) -> bytes:
    """A message file's header block, read no further than its end."""
    out = bytearray()
    with path.open("rb") as stream:
        while len(out) <= MAX_HEADER:
            chunk = stream.read(65536)
            if not chunk:
                break
            out += chunk
            end = _header_end(out)
            if end >= 0:
                return bytes(out[:end])
    return bytes(out) if len(out) <= MAX_HEADER else b""


def _header_end(data: bytearray) -> int:
    ends = [i for i in (data.find(b"\n\n"), data.find(b"\r\n\r\n")) if i >= 0]
    return min(ends) + 1 if ends else -1


# -- one message ---------------------------------------------------------------

_PARSER = email.parser.BytesHeaderParser(policy=email.policy.compat32)


class Broken(Exception):
    """A header kith cannot read: (code, message)."""


def decoded(value: object) -> str:
    """A header as text, RFC 2047 encoded-words decoded; Broken when one is
    in an unknown charset or does not decode in its own."""
    if value is None:
        return ""
    if isinstance(value, email.header.Header):
        parts = email.header.decode_header(value)
    else:
        text = str(value)
        if "=?" not in text:
            if "\ufffd" in text or any("\udc80" <= c <= "\udcff" for c in text):
                raise Broken("mail-encoding", "a header holds bytes that are not text in any declared charset")
            return text
        parts = email.header.decode_header(text)
    out = []
    for chunk, charset in parts:
        if isinstance(chunk, str):
            out.append(chunk)
            continue
        try:
            # Raw 8-bit bytes in a header (no encoded-word) are UTF-8 when
            # they are anything kith can read (RFC 6532).
            out.append(chunk.decode("utf-8" if charset in (None, "unknown-8bit") else charset))
        except (LookupError, UnicodeDecodeError):
            raise Broken("mail-encoding", f"a header is encoded in {charset or 'an undeclared charset'} and does not decode") from None
    return "".join(out)


def _addresses(message, *names: str) -> list[tuple[str, str]]:
    """(display name, lower-cased address) of each address in these headers;
    names decoded after the addresses are split, so a decoded comma cannot
    split an address."""
    values = []
    for name in names:
        values.extend(v if isinstance(v, str) else decoded(v) for v in message.get_all(name, []))
    found = []
    if not values:
        return found
    # Most headers are `Name <a@b>` or `a@b`, comma-separated: read those
    # directly, and leave anything quoted or commented to the full parser
    # (which costs ten times as much).
    simple = _simple_addresses(values)
    for display, addr in simple if simple is not None else email.utils.getaddresses(values):
        if "@" not in addr:
            continue
        found.append((decoded(display) if "=?" in display else display, addr.strip().lower()))
    return found


_ONE_ADDRESS = re.compile(r"^\s*(?:([^<>\"(),;:\\]*?)\s*<([^<>\s\"(),;:@]+@[^<>\s\"(),;:@]+)>|([^<>\s\"(),;:@]+@[^<>\s\"(),;:@]+))\s*$")


def _simple_addresses(values: list[str]) -> list[tuple[str, str]] | None:
    out = []
    for value in values:
        if '"' in value or "(" in value or "\\" in value or ";" in value:
            return None
        for part in value.split(","):
            if not part.strip():
                continue
            match = _ONE_ADDRESS.match(part)
            if match is None:
                return None
            out.append((match.group(1) or "", match.group(2) or match.group(3)))
    return out


def _date(message, from_line: bytes) -> dt.datetime | None:
    raw = message.get("Date")
    if raw:
        try:
            return email.utils.parsedate_to_datetime(str(raw))
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    # An mbox's `From ` line carries the day it was stored (asctime form).
    match = _FROM_LINE.match(from_line.rstrip(b"\r\n"))
    if match:
        text = match.group(1).decode("ascii", "replace").strip()
        for form in ("%a %b %d %H:%M:%S %Y", "%a %b %d %H:%M:%S %z %Y"):
            try:
                return dt.datetime.strptime(" ".join(text.split()), form)
            except ValueError:
                continue
    return None


def subject_text(raw: str) -> str:
    text = one_line(_REPLY.sub("", raw), MAX_SUBJECT)
    return text or "(no subject)"


def read_message(
    header: bytes,
    from_line: bytes,
    where: tuple[str, int],
    emails: dict[str, str],
    mine: set[str],
    today: dt.date,
    since: dt.date | None,
    tz: dt.tzinfo | None,
    max_recipients: int,
    result: MailResult,
) -> None:
    path, line = where
    result.messages += 1
    if not header.strip():
        result.report(path, line, "mail-malformed", "a message with no header (or one over 256 KiB); skipped")
        return
    message = _PARSER.parsebytes(header)
    try:
        if message.get("List-Id") is not None:
            result.lists += 1
            return
        precedence = decoded(message.get("Precedence")).strip().lower()
        auto = decoded(message.get("Auto-Submitted")).strip().lower()
        if precedence in _BULK or (auto and auto != "no"):
            result.bulk += 1
            return
        senders = _addresses(message, "From")
        if not senders:
            result.report(path, line, "mail-malformed", "a message without a sender address; skipped")
            return
        sender = senders[0][1]
        recipients = _addresses(message, "To", "Cc", "Bcc")
        if len({a for _, a in recipients}) > max_recipients:
            result.crowded += 1
            return
        when = _date(message, from_line)
        if when is None:
            result.report(path, line, "mail-malformed", "a message whose date cannot be read (Date header and From line); skipped")
            return
        day = local_date(when, tz)
        if day is None or day > today or (since is not None and day < since):
            result.outside += 1
            return
        delivered = {a for _, a in _addresses(message, "Delivered-To", "X-Original-To")}
        subject = subject_text(decoded(message.get("Subject")))
    except Broken as exc:
        code, text = exc.args
        result.report(path, line, code, f"{text}; skipped")
        return
    if sender in mine:
        known = [(name, a) for name, a in recipients if a not in mine]
        found = False
        for name, addr in known:
            slug = emails.get(addr)
            if slug is None:
                result.unknown[addr] += 1
                if name:
                    result.names.setdefault(addr, Counter())[name] += 1
                continue
            found = True
            _count(result, slug, day, when, subject, sent=True)
        if found:
            result.counted += 1
        else:
            result.unrelated += 1
        return
    to_me = any(a in mine for _, a in recipients) or bool(delivered & mine)
    slug = emails.get(sender)
    if not to_me or slug is None:
        result.unrelated += 1
        return
    result.counted += 1
    _count(result, slug, day, when, subject, sent=False)


def _count(result: MailResult, slug: str, day: dt.date, when: dt.datetime, subject: str, sent: bool) -> None:
    seen = result.days.get((slug, day))
    if seen is None:
        seen = result.days[(slug, day)] = Day()
    moment = when if when.tzinfo is not None else when.replace(tzinfo=dt.timezone.utc)
    if seen.first is None or moment < seen.first:
        seen.first = moment
        seen.subject = grammar.quote_text(subject)
    if sent:
        seen.sent += 1
    else:
        seen.received += 1


def read_mail(
    path: Path,
    emails: dict[str, str],
    me: Iterable[str],
    today: dt.date,
    since: dt.date | None = None,
    tz: dt.tzinfo | None = None,
    max_recipients: int = MAX_RECIPIENTS,
    shown: str | None = None,
    on_bytes: Callable[[int], None] | None = None,
    on_file: Callable[[list[Path]], Iterable[Path]] | None = None,
) -> MailResult:
    """Read an mbox file or a Maildir folder; what passed between you and
    each person, by day."""
    mine = {m.strip().lower() for m in me if m.strip()}
    result = MailResult()
    label = shown or str(path)
    if path.is_dir():
        files = maildir_files(path)
        for file in on_file(files) if on_file is not None else files:
            try:
                header = file_headers(file)
            except OSError as exc:
                result.messages += 1
                result.report(str(file), 0, "mail-malformed", f"cannot read: {exc.strerror}; skipped")
                continue
            read_message(header, b"", (str(file), 1), emails, mine, today, since, tz, max_recipients, result)
        return result
    for line, from_line, header in mbox_headers(path, on_bytes):
        read_message(header, from_line, (label, line), emails, mine, today, since, tz, max_recipients, result)
    return result
