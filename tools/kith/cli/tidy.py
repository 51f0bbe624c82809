"""`kith dupes`, `kith merge`, `kith done`, `kith snooze` and `kith set`:
tidying a network from the terminal. Every write goes through `kith.write`."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from .. import merge_people, tidy
from ..dupes import find_pairs
from ..fields import did_you_mean
from ..git import GitError, remove_file
from ..errors import KithError, Refused
from ..load import parse_person, relpath
from ..model import CIRCLES, Finding, Person
from ..write import Change, Document, DocumentError, WriteError, apply, apply_all, diff_all
from . import main
from .common import Repo, format_option, open_repo, print_json, resolve_today, root_option, terminal_text, today_option
from .completion import complete_slug
from .edit import DRY_RUN_HELP, _find_person, _reason, _write


class _Sources(dict):
    """Each file's bytes, read when first asked for (a merge reads only the
    two people and those who refer to the one merged away)."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root

    def __missing__(self, rel: str) -> bytes:
        data = (self.root / rel).read_bytes()
        self[rel] = data
        return data


def _person(repo: Repo, slug: str) -> Person:
    """The loaded person for SLUG (`ada` or `people/ada.md`), or exit 1."""
    path = _find_person(repo, slug)
    network = repo.network()
    person = network.get(path.stem)
    if person is None or person.path.resolve() != path.resolve():
        rel = relpath(path, repo.root)
        raise KithError(f"{rel} cannot be read as a contact; run `kith validate {rel}`", path=rel, line=1, code="write-refused")
    return person


def _document(person: Person) -> tuple[bytes, Document]:
    raw = person.path.read_bytes()
    try:
        return raw, Document.from_bytes(raw)
    except DocumentError as exc:
        raise KithError(f"{exc.message}", path=person.relpath, line=exc.line, code="write-refused")


def _keep_first(pair) -> tuple[Person, Person]:
    """Which of a pair to keep: the one with more written about them (log,
    tasks, keys, notes); on a tie, the slug that sorts first."""

    def weight(p: Person) -> tuple[int, int, int]:
        return (len(p.log) + len(p.tasks), len(p.meta), len(p.notes))

    return (pair.b, pair.a) if weight(pair.b) > weight(pair.a) else (pair.a, pair.b)


# -- kith dupes ----------------------------------------------------------------


@main.command()
@click.option(
    "--region",
    default=None,
    metavar="XX",
    help="Country (ISO 3166, like GB) for phone numbers written without +country. "
    "Default: the plugin's `default_region`.",
)
@root_option
@format_option
def dupes(region: str | None, root: str | None, fmt: str) -> None:
    """People who may be one person twice, with the reasons.

    Pairs come best first.

    A pair is listed for the same email, phone number (compared in E.164) or
    LinkedIn profile; the same name (accents, case and spacing ignored,
    `aka` included); a nickname of the same name (Bob and Robert Smith,
    from a curated list of English nicknames); or similar names at the same
    organisation. Each pair ends with the `kith merge` that would join them,
    keeping the one with more written about them. Two people with a
    relationship between them are never listed. Exits 0 either way.
    """
    from .edit import _region

    repo = open_repo(root)
    network = repo.network()
    pairs = find_pairs(network, _region(region, repo.settings.default_region))
    if fmt == "json":
        rows = []
        for pair in pairs:
            row = pair.as_dict()
            keep, other = _keep_first(pair)
            row["merge"] = f"kith merge {keep.slug} {other.slug}"
            rows.append(row)
        print_json(rows)
        return
    for pair in pairs:
        keep, other = _keep_first(pair)
        click.echo(f"{pair.a.relpath} ~ {pair.b.relpath} (score {pair.score})")
        click.echo(terminal_text(f"  {pair.a.name} / {pair.b.name}"))
        for reason in pair.reasons:
            click.echo(terminal_text(f"  {reason.describe()}"))
        click.echo(f"  kith merge {keep.slug} {other.slug}")
    count = len(pairs)
    click.echo(f"{count} possible duplicate{'' if count == 1 else 's'}" if count else "no possible duplicates")


