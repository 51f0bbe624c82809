"""Importers: contact exports (LinkedIn, vCard, Google, Outlook, Thunderbird) -> `Card`s,
and the merge of those cards into the network.

    parsed = read("linkedin", path)        # cards, problems, photos skipped
    plan = merge.plan(network, parsed.cards)
    changes, failed = to_changes(plan, root)
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from . import google, linkedin, outlook, thunderbird, vcard
from .records import Card, ImportRefused, Parsed, Problem

PARSERS: dict[str, Callable[[Path], Parsed]] = {
    "linkedin": linkedin.parse,
    "vcard": vcard.parse,
    "google": google.parse,
    "outlook": outlook.parse,
    "thunderbird": thunderbird.parse,
}


def read(fmt: str, path: Path) -> Parsed:
    """Parse `path` as `fmt`; raises ImportRefused for a file that is not one."""
    return PARSERS[fmt](path)


__all__ = ["PARSERS", "Card", "ImportRefused", "Parsed", "Problem", "read"]
