"""The grammar of a contact file: one definition of its structure, shared by
the reader (`body.py`), the writer (`write.py`), the renderer and the
privacy filter, so that they cannot disagree about what a line is.

A file is front matter between `---` lines, then a Markdown body. In the
body kith cares about headings (a `Log` heading starts the log, a `Private`
heading a private section), fenced code (where nothing is structure),
`[[slug]]` mentions, and nothing else. The rules follow Python-Markdown,
which renders the site:

- An ATX heading is `#` to `######` at the start of a line; the space after
  the hashes is optional (`##Private` is a heading to Python-Markdown).
- A setext heading is a line underlined by a line of `=` (level 1) or `-`
  (level 2), when the title line starts a block (it follows a blank line, a
  heading, the end of a fenced block, or the start of the body).
- A fenced block opens with ```` ``` ```` or `~~~` (three or more) at the
  start of a line, with at most a simple info string (`python`, `.lang`,
  `{attrs}`, `hl_lines="..."`), and closes at the next line holding exactly
  the same fence. A fence that never closes is no fence at all: the lines
  after it are ordinary Markdown (they are to Python-Markdown too).

Where Markdown dialects disagree (an indented fence, an info string
Python-Markdown refuses, a fence that never closes, a heading inside a list
or a quote), kith cannot be sure what a given renderer will do. For privacy
that doubt matters, and `scan` reports it: see `Structure.doubts`.
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from dataclasses import dataclass, field

# -- front matter ------------------------------------------------------------

FRONT_MATTER_OPEN = "---"
FRONT_MATTER_CLOSE = ("---", "...")


def front_matter_end(lines: list[str]) -> int | None:
    """The index of the line closing the front matter (`lines[0]` opens it),
    or None when it never closes. Lines may keep their endings."""
    for index in range(1, len(lines)):
        if lines[index].rstrip() in FRONT_MATTER_CLOSE:
            return index
    return None


def opens_front_matter(first_line: str) -> bool:
    return first_line.rstrip() == FRONT_MATTER_OPEN


# -- headings ----------------------------------------------------------------

ATX = re.compile(r"^(#{1,6})(.*)$")
SETEXT_UNDERLINE = re.compile(r"^[=-]+[ ]*$")
_TRAILING_HASHES = re.compile(r"(?<!\\)#+[ \t]*$")

LOG_TITLE = "log"
PRIVATE_TITLE = "private"


def atx_heading(line: str) -> tuple[int, str] | None:
    """(level, title) of an ATX heading line, else None."""
    if not line.startswith("#"):
        return None
    match = ATX.match(line)
    if match is None:
        return None
    title = _TRAILING_HASHES.sub("", match.group(2)).strip()
    return len(match.group(1)), title


_ATTR_LIST = re.compile(r"\{[^{}]*\}[ \t]*$")
_TAGS = re.compile(r"<[^>]*>")
_MARKS = re.compile(r"[*_~`\\]")
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")


def fold(text: str) -> str:
    """Heading text as a reader sees it, for comparing titles: entities
    decoded, tags, emphasis marks, backslashes, attribute lists `{#id}` and
    invisible characters removed, compatibility forms and case folded,
    punctuation at either end dropped. `fold("**Private** {#p}")` and
    `fold("&#80;rivate:")` are both "private"."""
    text = _ATTR_LIST.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    if "<" in text:
        text = _TAGS.sub("", text)
    text = _MARKS.sub("", text)
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKC", text) if unicodedata.category(c) != "Cf")
    return _EDGE.sub("", text.casefold().strip())


# Containers a heading may sit in: indentation (lists, admonitions, code),
# quote markers and list markers.
_CONTAINER = re.compile(r"^(?:[ \t]+|>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))*")
_HTML_HEADING = re.compile(r"<h[1-6][\s>]", re.IGNORECASE)
_ANY_UNDERLINE = re.compile(r"^[ \t]*[=-]+[ \t]*$")


def looks_private(line: str, next_line: str = "") -> bool:
    """True when a renderer could show `line` as a heading that says
    "Private", in some form: a heading inside a list, a quote or an
    admonition, an indented one, one written in HTML, or a line underlined
    with `===` or `---` (in any container). A line of plain text that just
    says "Private" is not: no renderer makes a heading of it."""
    return private_heading_level(line, next_line) is not None


def private_heading_level(line: str, next_line: str = "") -> int | None:
    """The level of the heading reading "Private" a renderer could make of
    `line` (see `looks_private`); None when no renderer makes one."""
    if "p" not in line and "P" not in line and "&" not in line:
        return None  # every spelling of "private" has a p, or an entity for one
    rest = _CONTAINER.sub("", line)
    if rest.startswith("#"):
        heading = atx_heading(rest)
        return heading[0] if heading is not None and fold(heading[1]) == PRIVATE_TITLE else None
    if "<" in rest:
        tag = _HTML_HEADING.search(rest)
        if tag is not None:
            return int(tag.group(0)[2]) if fold(_TAGS.sub("", rest)) == PRIVATE_TITLE else None
    if not next_line or fold(rest) != PRIVATE_TITLE or rest.startswith("\\"):
        return None
    underline = _CONTAINER.sub("", next_line) or next_line
    if not _ANY_UNDERLINE.match(underline):
        return None
    return 1 if "=" in underline else 2


# -- fences ------------------------------------------------------------------

# Python-Markdown's fenced_code opening line (its FENCED_BLOCK_RE), on one line.
_FENCE_OPEN = re.compile(
    r"^(?P<fence>`{3,}|~{3,})[ ]*"
    r"(?:\{[^\n]*\}|(?:\.?[\w#.+-]*[ ]*)?(?:hl_lines=(?P<quot>[\"']).*?(?P=quot)[ ]*)?)$"
)
# Anything another dialect may take for a fence: up to three spaces, then a run.
FENCE_LIKE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")


# -- mentions and inline code ------------------------------------------------

MENTION = re.compile(r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]*))?\]\]")
INLINE_CODE = re.compile(r"(`+)(?:.+?)(?<!`)\1(?!`)")


def _escaped(text: str, index: int) -> bool:
    """True when the character at `index` is backslash-escaped."""
    count = 0
    while index > 0 and text[index - 1] == "\\":
        count += 1
        index -= 1
    return count % 2 == 1


def code_spans(text: str) -> list[tuple[int, int]]:
    """Where `text`'s inline code spans are, as Python-Markdown finds them:
    a backslash-escaped backtick opens none (quote_text escapes every
    backtick of imported text)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    while (code := INLINE_CODE.search(text, pos)) is not None:
        if code.start() and _escaped(text, code.start()):
            pos = code.start() + 1
            continue
        spans.append(code.span())
        pos = code.end()
    return spans


