"""Relationship types and their inverses: what B is to A, seen from B."""

from __future__ import annotations

INVERSE: dict[str, str] = {
    "mentor": "mentee",
    "mentee": "mentor",
    "manager": "report",
    "report": "manager",
    "parent": "child",
    "child": "parent",
    "introduced-by": "introduced",
    "introduced": "introduced-by",
    "colleague": "colleague",
    "friend": "friend",
    "partner": "partner",
    "sibling": "sibling",
}

KNOWN_TYPES: tuple[str, ...] = tuple(INVERSE)


def normalise_type(value: str) -> str:
    """`Introduced By` and `introduced_by` both mean `introduced-by`."""
    return "-".join(value.strip().lower().replace("_", " ").split())


def inverse(rel_type: str) -> str:
    """The type seen from the other side; unknown types are taken as symmetric."""
    return INVERSE.get(rel_type, rel_type)
