"""Keeping the index in step with the contact files.

`Manifest` is the freshness check in one row: every file in the loader's
order, each file's stat key when it was indexed, the files indexed within
the racy window, the folders' keys. A command compares it with the folders
and files as they are (`observe`); when anything differs, `update` parses
the files that changed (and only those), rewrites their rows and drops the
rows of files that are gone, in one transaction.

A file is re-read when its stat key differs from the one stored with its
rows, or when it was indexed within RACY_NS of its last change: an edit in
the same timestamp tick as the indexing leaves the key as it was (git's
"racily clean" rule), so such a file is read again by every command until
it has been indexed well after its last change. The key stored with a
file's rows is always one seen before its content was read.
"""

from __future__ import annotations

import json
import os
import sqlite3
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import walk
from .store import Damaged
from .walk import KEY_WIDTH, Folders, list_files, stat_key, stat_keys

BULK = 300
"""More changed files than this are read through the parse cache (kith.cache),
which keeps them for `kith validate` and the site too."""

Progress = Callable[[list, str], Iterable]  # (items, what is done to them) -> the items, with a bar


@dataclass
class Manifest:
    generation: int
    names: list[str]
    keys: array
    racy: set[str]
    folders: Folders

    def key_of(self) -> dict[str, tuple[int, ...]]:
        keys = self.keys
        return {
            name: tuple(keys[i * KEY_WIDTH : (i + 1) * KEY_WIDTH]) for i, name in enumerate(self.names)
        }


def _split(blob: bytes) -> list[str]:
    text = blob.decode("utf-8", "surrogateescape")
    return text.split("\0") if text else []


def _join(names: Iterable[str]) -> bytes:
    return "\0".join(names).encode("utf-8", "surrogateescape")


def read_manifest(conn: sqlite3.Connection) -> Manifest:
    row = conn.execute("SELECT generation, names, keys, racy, folders FROM manifest WHERE id = 1").fetchone()
    if row is None:
        raise Damaged("no manifest")
    return _manifest(row)


def read_journal_manifest(conn: sqlite3.Connection) -> tuple[str, Manifest]:
    """(the journal folder it was made for, "" for none; its manifest)."""
    row = conn.execute("SELECT folder, generation, names, keys, racy, folders FROM jmanifest WHERE id = 1").fetchone()
    if row is None or type(row[0]) is not str:
        raise Damaged("no journal manifest")
    return row[0], _manifest(row[1:])


def _manifest(row: tuple) -> Manifest:
    generation, names, keys, racy, folders = row
    if type(generation) is not int or not all(type(x) is bytes for x in (names, keys, racy)):
        raise Damaged("manifest")
    key_array = array("q")
    if len(keys) % key_array.itemsize:
        raise Damaged("manifest keys")
    key_array.frombytes(keys)
    name_list = _split(names)
    if len(key_array) != KEY_WIDTH * len(name_list):
        raise Damaged("manifest keys")
    return Manifest(generation, name_list, key_array, set(_split(racy)), _folders(folders))


def _folders(text: Any) -> Folders:
    if type(text) is not str:
        raise Damaged("manifest folders")
    try:
        data = json.loads(text)
    except ValueError:
        raise Damaged("manifest folders") from None
    if type(data) is not dict:
        raise Damaged("manifest folders")
    out: Folders = {}
    for rel, value in data.items():
        if type(value) is not list or len(value) != 2 or type(value[0]) is not list or len(value[0]) != 3:
            raise Damaged("manifest folders")
        key, subfolders = value
        if not all(type(x) is int for x in key) or type(subfolders) is not list:
            raise Damaged("manifest folders")
        if not all(type(x) is str and x and "/" not in x for x in subfolders):
            raise Damaged("manifest folders")
        out[rel] = ((key[0], key[1], key[2]), subfolders)
    return out


@dataclass
class Observed:
    """The folders and files as they are now, against a manifest."""

    names: list[str]
    folders: Folders
    keys: dict[str, tuple[int, ...]] | None  # every present file's stat key; None: the manifest's
    changed: list[str]  # files to read again: new, different, or racy
    removed: list[str]  # files gone since the manifest
    fresh: bool  # nothing to write at all


def observe(root: str, people_dir: str, manifest: Manifest) -> Observed:
    """The files under `people_dir` (a folder relative to `root`; "": none)
    against `manifest`."""
    if not people_dir:
        return Observed([], {}, {}, [], list(manifest.names), fresh=not manifest.names and not manifest.folders)
    names, folders, relisted = list_files(root, people_dir, manifest.folders, manifest.names)
    if not relisted and not manifest.racy:
        keys = stat_keys(root, names)
        if keys is not None and keys == manifest.keys:
            return Observed(names, folders, None, [], [], fresh=folders == manifest.folders)
    old = manifest.key_of()
    now_keys: dict[str, tuple[int, ...]] = {}
    present = []
    for name in names:
        key = stat_key(root, name)
        if key is None:
            continue  # gone since the listing: as if it had not been listed
        now_keys[name] = key
        present.append(name)
    changed = [name for name in present if old.get(name) != now_keys[name] or name in manifest.racy]
    current = set(present)
    removed = [name for name in manifest.names if name not in current]
    return Observed(present, folders, now_keys, changed, removed, fresh=False)


