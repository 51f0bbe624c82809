"""The index's file: `.kith-cache/index-<people folder>.sqlite`, opened only
when it is certainly kith's own, and rebuilt when it is not.

Trust: the file is used only while it is a regular file (not a symlink, not
a hard link to something else) owned by the user running kith, starts like
an SQLite database, holds exactly kith's schema, and says it was written by
this kith (a hash of its source), for this repository and people folder.
Anything else, and any corruption SQLite reports later, means the file (and
its -wal, -shm and -journal companions) is deleted and built again from the
contact files. The same checks apply to the companions: SQLite writes to
them by name, so a symlink there is never followed.

Two commands at once: every command holds a shared lock (flock) on
`index-<people folder>.lock` while it uses the index, and the file is only
deleted or created under the exclusive lock, so no command ever has the
file pulled away under it. Writes are SQLite transactions (WAL journal, a
busy timeout), so readers see either the old rows or the new ones.
"""

from __future__ import annotations

import os
import sqlite3
import stat as st
import time
import zlib
from pathlib import Path
from typing import Any

from .. import __version__

FORMAT = 6
"""Bump when the schema or the meaning of a column changes."""

CACHE_DIR = ".kith-cache"
GITIGNORE = "# written by kith: the cache of parsed contacts\n*\n"
HEADER = b"SQLite format 3\x00"
COMPANIONS = ("-wal", "-shm", "-journal")

LOCK_TIMEOUT = 30.0  # seconds to wait for a rebuild by another command before working without the index
BUSY_TIMEOUT = 60.0  # seconds SQLite waits for another command's write (a first build writes for a few seconds)


class Damaged(Exception):
    """A value read back from the index is not what kith writes there."""


class Unavailable(Exception):
    """The index cannot be used here (no locking, a folder that cannot be
    written, another command holding it too long...): answer from the files."""


def file_name(value: Any) -> str:
    """A file's path as the files table keeps it: bytes, so that any name a
    folder can hold (not UTF-8 too) goes in and comes back as it was."""
    if type(value) is not bytes:
        raise Damaged("file name expected")
    return value.decode("utf-8", "surrogateescape")


def name_bytes(name: str) -> bytes:
    return name.encode("utf-8", "surrogateescape")


def _errorname(exc: sqlite3.Error) -> str:
    return getattr(exc, "sqlite_errorname", "") or ""


def damaged(exc: BaseException) -> bool:
    """True when SQLite says the file is corrupt or not a database."""
    return isinstance(exc, sqlite3.DatabaseError) and _errorname(exc) in ("SQLITE_CORRUPT", "SQLITE_NOTADB")


try:  # SQLite's FTS5, for `kith find`'s candidates; without it find scans
    _probe = sqlite3.connect(":memory:")
    _probe.execute("CREATE VIRTUAL TABLE probe USING fts5(t, content='', detail=none)")
    HAS_FTS5 = True
except sqlite3.Error:  # pragma: no cover - depends on how SQLite was built
    HAS_FTS5 = False
finally:
    _probe.close()

SEARCH_COLUMNS = 14  # one per field of find.FIELDS

