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
from collections.abc import Iterable
from typing import Any

from .slug import _FOLD, is_slug, slugify, unique_slug

__all__ = [
    "fold",
    "words",
    "group_key",
    "sort_key",
    "name_key",
    "initial",
    "sorted_by_name",
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


@functools.lru_cache(maxsize=65536)
def sort_key(name: str) -> tuple[int, ...]:
    """The UCA sort key of `name`: Ada < Émile < eve < Łukasz < Zoë.

    A name of letters Unicode gives no weight to (none in practice) still
    sorts deterministically: callers add the slug as a tie-breaker."""
    return tuple(_collator().sort_key(unicodedata.normalize("NFC", name)))


def name_key(name: str, slug: str = "") -> tuple[tuple[int, ...], str, str]:
    """A key to sort people by name (UCA), then by exact spelling, then slug."""
    return (sort_key(name), name, slug)


def sorted_by_name(items: Iterable[Any], name=lambda x: x.name, slug=lambda x: x.slug) -> list[Any]:
    """`items` (people, by default) in name order."""
    return sorted(items, key=lambda x: name_key(name(x), slug(x)))


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


def with_names(text: str, people: dict) -> str:
    """`text` with each `[[slug]]` (or `[[slug|label]]`) written as the
    person's name (or the label), as a person reads it: for the terminal.
    A slug that names nobody stays as written."""
    if "[[" not in text:
        return text
    from . import grammar

    out: list[str] = []
    pos = 0
    for match in grammar.mention_matches(text):
        slug = match.group(1).strip()
        label = (match.group(2) or "").strip()
        person = people.get(slug)
        out.append(text[pos : match.start()])
        out.append(label or (person.name if person is not None else match.group(0)))
        pos = match.end()
    out.append(text[pos:])
    return "".join(out)
