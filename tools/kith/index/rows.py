"""The rows of one contact file, and writing them.

Per file: `files` (name, slug, whether it gave a person, whether that person
is the network's). Per person, in narrow tables so that each question reads
only what it needs: `people` (slug, name and what find filters and ranks
by), `search` (each searched field folded into tokens), `cards` (the
person as find and show print them), `due` (the follow-up plan and the keys
`kith due` selects by), `links` (what suggestions and relations read),
`tags`, `refs` (who this file's relationships and `met.via` name, for `kith
show`), and the FTS5 row of token ids (for `kith find`'s candidates).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import Any

from ..dates import add_cadence
from ..find import FIELDS, searchable
from ..followups import Plan, plan_of
from ..text import fold, sort_key, words
from ..graph import links_of
from ..model import Person
from .records import card_of, links_json, plan_json, rels_json
from .store import HAS_FTS5, Damaged, file_name, name_bytes

_CHUNK = 500  # SQL parameters per IN (...)

NEVER = -1
"""A follow-up key that is always due (no day to wait for)."""


def due_keys(plan: Plan) -> tuple[int | None, ...]:
    """What `kith due` asks of a person, whatever the day, as numbers SQL can
    compare (day ordinals): the first day their follow-ups could be due
    once every day in their file has passed (`settled`); before that day
    (a log entry or meeting dated in the future), anything may be due.

    The query built on these keys only picks who to look at: the items are
    then computed by `followups.plan_items`, the rule itself."""
    contacts = plan.contacts
    last = dt.date.fromordinal(contacts[-1]) if contacts else None
    days = [d for d in (last, plan.met) if d is not None]
    settled = max(days).toordinal() if days else None
    cadence = None
    if plan.cadence is not None:
        since = last
        if since is None:
            # Never in touch: due today. Or only met: a contact written in
            # another file or the journal takes the meeting's place as the
            # last contact (followups.last_contact), even one dated before
            # it, so no day here can say they are not due yet.
            cadence = NEVER
        else:
            try:
                cadence = add_cadence(since, plan.cadence).toordinal()
            except (OverflowError, ValueError):
                cadence = NEVER  # beyond the calendar: let the rule say what it does
    tasks = min((due for due, _, _, _ in plan.tasks), default=None)
    met_open = None
    if plan.met is not None and (last is None or last < plan.met):
        met_open = plan.met.toordinal()
    intro = None
    if last is not None and any(day == last and others for day, _, _, others in plan.intros):
        intro = last.toordinal()
    birthday = None if plan.birthday is None else plan.birthday.month * 100 + plan.birthday.day
    return (settled, cadence, None if tasks is None else tasks.toordinal(), met_open, intro, birthday)


def search_columns(person: Person) -> list[str]:
    """Each of find.FIELDS as ` token token ...`: the distinct folded words
    of its values, each after a space, so that SQL's instr() tests "a word
    starts with" as well as "contains" (a query word is one word: it is in
    a folded value exactly when it is in one of that value's words)."""
    values = searchable(person)
    columns = []
    for name in FIELDS:
        # One pass over all of a field's values: "\n" is no word character,
        # and folding is letter by letter, so the words are each value's.
        tokens = dict.fromkeys(words("\n".join(values[name])))
        columns.append(" " + " ".join(tokens) if tokens else "")
    return columns


def sort_bytes(name: str) -> bytes:
    """`text.sort_key(name)` as bytes that SQLite orders as Python orders
    the keys: each weight in three bytes, most significant first (a shorter
    key that is a prefix of a longer one sorts first either way)."""
    return b"".join(weight.to_bytes(3, "big") for weight in sort_key(name))


def credit_rows(file_id: int, person: Person) -> list[tuple]:
    """The entries of `person`'s log that may count as contact with someone
    they mention (`contact.credit_network` decides by kind when asked)."""
    rows = []
    for entry in person.log:
        if not entry.mentions:
            continue
        private = int(entry.private or person.private)
        day = entry.date.toordinal()
        for slug in dict.fromkeys(entry.mentions):
            if slug != person.slug:
                rows.append((file_id, 0, slug, day, entry.kind, entry.line, private, entry.text))  # winner: see finish()
    return rows


