"""A person's page, put together: the card, the notes, the timeline and the
sections about them in the network, by the template kith/person.html.

The order of what is on the page is in two lists here, `CARD_LINES` and
`SECTIONS`, and in the template: nothing registers itself anywhere at
import time. A theme that wants another order or fewer sections overrides
kith/person.html (see templating.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from .. import broken
from ..model import Finding, Person
from . import capture, followups, gitdates, people, relations, safety
from .context import SiteContext
from .html import Linker, e, edit_url, person_src, replace_mentions_html
from .pages import Page, Rendered
from .templating import Markup

CardLine = Callable[[Person, SiteContext, Linker], str]

CARD_LINES: tuple[CardLine, ...] = (followups.next_line, gitdates.last_changed_line)
"""Lines below the card's facts, in order: what is next, when the notes last changed."""


class Section(NamedTuple):
    name: str  # how a template may pick it: sections_by_name.neighbourhood
    title: str
    cls: str
    body: str  # HTML; "" leaves the section out


SectionBody = Callable[[Person, SiteContext, Linker], str]

SECTIONS: tuple[tuple[str, str, str, SectionBody], ...] = (
    ("journal", "In the journal", "kith-journal-notes", capture.journal_section),
    ("relationships", "Relationships", "kith-relationships", relations.relationships),
    ("mentioned_by", "Mentioned by", "kith-mentioned", relations.mentioned_by),
    ("introductions", "Introductions", "kith-introductions", relations.introductions),
    ("give_and_ask", "Give and ask", "kith-give-ask", relations.give_and_ask),
    ("neighbourhood", "Neighbourhood", "kith-neighbourhood", relations.neighbourhood),
    ("could_introduce", "Could introduce to", "kith-could-introduce", relations.could_introduce),
)
"""The sections below the timeline, in page order: (name, title, class, body)."""

# Where the plugin puts MkDocs' rendered notes, and where the part of the
# page that search does not index begins (see pages.Page.unindexed). Each
# starts with `<`, which no value from a file can put in the page unescaped
# (a NUL can: a YAML "\0" in a name).
NOTES = "<!--kith:notes-->"
MORE = "<!--kith:more-->"
TIMELINE = "<!--kith:timeline-->"


class CardPerson(NamedTuple):
    """What a template is given of the person: what the card shows and no
    more. Never the Person itself, whose log, tasks and credits still hold
    the entries marked private: a theme's override of person.html or
    card.html that looped over them would publish them."""

    slug: str
    name: str
    relpath: str
    company: str | None
    title: str | None
    tags: tuple[str, ...]


class Problem(NamedTuple):
    path: str
    line: int
    code: str
    message: str
    fix: Markup


_TICKS = re.compile(r"`([^`]+)`")


def plain_words_html(text: str) -> Markup:
    """Text with `code` spans, as HTML."""
    return Markup(_TICKS.sub(r"<code>\1</code>", e(text)))


def problems_of(findings: list[Finding], person: Person | None = None) -> list[Problem]:
    """Errors as a page shows them. For a person, a message about the body
    is replaced by what its code means (a log line in a Private section
    must not be quoted); front matter messages are shown as written. For a
    file that gave no person (`person` None), quoted text is cut out."""
    out = []
    for finding in findings:
        if person is None:
            message = broken.safe_message(finding)
        elif finding.line and finding.line < person.body_line:
            message = finding.message
        else:
            from ..codes import CODES

            message = CODES.get(finding.code, ("", finding.message))[1]
        out.append(Problem(finding.path, finding.line, finding.code, message, plain_words_html(broken.fix_for(finding.code))))
    return out


def errors_by_file(ctx: SiteContext) -> dict[str, list[Finding]]:
    """relpath -> errors in that person's own file, once per build."""
    return ctx.shared("file-errors", lambda: broken.file_errors(ctx.network))


def card_values(person: Person, ctx: SiteContext, linker: Linker) -> dict:
    return {
        "person": CardPerson(person.slug, person.name, person.relpath, person.company, person.title, tuple(person.tags)),
        "facts": [(label, Markup(value)) for label, value in people.facts(person, ctx, linker)],
        "lines": [Markup(line(person, ctx, linker)) for line in CARD_LINES],
        "problems": problems_of(errors_by_file(ctx).get(person.relpath, []), person),
        "edit_url": edit_url(ctx.settings.edit_root, person.relpath),
    }


def _task_li(task, mark: str, resolve) -> str:
    due = f'<time datetime="{(iso := task.due.isoformat())}">{iso}</time> ' if task.due else ""
    return f'<li><span class="kith-task-{mark}" aria-hidden="true">{"☐" if mark == "open" else "☑"}</span> {due}{replace_mentions_html(task.text, resolve)}</li>'


