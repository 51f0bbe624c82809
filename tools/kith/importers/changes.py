"""A merge plan -> file changes, made through the one writer (`write.py`).

Existing files get only the planned additions (`Document` keeps every other
byte as it was); new files are built key by key in the schema's order, with
the card's notes as their body.
"""

from __future__ import annotations

from pathlib import Path

from ..write import Change, Document, WriteError
from .merge import Entry, Plan


def new_file(entry: Entry) -> bytes:
    doc = Document.from_text("---\n---\n")
    for key, value in entry.front_matter().items():
        doc.set(key, value)
    text = doc.text()
    if entry.notes:
        text += "\n" + entry.notes.rstrip("\n") + "\n"
    return text.encode("utf-8")


def updated_file(entry: Entry, raw: bytes) -> bytes:
    doc = Document.from_bytes(raw)
    for edit in entry.edits:
        if edit.op == "add":
            doc.add_to_list(edit.path[0], edit.value)
        else:
            doc.set_in(edit.path, edit.value)
    return doc.to_bytes()


def to_changes(plan: Plan, root: Path) -> tuple[list[Change], list[tuple[Entry, str]]]:
    """The changes to write, and the entries that could not be changed (why)."""
    changes: list[Change] = []
    failed: list[tuple[Entry, str]] = []
    for entry in plan.entries:
        path = root / entry.relpath
        if entry.new:
            changes.append(Change(path, None, new_file(entry), [f"created {entry.name}"], root=root))
            continue
        if not entry.edits:
            continue
        raw = path.read_bytes()
        try:
            new = updated_file(entry, raw)
        except WriteError as exc:
            failed.append((entry, str(exc)))
            continue
        changes.append(Change(path, raw, new, [e.label for e in entry.edits], root=root))
    return changes, failed

