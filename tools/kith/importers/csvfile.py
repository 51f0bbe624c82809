"""Reading the CSV files contact exports come as, safely.

Exports are decoded from UTF-8 (with or without BOM), UTF-16 (Excel's
"Unicode" save) or, failing both, Windows-1252 (Outlook desktop writes the
system code page). Files above `MAX_CSV_BYTES` are refused before they are
read, so memory stays bounded; a row with NUL bytes or a broken quote is
reported with its line and skipped.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .records import ImportRefused, Problem

# LinkedIn caps connections at 30,000 and Google at 25,000 contacts: a few
# megabytes. Anything far larger is not a contact export.
MAX_CSV_BYTES = 25 * 1024 * 1024
MAX_FIELD_CHARS = 1024 * 1024


@dataclass
class Row:
    line: int  # the physical line the row starts on
    cells: list[str]


def read_text(path: Path, max_bytes: int = MAX_CSV_BYTES) -> tuple[str, list[Problem]]:
    """The file's text, refusing it when it is too large to be an export."""
    size = path.stat().st_size
    if size > max_bytes:
        raise ImportRefused(
            f"the file is {size / 1024 / 1024:.1f} MB; kith imports CSV files up to "
            f"{max_bytes // 1024 // 1024} MB (contact exports are far smaller): "
            "is it the right file? Split it to import it in parts",
            "too-large",
        )
    return decode(path.read_bytes())


def decode(raw: bytes) -> tuple[str, list[Problem]]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), []
        except UnicodeDecodeError:
            raise ImportRefused("the file starts like UTF-16 but is not", "encoding") from None
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        text = raw.decode("cp1252", errors="replace")
        return text, [
            Problem(
                line,
                "warning",
                "encoding-guessed",
                "the file is not UTF-8 (first bad byte on this line); read it as Windows-1252",
            )
        ]


def rows(text: str, problems: list[Problem], delimiter: str = ",") -> Iterator[Row]:
    """Every row with the line it starts on; broken rows become problems."""
    nul_lines: set[int] = set()

    def physical() -> Iterator[str]:
        for number, raw in enumerate(io.StringIO(text, newline=""), start=1):
            if "\x00" in raw:
                nul_lines.add(number)
                raw = raw.replace("\x00", "")
            yield raw

    old_limit = csv.field_size_limit()
    csv.field_size_limit(MAX_FIELD_CHARS)
    try:
        reader = csv.reader(physical(), strict=False, delimiter=delimiter)
        start = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                problems.append(Problem(start, "error", "csv-row", f"unreadable row ({exc}); skipped", skipped=True))
                start = reader.line_num + 1
                continue
            end = reader.line_num
            row = Row(start, cells)
            start = end + 1
            if any(row.line <= n <= end for n in nul_lines):
                problems.append(
                    Problem(
                        row.line,
                        "error",
                        "csv-nul",
                        "NUL bytes in this row (is the file binary, or damaged?); row skipped",
                        skipped=True,
                    )
                )
                continue
            if not any(c.strip() for c in cells):
                continue
            yield row
    finally:
        csv.field_size_limit(old_limit)


class Header:
    """Column names -> positions, looked up case- and space-insensitively.

    It remembers which columns a row was read from (`used`, cleared by
    `start`), so what a row holds in columns kith has no field for can be
    reported (`unread`)."""

    def __init__(self, cells: list[str]) -> None:
        self.names = [c.strip() for c in cells]
        self.index: dict[str, int] = {}
        for i, name in enumerate(self.names):
            self.index.setdefault(_folded(name), i)
        self.used: set[int] = set()

    def has(self, *names: str) -> bool:
        return all(_folded(n) in self.index for n in names)

    def position(self, name: str) -> int | None:
        return self.index.get(_folded(name))

    def start(self) -> None:
        self.used = set()

    def touch(self, index: int | None) -> None:
        if index is not None:
            self.used.add(index)

    def get(self, cells: list[str], name: str) -> str:
        i = self.index.get(_folded(name))
        if i is None or i >= len(cells):
            return ""
        self.used.add(i)
        value = cells[i].strip()
        return value

    def unread(self, cells: list[str], ignored: Callable[[str, str], bool] = lambda name, value: False) -> list[tuple[str, str]]:
        """(column, value) of every non-empty cell the row was not read from."""
        found = []
        for i, cell in enumerate(cells):
            value = cell.strip()
            if not value or i in self.used or value in EMPTY_VALUES:
                continue
            name = self.names[i] if i < len(self.names) else f"column {i + 1}"
            if not ignored(name, value):
                found.append((name, value))
        return found


EMPTY_VALUES = frozenset({"0/0/00", "0/0/0000", "00/00/0000", "0000-00-00"})
"""What exports write in a date column that holds no date."""


def _folded(name: str) -> str:
    """`Home Zipcode`, `Home ZipCode` and `home  zipcode` are one column."""
    return " ".join(name.lower().split())


def find_header(
    found: Iterator[Row], wanted: tuple[str, ...], within: int = 20
) -> tuple[Header, int] | None:
    """The first row (within the first `within`) that has every `wanted` column."""
    for count, row in enumerate(found):
        header = Header(row.cells)
        if header.has(*wanted):
            return header, row.line
        if count + 1 >= within:
            return None
    return None


def first_row_header(
    found: Iterator[Row], looks_like: Callable[["Header"], bool], refusal: str, code: str
) -> "Header | None":
    """The header of an export whose first row names its columns (Google,
    Outlook); None for an empty file. A first row that is not such a header
    means the wrong format was named: refused, with the line."""
    first = next(found, None)
    if first is None:
        return None
    header = Header(first.cells)
    if not looks_like(header):
        raise ImportRefused(refusal, code, first.line)
    return header
