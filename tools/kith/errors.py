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

import sys

import click

from . import codes
from .model import Finding


class KithError(click.ClickException):
    """A failure, reported as a finding; exit code 1."""

    exit_code = 1
    default_code = "failed"

    def __init__(self, message: str, *, path: str = "", line: int = 0, code: str | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.code = code or self.default_code
        self.severity = codes.severity(self.code) if self.code in codes.CODES else "error"

    @property
    def finding(self) -> Finding:
        return Finding(self.path, self.line, self.severity, self.code, self.message)

    def format_message(self) -> str:
        if self.path:
            return self.finding.format()
        return f"{self.severity}: {self.message} [{self.code}]"

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        click.echo(self.format_message(), file=file or sys.stderr)


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

    def __init__(self, line: int, message: str, code: str = "write-refused", path: str = "") -> None:
        super().__init__(message, path=path, line=line, code=code)


class RenderError(KithError):
    """`kith render` cannot write the folder as asked; nothing was written."""

    default_code = "render-refused"
