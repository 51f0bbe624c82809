"""References from one person to another: in a contact file the `with:`
of a relationship, `met.via` and `[[slug]]` in the body; in a journal note
`[[slug]]` in its text. Moving a person (`kith enrich --rename`, `kith
merge`) rewrites them here, in one place."""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import grammar
from .write import BodyEditor, Change, Document, DocumentError, split_lines

if TYPE_CHECKING:
    from .model import Network


def strip_link(text: str) -> str:
    """`[[ada]]` -> `ada`: a slug may be written as a link in YAML too."""
    text = text.strip()
    if text.startswith("[[") and text.endswith("]]"):
        return text[2:-2].strip()
    return text


def relationship_paths(doc: Document) -> list[tuple[tuple[Any, ...], dict]]:
    """(path of the item, the item) for each relationship; `relationships`
    may be a list or, loosely, a single mapping."""
    rels = doc.get("relationships")
    if isinstance(rels, dict):
        return [(("relationships",), rels)]
    if isinstance(rels, list):
        return [(("relationships", i), item) for i, item in enumerate(rels) if isinstance(item, dict)]
    return []


def rewrite_references(doc: Document, old: str, new: str) -> int:
    """Every `with: old`, `via: old` and `[[old]]` in `doc` -> `new`, each in
    the form it was written (`[[old]]` in YAML stays a link); returns how many."""
    count = 0
    for path, item in relationship_paths(doc):
        value = item.get("with")
        if isinstance(value, str) and strip_link(value) == old:
            written = value.replace(old, new) if "[[" in value else new
            count += doc.set_in(path + ("with",), written)
    via = doc.get_in(("met", "via"))
    if isinstance(via, str) and strip_link(via) == old:
        count += doc.set_in(("met", "via"), via.replace(old, new) if "[[" in via else new)
    elif via == [[old]]:
        count += doc.set_in(("met", "via", 0, 0), new)
    count += doc.rewrite_mentions(old, new)
    return count


# -- the journal ----------------------------------------------------------------


class NoteRefused(Exception):
    """A journal note that refers to the person and cannot be rewritten:
    the command that moves them waits until it is fixed."""

    def __init__(self, relpath: str, line: int, message: str) -> None:
        super().__init__(message)
        self.relpath = relpath
        self.line = line
        self.message = message


def rewrite_note_mentions(raw: bytes, old: str, new: str) -> tuple[bytes, int]:
    """A journal note's bytes with every `[[old]]` (and `[[old|label]]`) in
    its text rewritten to `new`, every other byte as it was; and how many.

    The note is split as the journal's reader splits it (`journal.parse_note`):
    front matter only when the first line opens it; when it never closes,
    the text after that first line, which the reader still reads mentions
    from. Mentions are found by the contact file's rule (`BodyEditor`):
    never inside code, never escaped. Raises DocumentError when the note is
    not UTF-8."""
    bom = raw.startswith(codecs.BOM_UTF8)
    try:
        text = raw[len(codecs.BOM_UTF8) if bom else 0 :].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentError(raw.count(b"\n", 0, exc.start) + 1, "not UTF-8: save the note as UTF-8 first") from None
    lines = split_lines(text)
    head = 0
    if lines and grammar.opens_front_matter(lines[0].rstrip("\r\n")):
        end = grammar.front_matter_end([line.rstrip("\r\n") for line in lines])
        head = end + 1 if end is not None else 1
    body = BodyEditor("".join(lines[head:]), "\n", lambda: head + 1)
    count = body.rewrite_mentions(old, new)
    if not count:
        return raw, 0
    data = ("".join(lines[:head]) + body.text).encode("utf-8")
    return (codecs.BOM_UTF8 + data if bom else data), count


def note_paths(root: Path, journal_dir: str) -> dict[str, Path]:
    """Each journal file by the name the loader gives it (`Network.journal_files`)."""
    from .journal import is_enabled, journal_files
    from .repository import printable

    if not is_enabled(root, journal_dir):
        return {}
    return {printable(os.path.relpath(p, root).replace(os.sep, "/")): p for p in journal_files(root / journal_dir)}


@dataclass(frozen=True)
class NoteRewrite:
    """The journal notes that refer to the slugs being moved, found before
    any is changed."""

    paths: dict[str, Path]  # relpath -> file, of every note that refers to one

    def changes(
        self, moves: Sequence[tuple[str, str]], read=lambda path: path.read_bytes(), root: Path | None = None
    ) -> list[Change]:
        """One Change per note whose text names an old slug when read, each
        (old, new) applied in the order given: a new slug may be one that
        an earlier move freed, never one a later move frees (`kith enrich
        --rename` plans them so), so no link moves twice."""
        out = []
        for rel, path in sorted(self.paths.items()):
            try:
                raw = data = read(path)
            except OSError as exc:  # gone or locked since the journal was read
                raise NoteRefused(rel, 0, f"{rel} cannot be read: {exc.strerror or exc}") from None
            summary = []
            for old, new in moves:
                try:
                    data, count = rewrite_note_mentions(data, old, new)
                except DocumentError as exc:
                    raise NoteRefused(rel, exc.line, f"{rel} cannot be rewritten: {exc.message}") from None
                if count:
                    summary.append(f"references: {old} -> {new} ({count})")
            if data != raw:
                out.append(Change(path, raw, data, summary, root=root))
        return out


def journal_referrers(
    network: "Network", journal_dir: str, slugs: Iterable[str], read=lambda path: path.read_bytes()
) -> NoteRewrite:
    """The notes of the journal that link to any of `slugs`, as the reader
    found them; raises NoteRefused for a note the reader could not read
    (not UTF-8) whose bytes name one: it may link to them and could not be
    rewritten."""
    wanted = set(slugs)
    if not network.journal_files or not wanted:
        return NoteRewrite({})
    paths = note_paths(network.root, journal_dir)
    referring = {note.relpath for note in network.journal if any(m.slug in wanted for m in note.mentions)}
    read_ok = {note.relpath for note in network.journal}
    for rel in network.journal_files:
        if rel in read_ok or rel not in paths:
            continue
        try:
            data = read(paths[rel])
        except OSError:
            continue
        for slug in sorted(wanted):
            if slug.encode("utf-8") in data:
                raise NoteRefused(
                    rel, 0, f"{rel} cannot be read as a journal note and mentions `{slug}`; fix it first (see `kith validate`)"
                )
    return NoteRewrite({rel: paths[rel] for rel in referring if rel in paths})
