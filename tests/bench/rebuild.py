"""The plugin's own time on a `mkdocs serve` rebuild after one person file
changes, measured in-process the way `mkdocs serve` drives MkDocs.

    python -m tests.bench.rebuild DIR [--edits 3] [--structural 1]

Loads the config with the kith plugin's events wrapped in timers, builds
once (as `serve` does on start), then edits one person file and builds again
with a freshly loaded config, as `serve` does on every change; the plugin
instance is reused through MkDocs' plugin cache (the plugin defines
on_startup). The edits: a log line added (`--edits` times: the person's own
data, so only the pages that read them are rendered again), then a line
that mentions someone (`--structural` times: a change of structure, after
which everything is). Prints JSON: wall time and the plugin's own time (the
sum of its events) of the first build and of each rebuild.
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.plugins import CombinedEvent

from kith_mkdocs.plugin import KithPlugin

SPENT: dict[str, float] = defaultdict(float)


def _timed(name: str, method):
    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            SPENT[name] += time.perf_counter() - start

    return wrapper


def instrument() -> None:
    """Wrap every event the plugin defines, before MkDocs registers them."""
    for name in list(vars(KithPlugin)):
        if name.startswith("on_") and name not in ("on_startup", "on_serve"):
            method = getattr(KithPlugin, name)
            if isinstance(method, CombinedEvent):
                # One event handled at two priorities: each part timed (wraps
                # keeps its priority), the parts combined again.
                timed = CombinedEvent(*(_timed(name, part) for part in method.methods))
            else:
                timed = _timed(name, method)
            setattr(KithPlugin, name, timed)


def one_build(config_file: Path, site: str) -> dict:
    SPENT.clear()
    config = load_config(str(config_file), site_dir=site)
    if not getattr(one_build, "started", False):
        config.plugins.on_startup(command="serve", dirty=False)
        one_build.started = True  # type: ignore[attr-defined]
    start = time.perf_counter()
    build(config)
    return {
        "wall": time.perf_counter() - start,
        "plugin": sum(SPENT.values()),
        "events": dict(SPENT),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", type=Path)
    parser.add_argument("--edits", type=int, default=3, help="rebuilds after a log line is added")
    parser.add_argument(
        "--structural", type=int, default=1, help="rebuilds after a line mentioning someone new is added"
    )
    args = parser.parse_args(argv)
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    instrument()
    root = args.root.resolve()
    people = sorted((root / "people").rglob("*.md"))
    victim = people[len(people) // 2]
    original = victim.read_bytes()
    # Someone else to mention: a new link is a change of structure.
    other = people[len(people) // 3].stem
    result = {"first": None, "rebuilds": [], "structural": []}
    with tempfile.TemporaryDirectory(prefix="kith-bench-serve-") as site:
        result["first"] = one_build(root / "mkdocs.yml", site)
        try:
            text = original.decode("utf-8").rstrip("\n")
            for edit in range(args.edits):
                # The everyday edit: a log line (the person's own data).
                victim.write_text(f"{text}\n- 2026-11-{15 + edit % 7} call: bench edit {edit}\n", encoding="utf-8")
                result["rebuilds"].append(one_build(root / "mkdocs.yml", site))
            for edit in range(args.structural):
                line = f"- 2026-11-1{edit} call: bench edit {edit} with [[{other}]]"
                victim.write_text(f"{text}\n{line}\n", encoding="utf-8")
                result["structural"].append(one_build(root / "mkdocs.yml", site))
        finally:
            victim.write_bytes(original)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
