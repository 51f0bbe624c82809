"""The Markdown body: the `## Log` section, tasks, `[[slug]]` mentions and
`## Private` sections, each with the file line it came from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .dates import parse_iso_date
from .model import LogEntry, Mention, Task
from .parse import Problem

HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
MENTION = re.compile(r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]*))?\]\]")
INLINE_CODE = re.compile(r"(`+)(?:.+?)\1")
LIST_ITEM = re.compile(r"^[-*+][ \t]+(.*)$")
TASK = re.compile(r"^\[([ xX])\][ \t]*(.*)$")
DATED = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})(?=\s|$)[ \t]*(.*)$")
DATE_LIKE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?=\s|$)")
KIND = re.compile(r"^([A-Za-z][\w-]*)[ \t]*:[ \t]*(.*)$")

LOG_TITLE = "log"
PRIVATE_TITLE = "private"


@dataclass
class Body:
    log: list[LogEntry] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    notes: str = ""  # body without the Log and Private sections
    public_log_lines: list[int] = field(default_factory=list)
    log_heading_line: int | None = None  # file line of `## Log`, if any
    problems: list[Problem] = field(default_factory=list)


def mentions_in(text: str) -> list[str]:
    """Slugs mentioned as `[[slug]]` or `[[slug|label]]`, in order."""
    if "[[" not in text:
        return []
    text = INLINE_CODE.sub("", text)
    return [m.group(1).strip() for m in MENTION.finditer(text)]


def section_flags(lines: list[str]) -> tuple[list[bool], list[bool], list[bool], int | None]:
    """For each line: inside a code fence, inside the Log, inside a Private section."""
    in_code = [False] * len(lines)
    in_log = [False] * len(lines)
    in_private = [False] * len(lines)
    log_heading: int | None = None
    fence: str | None = None
    log_level = 0  # 0: not in the Log section
    private_level = 0
    for index, line in enumerate(lines):
        if fence is not None:
            in_code[index] = True
            match = FENCE.match(line)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
        else:
            match = FENCE.match(line)
            if match:
                fence = match.group(1)
                in_code[index] = True
            else:
                heading = HEADING.match(line)
                if heading:
                    level = len(heading.group(1))
                    title = heading.group(2).strip().lower()
                    if log_level and level <= log_level:
                        log_level = 0
                    if private_level and level <= private_level:
                        private_level = 0
                    if title == LOG_TITLE and not log_level:
                        log_level = level
                        log_heading = index
                    if title == PRIVATE_TITLE and not private_level:
                        private_level = level
        in_log[index] = bool(log_level)
        in_private[index] = bool(private_level)
    return in_code, in_log, in_private, log_heading


def parse_body(body: str, first_line: int) -> Body:
    lines = body.split("\n")
    in_code, in_log, in_private, log_heading = section_flags(lines)
    result = Body()
    if log_heading is not None:
        result.log_heading_line = first_line + log_heading
    notes: list[str] = []
    for index, line in enumerate(lines):
        number = first_line + index
        private = in_private[index]
        if not in_code[index] and "[[" in line:
            for slug in mentions_in(line):
                result.mentions.append(Mention(slug, number, line.strip(), private))
        if in_log[index] and not in_code[index] and not HEADING.match(line):
            _parse_log_line(line, number, private, result)
        elif not in_log[index] and not private:
            notes.append(line)
    result.notes = "\n".join(notes).strip("\n")
    return result


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
        kind, text = kinded.group(1).lower(), kinded.group(2).strip()
    result.log.append(LogEntry(day, kind, text, number, tuple(mentions_in(text)), private))
