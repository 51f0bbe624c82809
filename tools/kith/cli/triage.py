"""`kith triage`: one key per decision, through the people who have no
circle or no cadence. Every decision is written through `kith.write` as it
is made, and the progress kept in .kith-cache/triage.json."""

from __future__ import annotations

import datetime as dt
import sys

import click

from .. import triage as core
from ..load import parse_person
from ..model import Person
from ..write import Change, Document, DocumentError, WriteError, apply
from . import main
from .common import Repo, open_repo, resolve_today, root_option, terminal_text, today_option
from .edit import _reason


def _card(person: Person, position: int, total: int, proposal: core.Proposal) -> list[str]:
    head = f"[{position}/{total}] {person.name}"
    work = ", ".join(x for x in (person.title, person.company) if x)
    lines = [head + (f" · {work}" if work else ""), f"  {person.relpath}"]
    if person.location:
        lines.append(f"  location: {person.location}")
    if person.emails:
        lines.append(f"  emails: {', '.join(person.emails[:3])}")
    if person.tags:
        lines.append(f"  tags: {', '.join(person.tags)}")
    if person.met and (person.met.date or person.met.where):
        met = " at ".join(x for x in (person.met.date.isoformat() if person.met.date else None, person.met.where) if x)
        lines.append(f"  met: {met}")
    last = person.last_contact
    lines.append(f"  log: {len(person.log)} entr{'y' if len(person.log) == 1 else 'ies'}" + (f", last {last.isoformat()}" if last else ""))
    lines.append(f"  circle: {person.circle or '-'}   cadence: {person.cadence.text if person.cadence else '-'}")
    return lines


def _reload(person: Person) -> Person | None:
    try:
        raw = person.path.read_bytes()
    except OSError:
        return None
    return parse_person(raw, person.path, person.relpath).person


def _save(person: Person, key: str, value: str) -> str | None:
    """Write `key: value` into the person's file now; an error message or None."""
    try:
        raw = person.path.read_bytes()
        doc = Document.from_bytes(raw)
        doc.set(key, value)
        apply([Change(person.path, raw, doc.to_bytes(), [f"{key}: {value}"])], dry_run=False)
    except (DocumentError, WriteError, OSError) as exc:
        return f"{person.relpath}:{person.line_of(key)}: error: not written: {_reason(exc)} [write-failed]"
    return None


@main.command()
@click.option("--tag", default=None, help="Only people with this tag (any case, accents ignored).")
@click.option("--plan", "plan_only", is_flag=True, help="Print the proposed changes as `kith set` lines; ask nothing, write nothing.")
@click.option("--restart", is_flag=True, help="Forget the saved progress: ask again about people decided or skipped before.")
@today_option
@root_option
def triage(tag: str | None, plan_only: bool, restart: bool, today: dt.datetime | None, root: str | None) -> None:
    """Give circles and cadences to those who lack them, a key each.

    \b
    circle   i inner  c close  f friend  a acquaintance
    cadence  1 2w  2 1m  3 3m  4 6m  5 1y  0 none
    Enter    take the proposal shown
    s skip   e open the file in $EDITOR   q quit

    People come newest first (by `met.date`, then name); --tag keeps one
    community. The proposal is a circle from how often you were in touch
    over the last year and that circle's usual cadence (none for an
    acquaintance). Each answer is written to the person's file at once;
    what was decided or skipped is kept in .kith-cache/triage.json, so a
    triage stopped with q resumes where it stopped. --plan prints the
    proposals as `kith set` lines to read, edit and run.
    """
    repo = open_repo(root)
    day = resolve_today(repo, today)
    state = core.State.load(repo.root)
    if restart and not plan_only:
        state.forget()
    network = repo.network()
    seen = set() if plan_only else set(state.decided)
    people = core.queue(network, tag, seen)
    if plan_only:
        _plan(people, day)
        return
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise click.UsageError("triage asks one key at a time: run it in a terminal, or print the proposals with --plan")
    if not people:
        left = len(core.queue(network, tag))
        click.echo("nobody to triage" + (f" ({left} skipped before: --restart asks again)" if left else ""))
        return
    _interactive(repo, people, state, day)


def _plan(people: list[Person], day: dt.date) -> None:
    lines = []
    for person in people:
        proposal = core.propose(person, day)
        command = core.plan_command(person, proposal)
        if command:
            lines.append(f"{command}  # {_one_line(person.name)}: {proposal.reason}")
        else:
            lines.append(f"# {person.slug}: nothing to propose  # {_one_line(person.name)}")
    for line in lines:
        click.echo(line)
    click.echo(f"# {len(people)} {'person' if len(people) == 1 else 'people'} to triage")


def _one_line(text: str) -> str:
    """A name inside a `#` comment of the plan: one line, no control characters,
    so a name cannot end the comment and run as a command."""
    return terminal_text(" ".join(text.split()))


def _interactive(repo: Repo, people: list[Person], state: core.State, day: dt.date) -> None:
    decided = skipped = 0
    total = len(people)
    for position, person in enumerate(people, 1):
        proposal = core.propose(person, day)
        click.echo("")
        for line in _card(person, position, total, proposal):
            click.echo(terminal_text(line))
        outcome = _ask(person, proposal)
        if outcome == "quit":
            break
        if outcome == "skipped":
            skipped += 1
        else:
            decided += 1
        state.mark(person.slug, outcome)
    left = total - decided - skipped
    click.echo("")
    click.echo(f"triage: {decided} decided, {skipped} skipped, {left} left" + (" (run `kith triage` to go on)" if left else ""))


def _ask(person: Person, proposal: core.Proposal) -> str:
    """Ask about one person until both keys are settled; "done", "skipped" or "quit"."""
    current: Person | None = person
    no_cadence = False
    while True:
        assert current is not None
        missing = [k for k in core.needs_triage(current) if not (k == "cadence" and no_cadence)]
        if not missing:
            return "done"
        key = missing[0]
        if key == "circle":
            default = proposal.circle or "acquaintance"
            click.echo(f"  circle? {core.circle_help()}  Enter {default}  s skip  e edit  q quit ", nl=False)
            choices = core.CIRCLE_KEYS
        else:
            basis = current.circle or proposal.circle or "acquaintance"
            default_cadence = core.PROPOSED_CADENCE.get(basis)
            default = default_cadence or "none"
            click.echo(f"  cadence? {core.cadence_help()}  Enter {default}  s skip  e edit  q quit ", nl=False)
            choices = core.CADENCE_KEYS
        try:
            char = click.getchar()
        except (KeyboardInterrupt, EOFError):
            click.echo("")
            return "quit"
        click.echo(char if char.isprintable() else "")
        char = char.lower()
        if char in ("q", "\x03", "\x04"):
            return "quit"
        if char == "s":
            return "skipped"
        if char == "e":
            click.edit(filename=str(current.path))
            current = _reload(current)
            if current is None:
                click.echo(f"  {person.relpath} cannot be read now: skipped (run `kith validate`)")
                return "skipped"
            continue
        if char in ("\r", "\n"):
            value = default if key == "circle" else default_cadence
        elif char in choices:
            value = choices[char]
        else:
            click.echo("  ? that key means nothing here")
            continue
        if value is None:  # cadence: none
            no_cadence = True
            click.echo("  cadence: none")
            continue
        error = _save(current, key, value)
        if error:
            click.echo(error, err=True)
            return "skipped"
        click.echo(f"  {key}: {value}")
        current = _reload(current)
        if current is None:
            return "done"