# -- kith merge ----------------------------------------------------------------


@main.command()
@click.argument("keep", shell_complete=complete_slug)
@click.argument("other", shell_complete=complete_slug)
@click.option(
    "--prefer",
    type=click.Choice(["keep", "other"]),
    default="keep",
    show_default=True,
    help="Whose value wins where both files hold one differently.",
)
@click.option("--dry-run", is_flag=True, help="Print the whole change as a unified diff (OTHER's file removed too); write nothing.")
@today_option
@root_option
def merge(keep: str, other: str, prefer: str, dry_run: bool, today: dt.datetime | None, root: str | None) -> None:
    """Make one person of KEEP and OTHER, in KEEP's file.

    OTHER is merged into KEEP's file and its own file removed.

    Lists (emails, phones, tags, aka, ...) are united and OTHER's name joins
    KEEP's `aka`. A value both hold differently is a conflict: KEEP's wins
    (OTHER's with --prefer other), the other is written into KEEP's notes
    and reported. OTHER's notes go after KEEP's notes, its log entries into
    KEEP's log in date order, its private sections stay private. Every
    `with: OTHER`, `via: OTHER` and `[[OTHER]]` in the network and the
    journal becomes KEEP.
    OTHER's file is removed with `git rm` when git tracks it. All files are
    written or none: a failure half way puts back those already written.
    """
    repo = open_repo(root)
    day = resolve_today(repo, today)
    keep_person, other_person = _person(repo, keep), _person(repo, other)
    network = repo.network()
    try:
        planned = merge_people.plan(
            network,
            _Sources(repo.root),
            keep_person.slug,
            other_person.slug,
            prefer == "other",
            day,
            repo.settings.default_region,
            repo.settings.journal_dir,
        )
    except merge_people.MergeRefused as exc:
        raise KithError(f"not merged: {exc.message}", path=exc.path or keep_person.relpath, line=exc.line, code="merge-refused")
    for conflict in planned.conflicts:
        click.echo(
            terminal_text(
                f"{keep_person.relpath}:{conflict.line}: warning: {conflict.key}: kept `{conflict.kept}`, "
                f"`{conflict.dropped}` from {other_person.relpath} went into the notes [merge-conflict]"
            ),
            err=True,
        )
    if dry_run:
        click.echo(diff_all(planned.changes), nl=False)
        return
    removed_with = []

    def remove(path: Path) -> None:
        remove_file(path, repo.root)
        removed_with.append(path)

    try:
        apply_all(planned.changes, remove=remove)
    except (WriteError, OSError, GitError) as exc:
        raise KithError(f"not merged, every file left as it was: {_reason(exc)}", path=keep_person.relpath, line=0, code="write-failed")
    click.echo(terminal_text(f"{keep_person.relpath}: {', '.join(planned.done) or 'nothing to add'}"))
    for change in planned.changes[1:]:
        click.echo(f"{change.name}: {'; '.join(change.summary)}")


# -- kith done -----------------------------------------------------------------


def _is_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


