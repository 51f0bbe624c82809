"""What capture adds to the site: the journal (an index and a page per
note), the notes that mention a person on their page, and on each
person's timeline the entries written elsewhere that count as contact with
them, with where they were written.

Privacy: a private or withheld note has no page and is linked from nowhere;
its entries, like entries in `## Private` sections or in a private person's
file, still count as contact (`kith.contact`) but are shown nowhere. A
note's text is published as a person's notes are: kith's grammar has left
its Private sections out, and `safety` cuts, sanitizes and checks the
rendered HTML (`publish`). A private person mentioned in a note is shown as
"(private)", never by name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .. import grammar
from ..journal import JournalNote
from ..model import Person
from .context import SiteContext
from .html import Linker, e, link, md_text, replace_mentions_html, ul
from .pages import Page
from .people import PRIVATE_MENTION, mention_html
from .safety import PrivacyState, finish_notes_html, make_markdown, plain_notes_html

INDEX_SRC = "journal/index.md"
SECTION_ROWS = 50
"""Most notes listed on a person's page (the newest)."""


def note_src(name: str) -> str:
    return f"journal/{name}.md"


def public_notes(ctx: SiteContext) -> list[JournalNote]:
    return [n for n in ctx.network.journal if n.public]


# -- the timeline ----------------------------------------------------------------


def credit_items(person: Person, ctx: SiteContext, linker: Linker, resolve) -> list[tuple[dt.date, str]]:
    """(date, HTML) of each entry written elsewhere that counts as contact
    with `person` and may be shown: never a private one."""
    items = []
    notes = _notes_by_name(ctx)
    for credit in person.credits:
        if credit.private:
            continue
        iso = credit.date.isoformat()
        kind = e(credit.kind)
        where = ""
        if credit.by is not None and ctx.is_public(credit.by):
            owner = ctx.network.people[credit.by]
            where = f"in {link(linker.person(owner.slug), owner.name)}'s log"
        elif credit.note is not None and credit.note in notes:
            where = f"in the journal, {link(linker.to(note_src(credit.note)), notes[credit.note].title)}"
        if not where:
            continue  # nowhere that may be named: not shown (it still counts)
        items.append(
            (
                credit.date,
                f'<time datetime="{iso}">{iso}</time> '
                + (f'<span class="kith-kind kith-kind-{kind}">{kind}</span> ' if kind else "")
                + replace_mentions_html(credit.text, resolve)
                + f' <span class="kith-where">({where})</span>',
            )
        )
    return items


def _notes_by_name(ctx: SiteContext) -> dict[str, JournalNote]:
    return ctx.shared(
        "journal.by-name", lambda: {n.name: n for n in public_notes(ctx)}, refresh=lambda value, next_ctx: value
    )


# -- a person's page ---------------------------------------------------------------


def _mentioned_in(ctx: SiteContext) -> dict[str, list[JournalNote]]:
    """Slug -> the public notes that mention them where it may be seen, newest first."""

    def compute() -> dict[str, list[JournalNote]]:
        found: dict[str, list[JournalNote]] = {}
        for note in reversed(public_notes(ctx)):
            for slug in dict.fromkeys(m.slug for m in note.mentions if not m.private):
                found.setdefault(slug, []).append(note)
        return found

    # The journal is structure (incremental._changes): kept while it is unchanged.
    return ctx.shared("journal.mentioned-in", compute, refresh=lambda value, next_ctx: value)


def journal_section(person: Person, ctx: SiteContext, linker: Linker) -> str:
    notes = _mentioned_in(ctx).get(person.slug)
    if not notes:
        return ""
    shown = notes[:SECTION_ROWS]
    items = (_note_row(note, linker) for note in shown)
    more = len(notes) - len(shown)
    tail = f'<p class="kith-more">and {more} more in {link(linker.to(INDEX_SRC), "the journal")}</p>' if more else ""
    # Its heading and place on the page: person.SECTIONS and kith/person.html.
    return ul(items, "kith-list kith-journal") + tail


def _note_row(note: JournalNote, linker: Linker) -> str:
    day = f"<time>{note.date.isoformat()}</time> " if note.date else ""
    return day + link(linker.to(note_src(note.name)), note.title)


# -- the journal's pages -----------------------------------------------------------


