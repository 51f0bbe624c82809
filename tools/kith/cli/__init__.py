"""The `kith` command: Click commands only. Each parses its options, asks the
core for an answer and prints it; no rule lives here."""

from __future__ import annotations

import importlib
import os

import click

from .. import __version__

COMMANDS = {
    "validate": "validate",
    "due": "due",
    "export": "export",
    "suggest": "graph",
    "path": "graph",
    "import": "io",
    "new": "edit",
    "log": "edit",
    "enrich": "edit",
    "dupes": "tidy",
    "merge": "tidy",
    "done": "tidy",
    "snooze": "tidy",
    "set": "tidy",
    "triage": "triage",
    "render": "render",
    "find": "find",
    "show": "find",
    "schema": "find",
    "init": "init",
    "digest": "digest",
    "schedule": "schedule",
}
"""Each command, in the order of a user's day (how `kith --help` lists
them), and the module of kith.cli that defines it."""


class KithGroup(click.Group):
    """Imports a command's module only when that command is run: `kith find`
    then never imports what `kith import` or the site need, and starts
    sooner (what Python imports is a good part of a quick command's time).
    Reports click's own usage errors (an unknown option, a missing
    argument) in kith's one error style."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            importlib.import_module(f"{__name__}.{COMMANDS[cmd_name]}")
        return self.commands.get(cmd_name)

    def make_context(self, info_name, args, parent=None, **extra):  # noqa: ANN001 - click's signature
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as exc:
            raise _usage(exc) from None

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            # kith.errors (and the model it reports with) only when there is
            # an error to report: a quick command that answers never needs it.
            from .. import errors

            if isinstance(exc, errors.KithError):
                raise
            raise _usage(exc) from None


def _usage(exc: click.UsageError):  # -> errors.UsageError
    from .. import errors

    command = exc.ctx.command_path.partition(" ")[2] if exc.ctx is not None else None
    return errors.UsageError(exc.format_message(), command=command or None)


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
