"""When a parsed file may be reused: its stat key, and the racy window.

Shared by the loader's caches (load.FileCache, the disk cache in
kith.cache) and the index (kith.index); kept apart from the loader so that
a command answering from the index need not import the parser.
"""

from __future__ import annotations

import os
from operator import attrgetter

StatKey = tuple[int, int, int, int]

# A file or folder changed this recently may change again within the same
# timestamp tick (on file systems with coarse timestamps) without its stat
# key changing: such a folder is listed again, such a file is not stored in
# the on-disk cache (git's "racily clean" rule).
RACY_NS = 2_000_000_000

STAT_KEY = attrgetter("st_mtime_ns", "st_size", "st_ctime_ns", "st_ino")
"""`stat_key` as one C call (for many files at once)."""


def stat_key(stat: os.stat_result) -> StatKey:
    """What must be unchanged for a parsed file to be reused.

    mtime and size, plus ctime and inode: tools that restore an old mtime
    (`touch -d`, `rsync -t`, some editors) cannot restore ctime, and a file
    replaced by an atomic rename has a new inode."""
    return (stat.st_mtime_ns, stat.st_size, stat.st_ctime_ns, stat.st_ino)
