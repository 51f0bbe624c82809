"""The rules that need the whole network: links that name nobody, people who
name themselves, shared emails. Per-file rules live with the loader
(`parse.py`, `fields.py`, `body.py`); `check` returns both, sorted."""

from __future__ import annotations

from collections.abc import Iterator
import posixpath

from . import codes
from .fields import did_you_mean
from .model import Finding, Network, Person


def _finding(person: Person, line: int, code: str, message: str) -> Finding:
    return Finding(person.relpath, line, codes.severity(code), code, message)


def _unknown(
    network: Network, person: Person, slug: str, line: int, what: str, broken: set[str]
) -> Iterator[Finding]:
    if slug == person.slug:
        yield _finding(person, line, "self-reference", f"{what} `{slug}` is this person themself")
    elif slug not in network.people and slug not in broken:
        hint = did_you_mean(slug, list(network.people)) if len(network.people) < 50_000 else ""
        yield _finding(
            person, line, "unknown-slug", f"{what} `{slug}` names nobody: there is no {slug}.md under people/{hint}"
        )


class CheckMemo:
    """Each person's link findings, kept between checks of later loads of
    one repository (the rebuilds of `mkdocs serve`): valid while the person's
    file and the set of files are unchanged, since a link's target is a file."""

    def __init__(self) -> None:
        self._files: list[str] | None = None
        self._people: dict[str, tuple[Person, list[Finding]]] = {}

    def for_network(self, network: Network) -> dict[str, tuple[Person, list[Finding]]]:
        if self._files != network.files:
            self._files = list(network.files)
            self._people = {}
        return self._people


def links(network: Network, memo: CheckMemo | None = None) -> Iterator[Finding]:
    # Files that exist but could not be read are reported in their own file;
    # a link to one is not also "names nobody".
    # posixpath, not PurePosixPath: building 30,000 Path objects costs a second.
    stems = {posixpath.splitext(posixpath.basename(rel))[0] for rel in network.files}
    broken = stems - set(network.people)
    kept = memo.for_network(network) if memo is not None else None
    for person in network.people.values():
        if kept is not None:
            hit = kept.get(person.slug)
            if hit is not None and hit[0] is person:
                yield from hit[1]
                continue
        found = list(_links_of(network, person, broken))
        if kept is not None:
            kept[person.slug] = (person, found)
        yield from found


def _links_of(network: Network, person: Person, broken: set[str]) -> Iterator[Finding]:
    for rel in person.relationships:
        yield from _unknown(network, person, rel.other, rel.line, "relationship with", broken)
    if person.met and person.met.via:
        yield from _unknown(network, person, person.met.via, person.line_of("met.via"), "met.via", broken)
    for mention in person.mentions:
        yield from _unknown(network, person, mention.slug, mention.line, "link [[…]] to", broken)


def shared_emails(network: Network) -> Iterator[Finding]:
    owner: dict[str, Person] = {}
    for person in network.sorted_people():
        for email in person.emails:
            key = email.strip().lower()
            first = owner.setdefault(key, person)
            if first is not person:
                yield _finding(
                    person,
                    person.line_of("emails"),
                    "duplicate-email",
                    f"email {email} is also in {first.relpath}; if they are one person, "
                    f"`kith merge {first.slug} {person.slug}` joins them (`kith dupes` lists all such pairs)",
                )


def check(network: Network, memo: CheckMemo | None = None) -> list[Finding]:
    """Every finding for the network: the loader's and the cross-file rules'.
    `memo` (kept by the caller between checks of one repository) saves
    checking the links of unchanged files again."""
    found = list(network.findings)
    found.extend(links(network, memo))
    found.extend(shared_emails(network))
    found.sort(key=lambda f: (f.path, f.line, f.code))
    return found
