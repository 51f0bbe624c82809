"""`kith new`, `kith log` and `kith enrich`: the commands that write contact
files. Every write goes through `kith.write` (atomic, comment-keeping)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import KithError, Refused
from ..repository import relpath
from ..write import Change, Document, DocumentError, WriteError, apply, write_lock
from . import main
from .common import Repo, open_repo, resolve_today, root_option, today_option
from .completion import complete_slug
from .progress import progress

if TYPE_CHECKING:
    from ..index import Index

# `kith log` is typed many times a day: what only `new`, `enrich` or a
# journal entry needs (the validator, phone numbers, git, templates, the
# journal's reader) is imported by them.

DRY_RUN_HELP = "Print what would change as a unified diff; write nothing."


def _contact_names(repo: Repo) -> list[str]:
    """Every contact file (`repo.root / name` is its path), in the loader's
    order. The index (kith.index) knows them; only the folders are looked
    at, and no Path is made for the 30,000 that are not the one asked for."""

    def from_files() -> list[str]:
        from ..load import contact_files

        return [str(path) for path in contact_files(repo.people_dir)] if repo.people_dir.is_dir() else []

    def from_index(index: Index) -> list[str]:
        return index.listing() if repo.people_dir.is_dir() else []

    return repo.answer(from_index, from_files, fresh=False)


def _stem(name: str) -> str:
    return os.path.basename(name)[: -len(".md")]


def _files_by_slug(repo: Repo) -> dict[str, Path]:
    """Slug -> file, the first in path order winning, as the loader does."""
    found: dict[str, Path] = {}
    for name in _contact_names(repo):
        found.setdefault(_stem(name), repo.root / name)
    return found


def _write(change: Change) -> None:
    try:
        apply([change], dry_run=False)
    except (WriteError, OSError) as exc:
        raise KithError(f"not written: {_reason(exc)}", path=change.name, line=0, code="write-failed")


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)


# -- kith new ----------------------------------------------------------------


@main.command()
@click.argument("name")
@click.option("--company", default=None, help="Their organisation (`company:`).")
@click.option("--tag", "tags", multiple=True, help="A tag (`tags:`); repeat for more.")
@click.option("--met-at", "met_at", default=None, help="Where you met (`met.where:`).")
@click.option("--slug", default=None, help="The file name to use instead of the slug of NAME (lower-case-kebab).")
@click.option("--dry-run", is_flag=True, help=DRY_RUN_HELP)
@today_option
@root_option
def new(
    name: str,
    company: str | None,
    tags: tuple[str, ...],
    met_at: str | None,
    slug: str | None,
    dry_run: bool,
    today: dt.datetime | None,
    root: str | None,
) -> None:
    """Create people/<slug>.md for NAME and print its path.

    The file has NAME, the keys given, `met.date` set to today and an empty
    `## Log`. Open it straight away with `$EDITOR $(kith new "Ada Lovelace")`.
    """
    from ..load import parse_person
    from ..template import new_contact
    from ..text import is_slug, slugify, unique_slug

    repo = open_repo(root)
    day = resolve_today(repo, today)
    if not name.strip():
        raise click.UsageError("NAME is empty: give the person's full name")
    if slug is not None and not is_slug(slug):
        raise click.UsageError(f"--slug {slug!r} is not a slug: use lower-case letters, digits and -, like {slugify(slug) or 'ada-lovelace'}")
    chosen = slug or slugify(name)
    if not chosen:
        raise click.UsageError(f"cannot make a file name from {name!r}: choose one with --slug")
    existing = _files_by_slug(repo)
    if chosen in existing:
        taken = relpath(existing[chosen], repo.root)
        other = unique_slug(chosen, set(existing))
        raise KithError(
            f"{taken} already exists; if this is someone else, choose another file name with --slug {other}",
            path=taken,
            line=1,
            code="slug-taken",
        )
    path = repo.people_dir / f"{chosen}.md"
    data = new_contact(name, day, company=company, tags=tags, met_where=met_at).encode("utf-8")
    findings = parse_person(data, path, relpath(path, repo.root)).findings
    if findings:
        # The template only holds what was given; a finding means a bad option value.
        raise Refused(findings)
    change = Change(path, None, data, ["created"], root=repo.root)
    if dry_run:
        click.echo(apply([change], dry_run=True), nl=False)
        return
    repo.people_dir.mkdir(parents=True, exist_ok=True)
    _write(change)
    click.echo(change.name)


# -- kith log ----------------------------------------------------------------


@main.command(name="log")
@click.argument("args", metavar="SLUG... [ENTRY]", nargs=-1, required=True, shell_complete=complete_slug)
@click.option(
    "--date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day of the entry (YYYY-MM-DD). Default: today.",
)
@click.option("--task", default=None, help="Add an open task `- [ ] DUE TEXT` instead of a log entry.")
@click.option(
    "--due",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="When the --task falls due (YYYY-MM-DD). Default: today.",
)
@click.option("--dry-run", is_flag=True, help=DRY_RUN_HELP)
@click.option("--commit", is_flag=True, help='Then commit the file alone: git commit -m "log: Name (kind)".')
@today_option
@root_option
def log_command(
    args: tuple[str, ...],
    date: dt.datetime | None,
    task: str | None,
    due: dt.datetime | None,
    dry_run: bool,
    commit: bool,
    today: dt.datetime | None,
    root: str | None,
) -> None:
    """Add `- DATE kind: text` at the top of SLUG's `## Log`.

    ENTRY is `kind: text`, like `coffee: she needs an illustrator`; the kind
    is a free word (intro, ask, shared, ...). The rest of the file is left
    exactly as it was; a missing `## Log` is added at the end. With --task,
    adds `- [ ] DUE text` instead.

    With several SLUGs (`kith log ada grace "dinner: at Rosa's"`), the entry
    goes once into that day's journal note, journal/DATE.md (created when
    missing), naming each of them with [[slug]]: one line that counts as
    contact with everyone it names.
    """
    from ..body import DATED, KIND, TASK

    repo = open_repo(root)
    day = resolve_today(repo, today)
    if task is None:
        if len(args) < 2:
            raise click.UsageError('give either ENTRY ("kind: text") or --task TEXT')
        slugs, entry = list(args[:-1]), args[-1]
    else:
        slugs, entry = list(args), None
    if (entry is None) == (task is None):
        raise click.UsageError('give either ENTRY ("kind: text") or --task TEXT')
    if entry is not None and due is not None:
        raise click.UsageError("--due is for --task; a log entry's day is --date")
    if task is not None and date is not None:
        raise click.UsageError("--date is for log entries; a task's day is --due")
    text = (entry if entry is not None else task or "").strip()
    if not text:
        raise click.UsageError("the entry is empty")
    if "\n" in text or "\r" in text:
        raise click.UsageError("an entry is one line")
    if DATED.match(text) or (entry is not None and TASK.match(text)):
        raise click.UsageError("give the entry without a date or [ ]: use --date, or --task with --due")
    if len(dict.fromkeys(slugs)) > 1:
        if task is not None:
            raise click.UsageError("a task belongs to one person: give one SLUG with --task")
        _log_journal(repo, list(dict.fromkeys(slugs)), text, (date.date() if date else day), dry_run, commit)
        return
    slug = slugs[0]

    path = _find_person(repo, slug)
    rel = relpath(path, repo.root)
    if commit:
        from ..git import GitError, commit_file, toplevel
    if commit and not dry_run and toplevel(repo.root) is None:
        raise KithError(f"--commit: {repo.root} is not in a git repository; run `git init` there or leave out --commit")
    # Read, change and write under the lock, so that two `kith log` at once
    # both land: the second reads what the first wrote.
    try:
        with write_lock(path):
            old = path.read_bytes()
            try:
                doc = Document.from_bytes(old)
                if task is not None:
                    line = doc.add_task((due.date() if due else day), text)
                    kind = "task"
                else:
                    line = doc.add_log(date.date() if date else day, text)
                    kinded = KIND.match(text)
                    kind = kinded.group(1).lower() if kinded else ""
            except DocumentError as exc:
                raise exc.at(rel) from None
            change = Change(path, old, doc.to_bytes(), [line], root=repo.root)
            if dry_run:
                click.echo(apply([change], dry_run=True), nl=False)
                return
            _write(change)
    except DocumentError:
        raise
    except WriteError as exc:
        raise KithError(f"not written: {exc}", path=rel, line=0, code="write-failed") from None
    except OSError as exc:  # the file could not be read (permissions, a folder in its place)
        raise KithError(f"not written: {exc.strerror or exc}", path=rel, line=0, code="write-failed") from None
    click.echo(f"{rel}: {line}")
    if commit:
        from ..load import parse_person

        person = parse_person(change.new_bytes, path, rel).person
        name = person.name if person else path.stem
        message = f"log: {name} ({kind})" if kind else f"log: {name}"
        try:
            commit_file(path, message, repo.root)
        except GitError as exc:
            raise KithError(f"written, but git commit failed: {exc}", path=rel, line=0, code="git-failed")


def _log_journal(repo: Repo, slugs: list[str], text: str, day: dt.date, dry_run: bool, commit: bool) -> None:
    """One entry for several people: into the day's journal note."""
    from .. import journal
    from ..body import KIND
    from ..git import GitError, commit_file, toplevel

    settings = repo.settings
    if not settings.journal_dir:
        raise click.UsageError(
            "an entry with several people goes into the journal, which is off (journal_dir is empty "
            "in mkdocs.yml); log it for one person at a time, or set journal_dir"
        )
    kinded = KIND.match(text)
    if not kinded:
        raise click.UsageError(
            'give the entry a kind, like "dinner: at Rosa\'s": an entry in the journal counts as '
            "contact with the people it names only by its kind"
        )
    kind = kinded.group(1).lower()
    people = [_find_person(repo, slug) for slug in slugs]
    names = [p.stem for p in people]
    if kind not in settings.contact_kinds:
        click.echo(
            f"warning: `{kind}` is not one of the contact kinds ({', '.join(settings.contact_kinds)}), "
            "so this entry is contact with none of them; see contact_kinds in docs/reference/capture.md",
            err=True,
        )
    folder = repo.root / settings.journal_dir
    if commit and not dry_run and toplevel(repo.root) is None:
        raise KithError(f"--commit: {repo.root} is not in a git repository; run `git init` there or leave out --commit")
    line = journal.entry_line(text, names)
    try:
        if not dry_run:
            folder.mkdir(parents=True, exist_ok=True)
        existing = journal.notes_for_day(repo.root, settings.journal_dir, day)
        path = existing[0] if existing else folder / f"{day.isoformat()}.md"
        rel = relpath(path, repo.root)
        with write_lock(path) if folder.is_dir() else _no_lock():
            old = path.read_bytes() if path.exists() else None
            try:
                new = journal.add_entry(old, line, rel, path.stem)
            except DocumentError as exc:
                raise exc.at(rel) from None
            change = Change(path, old, new, [line], root=repo.root)
            if dry_run:
                click.echo(apply([change], dry_run=True), nl=False)
                return
            _write(change)
    except DocumentError:
        raise
    except WriteError as exc:
        raise KithError(f"not written: {exc}", path=f"{settings.journal_dir}/", code="write-failed") from None
    except OSError as exc:  # the folder could not be made, or the note read
        raise KithError(f"not written: {exc.strerror or exc}", path=f"{settings.journal_dir}/", code="write-failed") from None
    click.echo(f"{rel}: {line}")
    if commit:
        try:
            commit_file(path, f"log: {kind} with {', '.join(names)}", repo.root)
        except GitError as exc:
            raise KithError(f"written, but git commit failed: {exc}", path=rel, line=0, code="git-failed")


