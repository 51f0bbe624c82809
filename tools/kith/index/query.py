"""The questions the read commands ask, answered from the index.

Each answer is what the same command gets from the whole network, to the
character: the index only narrows who is looked at, and the rule itself
(find's scoring, the follow-up rules, the relations, suggestions) is the
core's own function run on the people it returns. Where SQL ranks (find),
every person returned is scored again by `find.match` and must agree, or
the command answers from the files instead.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

from .store import Damaged, file_name

_CHUNK = 500


class Disagree(Exception):
    """The index's ranking and the core's rule disagree: answer from the files."""


def _rows(conn: sqlite3.Connection, sql: str, values: list) -> list[tuple]:
    """`sql` with `IN ({marks})` run over `values` in chunks."""
    out: list[tuple] = []
    for start in range(0, len(values), _CHUNK):
        chunk = values[start : start + _CHUNK]
        out.extend(conn.execute(sql.format(marks=", ".join("?" * len(chunk))), chunk).fetchall())
    return out


def _str(value: Any) -> str:
    if type(value) is not str:
        raise Damaged("text expected")
    return value




# -- kith find ---------------------------------------------------------------

BROAD = 5000
"""A query word whose matching tokens sit in more people than this narrows
nothing worth an FTS5 look-up: SQL scans everyone's tokens instead."""


def _score_sql(count: int) -> tuple[str, str, str]:
    """(score, fields matched, every word matched) as SQL over `people`, for
    `count` query words bound as :w0, :w1...; find.match in SQL."""
    from ..find import EXACT_NAME, FIELDS, NAME_INSIDE, NAME_PREFIX, WEIGHTS

    best = []
    for i in range(count):
        w = f":w{i}"
        parts = []
        for col, name in enumerate(FIELDS):
            if name in ("name", "aka"):
                parts.append(
                    f"CASE WHEN instr(f{col}, ' ' || {w}) THEN {WEIGHTS[name]} "
                    f"WHEN instr(f{col}, {w}) THEN {NAME_INSIDE} ELSE 0 END"
                )
            else:
                parts.append(f"CASE WHEN instr(f{col}, {w}) THEN {WEIGHTS[name]} ELSE 0 END")
        best.append("max(" + ", ".join(parts) + ")")
    every_word = " AND ".join(f"({b}) > 0" for b in best)
    starts = " AND ".join(f"instr(' ' || nwords, ' ' || :w{i}) > 0" for i in range(count))
    bonus = (
        f"CASE WHEN nwords = :phrase OR swords = :phrase THEN {EXACT_NAME} "
        f"WHEN instr(nwords, :phrase) = 1 OR ({starts}) THEN {NAME_PREFIX} ELSE 0 END"
    )
    score = " + ".join(best) + " + " + bonus
    fields = " + ".join(
        "(" + " OR ".join(f"instr(f{col}, :w{i}) > 0" for i in range(count)) + ")" for col in range(len(FIELDS))
    )
    return score, fields, every_word


def _candidates(conn: sqlite3.Connection, query_words: list[str], has_fts: bool) -> str | None:
    """An FTS5 query for the people who could match (token ids, each word
    any token containing it), "" when nobody can, None when it would
    narrow nothing (scan everyone)."""
    if not has_fts:
        return None
    clauses = []
    for word in dict.fromkeys(query_words):
        found = conn.execute("SELECT id, df FROM vocab WHERE instr(tok, ?) > 0", (word,)).fetchall()
        if not all(type(id_) is int and type(df) is int for id_, df in found):
            raise Damaged("vocab")
        if not found:
            return ""  # no token anyone ever had holds this word
        # A token no one has any more (df 0) only matches nobody: the counts
        # decide whether to look up at all, never who is looked at.
        if sum(max(df, 0) for _, df in found) > BROAD:
            continue
        clauses.append("(" + " OR ".join(f"t{id_}" for id_, _ in found) + ")")
    return " AND ".join(clauses) if clauses else None