def mention_matches(text: str) -> list[re.Match[str]]:
    """The `[[slug]]` / `[[slug|label]]` in `text` that are mentions: not
    inside inline code, not escaped (`\\[[x]]`)."""
    if "[[" not in text:
        return []
    spans = code_spans(text) if "`" in text else []
    found = []
    for match in MENTION.finditer(text):
        start = match.start()
        if spans and any(a <= start < b for a, b in spans):
            continue
        if start and text[start - 1] == "\\" and _escaped(text, start):
            continue
        found.append(match)
    return found


def mentions_in(text: str) -> list[str]:
    """Slugs mentioned in `text`, in order, each once."""
    seen: dict[str, None] = {}
    for match in mention_matches(text):
        seen.setdefault(match.group(1).strip(), None)
    return list(seen)


# What Python-Markdown takes a backslash before as the character itself
# (markdown.inlinepatterns' ESCAPED_CHARS): every escape quote_text writes.
_BACKSLASHED = re.compile(r"\\([\\`*_{}\[\]()>#+\-.!])")
_CHAR_REF = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def shown_text(text: str) -> str:
    """What a line of Markdown says, as plain text: its backslash escapes
    and character references read as the characters they stand for, as the
    renderer reads them (`Q\\&amp;A \\[v2\\]` says `Q&A [v2]`), except inside
    code spans, where Markdown keeps them as written. For text shown
    without rendering the Markdown (log entries, tasks, a mention's line):
    what an import quoted (quote_text) reads as it was sent. The result is
    plain text, to be escaped for wherever it goes."""
    if "\\" not in text and "&" not in text:
        return text
    if "`" not in text:
        return _decode(text)
    out, pos = [], 0
    for start, end in code_spans(text):
        out.append(_decode(text[pos:start]))
        out.append(text[start:end])
        pos = end
    out.append(_decode(text[pos:]))
    return "".join(out)


