"""The `kith` command: Click commands only. Each parses its options, asks the
core for an answer and prints it; no rule lives here."""

from __future__ import annotations

import os

import click

from .. import __version__
from .common import KithGroup


@click.group(cls=KithGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kith")
@click.option(
    "--root",
    type=click.Path(file_okay=False, exists=True),
    default=None,
    help="The kith repository (the folder holding people/). Default: found from the current folder upwards.",
)
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    help="No progress bars (they show only on a terminal, for long work).",
)
@click.pass_context
def main(ctx: click.Context, root: str | None, quiet: bool) -> None:
    """kith: a personal CRM built from plain text.

    Every contact is people/<slug>.md: YAML front matter and Markdown notes.
    These commands check, tend and query those files; `mkdocs serve` shows
    them as a site.
    """
    ctx.ensure_object(dict)
    if os.environ.get("NO_COLOR"):
        ctx.color = False  # https://no-color.org: no styles, terminal or not
    ctx.obj["root"] = root
    ctx.obj["quiet"] = quiet


# Commands register themselves on `main` when their module is imported.
from . import validate as _validate  # noqa: E402,F401
from . import due as _due  # noqa: E402,F401
from . import export as _export  # noqa: E402,F401
from . import graph as _graph  # noqa: E402,F401
from . import io as _io  # noqa: E402,F401
from . import edit as _edit  # noqa: E402,F401
from . import tidy as _tidy  # noqa: E402,F401
from . import triage as _triage  # noqa: E402,F401
from . import render as _render  # noqa: E402,F401
from . import find as _find  # noqa: E402,F401
from . import init as _init  # noqa: E402,F401
from . import digest as _digest  # noqa: E402,F401
from . import schedule as _schedule  # noqa: E402,F401
