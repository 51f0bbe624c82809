"""`kith merge KEEP OTHER`, planned: one person from two.

The caller gives the loaded network and each file's bytes (the journal
notes that link to OTHER are read from their files); `plan` returns every
file's new content (KEEP's, each contact file and journal note that refers
to OTHER) and OTHER's removal, for `write.apply_all` to write all together or not at
all. Nothing is decided while writing, so a dry run shows exactly what a
real run writes.

What happens to each part of OTHER:

- lists (aka, emails, phones, tags, interests, offers, needs) are united;
  an email compares without case, a phone by its number, a tag or name
  without accents and case; OTHER's name joins KEEP's `aka`;
- a single value KEEP lacks is copied; one that differs is a conflict:
  KEEP's stays (OTHER's with `prefer_other`), and the value that lost is
  written into KEEP's notes, so nothing is lost; `met.date` keeps the
  earlier day (the day you met first), and `private: true` on either side
  makes the merged person private (privacy fails closed);
- links and relationships are united; a link under a name KEEP already
  uses for another address gets a free name (`linkedin-2`);
- OTHER's notes go after KEEP's notes, before KEEP's `## Log`; OTHER's log
  entries join KEEP's log in date order, its tasks after KEEP's; its
  `## Private` sections stay private sections;
- every `with: OTHER`, `via: OTHER` and `[[OTHER]]` in the network, and
  every `[[OTHER]]` in the journal, becomes KEEP (`[[OTHER|words]]` keeps
  its words); a reference that would now name the person themself (KEEP's
  relationship with OTHER, `[[KEEP]]` in OTHER's notes) is dropped, a link
  keeping its words as text.

The merged body is read back before it is kept: every log entry and task of
both files must be there, and every line that was private must still be.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .dates import parse_iso_date
from . import grammar
from .body import DATED, LIST_ITEM, TASK, parse_body
from .importers.clean import fold, free_key, url_key
from .importers.merge import birthday_value, same_phone
from .model import Network, Person
from .references import NoteRefused, journal_referrers, relationship_paths, rewrite_references, strip_link
from .relations import normalise_type
from .write import Change, Document, DocumentError, Removal, WriteError, split_lines

LIST_KEYS = ("aka", "emails", "phones", "tags", "interests", "offers", "needs")
SCALAR_KEYS = ("company", "title", "location", "circle", "cadence", "snooze", "birthday")
MET_KEYS = ("date", "where", "event", "via")


def section_flags(lines: list[str]) -> tuple[list[bool], list[bool], list[bool], int | None]:
    """For each line: in code, in the Log, in a Private section; and the Log
    heading's index: the reader's own grammar."""
    structure = grammar.scan(lines)
    return structure.code, structure.log, structure.private, structure.log_heading


def _heading(line: str) -> tuple[int, str] | None:
    """(level, folded title) of a heading line, else None."""
    found = grammar.atx_heading(line)
    return (found[0], grammar.fold(found[1])) if found else None


class MergeRefused(Exception):
    """The merge cannot be made safely; nothing was written."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Conflict:
    """A value both files hold differently: `kept` stays, `dropped` goes to notes."""

    key: str
    kept: str
    dropped: str
    line: int  # in KEEP's file


@dataclass
class MergePlan:
    keep: Person
    other: Person
    changes: list[Change] = field(default_factory=list)  # KEEP's file first, OTHER's removal last
    conflicts: list[Conflict] = field(default_factory=list)
    done: list[str] = field(default_factory=list)  # what changed, for the user


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _same_item(key: str, a: str, b: str, region: str | None = None) -> bool:
    if key == "emails":
        return a.strip().lower() == b.strip().lower()
    if key == "phones":
        return same_phone(a, b, region)
    return fold(a) == fold(b)


def _scalar(person: Person, key: str) -> Any:
    """The value as kith reads it, in the form the writer writes."""
    value = getattr(person, key)
    if value is None:
        return None
    if key == "cadence":
        return value.text
    if key == "birthday":
        return birthday_value(value)
    return value