def shown_body(text: str) -> str:
    """`shown_text` for every line of a body, but the lines of fenced code,
    which Markdown shows as written: notes for a program that shows text
    as it is (a phone's contact card)."""
    lines = text.split("\n")
    code = code_lines(lines)
    return "\n".join(line if code[i] else shown_text(line) for i, line in enumerate(lines))


def _decode(text: str) -> str:
    text = _BACKSLASHED.sub(r"\1", text) if "\\" in text else text
    return _CHAR_REF.sub(lambda m: html.unescape(m.group(0)), text) if "&" in text else text


# -- the body's structure ----------------------------------------------------


@dataclass
class Structure:
    """What each line of a body is, by index into the lines given to `scan`."""

    code: list[bool]  # inside a fenced block (its fence lines included)
    log: list[bool]  # inside the Log section (its heading included)
    private: list[bool]  # inside a Private section (its heading included)
    log_heading: int | None = None
    # Fence-like lines that open no block Python-Markdown would close:
    # (index, the fence). The rest of the body is not code to kith.
    unclosed_fences: list[tuple[int, str]] = field(default_factory=list)
    # Lines kith cannot place for certain where privacy depends on it:
    # (index, why). A body with any is withheld from everything published.
    doubts: list[tuple[int, str]] = field(default_factory=list)


def _fenced(lines: list[str]) -> tuple[list[bool], set[int], list[tuple[int, str]], list[int]]:
    """Code lines, indexes of closing fences, unclosed openers, and fence-like
    lines that Python-Markdown reads as text but another dialect may not.

    Linear in the number of lines, whatever they hold: each fence-like line
    is matched once, and closers are looked up by position, not searched for."""
    n = len(lines)
    code = [False] * n
    closers: set[int] = set()
    unclosed: list[tuple[int, str]] = []
    odd: list[int] = []
    fences: list[tuple[int, re.Match[str]]] = []
    # exact fence text -> indexes of the lines that would close it
    exact: dict[str, list[int]] = {}
    # fence character -> (index, run length) of each bare fence line
    bare: dict[str, list[tuple[int, int]]] = {"`": [], "~": []}
    for index, line in enumerate(lines):
        if not line or line[0] not in "`~ ":
            continue
        like = FENCE_LIKE.match(line)
        if like is None:
            continue
        fences.append((index, like))
        run = like.group(1)
        rest = line[like.end() :]
        if not rest.strip(" \t"):
            bare[run[0]].append((index, len(run)))
            if line.startswith(run) and not rest.strip(" "):
                exact.setdefault(run, []).append(index)
    # For "could any later line close a run of this length" in O(1): the
    # longest bare fence at or after each position, per character.
    longest_after = {char: _suffix_max(items, n) for char, items in bare.items()}
    position = 0
    for index, like in fences:
        if index < position:
            continue  # inside a block already closed
        opener = _FENCE_OPEN.match(lines[index])
        end = None
        if opener:
            candidates = exact.get(opener.group("fence"), [])
            at = bisect.bisect_right(candidates, index)
            if at < len(candidates):
                end = candidates[at]
        if end is not None:
            for inside in range(index, end + 1):
                code[inside] = True
            closers.add(end)
            position = end + 1
            continue
        run = like.group(1)
        if index + 1 >= n or longest_after[run[0]][index + 1] < len(run):
            unclosed.append((index, run))
        odd.append(index)
    return code, closers, unclosed, odd


def _suffix_max(items: list[tuple[int, int]], n: int) -> list[int]:
    """For each line index, the longest run among `items` at or after it."""
    best = [0] * (n + 1)
    for index, length in items:
        best[index] = max(best[index], length)
    for index in range(n - 1, -1, -1):
        best[index] = max(best[index], best[index + 1])
    return best


_HTML_BLOCK = re.compile(r"^[ ]{0,3}<[A-Za-z!/?]")


