"""What of other people a person's page shows, as one comparable value, so
that after a change of structure (a new mention, relationship, tag, a
renamed person) only the pages that show something different are rendered
again (see incremental.py, and docs/reference/scale.md).

A person page shows its own person (their file) and, of everyone else:

- the names and privacy of the people it names: in the notes, log and
  tasks, relationships, `met.via`, the people who mention them, their
  introductions, neighbourhood, suggestions, and where their credits were
  written;
- the graph around them: relationships both ways, backlinks with their
  lines, introductions, the neighbourhood's people and link types;
- the suggestions made for them;
- the page of each group (organisation, event, place, tag) they are in;
- the errors in their own file; entries elsewhere that count as contact
  with them (`Person.credits`).

`person_inputs` gathers these with the very functions the sections render
from; the tests compare every page after structural edits with a fresh
build, byte for byte, so anything it missed would show.
"""

from __future__ import annotations

from collections.abc import Hashable

from .. import grammar
from ..model import Person
from . import directory
from .context import SiteContext
from .person import errors_by_file
from .relations import NEIGHBOURHOOD_MAX, _hood, site_graph, site_suggestions


def person_inputs(person: Person, ctx: SiteContext, credits: tuple = ()) -> Hashable:
    """Everything of others `person`'s page reads in `ctx`; `credits` the
    person's credits as they were in that build (they are recomputed on the
    same Person object when others' files change)."""
    slug = person.slug
    graph = site_graph(ctx)
    named: set[str] = set()

    relations = tuple(
        (rel_type, tuple(r.other for r in related)) for rel_type, related in graph.relations_of(slug).items()
    )
    for _type, others in relations:
        named.update(others)

    backlinks = tuple((b.source, b.line, b.context) for b in graph.mentioned_by(slug))
    for source, _line, context in backlinks:
        named.add(source)
        named.update(grammar.mentions_in(context))

    intros = tuple((i.date, i.a, i.b, i.by) for i in graph.introductions_of(slug))
    for intro in intros:
        named.update(x for x in intro[1:] if x)

    direct, through = _hood(ctx, slug)
    hood = (
        tuple((other, graph.edge_type(slug, other)) for other in direct),
        tuple((via, tuple(others)) for via, others in through.items()),
        len(direct) + sum(len(others) for others in through.values()) + 1 >= NEIGHBOURHOOD_MAX,
    )
    named.update(direct)
    for via, others in through.items():
        named.add(via)
        named.update(others)

    suggestions = tuple((s.a, s.b, tuple(s.reasons)) for s in site_suggestions(ctx).get(slug, []))
    for s in suggestions:
        named.update(s[:2])

    named.update(m.slug for m in person.mentions)
    named.update(r.other for r in person.relationships)
    if person.met and person.met.via:
        named.add(person.met.via)
    named.update(c.by for c in credits if c.by)

    groups = tuple(
        (kind.folder, name, _group_src(ctx, kind, name)) for kind in directory.KINDS for name in kind.values(person)
    )
    people = ctx.network.people
    names = tuple(
        sorted(
            (other, people[other].name, people[other].private) if other in people else (other, None, None)
            for other in named
        )
    )
    errors = tuple(errors_by_file(ctx).get(person.relpath, ()))
    return (relations, backlinks, intros, hood, suggestions, groups, names, errors, tuple(credits))


def _group_src(ctx: SiteContext, kind: directory.Kind, name: str) -> str | None:
    group = directory._lookup(ctx, kind).get(kind.key(name))
    return directory.item_src(kind, group) if group is not None else None