def _entry_li(entry, resolve) -> str:
    # An ISO date is digits and dashes: nothing in it to escape.
    iso = entry.date.isoformat()
    kind = f'<span class="kith-kind kith-kind-{k}">{k}</span> ' if (k := e(entry.kind)) else ""
    return f'<li><time datetime="{iso}">{iso}</time> {kind}{replace_mentions_html(entry.text, resolve)}</li>'


def timeline(person: Person, ctx: SiteContext, linker: Linker) -> str:
    """Open tasks, the log and done tasks, from kith/timeline.html."""
    resolve = people.mention_html(ctx, linker)
    tasks = [t for t in person.tasks if not t.private]
    open_tasks = sorted((t for t in tasks if not t.done), key=lambda t: (t.due is None, t.due or 0, t.line))
    entries = sorted((x for x in person.log if not x.private), key=lambda x: (x.date, -x.line), reverse=True)
    items = [(x.date, _entry_li(x, resolve)) for x in entries]
    if person.credits:
        # Entries written elsewhere (someone else's log, the journal) that
        # count as contact with them, with where; never a private one.
        items.extend((day, f"<li>{html}</li>") for day, html in capture.credit_items(person, ctx, linker, resolve))
        items.sort(key=lambda item: item[0], reverse=True)  # stable: their own entries first on a day
    if not tasks and not items:
        return ""
    return ctx.render(
        "timeline.html",
        open_tasks=Markup("".join(_task_li(t, "open", resolve) for t in open_tasks)),
        entries=Markup("".join(html for _, html in items)),
        done=Markup("".join(_task_li(t, "done", resolve) for t in tasks if t.done)),
    )


def sections(person: Person, ctx: SiteContext, linker: Linker) -> list[Section]:
    return [Section(name, title, cls, Markup(body(person, ctx, linker))) for name, title, cls, body in SECTIONS]


def render_person(person: Person, ctx: SiteContext, linker: Linker, extra_before: str = "") -> Rendered:
    """The page's parts: before the notes, after them, and the sections
    search does not index. `extra_before` goes right after the card (the
    notes as plain text, or the notice that they are withheld)."""
    found = sections(person, ctx, linker)
    values = card_values(person, ctx, linker)
    values.update(
        notes=Markup(NOTES),
        more=Markup(MORE),
        timeline=Markup(TIMELINE),
        sections=found,
        sections_by_name={s.name: s for s in found},  # Jinja reads `.name` from a dict's key
    )
    text = ctx.render("person.html", values)
    log = timeline(person, ctx, linker)
    before, notes, rest = text.partition(NOTES)
    if not notes:  # a template without the notes: nothing goes between
        before, rest = "", text
    after, more, unindexed = rest.partition(MORE)
    if not more:
        unindexed = ""
    before = before.replace(TIMELINE, log) + extra_before
    # The notes' own HTML goes right after the card's extras: keep the card
    # and what follows it apart when a template puts nothing between them.
    return Rendered(
        before.strip("\n"),
        after.replace(TIMELINE, log).strip("\n"),
        unindexed.replace(TIMELINE, log).strip("\n"),
        None,  # Page.search_text (below) fills it in
        log,
    )


def _render(person: Person, extra: Callable[[SiteContext, Linker], str] | None = None):
    def parts(ctx: SiteContext, linker: Linker) -> Rendered:
        return render_person(person, ctx, linker, extra(ctx, linker) if extra else "")

    return parts


def person_page(person: Person, ctx: SiteContext) -> Page:
    if person.withheld:
        markdown = ""
        parts = _render(person, lambda ctx, linker: safety.WITHHELD_HTML)
    elif person.notes_plain:
        markdown = ""
        parts = _render(
            person,
            lambda ctx, linker: '<pre class="kith-notes-plain">'
            + replace_mentions_html(person.notes, people.mention_html(ctx, linker))
            + "</pre>",
        )
    else:
        markdown = ctx.for_person("notes_markdown", person, lambda: people.notes_markdown(person, ctx))
        parts = _render(person)
    return Page(
        src=person_src(person.slug),
        title=person.name,
        kind="person",
        markdown=markdown,
        parts=parts,
        search_text=lambda ctx, linker: people.search_text(person, ctx, linker),
        in_nav=False,
        search=True,
        tags=tuple(person.tags),
        # The card shows the tags, as links to kith's tag pages: one row of
        # them, not a second row of the theme's chips above the title.
        theme_tags=False,
        slug=person.slug,
        edit_url=edit_url(ctx.settings.edit_root, person.relpath) or None,
        reads=frozenset((person.slug,)),
    )


def pages(ctx: SiteContext):
    for person in ctx.public_people:
        # A page holds no HTML, only how to render it: the same while the file is.
        yield ctx.for_person("page", person, lambda person=person: person_page(person, ctx))
