"""vCard files (.vcf) of versions 2.1, 3.0 and 4.0.

kith reads the content lines itself rather than through vobject: vobject
0.9.9 splits every text property on its unescaped commas and keeps the first
part (`FN:Doe, John` is "Doe", a 736-byte NOTE ends at its first comma), and
stops a whole file at the first card it cannot read. Here the file is split
line by line into BEGIN:VCARD..END:VCARD blocks, each property with the line
it starts on; each property is unfolded, its quoted-printable or base64
undone in its CHARSET, and its backslash escapes read by the rules of its
kind:

- text (FN, TITLE, NOTE, EMAIL, TEL, URL, BDAY...) is one value, whole,
  whatever commas it holds (vCard 2.1 never escaped them);
- NICKNAME and CATEGORIES are lists: split on unescaped commas;
- N, ADR and ORG are structured: split on unescaped semicolons.

Every problem is reported at the line of the property it is about. A
property kith has no field for is reported by name and line, never dropped
in silence, unless it is only a program's bookkeeping (PRODID, REV, ...).
Photos are passed over while reading, so a card with a 10 MB photo costs a
few kilobytes, and counted.
"""

from __future__ import annotations

import base64
import binascii
import io
import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol

from ..model import Birthday
from . import build, clean
from .records import Card, ImportRefused, Parsed, Problem

# What kith reads from a card; the whole value of these is kept.
READ = frozenset(
    {
        "VERSION", "N", "FN", "NICKNAME", "EMAIL", "TEL", "ORG", "TITLE", "BDAY",
        "NOTE", "URL", "CATEGORIES", "UID", "ADR", "X-SOCIALPROFILE", "KIND",
        "X-ABSHOWAS", "X-ADDRESSBOOKSERVER-KIND", "X-ABLABEL",
    }
)
# A program's bookkeeping, not something a person wrote: left out silently.
BOOKKEEPING = frozenset(
    {
        "PRODID", "REV", "PROFILE", "NAME", "SOURCE", "MAILER", "SORT-STRING", "CLASS",
        "X-ABUID", "X-ABADR", "X-GENERATOR", "X-MS-OL-DESIGN", "X-MS-OL-DEFAULT-POSTAL-ADDRESS",
        "X-MS-CARDPICTURE", "X-EVOLUTION-FILE-AS", "X-EVOLUTION-LIST", "X-EVOLUTION-LIST-SHOW-ADDRESSES",
        "X-EVOLUTION-CALLBACK", "X-MOZILLA-HTML", "X-MOZILLA-PROPERTY", "CLIENTPIDMAP", "X-COUCHDB-UUID",
        "X-COUCHDB-REVISION", "X-COUCHDB-APPLICATION-ANNOTATIONS", "X-WAB-GENDER", "X-ACTIVITY-ALERT",
        "X-ANDROID-CUSTOM-KEYS", "X-ID", "X-ETAG", "X-FC-TAGS", "X-FC-LIST-ID",
    }
)
PHOTOS = frozenset({"PHOTO"})
KINDS_NOT_PEOPLE = {"org": "an organisation", "group": "a group", "location": "a place", "device": "a device", "application": "an application"}
MAX_VCF_BYTES = 512 * 1024 * 1024  # photos are streamed past, so this is generous
MAX_LINE = 64 * 1024  # bytes read at a time; a longer line is read in pieces
MAX_CARD = 1024 * 1024  # characters of read properties in one card
PREVIEW = 160  # characters kept of a property kith does not read, to name it in a report
_PROPERTY = re.compile(r"^(?:([A-Za-z0-9-]+)\.)?([A-Za-z0-9_-]+)(?=[;:])")
# TYPE values that say nothing about which link it is (a phone's or address's words).
GENERIC_TYPES = frozenset(
    {"pref", "internet", "home", "work", "other", "main", "homepage", "home-page", "x400",
     "voice", "msg", "cell", "dom", "intl", "postal", "parcel", "uri", "url", "text"}
)


@dataclass
class RawProp:
    """One property as it stands in the file, unfolded; `read` when kith reads it."""

    line: int
    text: str
    read: bool


@dataclass
class Block:
    """One BEGIN:VCARD..END:VCARD."""

    line: int
    props: list[RawProp] = field(default_factory=list)
    size: int = 0
    too_large: bool = False


