"""The CLI reference, generated from the Click commands themselves.

    python -m kith.clidoc > docs/reference/cli.md      (or: make docs)

Walks `kith.cli.main` and every group and subcommand under it (`kith export
ics`), and writes each command's usage, its help text, and every argument
and option with its help and default, exactly as `--help` knows them. The
page is checked in; tests/test_cli_reference.py fails when it falls behind
the code.
"""

from __future__ import annotations

import html
import inspect
import re
import sys
from collections.abc import Iterator

import click

HEADER = (
    "<!-- Generated from the Click commands by `python -m kith.clidoc` (run `make docs`). "
    "Do not edit by hand: the tests fail when this page and the code disagree. -->\n"
)


def walk(command: click.Command, ctx: click.Context) -> Iterator[tuple[click.Command, click.Context]]:
    """`command` and every visible subcommand below it, depth first, in the
    order the group lists them (the order `kith --help` shows)."""
    yield command, ctx
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is None or sub.hidden:
                continue
            yield from walk(sub, click.Context(sub, info_name=name, parent=ctx))


CODE_SPAN = re.compile(r"(`+)(.+?)\1")


def text(value: str) -> str:
    """Help text safe in Markdown: `<slug>` stays text, not an HTML tag.
    Code spans are left as they are (Markdown shows them literally)."""
    out, pos = [], 0
    for match in CODE_SPAN.finditer(value):
        out.append(html.escape(value[pos : match.start()], quote=False))
        out.append(match.group(0))
        pos = match.end()
    out.append(html.escape(value[pos:], quote=False))
    return "".join(out)


def help_markdown(help_text: str | None) -> str:
    """A command's help as Markdown paragraphs. Click's `\\b` marks a
    paragraph not to rewrap: it becomes a text block."""
    if not help_text:
        return ""
    cleaned = inspect.cleandoc(help_text.split("\f", 1)[0])
    out = []
    for para in cleaned.split("\n\n"):
        if para.startswith("\b"):
            body = para[1:].strip("\n")
            out.append("```text\n" + body + "\n```")
        else:
            out.append(text(" ".join(para.split())))
    return "\n\n".join(out)


def usage(command: click.Command, ctx: click.Context) -> str:
    return " ".join([ctx.command_path, *command.collect_usage_pieces(ctx)])


def argument_lines(command: click.Command, ctx: click.Context) -> list[str]:
    lines = []
    for param in command.params:
        if isinstance(param, click.Argument) and not getattr(param, "hidden", False):
            notes = ["required" if param.required else "optional"]
            if param.nargs == -1:
                notes.append("any number")
            elif param.nargs > 1:
                notes.append(f"{param.nargs} values")
            lines.append(f"- `{param.make_metavar(ctx)}` ({', '.join(notes)})")
    return lines


def option_lines(command: click.Command, ctx: click.Context) -> list[str]:
    """One line per option, from Click's own help record: names, metavar or
    choices, help, then `[default: ...; required]` where Click shows them."""
    lines = []
    for param in command.params:
        if not isinstance(param, click.Option) or param.hidden:
            continue
        record = param.get_help_record(ctx)
        if record is None:
            continue
        opts, help_text = record
        lines.append(f"- `{opts}`: {text(' '.join(help_text.split()))}" if help_text else f"- `{opts}`")
    return lines


def command_markdown(command: click.Command, ctx: click.Context) -> str:
    parts = [f"## {ctx.command_path}", "", "```text", usage(command, ctx), "```", ""]
    body = help_markdown(command.help)
    if body:
        parts += [body, ""]
    arguments = argument_lines(command, ctx)
    if arguments:
        parts += ["**Arguments**", "", *arguments, ""]
    options = option_lines(command, ctx)
    if options:
        parts += ["**Options**", "", *options, ""]
    if isinstance(command, click.Group):
        subs = [
            (name, command.get_command(ctx, name))
            for name in command.list_commands(ctx)
        ]
        rows = [
            f"- [`{ctx.command_path} {name}`](#{anchor(ctx.command_path + ' ' + name)}): "
            f"{text(sub.get_short_help_str(limit=120))}"
            for name, sub in subs
            if sub is not None and not sub.hidden
        ]
        if rows:
            parts += ["**Commands**", "", *rows, ""]
    return "\n".join(parts)


def anchor(title: str) -> str:
    """The id MkDocs' toc extension gives a heading like `kith export ics`."""
    return "-".join(title.lower().split())


def reference(root: click.Command | None = None, name: str = "kith") -> str:
    """The whole page."""
    if root is None:
        from .cli import main as root
    ctx = click.Context(root, info_name=name)
    sections = [command_markdown(cmd, sub_ctx) for cmd, sub_ctx in walk(root, ctx)]
    intro = (
        "# Command-line reference\n\n"
        # The comment goes below the title: MkDocs takes a page's title from
        # an h1 only when it comes first.
        + HEADER
        + "\n"
        f"Every `{name}` command, its options and their defaults, as `{name} COMMAND --help` "
        "shows them. Every command also takes `-h`/`--help`. Commands work on the repository "
        "found from the current folder upwards, or the one given with `--root`. Errors are "
        "printed as one line; the exit status is 0 on success, 1 when something was found "
        "wrong or could not be done, and 2 for a usage error.\n"
    )
    return intro + "\n" + "\n".join(sections).rstrip("\n") + "\n"


def main() -> None:
    sys.stdout.write(reference())


if __name__ == "__main__":
    main()
