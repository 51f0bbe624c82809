"""Slugs: a person's id, which is their file name, and the name of every page
kith makes for an organisation, event, place or tag.

`slugify("Zoë Ångström")` is `"zoe-angstrom"`: lower-case ASCII words joined
by `-`. Names in other scripts are romanised with anyascii, a maintained
transliteration table for every Unicode script: `"李小龍"` is
`"li-xiao-long"`, `"최유림"` is `"choe-yu-lim"`, `"Дмитрий"` is `"dmitriy"`.
Chinese characters and Hangul syllables are one syllable each, so each gets
a word of its own; kana, Cyrillic, Greek, Arabic... run on as written.

A slug is a file name and a URL path component, so it is bounded: a name
whose slug would pass `MAX_SLUG` characters is cut at a word boundary and
ends in `-` and 8 hex digits of a hash of the whole slug, so two long names
that differ only after the cut keep distinct slugs.

`unique_slug("John Smith", taken)` gives `john-smith`, or `john-smith-2`,
`john-smith-3`, ... when that is taken. A name with nothing to romanise
(`"???"`) has no slug: `slugify` returns "" and the caller chooses one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

# Letters NFKD does not split into a base letter and an accent (kept for
# `find.py`, which folds names the same way for search).
_FOLD = str.maketrans(
    {
        "ß": "ss",
        "ẞ": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "þ": "th",
        "Þ": "th",
        "ı": "i",
        "ħ": "h",
        "Ħ": "h",
    }
)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

MAX_SLUG = 80
"""Characters in a slug, hash included. A file name may hold 255 bytes; the
writer's temporary file, `-2` for a namesake and `page-N` folders need a few
more, and a URL of 80 characters is still one a person can read."""

HASH_CHARS = 8

# One syllable per character: each is a word of its own in the slug.
_SYLLABIC = (
    (0x3400, 0x4DBF),  # CJK Unified Ideographs Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
    (0xAC00, 0xD7AF),  # Hangul syllables
    (0x20000, 0x3FFFF),  # CJK Extensions B and after
)


def _syllabic(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _SYLLABIC)


def romanise(text: str) -> str:
    """`text` in ASCII letters: accents folded, other scripts transliterated."""
    if text.isascii():
        return text
    from anyascii import anyascii  # here: most names need none, and every command imports this module

    out = []
    for char in unicodedata.normalize("NFC", text):
        if char.isascii():
            out.append(char)
        elif _syllabic(char):
            out.append(f" {anyascii(char)} ")
        else:
            out.append(anyascii(char))
    return "".join(out)


def _bounded(slug: str) -> str:
    if len(slug) <= MAX_SLUG:
        return slug
    import hashlib  # only for a slug too long to keep whole: quick commands never need it

    digest = hashlib.sha256(slug.encode("ascii")).hexdigest()[:HASH_CHARS]
    room = MAX_SLUG - HASH_CHARS - 1
    head = slug[:room]
    if slug[room] != "-" and "-" in head:
        head = head[: head.rindex("-")]  # a whole word, not half of one
    return f"{head.rstrip('-')}-{digest}"


def slugify(name: str) -> str:
    """Lower-case ASCII kebab case of at most MAX_SLUG characters; "" when
    nothing is left. A slug slugifies to itself."""
    ascii_only = romanise(name).lower()
    return _bounded(_NOT_SLUG.sub("-", ascii_only).strip("-"))


def is_slug(text: str) -> bool:
    return len(text) <= MAX_SLUG and bool(SLUG.match(text))


def unique_slug(name: str, taken: Collection[str]) -> str:
    """`slugify(name)`, with `-2`, `-3`, ... appended until it is not taken
    (the base is cut so the result stays within MAX_SLUG)."""
    base = slugify(name)
    if not base:
        return ""
    if base not in taken:
        return base
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = base[: MAX_SLUG - len(suffix)].rstrip("-") + suffix
        if candidate not in taken:
            return candidate
        number += 1


_SAFE = re.compile(r"^[^\W_][\w.-]*$")
_KEBAB = re.compile(r"^[^\W_]+(?:-[^\W_]+)*$")
MAX_FILE_SLUG = 200
"""Characters a file name's slug may have: every file system kith runs on
takes 255 bytes, and a slug becomes a folder of the site."""


def slug_status(stem: str) -> str:
    """What a file name (without `.md`, NFC) is as a slug: "ok" (lower-case
    kebab, in any script: `zoë`, `李小龍`), "style" (letters, digits, `_`, `.` and `-`, but not kebab: it
    works, though `kith enrich --rename` would tidy it) or "invalid"
    (anything that could be markup or path syntax in a URL or a page:
    spaces, brackets, quotes, control characters...)."""
    if len(stem) <= MAX_FILE_SLUG and (SLUG.match(stem) or (_KEBAB.match(stem) and stem == stem.lower())):
        return "ok"
    if len(stem) <= MAX_FILE_SLUG and _SAFE.match(stem) and ".." not in stem:
        return "style"
    return "invalid"
