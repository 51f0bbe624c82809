"""The commands people type many times a day, timed as they run them: the
installed `kith`, a new process each time, with the cache and the index
warm (each command runs once unmeasured first), each figure the median of
the runs.

    python -m tests.bench.quick DIR [--runs 5]

Prints JSON: seconds for `kith --version` (Python starting and Click: the
floor every command pays), `kith find` (a surname many people share, and a
word nobody has), `kith show` (the person the most others name: the
largest card), `kith due`, `kith suggest --limit 10`, slug completion (what
Tab runs), `kith log` (a real entry written, the file put back after each
run) and the first command after the index was deleted (it builds the index
from the parse cache).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from .measure import ENV, run_child

KITH = str(Path(sys.executable).parent / "kith")
INDEX_FILES = ("index-people.sqlite", "index-people.sqlite-wal", "index-people.sqlite-shm")


def _timed(args: list[str], root: Path, env: dict[str, str] | None = None) -> float:
    return run_child(args, root, env=env, ok=(1,)).seconds  # 1: `kith find` found nobody


def _median(args: list[str], root: Path, runs: int, env: dict[str, str] | None = None) -> float:
    _timed(args, root, env)  # warm: the index and the disk's cache
    return statistics.median(_timed(args, root, env) for _ in range(runs))


def most_named(root: Path) -> str:
    """The slug other files name most often in relationships (a hub)."""
    counts: Counter[str] = Counter()
    for path in (root / "people").rglob("*.md"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("  - {with: "):
                counts[line.split("with: ", 1)[1].split(",", 1)[0]] += 1
    return counts.most_common(1)[0][0]


def measure(root: Path, runs: int) -> dict[str, float]:
    people = sorted((root / "people").rglob("*.md"))
    hub = most_named(root)
    figures: dict[str, float] = {}
    figures["version"] = _median([KITH, "--version"], root, runs)
    # The first command with no index: built from the (warm) parse cache.
    # Three builds (they are long, and a busy machine stretches some).
    cold = []
    for _ in range(3):
        for name in INDEX_FILES:
            (root / ".kith-cache" / name).unlink(missing_ok=True)
        cold.append(run_child([KITH, "-q", "find", "whitfield"], root))
    figures["index_cold"] = statistics.median(run.seconds for run in cold)
    figures["index_cold_cpu"] = statistics.median(run.cpu for run in cold)
    figures["index_cold_rss"] = statistics.median(run.max_rss_mb for run in cold)
    figures["index_size"] = (root / ".kith-cache" / INDEX_FILES[0]).stat().st_size
    figures["find"] = _median([KITH, "find", "whitfield"], root, runs)
    figures["find_none"] = _median([KITH, "find", "kowalski"], root, runs)
    figures["show"] = _median([KITH, "show", hub], root, runs)
    figures["due"] = _median([KITH, "due"], root, runs)
    figures["suggest"] = _median([KITH, "suggest", "--limit", "10"], root, runs)
    complete = {**ENV, "_KITH_COMPLETE": "bash_complete", "COMP_WORDS": "kith show ada", "COMP_CWORD": "2"}
    figures["complete"] = _median([KITH], root, runs, env=complete)
    figures["log"] = _log(root, people[len(people) // 2], runs)
    return figures


def _log(root: Path, path: Path, runs: int) -> float:
    """`kith log` writing a real entry; the file is put back (bytes and
    times) after each run, so the network stays the generator's."""
    original = path.read_bytes()
    stat = path.stat()
    slug = path.stem
    times = []
    try:
        for _ in range(runs + 1):
            times.append(_timed([KITH, "log", slug, "coffee: a benchmark entry"], root))
            path.write_bytes(original)
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    finally:
        path.write_bytes(original)
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    return statistics.median(times[1:])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    figures = measure(args.root.resolve(), max(1, args.runs))
    figures["wall"] = time.perf_counter() - started
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
