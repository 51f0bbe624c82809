"""The one loader: find the repository, read every contact file into a Person.

A broken file never stops the others: it becomes findings, and (when its
front matter could not be read at all) no Person.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import posixpath
import stat
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import codes
from .body import parse_body
from .fields import read_front_matter
from .freshness import RACY_NS, StatKey, stat_key  # noqa: F401 - RACY_NS: kith.cache imports it from here
from .model import Finding, Network, Person
from .parse import Problem, decode, load_yaml, split
from .repository import PEOPLE_DIR, RepositoryNotFound, find_root, printable, relpath  # noqa: F401 - re-exported
from .slug import slug_status, slugify

if TYPE_CHECKING:
    from .config import Settings


def contact_files(people: Path, listings: dict | None = None) -> list[Path]:
    """Every `*.md` below `people/`, skipping names that start with `.` or `_`.

    Like os.walk (symlinked folders are listed but not entered), but the
    Paths come from `iterdir()`, which builds each child without parsing its
    string again: on 30,000 files that is most of the walk's time.

    `listings` (a dict the caller keeps, as FileCache does) remembers each
    folder's entries: a folder whose modification time, change time and
    inode are unchanged has the same entries (adding, removing or renaming
    one changes them), unless it changed so recently that a second change
    could share its timestamp (see cache.RACY_NS)."""
    found: list[Path] = []
    folders = [people]
    now = time.time_ns()
    while folders:
        folder = folders.pop()
        listed = _listing(folder, listings, now)
        if listed is None:
            continue  # unreadable or vanished meanwhile, as os.walk skips it
        subfolders, files = listed
        folders.extend(subfolders)
        found.extend(files)
    # Path order (part by part), sorted on the parts tuples: comparing Path
    # objects directly rebuilds their comparison keys on every comparison.
    found.sort(key=lambda path: path.parts)
    return found


def _listing(folder: Path, listings: dict | None, now: int) -> tuple[list[Path], list[Path]] | None:
    """(subfolders to enter, contact files) of one folder."""
    key = None
    if listings is not None:
        try:
            stat = os.stat(folder)
        except OSError:
            return None
        key = (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
        hit = listings.get(str(folder))
        if hit is not None and hit[0] == key:
            return hit[1]
    try:
        with os.scandir(folder) as entries:
            kinds = {entry.name: (_is_dir(entry), entry.is_symlink()) for entry in entries}
        children = list(folder.iterdir())
    except OSError:
        return None
    subfolders: list[Path] = []
    files: list[Path] = []
    for child in children:
        name = child.name
        if name.startswith((".", "_")) or name not in kinds:
            continue
        is_dir, is_link = kinds[name]
        if is_dir:
            if not is_link:
                subfolders.append(child)
        elif name.endswith(".md"):
            files.append(child)
    if listings is not None and key is not None and now - max(key[0], key[1]) > RACY_NS:
        listings[str(folder)] = (key, (subfolders, files))
    return subfolders, files


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


@dataclass(slots=True)
class LoadedFile:
    relpath: str
    person: Person | None
    findings: list[Finding] = field(default_factory=list)


def _findings(rel: str, problems: list[Problem]) -> list[Finding]:
    return [Finding(rel, line, codes.severity(code), code, msg) for line, code, msg in problems]


def parse_person(raw: bytes, path: Path, rel: str) -> LoadedFile:
    """Bytes of one contact file -> Person and findings. Pure: no I/O."""
    slug, slug_problems = slug_of(path.stem)
    if slug is None:
        return LoadedFile(rel, None, _findings(rel, slug_problems))
    text, problem = decode(raw)
    if problem:
        return LoadedFile(rel, None, _findings(rel, [problem]))
    parts, problem = split(text)
    if problem:
        return LoadedFile(rel, None, _findings(rel, [problem]))
    fm, problem = load_yaml(parts.yaml_text, parts.yaml_first_line)
    if problem:
        return LoadedFile(rel, None, _findings(rel, [problem]))
    if fm.data is None:
        # `---` then `---`: no keys yet, so the one finding is the missing name.
        fm.data = {}
    if not isinstance(fm.data, dict):
        what = f"a {type(fm.data).__name__}"
        return LoadedFile(
            rel,
            None,
            _findings(
                rel,
                [
                    (
                        parts.yaml_first_line,
                        "frontmatter-not-mapping",
                        f"front matter is {what}; it should be `key: value` lines "
                        "starting with `name: ...`",
                    )
                ],
            ),
        )
    person = Person(slug=slug, path=path, relpath=rel, name="")
    problems = slug_problems + read_front_matter(person, fm)
    body = parse_body(parts.body, parts.body_first_line)
    person.log = body.log
    person.tasks = body.tasks
    person.mentions = body.mentions
    person.notes = body.notes
    person.withheld = body.withheld
    person.notes_plain = body.notes_plain
    person.body_line = parts.body_first_line
    problems.extend(body.problems)
    if not person.name:
        # Still a person (others may link here), named by the slug for display.
        person.name = person.slug
    return LoadedFile(rel, person, _findings(rel, problems))


def slug_of(stem: str) -> tuple[str | None, list[Problem]]:
    """A file name's slug (NFC, so that one name typed on a Mac and on
    Linux is one person) and what is wrong with it. None when the name
    cannot be a slug at all: it would reach URLs and HTML."""
    if not stem.isascii():
        try:
            stem.encode("utf-8")
        except UnicodeEncodeError:
            return None, [(1, "slug-invalid", "the file name is not valid UTF-8: rename the file (kith enrich --rename)")]
        stem = unicodedata.normalize("NFC", stem)
    verdict = slug_status(stem)
    if verdict == "invalid":
        suggestion = slugify(stem) or "firstname-lastname"
        return None, [
            (
                1,
                "slug-invalid",
                f"the file name `{stem}` cannot be a slug (letters, digits, `-`, `_` and `.` only): "
                f"this person is left out until the file is renamed, for example to {suggestion}.md",
            )
        ]
    if verdict == "style":
        return stem, [
            (
                1,
                "slug-style",
                f"the file name `{stem}` is not lower-case-kebab like `{slugify(stem) or 'ada-lovelace'}`; "
                "`kith enrich --rename` renames files and the links to them",
            )
        ]
    return stem, []


MAX_FILE = 8 * 1024 * 1024
"""Bytes a contact file may have. A person's notes are a few kilobytes; a
file of megabytes is a mistake (a pasted export, an attachment), and the
parse of Markdown it would need is not worth a build."""


class Unreadable(Exception):
    """A contact file that cannot be read: (code, message)."""


def read_contact(path: Path | str) -> bytes:
    """The bytes of a contact file, refusing what is not a regular file of
    bounded size. Opened without blocking, so a FIFO named `x.md` (which
    would wait for a writer forever) is refused rather than read."""
    return read_regular(path, MAX_FILE)


def read_regular(path: Path | str, limit: int, follow_links: bool = True) -> bytes:
    """The bytes of `path` if it is a regular file of at most `limit` bytes,
    else Unreadable: opened without blocking (a pipe never waits), checked
    with fstat on what was opened (no race with a rename), read no further
    than the limit (a device never fills memory)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    too_large = Unreadable("file-too-large", f"over {limit // (1024 * 1024)} MiB: left out")
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise Unreadable("unreadable", f"cannot read: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("not-a-file", "not a regular file (a pipe, device or socket): left out")
        if info.st_size > limit:
            raise too_large
        chunks = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
    except OSError as exc:
        raise Unreadable("unreadable", f"cannot read: {exc.strerror}") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise too_large
    return data


def load_file(path: Path, root: Path, rel: str | None = None) -> LoadedFile:
    """Read and parse one file; `rel` spares resolving paths already known
    to lie under `root` (two `resolve()` calls cost more than the read)."""
    return _read_and_parse(path, root, rel)[0]


def _read_and_parse(path: Path, root: Path, rel: str | None, raw: bytes | None = None) -> tuple[LoadedFile, bytes | None]:
    """`load_file`, and the bytes it read (None when it read none)."""
    rel = printable(rel if rel is not None else relpath(path, root))
    if raw is None:
        try:
            raw = read_contact(path)
        except Unreadable as exc:
            code, message = exc.args
            return LoadedFile(rel, None, [Finding(rel, 0, codes.severity(code), code, message)]), None
    loaded = parse_person(raw, path, rel)
    if os.path.islink(path):
        target = os.path.realpath(path)
        inside = os.path.realpath(root) + os.sep
        if not target.startswith(inside):
            loaded.findings.append(
                Finding(
                    rel,
                    0,
                    codes.severity("symlink-outside"),
                    "symlink-outside",
                    f"a link to {printable(target)}, outside the repository: it is read and published like any "
                    "other contact file; make sure that is meant",
                )
            )
    return loaded, raw


def _digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


@contextlib.contextmanager
def paused_gc(when: bool = True) -> Iterator[None]:
    """Pause the cyclic garbage collector while a network is built.

    Loading allocates millions of small long-lived objects; each allocation
    burst triggers collections that walk everything allocated so far and
    free nothing, which makes loading 30,000 people several times slower
    than 1,000 times 30 (unpickling them: 10.9 s instead of 3.1 s). The
    objects are reference-counted as usual meanwhile; only cycles wait.
    `when=False`: no pause (for small work, where a pause would only gather
    the collector's work into one lump for whatever code runs next)."""
    if not when:
        yield
        return
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class FileCache:
    """Parsed files kept between loads (the `mkdocs serve` rebuilds), reused
    while a file's stat key (see `stat_key`) is unchanged."""

    def __init__(self) -> None:
        # str(path) -> (stat key, parsed file). Strings, not Paths: cheaper
        # to hash, and to pickle for the on-disk cache (kith.cache).
        self._entries: dict[str, tuple[StatKey, LoadedFile]] = {}
        # str(path) -> a digest of the bytes parsed, for files changed so
        # recently that a second change could keep the same stat key.
        self._digests: dict[str, bytes] = {}
        self.changed = False  # anything parsed or dropped since the last save
        # Each folder's entries, while unchanged (see contact_files). In
        # memory only: a later process stats the folders anyway.
        self.listings: dict = {}

    def load(self, path: Path, root: Path, rel: str | None = None, name: str | None = None) -> LoadedFile:
        """The file at `path` (`name` is str(path), when the caller has it)."""
        if name is None:
            name = str(path)
        try:
            key = stat_key(os.stat(name))
        except OSError:
            return load_file(path, root, rel)
        hit = self._entries.get(name)
        raw = None
        loaded: LoadedFile | None = None
        if hit is not None and hit[0] == key:
            if time.time_ns() - max(key[0], key[2]) > RACY_NS:
                return self._reused(hit[1], path)
            # Changed within the last two seconds: on a file system whose
            # timestamps are coarse, a second edit of the same size made
            # since would have the same key (git's "racily clean" files).
            # The bytes decide.
            try:
                raw = read_contact(path)
            except Unreadable:
                raw = None
            digest = _digest(raw) if raw is not None else None
            if digest is not None and self._digests.get(name) == digest:
                return self._reused(hit[1], path)
            if digest is not None and name not in self._digests:
                # Cached before this process saw its bytes: parsed again, it
                # is the cached object still if it parses the same, else
                # what was just parsed is the file's.
                loaded, _ = _read_and_parse(path, root, rel, raw)
                self._digests[name] = digest
                if loaded == self._reused(hit[1], path):
                    return hit[1]
        if loaded is None:
            loaded, raw = _read_and_parse(path, root, rel, raw)
        self._entries[name] = (key, loaded)
        if raw is not None and time.time_ns() - max(key[0], key[2]) <= RACY_NS:
            self._digests[name] = _digest(raw)
        else:
            self._digests.pop(name, None)
        self._changed(name)
        return loaded

    @staticmethod
    def _reused(loaded: LoadedFile, path: Path) -> LoadedFile:
        if loaded.person is not None:
            # The caller's Path for this file: the on-disk cache stores
            # paths as text (kith.cache), and this costs nothing here.
            loaded.person.path = path
        return loaded

    def forget_missing(self, names: set[str]) -> None:
        """Drop the files not among `names` (str(path) of each present file)."""
        for name in list(self._entries):
            if name not in names:
                del self._entries[name]
                self._digests.pop(name, None)
                self._changed(name)

    def _changed(self, name: str) -> None:
        """The entry for `name` was parsed or dropped (the disk cache tracks which)."""
        self.changed = True


def assemble(root: Path, loaded: list[LoadedFile]) -> Network:
    """Loaded files -> a Network; two files with one slug: the first wins."""
    network = Network(root=root)
    first_path: dict[str, str] = {}
    for item in loaded:
        network.files.append(item.relpath)
        network.findings.extend(item.findings)
        person = item.person
        if person is None:
            continue
        if person.slug in network.people:
            network.findings.append(
                Finding(
                    item.relpath,
                    1,
                    "error",
                    "duplicate-slug",
                    f"slug `{person.slug}` is already taken by {first_path[person.slug]}; "
                    "slugs are file names and must be unique across people/",
                )
            )
            continue
        first_path[person.slug] = item.relpath
        network.people[person.slug] = person
    return network


def load_network(
    root: Path,
    people_dir: str = PEOPLE_DIR,
    cache: FileCache | None = None,
    progress: Callable[[list[Path]], Iterable[Path]] | None = None,
    settings: "Settings | None" = None,
) -> Network:
    """Every contact file under `root/people_dir`, with the loader's findings
    (not yet the cross-file checks: see `validate.check`), the journal, and
    each person's contact written elsewhere (`contact.credit_network`).

    `cache` reuses files parsed before (in memory, or on disk: kith.cache);
    `progress` wraps the list of files, to draw a bar while they are read;
    `settings` gives the journal folder and the contact kinds (default:
    the defaults)."""
    network = _load_people(root, people_dir, cache, progress)
    capture(network, settings)
    return network


def capture(network: Network, settings: "Settings | None" = None) -> None:
    """Add the journal and the cross-file contacts to a freshly assembled network."""
    from .config import Settings
    from .contact import credit_network
    from .journal import link_findings, load_journal

    settings = settings or Settings()
    notes, findings, files = load_journal(network.root, settings.journal_dir)
    network.journal = notes
    network.journal_files = files
    if notes:
        stems = {posixpath.splitext(posixpath.basename(rel))[0] for rel in network.files}
        findings.extend(link_findings(notes, set(network.people), stems - set(network.people)))
    network.findings.extend(findings)
    credit_network(network, settings.contact_kinds)


def _load_people(
    root: Path,
    people_dir: str,
    cache: FileCache | None,
    progress: Callable[[list[Path]], Iterable[Path]] | None,
) -> Network:
    people = root / people_dir
    listings = cache.listings if cache is not None else None
    # Bulk work (a first load: every file parsed, or its folders walked)
    # runs with the collector paused; a reload through a warm cache makes
    # few objects, and a pause would only gather the collector's work into
    # one lump for whatever code runs next.
    bulk = cache is None or not cache.listings
    with paused_gc(when=bulk):
        files = contact_files(people, listings) if people.is_dir() else []
        # Each path as text once (Paths hash and compare through it). Files
        # come from walking root/people_dir, so their relative path is a
        # string operation; only a root reached through a symlink needs resolving.
        names = [str(path) for path in files]
        prefix = str(root) + os.sep
        rels = [name[len(prefix):].replace(os.sep, "/") if name.startswith(prefix) else None for name in names]
    ordered = progress(files) if progress is not None else files
    with paused_gc(when=bulk):
        if cache is None:
            return assemble(root, [load_file(path, root, rel) for path, rel in zip(ordered, rels)])
        cache.forget_missing(set(names))
        return assemble(
            root, [cache.load(path, root, rel, name) for path, rel, name in zip(ordered, rels, names)]
        )