@dataclass
class Prop:
    """A property, parsed and decoded; `value` still holds its backslash escapes."""

    line: int
    group: str  # lower case; "" without one
    name: str  # upper case
    params: dict[str, list[str]]  # names upper case
    value: str

    @property
    def types(self) -> set[str]:
        found: set[str] = set()
        for value in self.params.get("TYPE", []):
            found |= {t.strip().upper() for t in value.split(",") if t.strip()}
        return found


def parse(path: Path) -> Parsed:
    size = path.stat().st_size
    if size > MAX_VCF_BYTES:
        raise ImportRefused(
            f"the file is {size / 1024 / 1024:.0f} MB; kith imports vCard files up to "
            f"{MAX_VCF_BYTES // 1024 // 1024} MB",
            "too-large",
        )
    with path.open("rb") as stream:
        if stream.read(2) in (b"\xff\xfe", b"\xfe\xff"):
            # Windows' "Unicode" (UTF-16) save: read as text, fed on as UTF-8.
            stream.seek(0)
            return parse_stream(_Utf8Lines(io.TextIOWrapper(stream, encoding="utf-16", newline="")))
        stream.seek(0)
        return parse_stream(stream)


class _Utf8Lines:
    """`readline` of a text stream, as UTF-8 bytes."""

    def __init__(self, text: io.TextIOWrapper) -> None:
        self.text = text

    def readline(self, size: int = -1) -> bytes:
        try:
            return self.text.readline(size).encode("utf-8")
        except UnicodeDecodeError:
            raise ImportRefused("the file starts like UTF-16 but is not", "encoding") from None


class Lines(Protocol):
    def readline(self, size: int = -1, /) -> bytes: ...


def parse_stream(stream: BinaryIO | Lines) -> Parsed:
    out = Parsed()
    for block in split(stream, out):
        if block.too_large:
            out.problems.append(
                Problem(
                    block.line,
                    "error",
                    "vcard-too-large",
                    f"this card holds over {MAX_CARD // 1024} KB of text besides photos; skipped",
                    skipped=True,
                )
            )
            continue
        card = read_block(block, out)
        if card is not None:
            build.finish(card, out, what="card")
    return out


# -- lines -> blocks of properties ---------------------------------------------


def _physical(stream: BinaryIO | Lines) -> Iterator[tuple[int, str, bool]]:
    """(line number, text without line end, whether it was longer than MAX_LINE).

    An over-long line yields only its first piece; the rest is read and
    dropped, so memory stays bounded whatever the file holds.
    """
    number = 0
    while True:
        chunk = stream.readline(MAX_LINE)
        if not chunk:
            return
        number += 1
        long = False
        if not chunk.endswith(b"\n") and len(chunk) >= MAX_LINE:
            long = True
            while True:
                rest = stream.readline(MAX_LINE)
                if not rest or rest.endswith(b"\n"):
                    break
        try:
            text = chunk.decode("utf-8")
        except UnicodeDecodeError:
            # vCard 2.1 from old phones may be in a legacy 8-bit charset.
            text = chunk.decode("cp1252", errors="replace")
        text = text.rstrip("\n").rstrip("\r")
        # A lone CR inside a value is a line break written the old Mac way
        # (Thunderbird writes these): a break in the value, not a new line.
        text = text.replace("\r", "\n")
        if text.startswith("\ufeff"):
            text = text[1:]
        yield number, text, long