class _Merger:
    def __init__(
        self,
        network: Network,
        sources: Mapping[str, bytes],
        keep: Person,
        other: Person,
        prefer_other: bool,
        today: dt.date,
        region: str | None = None,
        journal_dir: str = "",
    ) -> None:
        self.journal_dir = journal_dir
        self.region = region  # numbers without +country are read in it (default_region)
        self.network = network
        self.sources = sources
        self.keep = keep
        self.other = other
        self.prefer_other = prefer_other
        self.today = today
        self.plan = MergePlan(keep, other)
        self.dropped: list[str] = []  # `key: value` lines for KEEP's notes

    # -- helpers --

    def doc(self, person: Person) -> Document:
        try:
            return Document.from_bytes(self.sources[person.relpath])
        except DocumentError as exc:
            raise MergeRefused(person.relpath, exc.line, f"cannot edit: {exc.message}") from None

    def edit(self, what: str, action: Any, *args: Any) -> bool:
        try:
            return action(*args)
        except WriteError as exc:
            raise MergeRefused(self.keep.relpath, self.keep.line_of(what.split(".")[0]), f"{what}: {exc}") from None

    def conflict(self, key: str, mine: Any, theirs: Any) -> None:
        """Record a value that both hold differently; the loser goes to notes."""
        kept, dropped = (theirs, mine) if self.prefer_other else (mine, theirs)
        line = self.keep.line_of(key)
        self.plan.conflicts.append(Conflict(key, _shown(kept), _shown(dropped), line))
        self.dropped.append(f"{key}: {_shown(dropped)}")

    # -- front matter --

    def front(self, doc: Document) -> None:
        keep, other = self.keep, self.other
        # The name: the one that loses joins aka (or stays there).
        if fold(keep.name) != fold(other.name):
            if self.prefer_other:
                self.edit("name", doc.set, "name", other.name)
                self.plan.done.append(f"name: {other.name} (was {keep.name})")
                names = [keep.name]
            else:
                names = [other.name]
            for name in names:
                if all(fold(name) != fold(a) for a in [*keep.aka, *other.aka]):
                    if self.edit("aka", doc.add_to_list, "aka", name):
                        self.plan.done.append(f"+aka {name}")
        for key in LIST_KEYS:
            current = list(getattr(keep, key))
            for item in getattr(other, key):
                if key == "aka" and fold(item) == fold(doc.get("name") or ""):
                    continue
                if any(_same_item(key, item, mine, self.region) for mine in current):
                    continue
                if self.edit(key, doc.add_to_list, key, item):
                    current.append(item)
                    self.plan.done.append(f"+{key[:-1] if key.endswith('s') else key} {item}")
        for key in SCALAR_KEYS:
            mine, theirs = _scalar(keep, key), _scalar(other, key)
            if theirs is None:
                raw = other.meta.get(key)
                if raw not in (None, "") and not isinstance(raw, (dict, list)):
                    self.dropped.append(f"{key}: {_shown(raw)}")  # unreadable there; kept as text
                continue
            if mine == theirs or (isinstance(mine, str) and isinstance(theirs, str) and fold(mine) == fold(theirs)):
                continue
            if key == "birthday" and keep.birthday and other.birthday:
                if (keep.birthday.month, keep.birthday.day) == (other.birthday.month, other.birthday.day):
                    if keep.birthday.year is None:  # the same day, now with its year
                        self.edit(key, doc.set, key, theirs)
                        self.plan.done.append(f"birthday: {_shown(theirs)}")
                    continue
            if mine is None and doc.get(key) is not None:
                mine = doc.get(key)  # written but unreadable: the user's text is not overwritten
            if mine is None:
                self.edit(key, doc.set, key, theirs)
                self.plan.done.append(f"+{key} {_shown(theirs)}")
                continue
            self.conflict(key, mine, theirs)
            if self.prefer_other:
                self.edit(key, doc.set, key, theirs)
        if other.private and not keep.private:
            self.edit("private", doc.set, "private", True)
            self.plan.done.append("private: true (OTHER was private)")
        self.met(doc)
        self.links(doc)
        self.relationships(doc)
        for key, value in other.extra.items():
            mine = keep.extra.get(key)
            if key not in keep.extra:
                self.edit(key, doc.set, key, value)
                self.plan.done.append(f"+{key}")
            elif mine != value:
                self.conflict(key, mine, value)
                if self.prefer_other:
                    self.edit(key, doc.set, key, value)

    def met(self, doc: Document) -> None:
        keep, other = self.keep, self.other
        # Neither's `via` may name the merged person (it would name themself).
        if keep.met and keep.met.via in (keep.slug, other.slug):
            self.edit("met.via", doc.remove_in, ("met", "via"))
            self.plan.done.append(f"-met.via {keep.met.via} (now the same person)")
        if other.met is None:
            return
        mine = keep.met
        for key in MET_KEYS:
            theirs = getattr(other.met, key)
            if theirs is None or (key == "via" and theirs in (keep.slug, other.slug)):
                continue
            current = getattr(mine, key) if mine else None
            if key == "via" and current in (keep.slug, other.slug):
                current = None
            if current is None:
                self.edit(f"met.{key}", doc.set_in, ("met", key), theirs)
                self.plan.done.append(f"+met.{key} {_shown(theirs)}")
            elif current != theirs and key == "date":
                earlier = min(current, theirs)
                if earlier != current:
                    self.edit("met.date", doc.set_in, ("met", "date"), earlier)
                self.plan.done.append(f"met.date: kept the earlier day {earlier}")
                self.dropped.append(f"met.date: {_shown(max(current, theirs))}")
            elif current != theirs:
                self.conflict(f"met.{key}", current, theirs)
                if self.prefer_other:
                    self.edit(f"met.{key}", doc.set_in, ("met", key), theirs)

    def links(self, doc: Document) -> None:
        mine = dict(self.keep.links)
        for name, url in self.other.links.items():
            if any(url_key(url) == url_key(v) for v in mine.values()):
                continue
            if name in mine:
                # Two addresses under one name: both kept, so nothing is
                # lost; the preferred one keeps the name.
                spare = free_key(name, mine)
                if self.prefer_other:
                    self.edit("links", doc.set_in, ("links", spare), mine[name])
                    self.edit("links", doc.set_in, ("links", name), url)
                    mine[spare], mine[name] = mine[name], url
                else:
                    self.edit("links", doc.set_in, ("links", spare), url)
                    mine[spare] = url
                self.plan.done.append(f"+link {spare} (a second {name})")
                continue
            current = doc.get("links")
            if current is not None and not isinstance(current, dict):
                raise MergeRefused(self.keep.relpath, self.keep.line_of("links"), "`links` is not a mapping of named links; fix it first")
            if current is None:
                self.edit("links", doc.set, "links", {name: url})
            else:
                self.edit("links", doc.set_in, ("links", name), url)
            mine[name] = url
            self.plan.done.append(f"+link {name}")

    def relationships(self, doc: Document) -> None:
        keep, other = self.keep, self.other
        # KEEP's own relationship with OTHER is with themself now: dropped.
        for path, item in reversed(relationship_paths(doc)):
            value = item.get("with")
            if isinstance(value, str) and strip_link(value) in (other.slug, keep.slug):
                self.edit("relationships", doc.remove_in, path)
                self.plan.done.append(f"-relationship with {strip_link(value)} (now the same person)")
        have = {(r.other, r.type) for r in keep.relationships}
        for rel in other.relationships:
            if rel.other in (keep.slug, other.slug) or (rel.other, rel.type) in have:
                continue
            item = {"with": rel.other, "type": rel.type} if rel.type != "related" else {"with": rel.other}
            if isinstance(doc.get("relationships"), dict):
                self.edit("relationships", doc.to_list, "relationships")
            self.edit("relationships", doc.add_to_list, "relationships", item)
            have.add((rel.other, rel.type))
            self.plan.done.append(f"+relationship {rel.type} {rel.other}")

    # -- the body --

    def body(self, keep_doc: Document, other_doc: Document) -> None:
        merged = merge_bodies(keep_doc, other_doc, self.notes_tail())
        check_body(keep_doc.body, other_doc.body, merged, self.keep.relpath)
        keep_doc.body = merged
        if not keep_doc.closing.endswith(("\n", "\r")) and merged:
            keep_doc.closing += keep_doc.newline
        name = keep_doc.get("name") or self.keep.name
        for slug in (self.other.slug, self.keep.slug):
            count = keep_doc.unlink_mentions(slug, str(name))
            if count:
                self.plan.done.append(f"[[{slug}]] -> {name} in the text ({count}): now the person themself")

    def notes_tail(self) -> list[str]:
        if not self.dropped:
            return []
        return [
            f"Merged from {self.other.relpath} on {self.today.isoformat()}; "
            f"values kept from there: {'; '.join(self.dropped)}."
        ]

    # -- the rest of the network --

    def referrers(self) -> list[Change]:
        changes = []
        keep, other = self.keep, self.other
        for person in self.network.sorted_people():
            if person.slug in (keep.slug, other.slug):
                continue
            if not (
                any(r.other == other.slug for r in person.relationships)
                or (person.met is not None and person.met.via == other.slug)
                or any(m.slug == other.slug for m in person.mentions)
            ):
                continue
            doc = self.doc(person)
            raw = self.sources[person.relpath]
            try:
                count = rewrite_references(doc, other.slug, keep.slug)
                dropped = _drop_repeated_relationships(doc, keep.slug)
            except WriteError as exc:
                raise MergeRefused(person.relpath, person.line_of("relationships"), f"cannot rewrite its references to {other.slug}: {exc}") from None
            summary = [f"references: {other.slug} -> {keep.slug} ({count})"]
            if dropped:
                summary.append(f"dropped {dropped} relationship(s) now given twice")
            changes.append(Change(person.path, raw, doc.to_bytes(), summary, root=self.network.root))
        return changes

    def unreadable_referrers(self) -> None:
        """A file kith cannot read may still link to OTHER, and could not be
        rewritten: the merge waits until it is fixed."""
        read = {p.relpath for p in self.network.people.values()}
        needle = self.other.slug.encode("utf-8")
        for rel in self.network.files:
            if rel in read:
                continue
            try:
                data = self.sources[rel]
            except OSError:
                continue
            if needle in data:
                raise MergeRefused(rel, 0, f"{rel} cannot be read as a contact and mentions `{self.other.slug}`; fix it first (see `kith validate`)")

    def journal(self) -> list[Change]:
        """Each journal note that links to OTHER, linking to KEEP instead."""
        try:
            notes = journal_referrers(self.network, self.journal_dir, [self.other.slug])
            return notes.changes([(self.other.slug, self.keep.slug)], root=self.network.root)
        except NoteRefused as exc:
            raise MergeRefused(exc.relpath, exc.line, exc.message) from None

    def run(self) -> MergePlan:
        self.unreadable_referrers()
        journal = self.journal()
        keep_doc = self.doc(self.keep)
        other_doc = self.doc(self.other)
        self.front(keep_doc)
        self.body(keep_doc, other_doc)
        root = self.network.root
        raw = self.sources[self.keep.relpath]
        new = keep_doc.to_bytes()
        self.plan.changes.append(Change(self.keep.path, raw, new, ["merged " + self.other.relpath], root=root))
        self.plan.changes.extend(self.referrers())
        self.plan.changes.extend(journal)
        self.plan.changes.append(
            Removal(self.other.path, self.sources[self.other.relpath], b"", ["removed: merged into " + self.keep.relpath], root=root)
        )
        return self.plan


