""".pre-commit-hooks.yaml: the hook's entry, run on changed files the way
pre-commit runs it, stops a commit with a broken contact file.

pre-commit itself is not a dependency; the same entry runs here through the
installed `kith` program, and from a plain git pre-commit hook."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import PROJECT

BIN = Path(sys.executable).parent
KITH = shutil.which("kith", path=str(BIN))
HOOKS = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))

pytestmark = pytest.mark.skipif(KITH is None, reason="the kith program is not installed in this environment")

GOOD = "---\nname: Ada Lovelace\nsnooze: 2027-01-15\n---\n\nNotes.\n"
BAD = "---\nname: Ada Lovelace\nsnooze: 2027-02-30\n---\n\nNotes.\n"


def hook() -> dict:
    (found,) = [h for h in HOOKS if h["id"] == "kith-validate"]
    return found


def env() -> dict[str, str]:
    # The hook finds `kith` on PATH, as in the environment pre-commit builds.
    return {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }


def test_the_hook_is_declared_as_documented():
    h = hook()
    assert h["entry"] == "kith validate"
    assert h["language"] == "python"
    assert h["pass_filenames"] is True
    files = re.compile(h["files"])
    assert files.search("people/ada.md") and files.search("people/work/bob.md")
    assert not files.search("docs/index.md") and not files.search("people/notes.txt")


def run_entry(root: Path, *paths: str) -> subprocess.CompletedProcess:
    """The entry with the file names appended, as pre-commit runs it."""
    argv = shlex.split(hook()["entry"]) + list(paths)
    return subprocess.run(argv, cwd=root, env=env(), capture_output=True, text=True, check=False)


def test_entry_fails_on_a_changed_file_with_a_bad_date(repo):
    repo.write("people/ada.md", BAD)
    repo.write("people/bob.md", "---\nname: Bob\ncircle: bestie\n---\n")  # not passed: not reported
    done = run_entry(repo.root, "people/ada.md")
    assert done.returncode == 1
    assert done.stdout.splitlines()[0].startswith("people/ada.md:3: error: `snooze: 2027-02-30` is not a real day")
    assert "bob.md" not in done.stdout
    assert done.stderr == ""


def test_entry_passes_a_good_file(repo):
    repo.write("people/ada.md", GOOD)
    done = run_entry(repo.root, "people/ada.md")
    assert done.returncode == 0, done.stdout
    assert done.stdout == "0 errors, 0 warnings in 1 file\n"


HOOK_SCRIPT = """#!/bin/sh
# kith-validate as a plain git hook (docs/guide/git.md)
files=$(git diff --cached --name-only --diff-filter=ACMR | grep -E '{files}')
[ -z "$files" ] && exit 0
exec {entry} $files
"""


@pytest.fixture
def git_repo(repo):
    if shutil.which("git") is None:
        pytest.skip("needs the git program")
    git(repo.root, "init", "-q")
    script = repo.root / ".git" / "hooks" / "pre-commit"
    script.write_text(HOOK_SCRIPT.format(files=hook()["files"], entry=hook()["entry"]), encoding="utf-8")
    script.chmod(0o755)
    return repo


def git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=root,
        env=env(),
        capture_output=True,
        text=True,
        check=False,
    )


def test_git_hook_stops_a_commit_with_a_typo_in_a_date(git_repo):
    git_repo.write("people/ada.md", GOOD)
    git(git_repo.root, "add", "people/ada.md")
    assert git(git_repo.root, "commit", "-q", "-m", "add ada").returncode == 0
    git_repo.write("people/ada.md", BAD)
    git(git_repo.root, "add", "people/ada.md")
    done = git(git_repo.root, "commit", "-q", "-m", "typo")
    assert done.returncode != 0
    assert "people/ada.md:3: error:" in done.stdout + done.stderr
    assert git(git_repo.root, "log", "--format=%s").stdout.splitlines() == ["add ada"]


def test_git_hook_ignores_other_files(git_repo):
    git_repo.write("notes.txt", "snooze: 2027-02-30\n")
    git(git_repo.root, "add", "notes.txt")
    assert git(git_repo.root, "commit", "-q", "-m", "notes").returncode == 0
