"""`kith enrich`, planned: which edits make the files consistent, as Changes.

Pure: the caller reads the files and asks git when each was added; `plan`
only computes. What it does to each selected file, in this order:

- a single string where a list belongs becomes a one-item list;
- phone numbers become E.164 (`+442079460000`); numbers without a country
  code are read in `region`; numbers it cannot read are left as written and
  reported as warnings;
- email domains are lower-cased (the part before `@` may be case-sensitive);
- `met.date` is filled from the day git added the file, when missing;
- with `rename`, a file whose name is not the slug of `name` is renamed, and
  every `[[old]]`, `with: old` and `via: old` in the tree, and every
  `[[old]]` in the journal, is rewritten;
- the inverse of every relationship that names this person is added to
  their file (mentor on one side, mentee on the other), unless there.

A file that validation finds an error in is never written; its errors are
returned so the user knows why. Running the plan again on its own result
changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import schema
from .model import Finding, Network, Person
from .references import NoteRefused, journal_referrers, rewrite_references
from .relations import inverse
from .text import slugify, unique_slug
from .validate import check
from .write import Change, Document, WriteError


@dataclass(frozen=True)
class Options:
    region: str | None = None  # ISO 3166 code for numbers without +country
    rename: bool = False
    added: Mapping[str, dt.date] = field(default_factory=dict)  # relpath -> day git added it
    journal_dir: str = ""  # Settings.journal_dir: its notes' links follow a rename


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # refused files, numbers left alone


def normalise_phone(text: str, region: str | None) -> tuple[str | None, str]:
    """(E.164 number, "") or (None, why it was left alone)."""
    import phonenumbers  # here: importing it costs every `kith` command a tenth of a second

    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        if exc.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
            if region is None:
                return None, "it has no +country code; pass --region XX or set default_region"
            return None, "its country code is unknown"
        return None, "it is not a phone number"
    reason = phonenumbers.is_possible_number_with_reason(number)
    # IS_POSSIBLE_LOCAL_ONLY (a number without its area code) is not enough:
    # its E.164 form would be a different, wrong number.
    if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
        where = f" for region {region}" if region and not text.strip().startswith("+") else ""
        short = reason in (
            phonenumbers.ValidationResult.TOO_SHORT,
            phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY,
        )
        return None, f"it has too {'few' if short else 'many'} digits{where} to be a full number"
    if number.extension:
        return None, "it has an extension, which E.164 cannot hold"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), ""


def lower_domain(email: str) -> str:
    local, at, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}" if at else email


class _Planner:
    def __init__(self, network: Network, sources: Mapping[str, bytes], options: Options, selected: set[str]) -> None:
        self.network = network
        self.sources = sources
        self.options = options
        self.selected = selected
        self.docs: dict[str, Document] = {}
        self.notes: dict[str, list[str]] = {}
        self.renames: dict[str, tuple[str, Path]] = {}  # relpath -> (new slug, new path)
        self.findings: list[Finding] = []
        self.journal_changes: list[Change] = []
        all_findings = check(network)
        self.errors: dict[str, list[Finding]] = {}
        for finding in all_findings:
            if finding.severity == "error":
                self.errors.setdefault(finding.path, []).append(finding)

    def writable(self, person: Person) -> bool:
        return person.relpath in self.selected and person.relpath not in self.errors

    def doc(self, person: Person) -> Document:
        rel = person.relpath
        if rel not in self.docs:
            self.docs[rel] = Document.from_bytes(self.sources[rel])
        return self.docs[rel]

    def note(self, person: Person, text: str) -> None:
        self.notes.setdefault(person.relpath, []).append(text)

    def warn(self, person: Person, line: int, code: str, message: str) -> None:
        self.findings.append(Finding(person.relpath, line, "warning", code, message))

    # -- one file --

    def lists(self, person: Person, doc: Document) -> None:
        for key in schema.TEXT_LIST_KEYS:
            if doc.to_list(key):
                self.note(person, f"{key}: made a list")

    def phones(self, person: Person, doc: Document) -> None:
        items = doc.get("phones")
        if not isinstance(items, list):
            return
        region = self.options.region
        for index in range(len(items)):
            text = doc.source_text(("phones", index))
            if text is None or not text.strip():
                continue
            e164, why = normalise_phone(text, region)
            if e164 is None:
                line = doc.line_of(("phones", index)) or person.line_of("phones")
                self.warn(person, line, "phone-unread", f"phone `{text}` left as written: {why}")
                continue
            if e164 != text and doc.set_in(("phones", index), e164):
                self.note(person, f"phones: {text} -> {e164}")

    def emails(self, person: Person, doc: Document) -> None:
        items = doc.get("emails")
        if not isinstance(items, list):
            return
        for index, item in enumerate(items):
            if not isinstance(item, str):
                continue
            lowered = lower_domain(item)
            if lowered != item and doc.set_in(("emails", index), lowered):
                self.note(person, f"emails: {item} -> {lowered}")

    def met_date(self, person: Person, doc: Document) -> None:
        if person.met is not None and person.met.date is not None:
            return
        day = self.options.added.get(person.relpath)
        if day is None:
            return
        if doc.set_in(("met", "date"), day):
            self.note(person, f"met.date: {day.isoformat()} (the day git added the file)")

    # -- renames --

    def plan_renames(self) -> None:
        taken = set(self.network.people)
        for person in self.network.sorted_people():
            if person.relpath not in self.selected:
                continue
            if not slugify(person.name):
                self.warn(
                    person, person.line_of("name"), "rename-skipped",
                    f"not renamed: `{person.name}` has no letters a slug can be made of",
                )
                continue
            new = unique_slug(person.name, taken - {person.slug})
            if new == person.slug:
                continue
            blocked = self.blocked_by(person)
            if blocked:
                self.warn(
                    person, 1, "rename-skipped",
                    f"not renamed to {new}.md: {blocked} refers to it and has errors; fix those first",
                )
                continue
            taken.discard(person.slug)
            taken.add(new)
            self.renames[person.relpath] = (new, person.path.with_name(f"{new}.md"))

    def blocked_by(self, person: Person) -> str:
        if person.relpath in self.errors:
            return person.relpath
        for other in self.referrers(person.slug):
            if other.relpath in self.errors:
                return other.relpath
        try:
            notes = journal_referrers(self.network, self.options.journal_dir, [person.slug])
        except NoteRefused as exc:
            return exc.relpath
        for rel in sorted(notes.paths):
            if rel in self.errors:
                return rel
        return ""

    def referrers(self, slug: str) -> list[Person]:
        found = []
        for other in self.network.sorted_people():
            if (
                any(r.other == slug for r in other.relationships)
                or (other.met is not None and other.met.via == slug)
                or any(m.slug == slug for m in other.mentions)
            ):
                found.append(other)
        return found

    def new_slug(self, slug: str) -> str:
        person = self.network.get(slug)
        if person is not None and person.relpath in self.renames:
            return self.renames[person.relpath][0]
        return slug

    def rewrite_references(self, old: str, new: str) -> None:
        for other in self.referrers(old):
            count = rewrite_references(self.doc(other), old, new)
            if count:
                self.note(other, f"references: {old} -> {new} ({count})")

    def rewrite_journal(self, moves: list[tuple[str, str]]) -> None:
        if not moves:
            return
        try:
            notes = journal_referrers(self.network, self.options.journal_dir, [old for old, _ in moves])
            self.journal_changes = notes.changes(moves, root=self.network.root)
        except NoteRefused as exc:  # changed since blocked_by read it
            self.findings.append(
                Finding(exc.relpath, exc.line, "error", "enrich-refused", f"links not rewritten: {exc.message}")
            )

    # -- relationships --

    def inverses(self) -> None:
        for person in self.network.sorted_people():
            for rel in person.relationships:
                other = self.network.get(rel.other)
                if other is None or other is person or not self.writable(other):
                    continue
                want = inverse(rel.type)
                if any(r.other == person.slug and r.type == want for r in other.relationships):
                    continue
                item = {"with": self.new_slug(person.slug), "type": want}
                doc = self.doc(other)
                try:
                    added = doc.add_to_list("relationships", item)
                except WriteError as exc:
                    self.warn(other, other.line_of("relationships"), "relationship-unwritten", f"{exc}; add `{item}` by hand")
                    continue
                if added:
                    self.note(other, f"relationships: added {{with: {item['with']}, type: {want}}}")

    # -- the whole plan --

    def run(self) -> Plan:
        for rel in sorted(self.selected):
            if rel in self.errors:
                self.findings.extend(self.errors[rel])
                self.findings.append(
                    Finding(rel, 0, "error", "enrich-refused", "not enriched: fix the errors above first")
                )
        if self.options.rename:
            self.plan_renames()
        for person in self.network.sorted_people():
            if not self.writable(person):
                continue
            doc = self.doc(person)
            self.lists(person, doc)
            self.phones(person, doc)
            self.emails(person, doc)
            self.met_date(person, doc)
        # In the order planned: a new slug may be one an earlier rename
        # freed, so no reference is moved twice.
        moves = [(Path(rel).stem, new) for rel, (new, _path) in self.renames.items()]
        for old, new in moves:
            self.rewrite_references(old, new)
        self.rewrite_journal(moves)
        self.inverses()
        return Plan(self.changes(), self.findings)

    def changes(self) -> list[Change]:
        out = []
        for person in self.network.sorted_people():
            rel = person.relpath
            renamed = self.renames.get(rel)
            doc = self.docs.get(rel)
            if doc is None and renamed is None:
                continue
            if rel in self.errors:
                continue  # never write a file with errors, whoever asked
            old = self.sources[rel]
            new = doc.to_bytes() if doc is not None else old
            if new == old and renamed is None:
                continue
            summary = list(self.notes.get(rel, []))
            new_path = None
            if renamed is not None:
                new_path = renamed[1]
                summary.insert(0, f"renamed to {Path(rel).parent.as_posix()}/{renamed[0]}.md")
            out.append(Change(person.path, old, new, summary, new_path=new_path, root=self.network.root))
        return out + self.journal_changes


def plan(
    network: Network,
    sources: Mapping[str, bytes],
    options: Options = Options(),
    selected: set[str] | None = None,
) -> Plan:
    """The changes that make `selected` files (default: all) consistent.

    `sources` holds the bytes of every person's file, by relpath, exactly as
    the network was loaded from (so an edit never works from a stale copy).
    """
    chosen = set(network.files) if selected is None else set(selected)
    return _Planner(network, sources, options, chosen).run()