def _drop_repeated_relationships(doc: Document, slug: str) -> int:
    """After a rewrite a file may relate to KEEP twice with one type: the
    later one goes."""
    seen: set[str] = set()
    repeated = []
    for path, item in relationship_paths(doc):
        value = item.get("with")
        if not isinstance(value, str) or strip_link(value) != slug:
            continue
        kind = normalise_type(str(item.get("type") or "related"))
        if kind in seen:
            repeated.append(path)
        seen.add(kind)
    for path in reversed(repeated):
        doc.remove_in(path)
    return len(repeated)


# -- bodies -----------------------------------------------------------------


@dataclass
class _Parts:
    """OTHER's body, taken apart."""

    notes: list[str] = field(default_factory=list)
    entries: list[tuple[dt.date, list[str]]] = field(default_factory=list)  # dated log items
    tasks: list[list[str]] = field(default_factory=list)  # task items, and undated items
    log_private: list[list[str]] = field(default_factory=list)  # private blocks inside the log
    private: list[list[str]] = field(default_factory=list)  # other private blocks
    log_levels: list[int] = field(default_factory=list)  # heading level of each log_private block


def _level(line: str) -> int:
    heading = _heading(line)
    return heading[0] if heading else 0


def _item_date(line: str) -> tuple[bool, dt.date | None]:
    """(is a task, its date) of a log list item line."""
    item = LIST_ITEM.match(line)
    rest = item.group(1).strip() if item else ""
    task = TASK.match(rest)
    if task:
        return True, None
    dated = DATED.match(rest)
    day = parse_iso_date(dated.group(1)) if dated else None
    # Undated items travel with the tasks, after the entries.
    return day is None, day