@contextlib.contextmanager
def _no_lock():
    yield


def _find_person(repo: Repo, given: str) -> Path:
    slug = Path(given).stem if given.endswith(".md") else given
    names = _contact_names(repo)
    for name in names:  # the first of the slug, as the loader decides
        if _stem(name) == slug:
            return repo.root / name
    files = sorted({_stem(name) for name in names})
    from ..fields import did_you_mean

    hint = did_you_mean(slug, files)
    if not hint:
        # `kith log ada` for ada-lovelace: a prefix is how people abbreviate.
        starts = [s for s in files if s.startswith(slug)][:3]
        if starts:
            hint = "; did you mean " + " or ".join(f"`{s}`" for s in starts) + "?"
    raise KithError(f"no person `{slug}`: there is no {slug}.md under {repo.settings.people_dir}/{hint}", code="no-person")


# -- kith enrich -------------------------------------------------------------


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option(
    "--region",
    default=None,
    metavar="XX",
    help="Country (ISO 3166, like GB) for phone numbers written without +country. "
    "Default: the plugin's `default_region`.",
)
@click.option("--rename", is_flag=True, help="Rename files to the slug of `name` and rewrite every reference to them.")
@click.option("--dry-run", is_flag=True, help=DRY_RUN_HELP)
@root_option
def enrich(paths: tuple[str, ...], region: str | None, rename: bool, dry_run: bool, root: str | None) -> None:
    """Make contact files consistent, and say what changed.

    Adds the inverse of every relationship to the other person's file,
    writes phone numbers as E.164, lower-cases email domains, turns a single
    string into a list where a list belongs, and fills `met.date` from the
    day git added the file. With PATHS (files or folders), only those files
    are changed. A file with validation errors is left alone. Running it
    twice changes nothing the second time.
    """
    from .. import enrich as enrich_core
    from ..git import added_date, toplevel
    from ..model import Finding

    repo = open_repo(root)
    network = repo.network()
    chosen_region = _region(region, repo.settings.default_region)
    selected = _select(paths, repo, set(network.files))
    if selected is None:
        selected = set(network.files)
    sources = {p.relpath: p.path.read_bytes() for p in network.people.values()}
    added: dict[str, dt.date] = {}
    if toplevel(repo.root) is not None:
        for person in network.sorted_people():
            if person.relpath in selected and (person.met is None or person.met.date is None):
                day = added_date(person.path, repo.root)
                if day is not None:
                    added[person.relpath] = day
    options = enrich_core.Options(region=chosen_region, rename=rename, added=added, journal_dir=repo.settings.journal_dir)
    plan = enrich_core.plan(network, sources, options, selected)
    failed = any(f.severity == "error" for f in plan.findings)
    if dry_run:
        click.echo(apply(plan.changes, dry_run=True), nl=False)
    else:
        for change in progress(plan.changes, "Writing"):
            try:
                apply([change], dry_run=False)
            except (WriteError, OSError) as exc:
                plan.findings.append(Finding(change.name, 0, "error", "write-failed", f"not written: {_reason(exc)}"))
                failed = True
                continue
            click.echo(f"{change.name}: {'; '.join(change.summary)}")
    if not plan.changes:
        click.echo("nothing to change")
    for finding in plan.findings:
        click.echo(finding.format(), err=True)
    if failed:
        raise SystemExit(1)


def _region(given: str | None, configured: str | None) -> str | None:
    value = given or configured
    if value is None:
        return None
    import phonenumbers  # only when a region is given

    code = value.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        where = "--region" if given else "default_region in mkdocs.yml"
        raise click.UsageError(f"{where}: {value!r} is not a country code; use two letters like GB, US or DE")
    return code


def _select(paths: tuple[str, ...], repo: Repo, known: set[str]) -> set[str] | None:
    if not paths:
        return None
    wanted: set[str] = set()
    for given in paths:
        path = Path(given)
        rel = relpath(path, repo.root)
        if path.is_dir():
            prefix = "" if rel in (".", "") else rel.rstrip("/") + "/"
            wanted |= {f for f in known if f.startswith(prefix)}
        elif rel in known:
            wanted.add(rel)
        else:
            raise click.UsageError(f"{given}: not a contact file (contacts are *.md files under people/)")
    return wanted
