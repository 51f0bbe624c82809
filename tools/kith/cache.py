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

The cache is only ever a faster way to get what parsing the files gives,
so nothing in it is believed that kith did not write itself:

- each shard carries a keyed MAC (HMAC-SHA256) over its contents, with a
  key kept outside the repository (`$XDG_CACHE_HOME/kith/cache-key`,
  mode 0600), so a shard crafted by hand, copied from another machine or
  synced from elsewhere is discarded, even with a valid header: it cannot
  flip `private` or hand the site a name that is not text;
- a shard is read only if it is a regular file (not a link, a pipe or a
  device) of at most MAX_SHARD bytes, opened without blocking;
- what it holds is checked for shape and type before use (`_valid_entry`);
  anything odd drops the whole shard and its files are parsed again.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import pickle
import secrets
import sys
import tempfile
import time
import zlib
from pathlib import Path, PurePath

from . import __version__
from .load import RACY_NS, FileCache, LoadedFile, Unreadable, paused_gc, read_regular
from .model import Credit, Finding, LogEntry, Mention, Person, Task

CACHE_DIR = ".kith-cache"
FORMAT = 3  # bump when the layout of the cache file itself changes
MAGIC = b"kith-cache\x00"
MAX_SHARD = 256 * 1024 * 1024
"""Bytes one shard may have: at 30,000 people a shard holds about 2 MB."""

# Every global a pickled LoadedFile may name. Anything else: refused.
_ALLOWED = {
    ("kith.load", "LoadedFile"),
    ("kith.model", "Person"),
    ("kith.model", "LogEntry"),
    ("kith.model", "Task"),
    ("kith.model", "Mention"),
    ("kith.model", "Credit"),
    ("kith.model", "Relationship"),
    ("kith.model", "Met"),
    ("kith.model", "Cadence"),
    ("kith.model", "Birthday"),
    ("kith.model", "Finding"),
    ("kith.parse", "InvalidDate"),
    ("kith.parse", "LongNumber"),
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
        """One shard's entries; {} when missing, unreadable, not ours or odd."""
        key = cache_key()
        if key is None:
            return {}
        try:
            data = _read_regular(self._shard_path(shard))
            if data is None or not data.startswith(MAGIC):
                return {}
            mac = data[len(MAGIC) : len(MAGIC) + 32]
            payload = data[len(MAGIC) + 32 :]
            if not hmac.compare_digest(mac, hmac.new(key, payload, hashlib.sha256).digest()):
                return {}  # not written by this user's kith: never believed
            unpickler = _SafeUnpickler(io.BytesIO(payload))
            if unpickler.load() != self.header:
                return {}  # another kith, Python or repository: start afresh
            entries = unpickler.load()
            if isinstance(entries, dict) and all(
                isinstance(k, str) and shard_of(k) == shard and _valid_entry(v) for k, v in entries.items()
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
            # As .pytest_cache does: a repository whose .gitignore does not
            # name the cache still never shows it in `git status`.
            _create_once(self.path.parent / ".gitignore", b"# written by kith: the cache of parsed contacts\n*\n")
            if cache_key() is None:
                return
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
                buffer = io.BytesIO()
                pickler = _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
                pickler.dump(self.header)
                pickler.dump(entries)
                payload = buffer.getvalue()
                key = cache_key()
                assert key is not None
                handle.write(MAGIC + hmac.new(key, payload, hashlib.sha256).digest() + payload)
            os.replace(tmp_name, self._shard_path(shard))  # atomic: readers see old or new
            tmp_name = None
        finally:
            if tmp_name is not None:
                try:
                    os.unlink(tmp_name)
                except OSError:
                    pass


def _read_regular(path: Path) -> bytes | None:
    """The bytes of `path` if it is a regular file (not a link, a pipe, a
    device, a folder) of at most MAX_SHARD bytes; else None."""
    try:
        return read_regular(path, MAX_SHARD, follow_links=False)
    except Unreadable:
        return None


def _create_once(path: Path, data: bytes) -> None:
    """Write `path` unless something (even a dangling link) is there."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


_KEYS: dict[Path, bytes | None] = {}


def key_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kith" / "cache-key"


def cache_key() -> bytes | None:
    """This user's secret for the cache's MACs, made on first use; None
    (no cache) when it can be neither read nor made."""
    path = key_path()
    if path in _KEYS:
        return _KEYS[path]
    key = _read_regular(path)
    if key is None or len(key) != 32:
        key = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fresh = secrets.token_bytes(32)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(fresh)
            try:
                os.link(tmp, path)  # only if no other process made one meanwhile
            except FileExistsError:
                pass
            finally:
                os.unlink(tmp)
            key = _read_regular(path)
            if key is not None and len(key) != 32:
                key = None
        except OSError:
            key = None
    _KEYS[path] = key
    return key


_OPTIONAL_TEXT = (str, type(None))
_PERSON_TYPES: dict[str, type | tuple[type, ...]] = {
    "slug": str,
    "relpath": str,
    "name": str,
    "aka": list,
    "company": _OPTIONAL_TEXT,
    "title": _OPTIONAL_TEXT,
    "location": _OPTIONAL_TEXT,
    "emails": list,
    "phones": list,
    "links": dict,
    "tags": list,
    "circle": _OPTIONAL_TEXT,
    "interests": list,
    "offers": list,
    "needs": list,
    "relationships": list,
    "private": bool,
    "withheld": bool,
    "notes_plain": bool,
    "log": list,
    "tasks": list,
    "mentions": list,
    "notes": str,
    "body_line": int,
    "meta": dict,
    "key_lines": dict,
    "extra": dict,
    "credits": tuple,
}


def _valid_entry(entry: object) -> bool:
    """Whether a cache entry has the shape `FileCache` stores: a stat key
    and a LoadedFile whose person, if any, has fields of the right types
    (the texts the site prints are texts, privacy flags are booleans)."""
    if not (isinstance(entry, tuple) and len(entry) == 2):
        return False
    key, loaded = entry
    if not (isinstance(key, tuple) and len(key) == 4 and all(type(x) is int for x in key)):
        return False
    if type(loaded) is not LoadedFile or not isinstance(loaded.relpath, str):
        return False
    if not (isinstance(loaded.findings, list) and all(type(f) is Finding for f in loaded.findings)):
        return False
    person = loaded.person
    if person is None:
        return True
    if type(person) is not Person:
        return False
    for name, kind in _PERSON_TYPES.items():
        if not isinstance(getattr(person, name, None), kind):
            return False
    if not all(type(x) is str for x in person.tags) or not all(type(x) is str for x in person.aka):
        return False
    if not all(type(x) is LogEntry and type(x.private) is bool and isinstance(x.text, str) for x in person.log):
        return False
    if not all(type(x) is Task and type(x.private) is bool and isinstance(x.text, str) for x in person.tasks):
        return False
    if not all(type(x) is Credit and type(x.private) is bool and isinstance(x.text, str) for x in person.credits):
        return False
    return all(type(x) is Mention and type(x.private) is bool and isinstance(x.context, str) for x in person.mentions)
