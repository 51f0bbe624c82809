"""`kith import FORMAT FILE` and `kith export vcard`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ..errors import KithError

from ..importers import ImportRefused, read
from ..importers.changes import to_changes
from ..importers.merge import plan as merge_plan
from ..importers.sniff import FORMATS, sniff
from ..vcard_export import to_vcf
from ..write import WriteError, apply
from . import main
from .progress import progress
from .capture import CAPTURE_FORMATS, run_calendar, run_mail
from .common import format_option, open_repo, print_json, root_option, terminal_text, today_option, write_out
from .export import export


@main.command("import")
@click.argument("kind", metavar="FORMAT", type=click.Choice(["auto", *FORMATS, *CAPTURE_FORMATS]))
@click.argument("file", metavar="FILE", type=click.Path(exists=True))
@click.option("--dry-run", is_flag=True, help="Show what would be created and changed, and the diff; write nothing.")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="calendar, mail: only events and messages on or after this day (YYYY-MM-DD).",
)
@click.option("--with-notes", is_flag=True, help="calendar: copy each event's description into the entry too.")
@click.option("--unknown", is_flag=True, help="mail: write nothing; list the addresses you wrote to most that match nobody.")
@click.option("--me", "me", multiple=True, metavar="ADDRESS", help="calendar, mail: one of your own addresses (adds to `me` in mkdocs.yml); repeat for more.")
@click.option("--kind", "entry_kind", default=None, help="calendar, mail: the kind of the entries (default: meeting_kind / email_kind, meeting and email).")
@click.option("--tz", "tz_name", default=None, metavar="ZONE", help="calendar, mail: the time zone whose dates are logged, like Europe/Berlin. Default: this machine's.")
@click.option("--max-recipients", type=click.IntRange(1), default=10, show_default=True, help="mail: skip messages with more recipients than this.")
@click.option("--top", type=click.IntRange(0), default=30, show_default=True, help="mail --unknown: how many addresses to list (0: all).")
@today_option
@root_option
@format_option
def import_(
    kind: str,
    file: str,
    dry_run: bool,
    since: dt.datetime | None,
    with_notes: bool,
    unknown: bool,
    me: tuple[str, ...],
    entry_kind: str | None,
    tz_name: str | None,
    max_recipients: int,
    top: int,
    today: dt.datetime | None,
    root: str | None,
    fmt: str,
) -> None:
    """Bring contacts in from an export FILE, or log entries from a calendar or a mailbox.

    FORMAT is linkedin (Connections.csv), vcard (.vcf, versions 2.1, 3.0
    and 4.0), google (Google Contacts CSV), outlook (Outlook CSV),
    thunderbird (Thunderbird's address book CSV), or auto to tell it from
    the file. A contact who is already in people/ (same email, LinkedIn
    profile, or name and company) only gains what their file lacks;
    nothing you wrote is overwritten, and differences are reported. Everyone
    else gets a new file. Whatever is not imported (a card or row that
    cannot be read, a value kith has no field for, an organisation's card)
    is reported with its line.

    calendar (an .ics file, or a folder of them): each past event with a
    person among its organiser and attendees becomes `- DATE meeting:
    SUMMARY` in their log. mail (an mbox file or a Maildir folder): a day's
    messages between you and a person become one `- DATE email: SUBJECT
    (sent)` entry. Both add only what is not in the logs yet, so running
    them again changes nothing. See docs/reference/capture.md.
    """
    repo = open_repo(root)
    path = Path(file)
    day_since = since.date() if since else None
    if kind == "calendar":
        run_calendar(repo, path, file, day_since, dry_run, with_notes, me, entry_kind, tz_name, today, fmt)
        return
    if kind == "mail":
        if with_notes:
            raise click.UsageError("--with-notes is for calendar imports")
        run_mail(repo, path, file, day_since, dry_run, unknown, me, entry_kind, tz_name, max_recipients, top, today, fmt)
        return
    extra = [name for name, given in (("--since", since), ("--with-notes", with_notes), ("--unknown", unknown), ("--me", me), ("--kind", entry_kind), ("--tz", tz_name), ("--today", today)) if given]
    if extra:
        raise click.UsageError(f"{', '.join(extra)}: only for calendar and mail imports")
    if path.is_dir():
        raise click.UsageError(f"{file} is a folder; a contact export is one file")
    shown = file
    chosen = kind
    if kind == "auto":
        chosen = sniff(path) or ""
        if not chosen:
            raise click.UsageError(
                f"cannot tell what kind of export {file} is; name the format: "
                f"kith import {{{','.join(FORMATS)}}} {file}"
            )
    try:
        parsed = read(chosen, path)
    except ImportRefused as exc:
        raise exc.at(shown) from None
    except OSError as exc:
        raise KithError(f"cannot read: {exc.strerror}", path=shown, code="unreadable") from None
    network = repo.network()
    planned = merge_plan(network, parsed.cards, repo.settings.people_dir, repo.settings.default_region)
    changes, failed = to_changes(planned, repo.root)
    problems = sorted(parsed.problems + planned.problems, key=lambda p: p.line)
    failed_slugs = {entry.slug for entry, _ in failed}
    created = planned.created
    updated = [e for e in planned.updated if e.slug not in failed_slugs]
    unchanged = planned.unchanged
    skipped = parsed.skipped + planned.skipped
    diff = ""
    write_error = None
    try:
        diff = apply(changes if dry_run else progress(changes, "Writing"), dry_run)
    except (WriteError, OSError) as exc:
        write_error = str(exc)
    if fmt == "json":
        print_json(
            {
                "format": chosen,
                "dry_run": dry_run,
                "created": [e.relpath for e in created],
                "updated": {e.relpath: [x.label for x in e.edits] for e in updated},
                "unchanged": [e.relpath for e in unchanged],
                "skipped": skipped,
                "photos_skipped": parsed.photos_skipped,
                "problems": [
                    {"line": p.line, "severity": p.severity, "code": p.code, "message": p.message}
                    for p in problems
                ],
                "failed": {e.relpath: why for e, why in failed},
                "diff": diff if dry_run else None,
            }
        )
    else:
        for problem in problems:
            click.echo(terminal_text(problem.format(shown)))
        create, update = ("would create", "would update") if dry_run else ("created", "updated")
        for entry in created:
            click.echo(terminal_text(f"{create} {entry.relpath} ({entry.name})"))
        for entry in updated:
            click.echo(terminal_text(f"{update} {entry.relpath}: {', '.join(x.label for x in entry.edits)}"))
        for entry, why in failed:
            click.echo(f"{entry.relpath}:0: error: not updated: {why} [write-failed]")
        if dry_run and diff:
            click.echo(diff, nl=False)
        summary = (
            f"created {len(created)}, updated {len(updated)}, unchanged {len(unchanged)}, "
            f"skipped {skipped} (photos skipped: {parsed.photos_skipped})"
        )
        click.echo(("dry run, nothing written: " if dry_run else "") + summary)
    if write_error:
        raise KithError(write_error, code="write-failed")
    if failed or any(p.severity == "error" for p in problems):
        raise SystemExit(1)  # each failure is reported above, with its file and line


@export.command("vcard")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write the cards to this file (replaced atomically). Default: standard output.",
)
@click.option(
    "--version",
    "version",
    type=click.Choice(["4.0", "3.0"]),
    default="4.0",
    show_default=True,
    help="vCard version: 4.0 (RFC 6350), or 3.0 for older phones and Apple Contacts.",
)
@click.option(
    "--notes",
    is_flag=True,
    help="Also export each person's notes as NOTE (never the log or a `## Private` section).",
)
@root_option
def vcard(out: str | None, version: str, notes: bool, root: str | None) -> None:
    """Everyone who is not private, as vCards a phone can import.

    Names, nicknames, emails, phones, company, title, location (as the city
    of an address), birthday, links (each under its key), tags and, with
    --notes, notes. Each card carries a UID made from the person's slug, so
    importing the file back into kith matches each card to its person and
    changes nothing.
    """
    repo = open_repo(root)
    withheld: list[str] = []
    data = to_vcf(repo.network(), version, notes=notes, withheld=withheld)
    for relpath in withheld:
        click.echo(
            f"{relpath}:0: warning: notes not exported: they hold a `Private` heading kith cannot "
            "place for certain (fix it with `kith validate`) [notes-withheld]",
            err=True,
        )
    if out:
        write_out(out, data.encode("utf-8"))
    else:
        click.echo(data, nl=False)
