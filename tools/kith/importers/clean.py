"""Cleaning what an export file says before it reaches a contact file.

Export files are written by other programs and sometimes by attackers: a
name such as `=cmd|' /C calc'!A0` is run by a spreadsheet that opens a CSV
made from it. Text that kith imports or exports therefore never starts with
`=`, `+`, `-` or `@` (the characters that start a formula), control
characters are dropped, and links must be http(s).
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from .. import grammar

from ..dates import parse_birthday
from ..fields import EMAIL
from ..model import Birthday
from ..text import fold as text_fold

FORMULA_START = "=+-@\t\r"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SPACES = re.compile(r"\s+")
# Digits with the punctuation phones are written with, and an optional extension.
PHONE = re.compile(r"^\+?[\d\s().\-/]{3,}(?:\s*(?:x|ext\.?|#)\s*\d{1,6})?$", re.IGNORECASE)
_DOMAIN = re.compile(r"^[\w-]+(\.[\w-]+)+(/\S*)?$")
MAX_FIELD = 1000  # characters in a one-line field; longer is not a name or a title
MAX_NOTE = 100_000


def defuse(text: str) -> str:
    """`text` without the leading characters that make a spreadsheet run it."""
    return text.lstrip(FORMULA_START + " ")


def line(value: object) -> str | None:
    """One-line text (a name, a company): spaces collapsed, formulas defused."""
    if value is None:
        return None
    text = _CONTROL.sub(" ", str(value))
    text = defuse(_SPACES.sub(" ", text).strip()).strip()
    if not text:
        return None
    return text[:MAX_FIELD]


def note(value: object) -> str:
    """Multi-line notes for a body, every line kept: line ends normalised,
    control characters and each line's indentation dropped, then quoted so
    that nothing in them is structure. Lines that start like a spreadsheet formula (`---`, `=x`,
    `-2 points`) are kept as written: a contact file is not a spreadsheet,
    and `note_for_export` defuses them where a file leaves for other
    programs."""
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text.replace("\t", "    "))
    cleaned = "\n".join(raw.strip() for raw in text.split("\n")).strip("\n")[:MAX_NOTE]
    # The body is Markdown that kith reads for structure: a card from
    # someone else must not become a heading, a log entry, a task, a
    # mention or markup (a `## Private` in it a private section, a <script>
    # on the user's pages). Quoted, it reads exactly as written.
    return grammar.quote_text(cleaned)


def note_for_export(text: str) -> str:
    """Notes for a file other programs read: no control characters, and no
    line that starts like a formula; indentation and list items are kept."""
    out = []
    for raw in _CONTROL.sub("", text.replace("\t", "    ")).split("\n"):
        body = raw.lstrip(" ")
        if body.startswith("- ") or body == "-" or body[:1] not in FORMULA_START:
            out.append(raw)
        else:
            out.append(raw[: len(raw) - len(body)] + defuse(body))
    return "\n".join(out).strip("\n")


def email(value: object) -> str | None:
    """A plausible address, or None; `mailto:` and display names removed.
    One that starts like a formula is refused, not repaired into another address."""
    text = line_raw(value)
    if text is None:
        return None
    if text.lower().startswith("mailto:"):
        text = text[7:]
    # Outlook writes `John Smith (john@example.com)` as a display name.
    m = re.search(r"[<(]([^<>()\s]+@[^<>()\s]+)[>)]", text)
    if m:
        text = m.group(1)
    text = text.strip()
    if text[:1] in FORMULA_START or not EMAIL.match(text):
        return None
    return text


def phone(value: object) -> str | None:
    """The number as written when it looks like one (digits and punctuation)."""
    text = line_raw(value)
    if text is None:
        return None
    if text.lower().startswith("tel:"):
        # RFC 3966: `tel:+1-418-656-9254;ext=102`; other parameters say nothing to a person.
        number, _, params = text[4:].partition(";")
        extension = next((p[4:] for p in params.split(";") if p.lower().startswith("ext=")), "")
        text = f"{number} ext {extension}" if extension else number
    text = text.strip()
    if not PHONE.match(text) or sum(c.isdigit() for c in text) < 3:
        return None
    return text


def line_raw(value: object) -> str | None:
    """One-line text without defusing (for values checked by shape instead)."""
    if value is None:
        return None
    text = _SPACES.sub(" ", _CONTROL.sub(" ", str(value))).strip()
    return text or None


def url(value: object) -> str | None:
    """An http(s) URL (a bare `www.example.com` gets `https://`), or a
    `mailto:` link to a plausible address."""
    text = line_raw(value)
    if text is None:
        return None
    text = text.replace("\\:", ":").replace("\\,", ",").replace("\\;", ";")
    if " " in text:
        return None
    if text[:7].lower() == "mailto:":
        found = email(text)
        return f"mailto:{found}" if found else None
    parts = urlsplit(text)
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return text
    if not parts.scheme and _DOMAIN.match(text):
        return "https://" + text
    return None


def url_key(text: str) -> str:
    """The same address written differently compares equal (scheme, www, slash)."""
    parts = urlsplit(text.strip())
    host = parts.netloc.lower()
    if host.startswith("www."):
        host = host[4:]
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"


KNOWN_SITES = (
    ("linkedin.com", "linkedin"),
    ("github.com", "github"),
    ("gitlab.com", "gitlab"),
    ("twitter.com", "twitter"),
    ("x.com", "twitter"),
    ("mastodon.social", "mastodon"),
    ("facebook.com", "facebook"),
    ("instagram.com", "instagram"),
)


def link_name(text: str) -> str:
    """The key a link gets in `links:`: the site's name when it is well known."""
    if text[:7].lower() == "mailto:":
        return "email"
    host = urlsplit(text).netloc.lower()
    if host.startswith("www."):
        host = host[4:]
    for domain, name in KNOWN_SITES:
        if host == domain or host.endswith("." + domain):
            return name
    return "web"


