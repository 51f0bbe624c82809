"""Facts from git history: when each contact file last changed.

One `git log` run for the whole people/ folder, read once from newest to
oldest, so the cost grows with the history, not with one process per file.
No git, or a folder outside any repository, simply means no dates.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterable
from pathlib import Path

MARK = "\x00"


def parse_log(output: str) -> dict[str, dt.date]:
    """`git log --format=%x00%cs --name-only` output -> path: newest day.

    Each commit is a NUL, its committer date (YYYY-MM-DD) on the same line,
    then the paths it changed, one a line. Newest commits come first, so a
    path's first appearance is its last change."""
    found: dict[str, dt.date] = {}
    day: dt.date | None = None
    for line in output.split("\n"):
        if line.startswith(MARK):
            try:
                day = dt.date.fromisoformat(line[1:].strip())
            except ValueError:
                day = None
            continue
        path = line.strip()
        if path and day is not None and path not in found:
            found[path] = day
    return found


def last_changed(
    root: Path, relpaths: Iterable[str] | None = None, people_dir: str = "people"
) -> dict[str, dt.date]:
    """The day of the last commit that changed each contact file, by path
    relative to `root` (`people/ada.md`), for `relpaths` (default: every
    file git knows under `people_dir`). Files never committed are absent;
    the result is empty when `root` is not in a git repository or git is
    not installed. Uncommitted edits do not count: it is the history's word.
    """
    try:
        done = subprocess.run(
            [
                "git",
                "-c",
                "core.quotePath=false",
                "log",
                "--format=%x00%cs",
                "--name-only",
                "--relative",
                "--",
                f"{people_dir.rstrip('/')}/",
            ],
            cwd=root,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except (OSError, ValueError):
        return {}
    if done.returncode != 0:
        return {}
    found = parse_log(done.stdout)
    if relpaths is None:
        return found
    return {rel: found[rel] for rel in relpaths if rel in found}