SCHEMA = [
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    # The freshness check in one row: every file (path order), their stat
    # keys, the files indexed within the racy window, the folders' keys.
    "CREATE TABLE manifest(id INTEGER PRIMARY KEY CHECK (id = 1), generation INTEGER NOT NULL, "
    "names BLOB NOT NULL, keys BLOB NOT NULL, racy BLOB NOT NULL, folders TEXT NOT NULL)",
    # Every contact file; `person`: it gave a Person; `winner`: that Person
    # is the network's (the first file of its slug, as the loader decides);
    # `ok`: 0 when the person could not be stored (text SQLite refuses).
    "CREATE TABLE files(id INTEGER PRIMARY KEY, name BLOB NOT NULL UNIQUE, slug BLOB NOT NULL, "
    "person INTEGER NOT NULL, winner INTEGER NOT NULL, ok INTEGER NOT NULL)",
    "CREATE INDEX files_slug ON files(slug)",
    "CREATE INDEX files_bad ON files(id) WHERE ok = 0",
    # One person (of a file that gave one) over narrow tables, so that each
    # question reads only what it needs: a scan of `due` never reads a card.
    # `skey`: the name's sort key (text.sort_key, as bytes that sort alike).
    "CREATE TABLE people(id INTEGER PRIMARY KEY, slug TEXT NOT NULL, winner INTEGER NOT NULL, "
    "name TEXT NOT NULL, fname TEXT NOT NULL, nwords TEXT NOT NULL, swords TEXT NOT NULL, "
    "circle TEXT, fcompany TEXT NOT NULL, skey BLOB NOT NULL)",
    "CREATE INDEX people_slug ON people(slug)",
    "CREATE INDEX people_fname ON people(fname)",
    # Each word of a person's folded name (text.words), for slug completion's
    # "a word of the name starts with what was typed" as an index range.
    "CREATE TABLE namewords(word TEXT NOT NULL, id INTEGER NOT NULL)",
    "CREATE INDEX namewords_word ON namewords(word)",
    "CREATE INDEX namewords_id ON namewords(id)",
    "CREATE TABLE search(id INTEGER PRIMARY KEY, " + ", ".join(f"f{i} TEXT NOT NULL" for i in range(SEARCH_COLUMNS)) + ")",
    "CREATE TABLE cards(id INTEGER PRIMARY KEY, card BLOB NOT NULL)",
    # A plan's log days apart (`contacts`), and the last of them (`last`):
    # once every day in a file has passed (`settled`), the last is all the
    # follow-up rules can tell apart (kith.index.query.due_plans).
    "CREATE TABLE due(id INTEGER PRIMARY KEY, winner INTEGER NOT NULL, slug TEXT NOT NULL, "
    "settled INTEGER, cad_due INTEGER, task_due INTEGER, met_open INTEGER, intro_day INTEGER, bday INTEGER, "
    "plan TEXT NOT NULL, contacts TEXT NOT NULL, last INTEGER)",
    "CREATE TABLE links(id INTEGER PRIMARY KEY, links TEXT NOT NULL, rels TEXT NOT NULL)",
    "CREATE TABLE tags(id INTEGER NOT NULL, ftag TEXT NOT NULL)",
    "CREATE INDEX tags_ftag ON tags(ftag)",
    "CREATE INDEX tags_id ON tags(id)",
    "CREATE TABLE refs(target TEXT NOT NULL, id INTEGER NOT NULL)",
    "CREATE INDEX refs_target ON refs(target)",
    "CREATE INDEX refs_id ON refs(id)",
    "CREATE TABLE vocab(id INTEGER PRIMARY KEY, tok TEXT NOT NULL UNIQUE, df INTEGER NOT NULL)",
    "CREATE TABLE suggestions(rank INTEGER PRIMARY KEY, a TEXT NOT NULL, b TEXT NOT NULL, "
    "score INTEGER NOT NULL, reasons TEXT NOT NULL)",
    "CREATE INDEX suggestions_a ON suggestions(a)",
    "CREATE INDEX suggestions_b ON suggestions(b)",
    # Log entries that may count as contact with someone else (kith.contact):
    # one row per entry and person it mentions; whether its kind counts is
    # decided when asked (contact_kinds is a setting).
    # `winner` as in `people` (only the network's people give contact);
    # `credits_kind` answers "the latest day of each" without the rows.
    "CREATE TABLE credits(id INTEGER NOT NULL, winner INTEGER NOT NULL, target TEXT NOT NULL, day INTEGER NOT NULL, "
    "kind TEXT NOT NULL, line INTEGER NOT NULL, private INTEGER NOT NULL, text TEXT NOT NULL)",
    "CREATE INDEX credits_target ON credits(target)",
    "CREATE INDEX credits_id ON credits(id)",
    "CREATE INDEX credits_kind ON credits(kind, winner, target, day)",
    # The journal (kith.journal): its folder's freshness check, as `manifest`
    # is the people folder's (`folder` "": no journal), its notes, and their
    # dated entries that mention someone, as `credits`.
    "CREATE TABLE jmanifest(id INTEGER PRIMARY KEY CHECK (id = 1), folder TEXT NOT NULL, generation INTEGER NOT NULL, "
    "names BLOB NOT NULL, keys BLOB NOT NULL, racy BLOB NOT NULL, folders TEXT NOT NULL)",
    "CREATE TABLE jfiles(id INTEGER PRIMARY KEY, name BLOB NOT NULL UNIQUE)",
    "CREATE TABLE jcredits(id INTEGER NOT NULL, target TEXT NOT NULL, day INTEGER NOT NULL, kind TEXT NOT NULL, "
    "line INTEGER NOT NULL, private INTEGER NOT NULL, text TEXT NOT NULL)",
    "CREATE INDEX jcredits_target ON jcredits(target)",
    "CREATE INDEX jcredits_kind ON jcredits(kind, target, day)",
    "CREATE INDEX jcredits_id ON jcredits(id)",
    # Results computed from everyone and kept until a change can alter them.
    "CREATE TABLE derived(name TEXT PRIMARY KEY, generation INTEGER NOT NULL) WITHOUT ROWID",
    # The last answer of a command worked out from everyone (`kith due`),
    # under a key naming everything it was worked out from: both folders'
    # generations, the day, the settings and the question. One row: any
    # change to the files gives another key (kith.index.query.kept_answer).
    "CREATE TABLE answers(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
]
if HAS_FTS5:
    # Token ids (`t12 t345`) rather than text: FTS5's own tokenizer and case
    # folding never meet kith's; only membership is kept (detail=none).
    SCHEMA.append("CREATE VIRTUAL TABLE fts USING fts5(toks, content='', detail=none, columnsize=0)")


