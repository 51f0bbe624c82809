"""`kith triage`: who still needs a circle or a cadence, what to propose for
each, and the progress kept between runs.

After a LinkedIn import a network holds hundreds of people with neither.
Triage goes through them newest first (the latest `met.date`, then by name)
and proposes a circle from how often you were in touch over the last year,
and a cadence from the circle (PROPOSED_CADENCE). Each decision is saved to
the person's file as it is made; what was decided or skipped is kept in
`.kith-cache/triage.json`, so a triage stopped half way resumes where it
stopped.
"""

from __future__ import annotations

import datetime as dt
import json
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from .cache import CACHE_DIR
from .importers.clean import fold
from .model import CIRCLES, Network, Person
from .tidy import has_no
from .write import atomic_write

STATE_FILE = "triage.json"

PROPOSED_CADENCE: dict[str, str | None] = {
    "inner": "2w",
    "close": "1m",
    "friend": "3m",
    "acquaintance": None,  # quality over quantity: no reminder unless you ask
}

# Entries in the last year that propose a circle (closest first).
CONTACT_FOR_CIRCLE = (("close", 12), ("friend", 4))

CIRCLE_KEYS = {"i": "inner", "c": "close", "f": "friend", "a": "acquaintance"}
CADENCE_KEYS = {"1": "2w", "2": "1m", "3": "3m", "4": "6m", "5": "1y", "0": None}


def needs_triage(person: Person) -> list[str]:
    """The keys triage asks about that `person` lacks (circle, cadence)."""
    return [key for key in ("circle", "cadence") if has_no(person, key)]


def queue(network: Network, tag: str | None = None, seen: set[str] | frozenset[str] = frozenset()) -> list[Person]:
    """People lacking a circle or a cadence, newest first, without those
    already decided or skipped (`seen`)."""
    people = [
        p
        for p in network.people.values()
        if needs_triage(p) and p.slug not in seen and (tag is None or any(fold(t) == fold(tag) for t in p.tags))
    ]
    people.sort(key=lambda p: (p.slug))
    people.sort(key=lambda p: fold(p.name))
    people.sort(key=lambda p: (p.met.date if p.met and p.met.date else dt.date.min), reverse=True)
    return people


@dataclass(frozen=True)
class Proposal:
    circle: str | None  # None: keep the one the person has
    cadence: str | None  # None: no cadence
    reason: str


def propose(person: Person, today: dt.date) -> Proposal:
    """A circle from how often you were in touch in the last year, and the
    circle's usual cadence."""
    year_ago = today - dt.timedelta(days=365)
    recent = sum(1 for e in person.log if year_ago <= e.date <= today)
    if person.circle is not None:
        circle, reason = None, f"circle {person.circle}"
        basis = person.circle
    else:
        basis = next((c for c, n in CONTACT_FOR_CIRCLE if recent >= n), "acquaintance")
        circle = basis
        reason = f"{recent} log entr{'y' if recent == 1 else 'ies'} in the last year"
    cadence = PROPOSED_CADENCE[basis] if has_no(person, "cadence") else None
    return Proposal(circle, cadence, reason)


def plan_command(person: Person, proposal: Proposal) -> str | None:
    """The proposal as a `kith set` line someone can read, edit and run."""
    parts = []
    if proposal.circle and has_no(person, "circle"):
        parts.append(f"circle={proposal.circle}")
    if proposal.cadence and has_no(person, "cadence"):
        parts.append(f"cadence={proposal.cadence}")
    if not parts:
        return None
    return f"kith set {' '.join(parts)} {shlex.quote(person.slug)}"


@dataclass
class State:
    """Slugs decided or skipped, saved under .kith-cache/ after every step."""

    path: Path
    decided: dict[str, str] = field(default_factory=dict)  # slug -> "done" | "skipped"

    @classmethod
    def load(cls, root: Path) -> "State":
        path = root / CACHE_DIR / STATE_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path)
        decided = data.get("decided") if isinstance(data, dict) else None
        if not isinstance(decided, dict):
            return cls(path)
        return cls(path, {str(k): str(v) for k, v in decided.items() if isinstance(k, str)})

    def mark(self, slug: str, outcome: str) -> None:
        self.decided[slug] = outcome
        self.save()

    def forget(self) -> None:
        self.decided.clear()
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        ignore = self.path.parent / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# written by kith: the cache of parsed contacts\n*\n")
        data = json.dumps({"decided": self.decided}, indent=1, sort_keys=True) + "\n"
        atomic_write(self.path, data.encode("utf-8"))


def circle_help() -> str:
    return "  ".join(f"{k} {v}" for k, v in CIRCLE_KEYS.items())


def cadence_help() -> str:
    return "  ".join(f"{k} {v or 'none'}" for k, v in CADENCE_KEYS.items())


assert set(CIRCLE_KEYS.values()) == set(CIRCLES)
