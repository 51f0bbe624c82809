"""The card line "Notes last changed YYYY-MM-DD", from git history.

`gitinfo.last_changed` runs git once per build (shared through
`ctx.shared`), however many person pages there are. Outside a git
repository, or for a file never committed, the card says nothing.
"""

from __future__ import annotations

import datetime as dt

from ..gitinfo import last_changed
from ..model import Person
from .context import SiteContext
from .html import Linker, e

KEY = "git-dates"


def dates(ctx: SiteContext) -> dict[str, dt.date]:
    """Every contact file's last committed change, computed once per build."""
    return ctx.shared(KEY, lambda: last_changed(ctx.network.root, people_dir=ctx.settings.people_dir))


def last_changed_line(person: Person, ctx: SiteContext, linker: Linker) -> str:
    day = dates(ctx).get(person.relpath)
    if day is None:
        return ""
    iso = e(day.isoformat())
    return f'<p class="kith-changed">Notes last changed <time datetime="{iso}">{iso}</time></p>'
