"""docs/reference/cli.md is generated from the Click commands and must keep
up with them: a new command or option that is not in it fails here."""

from __future__ import annotations

import click

from conftest import PROJECT
from kith.cli import main as kith_main
from kith.clidoc import reference, walk

REFERENCE = PROJECT / "docs" / "reference" / "cli.md"
HOW_TO_FIX = "run `make docs` (python -m kith.clidoc > docs/reference/cli.md) and commit the result"


def every_command():
    ctx = click.Context(kith_main, info_name="kith")
    return list(walk(kith_main, ctx))


def test_every_command_and_option_is_in_the_reference():
    checked_in = REFERENCE.read_text(encoding="utf-8")
    missing = []
    for command, ctx in every_command():
        if f"## {ctx.command_path}\n" not in checked_in:
            missing.append(f"command `{ctx.command_path}`")
            continue
        section = checked_in.split(f"## {ctx.command_path}\n", 1)[1].split("\n## ", 1)[0]
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                for name in param.opts:
                    if f"{name}" not in section:
                        missing.append(f"option {name} of `{ctx.command_path}`")
    assert not missing, "docs/reference/cli.md lacks " + ", ".join(missing) + ": " + HOW_TO_FIX


def test_the_reference_is_exactly_what_the_code_generates():
    assert REFERENCE.read_text(encoding="utf-8") == reference(), (
        f"docs/reference/cli.md differs from the commands' help: {HOW_TO_FIX}"
    )


def test_the_reference_covers_nested_commands_usage_help_and_defaults():
    page = reference()
    commands = [ctx.command_path for _, ctx in every_command()]
    assert "kith" in commands and "kith render" in commands
    assert any(len(path.split()) == 3 for path in commands), "no subcommand of a group was reached"
    assert "## kith export ics\n\n```text\nkith export ics [OPTIONS]\n```" in page
    assert "- [`kith export ics`](#kith-export-ics): A calendar feed (.ics)" in page
    assert "- `--format [md|json]`: md: one Markdown file per page" in page
    assert "[default: md]" in page
    assert "- `-q, --quiet`: No progress bars" in page


def test_help_text_becomes_safe_markdown():
    @click.group()
    def tool():
        """A tool for people/<slug>.md files."""

    @tool.group()
    def outer():
        """Outer group."""

    @outer.command()
    @click.argument("names", nargs=-1)
    @click.option("--level", type=int, default=3, show_default=True, help="How deep to go.")
    @click.option("--secret", hidden=True, help="Not shown.")
    def inner(names, level, secret):
        """Inner command: keeps `<code>` as code.

        \b
        line one
          line two

        Shown.\f
        Cut off for Click's help, and so here.
        """

    page = reference(tool, name="tool")
    assert "A tool for people/&lt;slug&gt;.md files." in page
    assert "## tool outer inner\n\n```text\ntool outer inner [OPTIONS] [NAMES]...\n```" in page
    assert "Inner command: keeps `<code>` as code." in page
    assert "```text\nline one\n  line two\n```" in page
    assert "- `[NAMES]...` (optional, any number)" in page
    assert "- `--level INTEGER`: How deep to go. [default: 3]" in page
    assert "--secret" not in page
    assert "Cut off" not in page
