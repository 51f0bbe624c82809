"""Files kith could not read as a person, as the site shows them.

A contact file with a YAML typo gives no Person: the loader reports the
error and leaves the file out. The site should not then answer with a bare
"404" for that person and drop them from every list: `broken_files` says,
for each such file, what the site may show about it, failing closed.

A file that did not parse may be private (its `private:` flag unread) and
may hold private sections, so the only things taken from it are:

- the errors (file, line, code; the message with anything it quotes from
  the file cut out, see `safe_message`);
- the name, only when the front matter up to the error reads as YAML, holds
  `name:` as text, and the whole front matter holds nothing that could be a
  privacy flag (the word "private" or anything close to it, in any case,
  width or accent, or a backslash escape that could spell it);
- nothing at all, not even a page, when the file could be private by that
  same test (or could not be decoded or split): the site counts it and
  `kith validate` names it.

Nothing from the body is ever taken: no notes, no log, no tasks.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from . import codes
from .load import Unreadable, read_contact, slug_of
from .model import Finding, Network
from .parse import decode, load_yaml, split

NAME_LIMIT = 200
"""Characters of a recovered name shown (a name is short; a page title is)."""

# How to fix each kind of error, in plain words (what the page says after the message).
FIXES: dict[str, str] = {
    "yaml-syntax": "Open the file at that line: a quote, bracket, comma or colon is usually missing or "
    "one too many. Text with a colon in it needs quotes: `title: \"CEO: Acme\"`.",
    "yaml-tag": "Remove the `!` tag: write plain text, numbers, lists and `key: value` lines.",
    "yaml-aliases": "Remove the `&anchor` and `*alias` marks: write each value out.",
    "yaml-too-large": "A contact's front matter is a few keys: move long text below the closing `---`.",
    "frontmatter-missing": "Start the file with a line `---`, then `name: ...`, then a line `---`.",
    "frontmatter-unclosed": "Add a line `---` after the last key of the front matter.",
    "frontmatter-not-mapping": "The front matter must be `key: value` lines, starting with `name: ...`.",
    "encoding": "Save the file as UTF-8 (most editors offer it under \"Save with encoding\").",
    "duplicate-key": "Keep one of the two lines with that key.",
    "duplicate-slug": "Two files have this name in different folders: rename or merge one (`kith merge`).",
    "name-missing": "Add a line `name: ...` to the front matter.",
    "name-type": "Write the name as text: `name: Ada Lovelace`.",
    "date-invalid": "Write the date as YYYY-MM-DD, a day that exists.",
    "private-doubtful": "Write the flag exactly `private: true` or `private: false`.",
    "private-unplaced": "Put the `## Private` heading on a line of its own, outside lists, quotes and code.",
}
DEFAULT_FIX = "Fix the line in your editor and save: the page updates by itself under `mkdocs serve`."


@dataclass(frozen=True)
class BrokenFile:
    """A contact file that gave no person."""

    relpath: str
    slug: str | None  # None: the file name cannot be a slug, so no page
    errors: tuple[Finding, ...]
    # True only when nothing in the file could make it private (see the
    # module docstring): the site makes a page for it only then.
    public: bool
    name: str | None  # read from the front matter, only when `public`

    @property
    def shown(self) -> bool:
        """Whether the site makes a page for the file."""
        return self.public and self.slug is not None


def fix_for(code: str) -> str:
    return FIXES.get(code, DEFAULT_FIX)


_QUOTED = re.compile(r"'([^']*)'|\"([^\"]*)\"|`([^`]*)`")
_TOKEN_NAME = re.compile(r"<[a-z ]+>")  # PyYAML's names for tokens: '<scalar>', '<block end>'


def safe_message(finding: Finding) -> str:
    """The finding's message with anything quoted from the file cut out.

    kith's own messages and PyYAML's quote what they found (`'!tag'`,
    `` `key` ``); on a page about a file that may be private, only token
    names and punctuation stay ("expected ',' or ']', but got '<scalar>'")."""

    def keep(match: re.Match[str]) -> str:
        inner = next(g for g in match.groups() if g is not None)
        if _TOKEN_NAME.fullmatch(inner) or (len(inner) <= 3 and not any(c.isalnum() for c in inner)):
            return match.group(0)
        return match.group(0)[0] + "…" + match.group(0)[-1]

    return _QUOTED.sub(keep, finding.message)


_PRIVATE = "private"
_WORDS = re.compile(r"[^\W_]+")


def _may_say_private(text: str) -> bool:
    """Whether `text` could hold a privacy flag in any spelling the loader
    might read as one (or doubt): fails closed."""
    if "\\" in text:
        return True  # a YAML escape can spell anything
    folded = unicodedata.normalize("NFKC", text)
    folded = "".join(c for c in folded if unicodedata.category(c) not in ("Cf", "Mn"))
    folded = folded.casefold()
    if _PRIVATE in folded:
        return True
    for word in _WORDS.findall(folded):
        if 5 <= len(word) <= 10 and difflib.SequenceMatcher(None, word, _PRIVATE).ratio() >= 0.7:
            return True
    return False


def _recovered_name(yaml_text: str, first_line: int, error_line: int) -> str | None:
    """`name:` from the front matter lines before `error_line`: the longest
    run of first lines that reads as a YAML mapping on its own (the parser
    notices an unclosed bracket a line or more after it)."""
    lines = yaml_text.split("\n")
    keep = min(max(error_line - first_line, 0), len(lines))
    for end in range(keep, max(keep - RECOVERY_TRIES, 0), -1):
        head = "\n".join(lines[:end]) + "\n"
        if not head.strip():
            return None
        fm, problem = load_yaml(head, first_line)
        if problem or fm is None or not isinstance(fm.data, dict):
            continue
        name = fm.data.get("name")
        if not isinstance(name, str):
            return None
        name = " ".join("".join(c for c in name if c.isprintable()).split())
        return name[:NAME_LIMIT] or None
    return None


RECOVERY_TRIES = 20
"""Shorter and shorter runs of lines tried before giving the name up."""


def inspect(path: Path, relpath: str, errors: tuple[Finding, ...]) -> BrokenFile:
    """What the site may show about one file that gave no person."""
    slug, _ = slug_of(path.stem)
    try:
        raw = read_contact(path)
    except Unreadable:
        return BrokenFile(relpath, slug, errors, public=False, name=None)
    text, problem = decode(raw)
    if text is None:
        return BrokenFile(relpath, slug, errors, public=False, name=None)
    parts, problem = split(text)
    region = parts.yaml_text if parts is not None and parts.yaml_text is not None else text
    if _may_say_private(region):
        return BrokenFile(relpath, slug, errors, public=False, name=None)
    name = None
    if parts is not None and parts.yaml_text is not None:
        first_error = min((f.line for f in errors if f.line > 0), default=0)
        if first_error:
            name = _recovered_name(parts.yaml_text, parts.yaml_first_line, first_error)
    return BrokenFile(relpath, slug, errors, public=True, name=name)


def broken_files(network: Network) -> list[BrokenFile]:
    """Every file of `network` that gave no person (and is not a second
    file for a slug someone already has), in path order."""
    read = {person.relpath for person in network.people.values()}
    errors: dict[str, list[Finding]] = {}
    for finding in network.findings:
        if finding.severity == codes.ERROR and finding.path not in read:
            errors.setdefault(finding.path, []).append(finding)
    found = []
    for relpath, problems in sorted(errors.items()):
        if any(f.code == "duplicate-slug" for f in problems):
            continue  # the slug's page is the other file's; validate names this one
        path = network.root / relpath
        broken = inspect(path, relpath, tuple(sorted(problems, key=lambda f: (f.line, f.code))))
        if broken.slug is not None and broken.slug in network.people:
            broken = BrokenFile(relpath, None, broken.errors, broken.public, broken.name)
        found.append(broken)
    return found


def file_errors(network: Network) -> dict[str, list[Finding]]:
    """relpath -> the errors the loader found in each person's own file."""
    read = {person.relpath for person in network.people.values()}
    out: dict[str, list[Finding]] = {}
    for finding in network.findings:
        if finding.severity == codes.ERROR and finding.path in read:
            out.setdefault(finding.path, []).append(finding)
    return out