def tokens_of(columns: list[str]) -> list[str]:
    """Every distinct token of a person's search columns, sorted."""
    return sorted({token for column in columns for token in column.split()})


class Writer:
    """Rewrites the rows of changed files within the caller's transaction.
    Rows are gathered and written in batches (a first build writes 30,000
    people)."""

    def __init__(self, conn: sqlite3.Connection, bulk: bool) -> None:
        self.conn = conn
        self.vocab: dict[str, int] = {}
        if bulk:
            self.vocab = {tok: id_ for id_, tok in conn.execute("SELECT id, tok FROM vocab")}
        self.next_token = (conn.execute("SELECT max(id) FROM vocab").fetchone()[0] or 0) + 1
        self.new_tokens: list[tuple[int, str]] = []
        self.df: dict[int, int] = {}
        self.slugs: set[str] = set()  # slugs whose winner may have changed
        self.structure = False  # anything suggestions read changed
        self.people: list[tuple] = []
        self.search: list[tuple] = []
        self.cards: list[tuple[int, bytes]] = []
        self.due: list[tuple] = []
        self.links: list[tuple[int, str, str]] = []
        self.fts: list[tuple[int, str]] = []
        self.tags: list[tuple[int, str]] = []
        self.namewords: list[tuple[str, int]] = []
        self.refs: list[tuple[str, int]] = []
        self.credits: list[tuple] = []

    # -- removing ------------------------------------------------------------

    def _file(self, name: str) -> tuple[int, str] | None:
        row = self.conn.execute("SELECT id, slug FROM files WHERE name = ?", (name_bytes(name),)).fetchone()
        if row is None:
            return None
        if type(row[0]) is not int:
            raise Damaged("file id")
        return row[0], file_name(row[1])

    def _unperson(self, file_id: int) -> str | None:
        """Remove a file's person rows; their links record, if it was the network's."""
        self.flush()
        row = self.conn.execute(
            f"SELECT p.winner, l.links, {', '.join(f's.f{i}' for i in range(len(FIELDS)))} "
            "FROM people p JOIN links l ON l.id = p.id JOIN search s ON s.id = p.id WHERE p.id = ?",
            (file_id,),
        ).fetchone()
        if row is None:
            return None
        winner, links, *columns = row
        if type(links) is not str or not all(type(column) is str for column in columns):
            raise Damaged("person rows")
        ids = self._ids(tokens_of(columns))
        if HAS_FTS5:
            self.conn.execute(
                "INSERT INTO fts(fts, rowid, toks) VALUES ('delete', ?, ?)", (file_id, _fts_text(ids))
            )
        for token_id in ids:
            self.df[token_id] = self.df.get(token_id, 0) - 1
        for table in ("people", "search", "cards", "due", "links", "tags", "namewords", "refs", "credits"):
            self.conn.execute(f"DELETE FROM {table} WHERE id = ?", (file_id,))
        return links if winner else None

    def drop(self, name: str) -> None:
        found = self._file(name)
        if found is None:
            return
        file_id, slug = found
        if self._unperson(file_id) is not None:
            self.structure = True  # someone left the network
        self.conn.execute("DELETE FROM files WHERE id = ?", (file_id,))
        self.slugs.add(slug)

    # -- adding --------------------------------------------------------------

    def put(self, name: str, loaded: Any) -> None:
        """The rows of `name` from its LoadedFile (replacing any before)."""
        slug = name.rpartition("/")[2][:-3]  # the stem: Path(name).stem of a `*.md`
        person = loaded.person
        found = self._file(name)
        old_links = None
        if found is None:
            file_id = self.conn.execute(
                "INSERT INTO files(name, slug, person, winner, ok) VALUES (?, ?, 0, 0, 1)", (name_bytes(name), name_bytes(slug))
            ).lastrowid
        else:
            file_id = found[0]
            old_links = self._unperson(file_id)
        self.slugs.add(slug)
        ok = 1
        if person is not None:
            try:
                self._person(file_id, person, old_links)
            except UnicodeEncodeError:
                ok = 0  # text SQLite cannot hold (lone surrogates): the index steps aside
        # `winner` stays as it was until `finish` decides it again.
        self.conn.execute("UPDATE files SET person = ?, ok = ? WHERE id = ?", (int(person is not None), ok, file_id))

    def _person(self, file_id: int, person: Person, old_links: str | None) -> None:
        # Everything SQLite will be given, encoded first: a lone surrogate
        # anywhere raises here, before any row is written.
        card = card_of(person)
        plan = plan_of(person, with_credits=False)  # credits come from other files: added when read
        links = links_json(person, sorted(links_of(person, include_private=True)))
        rels = rels_json(person)
        plan_text = plan_json(plan)
        if old_links is not None and old_links != links:
            self.structure = True
        columns = search_columns(person)
        ids = self._ids(tokens_of(columns))
        for token_id in ids:
            self.df[token_id] = self.df.get(token_id, 0) + 1
        name_words = words(person.name)
        self.namewords.extend((word, file_id) for word in dict.fromkeys(name_words))
        self.people.append(
            (
                file_id,
                person.slug,
                0,  # winner: decided in finish()
                person.name,
                fold(person.name),
                " ".join(name_words),
                " ".join(words(person.slug)),
                person.circle,
                fold(person.company or ""),
                sort_bytes(person.name),
            )
        )
        self.search.append((file_id, *columns))
        self.cards.append((file_id, card))
        self.due.append(
            (file_id, 0, person.slug, *due_keys(plan), plan_text, json.dumps(plan.contacts), plan.contacts[-1] if plan.contacts else None)
        )
        self.links.append((file_id, links, rels))
        if HAS_FTS5:
            self.fts.append((file_id, _fts_text(ids)))
        self.tags.extend((file_id, tag) for tag in dict.fromkeys(fold(t) for t in person.tags))
        targets = {rel.other for rel in person.relationships}
        if person.met is not None and person.met.via:
            targets.add(person.met.via)
        self.refs.extend((target, file_id) for target in targets)
        self.credits.extend(credit_rows(file_id, person))
        if len(self.people) >= _CHUNK:
            self.flush()

    def _ids(self, tokens: list[str]) -> list[int]:
        missing = [t for t in tokens if t not in self.vocab]
        for start in range(0, len(missing), _CHUNK):
            chunk = missing[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            for id_, tok in self.conn.execute(f"SELECT id, tok FROM vocab WHERE tok IN ({marks})", chunk):
                self.vocab[tok] = id_
        for tok in tokens:
            if tok not in self.vocab:
                self.vocab[tok] = self.next_token
                self.new_tokens.append((self.next_token, tok))
                self.next_token += 1
        return [self.vocab[t] for t in tokens]

    def flush(self) -> None:
        """Write the rows gathered so far."""
        conn = self.conn
        if self.new_tokens:
            conn.executemany("INSERT INTO vocab(id, tok, df) VALUES (?, ?, 0)", self.new_tokens)
            self.new_tokens = []
        for table in ("people", "search", "cards", "due", "links"):
            rows = getattr(self, table)
            if rows:
                conn.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(rows[0]))})", rows)
                setattr(self, table, [])
        if self.fts:
            conn.executemany("INSERT INTO fts(rowid, toks) VALUES (?, ?)", self.fts)
            self.fts = []
        if self.tags:
            conn.executemany("INSERT INTO tags(id, ftag) VALUES (?, ?)", self.tags)
            self.tags = []
        if self.namewords:
            conn.executemany("INSERT INTO namewords(word, id) VALUES (?, ?)", self.namewords)
            self.namewords = []
        if self.refs:
            conn.executemany("INSERT INTO refs(target, id) VALUES (?, ?)", self.refs)
            self.refs = []
        if self.credits:
            conn.executemany("INSERT INTO credits VALUES (?, ?, ?, ?, ?, ?, ?, ?)", self.credits)
            self.credits = []

    # -- the network ---------------------------------------------------------

    def finish(self, names: list[str]) -> None:
        """Token counts, and who is the network's person for each slug
        touched (the first file of the slug, in `names`' order, that gave a
        person), as the loader decides."""
        self.flush()
        if self.df:
            self.conn.executemany(
                "UPDATE vocab SET df = df + ? WHERE id = ?", [(n, i) for i, n in self.df.items() if n]
            )
        if not self.slugs:
            return
        rows = []
        slugs = [name_bytes(s) for s in self.slugs]
        for start in range(0, len(slugs), _CHUNK):
            chunk = slugs[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            rows.extend(
                self.conn.execute(
                    f"SELECT id, name, slug, person, winner FROM files WHERE slug IN ({marks})", chunk
                ).fetchall()
            )
        order = {name: i for i, name in enumerate(names)} if len(rows) > 1 else {}
        rows.sort(key=lambda row: order.get(file_name(row[1]), 0))
        taken: set[bytes] = set()
        decided = []
        for file_id, _, slug, person, winner in rows:
            wins = bool(person) and slug not in taken
            if wins:
                taken.add(slug)
            decided.append((int(wins), file_id))
            if wins != bool(winner):
                self.structure = True  # someone joined or left the network
        for table in ("files", "people", "due", "credits"):
            self.conn.executemany(f"UPDATE {table} SET winner = ? WHERE id = ?", decided)
        if self.structure:
            self.conn.execute("DELETE FROM suggestions")
            self.conn.execute("DELETE FROM derived WHERE name = 'suggestions'")


def _fts_text(ids: list[int]) -> str:
    return " ".join(f"t{token_id}" for token_id in ids)


class JournalWriter:
    """Rewrites the rows of changed journal notes within the caller's
    transaction: `jfiles`, and `jcredits` (each dated entry of a note and
    each person it mentions, as `contact.credit_network` reads them: day,
    kind, line, whether private; not the text)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def clear(self) -> None:
        """Forget every note (the journal folder changed, or is off)."""
        self.conn.execute("DELETE FROM jcredits")
        self.conn.execute("DELETE FROM jfiles")

    def drop(self, name: str) -> None:
        row = self.conn.execute("SELECT id FROM jfiles WHERE name = ?", (name_bytes(name),)).fetchone()
        if row is None:
            return
        if type(row[0]) is not int:
            raise Damaged("note id")
        self.conn.execute("DELETE FROM jcredits WHERE id = ?", (row[0],))
        self.conn.execute("DELETE FROM jfiles WHERE id = ?", (row[0],))

    def put(self, name: str, note: Any) -> None:
        """The rows of note `name` (a journal.JournalNote, or None when it
        could not be read: no entries)."""
        rows = []
        if note is not None:
            for item in note.entries:
                if item.date is None:
                    continue  # a day neither the entry nor the note gives: contact with no one
                private = int(item.private or not note.public)
                for slug in dict.fromkeys(item.mentions):
                    # Not the entry's text: no command here shows it, and
                    # it may sit in a note's `## Private` section.
                    rows.append((slug, item.date.toordinal(), item.kind, item.line, private, ""))
        # Encoded before anything is written: text SQLite refuses (a lone
        # surrogate) raises here and the index steps aside.
        for row in rows:
            row[0].encode("utf-8")
            row[2].encode("utf-8")
            row[5].encode("utf-8")
        self.drop(name)
        note_id = self.conn.execute("INSERT INTO jfiles(name) VALUES (?)", (name_bytes(name),)).lastrowid
        self.conn.executemany("INSERT INTO jcredits VALUES (?, ?, ?, ?, ?, ?, ?)", [(note_id, *row) for row in rows])
