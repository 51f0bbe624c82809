"""The floor for `kith validate`: read every contact file and parse its front
matter with libyaml, in one loop, and nothing else.

    python -m tests.bench.floor DIR

No checks, no body, no line numbers: the least any tool that reads the
front matter of every file must do. Run as its own process, like `kith
validate`, so both pay for starting Python.
"""

from __future__ import annotations

import os
import sys

import yaml


def parse_all(people: str) -> int:
    count = 0
    for dirpath, dirnames, filenames in os.walk(people):
        for name in filenames:
            if not name.endswith(".md"):
                continue
            with open(os.path.join(dirpath, name), encoding="utf-8") as handle:
                text = handle.read()
            # Front matter is between the first two `---` lines.
            _, front, _ = text.split("---\n", 2)
            yaml.load(front, Loader=yaml.CSafeLoader)
            count += 1
    return count


if __name__ == "__main__":
    print(parse_all(os.path.join(sys.argv[1], "people")))
