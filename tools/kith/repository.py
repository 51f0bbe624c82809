"""Where the repository is: the nearest folder holding `people/`.

Apart from the loader, so that a command answering from the index
(kith.index) finds its repository without importing the parser.
"""

from __future__ import annotations

from pathlib import Path

PEOPLE_DIR = "people"


class RepositoryNotFound(Exception):
    """No `people/` folder in this directory or any above it."""


def find_root(start: Path | None = None, people_dir: str = PEOPLE_DIR) -> Path:
    """The nearest directory, from `start` upwards, that holds `people/`."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / people_dir).is_dir():
            return candidate
    raise RepositoryNotFound(
        f"no `{people_dir}/` folder in {here} or any folder above it; "
        "run kith inside a kith repository or pass --root DIR"
    )


def relpath(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
