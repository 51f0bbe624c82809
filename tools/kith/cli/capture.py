"""`kith import calendar` and `kith import mail`: entries for people's logs
from a calendar export or a mailbox (reached through `kith import`)."""

from __future__ import annotations

import datetime as dt
import re
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from ..errors import KithError

from ..importers.activity import ActivityPlan, plan_activities
from ..importers.calendar import read_calendars, zone
from ..importers.mail import MailResult, is_maildir, read_mail
from ..model import Network
from ..write import WriteError, apply, apply_many
from .common import Repo, print_json, resolve_today, terminal_text
from .progress import THRESHOLD, _is_tty, progress, quiet_requested

CAPTURE_FORMATS = ("calendar", "mail")


def email_index(network: Network, me: set[str]) -> tuple[dict[str, str], list[str]]:
    """Lower-cased address -> slug; and the addresses two people share
    (left out: kith cannot tell whose an entry would be)."""
    owners: dict[str, set[str]] = {}
    for person in network.people.values():
        for address in person.emails:
            key = address.strip().lower()
            if key and key not in me:
                owners.setdefault(key, set()).add(person.slug)
    shared = sorted(a for a, slugs in owners.items() if len(slugs) > 1)
    return {a: next(iter(s)) for a, s in owners.items() if len(s) == 1}, shared


def _me(repo: Repo, given: tuple[str, ...]) -> set[str]:
    return {x.strip().lower() for x in (*repo.settings.me, *given) if x.strip()}


def _tz(name: str | None):
    try:
        return zone(name)
    except Exception:  # noqa: BLE001 - ZoneInfoNotFoundError, ValueError on odd names
        raise click.UsageError(f"--tz {name!r} is not a time zone: use a name like Europe/Berlin") from None


def run_calendar(
    repo: Repo,
    path: Path,
    shown: str,
    since: dt.date | None,
    dry_run: bool,
    with_notes: bool,
    me: tuple[str, ...],
    kind: str | None,
    tz_name: str | None,
    today: dt.datetime | None,
    fmt: str,
) -> None:
    day = resolve_today(repo, today)
    tz = _tz(tz_name)
    mine = _me(repo, me)
    network = repo.network()
    emails, shared = email_index(network, mine)
    chosen_kind = _kind(kind or repo.settings.meeting_kind)
    result = read_calendars(
        path,
        emails,
        mine,
        chosen_kind,
        day,
        since=since,
        tz=tz,
        with_notes=with_notes,
        shown=shown,
        progress=lambda files: progress(files, "Reading calendars"),
    )
    plan = plan_activities(network, result.activities, repo.root)
    counts = {
        "files": result.files,
        "events": result.occurrences,
        "with_people": result.matched,
        "cancelled": result.cancelled,
        "declined": result.declined,
        "not_yours": result.not_yours,
    }
    summary = (
        f"{result.occurrences} past events in {result.files} file(s): {result.matched} with people you know; "
        f"skipped {result.cancelled} cancelled, {result.declined} declined"
        + (f", {result.not_yours} of others" if result.not_yours else "")
    )
    _finish(repo, plan, [p.format() for p in result.problems], counts, summary, dry_run, fmt, shared,
            any(p.severity == "error" for p in result.problems))


def run_mail(
    repo: Repo,
    path: Path,
    shown: str,
    since: dt.date | None,
    dry_run: bool,
    unknown: bool,
    me: tuple[str, ...],
    kind: str | None,
    tz_name: str | None,
    max_recipients: int,
    top: int,
    today: dt.datetime | None,
    fmt: str,
) -> None:
    day = resolve_today(repo, today)
    tz = _tz(tz_name)
    mine = _me(repo, me)
    if not mine:
        raise click.UsageError(
            "kith needs your own addresses to tell mail you sent from mail you received: "
            "set `me: [you@example.org]` in the kith plugin options of mkdocs.yml, or pass --me ADDRESS"
        )
    if path.is_dir() and not is_maildir(path):
        raise click.UsageError(f"{shown} is a folder but not a Maildir (no cur/ or new/ in it)")
    network = repo.network()
    emails, shared = email_index(network, mine)
    with _byte_bar(path) as on_bytes:
        result = read_mail(
            path,
            emails,
            mine,
            day,
            since=since,
            tz=tz,
            max_recipients=max_recipients,
            shown=shown,
            on_bytes=on_bytes,
            on_file=lambda files: progress(files, "Reading mail"),
        )
    if unknown:
        _print_unknown(result, top, fmt)
        return
    chosen_kind = _kind(kind or repo.settings.email_kind)
    plan = plan_activities(network, result.activities(chosen_kind), repo.root)
    counts = {
        "messages": result.messages,
        "with_people": result.counted,
        "mailing_lists": result.lists,
        "bulk_or_auto": result.bulk,
        "many_recipients": result.crowded,
        "outside_window": result.outside,
        "unrelated": result.unrelated,
        "malformed": result.malformed,
    }
    summary = (
        f"{result.messages} messages: {result.counted} between you and people you know; skipped "
        f"{result.lists} from mailing lists, {result.bulk} bulk or automatic, {result.crowded} with over "
        f"{max_recipients} recipients, {result.outside} outside the dates, {result.malformed} malformed"
    )
    problems = [p.format() for p in result.problems]
    if result.malformed > len(result.problems):
        problems.append(f"{shown}: ... and {result.malformed - len(result.problems)} more malformed messages")
    _finish(repo, plan, problems, counts, summary, dry_run, fmt, shared, False)


