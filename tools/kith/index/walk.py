"""Which contact files there are, and whether any changed: the index's
freshness check, in text (no Path objects: at 30,000 files they cost more
than the check itself).

`list_files` finds exactly the files `load.contact_files` finds, in the same
order; `stat_keys` gives each file's `load.stat_key` as one flat array, so
that "nothing changed" is one comparison of two arrays.
"""

from __future__ import annotations

import os
import time
from array import array
from itertools import chain

from ..freshness import RACY_NS, STAT_KEY

FolderKey = tuple[int, int, int]  # mtime, ctime, inode: what changes when a folder's entries do
Folders = dict[str, tuple[FolderKey, list[str]]]  # folder -> (its key, its subfolders to enter)

KEY_WIDTH = 4  # numbers per file in a key array (freshness.stat_key)


def now_ns() -> int:
    """The clock the racy window is measured on."""
    return time.time_ns()


def list_files(root: str, people_dir: str, folders: Folders, names: list[str]) -> tuple[list[str], Folders, bool]:
    """(every contact file, as a path relative to `root` with `/`, in the
    loader's order; the folders to remember; whether the files differ from
    `names`).

    Like `load.contact_files`: every `*.md` below people_dir, names starting
    with `.` or `_` skipped, symlinked folders not entered. `folders` and
    `names` are what the last call found: a folder whose mtime, ctime and
    inode are unchanged has the same entries (adding, removing or renaming
    one changes them) and is not listed again, unless it changed within
    RACY_NS of being listed (a second change could share its timestamp) or
    holds symlinks (whose targets can change kind without the folder
    changing): such folders are not remembered."""
    now = now_ns()
    keep: Folders = {}
    fresh: dict[str, list[str]] = {}  # folders listed again -> their files
    seen: list[str] = []
    pending = [people_dir]
    while pending:
        rel = pending.pop()
        try:
            stat = os.stat(os.path.join(root, rel))
        except OSError:
            continue
        seen.append(rel)
        key = (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
        hit = folders.get(rel)
        if hit is not None and hit[0] == key:
            subfolders = hit[1]
            keep[rel] = hit
        else:
            listed = _list_folder(os.path.join(root, rel))
            if listed is None:
                seen.pop()
                continue
            subfolders, files, links = listed
            fresh[rel] = files
            if not links and now - max(key[0], key[1]) > RACY_NS:
                keep[rel] = (key, subfolders)
        pending.extend(f"{rel}/{name}" for name in subfolders)
    if not fresh and len(seen) == len(folders) and folders.keys() >= set(seen):
        # Every folder there was last time, each unchanged: so are the files
        # (a folder that held files and was not remembered, racy or with
        # symlinks, is always listed again). Grouping 30,000 names by
        # folder to say so took a tenth of slug completion's time.
        return names, keep, False
    before = _by_folder(names)
    if set(before) <= set(seen) and all(sorted(files) == sorted(before.get(rel, ())) for rel, files in fresh.items()):
        return names, keep, False
    found = [f"{rel}/{name}" for rel in seen for name in (fresh[rel] if rel in fresh else before.get(rel, ()))]
    # The loader's order: by path parts (tuples of names), not by the text.
    found.sort(key=lambda path: path.split("/"))
    return found, keep, True


def _by_folder(names: list[str]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for name in names:
        folder, _, base = name.rpartition("/")
        grouped.setdefault(folder, []).append(base)
    return grouped


def _list_folder(folder: str) -> tuple[list[str], list[str], bool] | None:
    """(subfolders to enter, contact files, whether it holds symlinks) of one
    folder, as load._listing decides them; None when it cannot be read."""
    try:
        with os.scandir(folder) as entries:
            kinds = {entry.name: (_is_dir(entry), entry.is_symlink()) for entry in entries}
    except OSError:
        return None
    subfolders: list[str] = []
    files: list[str] = []
    links = False
    for name, (is_dir, is_link) in kinds.items():
        if name.startswith((".", "_")):
            continue
        links = links or is_link
        if is_dir:
            if not is_link:
                subfolders.append(name)
        elif name.endswith(".md"):
            files.append(name)
    return subfolders, files, links


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def stat_keys(root: str, names: list[str]) -> array | None:
    """Every file's stat key, KEY_WIDTH numbers each; None when one of them
    cannot be stated (gone meanwhile: the caller looks file by file).

    One C-level loop (map over os.stat): about 3 µs a file, nearly all of
    it the system call. (Two threads, or stat() relative to an open folder,
    measured no faster on a busy two-core machine.)"""
    try:
        here = os.getcwd()
    except OSError:
        here = None
    # Run from the repository's root (the usual case), the names themselves
    # are the paths: the kernel then looks up two or three names a file, not
    # the root's whole path (about a tenth of the time).
    if here == root:
        paths = names
    else:
        prefix = root.rstrip(os.sep) + os.sep
        paths = [prefix + name for name in names]
    try:
        return array("q", chain.from_iterable(map(STAT_KEY, map(os.stat, paths))))
    except (OSError, OverflowError):
        return None


def stat_key(root: str, name: str) -> tuple[int, int, int, int] | None:
    try:
        return STAT_KEY(os.stat(os.path.join(root, name)))
    except OSError:
        return None