def _blocks(lines: list[str], start: int, stop: int, flags: list[bool]) -> list[list[str]]:
    """Consecutive runs of lines in [start, stop) whose flag is set."""
    out: list[list[str]] = []
    index = start
    while index < stop:
        if flags[index]:
            run = []
            while index < stop and flags[index]:
                run.append(lines[index])
                index += 1
            out.append(run)
        else:
            index += 1
    return out


def _take_apart(body: str) -> _Parts:
    lines = [line.rstrip("\r\n") for line in split_lines(body)]
    in_code, in_log, in_private, _ = section_flags(lines)
    parts = _Parts()
    loose: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if in_private[index]:
            block = []
            first = index
            while index < len(lines) and in_private[index] and (index == first or not (_level(lines[index]) and _starts_private(lines, index, in_code))):
                block.append(lines[index])
                index += 1
            while block and not block[-1].strip():
                block.pop()
            if in_log[first]:
                parts.log_private.append(block)
                parts.log_levels.append(_level(lines[first]))
            else:
                parts.private.append(block)
            continue
        if in_log[index]:
            heading = _heading(line) if not in_code[index] else None
            if heading and heading[1] == grammar.LOG_TITLE:
                index += 1
                continue
            if not in_code[index] and LIST_ITEM.match(line):
                item = [line]
                index += 1
                while index < len(lines) and in_log[index] and not in_private[index] and _continues(lines, index, in_code):
                    item.append(lines[index])
                    index += 1
                while item and not item[-1].strip():
                    item.pop()
                is_task, day = _item_date(line)
                if is_task or day is None:
                    parts.tasks.append(item)
                else:
                    parts.entries.append((day, item))
                continue
            loose.append(line)
            index += 1
            continue
        parts.notes.append(line)
        index += 1
    if any(x.strip() for x in loose):
        parts.notes.extend([""] + loose)
    parts.notes = _trim(parts.notes)
    return parts


