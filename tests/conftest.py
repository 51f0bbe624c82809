"""Shared fixtures: repositories written into a temp dir, the CLI run through
Click's CliRunner, and the example network shipped in people/."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from kith.cli import main as kith_main

PROJECT = Path(__file__).resolve().parent.parent
EXAMPLE_PEOPLE = PROJECT / "people"


class Repo:
    """A kith repository in a temp dir: `repo.person("ada", "name: Ada", body)`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "people").mkdir(parents=True, exist_ok=True)

    def write(self, relpath: str, text: str | bytes) -> Path:
        path = self.root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8", newline="")
        return path

    def person(self, slug: str, front: str, body: str = "", folder: str = "") -> Path:
        """people/[folder/]slug.md from dedented front matter and body."""
        front = textwrap.dedent(front).strip("\n")
        body = textwrap.dedent(body).lstrip("\n")
        where = f"people/{folder}/{slug}.md" if folder else f"people/{slug}.md"
        return self.write(where, f"---\n{front}\n---\n\n{body}")

    def read(self, relpath: str) -> str:
        return (self.root / relpath).read_text(encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path / "repo")


@pytest.fixture
def example_repo(tmp_path: Path) -> Repo:
    """A copy of the shipped example network, with the project's mkdocs.yml, docs and journal."""
    root = tmp_path / "example"
    shutil.copytree(EXAMPLE_PEOPLE, root / "people")
    if (PROJECT / "docs").is_dir():
        shutil.copytree(PROJECT / "docs", root / "docs")
    if (PROJECT / "journal").is_dir():
        shutil.copytree(PROJECT / "journal", root / "journal")
    shutil.copy(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
    return Repo(root)


@pytest.fixture
def full_disk(monkeypatch):
    """`full_disk(fails)`: from now on, each atomic write of a user's file
    for which `fails(n)` is true (n counts them from 1) fails as a full disk
    does; the others write. Returns the paths, in the order written."""
    from kith import write

    real = write.atomic_write

    def install(fails):
        calls: list[Path] = []

        def atomic_write(path, data):
            calls.append(path)
            if fails(len(calls)):
                raise OSError(28, "No space left on device")
            real(path, data)

        monkeypatch.setattr(write, "atomic_write", atomic_write)
        return calls

    return install


@pytest.fixture
def kith():
    """Run the CLI in-process: `kith(repo, "validate", "--format", "json")`."""
    runner = CliRunner()

    def run(repo: Repo | Path | None, *args: str, input: str | None = None):
        root = repo.root if isinstance(repo, Repo) else repo
        cwd = os.getcwd()
        try:
            if root is not None:
                os.chdir(root)
            return runner.invoke(kith_main, list(args), input=input, catch_exceptions=False)
        finally:
            os.chdir(cwd)

    return run


def pytest_configure(config) -> None:
    # The cache's key (see kith.cache.cache_key) goes to a folder of the test
    # run's own, never to the home of whoever runs the tests.
    import tempfile

    if "KITH_TEST_CACHE_HOME" not in os.environ:
        os.environ["KITH_TEST_CACHE_HOME"] = tempfile.mkdtemp(prefix="kith-test-cache-")
        os.environ["XDG_CACHE_HOME"] = os.environ["KITH_TEST_CACHE_HOME"]
