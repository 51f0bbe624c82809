"""The Markdown body: the `## Log` section, tasks, `[[slug]]` mentions and
`## Private` sections, each with the file line it came from. What each
line is comes from `grammar.scan`, the one grammar of the file."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field

from . import grammar
from .dates import parse_iso_date
from .model import LogEntry, Mention, Task
from .parse import Problem

LIST_ITEM = re.compile(r"^[-*+][ \t]+(.*)$")
TASK = re.compile(r"^\[([ xX])\][ \t]*(.*)$")
DATED = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})(?=\s|$)[ \t]*(.*)$")
DATE_LIKE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?=\s|$)")
KIND = re.compile(r"^([A-Za-z][\w-]*)[ \t]*:[ \t]*(.*)$")

# A line of notes longer than this is not Markdown anyone wrote by hand; a
# mention's context is cut to it (the line is still kept whole in the notes).
MAX_CONTEXT = 2000


@dataclass
class Body:
    log: list[LogEntry] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    notes: str = ""  # body without the Log and Private sections
    log_heading_line: int | None = None  # file line of `## Log`, if any
    problems: list[Problem] = field(default_factory=list)
    # True when kith could not place a Private section for certain: then
    # nothing of the body is published (notes, log and mentions all private).
    withheld: bool = False
    # True when the notes would take Markdown too long or too deep to
    # render: the site shows them as plain text.
    notes_plain: bool = False


def mentions_in(text: str) -> list[str]:
    """Slugs mentioned as `[[slug]]` or `[[slug|label]]`, in order, each once."""
    return grammar.mentions_in(text)


def structure_problems(structure: grammar.Structure, first_line: int) -> list[Problem]:
    """The findings the body's structure gives: unclosed fences, and lines
    kith cannot place for certain where privacy depends on it."""
    problems: list[Problem] = []
    for index, fence in structure.unclosed_fences:
        problems.append(
            (
                first_line + index,
                "fence-unclosed",
                f"the fence {fence} opens a code block that is never closed: add a line {fence} "
                "where the code ends (renderers disagree on what follows an unclosed fence)",
            )
        )
    for index, reason in structure.doubts:
        problems.append(
            (
                first_line + index,
                "private-unplaced",
                f"{grammar.DOUBT_REASONS[reason]}; so that nothing private is published, this "
                "person's notes, log and mentions are withheld from the site until it is fixed: "
                "write the section as `## Private` at the start of a line, outside lists, "
                "quotes and code",
            )
        )
    return problems


_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,9}[.)])(?:\s|$)")
_UNDERLINE = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")


def _paragraph(lines: list[str], index: int, structure: grammar.Structure, memo: dict[int, str]) -> str:
    """The paragraph (or list item) that line `index` is part of, on one
    line: the lines around it up to a blank line, a heading, a new list
    item, code, or a change of section (log, private). Computed once per
    paragraph (`memo`, by line), so a long paragraph costs its length once."""
    found = memo.get(index)
    if found is not None:
        return found

    def joins(i: int) -> bool:
        line = lines[i]
        return (
            bool(line.strip())
            and not structure.code[i]
            and structure.private[i] == structure.private[index]
            and structure.log[i] == structure.log[index]
            and not (line.lstrip().startswith("#") and grammar.atx_heading(line.lstrip()))
            and not _UNDERLINE.match(line)
        )

    start = index
    while start > 0 and not _LIST_ITEM.match(lines[start]) and joins(start - 1) and len(lines[start - 1]) < MAX_CONTEXT:
        start -= 1
    end = index
    while end + 1 < len(lines) and joins(end + 1) and not _LIST_ITEM.match(lines[end + 1]):
        end += 1
    if end + 1 < len(lines) and _UNDERLINE.match(lines[end + 1]):
        start = end = index  # a setext heading's text: the line alone
    text = " ".join(lines[i].strip() for i in range(start, end + 1))
    if len(text) > MAX_CONTEXT:
        text = text[:MAX_CONTEXT].rstrip() + "…"
    for i in range(start, end + 1):
        memo[i] = text
    return text


def parse_body(body: str, first_line: int) -> Body:
    lines = body.split("\n")
    structure = grammar.scan(lines)
    in_code, in_log, in_private = structure.code, structure.log, structure.private
    result = Body()
    if structure.log_heading is not None:
        result.log_heading_line = first_line + structure.log_heading
    if structure.unclosed_fences or structure.doubts:
        result.problems.extend(structure_problems(structure, first_line))
    withheld = result.withheld = bool(structure.doubts)
    notes: list[str] = []
    paragraphs: dict[int, str] = {}
    for index, line in enumerate(lines):
        number = first_line + index
        private = withheld or in_private[index]
        if not in_code[index] and "[[" in line:
            found = grammar.mentions_in(line)
            if found:
                # One context string per paragraph, shared by its mentions:
                # the whole sentence, not the part of it on this line, and a
                # line naming thousands of people costs its length once.
                context = _paragraph(lines, index, structure, paragraphs)
                result.mentions.extend(Mention(slug, number, context, private) for slug in found)
        if in_log[index] and not in_code[index] and not (line.startswith("#") and grammar.atx_heading(line)):
            _parse_log_line(line, number, private, result)
        elif not in_log[index] and not private:
            notes.append(line)
    result.notes = "\n".join(notes).strip("\n")
    if result.notes and not withheld:
        note_lines = result.notes.split("\n")
        hazard = grammar.render_hazard(note_lines, grammar.code_lines(note_lines))
        if hazard is not None:
            result.notes_plain = True
            result.problems.append(
                (
                    first_line + _line_in_body(lines, note_lines[hazard[0]]),
                    "notes-unrenderable",
                    f"{hazard[1]}: Markdown would take too long or too deep to render these notes, "
                    "so the site shows them as plain text",
                )
            )
    return result


def _line_in_body(lines: list[str], wanted: str) -> int:
    """The index in the body of the first line equal to `wanted` (a line of
    the notes, which leave out the log and private lines)."""
    for index, line in enumerate(lines):
        if line == wanted:
            return index
    return 0


def _parse_log_line(line: str, number: int, private: bool, result: Body) -> None:
    item = LIST_ITEM.match(line)
    if not item:
        return  # blank lines, continuation lines and prose are allowed
    rest = item.group(1).strip()
    task = TASK.match(rest)
    if task:
        done = task.group(1) in "xX"
        text = task.group(2).strip()
        due = None
        dated = DATED.match(text)
        if dated:
            due = parse_iso_date(dated.group(1))
            if due is None:
                result.problems.append(
                    (number, "date-invalid", f"task date {dated.group(1)} is not a real day")
                )
                return
            text = dated.group(2).strip()
        elif not done:
            result.problems.append(
                (
                    number,
                    "task-undated",
                    "open task has no date: write `- [ ] YYYY-MM-DD text` so it can fall due",
                )
            )
        result.tasks.append(Task(due, text, done, number, tuple(mentions_in(text)), private))
        return
    dated = DATED.match(rest)
    if not dated:
        if DATE_LIKE.match(rest):
            result.problems.append(
                (number, "date-invalid", f"log date {rest.split()[0]} is not YYYY-MM-DD")
            )
        else:
            result.problems.append(
                (
                    number,
                    "log-undated",
                    "log line has no date: write `- YYYY-MM-DD kind: text`",
                )
            )
        return
    day = parse_iso_date(dated.group(1))
    if day is None:
        result.problems.append(
            (number, "date-invalid", f"log date {dated.group(1)} is not a real day")
        )
        return
    text = dated.group(2).strip()
    kind = ""
    kinded = KIND.match(text)
    if kinded:
        kind, text = sys.intern(kinded.group(1).lower()), kinded.group(2).strip()
    result.log.append(LogEntry(day, kind, text, number, tuple(mentions_in(text)), private))