def _starts_private(lines: list[str], index: int, in_code: list[bool]) -> bool:
    heading = _heading(lines[index]) if not in_code[index] else None
    return bool(heading and heading[1] == grammar.PRIVATE_TITLE)


def _continues(lines: list[str], index: int, in_code: list[bool]) -> bool:
    """Whether line `index` still belongs to the list item above it: an
    indented line, or a blank line followed by one."""
    line = lines[index]
    if in_code[index] and line.startswith((" ", "\t")):
        return True
    if not line.strip():
        following = index + 1
        return following < len(lines) and lines[following].startswith((" ", "\t")) and bool(lines[following].strip())
    if LIST_ITEM.match(line) or _heading(line):
        return False
    return line.startswith((" ", "\t"))


def _trim(lines: list[str]) -> list[str]:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


def _ends_in_code(lines: list[str]) -> bool:
    return bool(grammar.scan(lines).unclosed_fences)


def _key(lines: list[str]) -> tuple[str, ...]:
    return tuple(line.strip() for line in lines if line.strip())


def _paragraphs(lines: list[str]) -> list[list[str]]:
    """Blank-line separated blocks, a code block never cut in two."""
    in_code = section_flags(lines)[0]
    out: list[list[str]] = [[]]
    for line, code in zip(lines, in_code):
        if not line.strip() and not code:
            if out[-1]:
                out.append([])
            continue
        out[-1].append(line)
    return [p for p in out if p]