def code_lines(lines: list[str]) -> list[bool]:
    """`scan(lines).code` alone: which lines are fenced code. Without the
    heading and privacy checks, which cost five times as much and which
    rendering the notes (already cut by `scan` at load) does not need."""
    return _fenced(lines)[0]


def scan(lines: list[str]) -> Structure:
    """Classify every line of a body (lines without their endings)."""
    n = len(lines)
    code, closers, unclosed, odd = _fenced(lines)
    odd_set = set(odd)
    log = [False] * n
    private = [False] * n
    doubts: list[tuple[int, str]] = []
    log_heading: int | None = None
    log_level = 0
    private_level = 0
    block_start = True  # the next line would start a block
    underline_of = -1  # the index of a setext underline already used
    for index, line in enumerate(lines):
        heading: tuple[int, str] | None = None
        if code[index]:
            block_start = index in closers
        elif index == underline_of:
            block_start = True
        else:
            if line.startswith("#"):
                heading = atx_heading(line)
            elif (
                block_start
                and line.strip()
                and index + 1 < n
                and not code[index + 1]
                and SETEXT_UNDERLINE.match(lines[index + 1])
                and not line.startswith(("    ", "\t"))
                and index not in odd_set
            ):
                heading = (1 if lines[index + 1][0] == "=" else 2, line.strip())
                underline_of = index + 1
            if heading is not None:
                level, title = heading
                folded = fold(title)
                if log_level and level <= log_level:
                    log_level = 0
                if private_level and level <= private_level:
                    private_level = 0
                if folded == LOG_TITLE and not log_level:
                    log_level = level
                    log_heading = index
                if folded == PRIVATE_TITLE and not private_level:
                    private_level = level
                block_start = True
            else:
                nested = private_heading_level(line, lines[index + 1] if index + 1 < n else "")
                if nested is not None and (not private_level or nested < private_level):
                    # A Private heading kith cannot place: outside a private
                    # section it may start one; inside one, a higher one
                    # (`    # Private` in a list under `## Private`) makes
                    # the renderer cut on past the heading that ends the
                    # section for kith.
                    doubts.append((index, "form"))
                elif private_level and (index in odd_set or _HTML_BLOCK.match(line)):
                    # Inside a private section, a construct another renderer
                    # may stretch over the heading that ends the section.
                    doubts.append((index, "fence" if index in odd_set else "html"))
                block_start = not line.strip()
        log[index] = bool(log_level)
        private[index] = bool(private_level)
    return Structure(code, log, private, log_heading, unclosed, doubts)


DOUBT_REASONS = {
    "form": (
        "this line reads \"Private\" but is not a heading kith can place for certain "
        "(inside a list, a quote or an admonition, indented, or written in HTML)"
    ),
    "fence": (
        "a code fence inside a private section that renderers read differently "
        "(indented, never closed, or with an unusual info string), so the section's end is uncertain"
    ),
    "html": "raw HTML inside a private section, which can hide where the section ends",
}


# -- what Markdown cannot render in time -----------------------------------

# Python-Markdown's costs, measured (Python-Markdown 3.11, 2 cores): its
# inline patterns rescan a paragraph for each `[` or `<` (400 `[` in one
# paragraph: 0.02 s; 5,000: 4 s; 40,000: minutes), and nested emphasis,
# lists and quotes recurse (1,000 nested `*a`: RecursionError). Bounds well
# above anything written by hand keep every page's render under a second.
MAX_NOTES_CHARS = 2 * 1024 * 1024
MAX_PER_PARAGRAPH = {"[": 400, "<": 500}
MAX_QUADRATIC_COST = 4_000_000  # the sum over paragraphs of count squared
MAX_EMPHASIS_DEPTH = 200
MAX_INDENT = 256  # columns: 64 levels of nested lists
MAX_QUOTE_DEPTH = 64
_PARAGRAPH_START = re.compile(r"^[ \t>]*(?:[-*+]|\d{1,9}[.)]|#)[ \t]")
_QUOTES = re.compile(r"^[ \t]*((?:>[ \t]*)+)")
_OPENER = re.compile(r"(?:^|(?<=\s))[*_]+(?=[^\s*_])")
_CLOSER = re.compile(r"(?<=[^\s*_])[*_]+(?=\s|$)")