def split(stream: BinaryIO | Lines, out: Parsed) -> Iterator[Block]:
    block: Block | None = None
    prop: RawProp | None = None  # the property being unfolded; None when it is dropped
    qp_open = False  # the property is quoted-printable and its last line ends in a soft break
    seen_card = False
    for number, text, long in _physical(stream):
        if qp_open and block is not None:
            # A quoted-printable value continues on lines that are not indented.
            if prop is not None and prop.text.endswith("="):
                prop.text = prop.text[:-1]
            if text == "":
                qp_open = False
                continue
            if prop is not None:
                _extend(block, prop, text)
                if block.too_large:
                    prop = None
            qp_open = text.endswith("=")
            continue
        if text[:1] in (" ", "\t"):
            if block is not None and prop is not None:
                if long and prop.read:
                    block.props.remove(prop)
                    out.problems.append(
                        Problem(prop.line, "warning", "vcard-line", "a value over 64 KB long; left out")
                    )
                    prop = None
                else:
                    _extend(block, prop, text[1:])
                    if block.too_large:
                        prop = None
            continue
        stripped = text.strip()
        upper = stripped.upper()
        if upper == "BEGIN:VCARD":
            if block is not None:
                out.problems.append(
                    Problem(block.line, "error", "vcard-unclosed", "this card has no END:VCARD; skipped", skipped=True)
                )
            block, prop, qp_open, seen_card = Block(number), None, False, True
            continue
        if block is None:
            if stripped and not seen_card:
                raise ImportRefused(
                    "this is not a vCard file: it should start with BEGIN:VCARD", "not-vcard", number
                )
            if stripped:
                out.problems.append(
                    Problem(number, "warning", "vcard-line", "text between cards; ignored")
                )
            continue
        if upper == "END:VCARD":
            yield block
            block, prop, qp_open = None, None, False
            continue
        if not stripped:
            continue
        m = _PROPERTY.match(text)
        if not m:
            out.problems.append(
                Problem(
                    number,
                    "warning",
                    "vcard-line",
                    "not a vCard property (a raw line break inside a value?); line ignored",
                )
            )
            prop = None
            continue
        name = m.group(2).upper().replace("_", "-")
        params = text[: text.find(":")] if ":" in text else text
        qp_open = "QUOTED-PRINTABLE" in params.upper() and text.endswith("=")
        if name in PHOTOS:
            out.photos_skipped += 1
            out.problems.append(Problem(number, "warning", "not-imported", f"{name} not imported: kith keeps no pictures"))
            prop = None
            continue
        if name in BOOKKEEPING or name.startswith("X-EVOLUTION-X-"):
            prop = None
            continue
        if name in READ and long:
            out.problems.append(
                Problem(number, "warning", "vcard-line", f"{name} is over {MAX_LINE // 1024} KB long; left out")
            )
            prop, qp_open = None, False
            continue
        if block.too_large:
            prop = None
            continue
        prop = RawProp(number, "", name in READ)
        block.props.append(prop)
        _extend(block, prop, text)
        if block.too_large:
            prop = None
    if block is not None:
        out.problems.append(
            Problem(block.line, "error", "vcard-unclosed", "this card has no END:VCARD; skipped", skipped=True)
        )


def _extend(block: Block, prop: RawProp, text: str) -> None:
    if not prop.read:
        # Only enough to name it in a report.
        text = text[: max(0, PREVIEW - len(prop.text))]
    block.size += len(text)
    if block.size > MAX_CARD:
        block.too_large = True
        block.props.clear()
        return
    prop.text += text


# -- one content line ------------------------------------------------------------


def _caret(value: str) -> str:
    """RFC 6868: ^n is a line break, ^' a double quote, ^^ a caret."""
    if "^" not in value:
        return value
    return re.sub(r"\^([n'^])", lambda m: {"n": "\n", "'": '"', "^": "^"}[m.group(1)], value)


def parse_line(text: str) -> tuple[str, str, dict[str, list[str]], str] | None:
    """(group, NAME, params, raw value), or None when it is no content line.

    Parameter values may be quoted (`TYPE="WORK,FAX"`) and hold `;`, `:` and
    `,` inside the quotes; vCard 2.1's bare parameters (`TEL;CELL;PREF`,
    `;QUOTED-PRINTABLE`) are TYPE and ENCODING values."""
    m = _PROPERTY.match(text)
    if not m:
        return None
    group, name = (m.group(1) or "").lower(), m.group(2).upper().replace("_", "-")
    i, end = m.end(), len(text)
    params: dict[str, list[str]] = {}
    while i < end and text[i] == ";":
        i += 1
        j = i
        while j < end and text[j] not in "=;:":
            j += 1
        pname = text[i:j].strip().upper()
        values: list[str] = []
        if j < end and text[j] == "=":
            j += 1
            while True:
                if j < end and text[j] == '"':
                    close = text.find('"', j + 1)
                    if close < 0:
                        return None
                    values.append(text[j + 1 : close])
                    j = close + 1
                else:
                    k = j
                    while k < end and text[k] not in ",;:":
                        k += 1
                    values.append(text[j:k])
                    j = k
                if j < end and text[j] == ",":
                    j += 1
                    continue
                break
        elif pname:
            values = [pname]
            pname = "ENCODING" if pname in ("QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT") else "TYPE"
        if pname:
            params.setdefault(pname, []).extend(_caret(v) for v in values)
        i = j
    if i >= end or text[i] != ":":
        return None
    return group, name, params, text[i + 1 :]


