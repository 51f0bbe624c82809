"""The on-disk cache of parsed contact files: `.kith-cache/` in the repository.

Parsing a contact (YAML with line numbers, the typed fields, the body) costs
about 1 ms; unpickling the result costs a few microseconds. On 30,000 people
that is the difference between most of a minute and a few seconds for every
command that reads the whole network (`validate`, `due`, `find`, `suggest`)
and for a cold `mkdocs build`.

Never stale: an entry is used only while its file's mtime, size, ctime and
inode (`load.stat_key`) are unchanged, and the whole cache is dropped when
the kith code that parses files, the Python version, the repository's path
or the people folder differ from when it was written. A file modified within
RACY_NS of being cached is not stored, so an edit that lands in the same
timestamp tick as the cache write is re-read next time (git's "racily clean"
rule).

Why pickle rather than JSON: the cached value is the loader's own result
(`LoadedFile`: a Person with its log, tasks, mentions, line numbers and
findings). JSON would need a hand-written encoder and decoder for every
dataclass, kept in step with the model, and decoding rebuilds the objects
in Python anyway; pickle restores them in C, several times faster. Pickle
can run code when it loads a file someone else crafted, so the loader here
only accepts the handful of classes a parsed file is made of (kith's model
classes, dates, paths); anything else is refused like a corrupt file. The
cache is written only by kith, atomically (a temporary file renamed over
the old one), and any error reading it means "parse the files again": a
cache file can make a command slower, never wrong and never crash it.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
import tempfile
import time
import zlib
from pathlib import Path, PurePath

from . import __version__
from .load import RACY_NS, FileCache, paused_gc

CACHE_DIR = ".kith-cache"
FORMAT = 1  # bump when the layout of the cache file itself changes

# Every global a pickled LoadedFile may name. Anything else: refused.
_ALLOWED = {
    ("kith.load", "LoadedFile"),
    ("kith.model", "Person"),
    ("kith.model", "LogEntry"),
    ("kith.model", "Task"),
    ("kith.model", "Mention"),
    ("kith.model", "Relationship"),
    ("kith.model", "Met"),
    ("kith.model", "Cadence"),
    ("kith.model", "Birthday"),
    ("kith.model", "Finding"),
    ("kith.parse", "InvalidDate"),
    ("datetime", "date"),
    ("datetime", "datetime"),
}


class _Refused(Exception):
    """The cache names a class a parsed file is not made of."""


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):  # type: ignore[override]
        if (module, name) not in _ALLOWED:
            raise _Refused(f"{module}.{name}")
        return super().find_class(module, name)

    def persistent_load(self, pid):  # type: ignore[override]
        if not isinstance(pid, str):
            raise _Refused("persistent id")
        return pid  # a path as text; see _Pickler


class _Pickler(pickle.Pickler):
    def persistent_id(self, obj):  # type: ignore[override]
        # A Person's path is stored as text: rebuilding 30,000 Path objects
        # costs over a second, and FileCache.load puts back the caller's Path.
        if isinstance(obj, PurePath):
            return str(obj)
        return None


def _code_fingerprint() -> str:
    """A hash of the core's own modules: a kith that parses files differently
    (another release, or a developer's edit) must not reuse this cache."""
    digest = hashlib.sha256(f"{FORMAT}:{__version__}:{sys.version}".encode())
    package = Path(__file__).resolve().parent
    for source in sorted(package.glob("*.py")):
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


SHARDS = 64
"""The cache is split into this many files by a hash of each file's path, so
that after editing one contact only its shard is written again (at 30,000
people: half a megabyte, not 140)."""


def shard_of(name: str) -> int:
    return zlib.crc32(name.encode("utf-8", "surrogateescape")) % SHARDS


def cache_path(root: Path, people_dir: str) -> Path:
    """The folder of this people folder's shards."""
    name = "".join(c if c.isalnum() else "_" for c in people_dir) or "people"
    return root / CACHE_DIR / name


class DiskCache(FileCache):
    """A FileCache read from and saved to `.kith-cache/` under the repository.

        cache = DiskCache.open(root, people_dir)
        network = load_network(root, people_dir, cache)
        cache.save()
    """

    def __init__(self, path: Path, header: tuple) -> None:
        super().__init__()
        self.path = path
        self.header = header
        self.dirty: set[int] = set()  # shards to write on save()

    @classmethod
    def open(cls, root: Path, people_dir: str) -> "DiskCache":
        try:
            header = (FORMAT, _code_fingerprint(), str(root), people_dir)
        except OSError:
            header = (FORMAT, "unknown", str(root), people_dir)
        cache = cls(cache_path(root, people_dir), header)
        with paused_gc():
            for shard in range(SHARDS):
                cache._entries.update(cache._read(shard))
        return cache

    def _shard_path(self, shard: int) -> Path:
        return self.path / f"{shard:02x}.pickle"

    def _read(self, shard: int) -> dict:
        """One shard's entries; {} when missing, unreadable or not ours."""
        try:
            with open(self._shard_path(shard), "rb") as handle:
                data = handle.read()
            unpickler = _SafeUnpickler(io.BytesIO(data))
            if unpickler.load() != self.header:
                return {}  # another kith, Python or repository: start afresh
            entries = unpickler.load()
            if isinstance(entries, dict) and all(
                isinstance(k, str) and shard_of(k) == shard for k in entries
            ):
                return entries
        except Exception:  # noqa: BLE001 - any broken cache only means "parse again"
            pass
        return {}

    def _changed(self, name: str) -> None:
        super()._changed(name)
        self.dirty.add(shard_of(name))

    def save(self) -> None:
        """Write the shards that changed; never raises."""
        if not self.dirty:
            self.changed = False
            return
        now = time.time_ns()
        by_shard: dict[int, dict] = {shard: {} for shard in self.dirty}
        racy: set[int] = set()
        for name, entry in self._entries.items():
            shard = shard_of(name)
            if shard not in by_shard:
                continue
            # A file changed in the last RACY_NS may change again within the
            # same mtime tick without its key changing: leave it out, and
            # write its shard again on the next save.
            if now - entry[0][0] > RACY_NS:
                by_shard[shard][name] = entry
            else:
                racy.add(shard)
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            ignore = self.path.parent / ".gitignore"
            if not ignore.exists():
                # As .pytest_cache does: a repository whose .gitignore does not
                # name the cache still never shows it in `git status`.
                ignore.write_text("# written by kith: the cache of parsed contacts\n*\n")
            for shard, entries in by_shard.items():
                self._write(shard, entries)
        except Exception:  # noqa: BLE001 - a read-only or full disk: work uncached
            return
        self.dirty = racy
        self.changed = bool(racy)

    def _write(self, shard: int, entries: dict) -> None:
        tmp_name = None
        try:
            with tempfile.NamedTemporaryFile(
                "wb", dir=self.path, prefix=".tmp-", suffix=".pickle", delete=False
            ) as handle:
                tmp_name = handle.name
                pickler = _Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL)
                pickler.dump(self.header)
                pickler.dump(entries)
            os.replace(tmp_name, self._shard_path(shard))  # atomic: readers see old or new
            tmp_name = None
        finally:
            if tmp_name is not None:
                try:
                    os.unlink(tmp_name)
                except OSError:
                    pass
