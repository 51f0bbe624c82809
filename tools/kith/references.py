"""References from one person to another inside a contact file: the
`with:` of a relationship, `met.via` and `[[slug]]` in the body. Moving a
person (`kith enrich --rename`, `kith merge`) rewrites them here, in one place."""

from __future__ import annotations

from typing import Any

from .write import Document


def strip_link(text: str) -> str:
    """`[[ada]]` -> `ada`: a slug may be written as a link in YAML too."""
    text = text.strip()
    if text.startswith("[[") and text.endswith("]]"):
        return text[2:-2].strip()
    return text


def relationship_paths(doc: Document) -> list[tuple[tuple[Any, ...], dict]]:
    """(path of the item, the item) for each relationship; `relationships`
    may be a list or, loosely, a single mapping."""
    rels = doc.get("relationships")
    if isinstance(rels, dict):
        return [(("relationships",), rels)]
    if isinstance(rels, list):
        return [(("relationships", i), item) for i, item in enumerate(rels) if isinstance(item, dict)]
    return []


def rewrite_references(doc: Document, old: str, new: str) -> int:
    """Every `with: old`, `via: old` and `[[old]]` in `doc` -> `new`, each in
    the form it was written (`[[old]]` in YAML stays a link); returns how many."""
    count = 0
    for path, item in relationship_paths(doc):
        value = item.get("with")
        if isinstance(value, str) and strip_link(value) == old:
            written = value.replace(old, new) if "[[" in value else new
            count += doc.set_in(path + ("with",), written)
    via = doc.get_in(("met", "via"))
    if isinstance(via, str) and strip_link(via) == old:
        count += doc.set_in(("met", "via"), via.replace(old, new) if "[[" in via else new)
    elif via == [[old]]:
        count += doc.set_in(("met", "via", 0, 0), new)
    count += doc.rewrite_mentions(old, new)
    return count