def _decode(params: dict[str, list[str]], raw: str) -> tuple[str, str]:
    """The value with quoted-printable or base64 undone, and "" or what was wrong."""
    encodings = {v.upper() for v in params.get("ENCODING", [])}
    if "QUOTED-PRINTABLE" in encodings:
        data = quopri.decodestring(raw.encode("utf-8"))
    elif encodings & {"B", "BASE64"}:
        try:
            data = base64.b64decode("".join(raw.split()), validate=False)
        except (binascii.Error, ValueError):
            return "", "its base64 is damaged"
    else:
        return raw, ""
    charset = (params.get("CHARSET") or ["utf-8"])[0].strip() or "utf-8"
    try:
        return data.decode(charset), ""
    except LookupError:
        try:
            return data.decode("utf-8"), ""
        except UnicodeDecodeError:
            return data.decode("cp1252", errors="replace"), f"its CHARSET {charset} is unknown; read as Windows-1252"
    except UnicodeDecodeError:
        return data.decode(charset, errors="replace"), f"it holds bytes that are not {charset}; they are shown as �"


def unescape(value: str) -> str:
    """`\\n` is a line break; `\\,` `\\;` `\\:` `\\"` `\\\\` are the character (Gmail
    escapes quotes and colons too).
    Any other backslash is kept: it was never an escape (`C:\\Users`)."""
    if "\\" not in value:
        return value
    out = []
    i, end = 0, len(value)
    while i < end:
        char = value[i]
        if char == "\\" and i + 1 < end:
            following = value[i + 1]
            if following in "nN":
                out.append("\n")
                i += 2
                continue
            if following in ',;:"\\':
                out.append(following)
                i += 2
                continue
        out.append(char)
        i += 1
    return "".join(out)


def split_escaped(value: str, separator: str) -> list[str]:
    """`value` split on the separators that no backslash escapes; escapes kept."""
    parts, current = [], []
    i, end = 0, len(value)
    while i < end:
        char = value[i]
        if char == "\\" and i + 1 < end:
            current.append(value[i : i + 2])
            i += 2
            continue
        if char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    parts.append("".join(current))
    return parts


def text_of(prop: Prop) -> str:
    """A text property, whole."""
    return unescape(prop.value)


def list_of(prop: Prop) -> list[str]:
    """A list property (NICKNAME, CATEGORIES): one item per unescaped comma."""
    return [unescape(part) for part in split_escaped(prop.value, ",")]


def parts_of(prop: Prop) -> list[str]:
    """A structured property (N, ADR, ORG): one part per unescaped semicolon.
    Commas inside a part are kept: vCard 2.1 never escaped them, and an
    organisation's name holds them (`Company, The`)."""
    return [unescape(part) for part in split_escaped(prop.value, ";")]


# -- a block -> a Card ---------------------------------------------------------------


def read_block(block: Block, out: Parsed) -> Card | None:
    props: list[Prop] = []
    for raw in block.props:
        parsed = parse_line(raw.text)
        if parsed is None and not raw.read:
            # Only its start was kept, maybe cut inside a parameter: its name is enough.
            m = _PROPERTY.match(raw.text)
            if m:
                parsed = ((m.group(1) or "").lower(), m.group(2).upper().replace("_", "-"), {}, "")
        if parsed is None:
            name = (_PROPERTY.match(raw.text) or [None, None, "?"])[2]
            out.problems.append(
                Problem(raw.line, "warning", "vcard-line", f"{name} is not a readable property (a broken parameter?); left out")
            )
            continue
        group, name, params, value = parsed
        if raw.read:
            value, trouble = _decode(params, value)
            if trouble:
                out.problems.append(Problem(raw.line, "warning", "vcard-encoding", f"{name}: {trouble}"))
        props.append(Prop(raw.line, group, name, params, value))
    return to_card(props, block.line, out)


def _preview(prop: Prop) -> str:
    encodings = {v.upper() for v in prop.params.get("ENCODING", [])}
    if encodings & {"B", "BASE64"} or "BINARY" in {v.upper() for v in prop.params.get("VALUE", [])}:
        return "(binary data)"
    if "QUOTED-PRINTABLE" in encodings:
        value, _ = _decode(prop.params, prop.value.rstrip("="))
        return build.shown_value(unescape(value))
    return build.shown_value("; ".join(p for p in (x.strip() for x in parts_of(prop)) if p))


def _label(prop: Prop, labels: dict[str, str]) -> tuple[str, bool]:
    """The label a program gave the property (Apple's X-ABLabel), if any, and
    whether it is one of Apple's own (`_$!<HomePage>!$_`) rather than the
    user's words."""
    label = labels.get(prop.group, "") if prop.group else ""
    m = re.fullmatch(r"_\$!<(.*)>!\$_", label)
    label = m.group(1) if m else label
    label = (clean.line(label) or "")[:60]
    # Google writes its own labels in capitals (PROFILE, BLOG).
    return (label.lower() if re.fullmatch(r"[A-Z0-9_-]+", label) else label), bool(m)