def find(
    conn: sqlite3.Connection,
    root: Path,
    has_fts: bool,
    text: str,
    tag: str | None,
    company: str | None,
    circle: str | None,
    limit: int | None,
) -> list:
    """`find.search(everyone, text, tag, company, circle, limit)`."""
    from ..find import Match, fold, match, words

    query_words = words(text)
    where = ["p.winner = 1"]
    params: dict[str, Any] = {}
    if tag:
        where.append("p.id IN (SELECT id FROM tags WHERE ftag = :tag)")
        params["tag"] = fold(tag)
    if company:
        where.append("instr(fcompany, :company) > 0")
        params["company"] = fold(company)
    if circle is not None:
        where.append("circle = :circle")
        params["circle"] = circle
    cut = f" LIMIT {int(limit)}" if limit else ""
    if not query_words:
        rows = conn.execute(
            f"SELECT p.id, p.slug FROM people p WHERE {' AND '.join(where)} ORDER BY p.skey, p.slug{cut}", params
        ).fetchall()
        return [Match(_card(conn, id_, slug, root), 0, (), {}) for id_, slug in rows]
    narrowed = _candidates(conn, query_words, has_fts)
    if narrowed == "":
        return []
    if narrowed is not None:
        where.append("p.id IN (SELECT rowid FROM fts WHERE fts MATCH :fts)")
        params["fts"] = narrowed
    score, fields, every_word = _score_sql(len(query_words))
    where.append(every_word)
    params.update({f"w{i}": w for i, w in enumerate(query_words)})
    params["phrase"] = " ".join(query_words)
    rows = conn.execute(
        f"SELECT p.id, p.slug, {score} AS score, {fields} AS fields FROM people p JOIN search s ON s.id = p.id "
        f"WHERE {' AND '.join(where)} ORDER BY score DESC, fields DESC, p.skey, p.slug{cut}",
        params,
    ).fetchall()
    found = []
    for id_, slug, sql_score, sql_fields in rows:
        person = _card(conn, id_, slug, root)
        checked = match(person, text)
        if checked is None or checked.score != sql_score or len(checked.fields) != sql_fields:
            raise Disagree(slug)
        found.append(checked)
    return found


def _card(conn: sqlite3.Connection, id_: Any, slug: Any, root: Path):
    """The Person of row `id_` (whose slug the people table says is `slug`)."""
    from .records import person_of

    row = conn.execute("SELECT card FROM cards WHERE id = ?", (id_,)).fetchone()
    if row is None:
        raise Damaged("no card")
    person = person_of(row[0], root)
    if person.slug != _str(slug):
        raise Damaged("card of another person")
    return person


# -- kith show ---------------------------------------------------------------


