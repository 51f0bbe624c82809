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


def links(network: Network) -> Iterator[Finding]:
    # Files that exist but could not be read are reported in their own file;
    # a link to one is not also "names nobody".
    # posixpath, not PurePosixPath: building 30,000 Path objects costs a second.
    stems = {posixpath.splitext(posixpath.basename(rel))[0] for rel in network.files}
    broken = stems - set(network.people)
    for person in network.people.values():
        for rel in person.relationships:
            yield from _unknown(network, person, rel.other, rel.line, "relationship with", broken)
        if person.met and person.met.via:
            yield from _unknown(
                network, person, person.met.via, person.line_of("met.via"), "met.via", broken
            )
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
                    f"email {email} is also in {first.relpath}",
                )


RULES = (links, shared_emails)


def check(network: Network) -> list[Finding]:
    """Every finding for the network: the loader's and the cross-file rules'."""
    found = list(network.findings)
    for rule in RULES:
        found.extend(rule(network))
    found.sort(key=lambda f: (f.path, f.line, f.code))
    return found