def _without_repeats(other: _Parts, keep: _Parts) -> _Parts:
    """OTHER's parts less what KEEP already says word for word (the same
    export imported twice): a paragraph, a log item or a private block."""
    have = {_key(p) for p in _paragraphs(keep.notes)}
    items = {_key(item) for _, item in keep.entries} | {_key(item) for item in keep.tasks}
    private = {_key(b) for b in keep.private + keep.log_private}
    notes: list[str] = []
    for paragraph in _paragraphs(other.notes):
        if _key(paragraph) not in have:
            notes.extend(([""] if notes else []) + paragraph)
    kept_log_private = [(b, level) for b, level in zip(other.log_private, other.log_levels) if _key(b) not in private]
    return _Parts(
        notes=notes,
        entries=[(day, item) for day, item in other.entries if _key(item) not in items],
        tasks=[item for item in other.tasks if _key(item) not in items],
        log_private=[b for b, _ in kept_log_private],
        private=[b for b in other.private if _key(b) not in private],
        log_levels=[level for _, level in kept_log_private],
    )


def merge_bodies(keep_doc: Document, other_doc: Document, tail: list[str]) -> str:
    """KEEP's body with OTHER's notes, log and private sections moved in."""
    nl = keep_doc.newline
    parts = _without_repeats(_take_apart(other_doc.body), _take_apart(keep_doc.body))
    notes = parts.notes + ([""] if parts.notes and tail else []) + tail
    raw = split_lines(keep_doc.body)
    lines = [line.rstrip("\r\n") for line in raw]
    endings = [line[len(line.rstrip("\r\n")) :] for line in raw]
    if _ends_in_code(lines):
        raise MergeRefused("", 0, "KEEP's text ends inside an unclosed ``` code block; close it first")
    for chunk in [notes, *parts.private, *parts.log_private]:
        if _ends_in_code(chunk):
            raise MergeRefused("", 0, "OTHER's text has an unclosed ``` code block; close it first")
    in_code, in_log, in_private, log_heading = section_flags(lines)
    inserts: dict[int, list[str]] = {}

    def put(at: int, new: list[str]) -> None:
        inserts.setdefault(at, []).extend(new)

    sections = [i for i in range(len(lines)) if in_log[i] or in_private[i]]
    if notes:
        at = sections[0] if sections else len(lines)
        before = [""] if at > 0 and lines[at - 1].strip() else []
        put(at, before + notes + ([""] if at < len(lines) else []))
    if parts.entries or parts.tasks or parts.log_private:
        if log_heading is None:
            # No `## Log` yet: a new one at the end, with OTHER's entries newest first.
            entries = [item for _, item in sorted(parts.entries, key=lambda e: e[0], reverse=True)]
            new = ["", "## Log", ""] if any(x.strip() for x in lines) else ["## Log", ""]
            new += [x for item in entries for x in item] + [x for item in parts.tasks for x in item]
            for block in parts.log_private:
                new += [""] + block
            put(len(lines), new)
        else:
            _into_log(lines, in_code, in_log, in_private, log_heading, parts, put)
    for block in parts.private:
        put(len(lines), [""] + block)
    out: list[str] = []
    for index in range(len(lines) + 1):
        for new in inserts.get(index, []):
            if out and not out[-1].endswith(("\n", "\r")):
                out[-1] += nl
            out.append(new + nl)
        if index < len(lines):
            if out and not out[-1].endswith(("\n", "\r")):
                out[-1] += nl
            out.append(lines[index] + endings[index])
    return "".join(out)