def to_card(props: list[Prop], line: int, out: Parsed) -> Card | None:
    card = Card(line=line)
    labels = {p.group: text_of(p).strip() for p in props if p.name == "X-ABLABEL" and p.group}
    left_out: list[tuple[Prop, str]] = []
    by_name: dict[str, list[Prop]] = {}
    for prop in props:
        by_name.setdefault(prop.name, []).append(prop)

    def first_text(name: str) -> str:
        for prop in by_name.get(name, []):
            found = clean.line(text_of(prop))
            if found:
                return found
        return ""

    not_person = _not_a_person(by_name)
    if not_person:
        prop, what = not_person
        who = first_text("FN") or first_text("ORG") or "this card"
        out.problems.append(
            Problem(prop.line, "warning", "not-a-person", f"`{build.shown_value(who)}` is {what}, not a person; skipped", skipped=True)
        )
        return None

    for prop in by_name.get("FN", []):
        value = clean.line(text_of(prop)) or ""
        if not card.name:
            card.name = value
        elif value and clean.fold(value) != clean.fold(card.name):
            left_out.append((prop, "kith keeps one name; other names come from NICKNAME"))
    if not card.name:
        for prop in by_name.get("N", []):
            # Each part is a list (`Philip,Paul`); an escaped comma is part of a name.
            raw = split_escaped(prop.value, ";") + [""] * 5
            family, given, additional, prefix, suffix = (
                " ".join(unescape(x) for x in split_escaped(part, ",")) for part in raw[:5]
            )
            card.name = clean.line(" ".join(p for p in (prefix, given, additional, family, suffix) if p.strip())) or ""
            if card.name:
                break
    for prop in by_name.get("NICKNAME", []):
        for value in list_of(prop):
            clean.add_unique(card.aka, clean.line(value))
    for prop in by_name.get("EMAIL", []):
        build.add_email(card, text_of(prop), out, prop.line)
        if card.emails:
            card.lines.setdefault(f"email:{card.emails[-1]}", prop.line)
    for prop in by_name.get("TEL", []):
        if "FAX" in prop.types:
            left_out.append((prop, "a fax number is not a way to keep in touch"))
            continue
        build.add_phone(card, text_of(prop), out, prop.line)
    for prop in by_name.get("ORG", []):
        parts = [clean.line(p) for p in parts_of(prop)]
        name, units = parts[0], [p for p in parts[1:] if p]
        if name and not card.company:
            card.company = name
            card.lines["company"] = prop.line
            if units:
                left_out.append((prop, f"only `{build.shown_value(name)}` becomes `company`; its units are not imported"))
        elif name and card.company and clean.fold(name) != clean.fold(card.company):
            left_out.append((prop, "kith keeps one company"))
        elif units:
            left_out.append((prop, "the units of an organisation are not imported"))
    for prop in by_name.get("TITLE", []):
        value = clean.line(text_of(prop))
        if value and not card.title:
            card.title = value
            card.lines["title"] = prop.line
        elif value and clean.fold(value) != clean.fold(card.title or ""):
            left_out.append((prop, "kith keeps one title"))
    for prop in by_name.get("BDAY", []):
        found = _birthday(prop, out)
        if found is None:
            continue
        if card.birthday is None:
            card.birthday = found
            card.lines["birthday"] = prop.line
        elif found != card.birthday:
            left_out.append((prop, "kith keeps one birthday"))
    notes = []
    for prop in by_name.get("NOTE", []):
        text = text_of(prop)
        notes.append(clean.note(text))
        if len(text) > clean.MAX_NOTE:
            left_out.append((prop, f"only its first {clean.MAX_NOTE:,} characters are kept"))
    card.notes = "\n\n".join(n for n in notes if n)
    if by_name.get("NOTE"):
        card.lines["notes"] = by_name["NOTE"][0].line
    for name in ("URL", "X-SOCIALPROFILE"):
        for prop in by_name.get(name, []):
            if not _add_link(card, prop, *_label(prop, labels)):
                left_out.append((prop, "only http(s) and mailto links are imported"))
    for prop in by_name.get("CATEGORIES", []):
        for value in list_of(prop):
            build.add_tag(card, value)
    for prop in by_name.get("ADR", []):
        parts = [clean.line(p) or "" for p in parts_of(prop)] + [""] * 7
        box, extended, street, city, region, code, country = parts[:7]
        place = city or country
        if place and card.location is None:
            card.location = place
            card.lines["location"] = prop.line
            rest = [p for p in (box, extended, street, region, code, country if city else "") if p]
            if rest:
                left_out.append((prop, f"only `{build.shown_value(place)}` becomes `location`; the rest of the address is not imported"))
        elif any(parts[:7]):
            why = "kith keeps one location" if card.location else "it names no city or country"
            left_out.append((prop, why))
    for prop in by_name.get("UID", []):
        card.uid = clean.line_raw(text_of(prop))
    for name, found in by_name.items():
        if name in READ or name == "LABEL" and "ADR" in by_name:
            continue
        for prop in found:
            left_out.append((prop, "kith has no field for it"))
    for prop, why in sorted(left_out, key=lambda item: item[0].line):
        label, _ = _label(prop, labels)
        named = f"{_property_name(prop.name)} ({build.shown_value(label, 30)})" if label else _property_name(prop.name)
        preview = _preview(prop)
        shown = f" `{preview}`" if preview else ""
        out.problems.append(Problem(prop.line, "warning", "not-imported", f"{named}{shown} not imported: {why}"))
    return card