def free_key(name: str, taken: set[str] | dict) -> str:
    """`web`, then `web-2`, `web-3`...: the first key not in `taken`."""
    if name not in taken:
        return name
    n = 2
    while f"{name}-{n}" in taken:
        n += 1
    return f"{name}-{n}"


def add_link(links: dict[str, str], value: object) -> None:
    """Add a URL to `links` under its site's key, unless it is already there."""
    found = url(value)
    if found is None:
        return
    if any(url_key(v) == url_key(found) for v in links.values()):
        return
    links[free_key(link_name(found), links)] = found


def tag(value: object) -> str | None:
    return line(value)


def add_unique(items: list[str], value: str | None, key=str.lower) -> None:
    if value and all(key(value) != key(x) for x in items):
        items.append(value)


def fold(text: str) -> str:
    """For matching names: accents folded, case and spacing ignored (kith.text)."""
    return text_fold(_SPACES.sub(" ", text).strip())


_BIRTHDAY_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%m/%d/%Y", "%m/%d/%y", "%d.%m.%Y", "%d %b %Y", "%b %d, %Y")
EMPTY_DATES = {"0/0/00", "0/0/0000", "00/00/0000", "0000-00-00"}


def birthday(value: object) -> Birthday | None:
    """`1815-12-10`, `--12-10`, `--1210`, `18151210`, Outlook's `12/10/1815`...
    -> Birthday; None when empty or not a day (Outlook writes `0/0/00` for none)."""
    text = line_raw(value)
    if text is None or text in EMPTY_DATES:
        return None
    text = text.split("T")[0] if re.match(r"^\d{4}-?\d{2}-?\d{2}T", text) else text
    found = parse_birthday(text)
    if found is not None:
        return found
    for fmt in _BIRTHDAY_FORMATS:
        try:
            day = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return Birthday(day.month, day.day, day.year)
    return None


def split_multi(value: str, sep: str = " ::: ") -> list[str]:
    """Google puts several values in one cell, joined by ` ::: `."""
    return [part.strip() for part in value.split(sep) if part.strip()]
