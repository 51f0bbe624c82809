"""The journal: a folder of dated Markdown notes (Obsidian's and Logseq's
daily notes), where one line can log a dinner with three people.

    journal/2026-11-20.md                     the date from the file name
    journal/2026-11-20 Lisbon trip.md         a name that starts with a date
    journal/trip.md with `date: 2026-11-20`   or from the front matter

Every list item that mentions someone is a log entry for each person it
mentions: `- dinner: with [[ada]] and [[grace]]` on the note's day, or on
its own day when it starts with one (`- 2026-11-19 call: [[ada]]`). Whether
it counts as contact with them is the same rule as for a mention in a
contact file (`contact.credit_network`, `Settings.contact_kinds`).

The note is read with the contact file's own grammar (`grammar.scan`):
`## Private` sections, fences and bodies kith cannot place for certain are
treated exactly as in people/, front matter is optional, `private: true`
keeps the whole note off the site (its entries still count as contact, as a
private log entry does), and every problem is a finding with the same code
`kith validate` gives in a contact file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from . import codes, grammar
from .body import DATED, KIND, TASK, structure_problems
from .dates import parse_iso_date
from .model import Finding, Mention
from .parse import InvalidDate, Problem, decode, load_yaml, split

NOTE_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?!\d)")
ITEM = re.compile(r"^[ \t]*[-*+][ \t]+(.*)$")
MAX_CONTEXT = 2000


@dataclass(frozen=True)
class JournalEntry:
    """A list item of a note that mentions someone."""

    date: dt.date | None  # None: neither the item nor the note has a date
    kind: str  # lower-cased; "" when the item has no `kind:`
    text: str  # after the date and the kind
    line: int
    mentions: tuple[str, ...]
    private: bool = False


@dataclass(frozen=True)
class JournalNote:
    relpath: str  # relative to the repository root
    name: str  # the page's name on the site: journal/<name>.md
    date: dt.date | None
    title: str
    private: bool  # `private: true`, a doubtful flag, or unreadable front matter
    withheld: bool  # a body kith cannot place for certain: nothing of it is published
    entries: tuple[JournalEntry, ...] = ()
    mentions: tuple[Mention, ...] = ()
    notes: str = ""  # the body without its Private sections, for the site
    notes_plain: bool = False  # the site shows it as plain text (see body.py)

    @property
    def public(self) -> bool:
        return not self.private and not self.withheld


def is_enabled(root: Path, journal_dir: str) -> bool:
    """A journal folder is set, exists, and lies inside the repository (a
    `journal_dir` of `/etc` or `../..` is no journal: its files would be
    published)."""
    from .repository import journal_enabled

    return journal_enabled(root, journal_dir)


def note_date_from_name(stem: str) -> tuple[dt.date | None, bool]:
    """(date, whether the name starts with something date-shaped)."""
    match = NOTE_DATE.match(stem)
    if not match:
        return None, False
    return parse_iso_date(match.group(1)), True


def parse_note(raw: bytes, rel: str, stem: str) -> tuple[JournalNote | None, list[Problem]]:
    """Bytes of one note -> the note (named later) and its problems. Pure."""
    problems: list[Problem] = []
    text, problem = decode(raw)
    if problem:
        return None, [problem]
    assert text is not None
    day, dated_name = note_date_from_name(stem)
    if dated_name and day is None:
        problems.append((1, "date-invalid", f"the file name starts with {stem[:10]}, which is not a real day"))
    private = False
    title = ""
    body = text
    first_line = 1
    if grammar.opens_front_matter(text.split("\n", 1)[0]):
        parts, problem = split(text)
        if problem or parts is None:
            # Nothing of a note whose front matter cannot be read is
            # published: the privacy flag may be in it.
            problems.append(problem or (1, "frontmatter-unclosed", "front matter is never closed"))
            private = True
            body, first_line = "\n".join(text.split("\n")[1:]), 2
        else:
            body, first_line = parts.body, parts.body_first_line
            fm, problem = load_yaml(parts.yaml_text or "", parts.yaml_first_line)
            if problem or fm is None:
                problems.append(problem or (2, "yaml-syntax", "front matter could not be read"))
                private = True
            elif fm.data is not None and not isinstance(fm.data, dict):
                problems.append(
                    (2, "frontmatter-not-mapping", "front matter is not a set of `key: value` lines; the note is kept private")
                )
                private = True
            elif isinstance(fm.data, dict):
                private, day, title = _read_front_matter(fm, day, problems)
    lines = body.split("\n")
    structure = grammar.scan(lines)
    if structure.unclosed_fences or structure.doubts:
        problems.extend(
            (line, code, message.replace("this person's notes", "this note's text"))
            for line, code, message in structure_problems(structure, first_line)
        )
    withheld = bool(structure.doubts)
    entries: list[JournalEntry] = []
    mentions: list[Mention] = []
    notes: list[str] = []
    undated_at = 0
    for index, line in enumerate(lines):
        number = first_line + index
        hidden = private or withheld or structure.private[index]
        if not structure.private[index] and not withheld:
            notes.append(line)
        if structure.code[index] or "[[" not in line:
            continue
        found = grammar.mentions_in(line)
        if not found:
            continue
        context = line.strip()[:MAX_CONTEXT]
        mentions.extend(Mention(slug, number, context, hidden) for slug in found)
        item = ITEM.match(line)
        if item is None or (line.startswith("#") and grammar.atx_heading(line)):
            continue
        entry = _entry(item.group(1).strip(), number, day, hidden, problems)
        if entry is not None:
            entries.append(entry)
            if entry.date is None and not undated_at:
                undated_at = number
    if undated_at:
        problems.append(
            (
                undated_at,
                "journal-undated",
                "this note has no date, so its entries without a date of their own count for no one: "
                "name the file YYYY-MM-DD....md, add `date: YYYY-MM-DD` to its front matter, "
                "or start the entry with its date",
            )
        )
    text_notes = "\n".join(notes).strip("\n")
    plain = False
    if text_notes and not withheld:
        note_lines = text_notes.split("\n")
        hazard = grammar.render_hazard(note_lines, grammar.scan(note_lines).code)
        if hazard is not None:
            plain = True
            problems.append(
                (
                    first_line,
                    "notes-unrenderable",
                    f"{hazard[1]}: Markdown would take too long or too deep to render this note, "
                    "so the site shows it as plain text",
                )
            )
    if not title:
        title = stem
    note = JournalNote(
        relpath=rel,
        name="",
        date=day,
        title=title,
        private=private,
        withheld=withheld,
        entries=tuple(entries),
        mentions=tuple(mentions),
        notes="" if withheld or private else text_notes,
        notes_plain=plain,
    )
    return note, problems


def _read_front_matter(fm, day: dt.date | None, problems: list[Problem]) -> tuple[bool, dt.date | None, str]:
    """(private, date, title) from a note's front matter. Other keys belong
    to whatever else reads the note (Obsidian's `tags`, `aliases`...) and
    are left alone."""
    from .fields import Reader, privacy_flag

    data = fm.data
    reader = Reader(fm)
    private = privacy_flag(reader, data, fm)
    title = ""
    if "date" in data:
        value = data["date"]
        if isinstance(value, InvalidDate) or not isinstance(value, (dt.date, str)):
            reader.add(("date",), "date-invalid", f"`date: {value}` is not a real day (YYYY-MM-DD)")
        elif isinstance(value, dt.date):
            day = value
        else:
            parsed = parse_iso_date(value)
            if parsed is None:
                reader.add(("date",), "date-invalid", f"`date: {value}` is not YYYY-MM-DD")
            else:
                day = parsed
    if isinstance(data.get("title"), str) and data["title"].strip():
        title = data["title"].strip()
    problems.extend(reader.problems)
    return private, day, title


def _entry(rest: str, number: int, day: dt.date | None, private: bool, problems: list[Problem]) -> JournalEntry | None:
    if TASK.match(rest):
        return None  # tasks belong in the person's own file, where they fall due
    dated = DATED.match(rest)
    if dated:
        own = parse_iso_date(dated.group(1))
        if own is None:
            problems.append((number, "date-invalid", f"entry date {dated.group(1)} is not a real day"))
            return None
        day, rest = own, dated.group(2).strip()
    kind = ""
    kinded = KIND.match(rest)
    if kinded:
        kind, rest = kinded.group(1).lower(), kinded.group(2).strip()
    return JournalEntry(day, kind, rest, number, tuple(grammar.mentions_in(rest)), private)


# -- the folder ----------------------------------------------------------------

_CACHE: dict[str, tuple[tuple, JournalNote | None, list[Problem]]] = {}
"""Parsed notes by path while their stat key is unchanged (`mkdocs serve`
rebuilds parse only the notes that changed)."""


def journal_files(folder: Path) -> list[Path]:
    from .load import contact_files

    return contact_files(folder)


def load_journal(root: Path, journal_dir: str) -> tuple[list[JournalNote], list[Finding], list[str]]:
    """Every note under root/journal_dir: (notes in date order, findings,
    files looked at). Nothing when the journal is off or the folder absent."""
    from .load import Unreadable, printable, read_contact, stat_key

    if not is_enabled(root, journal_dir):
        return [], [], []
    folder = root / journal_dir
    notes: list[JournalNote] = []
    findings: list[Finding] = []
    files: list[str] = []
    taken: set[str] = set()
    seen: set[str] = set()
    for path in journal_files(folder):
        # The path as found, not resolved: a linked note is named where it is linked.
        rel = printable(os.path.relpath(path, root).replace(os.sep, "/"))
        files.append(rel)
        name = str(path)
        seen.add(name)
        try:
            key = stat_key(os.stat(name))
        except OSError:
            key = None
        hit = _CACHE.get(name)
        if key is not None and hit is not None and hit[0] == key:
            note, problems = hit[1], hit[2]
        else:
            try:
                raw = read_contact(path)
            except Unreadable as exc:
                code, message = exc.args
                findings.append(Finding(rel, 0, codes.severity(code), code, message))
                continue
            note, problems = parse_note(raw, rel, path.stem)
            if key is not None:
                _CACHE[name] = (key, note, problems)
        findings.extend(Finding(rel, line, codes.severity(code), code, message) for line, code, message in problems)
        if os.path.islink(path) and not os.path.realpath(path).startswith(os.path.realpath(root) + os.sep):
            findings.append(
                Finding(
                    rel, 0, codes.severity("symlink-outside"), "symlink-outside",
                    f"a link to {printable(os.path.realpath(path))}, outside the repository: it is read and "
                    "published like any other note; make sure that is meant",
                )
            )
        if note is not None:
            notes.append(dataclasses.replace(note, name=_unique_name(note, path.stem, taken)))
    for gone in set(_CACHE) - seen:
        if gone.startswith(str(folder) + os.sep):
            del _CACHE[gone]
    notes.sort(key=lambda n: (n.date or dt.date.min, n.relpath))
    return notes, findings, files


def _unique_name(note: JournalNote, stem: str, taken: set[str]) -> str:
    from .slug import slugify

    base = slugify(stem) or (note.date.isoformat() if note.date else "note")
    name = base
    number = 2
    while name in taken or name == "index":
        name = f"{base}-{number}"
        number += 1
    taken.add(name)
    return name


def link_findings(notes: list[JournalNote], people: set[str], broken: set[str]) -> list[Finding]:
    """A `[[link]]` in a note that names nobody, as in a contact file."""
    found = []
    for note in notes:
        for mention in note.mentions:
            if mention.slug not in people and mention.slug not in broken:
                found.append(
                    Finding(
                        note.relpath,
                        mention.line,
                        codes.severity("unknown-slug"),
                        "unknown-slug",
                        f"link [[…]] to `{mention.slug}` names nobody: there is no {mention.slug}.md under people/",
                    )
                )
    return found


def notes_for_day(root: Path, journal_dir: str, day: dt.date) -> list[Path]:
    """The notes of one day, by their file name (`2026-11-20*.md`), in path order."""
    if not is_enabled(root, journal_dir):
        return []
    return [p for p in journal_files(root / journal_dir) if note_date_from_name(p.stem)[0] == day]


# -- writing an entry (`kith log a b "dinner: ..."`) --------------------------


def entry_line(text: str, slugs: list[str]) -> str:
    """`- kind: text`, naming with `[[slug]]` everyone in `slugs` the text
    does not already mention: `with [[ada]] and [[grace]]`."""
    text = text.strip()
    missing = [s for s in slugs if s not in grammar.mentions_in(text)]
    if missing:
        names = [f"[[{s}]]" for s in missing]
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        text = f"{text} with {joined}"
    return f"- {text}"


def add_entry(raw: bytes | None, line: str, rel: str, stem: str) -> bytes:
    """The note's bytes with `line` added as a list item of its own, every
    other byte as it was: after the last item of its `## Log` section when
    it has one, else at the end of the note (below a new `## Log` heading
    when the note ends inside a private section). A missing note is the
    line alone. Read back before it is returned: raises WriteError when the
    note would not hold the entry as a public one."""
    from .write import DocumentError, WriteError, split_lines

    if raw is None:
        candidates = [(line + "\n").encode("utf-8")]
    else:
        bom = raw.startswith(b"\xef\xbb\xbf")
        try:
            text = raw[3 if bom else 0 :].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DocumentError(raw.count(b"\n", 0, exc.start) + 1, "not UTF-8: save the note as UTF-8 first") from None
        candidates = [
            (b"\xef\xbb\xbf" if bom else b"") + new.encode("utf-8") for new in _placements(text, line, split_lines)
        ]
    before = parse_note(raw, rel, stem)[0] if raw is not None else None
    had = len(before.entries) if before is not None else 0
    for data in candidates:
        note, _problems = parse_note(data, rel, stem)
        if note is None:
            continue
        added = [e for e in note.entries if not e.private and ("- " + _entry_text(e)).casefold() == line.casefold()]
        if len(note.entries) == had + 1 and added and not note.private:
            return data
    raise WriteError(
        f"{rel}: kith cannot add the entry where it would be read as a public entry of this note "
        "(a private section or an open code fence at its end?); add it by hand"
    )


def _entry_text(entry: JournalEntry) -> str:
    return (f"{entry.kind}: " if entry.kind else "") + entry.text


def _placements(text: str, line: str, split_lines) -> list[str]:
    """Where the line may go, best first (the caller keeps the first that reads back)."""
    newline = "\r\n" if "\r\n" in text else ("\r" if "\r" in text and "\n" not in text else "\n")
    lines = split_lines(text)
    plain = [x.rstrip("\r\n") for x in lines]
    start = 0
    if plain and grammar.opens_front_matter(plain[0]):
        end = grammar.front_matter_end(plain)
        start = end + 1 if end is not None else 0
    body = plain[start:]
    structure = grammar.scan(body)
    if structure.unclosed_fences:
        from .write import DocumentError

        index, fence = structure.unclosed_fences[0]
        raise DocumentError(
            start + index + 1,
            f"not written: the fence {fence} opens a code block that is never closed; close it first",
            "fence-unclosed",
        )
    out: list[str] = []
    if structure.log_heading is not None:
        heading = structure.log_heading
        last = None
        index = heading + 1
        while index < len(body) and structure.log[index]:
            if not structure.code[index] and not structure.private[index] and ITEM.match(body[index]) and not body[index][:1].isspace():
                last = index
                while index + 1 < len(body) and structure.log[index + 1] and body[index + 1][:1] in (" ", "\t") and body[index + 1].strip():
                    index += 1
                last = index
            index += 1
        if last is not None:
            at = start + last + 1
            head = lines[:at]
            if head and not head[-1].endswith(("\n", "\r")):
                head[-1] += newline
            out.append("".join(head) + line + newline + "".join(lines[at:]))
    tail = text
    if tail and not tail.endswith(("\n", "\r")):
        tail += newline
    last_text = next((x for x in reversed(body) if x.strip()), "")
    gap = "" if (not tail.strip() or (ITEM.match(last_text) and not last_text[:1].isspace())) else newline
    out.append(tail + gap + line + newline)
    for heading in ("## Log", "# Log"):
        out.append(tail + ("" if not tail.strip() else newline) + heading + newline + newline + line + newline)
    return out
