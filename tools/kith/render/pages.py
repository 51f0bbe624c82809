"""The list of generated pages. Building the list is cheap (no rendering);
each page renders its HTML only when the plugin or `kith render` asks."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from .context import SiteContext
from .html import Linker

Render = Callable[[SiteContext, Linker], str]


@dataclass(frozen=True)
class Page:
    src: str  # path as if in docs/: "people/ada-lovelace.md"
    title: str  # plain text; escaped wherever it is rendered
    kind: str  # "person", "home", "index", ...
    markdown: str = ""  # Markdown for MkDocs to render (a person's own notes)
    before: Render | None = None  # HTML placed before the Markdown's HTML
    after: Render | None = None  # HTML placed after it
    # HTML after that, kept out of the search index: sections that only repeat
    # names (relationships, neighbourhood). At 5,000 people, indexing them
    # cost more than the rest of the build and bloated the index.
    unindexed: Render | None = None
    # What the search index reads in place of `before` and `after`: the same
    # words as plain paragraphs. The search plugin parses every tag of what
    # it indexes, and a card and timeline full of links, times and chips
    # cost it several times their plain text. None: it reads them as shown.
    search_text: Render | None = None
    # All the parts at once (a page put together by one template renders
    # once, not once per part); when set, before/after/unindexed/search_text
    # are not used.
    parts: "Callable[[SiteContext, Linker], Rendered] | None" = None
    in_nav: bool = True
    search: bool = True  # False: kept out of the search index
    tags: tuple[str, ...] = ()
    # Whether the theme gets the tags too (Material shows them as chips
    # above the title); person pages show them on their card instead.
    theme_tags: bool = True
    # Where the file behind the page is edited (repo_url + edit_uri), if known.
    edit_url: str | None = None
    slug: str | None = None  # the person, for person pages
    meta: dict = field(default_factory=dict)
    # Whose own data (log, tasks, title... anything but their structure:
    # see incremental.structure_key) the page shows. None, the default:
    # anyone's, so it is rendered again whenever any file changes.
    reads: frozenset[str] | None = None

    def html(self, ctx: SiteContext, body_html: str = "") -> str:
        """The page's whole content: before + rendered Markdown + after + unindexed."""
        return self.render(ctx).page(body_html)

    def render(self, ctx: SiteContext, linker: Linker | None = None, search: bool = True) -> "Rendered":
        """Every part of the page's own HTML, with one Linker (by default,
        links between the site's pages). `search=False`: without the search
        text (`Rendered.search` None), for a caller that already has it."""
        linker = linker or Linker(self.src, ctx.directory_urls)
        searched = search and self.search_text is not None
        if self.parts is not None:
            found = self.parts(ctx, linker)
            if found.search is None and searched:
                found = found._replace(search=self.search_text(ctx, linker))  # type: ignore[misc]
            return found
        return Rendered(
            self.before(ctx, linker) if self.before else "",
            self.after(ctx, linker) if self.after else "",
            self.unindexed(ctx, linker) if self.unindexed else "",
            self.search_text(ctx, linker) if searched else None,  # type: ignore[misc]
        )


class Rendered(NamedTuple):
    """A page's HTML around the Markdown's (see the fields of `Page`)."""

    before: str
    after: str
    unindexed: str
    search: str | None
    # The timeline of a person page (open tasks, log, done tasks) as it
    # stands in the parts above: what `withheld` takes out.
    log: str = ""

    def indexed(self, body_html: str = "") -> str:
        """What search may index: before + the Markdown's HTML + after."""
        return self.before + body_html + self.after

    def page(self, body_html: str = "") -> str:
        """The page as shown, in one join."""
        return "".join((self.before, body_html, self.after, self.unindexed))

    def withheld(self, notice: str, unindexed: bool = True) -> str:
        """The page when its notes are withheld: the notes, and the log with
        them, replaced by `notice`, wherever a template put the log; with
        the unindexed sections, or without them (for search)."""
        before, rest = self.withheld_parts(unindexed)
        return before + notice + rest

    def withheld_parts(self, unindexed: bool = True) -> tuple[str, str]:
        """What goes before and after the notice of `withheld`: the part
        between the notes and the unindexed sections goes with the notes."""
        before, rest = self.before, self.unindexed if unindexed else ""
        if self.log:
            before, rest = before.replace(self.log, ""), rest.replace(self.log, "")
        return before, rest


@dataclass(frozen=True)
class Asset:
    """A file the site needs besides its pages: a stylesheet, a script, the
    network's JSON, the calendar feed. `content` is computed on demand."""

    path: str  # site-relative: "assets/kith/kith.css"
    content: Callable[[SiteContext], bytes]
    # As `Page.reads`: None means anyone's data, frozenset() no one's.
    reads: frozenset[str] | None = None


ASSET_DIR = "assets/kith"


def _packaged(name: str) -> Callable[[SiteContext], bytes]:
    from importlib import resources

    return lambda ctx: resources.files("kith.render").joinpath("assets", name).read_bytes()


def _asset_sources() -> list[Callable[[SiteContext], Iterable[Asset]]]:
    from . import followups, network

    return [_static_assets, followups.assets, network.assets]


NO_ONE: frozenset[str] = frozenset()


def _static_assets(ctx: SiteContext) -> Iterable[Asset]:
    yield Asset(f"{ASSET_DIR}/kith.css", _packaged("kith.css"), reads=NO_ONE)


def site_assets(ctx: SiteContext) -> list[Asset]:
    assets: list[Asset] = []
    for source in _asset_sources():
        assets.extend(source(ctx))
    return assets


def _sources() -> list[Callable[[SiteContext], Iterable[Page]]]:
    # Imported here so that each page module can import `Page` from this one.
    from . import capture, directory, followups, home, introductions, network, people, person, problems

    # In the order of the navigation MkDocs shows when mkdocs.yml has no `nav`.
    return [
        home.pages,
        followups.pages,
        people.pages,
        person.pages,
        problems.pages,
        capture.pages,
        network.pages,
        introductions.pages,
        directory.pages,
    ]


def site_pages(ctx: SiteContext) -> list[Page]:
    pages: list[Page] = []
    for source in _sources():
        pages.extend(source(ctx))
    return pages
