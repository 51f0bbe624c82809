"""The index: what the read commands ask, kept in SQLite beside the cache.

`kith find`, `show`, `due`, `suggest`, `log` and slug completion ask their
question of `.kith-cache/index-<people folder>.sqlite` instead of loading
everyone, so they cost about what their answer holds, not what the network
holds. The index is only ever a faster way to the answer the files give:

- fresh: before answering, every folder and file is stated (about 45 ms for
  30,000 files, in two processes: kith.index.walk) and compared with what
  was indexed; changed files are read again, removed ones dropped, in one
  transaction (kith.index.build);
- exact: the index narrows who is looked at; the core's own rules (find's
  scoring, the follow-up rules, relations, suggestions) make the answer
  (kith.index.query);
- never trusted: a file that is not certainly this kith's index is rebuilt
  (kith.index.store), every value read back is checked (kith.index.records),
  and whenever the index cannot answer for certain the command reads the
  files as it always did (`answer`);
- never public: nothing built for others (the site, an export, the calendar
  feed) reads it.

`KITH_INDEX=0` in the environment turns it off.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import TypeVar

from .store import HAS_FTS5, Damaged, Store, Unavailable, damaged

T = TypeVar("T")

ENV = "KITH_INDEX"

Progress = Callable[[list, str], Iterable]  # (items, what is done to them) -> the items, with a bar


def enabled() -> bool:
    return os.environ.get(ENV, "").strip().lower() not in ("0", "off", "no", "false")


def _people_dir(people_dir: str) -> str:
    """The people folder as the index names paths (`a/b`), or Unavailable
    for one it cannot follow the loader in (absolute, `..`)."""
    path = PurePosixPath(people_dir)
    if os.sep != "/" or path.is_absolute() or not path.parts or any(p in ("..", ".") for p in path.parts):
        raise Unavailable(f"people_dir {people_dir!r}")
    return "/".join(path.parts)


def _journal_dir(root: Path, journal_dir: str | None) -> str | None:
    """The journal folder as the index names paths, "" when there is no
    journal (off, missing, or outside the repository: `journal.is_enabled`),
    None when it is not to be looked at."""
    if journal_dir is None:
        return None
    from ..repository import journal_enabled

    return _people_dir(journal_dir) if journal_enabled(root, journal_dir) else ""


class Index:
    """An open index of one repository's people folder (and its journal,
    whose entries count as contact with the people they mention). Use
    `answer`."""

    def __init__(self, store: Store, root: Path, people_dir: str, journal: str | None = None) -> None:
        self.store = store
        self.root = root
        self.people_dir = people_dir
        # The journal folder ("" for none), or None: the journal is not
        # looked at (questions that do not read contact: find, completion).
        self.journal = journal
        self.has_fts = HAS_FTS5
        self.generation = -1
        self.names: list[str] = []  # every contact file, in the loader's order

    @classmethod
    def open(cls, root: Path, people_dir: str, journal_dir: str | None = None) -> "Index":
        rel = _people_dir(people_dir)
        journal = _journal_dir(root, journal_dir)
        return cls(Store.open(root, people_dir), root, rel, journal)

    @property
    def conn(self) -> sqlite3.Connection:
        return self.store.conn

    def close(self) -> None:
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
        self.store.close()

    def rebuild(self) -> None:
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
        self.store.rebuild(self.root, self.people_dir)

    def listing(self) -> list[str]:
        """Every contact file (paths relative to the root), as the loader
        would list them now, without looking inside any."""
        from .build import read_manifest
        from .walk import list_files

        manifest = read_manifest(self.conn)
        names, _, _ = list_files(str(self.root), self.people_dir, manifest.folders, manifest.names)
        return names

    def refresh(self, progress: Progress | None = None) -> None:
        """Bring the index in step with the files, and leave a read
        transaction open whose snapshot is that state: the questions asked
        next all see one moment."""
        from .build import observe, parse_changed, parse_notes, read_manifest, write, write_journal

        conn = self.conn
        root = str(self.root)
        conn.execute("BEGIN")
        manifest = read_manifest(conn)
        observed = observe(root, self.people_dir, manifest)
        journal = self._journal_state()
        if observed.fresh and (journal is None or journal[3].fresh):
            self._ready(manifest.generation, observed.names)
            return
        conn.execute("ROLLBACK")
        parsed = parse_changed(self.root, self.people_dir, observed, {}, progress)
        notes = parse_notes(self.root, journal[3], {}) if journal is not None else {}
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise Unavailable(f"the index is busy: {exc}") from None
        try:
            current = read_manifest(conn)
            again = self._journal_state()
            if current.generation != manifest.generation or (journal is not None and again[2].generation != journal[2].generation):
                # Another command wrote meanwhile: look again, now that
                # nobody else can write, so that what is written is newer.
                manifest = current
                journal = again
                observed = observe(root, self.people_dir, manifest)
                parsed = parse_changed(self.root, self.people_dir, observed, parsed, None)
                if journal is not None:
                    notes = parse_notes(self.root, journal[3], notes)
            if not observed.fresh or (journal is not None and not journal[3].fresh):
                write(conn, manifest, observed, parsed, progress)
            if journal is not None and not journal[3].fresh:
                folder, stored, journal_manifest, journal_observed = journal
                write_journal(conn, folder, stored, journal_manifest, journal_observed, notes)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("BEGIN")
        manifest = read_manifest(conn)
        self._ready(manifest.generation, manifest.names)

    def _journal_state(self):
        """(folder, the folder the index was made for, its manifest, the
        notes observed against it), or None when the journal is not looked at."""
        if self.journal is None:
            return None
        from array import array

        from .build import Manifest, observe, read_journal_manifest

        stored, manifest = read_journal_manifest(self.conn)
        if stored != self.journal:
            # Another folder (or none) than the index was made for: every
            # note is read anew, and what was there is forgotten.
            manifest = Manifest(manifest.generation, [], array("q"), set(), {})
        observed = observe(str(self.root), self.journal, manifest)
        if stored != self.journal:
            observed.fresh = False
        return self.journal, stored, manifest, observed

    def _ready(self, generation: int, names: list[str]) -> None:
        self.generation = generation
        self.names = names
        if self.conn.execute("SELECT 1 FROM files WHERE ok = 0 AND winner = 1 LIMIT 1").fetchone():
            raise Unavailable("a contact holds text the index cannot store")

    def end(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("COMMIT")

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """A write transaction (after `end()`)."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise Unavailable(f"the index is busy: {exc}") from None
        try:
            yield
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise


def answer(
    root: Path,
    people_dir: str,
    fast: Callable[[Index], T],
    slow: Callable[[], T],
    progress: Progress | None = None,
    fresh: bool = True,
    journal_dir: str | None = None,
) -> T:
    """`fast(index)` on a fresh index (`fresh=False`: not refreshed, for
    questions about the listing alone), or `slow()` (the files, as without
    an index) whenever the index cannot answer for certain: turned off,
    unavailable, damaged twice, or disagreeing with the core's rules.
    `journal_dir` (Settings.journal_dir): the journal is kept fresh too, for
    questions about contact (None: not looked at).
    `fast` must not print: it may be run twice."""
    if not enabled():
        return slow()
    try:
        index = Index.open(root, people_dir, journal_dir)
    except Unavailable:
        return slow()
    try:
        for _ in range(2):
            try:
                if fresh:
                    index.refresh(progress)
                result = fast(index)
                index.end()
                return result
            except Damaged:
                index.rebuild()
            except sqlite3.DatabaseError as exc:
                if not damaged(exc):
                    break
                index.rebuild()
    except (Unavailable, sqlite3.Error, OSError):
        pass
    except Exception as exc:  # noqa: BLE001 - see below
        from .query import Disagree

        if not isinstance(exc, Disagree):
            raise
    finally:
        try:
            index.close()
        except (sqlite3.Error, OSError):
            pass
    return slow()
