"""Shell completion of slugs, for every SLUG argument: `shell_complete=complete_slug`.

Click asks for completions while the user presses Tab, so this must be quiet
and must never raise: any trouble (no repository, unreadable files) means
no suggestions, not a traceback in the user's prompt.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
from click.shell_completion import CompletionItem

from ..config import read_settings
from ..repository import find_root
from ..text import fold, words

_WORDY = re.compile(r"\w+")


def _root(ctx: click.Context) -> Path:
    """`--root` as typed so far on the command or on `kith`, else found upwards."""
    here: click.Context | None = ctx
    while here is not None:
        given = here.params.get("root")
        if given:
            return Path(given).resolve()
        here = here.parent
    return find_root()


def slug_candidates(people: dict[str, str], incomplete: str) -> list[tuple[str, str]]:
    """(slug, name) pairs for `incomplete`: slugs starting with it first, then
    people one of whose name words starts with it (so `zoë` offers
    `zoe-whitfield`), each by slug."""
    typed = incomplete.strip()
    if typed.startswith("[["):
        typed = typed[2:]
    by_slug = sorted(s for s in people if s.startswith(typed))
    folded = fold(typed)
    by_name = sorted(
        s
        for s, name in people.items()
        if s not in by_slug
        and folded
        and (fold(name).startswith(folded) or any(w.startswith(folded) for w in words(name)))
    )
    return [(s, people[s]) for s in by_slug + by_name]


def complete_slug(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """Click's `shell_complete` for a SLUG argument: slugs, with names as help."""
    try:
        root = _root(ctx)
        people_dir = read_settings(root).people_dir
        typed = incomplete.strip()
        if typed.startswith("[["):
            typed = typed[2:]
        folded = fold(typed)

        def from_index(index) -> dict[str, str]:
            from ..index.query import completions

            return completions(index.conn, typed, folded, bool(_WORDY.fullmatch(folded)))

        def from_files() -> dict[str, str]:
            from ..load import load_network

            network = load_network(root, people_dir)
            return {slug: person.name for slug, person in network.people.items()}

        from ..index import answer

        people = answer(root, people_dir, from_index, from_files)
        return [CompletionItem(slug, help=name) for slug, name in slug_candidates(people, incomplete)]
    except Exception:  # noqa: BLE001 - completion must never break the shell
        return []