@main.command()
@click.argument("slug", shell_complete=complete_slug)
@click.argument("text", required=False)
@click.option("--dry-run", is_flag=True, help=DRY_RUN_HELP)
@today_option
@root_option
def done(slug: str, text: str | None, dry_run: bool, today: dt.datetime | None, root: str | None) -> None:
    """Tick an open task of SLUG, with the day it was done.

    `- [ ] 2026-12-01 send the deck` becomes
    `- [x] 2026-12-01 send the deck (done 2026-12-03)`.

    TEXT picks the task: its words or its due day (case and accents
    ignored); a task whose text is exactly TEXT wins over partial matches.
    Without TEXT a person's only open task is ticked. When several match,
    kith asks which on a terminal; elsewhere it lists them and exits 1.
    """
    repo = open_repo(root)
    day = resolve_today(repo, today)
    person = _person(repo, slug)
    # The file as it is now, not as the (maybe cached) network read it: the
    # line ticked must be the line the task is on.
    raw, doc = _document(person)
    fresh = parse_person(raw, person.path, person.relpath).person
    if fresh is None:
        raise KithError(f"{person.relpath} cannot be read as a contact; run `kith validate`", path=person.relpath, line=1, code="write-refused")
    person = fresh
    tasks = tidy.matching_tasks(person, text)
    if not tasks:
        what = f" matching `{text}`" if text else ""
        hint = "" if person.open_tasks else "; add one with `kith log SLUG --task TEXT`"
        raise KithError(f"{person.name} has no open task{what}{hint}", path=person.relpath, line=1, code="task-not-found")
    task = tasks[0]
    if len(tasks) > 1:
        if not _is_terminal():
            raise KithError(
                f"{len(tasks)} open tasks match; say which with more of its words",
                path=person.relpath,
                line=tasks[0].line,
                code="task-ambiguous",
                notes=[terminal_text(f"{person.relpath}:{t.line}: note: - [ ] {tidy.task_label(t)}") for t in tasks],
            )
        for number, candidate in enumerate(tasks, 1):
            click.echo(terminal_text(f"{number}) {tidy.task_label(candidate)}"))
        choice = click.prompt("Which task is done?", type=click.IntRange(1, len(tasks)))
        task = tasks[choice - 1]
    try:
        line = tidy.tick(doc, task, day)
    except WriteError as exc:
        raise KithError(f"{exc}", path=person.relpath, line=task.line, code="write-refused")
    change = Change(person.path, raw, doc.to_bytes(), [line], root=repo.root)
    if dry_run:
        click.echo(apply([change], dry_run=True), nl=False)
        return
    _write(change)
    click.echo(terminal_text(f"{person.relpath}:{task.line}: {line}"))


# -- kith snooze ---------------------------------------------------------------


@main.command()
@click.argument("slug", shell_complete=complete_slug)
@click.argument("until")
@click.option("--dry-run", is_flag=True, help=DRY_RUN_HELP)
@today_option
@root_option
def snooze(slug: str, until: str, dry_run: bool, today: dt.datetime | None, root: str | None) -> None:
    """No reminders about SLUG before UNTIL.

    Sets `snooze:` in their file. UNTIL is a day (2027-01-15) or a span from today: 10d, 2w, 3m, 1y.
    `off` removes the snooze. Open tasks and birthdays keep their day: a snooze quiets
    keeping in touch, met and intro reminders.
    """
    repo = open_repo(root)
    day = resolve_today(repo, today)
    try:
        until_day = tidy.parse_until(until, day)
    except tidy.TidyError as exc:
        raise click.BadParameter(str(exc), param_hint="UNTIL") from None
    person = _person(repo, slug)
    raw, doc = _document(person)
    try:
        if until_day is None:
            changed = doc.remove_in(("snooze",))
            said = "snooze: off"
        else:
            changed = doc.set("snooze", until_day)
            said = f"snooze: {until_day.isoformat()} (no reminders before then)"
    except WriteError as exc:
        raise KithError(f"not written: {exc}", path=person.relpath, line=person.line_of('snooze'), code="write-refused")
    if not changed:
        click.echo(f"{person.relpath}: already {said.split(' (')[0]}")
        return
    change = Change(person.path, raw, doc.to_bytes(), [said], root=repo.root)
    if dry_run:
        click.echo(apply([change], dry_run=True), nl=False)
        return
    _write(change)
    click.echo(f"{person.relpath}: {said}")


# -- kith set ------------------------------------------------------------------