class Named:
    """A person as `find.resolve` reads them: a name."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


def names(conn: sqlite3.Connection) -> dict[str, Named]:
    """Every slug of the network, in order, with the name."""
    return {_str(slug): Named(_str(name)) for slug, name in conn.execute("SELECT slug, name FROM people WHERE winner = 1 ORDER BY slug")}


def exists(conn: sqlite3.Connection, slug: str) -> bool:
    return conn.execute("SELECT 1 FROM people WHERE winner = 1 AND slug = ?", (slug,)).fetchone() is not None


def person(conn: sqlite3.Connection, root: Path, slug: str):
    row = conn.execute("SELECT id, slug FROM people WHERE winner = 1 AND slug = ?", (slug,)).fetchone()
    if row is None:
        raise Damaged("no such person")
    return _card(conn, row[0], row[1], root)


def related(conn: sqlite3.Connection, subject) -> dict:
    """`subject` and the part of the network its relations are made of:
    everyone whose relationships or `met.via` name them, and everyone their
    own file names (`records.Relating`: what `graph.relations_of` reads)."""
    from .records import Relating

    people: dict = {subject.slug: subject}
    for slug, name, rels in conn.execute(
        "SELECT p.slug, p.name, l.rels FROM people p JOIN links l ON l.id = p.id "
        "WHERE p.winner = 1 AND p.id IN (SELECT id FROM refs WHERE target = ?)",
        (subject.slug,),
    ):
        if slug != subject.slug:
            people[slug] = Relating(slug, name, rels)
    named = {rel.other for rel in subject.relationships}
    if subject.met is not None and subject.met.via:
        named.add(subject.met.via)
    named -= set(people)
    for slug, name in _rows(conn, "SELECT slug, name FROM people WHERE winner = 1 AND slug IN ({marks})", sorted(named)):
        people[_str(slug)] = Relating(slug, name)
    return people


# -- kith due ----------------------------------------------------------------


def due_plans(conn: sqlite3.Connection, today: dt.date, horizon: dt.date, settings) -> list:
    """The plans of everyone who could have an item due on or before
    `horizon`, by slug (a superset: `followups.plan_items` decides)."""
    from .records import plans_from

    params: dict[str, Any] = {
        "today": today.toordinal(),
        "horizon": horizon.toordinal(),
        "met_window": settings.met_window,
        "met_followup": settings.met_followup,
        "intro_followup": settings.intro_followup,
    }
    codes = birthday_codes(today, horizon)
    if codes is None:
        birthdays = "bday IS NOT NULL"
    elif codes:
        birthdays = f"bday IN ({', '.join(str(int(c)) for c in codes)})"
    else:
        birthdays = "0"
    # Someone whose every day has passed (settled) is read with their last
    # log day only: for them the rules cannot tell the rest apart (the last
    # contact is the last day; any contact since a day is the last one).
    sql = (
        "SELECT plan, CASE WHEN settled > :today THEN contacts ELSE last END, slug FROM due WHERE winner = 1 AND ("
        "settled > :today OR cad_due <= :horizon OR task_due <= :horizon "
        "OR (met_open >= :today - :met_window AND met_open + :met_followup <= :horizon) "
        f"OR intro_day + :intro_followup <= :horizon OR {birthdays}) ORDER BY slug"
    )
    rows = conn.execute(sql, params).fetchall()
    # With each the latest contact written elsewhere among their own days:
    # the rules then answer as with every such day (see last_credits).
    last = last_credits(conn, [_str(row[2]) for row in rows], settings.contact_kinds, today)
    plans = plans_from(rows, [last.get(row[2]) for row in rows] if last else None)
    for plan, row in zip(plans, rows):
        if plan.slug != row[2]:
            raise Damaged("plan of another person")
    return plans


def birthday_codes(today: dt.date, horizon: dt.date) -> list[int] | None:
    """The `month * 100 + day` of every birthday whose next occurrence from
    `today` is on or before `horizon`; None when that is every birthday."""
    if horizon < today:
        return []
    if (horizon - today).days >= 366:
        return None
    codes = set()
    day = today
    while day <= horizon:
        codes.add(day.month * 100 + day.day)
        if day.month == 2 and day.day == 28:
            codes.add(229)  # 29 February falls on the 28th in other years
        day += dt.timedelta(days=1)
    return sorted(codes)


# -- contact written elsewhere (kith.contact) ----------------------------------

# The kinds that count are bound as :k0, :k1... (SQLite compares text
# exactly, as kith.contact's `in` does).
_CREDITS = (
    "SELECT c.target, c.day, c.kind, c.line, c.private, c.text, p.slug, f.name FROM credits c "
    "JOIN people p ON p.id = c.id JOIN files f ON f.id = c.id "
    "WHERE c.winner = 1 AND p.winner = 1 AND c.target IN ({marks}) AND c.kind IN ({kinds}) "
    "UNION ALL SELECT j.target, j.day, j.kind, j.line, j.private, j.text, NULL, f.name FROM jcredits j "
    "JOIN jfiles f ON f.id = j.id WHERE j.target IN ({marks}) AND j.kind IN ({kinds})"
)
# The latest day up to today of each person's contact written elsewhere:
# of everyone, or (with `AND target IN (...)` after each WHERE) of some.
_LAST_CREDIT_ALL = (
    "SELECT target, max(day) FROM ("
    "SELECT target, day FROM credits WHERE kind IN ({kinds}) AND winner = 1 AND day <= :today "
    "UNION ALL SELECT target, day FROM jcredits WHERE kind IN ({kinds}) AND day <= :today"
    ") GROUP BY target"
)
_LAST_CREDIT = (
    "SELECT target, max(day) FROM ("
    "SELECT target, day FROM credits WHERE kind IN ({kinds}) AND winner = 1 AND day <= :today AND target IN ({marks}) "
    "UNION ALL SELECT target, day FROM jcredits WHERE kind IN ({kinds}) AND day <= :today AND target IN ({marks})"
    ") GROUP BY target"
)

SCAN = 1000
"""Asked for more people than this, `last_credits` reads every entry of a
contact kind once rather than look each person up (`kith due` at 30,000
asks for ten thousand)."""


def _kind_params(kinds: frozenset[str]) -> tuple[dict[str, str], str]:
    named = {f"k{i}": kind for i, kind in enumerate(sorted(kinds))}
    return named, ", ".join(f":{key}" for key in named)


def _credit_rows(conn: sqlite3.Connection, sql: str, slugs: list[str], kinds: frozenset[str], **extra) -> list[tuple]:
    """`sql` for `slugs` (in chunks), each chunk bound as :s0, :s1..."""
    if not kinds:
        return []
    named, in_kinds = _kind_params(kinds)
    out: list[tuple] = []
    for start in range(0, len(slugs), _CHUNK):
        chunk = slugs[start : start + _CHUNK]
        values = {**named, **extra, **{f"s{i}": slug for i, slug in enumerate(chunk)}}
        marks = ", ".join(f":s{i}" for i in range(len(chunk)))
        out.extend(conn.execute(sql.format(marks=marks, kinds=in_kinds), values).fetchall())
    return out


def _kinds(contact_kinds) -> frozenset[str]:
    return frozenset(k.lower() for k in contact_kinds)


def last_credits(conn: sqlite3.Connection, slugs: list[str], contact_kinds, today: dt.date) -> dict[str, int]:
    """slug -> the latest day (ordinal) up to `today` of an entry written
    elsewhere that counts as contact with them (`contact.credit_network`).
    That day is all the follow-up rules can tell of such entries: they read
    the last contact up to today, and whether there was any after a day."""
    kinds = _kinds(contact_kinds)
    if not slugs or not kinds:
        return {}
    if len(slugs) > SCAN:
        named, in_kinds = _kind_params(kinds)
        sql = _LAST_CREDIT_ALL.format(kinds=in_kinds)
        rows = conn.execute(sql, {**named, "today": today.toordinal()}).fetchall()
    else:
        rows = _credit_rows(conn, _LAST_CREDIT, slugs, kinds, today=today.toordinal())
    wanted = set(slugs)
    top = today.toordinal()
    found: dict[str, int] = {}
    for target, day in rows:
        if type(target) is not str or type(day) is not int or not 1 <= day <= top:
            raise Damaged("credit")
        if target in wanted:
            found[target] = day
    return found


def credits(conn: sqlite3.Connection, slugs: list[str], contact_kinds) -> dict[str, tuple]:
    """slug -> `Person.credits` as `contact.credit_network` sets them (the
    journal note's page name is not kept: no command here shows it)."""
    from ..model import Credit
    from ..repository import printable

    if not slugs:
        return {}
    kinds = _kinds(contact_kinds)
    wanted = set(slugs)
    found: dict[str, list] = {}
    for target, day, kind, line, private, text, by, name in _credit_rows(conn, _CREDITS, slugs, kinds):
        if not (
            type(day) is int
            and 1 <= day <= dt.date.max.toordinal()
            and type(kind) is str
            and type(line) is int
            and private in (0, 1)
            and type(text) is str
            and (by is None or type(by) is str)
        ):
            raise Damaged("credit")
        if kind not in kinds:
            continue
        if target not in wanted:
            raise Damaged("credit of another person")
        credit = Credit(dt.date.fromordinal(day), kind, text, printable(file_name(name)), line, by=by, private=bool(private))
        found.setdefault(target, []).append(credit)
    return {slug: tuple(sorted(items, key=lambda c: (c.date, c.path, c.line))) for slug, items in found.items()}


def unreadable(conn: sqlite3.Connection, names_in_order: list[str]) -> list[str]:
    """Files that gave no person of the network (unreadable, or a slug taken
    by an earlier file), in the loader's order."""
    left = {file_name(name) for (name,) in conn.execute("SELECT name FROM files WHERE winner = 0")}
    return [name for name in names_in_order if name in left] if left else []


# -- kith suggest ------------------------------------------------------------


def suggestions(conn: sqlite3.Connection, focus: str | None, limit: int | None) -> list | None:
    """The kept suggestions, best first (those involving `focus`, at most
    `limit`), or None when they are not kept."""
    from ..suggest import Suggestion
    from .records import _load, _strs

    if conn.execute("SELECT 1 FROM derived WHERE name = 'suggestions'").fetchone() is None:
        return None
    sql = "SELECT a, b, score, reasons FROM suggestions"
    params: tuple = ()
    if focus is not None:
        sql += " WHERE a = ? OR b = ?"
        params = (focus, focus)
    sql += " ORDER BY rank"
    if limit:
        sql += f" LIMIT {int(limit)}"
    out = []
    for a, b, score, reasons in conn.execute(sql, params):
        if type(score) is not int or type(reasons) is not str:
            raise Damaged("suggestion")
        out.append(Suggestion(_str(a), _str(b), score, tuple(_strs(_load(reasons)))))
    return out


def names_of(conn: sqlite3.Connection, slugs: set[str]) -> dict[str, str]:
    """slug -> name for those of `slugs` someone has."""
    return {
        _str(slug): _str(name)
        for slug, name in _rows(conn, "SELECT slug, name FROM people WHERE winner = 1 AND slug IN ({marks})", sorted(slugs))
    }


def named(conn: sqlite3.Connection, slugs: set[str]) -> dict[str, Named]:
    """slug -> a `Named` for those of `slugs` someone has (what
    `text.with_names` reads)."""
    return {slug: Named(name) for slug, name in names_of(conn, slugs).items()} if slugs else {}


def linked_people(conn: sqlite3.Connection) -> dict:
    """Everyone, by slug, as suggestions read them (`records.Linked`)."""
    from .records import linked_from

    rows = conn.execute(
        "SELECT p.slug, l.links FROM people p JOIN links l ON l.id = p.id WHERE p.winner = 1 ORDER BY p.slug"
    ).fetchall()
    for _, links in rows:
        if type(links) is not str:
            raise Damaged("links")
    people = linked_from([_str(slug) for slug, _ in rows], "[" + ",".join(links for _, links in rows) + "]")
    return {p.slug: p for p in people}


class LinkGraph:
    """The graph as suggestions read it: the people, and whether two are
    linked (`graph.links_of` on either side: the graph's edges)."""

    def __init__(self, people: dict) -> None:
        self.people = people

    def connected(self, a: str, b: str) -> bool:
        return b in self.people[a].links or a in self.people[b].links


def ranked_suggestions(index, focus: str | None, limit: int | None) -> tuple[list, dict[str, str]]:
    """`suggest.suggestions(graph, focus, limit)` and the names they show:
    the kept ones, or (when the network's structure changed since) worked
    out from every person's links record, and kept for next time."""
    conn = index.conn
    found = suggestions(conn, focus, limit)
    if found is None:
        from ..suggest import suggestions as work_out

        everyone = work_out(LinkGraph(linked_people(conn)))
        found = [s for s in everyone if focus is None or s.involves(focus)]
        found = found[:limit] if limit else found
    else:
        everyone = None
    slugs = {x for s in found for x in (s.a, s.b)} | ({focus} if focus else set())
    shown = names_of(conn, slugs)
    if everyone is not None:
        keep(index, lambda conn: store_suggestions(conn, index.generation, everyone))
    return found, shown


def store_suggestions(conn: sqlite3.Connection, generation: int, found: list) -> None:
    """Keep `found` (computed from the rows of manifest `generation`), in
    the write transaction `keep` opens."""
    import json

    conn.execute("DELETE FROM suggestions")
    conn.executemany(
        "INSERT INTO suggestions(rank, a, b, score, reasons) VALUES (?, ?, ?, ?, ?)",
        [(i, s.a, s.b, s.score, json.dumps(list(s.reasons), ensure_ascii=False)) for i, s in enumerate(found)],
    )
    conn.execute("INSERT OR REPLACE INTO derived(name, generation) VALUES ('suggestions', ?)", (generation,))


def keep(index, write) -> None:  # noqa: ANN001 - Index, conn -> None
    """Run `write(conn)` in a write transaction, after ending the caller's
    read, if the index is still at the generation the caller read (else
    what it worked out is already old). An index another command is
    writing keeps nothing: it is worked out again next time."""
    import contextlib

    from .store import Unavailable

    conn = index.conn
    index.end()
    with contextlib.suppress(Unavailable), index.writing():
        current = conn.execute("SELECT generation FROM manifest WHERE id = 1").fetchone()
        if current is not None and current[0] == index.generation:
            write(conn)


# -- answers kept from one run to the next -----------------------------------


def answer_key(conn: sqlite3.Connection, generation: int, *question: object) -> str:
    """A key for an answer worked out from everyone as the index stands
    (the people folder's `generation`, the journal's) to `question` (the
    command, its day, settings and options: anything whose repr says what
    it is). kith's rules need no part in it: an index written by another
    kith is rebuilt (store.py), its answers with it."""
    import hashlib

    journal = conn.execute("SELECT folder, generation FROM jmanifest WHERE id = 1").fetchone()
    said = repr((generation, tuple(journal) if journal else None, question))
    return hashlib.sha256(said.encode("utf-8", "surrogatepass")).hexdigest()


def kept_answer(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM answers WHERE key = ?", (key,)).fetchone()
    return row[0] if row is not None and type(row[0]) is str else None


def keep_answer(index, key: str, value: str) -> None:  # noqa: ANN001 - Index
    """Keep `value` under `key`: the last answer only."""

    def write(conn: sqlite3.Connection) -> None:
        conn.execute("DELETE FROM answers")
        conn.execute("INSERT INTO answers(key, value) VALUES (?, ?)", (key, value))

    keep(index, write)


# -- completion --------------------------------------------------------------


def completions(conn: sqlite3.Connection, typed: str, folded: str, wordy: bool) -> dict[str, str]:
    """slug -> name for everyone `completion.slug_candidates` could offer for
    `typed` (its slug starts with it) or `folded` (their folded name, or a
    word of it, starts with it): a superset that function then orders.

    Each "starts with" is a range of an index (people_slug, people_fname,
    namewords_word), so a Tab reads the people it offers, not all 30,000
    (a scan took 11 ms of completion's time)."""
    try:
        typed.encode("utf-8"), folded.encode("utf-8")
    except UnicodeEncodeError:
        return {}  # no slug or name the index holds can start with it (see Writer.put)
    values: dict[str, str] = {}
    sources = [_starting("slug", typed, "t", values, "people")]
    if folded:
        sources.append(_starting("fname", folded, "f", values, "people"))
        if wordy:
            sources.append(_starting("word", folded, "f", values, "namewords"))
    sql = "SELECT slug, name FROM people WHERE winner = 1 AND id IN (" + " UNION ".join(sources) + ")"
    return {_str(s): _str(n) for s, n in conn.execute(sql, values)}


def _starting(column: str, prefix: str, key: str, values: dict[str, str], table: str) -> str:
    """A query of the ids in `table` whose `column` starts with `prefix`, as
    the range [prefix, _after(prefix)) of its index; `values` gets the bounds."""
    values[f"{key}lo"] = prefix
    high = _after(prefix)
    if high is None:
        return f"SELECT id FROM {table} WHERE {column} >= :{key}lo"
    values[f"{key}hi"] = high
    return f"SELECT id FROM {table} WHERE {column} >= :{key}lo AND {column} < :{key}hi"


def _after(prefix: str) -> str | None:
    """The least text above every text that starts with `prefix`, in SQLite's
    BINARY order (UTF-8 bytes, which is code point order); None when there
    is none (empty, or only U+10FFFF)."""
    while prefix:
        following = ord(prefix[-1]) + 1
        if 0xD800 <= following <= 0xDFFF:
            following = 0xE000  # surrogates are not text UTF-8 can hold
        if following <= 0x10FFFF:
            return prefix[:-1] + chr(following)
        prefix = prefix[:-1]
    return None
