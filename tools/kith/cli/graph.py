"""`kith suggest` and `kith path`: questions about the relationship graph."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

import click

from . import main
from .common import format_option, open_repo, print_json, root_option, terminal_text
from .completion import complete_slug

if TYPE_CHECKING:
    from ..index import Index
    from ..suggest import Suggestion

# The graph (networkx) and suggestions are imported in the commands that use
# them: every other `kith` command starts faster without them.


def _slug(given: str) -> str:
    slug = given.strip()
    if slug.startswith("[[") and slug.endswith("]]"):
        slug = slug[2:-2].strip()
    return slug


def _person(slugs: Collection[str] | Callable[[], Collection[str]], given: str, param: str) -> str:
    """`given` if someone has that slug, else a usage error naming the
    likeliest one. `slugs`: everyone's, in order (or a function giving them)."""
    from ..fields import did_you_mean

    slug = _slug(given)
    everyone = slugs() if callable(slugs) else slugs
    if slug in everyone:
        return slug
    hint = did_you_mean(slug, list(everyone))
    if not hint:
        # `ada` for `ada-lovelace`: a unique slug starting with the word.
        starts = [s for s in everyone if s.startswith(slug + "-")]
        if len(starts) == 1:
            hint = f"; did you mean `{starts[0]}`?"
    raise click.BadParameter(f"no person with slug `{slug}` in people/{hint}", param_hint=param)


@main.command()
@click.argument("slug", required=False, shell_complete=complete_slug)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="Show at most this many suggestions, best first; 0 shows them all.",
)
@root_option
@format_option
def suggest(slug: str | None, limit: int, root: str | None, fmt: str) -> None:
    """Introductions worth making, best first, each with its reasons.

    Two people are worth introducing when one offers what the other needs
    (the strongest reason), when they share interests, or when you met both
    at the same event, and they are not connected yet: no relationship,
    introduction or mention links them. With SLUG, only suggestions for
    that person.
    """
    repo = open_repo(root)

    def from_index(index: Index) -> tuple[list[Suggestion], dict[str, str], str | None]:
        from ..index import query

        focus = None
        if slug:
            wanted = _slug(slug)
            focus = wanted if query.exists(index.conn, wanted) else _person(lambda: list(query.names(index.conn)), slug, "SLUG")
        found, names = query.ranked_suggestions(index, focus, limit or None)
        return found, names, focus

    def from_files() -> tuple[list[Suggestion], dict[str, str], str | None]:
        from ..graph import build
        from ..suggest import suggestions

        graph = build(repo.network(), include_private=True)
        focus = _person(graph.people, slug, "SLUG") if slug else None
        return suggestions(graph, focus, limit or None), {s: p.name for s, p in graph.people.items()}, focus

    found, names, focus = repo.answer(from_index, from_files)
    if fmt == "json":
        print_json([s.as_dict() for s in found])
        return
    if not found:
        who = f" for {names[focus]}" if focus else ""
        click.echo(terminal_text(f"no introductions to suggest{who}"))
        return
    for s in found:
        click.echo(terminal_text(f"{names[s.a]} <> {names[s.b]} (score {s.score}): {'; '.join(s.reasons)}"))


@main.command()
@click.argument("a", shell_complete=complete_slug)
@click.argument("b", shell_complete=complete_slug)
@root_option
@format_option
def path(a: str, b: str, root: str | None, fmt: str) -> None:
    """The shortest chain of people who could introduce A to B.

    Each step is a relationship, a `met.via`, an introduction you logged, or
    (counted as a weaker link) a mention. Shows what each person is to the one
    before. Exits 1 when no chain connects them.
    """
    repo = open_repo(root)
    from ..graph import build

    graph = build(repo.network(), include_private=True)
    a = _person(graph.people, a, "A")
    b = _person(graph.people, b, "B")
    chain = graph.shortest_path(a, b)
    if fmt == "json":
        steps = None
        if chain is not None:
            steps = [
                {
                    "slug": slug,
                    "name": graph.people[slug].name,
                    "link": None if i == 0 else graph.link_types(chain[i - 1], slug),
                }
                for i, slug in enumerate(chain)
            ]
        print_json({"a": a, "b": b, "path": steps})
    elif chain is not None:
        parts = [graph.people[a].name]
        for before, slug in zip(chain, chain[1:]):
            parts.append(f"{graph.people[slug].name} ({', '.join(graph.link_types(before, slug))})")
        click.echo(terminal_text(" -> ".join(parts)))
    if chain is None:
        if fmt != "json":
            click.echo(
                terminal_text(f"no chain of people connects {graph.people[a].name} and {graph.people[b].name}"),
                err=True,
            )
        raise SystemExit(1)
