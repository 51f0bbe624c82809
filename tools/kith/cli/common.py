"""What every command shares: finding the repository, `--root`, `--format`,
`--today`, and printing findings the way a linter does."""

from __future__ import annotations

import datetime as dt
import gc
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar

import click

from ..config import Settings, SettingsError, read_settings
from .progress import progress

if TYPE_CHECKING:
    from ..index import Index
    from ..model import Finding, Network

T = TypeVar("T")

# The loader, the cache and the index are imported where they are used: a
# command that answers from the index never imports the parser.


class OrderedGroup(click.Group):
    """A group of subcommands (`kith export ...`) listed in the order they
    were added, which is the order of a user's day, not the alphabet. (The
    top-level group, with its lazy imports and kith's usage errors, is
    kith.cli.KithGroup; a usage error inside a subgroup reaches it.)"""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


class Repo:
    """The repository a command works on; loads the network once, on demand."""

    def __init__(self, root: Path, settings: Settings) -> None:
        self.root = root
        self.settings = settings
        self._network: Network | None = None

    @property
    def people_dir(self) -> Path:
        return self.root / self.settings.people_dir

    def network(self) -> Network:
        if self._network is None:
            # A command lives for one answer and the network it loads lives
            # as long as the command: the cyclic collector need never walk
            # it. Paused while it is read and then frozen (moved out of the
            # collector's sight), it cost validate at 30,000 people two full
            # collections of a second each; freed objects are still freed.
            from ..cache import DiskCache
            from ..load import load_network

            gc.disable()
            try:
                # Parsed files are reused from .kith-cache/ while unchanged:
                # on a big network this turns most of a minute into seconds.
                cache = DiskCache.open(self.root, self.settings.people_dir)
                self._network = load_network(
                    self.root,
                    self.settings.people_dir,
                    cache,
                    progress=lambda files: progress(files, "Reading people"),
                    settings=self.settings,
                )
                cache.save()
            finally:
                gc.freeze()
                gc.enable()
            # Run in-process (tests, a script calling `main`), the objects go
            # back in the collector's sight when the command is done.
            command = click.get_current_context(silent=True)
            if command is not None:
                command.call_on_close(gc.unfreeze)
        return self._network

    def answer(
        self, fast: Callable[["Index"], T], slow: Callable[[], T], fresh: bool = True, contact: bool = False
    ) -> T:
        """`fast(index)` from the index (kith.index), else `slow()` from the
        network; the same answer either way, only sooner. `contact`: the
        answer reads who was in touch when (`kith due`, `kith show`), so the
        journal is kept fresh in the index too (kith.contact)."""
        from ..index import answer

        # As for network(): what the answer is made of lives as long as the
        # command; the collector need never walk it (a hub's card and its
        # relations are thousands of objects, `kith due` tens of thousands).
        gc.disable()
        try:
            return answer(
                self.root,
                self.settings.people_dir,
                fast,
                slow,
                progress=progress,
                fresh=fresh,
                journal_dir=self.settings.journal_dir if contact else None,
            )
        finally:
            gc.freeze()
            gc.enable()
            command = click.get_current_context(silent=True)
            if command is not None:
                command.call_on_close(gc.unfreeze)


def open_repo(root: str | None) -> Repo:
    ctx = click.get_current_context()
    root = root or (ctx.find_root().obj or {}).get("root")
    from ..repository import find_root

    path = Path(root).resolve() if root else find_root()  # or errors.RepositoryNotFound [no-repository]
    if root and not (path / "people").is_dir() and not (path / "mkdocs.yml").is_file():
        from ..errors import RepositoryNotFound

        raise RepositoryNotFound(f"{root} holds no people/ folder: is it a kith repository?")
    try:
        settings = read_settings(path)
    except SettingsError as exc:
        raise SettingsProblem(_settings_error(path, exc)) from None
    return Repo(path, settings)


def SettingsProblem(line: str):  # noqa: N802 - raised like a class; -> errors.SettingsError
    """A setting kith cannot use, from its linter-style line (exit code 2)."""
    from .. import errors

    return errors.SettingsError.from_line(line)


def _settings_error(root: Path, exc: SettingsError) -> str:
    from ..options import option_line  # only on this error path

    line = option_line(root, exc.key)
    where = f"mkdocs.yml:{line}" if line else "mkdocs.yml"
    return f"{where}: error: kith plugin option {exc}"


def root_option(func: Callable) -> Callable:
    """`--root DIR` on the command, as well as on `kith` itself."""
    return click.option(
        "--root",
        type=click.Path(file_okay=False, exists=True),
        default=None,
        help="The kith repository (the folder holding people/). Default: found from the current folder upwards.",
    )(func)


def format_option(func: Callable) -> Callable:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="text for people, json for scripts.",
    )(func)


def today_option(func: Callable) -> Callable:
    return click.option(
        "--today",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help="Act as if today were this day (YYYY-MM-DD). Default: KITH_TODAY, else the real date.",
    )(func)


def resolve_today(repo: Repo, today: dt.datetime | None) -> dt.date:
    if today is not None:
        return today.date()
    try:
        return repo.settings.resolved_today()
    except ValueError as exc:
        raise click.UsageError(f"KITH_TODAY: {exc}") from None


def write_out(out: str | Path, data: bytes, parents: bool = False) -> None:
    """A command's `--out` file, written atomically (write.atomic_write);
    one that cannot be written is kith's one error, never a traceback."""
    from ..errors import KithError
    from ..write import atomic_write

    target = Path(out)
    try:
        if parents:
            target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, data)
    except OSError as exc:
        raise KithError(f"cannot write {out}: {exc.strerror or exc}", code="write-failed") from None


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def print_findings(findings: list[Finding], files: int) -> None:
    """Linter-style lines on stdout, then a summary line."""
    from .style import paint

    for finding in findings:
        line = finding.format()
        if finding.path and line.startswith(finding.path):
            # path:line: severity: message [code], with the path and the severity in colour
            head = f"{finding.path}:{finding.line}: "
            line = paint(head, "path") + paint(finding.severity, finding.severity) + line[len(head) + len(finding.severity) :]
        click.echo(line)
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    summary = (
        f"{_count(errors, 'error')}, {_count(warnings, 'warning')} in {_count(files, 'file')}"
    )
    click.echo(summary)


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def command(group: click.Group, *args: Any, **kwargs: Any) -> Callable:
    """`@command(main)`: a command with the shared help settings."""
    kwargs.setdefault("context_settings", {"help_option_names": ["-h", "--help"]})
    return group.command(*args, **kwargs)


def unreadable(network: Network) -> list[str]:
    """The files that gave no person of the network (unreadable front
    matter, a taken slug), in the loader's order."""
    read = {p.relpath for p in network.people.values()}
    return [f for f in network.files if f not in read]


def warn_unreadable(missing: list[str]) -> None:
    """Say which files gave no person (see `unreadable`), as the site build
    does, rather than leave them out of an answer silently."""
    if missing:
        click.echo(
            f"warning: left out {', '.join(missing)}: could not be read as a contact "
            "(run `kith validate`)",
            err=True,
        )


def terminal_text(text: object) -> str:
    """A value from a contact file as printed on a terminal (text.printable)."""
    from ..text import printable

    return printable(text)