def _code_fingerprint() -> str:
    """A checksum of the core's source (kith/*.py and kith/index/*.py): a
    kith that parses or indexes files differently must not reuse this index.
    (zlib's checksums, not hashlib: this guards against accidents, not
    against someone who can write the folder, and hashlib takes longer to
    import than a quick command has to spare.)"""
    crc, adler, size = 0, 1, 0
    package = Path(__file__).resolve().parent.parent
    for folder in (package, package / "index"):
        for source in sorted(os.listdir(folder)):
            if source.endswith(".py"):
                data = source.encode() + b"\0" + (folder / source).read_bytes()
                crc, adler, size = zlib.crc32(data, crc), zlib.adler32(data, adler), size + len(data)
    return f"{FORMAT}:{__version__}:{HAS_FTS5}:{crc:08x}{adler:08x}:{size}"


_expected_schema: list[tuple] | None = None


def _schema_rows(conn: sqlite3.Connection) -> list[tuple]:
    return conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()


def expected_schema() -> list[tuple]:
    """sqlite_master as SCHEMA makes it (shadow tables of FTS5 included)."""
    global _expected_schema
    if _expected_schema is None:
        conn = sqlite3.connect(":memory:")
        try:
            for statement in SCHEMA:
                conn.execute(statement)
            _expected_schema = _schema_rows(conn)
        finally:
            conn.close()
    return _expected_schema


def _name(people_dir: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in people_dir) or "people"


class Store:
    """An open index: `conn` (autocommit; callers open their transactions)."""

    def __init__(self, conn: sqlite3.Connection, lock_fd: int, path: Path) -> None:
        self.conn = conn
        self.lock_fd = lock_fd
        self.path = path

    @classmethod
    def open(cls, root: Path, people_dir: str) -> "Store":
        """The index of `root/people_dir`, created or rebuilt as needed.
        Raises Unavailable when it cannot be used."""
        try:
            import fcntl  # noqa: F401 - POSIX only: elsewhere kith reads the files
        except ImportError:
            raise Unavailable("no file locking") from None
        folder = root / CACHE_DIR
        _own_folder(folder)
        path = folder / f"index-{_name(people_dir)}.sqlite"
        lock_fd = _open_lock(folder / f"index-{_name(people_dir)}.lock")
        try:
            meta = {
                "format": str(FORMAT),
                "code": _code_fingerprint(),
                "root": str(root),
                "people_dir": people_dir,
            }
            conn = _open_checked(path, lock_fd, meta)
        except BaseException:
            os.close(lock_fd)
            raise
        return cls(conn, lock_fd, path)

    def close(self) -> None:
        try:
            self.conn.close()
        finally:
            os.close(self.lock_fd)  # releases the shared lock

    def rebuild(self, root: Path, people_dir: str) -> None:
        """Throw the file away and start an empty one (after SQLite said it is corrupt)."""
        self.conn.close()
        meta = {"format": str(FORMAT), "code": _code_fingerprint(), "root": str(root), "people_dir": people_dir}
        self.conn = _open_checked(self.path, self.lock_fd, meta, force=True)