def _kind(kind: str) -> str:
    word = kind.strip().lower()
    if not re.fullmatch(r"[a-z][\w-]*", word):
        raise click.UsageError(f"--kind {kind!r}: a kind is one word, like meeting or email")
    return word


def _finish(
    repo: Repo,
    plan: ActivityPlan,
    problems: list[str],
    counts: dict,
    summary: str,
    dry_run: bool,
    fmt: str,
    shared: list[str],
    failed_input: bool,
) -> None:
    diff = ""
    write_error = None
    try:
        if dry_run:
            diff = apply(plan.changes, dry_run=True)
        else:
            with _bar(len(plan.changes), "Writing") as step:
                for change, why in apply_many(plan.changes, on_written=step):
                    plan.failed.append((change.name, 0, why, "write-failed"))
                    plan.added.pop(change.name, None)
    except (WriteError, OSError) as exc:
        write_error = getattr(exc, "strerror", None) or str(exc)
    if fmt == "json":
        print_json(
            {
                "dry_run": dry_run,
                "added": plan.added,
                "already_there": plan.present,
                "counts": counts,
                "problems": problems,
                "failed": [{"path": rel, "line": line, "code": code, "message": why} for rel, line, why, code in plan.failed],
                "shared_addresses": shared,
                "diff": diff if dry_run else None,
            }
        )
    else:
        for problem in problems:
            click.echo(terminal_text(problem))
        for address in shared:
            click.echo(f"warning: {address} is in several people's files; nothing is logged for it [email-shared]")
        verb = "would add" if dry_run else "added"
        for rel, lines in plan.added.items():
            click.echo(f"{rel}: {verb} {len(lines)} entr{'y' if len(lines) == 1 else 'ies'}")
            for line in lines:
                click.echo(f"  {terminal_text(line)}")
        for rel, line, why, code in plan.failed:
            click.echo(f"{rel}:{line}: error: not written: {terminal_text(why)} [{code}]")
        if dry_run and diff:
            click.echo(diff, nl=False)
        people = len(plan.added)
        tail = (
            f"{verb} {plan.count} entr{'y' if plan.count == 1 else 'ies'} for {people} "
            f"{'person' if people == 1 else 'people'} ({plan.present} already in the logs)"
        )
        click.echo(("dry run, nothing written: " if dry_run else "") + summary + "; " + tail)
    if write_error:
        raise KithError(write_error, code="write-failed")
    if plan.failed or failed_input:
        raise SystemExit(1)  # each failure is reported above, with its file and line


def _print_unknown(result: MailResult, top: int, fmt: str) -> None:
    ranked = result.unknown.most_common(top or None)
    rows = []
    for address, count in ranked:
        names = result.names.get(address)
        name = names.most_common(1)[0][0] if names else ""
        rows.append({"address": address, "messages": count, "name": name})
    if fmt == "json":
        print_json(rows)
        return
    if not rows:
        click.echo("Every address you wrote to belongs to someone in people/.")
        return
    for row in rows:
        hint = f'  kith new "{row["name"]}"' if row["name"] else ""
        click.echo(f"{row['messages']:>6}  {terminal_text(row['address'])}" + terminal_text(hint))
    total = len(result.unknown)
    if total == 1:
        click.echo("1 address you wrote to matches nobody")
    else:
        click.echo(f"{total} addresses you wrote to match nobody; the {len(rows)} you wrote to most are above")


@contextmanager
def _bar(length: int, label: str):
    """A bar over `length` steps, on a terminal, for long work; yields the step function."""
    if quiet_requested() or length <= THRESHOLD or not _is_tty(sys.stderr):
        yield lambda _item=None: None
        return
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        yield lambda _item=None: bar.update(1)


@contextmanager
def _byte_bar(path: Path):
    """A bar over the bytes of an mbox, on a terminal, for a large file."""
    size = path.stat().st_size if path.is_file() else 0
    if quiet_requested() or size < THRESHOLD * 64 * 1024 or not _is_tty(sys.stderr):
        yield None
        return
    with click.progressbar(length=size, label="Reading mail", file=sys.stderr) as bar:
        yield bar.update
