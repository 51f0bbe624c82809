"""`kith validate`."""

from __future__ import annotations

from pathlib import Path

import click

from ..load import relpath
from ..model import Finding
from ..validate import check
from . import main
from .common import format_option, open_repo, print_findings, print_json, root_option


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@root_option
@format_option
def validate(paths: tuple[str, ...], root: str | None, fmt: str) -> None:
    """Check contact files and report problems like a linter.

    With no PATHS, checks the whole people/ tree and the journal. With PATHS (files or
    folders), reports only on those, still checking their links against
    everyone. Each problem is one line, `people/x.md:LINE: error: message
    [code]`; exits 1 when there are errors, 0 when there are only warnings.
    """
    repo = open_repo(root)
    network = repo.network()
    findings = check(network)
    files = len(network.files) + len(network.journal_files)
    if paths:
        wanted, outside = _select(paths, repo.root, set(network.files) | set(network.journal_files))
        findings = [f for f in findings if f.path in wanted] + outside
        files = len(wanted) + len(outside)
    if fmt == "json":
        print_json([f.as_dict() for f in findings])
    else:
        print_findings(findings, files)
    if any(f.severity == "error" for f in findings):
        raise SystemExit(1)


def _select(paths: tuple[str, ...], root: Path, known: set[str]) -> tuple[set[str], list[Finding]]:
    wanted: set[str] = set()
    outside: list[Finding] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            prefix = relpath(path, root).rstrip("/") + "/"
            matched = {f for f in known if f.startswith(prefix) or prefix == "./"}
            wanted |= matched
            continue
        rel = relpath(path, root)
        if rel in known:
            wanted.add(rel)
        else:
            outside.append(
                Finding(
                    rel,
                    0,
                    "error",
                    "path-outside",
                    "not a contact file: contacts are *.md files under people/",
                )
            )
    return wanted, outside