def _people_line(note: JournalNote, ctx: SiteContext, linker: Linker) -> str:
    shown = []
    for slug in dict.fromkeys(m.slug for m in note.mentions if not m.private):
        if ctx.is_public(slug):
            shown.append(ctx.person_link(linker, slug))
    return f'<p class="kith-journal-people">With {", ".join(shown)}</p>' if shown else ""


def _note_markdown(note: JournalNote, ctx: SiteContext, linker: Linker) -> str:
    """The note's text as Markdown, `[[slug]]` turned into links to public
    people and "(private)" for private ones, outside code."""
    if "[[" not in note.notes:
        return note.notes
    lines = note.notes.split("\n")
    code = grammar.code_lines(lines)
    out = []
    for index, line in enumerate(lines):
        if code[index] or "[[" not in line:
            out.append(line)
            continue
        pieces: list[str] = []
        pos = 0
        for match in grammar.mention_matches(line):
            person = ctx.network.people.get(match.group(1).strip())
            if person is None:
                continue
            label = (match.group(2) or "").strip()
            pieces.append(line[pos : match.start()])
            if person.private:
                pieces.append(PRIVATE_MENTION)
            else:
                pieces.append(f"[{md_text(label or person.name)}]({linker.person(person.slug)})")
            pos = match.end()
        pieces.append(line[pos:])
        out.append("".join(pieces))
    return "\n".join(out)


def publish(markdown_text: str, ctx: SiteContext) -> str:
    """A note's (already privacy-filtered) text as the HTML the site may
    publish: `safety.publishable_notes`, with one Markdown instance per
    build rather than one per note."""
    state, md = ctx.shared("journal.markdown", lambda: _markdown(ctx))
    state.cut = 0
    state.failed = None
    md.reset()
    rendered = md.convert(markdown_text)
    if state.failed:
        return plain_notes_html(markdown_text)
    text, _problem = finish_notes_html(rendered, ctx.settings.raw_html)
    if state.cut and _problem is None:
        from .safety import WITHHELD_HTML

        return WITHHELD_HTML
    return text


def _markdown(ctx: SiteContext):
    state = PrivacyState()
    return state, make_markdown(ctx.settings, state)


def _note_render(note: JournalNote):
    def render(ctx: SiteContext, linker: Linker) -> str:
        head = f"<h1>{e(note.title)}</h1>"
        if note.date:
            head += f'<p class="kith-journal-date"><time datetime="{note.date.isoformat()}">{note.date.isoformat()}</time></p>'
        head += _people_line(note, ctx, linker)
        if note.notes_plain:
            body = f'<pre class="kith-notes-plain">{replace_mentions_html(note.notes, mention_html(ctx, linker))}</pre>'
        else:
            body = publish(_note_markdown(note, ctx, linker), ctx) if note.notes else ""
        back = f'<p class="kith-journal-back">{link(linker.to(INDEX_SRC), "The journal")}</p>'
        return head + f'<div class="kith-journal-note">{body}</div>' + back

    return render


def _index(ctx: SiteContext, linker: Linker) -> str:
    notes = list(reversed(public_notes(ctx)))
    out = ["<h1>Journal</h1>", f'<p class="kith-summary">{len(notes)} note{"" if len(notes) == 1 else "s"}</p>']
    month = None
    rows: list[str] = []
    for note in notes:
        key = note.date.strftime("%B %Y") if note.date else "Undated"
        if key != month:
            if rows:
                out.append(ul(rows, "kith-list kith-journal"))
            out.append(f"<h2>{e(key)}</h2>")
            month, rows = key, []
        people = [ctx.person_link(linker, s) for s in dict.fromkeys(m.slug for m in note.mentions if not m.private) if ctx.is_public(s)]
        rows.append(_note_row(note, linker) + (f' <span class="kith-journal-people">{", ".join(people)}</span>' if people else ""))
    if rows:
        out.append(ul(rows, "kith-list kith-journal"))
    return "".join(out)


def pages(ctx: SiteContext) -> Iterable[Page]:
    """The journal index and a page per public note; nothing without a journal."""
    if not ctx.settings.journal_dir or not ctx.network.journal_files:
        return
    # Only names and the journal itself, which are structure: no one's own data.
    yield Page(src=INDEX_SRC, title="Journal", kind="index", before=_index, search=False, reads=frozenset())
    for note in public_notes(ctx):
        yield Page(
            src=note_src(note.name),
            title=note.title,
            kind="journal",
            before=_note_render(note),
            in_nav=False,
            reads=frozenset(),
        )
