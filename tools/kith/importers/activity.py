"""Entries for people's logs from what happened elsewhere (calendar events,
mail), written through the one writer.

    found = [Activity("ada-lovelace", day, "meeting", quote_text(summary)), ...]
    plan = plan_activities(network, found, root, once_a_day=False)
    apply(plan.changes, dry_run)

Idempotent: an activity whose entry is already in the person's log (the
same day and kind, and, unless `once_a_day`, the same text) is not added
again, whoever wrote it; so a second run of the same import changes
nothing, and an entry the user wrote is never touched or duplicated.
Entries go among the log's dated entries where their day belongs
(`Document.add_log_in_order`), and each change is read back: a file kith
would not read the new entry from (a private section in the way) is
reported, not written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..load import parse_person
from ..model import Network
from ..write import Change, Document, DocumentError, WriteError


@dataclass(frozen=True)
class Activity:
    slug: str
    date: dt.date
    kind: str
    text: str  # Markdown: anything from outside has been through grammar.quote_text


@dataclass
class ActivityPlan:
    changes: list[Change] = field(default_factory=list)
    added: dict[str, list[str]] = field(default_factory=dict)  # relpath -> lines added
    present: int = 0  # activities whose entry was already there
    failed: list[tuple[str, int, str, str]] = field(default_factory=list)  # (relpath, line, why, code)

    @property
    def count(self) -> int:
        return sum(len(lines) for lines in self.added.values())


def _key(kind: str, text: str, once_a_day: bool) -> tuple:
    return (kind.lower(),) if once_a_day else (kind.lower(), " ".join(text.split()).casefold())


def plan_activities(
    network: Network, activities: Iterable[Activity], root: Path, once_a_day: bool = False
) -> ActivityPlan:
    plan = ActivityPlan()
    by_person: dict[str, dict[tuple, Activity]] = {}
    for activity in activities:
        mine = by_person.setdefault(activity.slug, {})
        mine.setdefault((activity.date, *_key(activity.kind, activity.text, once_a_day)), activity)
    for slug in sorted(by_person):
        person = network.people.get(slug)
        if person is None:
            continue
        rel = person.relpath
        try:
            raw = person.path.read_bytes()
        except OSError as exc:
            plan.failed.append((rel, 0, f"cannot read: {exc.strerror}", "write-failed"))
            continue
        # The file as it is now, not as the network was loaded.
        current = parse_person(raw, person.path, rel).person
        if current is None:
            plan.failed.append((rel, 0, "the file cannot be read as a contact (run `kith validate`)", "write-refused"))
            continue
        there = {(e.date, *_key(e.kind, e.text, once_a_day)) for e in current.log}
        wanted = [a for key, a in sorted(by_person[slug].items(), key=lambda kv: kv[1].date) if key not in there]
        plan.present += len(by_person[slug]) - len(wanted)
        if not wanted:
            continue
        try:
            doc = Document.from_bytes(raw)
            lines = doc.add_logs_in_order([(a.date, f"{a.kind}: {a.text}") for a in wanted])
        except DocumentError as exc:
            plan.failed.append((rel, exc.line, exc.message, exc.code))
            continue
        except WriteError as exc:
            plan.failed.append((rel, 0, str(exc), "write-refused"))
            continue
        new = doc.to_bytes()
        problem = _read_back(new, person.path, rel, current, wanted)
        if problem:
            plan.failed.append((rel, 0, problem, "write-refused"))
            continue
        plan.changes.append(Change(person.path, raw, new, lines, root=root))
        plan.added[rel] = lines
    return plan


def _read_back(new: bytes, path: Path, rel: str, before, wanted: list[Activity]) -> str | None:
    """Why the new file does not say what was meant, or None when it does:
    every entry it had, plus each new one as a public entry of its log."""
    after = parse_person(new, path, rel).person
    if after is None:
        return "the file would no longer read as a contact"
    old = {(e.date, e.kind, e.text, e.private) for e in before.log}
    new_entries = [e for e in after.log if (e.date, e.kind, e.text, e.private) not in old]
    if len(after.log) != len(before.log) + len(wanted) or any(e.private for e in new_entries):
        return "the new entries would not read back as public entries of the log (a private section in the way?)"
    return None
