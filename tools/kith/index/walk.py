"""Which contact files there are, and whether any changed: the index's
freshness check, in text (no Path objects: at 30,000 files they cost more
than the check itself).

`list_files` finds exactly the files `load.contact_files` finds, in the same
order; `stat_keys` gives each file's `load.stat_key` as one flat array, so
that "nothing changed" is one comparison of two arrays.
"""

from __future__ import annotations

import gc
import os
import sys
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

    One C-level loop (map over os.stat): about 2.6 µs a file, half of it
    the system call and half Python building the stat result. At 30,000
    files that is 80 ms, the largest part of what slug completion costs,
    so a large folder is stated in two halves at once (`_stat_in_two`):
    45 ms."""
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
    if len(paths) >= TWO_WAY_MIN and _can_fork():
        keys = _stat_in_two(paths)
        if keys is not _FAILED:
            return keys
    return _stat_all(paths)


def _stat_all(paths: list[str]) -> array | None:
    try:
        return array("q", chain.from_iterable(map(STAT_KEY, map(os.stat, paths))))
    except (OSError, OverflowError):
        return None


TWO_WAY_MIN = 6000
"""Files from which stating them in two processes pays: a fork and the
pipe cost about 2 ms, stating 6,000 files 16 ms. (Two threads measured
slower than one, 0.115 s against 0.080 s at 30,000: the GIL is taken and
given back at every call.)"""

_FAILED = object()
_GONE = 3  # the child's exit status when a file could not be stated


def _can_fork() -> bool:
    """Forking is safe and worth it here: a POSIX fork, two processors to
    run on, and no other thread in this process (a child forked while
    another thread holds a lock could wait on it forever)."""
    if not hasattr(os, "fork"):
        return False
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    if cpus < 2:
        return False
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() == 1


def _stat_in_two(paths: list[str]) -> array | None | object:
    """`_stat_all(paths)`, the second half stated by a forked child that
    sends its keys back through a pipe; _FAILED when the child could not
    be started or did not send every key (the caller then states them all
    itself). The child only stats, writes and leaves with os._exit: no
    finalizer, buffer flush or SQLite call of the parent's runs twice."""
    half = len(paths) // 2
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return _FAILED
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return _FAILED
    if pid == 0:  # the child
        status = 1
        try:
            os.close(read_end)
            gc.disable()  # a collection would touch (and copy) the parent's pages
            keys = _stat_all(paths[half:])
            if keys is None:
                status = _GONE
            else:
                data = memoryview(keys.tobytes())
                while data:
                    data = data[os.write(write_end, data) :]
                status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    pipe = os.fdopen(read_end, "rb", buffering=0)
    chunks = []
    try:
        first = _stat_all(paths[:half])
        while chunk := pipe.read(1 << 20):
            chunks.append(chunk)
    finally:
        # Closed before waiting: a child blocked on a full pipe (the parent
        # interrupted before reading) then fails its write and leaves.
        pipe.close()
        exit_code = _wait(pid)
    second = b"".join(chunks)
    if first is None or exit_code == _GONE:
        return None  # a file gone: the caller looks file by file
    # The child writes only once it has every key: all the bytes are all
    # the keys, whatever its exit status said (or could not say).
    if len(second) != (len(paths) - half) * KEY_WIDTH * first.itemsize:
        return _FAILED
    first.frombytes(second)
    return first


def _wait(pid: int) -> int | None:
    """The child's exit code; None when it cannot be known (SIGCHLD
    ignored: the system reaped it)."""
    try:
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status)
    except (ChildProcessError, ValueError):
        return None


def stat_key(root: str, name: str) -> tuple[int, int, int, int] | None:
    try:
        return STAT_KEY(os.stat(os.path.join(root, name)))
    except OSError:
        return None
