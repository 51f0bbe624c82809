"""Names as text: the one place for folding, slugs and sort keys.

Everything that compares, finds, groups or orders people by what they are
called goes through here, so that the site, the CLI, the finder and the
importers agree:

- `fold("Zoë ÅNGSTRÖM")` is `"zoe angstrom"`: case and accents dropped,
  letters Unicode does not decompose (ß, ø, ł, æ...) spelled out, so a name
  typed without accents finds the person;
- `words(text)`: the folded words of a text;
- `group_key("Acme  Corp")`: one key for names that differ only in case,
  accents or spacing (one organisation, one tag);
- `sort_key(name)`: the Unicode Collation Algorithm's key (pyuca, with the
  Default Unicode Collation Element Table), so Łukasz sorts under L and
  Émile under E, not after Z;
- `initial(name)`: the letter a name is listed under in an A to Z;
- `slugify`, `unique_slug`, `is_slug`: slugs, as `kith.slug` makes them
  (re-exported, so callers need one import).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

from .slug import _FOLD, is_slug, slugify, unique_slug

__all__ = [
    "fold",
    "words",
    "group_key",
    "sort_key",
    "name_key",
    "initial",
    "slugify",
    "unique_slug",
    "is_slug",
]

_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Lower case without accents: `fold("Zoë ÅNGSTRÖM") == "zoe angstrom"`."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.casefold()


def words(text: str) -> list[str]:
    """The folded words of `text`."""
    return _WORD.findall(fold(text))


def group_key(name: str) -> str:
    """"Acme  Corp", "acme corp" and "ACME Corp" are one organisation:
    case, accents and spacing ignored."""
    return " ".join(fold(name).split())


@functools.cache
def _collator() -> Any:
    # pyuca reads its table (the DUCET, ~2 MB of text) when first asked:
    # loaded here lazily, so commands that never sort names do not pay it.
    import pyuca

    return pyuca.Collator()


# The collation elements pyuca's DUCET gives each printable ASCII character
# (no two ASCII characters contract into one element): the key of an ASCII
# name is computed from these, exactly as pyuca would (a test checks), so a
# network whose names are all ASCII never loads pyuca's table (a quarter of
# a second), and an ASCII name costs a tenth of what pyuca takes.
_ASCII: dict[str, tuple[tuple[int, ...], ...]] = {
    ' ': ((521, 32, 2),), '!': ((608, 32, 2),), '"': ((780, 32, 2),), '#': ((920, 32, 2),),
    '$': ((7186, 32, 2),), '%': ((921, 32, 2),), '&': ((918, 32, 2),), "'": ((773, 32, 2),),
    '(': ((791, 32, 2),), ')': ((792, 32, 2),), '*': ((911, 32, 2),), '+': ((1558, 32, 2),),
    ',': ((546, 32, 2),), '-': ((525, 32, 2),), '.': ((631, 32, 2),), '/': ((916, 32, 2),),
    '0': ((7229, 32, 2),), '1': ((7230, 32, 2),), '2': ((7231, 32, 2),), '3': ((7232, 32, 2),),
    '4': ((7233, 32, 2),), '5': ((7234, 32, 2),), '6': ((7235, 32, 2),), '7': ((7236, 32, 2),),
    '8': ((7237, 32, 2),), '9': ((7238, 32, 2),), ':': ((569, 32, 2),), ';': ((564, 32, 2),),
    '<': ((1562, 32, 2),), '=': ((1563, 32, 2),), '>': ((1564, 32, 2),), '?': ((614, 32, 2),),
    '@': ((910, 32, 2),), 'A': ((7239, 32, 8),), 'B': ((7264, 32, 8),), 'C': ((7290, 32, 8),),
    'D': ((7311, 32, 8),), 'E': ((7338, 32, 8),), 'F': ((7397, 32, 8),), 'G': ((7412, 32, 8),),
    'H': ((7448, 32, 8),), 'I': ((7474, 32, 8),), 'J': ((7500, 32, 8),), 'K': ((7525, 32, 8),),
    'L': ((7543, 32, 8),), 'M': ((7594, 32, 8),), 'N': ((7609, 32, 8),), 'O': ((7645, 32, 8),),
    'P': ((7692, 32, 8),), 'Q': ((7713, 32, 8),), 'R': ((7731, 32, 8),), 'S': ((7793, 32, 8),),
    'T': ((7829, 32, 8),), 'U': ((7861, 32, 8),), 'V': ((7907, 32, 8),), 'W': ((7925, 32, 8),),
    'X': ((7935, 32, 8),), 'Y': ((7947, 32, 8),), 'Z': ((7969, 32, 8),), '[': ((793, 32, 2),),
    '\\': ((917, 32, 2),), ']': ((794, 32, 2),), '^': ((1157, 32, 2),), '_': ((523, 32, 2),),
    '`': ((1154, 32, 2),), 'a': ((7239, 32, 2),), 'b': ((7264, 32, 2),), 'c': ((7290, 32, 2),),
    'd': ((7311, 32, 2),), 'e': ((7338, 32, 2),), 'f': ((7397, 32, 2),), 'g': ((7412, 32, 2),),
    'h': ((7448, 32, 2),), 'i': ((7474, 32, 2),), 'j': ((7500, 32, 2),), 'k': ((7525, 32, 2),),
    'l': ((7543, 32, 2),), 'm': ((7594, 32, 2),), 'n': ((7609, 32, 2),), 'o': ((7645, 32, 2),),
    'p': ((7692, 32, 2),), 'q': ((7713, 32, 2),), 'r': ((7731, 32, 2),), 's': ((7793, 32, 2),),
    't': ((7829, 32, 2),), 'u': ((7861, 32, 2),), 'v': ((7907, 32, 2),), 'w': ((7925, 32, 2),),
    'x': ((7935, 32, 2),), 'y': ((7947, 32, 2),), 'z': ((7969, 32, 2),), '{': ((795, 32, 2),),
    '|': ((1566, 32, 2),), '}': ((796, 32, 2),), '~': ((1568, 32, 2),),

}


def _ascii_key(name: str) -> tuple[int, ...]:
    elements = [element for char in name for element in _ASCII[char]]
    key: list[int] = []
    for level in range(4):  # pyuca's levels, a 0 between each
        if level:
            key.append(0)
        key.extend(element[level] for element in elements if len(element) > level and element[level])
    return tuple(key)


@functools.lru_cache(maxsize=65536)
def sort_key(name: str) -> tuple[int, ...]:
    """The UCA sort key of `name`: Ada < Émile < eve < Łukasz < Zoë.

    A name of letters Unicode gives no weight to (none in practice) still
    sorts deterministically: callers add the slug as a tie-breaker."""
    if name.isascii() and all(" " <= char <= "~" for char in name):
        return _ascii_key(name)
    return tuple(_collator().sort_key(unicodedata.normalize("NFC", name)))


def name_key(name: str, slug: str = "") -> tuple[tuple[int, ...], str, str]:
    """A key to sort people by name (UCA), then by exact spelling, then slug."""
    return (sort_key(name), name, slug)


def initial(name: str) -> str:
    """The letter `name` is listed under in an A to Z: its first letter
    without accents, upper case ("Łukasz" -> "L", "Émile" -> "E"), or "#"
    for a name that starts with anything else (a digit, a symbol, a letter
    of a script without an A to Z)."""
    for char in name.lstrip():
        folded = fold(char)[:1].upper()
        if "A" <= folded <= "Z":
            return folded
        return "#"
    return "#"


def named_in(texts) -> set[str]:  # noqa: ANN001 - an iterable of str
    """The slugs `texts` name with `[[slug]]`, as `with_names` reads them."""
    found: set[str] = set()
    for text in texts:
        if "[[" in text:
            from . import grammar

            found.update(grammar.mentions_in(text))
    return found


def with_names(text: str, people: dict) -> str:
    """`text` as a person reads it, for the terminal: each `[[slug]]` (or
    `[[slug|label]]`) written as the person's name (or the label), a slug
    that names nobody as written, and the rest as its Markdown reads
    (grammar.shown_text: an imported `Q\\&amp;A` says `Q&A`)."""
    from . import grammar

    if "[[" not in text:
        return grammar.shown_text(text)
    out: list[str] = []
    pos = 0
    for match in grammar.mention_matches(text):
        slug = match.group(1).strip()
        label = (match.group(2) or "").strip()
        person = people.get(slug)
        out.append(grammar.shown_text(text[pos : match.start()]))
        out.append(label or (person.name if person is not None else match.group(0)))
        pos = match.end()
    out.append(grammar.shown_text(text[pos:]))
    return "".join(out)


_CONTROL = dict.fromkeys([*range(0x00, 0x20), *range(0x7F, 0xA0)], "?")
_HAS_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]").search  # one C-level scan: most text has none


# What would break a line, or make it read as something else, becomes a
# space: C0 and C1 controls, the line and paragraph separators, and the
# bidirectional controls (a U+202E can turn "gnp.exe" into "exe.png").
_ONE_LINE = dict.fromkeys(
    [*range(0x00, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, 0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)],
    " ",
)


def one_line(text: object, limit: int | None = None) -> str:
    """A value as one line of plain text (an imported subject, a digest's
    line): no control characters, runs of space one, cut to `limit`
    characters with "…"."""
    out = " ".join(str(text).translate(_ONE_LINE).split())
    if limit is None or len(out) <= limit:
        return out
    return out[: limit - 1].rstrip() + "…"


def printable(text: object) -> str:
    """A value from a file as printed on a terminal: control characters (a
    YAML `"\\e[2J"` in a name) become `?`, so a file cannot move the
    cursor, clear the screen or retitle the window."""
    text = str(text)
    return text.translate(_CONTROL) if _HAS_CONTROL(text) else text
