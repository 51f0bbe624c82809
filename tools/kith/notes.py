"""A person's notes as they may leave kith: no log, no `## Private`
section (the loader keeps both out of `Person.notes`), and no private
person named: their `[[slug]]` becomes "(private)".

Privacy fails closed: if what is left still holds a line that Markdown, or a
reader, could take for a heading "Private" (`##Private`, `Private` underlined,
`> ## Private`, `## Private {#p}`), the loader and the renderer may disagree
about where that section ends, so none of the notes leave.
"""

from __future__ import annotations

import re

from .body import MENTION
from .model import Network, Person

_HEADING_PRIVATE = re.compile(
    r"^[ \t>*+\-\d.)]*#{0,6}[ \t]*private[ \t]*(?:#+[ \t]*)?(?:\{[^}]*\})?[ \t]*:?[ \t]*$",
    re.IGNORECASE,
)
_UNDERLINE = re.compile(r"^[ \t]*(?:=+|-+)[ \t]*$")


def doubtful(notes: str) -> bool:
    """Whether the notes still hold something that may be a "Private" heading."""
    if "rivate" not in notes and "RIVATE" not in notes:
        return False
    return any(_HEADING_PRIVATE.match(line) for line in notes.split("\n"))


def public_notes(person: Person, network: Network) -> str | None:
    """The notes that may leave, or None when they are withheld (`doubtful`)."""
    if doubtful(person.notes):
        return None

    def hide(match: re.Match) -> str:
        other = network.people.get(match.group(1).strip())
        return "(private)" if other is not None and other.private else match.group(0)

    return MENTION.sub(hide, person.notes).strip("\n")
