"""`kith render`: the generated site written to a folder as Markdown files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ..render import SiteContext
from ..errors import KithError
from ..render.export import FORMATS, LINK_STYLES, MARKER, RenderError, outputs, plan, write
from ..render.templating import TemplateError, describe_error
from . import main
from .common import open_repo, resolve_today, root_option, today_option, unreadable, warn_unreadable
from .progress import progress


@main.command()
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="The folder to write to; created when missing. It must be new, empty, "
    f"or written by kith render before (it keeps a {MARKER} file).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="md",
    show_default=True,
    help="md: one Markdown file per page (YAML front matter, then HTML and Markdown); "
    "json: one JSON file per page, with the same parts as fields.",
)
@click.option(
    "--links",
    type=click.Choice(LINK_STYLES),
    default="md",
    show_default=True,
    help="md: links between pages point at the .md files (editors, git hosts); "
    "directory: at the site's directory URLs, people/ada/ (generators that publish x.md at x/).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Write into a non-empty folder kith render did not create (files of the same name are replaced; others are left alone).",
)
@click.option("--dry-run", is_flag=True, help="List what would be written and removed; write nothing.")
@today_option
@root_option
def render(
    out: Path,
    fmt: str,
    links: str,
    force: bool,
    dry_run: bool,
    today: dt.datetime | None,
    root: str | None,
) -> None:
    """Write every generated page and file of the site to a folder.

    The home page, the follow-ups, each person's page, the indexes and the
    network data, from the same code as the site: publish them with another
    static site generator, or read and grep them as plain text. Private
    people and `## Private` sections are left out, as on the site.

    Run again into the same folder to update it: files that are no longer
    generated (someone made private, say) are removed; nothing else is.
    """
    repo = open_repo(root)
    day = resolve_today(repo, today)
    network = repo.network()
    warn_unreadable(unreadable(network))
    ctx = SiteContext(network=network, settings=repo.settings, today=day)
    try:
        files = outputs(ctx, fmt, links)
        the_plan = plan(
            out,
            files,
            force=force,
            keep_out=(repo.people_dir, repo.root / "docs"),
            keep_above=(repo.root,),
        )
    except RenderError as exc:
        raise click.UsageError(str(exc)) from None
    pages = sum(1 for f in files if f.kind == "page")
    if dry_run:
        for item in files:
            click.echo(f"would write {_shown(out, item.path)}")
        for relpath in the_plan.stale:
            click.echo(f"would remove {_shown(out, relpath)}")
        click.echo(
            f"{pages} pages and {len(files) - pages} other files would be written to {out}"
            + (f"; {len(the_plan.stale)} old files removed" if the_plan.stale else "")
            + " (dry run: nothing written)"
        )
        return
    try:
        result = write(the_plan, lambda items: progress(items, "Rendering"))
    except TemplateError as exc:
        raise RenderError(f"template {describe_error(exc)}") from None
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        raise KithError(f"cannot write{where}: {exc.strerror or exc}", code="write-failed") from None
    summary = f"{pages} pages and {len(files) - pages} other files in {out}: {result.written} written, {result.unchanged} unchanged"
    if result.removed:
        summary += f", {result.removed} old files removed"
    click.echo(summary)


def _shown(out: Path, relpath: str) -> str:
    return (out / relpath).as_posix()