def _property_name(name: str) -> str:
    """FullContact writes `X-FC-RelatedNames:Mother` as `X-FCENCODED-` and its hex."""
    if name.startswith("X-FCENCODED-"):
        try:
            return build.shown_value(bytes.fromhex(name[len("X-FCENCODED-") :]).decode("utf-8"), 40)
        except ValueError:
            return name
    return name


def _not_a_person(by_name: dict[str, list[Prop]]) -> tuple[Prop, str] | None:
    for prop in by_name.get("KIND", []):
        kind = text_of(prop).strip().lower()
        if kind in KINDS_NOT_PEOPLE:
            return prop, f"{KINDS_NOT_PEOPLE[kind]} (KIND:{kind})"
    for prop in by_name.get("X-ABSHOWAS", []):
        if text_of(prop).strip().upper() == "COMPANY":
            return prop, "an organisation (X-ABShowAs:COMPANY)"
    for prop in by_name.get("X-ADDRESSBOOKSERVER-KIND", []):
        if text_of(prop).strip().lower() == "group":
            return prop, "a group (X-ADDRESSBOOKSERVER-KIND:group)"
    return None


def _add_link(card: Card, prop: Prop, label: str, builtin: bool) -> bool:
    """Add the link under the key its label or TYPE names (`URL;TYPE=github`,
    Apple's X-ABLabel), else its site's name; False when it is no link.
    A label the user wrote is taken as it is; TYPE words and Apple's own
    labels that only say "home" or "work" give way to the site's name."""
    found = clean.url(text_of(prop))
    if found is None:
        return False
    if any(clean.url_key(v) == clean.url_key(found) for v in card.links.values()):
        return True
    key = ""
    if label and not (builtin and label.lower() in GENERIC_TYPES):
        key = label
    else:
        for value in prop.params.get("TYPE", []):
            for word in value.split(","):
                word = word.strip().lower().removeprefix("x-")
                if word and word not in GENERIC_TYPES and re.fullmatch(r"[a-z0-9][a-z0-9_-]*", word):
                    key = word
                    break
            if key:
                break
    key = clean.free_key(key or clean.link_name(found), card.links)
    card.links[key] = found
    card.lines[f"link:{key}"] = prop.line
    return True


APPLE_NO_YEAR = 1604  # Apple and CardBook write a birthday without a year in 1604


def _birthday(prop: Prop, out: Parsed) -> Birthday | None:
    value = text_of(prop).strip()
    # Year 0000 is how some phones write "no year".
    m = re.match(r"^0000-?(\d\d)-?(\d\d)$", value)
    found = clean.birthday(f"--{m[1]}-{m[2]}" if m else value)
    if found is None:
        out.problems.append(
            Problem(prop.line, "warning", "date-unread", f"BDAY `{build.shown_value(value, 120)}` is not a date; left out")
        )
        return None
    omit = [str(v).strip() for v in prop.params.get("X-APPLE-OMIT-YEAR", [])]
    # 1604 means "no year" with Apple's parameter and, in CardBook's files,
    # without it: nobody kith imports was born in 1604.
    if found.year is not None and (found.year == APPLE_NO_YEAR or str(found.year) in omit):
        return Birthday(found.month, found.day, None)
    return found