def _own_folder(folder: Path) -> None:
    """`.kith-cache/` exists, is a real folder of ours, and git ignores it."""
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        try:
            folder.mkdir(exist_ok=True)
            info = os.lstat(folder)
        except OSError as exc:
            raise Unavailable(f"cannot create {folder}: {exc}") from None
    except OSError as exc:
        raise Unavailable(str(exc)) from None
    if not st.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
        raise Unavailable(f"{folder} is not a folder of this user's")
    ignore = folder / ".gitignore"
    if not os.path.lexists(ignore):
        try:
            fd = os.open(ignore, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
            with os.fdopen(fd, "w") as handle:
                handle.write(GITIGNORE)
        except OSError:
            pass  # another command wrote it, or a read-only folder (then no index either)


def _open_lock(path: Path) -> int:
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    for attempt in range(2):
        try:
            fd: int | None = os.open(path, flags, 0o600)
        except OSError:
            fd = None  # a symlink (ELOOP), a folder...
        if fd is not None:
            info = os.fstat(fd)
            if st.S_ISREG(info.st_mode) and info.st_uid == os.geteuid():
                return fd
            os.close(fd)
        if attempt == 0:
            try:
                os.unlink(path)  # not a lock file of ours: remove the name (never what it points to)
            except OSError:
                break
    raise Unavailable(f"{path} is not a lock file of this user's")


def _try_lock(fd: int, exclusive: bool) -> bool:
    import fcntl

    try:
        fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    except OSError as exc:
        raise Unavailable(f"cannot lock the index: {exc}") from None


def _unlock(fd: int) -> None:
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


def _trusted_file(path: Path, must_exist: bool) -> bool:
    """A regular file of ours with one name (or, unless `must_exist`, no file)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return not must_exist
    except OSError:
        return False
    return st.S_ISREG(info.st_mode) and info.st_uid == os.geteuid() and info.st_nlink == 1


def _looks_ours(path: Path) -> bool:
    if not _trusted_file(path, must_exist=True):
        return False
    if not all(_trusted_file(Path(f"{path}{suffix}"), must_exist=False) for suffix in COMPANIONS):
        return False
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        try:
            head = os.read(fd, len(HEADER))
        finally:
            os.close(fd)
    except OSError:
        return False
    return head == HEADER


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT, isolation_level=None)
    try:
        # Nothing in the file may run code of its own (views, triggers): the
        # schema is checked, and untrusted schema functions are off anyway.
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA cell_size_check = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.Error:
        conn.close()
        raise
    return conn


def _verified(path: Path, meta: dict[str, str]) -> sqlite3.Connection | None:
    """A connection to `path` if it is certainly this kith's index, else None."""
    if not _looks_ours(path):
        return None
    try:
        conn = _connect(path)
    except sqlite3.Error:
        return None
    try:
        if _schema_rows(conn) != expected_schema():
            raise LookupError("schema")
        stored = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        if stored != meta:
            raise LookupError("meta")
        count = conn.execute("SELECT (SELECT count(*) FROM manifest) + (SELECT count(*) FROM jmanifest)").fetchone()[0]
        if count != 2:
            raise LookupError("manifest")
        return conn
    except (sqlite3.Error, LookupError):
        conn.close()
        return None


def _open_checked(path: Path, lock_fd: int, meta: dict[str, str], force: bool = False) -> sqlite3.Connection:
    """A verified connection, held under the shared lock; the file is made
    anew first (under the exclusive lock, which no command holds while
    another uses the file) when it is missing, foreign, damaged, or `force`."""
    deadline = time.monotonic() + LOCK_TIMEOUT
    created = 0
    while True:
        if _try_lock(lock_fd, exclusive=False):
            conn = None if force else _verified(path, meta)
            if conn is not None:
                return conn
            _unlock(lock_fd)
        if created < 3 and _try_lock(lock_fd, exclusive=True):
            try:
                conn = None if force else _verified(path, meta)  # another command may have just made it
                if conn is None:
                    created += 1
                    _create(path, meta)
                else:
                    conn.close()
                force = False
            finally:
                _unlock(lock_fd)
            continue
        if created >= 3 or time.monotonic() > deadline:
            raise Unavailable("the index could not be opened")
        time.sleep(0.02)


def _create(path: Path, meta: dict[str, str]) -> None:
    """A new, empty index at `path`, whatever was there (we hold the exclusive lock)."""
    for suffix in ("", *COMPANIONS):
        try:
            os.unlink(f"{path}{suffix}")
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise Unavailable(f"cannot remove {path}{suffix}: {exc}") from None
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        os.close(fd)
        conn = _connect(path)
    except (OSError, sqlite3.Error) as exc:
        raise Unavailable(f"cannot create {path}: {exc}") from None
    try:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error:
            pass  # a file system without shared memory: the rollback journal serves
        conn.execute("BEGIN IMMEDIATE")
        for statement in SCHEMA:
            conn.execute(statement)
        conn.executemany("INSERT INTO meta(key, value) VALUES (?, ?)", sorted(meta.items()))
        conn.execute(
            "INSERT INTO manifest(id, generation, names, keys, racy, folders) VALUES (1, 0, ?, ?, ?, '{}')",
            (b"", b"", b""),
        )
        conn.execute(
            "INSERT INTO jmanifest(id, folder, generation, names, keys, racy, folders) VALUES (1, '', 0, ?, ?, ?, '{}')",
            (b"", b"", b""),
        )
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        raise Unavailable(f"cannot create {path}: {exc}") from None
    finally:
        conn.close()

