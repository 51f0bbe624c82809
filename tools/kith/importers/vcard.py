"""vCard files (.vcf) of versions 2.1, 3.0 and 4.0, read with vobject.

vobject stops a whole file at the first card it cannot read (a truncated
photo, a raw line break inside a value, Apple's `PROFILE:VCard`), so the file
is first split here into BEGIN:VCARD..END:VCARD blocks, line by line and with
line numbers; each block is then parsed on its own, and a block that fails is
reported and skipped. While splitting, only the properties kith maps are
kept: photos (counted) and every other property are dropped before they are
held in memory, so a card with a 10 MB photo costs a few kilobytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ..model import Birthday
from . import build, clean
from .records import Card, ImportRefused, Parsed, Problem

# What kith reads from a card; everything else is dropped while splitting.
KEPT = frozenset(
    {
        "VERSION", "N", "FN", "NICKNAME", "EMAIL", "TEL", "ORG", "TITLE", "BDAY",
        "NOTE", "URL", "CATEGORIES", "UID", "ADR", "X-SOCIALPROFILE",
    }
)
PHOTOS = frozenset({"PHOTO"})
MAX_VCF_BYTES = 512 * 1024 * 1024  # photos are streamed past, so this is generous
MAX_LINE = 64 * 1024  # bytes read at a time; a longer line is read in pieces
MAX_CARD = 1024 * 1024  # characters of kept properties in one card
_PROPERTY = re.compile(r"^(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)([;:])")


@dataclass
class Block:
    """One BEGIN:VCARD..END:VCARD, with only the kept properties."""

    line: int
    lines: list[str] = field(default_factory=list)
    size: int = 0
    too_large: bool = False


def parse(path: Path) -> Parsed:
    size = path.stat().st_size
    if size > MAX_VCF_BYTES:
        raise ImportRefused(
            f"the file is {size / 1024 / 1024:.0f} MB; kith imports vCard files up to "
            f"{MAX_VCF_BYTES // 1024 // 1024} MB",
            "too-large",
        )
    with path.open("rb") as stream:
        return parse_stream(stream)


def parse_stream(stream: BinaryIO) -> Parsed:
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


def _physical(stream: BinaryIO) -> Iterator[tuple[int, str, bool]]:
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
        # A lone CR inside a value makes vobject see two lines (Thunderbird writes these).
        text = text.replace("\r", " ")
        if text.startswith("\ufeff"):
            text = text[1:]
        yield number, text, long


def split(stream: BinaryIO, out: Parsed) -> Iterator[Block]:
    block: Block | None = None
    keep = False  # whether the current property (and its folded lines) is kept
    qp_open = False  # the last kept line is quoted-printable and ends in a soft break
    seen_card = False
    for number, text, long in _physical(stream):
        if qp_open and block is not None:
            # A quoted-printable value continues on lines that are not indented.
            if text == "":
                if keep and block.lines:
                    block.lines[-1] = block.lines[-1][:-1]
                qp_open = False
                continue
            if keep:
                _append(block, text)
            qp_open = text.endswith("=")
            continue
        if text[:1] in (" ", "\t"):
            if block is not None and keep:
                if long:
                    _drop_property(block, out, number)
                    keep = False
                else:
                    _append(block, text)
            continue
        stripped = text.strip()
        upper = stripped.upper()
        if upper == "BEGIN:VCARD":
            if block is not None:
                out.problems.append(
                    Problem(block.line, "error", "vcard-unclosed", "this card has no END:VCARD; skipped", skipped=True)
                )
            block, keep, qp_open, seen_card = Block(number), False, False, True
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
            block, keep, qp_open = None, False, False
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
            keep = False
            continue
        name = m.group(1).upper()
        if name in PHOTOS:
            out.photos_skipped += 1
            keep = False
            continue
        keep = name in KEPT
        params = text[: text.find(":")] if ":" in text else text
        qp_open = "QUOTED-PRINTABLE" in params.upper() and text.endswith("=")
        if not keep:
            continue
        if long:
            out.problems.append(
                Problem(number, "warning", "vcard-line", f"{name} is over {MAX_LINE // 1024} KB long; left out")
            )
            keep = qp_open = False
            continue
        _append(block, text)
    if block is not None:
        out.problems.append(
            Problem(block.line, "error", "vcard-unclosed", "this card has no END:VCARD; skipped", skipped=True)
        )


def _append(block: Block, text: str) -> None:
    block.size += len(text)
    if block.size > MAX_CARD:
        block.too_large = True
        block.lines.clear()
        return
    if not block.too_large:
        block.lines.append(text)


def _drop_property(block: Block, out: Parsed, number: int) -> None:
    """Remove the property being folded: one of its lines is too long to keep."""
    while block.lines and block.lines[-1][:1] in (" ", "\t"):
        block.lines.pop()
    if block.lines:
        block.lines.pop()
    out.problems.append(Problem(number, "warning", "vcard-line", "a value over 64 KB long; left out"))


def read_block(block: Block, out: Parsed) -> Card | None:
    text = "BEGIN:VCARD\r\n" + "\r\n".join(block.lines) + "\r\nEND:VCARD\r\n"
    try:
        import vobject  # imported when a vCard is read, not by every `kith` command

        component = vobject.readOne(text, allowQP=True)
    except Exception as exc:  # vobject raises many kinds; each means "unreadable card"
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        out.problems.append(
            Problem(block.line, "error", "vcard-card", f"unreadable card ({_short(message)}); skipped", skipped=True)
        )
        return None
    return to_card(component, block.line, out)


def _short(text: str) -> str:
    return text if len(text) <= 120 else text[:117] + "..."


def _values(component, name: str) -> list:
    return list(component.contents.get(name.lower(), []))


def _types(prop) -> set[str]:
    found = {t.upper() for t in prop.singletonparams}
    for value in prop.params.get("TYPE", []):
        found |= {t.strip().upper() for t in str(value).split(",")}
    return found


def _text(value) -> str:
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value if v)
    return str(value) if value is not None else ""


def to_card(component, line: int, out: Parsed) -> Card:
    card = Card(line=line)
    for prop in _values(component, "FN"):
        card.name = clean.line(prop.value) or ""
        if card.name:
            break
    if not card.name:
        for prop in _values(component, "N"):
            n = prop.value
            parts = [_text(getattr(n, attr, "")) for attr in ("prefix", "given", "additional", "family", "suffix")]
            card.name = clean.line(" ".join(p for p in parts if p.strip())) or ""
            if card.name:
                break
    for prop in _values(component, "NICKNAME"):
        values = prop.value if isinstance(prop.value, list) else [prop.value]
        for value in values:
            clean.add_unique(card.aka, clean.line(value))
    for prop in _values(component, "EMAIL"):
        build.add_email(card, _text(prop.value), out)
    for prop in _values(component, "TEL"):
        if "FAX" in _types(prop):
            continue
        build.add_phone(card, _text(prop.value), out)
    for prop in _values(component, "ORG"):
        value = prop.value if isinstance(prop.value, list) else [prop.value]
        first = value[0] if value else ""
        # An unescaped comma (allowed in 2.1) makes vobject split the name.
        card.company = clean.line(",".join(first) if isinstance(first, list) else first)
        if card.company:
            break
    for prop in _values(component, "TITLE"):
        card.title = clean.line(prop.value)
        if card.title:
            break
    for prop in _values(component, "BDAY"):
        card.birthday = _birthday(prop, card, out)
        if card.birthday:
            break
    notes = [clean.note(prop.value) for prop in _values(component, "NOTE")]
    card.notes = "\n\n".join(n for n in notes if n)
    for name in ("URL", "X-SOCIALPROFILE"):
        for prop in _values(component, name):
            clean.add_link(card.links, _text(prop.value))
    for prop in _values(component, "CATEGORIES"):
        values = prop.value if isinstance(prop.value, list) else str(prop.value).split(",")
        for value in values:
            build.add_tag(card, value)
    for prop in _values(component, "ADR"):
        adr = prop.value
        city = clean.line(_text(getattr(adr, "city", ""))) or clean.line(_text(getattr(adr, "country", "")))
        if city:
            card.location = city
            break
    for prop in _values(component, "UID"):
        card.uid = clean.line_raw(prop.value)
    return card


def _birthday(prop, card: Card, out: Parsed) -> Birthday | None:
    value = _text(prop.value).strip()
    omit = prop.params.get("X-APPLE-OMIT-YEAR", [])
    found = clean.birthday(value)
    if found is None:
        out.problems.append(
            Problem(card.line, "warning", "date-invalid", f"BDAY `{_short(value)}` is not a date; left out")
        )
        return None
    # Apple writes a birthday without a year as year 1604 plus this parameter.
    if found.year is not None and omit and str(found.year) == str(omit[0]).strip():
        return Birthday(found.month, found.day, None)
    return found
