"""What makes a person's notes safe to publish, after kith's own grammar has
left out their `## Private` sections (see `grammar.py`):

1. `PrivacyExtension`, a Python-Markdown extension, cuts every section
   under a heading that says "Private" out of the element tree of the very
   parse that renders the page: whatever form the heading took, if the
   renderer made a heading of it, its section is gone before any HTML
   exists. On a kith page it also turns a parse that would exhaust
   Python's stack into the notes as plain text, instead of a failed build.
2. `clean_html` sanitizes the rendered notes with nh3 (the Rust `ammonia`
   sanitizer): formatting kept; scripts, event handlers, `javascript:`
   links, styles and frames removed; unless the site asks for raw HTML.
3. `private_heading_in` looks at the final HTML once more: a heading that
   reads "Private" there (written as raw HTML, say) withholds the notes.

The site, its search index and `kith render` all publish notes through
`publishable_notes`, or through the MkDocs plugin's use of 1 to 3.
"""

from __future__ import annotations

import functools
import html
import json
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from ..config import MKDOCS_EXTENSIONS, Settings
from ..grammar import PRIVATE_TITLE, fold

HEADINGS = {f"h{n}": n for n in range(1, 7)}
_HTML_PLACEHOLDER = re.compile("\x02wzxhzdk:(\\d+)\x03")
_ESCAPE_PLACEHOLDER = re.compile("\x02(\\d+)\x03")
_RAW_HEADING = re.compile(r"<(h[1-6])\b[^>]*>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)


@dataclass
class PrivacyState:
    """What the extension did on the page being rendered."""

    active: bool = True  # off for pages that are not kith's (the user's own docs)
    cut: int = 0  # Private sections the renderer found and cut
    failed: str | None = None  # why the Markdown could not be rendered, if so


class PrivacyExtension(Extension):
    """Registers the tree cut and the guard on a Markdown instance; one
    instance may serve many Markdown instances (MkDocs makes one per page)."""

    def __init__(self, state: PrivacyState | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.state = state or PrivacyState()

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        # After inline processing (20), so a heading's text is what it shows
        # (`**Private**`, `&#80;rivate`); before attr_list (8) and toc (5), so
        # the table of contents never names a private heading.
        md.treeprocessors.register(_CutPrivate(md, self.state), "kith-private", 15)
        convert = md.convert
        state = self.state

        # MkDocs calls md.convert itself, so the guard wraps it on this
        # instance: a Markdown text nested deeper than Python's stack (a
        # thousand-deep list, nested emphasis) must cost one page its
        # formatting, never the whole build.
        def guarded(source: str) -> str:
            if not state.active:
                return convert(source)
            try:
                return convert(source)
            except RecursionError:
                state.failed = "the notes are nested too deeply to render as Markdown"
                md.reset()
                return plain_notes_html(source)

        md.convert = guarded  # type: ignore[method-assign]


class _CutPrivate(Treeprocessor):
    def __init__(self, md: markdown.Markdown, state: PrivacyState) -> None:
        super().__init__(md)
        self.state = state

    def run(self, root: etree.Element) -> None:
        if self.state.active:
            self.state.cut += cut_private(root, self.md)


def _stash(md: markdown.Markdown | None, index: int) -> str:
    if md is None:
        return ""
    blocks = md.htmlStash.rawHtmlBlocks
    if 0 <= index < len(blocks):
        block = blocks[index]
        return block if isinstance(block, str) else "".join(block.itertext())
    return ""


def shown_text(element: etree.Element, md: markdown.Markdown | None = None) -> str:
    """The text a reader sees for `element`: placeholders for raw HTML and
    escapes put back, tags dropped."""
    text = "".join(element.itertext())
    if "\x02" in text:
        text = _HTML_PLACEHOLDER.sub(lambda m: re.sub(r"<[^>]*>", "", _stash(md, int(m.group(1)))), text)
        text = _ESCAPE_PLACEHOLDER.sub(lambda m: chr(int(m.group(1))), text)
    return text


def _raw_heading_level(element: etree.Element, md: markdown.Markdown | None) -> int:
    """For a raw-HTML block holding a heading that reads "Private": its level."""
    if element.tag != "p" or len(element) or not element.text:
        return 0
    match = _HTML_PLACEHOLDER.fullmatch(element.text.strip())
    if match is None:
        return 0
    raw = _stash(md, int(match.group(1)))
    for heading in _RAW_HEADING.finditer(raw):
        if fold(re.sub(r"<[^>]*>", "", heading.group(2))) == PRIVATE_TITLE:
            return HEADINGS[heading.group(1).lower()]
    return 0


def _holds_heading_up_to(element: etree.Element, level: int) -> bool:
    return any(HEADINGS.get(child.tag, 7) <= level for child in element.iter() if child is not element)


def cut_private(root: etree.Element, md: markdown.Markdown | None = None) -> int:
    """Remove from `root`, in document order, every heading that reads
    "Private" and everything after it up to the next heading of the same or
    a higher level, wherever the two stand (in lists, quotes, admonitions).
    Returns how many private sections were cut."""
    cut = 0
    level = 0  # the level of the private section being cut; 0: none

    def walk(parent: etree.Element) -> None:
        nonlocal cut, level
        for child in list(parent):
            own = HEADINGS.get(child.tag, 0)
            if own and level and own <= level:
                level = 0
            if not level:
                starts = 0
                if own and fold(shown_text(child, md)) == PRIVATE_TITLE:
                    starts = own
                elif not own:
                    starts = _raw_heading_level(child, md)
                if starts:
                    level = starts
                    cut += 1
            if level:
                if own or not _holds_heading_up_to(child, level):
                    parent.remove(child)
                    continue
                child.text = None  # it starts inside the section being cut
                walk(child)
                if level:
                    child.tail = None
            elif not own:
                walk(child)
                if level:
                    child.tail = None

    walk(root)
    return cut


def plain_notes_html(notes: str) -> str:
    """Notes shown as they are written, as text: what a page shows when its
    Markdown cannot be rendered safely."""
    return f'<pre class="kith-notes-plain">{html.escape(notes)}</pre>'


# -- sanitizing ----------------------------------------------------------------

_ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan", "align", "style"},
    "th": {"colspan", "rowspan", "align", "style", "scope"},
    "ol": {"start", "type"},
    "li": {"value"},
    "time": {"datetime"},
    "input": {"checked", "disabled"},
    "details": {"open"},
    "code": {"data-lang"},
}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def clean_html(text: str) -> str:
    """`text` with everything that could run or load script removed: only
    formatting tags, only plain attributes (no `on...=`, no `style` but a
    table cell's alignment), only http(s), mailto and tel links."""
    return _cleaner().clean(text)


@functools.cache
def _cleaner():
    # One sanitizer for every page: nh3.clean() builds its rules again on
    # each call, which was half its time (50 of 100 µs a person's notes).
    import nh3  # a compiled extension: loaded only when a page is rendered

    return nh3.Cleaner(
        tags=set(nh3.ALLOWED_TAGS) | {"input", "details", "summary", "div", "span", "section"},
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
        tag_attribute_values={"input": {"type": {"checkbox"}}},
        filter_style_properties={"text-align"},
    )


def private_heading_in(text: str) -> bool:
    """Whether the HTML `text` holds a heading that reads "Private"."""
    if "<h" not in text and "<H" not in text:
        return False
    return any(fold(re.sub(r"<[^>]*>", "", m.group(2))) == PRIVATE_TITLE for m in _RAW_HEADING.finditer(text))


WITHHELD_HTML = (
    '<p class="kith-withheld">These notes are not shown: kith could not be sure which part of them '
    "is private. <code>kith validate</code> says where.</p>"
)


def finish_notes_html(rendered: str, raw_html: bool = False) -> tuple[str, str | None]:
    """The rendered notes as published, and why they were withheld (None
    when they were not): sanitized unless `raw_html`, then checked."""
    text = rendered if raw_html else clean_html(rendered)
    if private_heading_in(text):
        return WITHHELD_HTML, "a heading that reads \"Private\" survived to the page's HTML"
    return text, None


# -- rendering notes outside MkDocs (`kith render`) ----------------------------


def make_markdown(settings: Settings, state: PrivacyState) -> markdown.Markdown:
    """A Markdown instance with the site's extensions and the privacy cut."""
    try:
        configs = json.loads(settings.markdown_options)
        return markdown.Markdown(
            extensions=[*settings.markdown_extensions, PrivacyExtension(state)], extension_configs=configs
        )
    except Exception:  # noqa: BLE001 - an extension that will not load outside MkDocs
        return markdown.Markdown(extensions=[*MKDOCS_EXTENSIONS, PrivacyExtension(state)])


def publishable_notes(notes_markdown: str, settings: Settings) -> tuple[str, str | None]:
    """A person's (already privacy-filtered) notes rendered to the HTML a
    site may publish, the same way the plugin does, and why they were
    withheld or shown as plain text, if they were."""
    state = PrivacyState()
    rendered = make_markdown(settings, state).convert(notes_markdown)
    if state.failed:
        return plain_notes_html(notes_markdown), state.failed
    text, problem = finish_notes_html(rendered, settings.raw_html)
    if state.cut and problem is None:
        return WITHHELD_HTML, "the renderer found a Private heading that kith's own reading of the file did not"
    return text, problem
