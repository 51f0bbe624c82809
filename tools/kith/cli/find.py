"""`kith find`, `kith show` and `kith schema`: looking people up, and the
front matter's JSON Schema for editors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import click

from ..circles import CIRCLES
from . import main
from .style import paint
from .common import format_option, open_repo, print_json, resolve_today, root_option, terminal_text, today_option
from .completion import complete_slug

if TYPE_CHECKING:
    from .. import find as core
    from ..index import Index
    from ..index.records import Relating
    from ..model import Person

# The core is imported inside each command: `kith find` and `kith show`
# answer from the index (kith.index) and start sooner without the rest.


@main.command()
@click.argument("query", nargs=-1)
@click.option("--tag", default=None, help="Only people with this tag (any case, accents ignored).")
@click.option(
    "--company",
    default=None,
    help="Only people whose company contains this text (any case, accents ignored).",
)
@click.option("--circle", type=click.Choice(CIRCLES), default=None, help="Only people in this circle.")
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    metavar="N",
    help="Show at most N people, best first; 0 shows them all.",
)
@root_option
@format_option
def find(
    query: tuple[str, ...], tag: str | None, company: str | None, circle: str | None, limit: int, root: str | None, fmt: str
) -> None:
    """Search people by name, aka, email, company, tags, interests, offers,
    needs, places and notes.

    Case and accents do not matter: `kith find zoe` finds Zoë. With several
    words, each must match somewhere. Results are best first: the exact name,
    then names starting with the words, then other names (aka), company and
    tags, other fields, and last the notes and log. Each result says which
    fields matched. With only filters (--tag, --company, --circle) and no
    QUERY, lists everyone they keep. Exits 1 when nobody matches.
    """
    from .. import find as core

    text = " ".join(query)
    if not core.words(text) and not (tag or company or circle):
        raise click.UsageError("give a QUERY, or a filter: --tag, --company or --circle")
    repo = open_repo(root)

    def from_index(index: Index) -> list[core.Match]:
        from ..index.query import find

        return find(index.conn, repo.root, index.has_fts, text, tag, company, circle, limit or None)

    def from_files() -> list[core.Match]:
        return core.search(repo.network().sorted_people(), text, tag, company, circle, limit or None)

    found = repo.answer(from_index, from_files)
    if fmt == "json":
        print_json([m.as_dict() for m in found])
    elif found:
        width = max(len(m.person.slug) for m in found)
        for m in found:
            line = f"{m.person.slug.ljust(width)}  {m.person.name}"
            if m.fields:
                line += "  (" + _matched(m) + ")"
            click.echo(terminal_text(line))
    if not found:
        if fmt != "json":
            click.echo("nobody matches" + (f" `{text}`" if text else ""), err=True)
        raise SystemExit(1)


SNIPPETS = 3


def _matched(m: core.Match) -> str:
    """`tags: design; title: VP of Design; also notes, log`: what matched, best first."""
    shown = "; ".join(f"{f}: {m.snippets[f]}" for f in m.fields[:SNIPPETS])
    rest = m.fields[SNIPPETS:]
    return shown + (f"; also {', '.join(rest)}" if rest else "")


@main.command()
@click.argument("slug", shell_complete=complete_slug)
@today_option
@root_option
@format_option
def show(slug: str, today: dt.datetime | None, root: str | None, fmt: str) -> None:
    """One person as a card: key facts, relationships (both directions),
    last contact, the next follow-up and open tasks.

    SLUG is the file name without `.md` (Tab completes it after setting up
    completion: see the terminal guide). Private people and private log
    entries are shown: this is your own terminal, not the site.
    """
    from .. import find as core
    from ..followups import contact_log, last_contact, next_due
    from ..graph import relations_of

    repo = open_repo(root)
    day = resolve_today(repo, today)

    def from_index(index: Index) -> tuple[str | None, str, dict[str, Person | Relating], Mapping[str, Any]]:
        from ..index import query
        from ..text import named_in

        wanted = core.slug_given(slug)
        if not query.exists(index.conn, wanted):
            return (*core.resolve(query.names(index.conn), slug), {}, {})
        person = query.person(index.conn, repo.root, wanted)
        person.credits = query.credits(index.conn, [wanted], repo.settings.contact_kinds).get(wanted, ())
        people = query.related(index.conn, person)
        # Names for the `[[slug]]`s the card writes as names: in the next
        # follow-up's detail and the open tasks.
        item = next_due(person, day, repo.settings)
        texts = [t.text for t in person.open_tasks] + ([item.detail] if item is not None else [])
        named = query.named(index.conn, named_in(texts) - set(people))
        return wanted, "", people, {**people, **named}

    def from_files() -> tuple[str | None, str, dict[str, Person | Relating], Mapping[str, Any]]:
        network = repo.network()
        found, hint = core.resolve(network.people, slug)
        return found, hint, network.people, network.people

    found, hint, people, names = repo.answer(from_index, from_files, contact=True)
    if found is None:
        raise click.BadParameter(f"no person with slug `{slug}` in people/{hint}", param_hint="SLUG")
    person = people[found]
    relations = [
        (rel_type, r.other, people[r.other].name)
        for rel_type, related in relations_of(found, people).items()
        for r in related
    ]
    last = last_contact(person, day)
    last_from = None if last is None else ("log" if contact_log(person, day) else "met")
    item = next_due(person, day, repo.settings)
    tasks = sorted(person.open_tasks, key=lambda t: (t.due is None, t.due or dt.date.min, t.line))
    if fmt == "json":
        print_json(
            {
                "slug": person.slug,
                "name": person.name,
                "path": person.relpath,
                "facts": {label: value for label, value in core.facts(person, readable=False)},
                "relationships": [{"type": t, "slug": s, "name": n} for t, s, n in relations],
                "last_contact": last.isoformat() if last else None,
                "last_contact_from": last_from,
                "next": item.as_dict() if item else None,
                "open_tasks": [
                    {"due": t.due.isoformat() if t.due else None, "text": t.text, "line": t.line}
                    for t in tasks
                ],
            }
        )
        return
    click.echo(_card(person, day, relations, last, last_from, item, tasks, repo.settings.default_region, names))


def _card(
    person: Person,
    day: dt.date,
    relations,
    last,
    last_from,
    item,
    tasks,
    region: str | None = None,
    people: Mapping[str, Any] | None = None,
) -> str:
    from ..dates import day_and_month
    from ..find import facts
    from ..followups import REASON_LABELS
    from ..text import with_names

    rows = facts(person, region)
    if last is None:
        rows.append(("Last contact", "never"))
    else:
        ago = (day - last).days
        when = "today" if ago == 0 else f"{ago} day{'s' if ago != 1 else ''} ago"
        rows.append(("Last contact", f"{last.isoformat()} ({when}{', the day you met' if last_from == 'met' else ''})"))
    if item is not None:
        if item.reason == "birthday" and person.birthday is not None:
            # "birthday on 3 February (in 64 days)", with ", turns 42" when the year is known.
            turns = f", {item.detail}" if item.detail.startswith("turns") else ""
            rows.append(("Next", f"birthday on {day_and_month(person.birthday)} ({item.when()}){turns}"))
        else:
            detail = with_names(item.detail, people or {})
            rows.append(("Next", f"{REASON_LABELS[item.reason]} {item.due.isoformat()} ({item.when()}): {detail}"))
    width = max(len(label) for label, _ in rows)
    # Every value from a file through terminal_text before it is painted:
    # a name cannot move the cursor or retitle the window.
    safe = terminal_text
    lines = [f"{paint(safe(person.name), 'name')} ({safe(person.slug)})", paint(safe(person.relpath), "dim"), ""]
    lines += [f"{label.ljust(width)}  {safe(value)}" for label, value in rows]
    if relations:
        type_width = max(len(t) for t, _, _ in relations)
        lines += ["", paint("Relationships", "heading")]
        lines += [safe(f"  {t.ljust(type_width)}  {name} ({slug})") for t, slug, name in relations]
    if tasks:
        lines += ["", paint("Open tasks", "heading")]
        lines += [safe(f"  [ ] {t.due.isoformat() if t.due else '(no date)'} {with_names(t.text, people or {})}") for t in tasks]
    return "\n".join(lines)


@main.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write the schema to this file (replaced atomically) instead of printing it.",
)
def schema(out: str | None) -> None:
    """Print the JSON Schema (draft 2020-12) of a contact's front matter.

    Generated from the same declaration of keys that `kith validate` reads,
    so the two agree: point your editor's YAML language server at it for
    completion, hover help and checks as you type (see the editors guide).
    Unknown keys are allowed, as `kith validate` only warns about them.
    """
    import json

    from ..jsonschema import front_matter_schema
    from .common import write_out

    text = json.dumps(front_matter_schema(), indent=2, ensure_ascii=False) + "\n"
    if out is None:
        click.echo(text, nl=False)
        return
    write_out(out, text.encode("utf-8"), parents=True)
    click.echo(out)
