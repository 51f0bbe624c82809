"""Measuring one thing at a time: a child process's wall time and peak
memory, a built site's size, the bare variant of a generated network."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "KITH_TODAY": "2026-11-22",
    "NO_MKDOCS_2_WARNING": "1",
    "PYTHONPATH": str(PROJECT),  # `python -m tests.bench.*` from any folder
}
"""The children's environment. Bytecode is written (and reused) as for any
installed package: compiling kith's sources on every run would be most of a
quick command's time, and no user's."""


@dataclass
class Run:
    seconds: float
    max_rss_mb: float  # the child's peak resident memory
    output: str
    cpu: float = 0.0  # the child's user + system time: its work, whatever else the machine is doing


class ChildFailed(Exception):
    pass


def run_child(args: list[str], cwd: Path, env: dict[str, str] | None = None, ok: tuple[int, ...] = ()) -> Run:
    """Run `python args...` (or a program: an absolute path first) in `cwd`;
    wall time and the child's own ru_maxrss.

    os.wait4 gives the rusage of exactly this child (RUSAGE_CHILDREN would
    report the largest child so far)."""
    program = args if os.path.isabs(args[0]) else [sys.executable, *args]
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(program, cwd=cwd, env=env or ENV, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read().decode("utf-8", "replace")
    if proc.returncode not in (0, *ok):
        raise ChildFailed(f"{' '.join(args)} exited {proc.returncode}:\n{output[-2000:]}")
    return Run(seconds, usage.ru_maxrss / 1024, output, usage.ru_utime + usage.ru_stime)


def kith_validate(root: Path) -> Run:
    # The installed console script, as a user runs it.
    script = Path(sys.executable).parent / "kith"
    return run_child([str(script), "--quiet", "validate"], root)


def floor(root: Path) -> Run:
    return run_child(["-m", "tests.bench.floor", str(root)], root)


def drop_cache(root: Path) -> None:
    shutil.rmtree(root / ".kith-cache", ignore_errors=True)


def mkdocs_build(root: Path) -> Run:
    return run_child(
        ["-m", "mkdocs", "build", "--quiet", "--clean", "-f", "mkdocs.yml", "-d", "site"], root
    )


def tree_size(folder: Path) -> int:
    total = 0
    for dirpath, _, filenames in os.walk(folder):
        for name in filenames:
            total += os.path.getsize(os.path.join(dirpath, name))
    return total


def search_index_size(site: Path) -> int:
    index = site / "search" / "search_index.json"
    return index.stat().st_size if index.exists() else 0


BARE_YML = """\
site_name: kith bench, bare ({n} people)
docs_dir: docs
theme:
  name: material
  font: false
plugins:
  - search
  - kith:
      enabled: false
not_in_nav: |
  /people/
"""


def bare_variant(network: Path, out: Path, n: int) -> None:
    """The same person files as plain MkDocs pages: docs/people/**.md, out of
    the nav, with the kith plugin switched off, so that the build with kith
    against this one is the plugin's whole cost."""
    docs = out / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    (out / "mkdocs.yml").write_text(BARE_YML.format(n=n), encoding="utf-8")
    (docs / "index.md").write_text("# People\n\nEvery person is a page under people/.\n")
    source = network / "people"
    for dirpath, _, filenames in os.walk(source):
        target = docs / "people" / Path(dirpath).relative_to(source)
        target.mkdir(parents=True, exist_ok=True)
        for name in filenames:
            dest = target / name
            if dest.exists():
                continue
            try:
                os.link(Path(dirpath) / name, dest)  # same bytes, no copy
            except OSError:
                shutil.copyfile(Path(dirpath) / name, dest)
