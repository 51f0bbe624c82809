"""Slugs: a person's id, which is their file name.

`slugify("Zoë Ångström")` is `"zoe-angstrom"`: lower-case ASCII words joined
by `-`, accents folded. `unique_slug("John Smith", taken)` gives `john-smith`,
or `john-smith-2`, `john-smith-3`, ... when that is taken. A name with no
Latin letters or digits at all (`"李小龍"`) has no slug: `slugify` returns ""
and the caller asks the user for one (`kith new --slug`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

# Letters that Unicode does not decompose into a base letter and an accent,
# so NFKD alone would drop them.
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


def slugify(name: str) -> str:
    """Lower-case ASCII kebab case, accents folded; "" when nothing is left."""
    folded = unicodedata.normalize("NFKD", name.translate(_FOLD))
    ascii_only = folded.encode("ascii", "ignore").decode("ascii").lower()
    return _NOT_SLUG.sub("-", ascii_only).strip("-")


def is_slug(text: str) -> bool:
    return bool(SLUG.match(text))


def unique_slug(name: str, taken: Collection[str]) -> str:
    """`slugify(name)`, with `-2`, `-3`, ... appended until it is not taken."""
    base = slugify(name)
    if not base:
        return ""
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


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
    if SLUG.match(stem) or (len(stem) <= MAX_FILE_SLUG and _KEBAB.match(stem) and stem == stem.lower()):
        return "ok"
    if len(stem) <= MAX_FILE_SLUG and _SAFE.match(stem) and ".." not in stem:
        return "style"
    return "invalid"