@main.command(name="set")
@click.argument("items", nargs=-1, required=True, metavar="KEY=VALUE... [SLUG]...", shell_complete=complete_slug)
@click.option("--tag", default=None, help="Only people with this tag (any case, accents ignored).")
@click.option("--company", default=None, help="Only people at this organisation (any case, accents ignored).")
@click.option("--circle", type=click.Choice(CIRCLES), default=None, help="Only people in this circle.")
@click.option("--no", "no", multiple=True, metavar="KEY", help="Only people without KEY (circle, cadence, met.date...); repeat for more.")
@click.option("--dry-run", is_flag=True, help=DRY_RUN_HELP)
@root_option
def set_command(
    items: tuple[str, ...],
    tag: str | None,
    company: str | None,
    circle: str | None,
    no: tuple[str, ...],
    dry_run: bool,
    root: str | None,
) -> None:
    """Set front-matter values on several people at once.

    \b
    kith set circle=friend cadence=3m ada-lovelace grace-hopper
    kith set cadence=1y --circle acquaintance --no cadence
    kith set tags+=pycon --company "Analytical Engines"
    kith set met.where="PyCon US" links.web=https://example.org ada-lovelace
    kith set snooze= ada-lovelace              (an empty value removes the key)

    `KEY+=A,B` adds to a list and `KEY-=A` takes out of one; `KEY=A,B` on a
    list key replaces the list. Values are checked with the rules of
    `kith validate` before any file is touched. The people are the SLUGs
    given, else everyone, narrowed by every option given; at least one SLUG
    or option is required. All files are written or none.
    """
    assignments: list[tidy.Assignment] = []
    slugs: list[str] = []
    for item in items:
        if tidy.ASSIGNMENT.match(item) and not item.endswith(".md"):
            try:
                assignments.append(tidy.parse_assignment(item))
            except tidy.TidyError as exc:
                raise click.BadParameter(str(exc), param_hint="KEY=VALUE") from None
        else:
            slugs.append(Path(item).stem if item.endswith(".md") else item)
    if not assignments:
        raise click.UsageError("give at least one KEY=VALUE")
    if not slugs and not (tag or company or circle or no):
        raise click.UsageError("say who: SLUGs, or --tag, --company, --circle or --no")
    try:
        tidy.check_assignments(assignments)
    except tidy.TidyError as exc:
        raise click.BadParameter(str(exc), param_hint="KEY=VALUE") from None
    repo = open_repo(root)
    network = repo.network()
    for assignment in assignments:
        # The one rule that needs the network: `met.via` must name someone.
        if assignment.path == ("met", "via") and assignment.value is not None:
            via = assignment.value.strip("[] ")
            if via not in network.people:
                hint = did_you_mean(via, sorted(network.people))
                raise click.BadParameter(f"met.via `{via}` names nobody: there is no {via}.md under people/{hint} [unknown-slug]", param_hint="KEY=VALUE")
    try:
        people = tidy.select(network, slugs, tag, company, circle, list(no))
    except tidy.TidyError as exc:
        raise KithError(str(exc)) from None
    if not people:
        raise KithError("nobody matches; nothing changed")
    changes: list[Change] = []
    refused = []
    for person in people:
        raw, doc = _document(person)
        said = []
        try:
            for assignment in assignments:
                said.extend(tidy.apply_assignment(doc, assignment))
        except WriteError as exc:
            refused.append(
                Finding(person.relpath, person.line_of(assignments[0].path[0]), "error", "write-refused", f"not changed: {exc}")
            )
            continue
        if said:
            new = doc.to_bytes()
            before = {f for f in parse_person(raw, person.path, person.relpath).findings if f.severity == "error"}
            after = parse_person(new, person.path, person.relpath).findings
            worse = [f for f in after if f.severity == "error" and f not in before]
            if worse:
                refused.extend(worse)
                continue
            changes.append(Change(person.path, raw, new, said, root=repo.root))
    if refused:
        raise Refused(refused, "nothing written: fix the files above, or leave them out")
    if dry_run:
        click.echo(diff_all(changes), nl=False)
        return
    try:
        apply_all(changes)
    except (WriteError, OSError) as exc:
        raise KithError(f"nothing written: {_reason(exc)}", code="write-failed") from None
    for change in changes:
        click.echo(terminal_text(f"{change.name}: {', '.join(change.summary)}"))
    unchanged = len(people) - len(changes)
    click.echo(f"changed {len(changes)} {'person' if len(changes) == 1 else 'people'}" + (f", {unchanged} already so" if unchanged else ""))
