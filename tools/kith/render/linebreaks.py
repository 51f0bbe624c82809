"""Line breaks in notes, kept on the page where the writer meant them.

Markdown joins the lines of a paragraph into one. That suits prose wrapped
at 80 columns by an editor, and loses what a phone's note or a hand-typed
list of lines meant (`PHP` / `Perl` / `Python`, an address, "Kids: Tom,
Anna" under "Call after 6pm"). So, when notes are rendered (the file is
never changed), each paragraph is looked at on its own: if every line but
the last was filled up to about the width of the longest line (the next
line's first word would not have fitted), it is wrapped prose and stays one
paragraph; otherwise each line ends in a Markdown hard break.

A paragraph here is a run of lines that are text or a list item with its
continuation; headings, fences and what is inside them, quotes, tables,
HTML, admonitions and rules are left as they are.
"""

from __future__ import annotations

import re

from .. import grammar

MIN_WRAP_WIDTH = 40
"""Nobody wraps prose narrower than this: a paragraph of shorter lines is lines."""

SLACK = 6
"""Columns a wrapped line may fall short by: people and editors wrap at 78,
79 or 80, and hand-wrapped prose is not exact."""

_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,9}[.)])\s+\S")
_OPAQUE = re.compile(
    r"^\s{0,3}(?:#{1,6}(?:\s|$)|>|\||<|!!!|\?\?\?|(?:[-*_=]\s*){3,}$|\[[^\]]+\]:)"
)
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?\s*$")
_HARD_BREAK = re.compile(r"(?:  |\\|<br\s*/?>)$", re.IGNORECASE)


def wrapped(lines: list[str]) -> bool:
    """Whether the lines look like one paragraph wrapped at a fixed width."""
    widths = [len(line.rstrip()) for line in lines]
    width = max(widths)
    if width < MIN_WRAP_WIDTH:
        return False
    for index in range(len(lines) - 1):
        words = lines[index + 1].split()
        following = len(words[0]) if words else 0
        if widths[index] + 1 + following <= width - SLACK:
            return False  # the next word had room on this line: the break was meant
    return True


def keep_line_breaks(markdown: str) -> str:
    """`markdown` with a hard break at the end of each line of a paragraph
    that is not wrapped prose."""
    if "\n" not in markdown:
        return markdown
    lines = markdown.split("\n")
    # Fenced code as the renderer reads it (kith's one grammar): an
    # unclosed fence is text, as Python-Markdown shows it.
    code = grammar.code_lines(lines)
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if len(run) > 1 and not any(_TABLE_RULE.match(x) for x in run) and not wrapped(run):
            out.extend(x if _HARD_BREAK.search(x) else x.rstrip() + "  " for x in run[:-1])
            out.append(run[-1])
        else:
            out.extend(run)
        run.clear()

    for index, line in enumerate(lines):
        if code[index]:
            flush()
            out.append(line)
            continue
        if not line.strip():
            flush()
            out.append(line)
            continue
        if _OPAQUE.match(line):
            flush()
            out.append(line)
            continue
        if _LIST_ITEM.match(line):
            flush()
            run.append(line)
            continue
        if not run and line.startswith(("    ", "\t")):
            out.append(line)  # indented code
            continue
        run.append(line)
    flush()
    return "\n".join(out)
