"""A person's notes as they may leave kith: no log, no `## Private`
section (the loader keeps both out of `Person.notes`), and no private
person named: their `[[slug]]` becomes "(private)".

Privacy fails closed: a body the loader withheld (a Private heading it could
not place for certain) gives no notes, and so do notes that still hold a
line some renderer could show as a heading "Private" (`grammar.looks_private`).
"""

from __future__ import annotations

from . import grammar
from .model import Network, Person


def public_notes(person: Person, network: Network) -> str | None:
    """The notes that may leave, or None when they are withheld."""
    if person.withheld:
        return None
    lines = person.notes.split("\n")
    for index, line in enumerate(lines):
        if grammar.looks_private(line, lines[index + 1] if index + 1 < len(lines) else ""):
            return None
    out: list[str] = []
    for line in lines:
        pos = 0
        for match in grammar.mention_matches(line):
            other = network.people.get(match.group(1).strip())
            if other is not None and other.private:
                out.append(line[pos : match.start()] + "(private)")
                pos = match.end()
        out.append(line[pos:] + "\n")
    return "".join(out).strip("\n")
