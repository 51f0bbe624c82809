"""A person's notes as they may leave kith: no log, no `## Private`
section (the loader keeps both out of `Person.notes`), and no private
person named: their `[[slug]]` becomes "(private)"."""

from __future__ import annotations

import re

from .body import MENTION
from .model import Network, Person


def public_notes(person: Person, network: Network) -> str:
    def hide(match: re.Match) -> str:
        other = network.people.get(match.group(1).strip())
        return "(private)" if other is not None and other.private else match.group(0)

    return MENTION.sub(hide, person.notes).strip("\n")
