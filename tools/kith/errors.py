"""Every error kith raises, in one module (as khard keeps its error types).

The core raises these; the CLI turns each into one style of report on
standard error: `path:line: error: message [code]` when a file is to blame,
`error: message [code]` otherwise, and the exit code the error carries (1
for a failure, 2 for a usage mistake). Every `code` is in `codes.CODES`.

They derive from click's ClickException only so that the command line can
show them without a wrapper in every command; the core never imports click
for anything else, and a caller of the core may catch `KithError` like any
exception.
"""

from __future__ import annotations

import re
import sys

import click

from . import codes
from .model import Finding


class KithError(click.ClickException):
    """A failure, reported as a finding; exit code 1."""

    exit_code = 1
    default_code = "failed"

    def __init__(
        self, message: str, *, path: str = "", line: int | None = 0, code: str | None = None, notes: list = ()
    ) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.code = code or self.default_code
        # What to print after it: lines, or findings (one given no path is
        # about the same file as the error).
        self.notes = list(notes)
        self.severity = codes.severity(self.code) if self.code in codes.CODES else "error"

    def format_message(self) -> str:
        if self.path:
            where = self.path if self.line is None else f"{self.path}:{self.line}"
            head = f"{where}: {self.severity}: {self.message} [{self.code}]"
        else:
            head = f"{self.severity}: {self.message} [{self.code}]"
        notes = [
            note if isinstance(note, str) else (note if note.path else note._replace_path(self.path)).format()
            for note in self.notes
        ]
        return "\n".join([head, *notes])

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        from .text import printable  # messages name people and quote their files

        lines = self.format_message().split("\n")
        click.echo("\n".join(map(printable, lines)), file=file or sys.stderr)

    def at(self, path: str) -> "KithError":
        """The same error, naming the file it is about."""
        self.path = path
        return self


class Refused(KithError):
    """Several findings that together stop a command (each is printed)."""

    def __init__(self, findings: list[Finding], conclusion: str = "") -> None:
        super().__init__(conclusion or (findings[0].message if findings else "refused"), code="failed")
        self.findings = findings
        self.conclusion = conclusion

    def format_message(self) -> str:
        lines = [f.format() for f in self.findings]
        if self.conclusion:
            lines.append(f"error: {self.conclusion} [{self.code}]")
        return "\n".join(lines)


class UsageError(KithError):
    """A mistake in how a command was called; exit code 2."""

    exit_code = 2
    default_code = "usage"

    def __init__(self, message: str, *, command: str | None = None, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.command = command

    def format_message(self) -> str:
        where = f"kith {self.command} --help" if self.command else "kith --help"
        return f"error: {self.message} (see `{where}`) [{self.code}]"


class SettingsError(KithError):
    """A setting kith cannot use (in mkdocs.yml or a kith config file): the
    command cannot run as configured, like a usage error; exit code 2."""

    exit_code = 2
    default_code = "settings-invalid"

    @classmethod
    def from_line(cls, text: str) -> "SettingsError":
        """From a linter-style line `path:line: error: message`."""
        match = re.match(r"^(?P<path>[^\n]+?)(?::(?P<line>\d+))?: error: (?P<message>.*)$", text, re.S)
        if match:
            line = int(match["line"]) if match["line"] else None
            return cls(match["message"], path=match["path"], line=line)
        return cls(text.removeprefix("error: "))


class RepositoryNotFound(UsageError):
    """No `people/` folder in this directory or any above it."""

    default_code = "no-repository"


class WriteError(KithError):
    """An edit the writer cannot make safely; nothing was written."""

    default_code = "write-failed"


class DocumentError(WriteError):
    """The file cannot be edited (not UTF-8, no front matter, a body kith
    will not write into); `code` is the finding code it is reported with."""

    default_code = "write-refused"

    def __init__(self, line: int, message: str, code: str = "write-refused", path: str = "", notes: list = ()) -> None:
        super().__init__(message, path=path, line=line, code=code, notes=notes)


class ImportRefused(KithError):
    """The whole import file cannot be imported (too large, not the format
    named); nothing was written."""

    def __init__(self, message: str, code: str, line: int = 0) -> None:
        super().__init__(message, line=line, code=code)


class RenderError(KithError):
    """`kith render` cannot write the folder as asked; nothing was written."""

    default_code = "render-refused"
