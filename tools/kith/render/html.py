"""Small HTML and URL helpers for generated pages.

Every value that comes from a contact file goes through `e()` before it lands
in HTML: a name such as `<script>` must show as text, never run.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterable

from .. import grammar


def e(value: object) -> str:
    """Escape any value for HTML text and attribute contexts."""
    if value.__class__ is not str:
        value = "" if value is None else str(value)
    return _escape(value)  # type: ignore[arg-type]


_escape = html.escape  # quote=True by default


MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def md_text(value: str) -> str:
    """Text safe inside Markdown: HTML-escaped, Markdown specials backslashed."""
    return MD_SPECIAL.sub(r"\\\1", html.escape(value, quote=False))


def page_url(src: str, directory_urls: bool = True) -> str:
    """The URL MkDocs gives the page at `src` (`people/ada.md` -> `people/ada/`)."""
    stem = src[:-3] if src.endswith(".md") else posixpath.splitext(src)[0]
    if not directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def _base_parts(from_url: str) -> list[str]:
    """The folders of the page at `from_url`: `people/ada/` -> [people, ada]."""
    if from_url.endswith("/") or from_url == "":
        base = from_url
    else:
        folder = posixpath.dirname(from_url)
        base = folder + "/" if folder else ""
    return base.split("/")[:-1]


def _relative(base_parts: list[str], to_url: str) -> str:
    # Plain string work: posixpath.relpath is the hot spot of a 5,000-page build.
    to_parts = to_url.split("/")
    common = 0
    limit = min(len(base_parts), len(to_parts) - 1)
    while common < limit and base_parts[common] == to_parts[common]:
        common += 1
    rel = "../" * (len(base_parts) - common) + "/".join(to_parts[common:])
    return rel or "./"


def relative_url(from_url: str, to_url: str) -> str:
    """A link from the page at `from_url` to `to_url`, both site-relative."""
    return _relative(_base_parts(from_url), to_url)


def person_src(slug: str) -> str:
    return f"people/{slug}.md"


class Linker:
    """Relative links from one generated page to any other: as the site's
    URLs (`directory_urls` as MkDocs sets it), or with `files=True` as links
    between the Markdown files themselves (`kith render --out`)."""

    def __init__(self, from_src: str, directory_urls: bool = True, *, files: bool = False) -> None:
        self.directory_urls = directory_urls
        self.files = files
        self.here = from_src if files else page_url(from_src, directory_urls)
        self._base = _base_parts(self.here)
        # Every person page sits in people/; links to them are this prefix
        # plus the slug, worked out once per page rather than once per link.
        people = _relative(self._base, "people/")
        self.person_prefix = "" if people == "./" else people
        self.person_suffix = ".md" if files else ("/" if directory_urls else ".html")

    def to(self, src: str) -> str:
        return _relative(self._base, src if self.files else page_url(src, self.directory_urls))

    def asset(self, path: str) -> str:
        """A file copied as is (`assets/kith/network.js`, `followups.ics`)."""
        return _relative(self._base, path)

    def person(self, slug: str) -> str:
        return self.person_prefix + slug + self.person_suffix


def edit_url(edit_root: str, relpath: str) -> str:
    """Where the file at `relpath` is edited online ("" without an edit
    root): the path URL-quoted, so a file named with `#`, `?` or a space
    is still the file linked."""
    if not edit_root:
        return ""
    from urllib.parse import quote

    return edit_root + quote(relpath, safe="/")


def link(href: str, text: str, cls: str | None = None) -> str:
    klass = f' class="{e(cls)}"' if cls else ""
    return f'<a href="{e(href)}"{klass}>{e(text)}</a>'


def ul(items: Iterable[str], cls: str = "kith-list") -> str:
    inner = "".join(f"<li>{item}</li>" for item in items)
    return f'<ul class="{e(cls)}">{inner}</ul>' if inner else ""


def replace_mentions_html(text: str, resolve) -> str:
    """A line of Markdown shown as text (grammar.shown_text), escaped, with
    each `[[slug]]` turned into the HTML `resolve(slug, label)` gives."""
    out: list[str] = []
    pos = 0
    shown = grammar.shown_text
    for match in grammar.mention_matches(text):
        out.append(e(shown(text[pos : match.start()])))
        out.append(resolve(match.group(1).strip(), (match.group(2) or "").strip() or None))
        pos = match.end()
    out.append(e(shown(text[pos:])))
    return "".join(out)