def render_hazard(lines: list[str], code: list[bool]) -> tuple[int, str] | None:
    """(index, why) of the first line that would make Python-Markdown take
    too long or exhaust its stack on these notes; None when they are fine.
    Fenced code is passed through by the renderer and not counted."""
    if sum(len(line) + 1 for line in lines) > MAX_NOTES_CHARS:
        return 0, f"the notes are over {MAX_NOTES_CHARS // (1024 * 1024)} MiB"
    cost = 0
    start = 0
    counts = dict.fromkeys(MAX_PER_PARAGRAPH, 0)
    depth = 0
    for index, line in enumerate(lines):
        if code[index]:
            continue
        if not line.strip() or _PARAGRAPH_START.match(line):
            cost += sum(n * n for n in counts.values())
            counts = dict.fromkeys(MAX_PER_PARAGRAPH, 0)
            depth = 0
            start = index
        indent = len(line) - len(line.lstrip(" \t"))
        if indent and len(line[:indent].expandtabs(4)) > MAX_INDENT:
            return index, f"a line indented over {MAX_INDENT} columns (lists or quotes nested too deeply)"
        quotes = _QUOTES.match(line) if ">" in line[: indent + 1] else None
        if quotes and quotes.group(1).count(">") > MAX_QUOTE_DEPTH:
            return index, f"quotes nested over {MAX_QUOTE_DEPTH} deep"
        for char, limit in MAX_PER_PARAGRAPH.items():
            if char in line:
                counts[char] += line.count(char)
                if counts[char] > limit:
                    return start, f"a paragraph with over {limit} `{char}`"
        if "*" in line or "_" in line:
            marks = sorted([(m.start(), 1) for m in _OPENER.finditer(line)] + [(m.start(), -1) for m in _CLOSER.finditer(line)])
            for _position, step in marks:
                depth = max(depth + step, 0)
                if depth > MAX_EMPHASIS_DEPTH:
                    return start, f"emphasis (`*` or `_`) nested over {MAX_EMPHASIS_DEPTH} deep"
    cost += sum(n * n for n in counts.values())
    if cost > MAX_QUADRATIC_COST:
        return 0, "too many `[` and `<` across the notes"
    return None


# -- text from elsewhere -----------------------------------------------------

# Characters that start a block construct at the beginning of a line, with
# what stands in for each so it reads the same but is plain text: Markdown's
# backslash escape where Python-Markdown honours one, else an HTML entity.
_LINE_START = {
    "#": "\\#",
    "-": "\\-",
    "+": "\\+",
    "*": "\\*",
    ">": "&gt;",
    "=": "&#61;",
    "`": "\\`",
    "~": "&#126;",
    "|": "&#124;",
    ":": "&#58;",
    "!": "\\!",
    "?": "&#63;",
    "/": "&#47;",
    "[": "\\[",
    "<": "&lt;",
}
_INLINE = str.maketrans(
    {
        "\\": "\\\\",
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        "[": "\\[",
        "]": "\\]",
        "`": "\\`",
        "*": "\\*",
        "_": "\\_",
        "{": "\\{",
        "}": "\\}",
    }
)
_ORDERED = re.compile(r"^(\d+)([.)])")


def quote_text(text: str) -> str:
    """Text from outside (an imported note) as Markdown that shows exactly
    that text and can never become structure: no heading, log entry, task,
    mention, link, code, HTML or other markup, whatever it holds. Line
    breaks are kept as lines; leading spaces as `&#32;` (four would start
    code)."""
    out = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip()
        body = line.lstrip(" \t")
        lead = line[: len(line) - len(body)]
        escaped = body.translate(_INLINE)
        if body:
            first = body[0]
            if first in _LINE_START and not escaped.startswith(("\\", "&")):
                escaped = _LINE_START[first] + escaped[1:]
            ordered = _ORDERED.match(escaped)
            if ordered:
                escaped = ordered.group(1) + "\\" + ordered.group(2) + escaped[ordered.end() :]
        prefix = "&#32;" * len(lead.expandtabs(4)) if body else ""
        out.append(prefix + escaped)
    return "\n".join(out)
