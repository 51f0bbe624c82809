"""One table of finding codes for the whole core (tools/kith/codes.py):
every code documented with its severity where its reporter is documented,
no code in two parts of the table, and every code the source reports is in
it."""

from __future__ import annotations

import re
from pathlib import Path

from kith import codes

PROJECT = Path(__file__).resolve().parent.parent
DOCS = PROJECT / "docs" / "reference"
ROW = re.compile(r"^\|\s*((?:`[a-z0-9-]+`(?:,\s*)?)+)\s*\|\s*(error|warning)\s*\|", re.M)


def documented(*pages: str) -> dict[str, str]:
    rows: dict[str, str] = {}
    for page in pages:
        for match in ROW.finditer((DOCS / page).read_text(encoding="utf-8")):
            for code in re.findall(r"`([a-z0-9-]+)`", match.group(1)):
                rows[code] = match.group(2)
    return rows


PARTS = {
    "file": (codes.FILE_CODES, ("validate.md",)),
    "command": (codes.COMMAND_CODES, ("writing.md", "tidy.md", "digest.md")),
    "import": (codes.IMPORT_CODES, ("import-export.md",)),
}


def test_the_parts_are_disjoint_and_make_the_table():
    seen: dict[str, str] = {}
    for name, (table, _) in PARTS.items():
        for code in table:
            assert code not in seen, f"{code} is in both {seen[code]} and {name}"
            seen[code] = name
    assert set(seen) == set(codes.CODES)


def test_every_code_is_documented_with_its_severity_where_its_reporter_is():
    for name, (table, pages) in PARTS.items():
        rows = documented(*pages)
        missing = sorted(set(table) - set(rows))
        assert missing == [], f"{name} codes missing from {pages}: {missing}"
        wrong = {code: severity for code, severity in rows.items() if code in table and table[code][0] != severity}
        assert wrong == {}, f"severity in {pages} differs from codes.py: {wrong}"


def test_validate_md_lists_only_file_codes():
    assert sorted(set(documented("validate.md")) - set(codes.FILE_CODES)) == []


# What the source reports: `[code]` in printed lines, and the code argument
# of Problem(...), Finding(...), KithError(code=...) and the loader's
# (line, code, message) problems.
REPORTED = [
    re.compile(r"\[([a-z]+(?:-[a-z]+)+)\]\\?[\"')]"),
    re.compile(r"Problem\(\s*[^,()]+(?:\([^()]*\))?,\s*\"(?:error|warning)\",\s*\"([a-z-]+)\""),
    re.compile(r"Finding\([^()]*?\"(?:error|warning)\",\s*\"([a-z-]+)\""),
    re.compile(r"\bcode=\"([a-z-]+)\""),
    re.compile(r"ImportRefused\([^()]*?\"([a-z]+(?:-[a-z]+)+)\""),
    re.compile(r"\.warn\([^()]*?\"([a-z]+(?:-[a-z]+)+)\""),
    re.compile(r"\(\s*[\w.+ \[\]]+,\s*\"([a-z]+(?:-[a-z]+)+)\",\s*f?\""),
    re.compile(r"\.add\(\s*[^,()]+(?:\([^()]*\))?,\s*\"([a-z]+(?:-[a-z]+)*)\""),
    re.compile(r"_finding\([^,]+,[^,]+,\s*\"([a-z]+(?:-[a-z]+)*)\""),
    re.compile(r"severity\(\"([a-z-]+)\"\)"),
]


def test_every_code_the_source_reports_is_in_the_table():
    found: dict[str, str] = {}
    for path in sorted((PROJECT / "tools" / "kith").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for pattern in REPORTED:
            for match in pattern.finditer(text):
                found.setdefault(match.group(1), path.relative_to(PROJECT).as_posix())
    assert len(found) > 50, "the patterns no longer find what the source reports"
    unknown = {code: where for code, where in found.items() if code not in codes.CODES}
    assert unknown == {}, f"codes reported but not in codes.CODES: {unknown}"


def test_every_fix_a_broken_file_page_offers_is_for_a_code_kith_reports():
    from kith.broken import FIXES

    assert set(FIXES) <= set(codes.CODES), set(FIXES) - set(codes.CODES)
