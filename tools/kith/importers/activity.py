"""Entries for people's logs from what happened elsewhere (calendar events,
mail), written through the one writer.

    found = [Activity("ada-lovelace", day, "meeting", quote_text(summary)), ...]
    plan = plan_activities(network, found, root)
    apply(plan.changes, dry_run)

Idempotent, by one rule for every importer: an activity is already there
when an entry of its day and kind, in the person's own log or written
elsewhere naming them with `[[slug]]` (a journal note, another person's
log), has text that begins with the activity's `identity` (the text as
the importer writes it, by default all of it; "" for mail, where any entry
of the kind that day will do), compared without regard to case or runs of
spaces, the identity ending at a word's end. So a second run, or an export
that overlaps the last one, changes nothing even after the user added
words to an imported entry, and an entry the user wrote is never touched
or duplicated. Each entry stands for one activity: `Sync 2, notes` is the
entry of `Sync 2`, and does not also hide a new `Sync` that day.
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

from .. import grammar
from ..load import parse_person
from ..model import Network
from ..write import Change, Document, DocumentError, WriteError


@dataclass(frozen=True)
class Activity:
    slug: str
    date: dt.date
    kind: str
    text: str  # Markdown: anything from outside has been through grammar.quote_text
    # The start of `text` that names what happened (a meeting's quoted
    # summary, without the notes after it); None: all of `text`; "": any
    # entry of this kind that day is this activity (mail: one a day).
    identity: str | None = None

    @property
    def key(self) -> str:
        return _fold(self.text if self.identity is None else self.identity)


@dataclass
class ActivityPlan:
    changes: list[Change] = field(default_factory=list)
    added: dict[str, list[str]] = field(default_factory=dict)  # relpath -> lines added
    present: int = 0  # activities whose entry was already there
    failed: list[tuple[str, int, str, str]] = field(default_factory=list)  # (relpath, line, why, code)

    @property
    def count(self) -> int:
        return sum(len(lines) for lines in self.added.values())


def _fold(text: str) -> str:
    # Compared as the entries read (grammar.shown_text), so a summary kith
    # wrote as `Q&amp;A` matches `Q&A` typed by hand in a journal note.
    return " ".join(grammar.shown_text(text).split()).casefold()


def _begins(entry: str, key: str) -> bool:
    """`entry` (folded) is `key` or `key` and more words: `roadmap review, he
    wants a designer` begins with `roadmap review`, `roadmap reviews` does not."""
    if not entry.startswith(key):
        return False
    if not key or len(entry) == len(key):
        return True
    return not (key[-1].isalnum() and entry[len(key)].isalnum())


def _unmatched(activities: list[Activity], entries: list[str]) -> list[Activity]:
    """The activities (one day, one kind, distinct keys) that no entry of
    `entries` (folded texts of that day and kind) stands for. Each entry
    stands for one activity: the same text first, then the longest key
    that it begins with."""
    free = list(entries)
    waiting = []
    for activity in activities:
        if activity.key in free:
            free.remove(activity.key)
        else:
            waiting.append(activity)
    left = []
    for activity in sorted(waiting, key=lambda a: -len(a.key)):
        taken = next((i for i, text in enumerate(free) if _begins(text, activity.key)), None)
        if taken is None:
            left.append(activity)
        else:
            del free[taken]
    return left


def entries_elsewhere(network: Network, slugs: set[str]) -> dict[str, list[tuple[dt.date, str, str]]]:
    """(date, kind, text) of every dated entry that names one of `slugs` with
    `[[slug]]` outside that person's own file: in a journal note (a log entry
    for each person it mentions, public or private) or in another person's
    log. Kinds are not filtered: whether it counts as contact is another rule."""
    found: dict[str, list[tuple[dt.date, str, str]]] = {}
    if not slugs:
        return found
    for person in network.people.values():
        for entry in person.log:
            for slug in set(entry.mentions) & slugs:
                if slug != person.slug:
                    found.setdefault(slug, []).append((entry.date, entry.kind, entry.text))
    for note in network.journal:
        for item in note.entries:
            if item.date is None:
                continue
            for slug in set(item.mentions) & slugs:
                found.setdefault(slug, []).append((item.date, item.kind, item.text))
    return found


def plan_activities(network: Network, activities: Iterable[Activity], root: Path) -> ActivityPlan:
    plan = ActivityPlan()
    by_person: dict[str, dict[tuple, Activity]] = {}
    for activity in activities:
        # Two of one day with the same identity are one entry (the first).
        mine = by_person.setdefault(activity.slug, {})
        mine.setdefault((activity.date, activity.kind.lower(), activity.key), activity)
    elsewhere = entries_elsewhere(network, set(by_person))
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
        there: dict[tuple[dt.date, str], list[str]] = {}
        for date, kind, text in [(e.date, e.kind, e.text) for e in current.log] + elsewhere.get(slug, []):
            there.setdefault((date, kind.lower()), []).append(_fold(text))
        groups: dict[tuple[dt.date, str], list[Activity]] = {}
        for (date, kind, _key), activity in by_person[slug].items():
            groups.setdefault((date, kind), []).append(activity)
        unmatched = {id(a) for day, group in groups.items() for a in _unmatched(group, there.get(day, []))}
        wanted = sorted((a for a in by_person[slug].values() if id(a) in unmatched), key=lambda a: a.date)
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
