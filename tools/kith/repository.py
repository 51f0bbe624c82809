"""Where the repository is: the nearest folder holding `people/`.

Apart from the loader, so that a command answering from the index
(kith.index) finds its repository without importing the parser.
"""

from __future__ import annotations

import os
from pathlib import Path

PEOPLE_DIR = "people"


def __getattr__(name: str):
    # kith.errors.RepositoryNotFound (the one error type), imported only
    # when asked for: a quick command that finds its repository never is.
    if name == "RepositoryNotFound":
        from .errors import RepositoryNotFound

        return RepositoryNotFound
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def find_root(start: Path | None = None, people_dir: str = PEOPLE_DIR) -> Path:
    """The nearest directory, from `start` upwards, that holds `people/`."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / people_dir).is_dir():
            return candidate
    from .errors import RepositoryNotFound

    raise RepositoryNotFound(
        f"no `{people_dir}/` folder in {here} or any folder above it; "
        "run kith inside a kith repository or pass --root DIR"
    )


def relpath(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def printable(name: str) -> str:
    """A path as text that can be printed: bytes that are not UTF-8 (kept
    by Python as surrogates) shown as escapes."""
    if name.isascii():
        return name
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def journal_enabled(root: Path, journal_dir: str) -> bool:
    """A journal folder is set, exists, and lies inside the repository (a
    `journal_dir` of `/etc` or `../..` is no journal: its files would be
    published). kith.journal's rule, here so that the index can ask it
    without importing the journal's reader."""
    if not journal_dir:
        return False
    folder = root / journal_dir
    if not folder.is_dir():
        return False
    inside = os.path.realpath(root) + os.sep
    return (os.path.realpath(folder) + os.sep).startswith(inside)