@dataclass
class Parsed:
    key: tuple[int, ...]
    loaded: Any  # load.LoadedFile


def parse_changed(
    root: Path, people_dir: str, observed: Observed, done: dict[str, Parsed], progress: Progress | None
) -> dict[str, Parsed]:
    """Read every changed file not already read with the same key (the key
    was seen before the file is read)."""
    keys = observed.keys or {}
    todo = [name for name in observed.changed if name not in done or done[name].key != keys[name]]
    if not todo:
        return done
    from ..load import load_file, paused_gc

    prefix = str(root) + os.sep
    bulk = len(todo) > BULK
    ordered = progress(todo, "Reading people") if progress is not None else todo
    with paused_gc(when=bulk):
        if bulk:
            from ..cache import DiskCache

            cache = DiskCache.open(root, people_dir)
            for name in ordered:
                path = prefix + name
                done[name] = Parsed(keys[name], cache.load(Path(path), root, name, path))
            cache.save()
        else:
            for name in ordered:
                done[name] = Parsed(keys[name], load_file(Path(prefix + name), root, name))
    return done


def write(
    conn: sqlite3.Connection,
    manifest: Manifest,
    observed: Observed,
    parsed: dict[str, Parsed],
    progress: Progress | None = None,
) -> None:
    """Inside a write transaction: the rows of changed and removed files, the
    winners, the manifest. `manifest` is the one read in this transaction,
    `observed` made against it."""
    from .rows import Writer

    if observed.changed or observed.removed:
        writer = Writer(conn, bulk=len(observed.changed) > BULK)
        for name in observed.removed:
            writer.drop(name)
        changed = observed.changed
        for name in progress(changed, "Indexing people") if progress is not None and len(changed) > 1 else changed:
            writer.put(name, parsed[name].loaded)
        writer.finish(observed.names)
    conn.execute(
        "UPDATE manifest SET generation = ?, names = ?, keys = ?, racy = ?, folders = ? WHERE id = 1",
        (manifest.generation + 1, *_manifest_values(manifest, observed)),
    )


def _manifest_values(manifest: Manifest, observed: Observed) -> tuple:
    """(names, keys, racy, folders) as the manifest keeps them after `observed`."""
    now = walk.now_ns()
    if observed.keys is None:
        keys = manifest.keys
        racy: list[str] = []
    else:
        keys = array("q")
        racy = []
        for name in observed.names:
            key = observed.keys[name]
            keys.extend(key)
            mtime, _, ctime, _ = key
            if now - max(mtime, ctime) <= walk.RACY_NS:
                racy.append(name)
    folders = json.dumps({rel: [list(key), subs] for rel, (key, subs) in observed.folders.items()})
    return _join(observed.names), keys.tobytes(), _join(racy), folders


# -- the journal ---------------------------------------------------------------


def parse_notes(root: Path, observed: Observed, done: dict[str, Parsed]) -> dict[str, Parsed]:
    """Read every changed journal note not already read with the same key
    (`Parsed.loaded`: a journal.JournalNote, or None when unreadable)."""
    keys = observed.keys or {}
    todo = [name for name in observed.changed if name not in done or done[name].key != keys[name]]
    if not todo:
        return done
    from ..journal import parse_note
    from ..load import Unreadable, read_contact

    prefix = str(root) + os.sep
    for name in todo:
        try:
            raw = read_contact(prefix + name)
        except Unreadable:
            done[name] = Parsed(keys[name], None)
            continue
        stem = name.rpartition("/")[2][: -len(".md")]
        done[name] = Parsed(keys[name], parse_note(raw, name, stem)[0])
    return done


def write_journal(
    conn: sqlite3.Connection,
    folder: str,
    stored_folder: str,
    manifest: Manifest,
    observed: Observed,
    parsed: dict[str, Parsed],
) -> None:
    """Inside a write transaction: the rows of changed and removed notes and
    the journal's manifest (all of it anew when the folder changed)."""
    from .rows import JournalWriter

    writer = JournalWriter(conn)
    if folder != stored_folder:
        writer.clear()
    for name in observed.removed:
        writer.drop(name)
    for name in observed.changed:
        writer.put(name, parsed[name].loaded)
    conn.execute(
        "UPDATE jmanifest SET folder = ?, generation = ?, names = ?, keys = ?, racy = ?, folders = ? WHERE id = 1",
        (folder, manifest.generation + 1, *_manifest_values(manifest, observed)),
    )
