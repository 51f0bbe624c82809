"""Filling a Card from raw values, reporting what had to be left out.

Shared by the CSV importers (and vCard's), so every format drops a bad
email or phone the same way and names its line.
"""

from __future__ import annotations

from . import clean
from .records import Card, Parsed, Problem


def add_email(card: Card, value: str, out: Parsed, line: int | None = None) -> None:
    if not value or not value.strip():
        return
    found = clean.email(value)
    if found is None:
        out.problems.append(
            Problem(line or card.line, "warning", "email-unread", f"`{shown_value(value)}` is not an email address; left out")
        )
        return
    clean.add_unique(card.emails, found)


def add_phone(card: Card, value: str, out: Parsed, line: int | None = None) -> None:
    if not value or not value.strip():
        return
    found = clean.phone(value)
    if found is None:
        out.problems.append(
            Problem(line or card.line, "warning", "phone-unread", f"`{shown_value(value)}` is not a phone number; left out")
        )
        return
    # Within one card, the same digits are the same number; across cards
    # and files the merge compares numbers as E.164 (see merge.py).
    clean.add_unique(card.phones, found, key=_digits)


# Groups every contact is in (Google's, Android's): they say nothing about the person.
SYSTEM_GROUPS = {"mycontacts", "my contacts", "starred", "imported", "all contacts"}


def add_tag(card: Card, value: str) -> None:
    tag = clean.tag(value)
    if tag and tag.removeprefix("* ").strip().lower() not in SYSTEM_GROUPS:
        clean.add_unique(card.tags, tag.removeprefix("* ").strip())


def set_birthday(card: Card, value: str, out: Parsed) -> None:
    if not value or not value.strip():
        return
    found = clean.birthday(value)
    if found is None and value.strip() not in clean.EMPTY_DATES:
        out.problems.append(
            Problem(card.line, "warning", "date-unread", f"birthday `{shown_value(value)}` is not a date; left out")
        )
    card.birthday = found or card.birthday


def report_unread(card: Card, found: list[tuple[str, str]], out: Parsed) -> None:
    """One warning for a row's values in columns kith has no field for."""
    if not found:
        return
    shown = ", ".join(f"{shown_value(name, 40)} `{shown_value(value)}`" for name, value in found)
    out.problems.append(
        Problem(card.line, "warning", "not-imported", f"not imported (kith has no field for them): {shown}")
    )


def finish(card: Card, out: Parsed, what: str = "row") -> bool:
    """Keep the card if it names someone: by name, else nickname, else email."""
    if not card.name and card.aka:
        card.name = card.aka.pop(0)
    if not card.name and card.emails:
        card.name = card.emails[0]
    if not card.name:
        extra = f" (only an organisation: {card.company})" if card.company else ""
        out.problems.append(
            Problem(card.line, "warning", "no-name", f"this {what} names nobody{extra}; skipped", skipped=True)
        )
        return False
    out.cards.append(card)
    return True


def _digits(phone: str) -> str:
    return "".join(c for c in phone if c.isdigit())


def shown_value(value: str, size: int = 60) -> str:
    text = clean.line_raw(value) or ""
    return text if len(text) <= size else text[: size - 3] + "..."
