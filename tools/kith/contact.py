"""Who a log entry is contact with: the one rule behind last contact.

An entry in a person's own log is contact with them, whatever its kind (as
it always was). An entry written anywhere else (in another person's log, or
in a journal note) is contact with each person it mentions with `[[slug]]`
when its kind is one of `Settings.contact_kinds`: `- 2026-11-02 dinner:
with [[mary-somerville]]` in Ada's file brings Mary's last contact up to
that day too; `- shared: the article on [[mary-somerville]]'s comet` does
not, since sharing something about Mary is not being in touch with her.

`credit_network` writes those entries onto each person (`Person.credits`)
every time a network is loaded, so that `followups.contact_log` (and with
it last contact, cadence, `kith due`, the calendar feed and the site) reads
them without knowing where they came from.
"""

from __future__ import annotations

from collections.abc import Iterable

from .model import Credit, Network


def credit_network(network: Network, contact_kinds: Iterable[str]) -> None:
    """Set `credits` on every person of `network` (replacing what an earlier
    load left there: a Person object is reused while its file is unchanged)."""
    kinds = frozenset(k.lower() for k in contact_kinds)
    people = network.people
    found: dict[str, list[Credit]] = {}
    for person in people.values():
        for entry in person.log:
            if not entry.mentions or entry.kind not in kinds:
                continue
            for slug in dict.fromkeys(entry.mentions):
                if slug == person.slug or slug not in people:
                    continue
                found.setdefault(slug, []).append(
                    Credit(
                        entry.date,
                        entry.kind,
                        entry.text,
                        person.relpath,
                        entry.line,
                        by=person.slug,
                        private=entry.private or person.private,
                    )
                )
    for note in network.journal:
        for item in note.entries:
            if item.date is None or item.kind not in kinds:
                continue
            for slug in dict.fromkeys(item.mentions):
                if slug not in people:
                    continue
                found.setdefault(slug, []).append(
                    Credit(
                        item.date,
                        item.kind,
                        item.text,
                        note.relpath,
                        item.line,
                        note=note.name,
                        private=item.private or not note.public,
                    )
                )
    for slug, person in people.items():
        mine = found.get(slug)
        person.credits = tuple(sorted(mine, key=_order)) if mine else ()


def _order(credit: Credit) -> tuple:
    return (credit.date, credit.path, credit.line)
