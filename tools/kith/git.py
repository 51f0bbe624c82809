"""The little of git that kith needs: when a file was added, and committing
one file. Both run the `git` program; callers turn GitError into a message."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path


class GitError(Exception):
    """git is missing, the folder is not a repository, or a git command failed."""


def _run(args: list[str], cwd: Path) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH)") from None
    if done.returncode != 0:
        message = (done.stderr or done.stdout).strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return done.stdout


def toplevel(folder: Path) -> Path | None:
    """The repository's top folder, or None when `folder` is not in one."""
    try:
        return Path(_run(["rev-parse", "--show-toplevel"], folder).strip())
    except GitError:
        return None


def added_date(path: Path, cwd: Path) -> dt.date | None:
    """The day of the commit that added `path` (following renames back to the
    first add), or None when git has never seen it."""
    try:
        out = _run(["log", "--diff-filter=A", "--follow", "--format=%as", "--", str(path)], cwd)
    except GitError:
        return None
    lines = [line.strip() for line in out.splitlines() if line.strip()]
    if not lines:
        return None
    try:
        return dt.date.fromisoformat(lines[-1])
    except ValueError:
        return None


def commit_file(path: Path, message: str, cwd: Path) -> None:
    """Commit `path` alone: whatever else is staged stays staged, uncommitted."""
    _run(["add", "--", str(path)], cwd)
    _run(["commit", "--quiet", "--only", "-m", message, "--", str(path)], cwd)


def is_tracked(path: Path, cwd: Path) -> bool:
    """True when git knows `path` (it is in the index)."""
    try:
        _run(["ls-files", "--error-unmatch", "--", str(path)], cwd)
    except GitError:
        return False
    return True


def remove_file(path: Path, cwd: Path) -> None:
    """Delete `path`: `git rm` when git tracks it (the deletion is staged,
    ready to commit), else a plain unlink. `--force` because the content was
    read just before and is kept elsewhere (a merge)."""
    if toplevel(cwd) is not None and is_tracked(path, cwd):
        _run(["rm", "--quiet", "--force", "--", str(path)], cwd)
    else:
        path.unlink()