def _into_log(lines, in_code, in_log, in_private, heading, parts: _Parts, put) -> None:
    """OTHER's entries into KEEP's public log, in date order; tasks after."""
    end = heading + 1
    while end < len(lines) and in_log[end]:
        end += 1
    items: list[tuple[int, int, bool, dt.date | None]] = []  # (start, stop, is task, day)
    index = heading + 1
    while index < end:
        if not in_code[index] and not in_private[index] and LIST_ITEM.match(lines[index]):
            start = index
            index += 1
            while index < end and not in_private[index] and _continues(lines, index, in_code):
                index += 1
            stop = index
            while stop > start + 1 and not lines[stop - 1].strip():
                stop -= 1
            is_task, day = _item_date(lines[start])
            items.append((start, stop, is_task, day))
        else:
            index += 1
    dated = [(start, stop, day) for start, stop, is_task, day in items if not is_task and day is not None]
    pairs = list(zip(dated, dated[1:]))
    ascending = sum(a[2] < b[2] for a, b in pairs) > sum(a[2] > b[2] for a, b in pairs)
    if items:
        after_items = items[-1][1]
    else:
        after_items = heading + 1
        while after_items < end and not lines[after_items].strip():
            after_items += 1
        if after_items == heading + 1:
            put(after_items, [""])
    entries = sorted(parts.entries, key=lambda e: e[0], reverse=not ascending)
    after_entries = dated[-1][1] if dated else (items[0][0] if items else after_items)
    for day, item in entries:
        target = None
        for start, _stop, theirs in dated:
            if (day > theirs) if not ascending else (day < theirs):
                target = start
                break
        put(after_entries if target is None else target, item)
    for item in parts.tasks:
        put(after_items, item)
    log_level = _level(lines[heading])
    for block, level in zip(parts.log_private, parts.log_levels):
        if level > log_level:
            put(end, ([""] if lines[end - 1].strip() else []) + block + ([""] if end < len(lines) else []))
        else:
            put(len(lines), [""] + block)


def check_body(keep_body: str, other_body: str, merged: str, relpath: str) -> None:
    """Refuse a merged body that lost a log entry or task, or showed a line
    that was private."""

    def norm(text: str) -> str:
        return text.replace("\r\n", "\n").replace("\r", "\n")

    parsed = [parse_body(norm(b), 1) for b in (keep_body, other_body)]
    result = parse_body(norm(merged), 1)

    def log_key(body):
        return Counter((e.date, e.kind, e.text, e.private) for e in body.log)

    def task_key(body):
        return Counter((t.due, t.text, t.done, t.private) for t in body.tasks)

    def kept_all(key) -> bool:
        # Every entry of either file is there; one both files hold word for
        # word is there once (or as often as one of them had it).
        mine, theirs, got = key(parsed[0]), key(parsed[1]), key(result)
        return all(got[k] >= max(mine[k], theirs[k]) for k in mine + theirs) and sum(got.values()) <= sum((mine + theirs).values())

    if not (kept_all(log_key) and kept_all(task_key)):
        raise MergeRefused(relpath, 0, "the two logs cannot be joined so that every entry keeps its place (see `## Private` inside a log); join them by hand")
    private_text: set[str] = set()
    public_text: set[str] = set()
    for body in (keep_body, other_body):
        lines = [x.rstrip("\r\n") for x in split_lines(body)]
        private = section_flags(lines)[2]
        for line, hidden in zip(lines, private):
            (private_text if hidden else public_text).add(line.strip())
    lines = [x.rstrip("\r\n") for x in split_lines(merged)]
    for line, hidden in zip(lines, section_flags(lines)[2]):
        text = line.strip()
        if text and not hidden and text in private_text and text not in public_text:
            raise MergeRefused(relpath, 0, "joining the two texts would show a private line; join them by hand")


def plan(
    network: Network,
    sources: Mapping[str, bytes],
    keep_slug: str,
    other_slug: str,
    prefer_other: bool = False,
    today: dt.date | None = None,
    region: str | None = None,
    journal_dir: str = "",
) -> MergePlan:
    """Every file change that merges OTHER into KEEP (raises MergeRefused).
    `journal_dir` (Settings.journal_dir) is where the notes that may link
    to OTHER are."""
    if keep_slug == other_slug:
        raise MergeRefused("", 0, f"KEEP and OTHER are both `{keep_slug}`: give two people")
    keep, other = network.get(keep_slug), network.get(other_slug)
    for slug, person in ((keep_slug, keep), (other_slug, other)):
        if person is None:
            raise MergeRefused("", 0, f"no person `{slug}`")
    assert keep is not None and other is not None
    merger = _Merger(network, sources, keep, other, prefer_other, today or dt.date.today(), region, journal_dir)
    try:
        return merger.run()
    except MergeRefused as exc:
        if not exc.path:
            exc.path = keep.relpath
        raise
