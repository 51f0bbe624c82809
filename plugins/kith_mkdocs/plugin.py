"""MkDocs events -> kith core. No rule lives here: the core loads, checks and
renders; this module only hands its pages to MkDocs."""

from __future__ import annotations

import datetime as dt
import functools
import gc
import html
import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel, file_sort_key
from mkdocs.structure.pages import Page as MkPage
from mkdocs.structure.toc import get_toc
from mkdocs.utils import nest_paths

from kith.config import Settings, edit_root, settings_from_mapping
from kith.cache import DiskCache
from kith.load import load_network
from kith.render import ASSET_DIR
from kith.render.incremental import IncrementalSite
from kith.render.safety import WITHHELD_HTML, PrivacyExtension, PrivacyState, finish_notes_html, plain_notes_html
from kith.render.templating import TemplateError, Templates, describe_error, templates_key
from kith.validate import CheckMemo, check

from .config import KithConfig
from . import navcache
from .dirty import DirtyBuilds
from .serve import MemoryBytecodeCache, watch_natively

log = logging.getLogger("mkdocs.plugins.kith")


def _template_errors(method):
    """A theme's override of a kith template that does not render stops the
    build with the template's name and line, not a traceback (a one-off
    build renders each page only when MkDocs reaches it)."""

    @functools.wraps(method)
    def wrapped(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except TemplateError as exc:
            self.site = IncrementalSite()
            raise PluginError(f"kith: template {describe_error(exc)}") from None

    return wrapped

# Markers in page.content between on_page_content and on_page_context
# (comments: search ignores them, and they never reach a built page).
SEARCH_END = "<!-- kith: end of search text -->"
UNINDEXED = "<!-- kith: unindexed sections go here -->"


class KithPlugin(BasePlugin[KithConfig]):
    def __init__(self) -> None:
        # Parsed files, kept across `mkdocs serve` rebuilds and, through
        # .kith-cache/, across builds and the CLI (see kith.cache).
        self.cache: DiskCache | None = None
        # Pages and their HTML, kept across rebuilds too: after an edit only
        # the pages that read the changed file are rendered again.
        self.site = IncrementalSite()
        self.checked = CheckMemo()
        # src -> the Markdown's HTML, from on_page_content to on_page_context.
        self._bodies: dict[str, str] = {}
        self.settings = Settings()
        self.people_path: Path | None = None
        # The privacy cut in MkDocs' own Markdown parse of every page; active
        # only while one of kith's pages renders (see on_page_markdown).
        self.privacy = PrivacyState(active=False)
        # src -> (the Markdown's HTML, raw_html, what was published, why
        # withheld): under `mkdocs serve`, where MkDocs renders every page's
        # Markdown again on each change, sanitizing unchanged notes again
        # took 0.19 s a rebuild at 1,200 people (nh3 over every page).
        self._finished: dict[str, tuple[str, bool, str, str | None]] = {}
        # Person pages whose notes and log are withheld at render time.
        self._withheld: set[str] = set()
        self.templates = Templates()
        # What `mkdocs serve --dirty` rebuilds, and what it must not lose.
        self.dirty = DirtyBuilds()
        self._files: Files | None = None
        self._nav_urls: frozenset[str] = frozenset()  # every URL the site's nav links to
        self._templates = MemoryBytecodeCache()
        self.command = "build"

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup makes MkDocs keep this instance (and its cache)
        # across the rebuilds of `mkdocs serve`.
        self.command = command
        self.dirty.enabled = dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        root = Path(config.config_file_path or ".").resolve().parent
        options = dict(self.config)
        self.settings = settings_from_mapping(options)
        # Edit links on person pages, as Material makes them for documentation pages.
        edit = edit_root(config.repo_url, config.edit_uri, Path(config.docs_dir), root)
        self.settings = self.settings.with_overrides(edit_root=edit or None)
        # kith's templates, looked up in the theme's folders first (custom_dir
        # first), so `overrides/kith/person.html` replaces the person page's.
        # Kept across the rebuilds of `mkdocs serve` while no override changed:
        # compiling them again costs every rebuild tens of milliseconds.
        if self.templates.key != templates_key(config.theme.dirs):
            templates = Templates(config.theme.dirs)
            try:
                templates.check()  # a syntax error in an override, before anything is built
            except TemplateError as exc:
                raise PluginError(f"kith: template {describe_error(exc)}") from None
            self.templates = templates
        self.root = root
        self.people_path = root / self.settings.people_dir
        # The stylesheet is known before the network is loaded; listing it here
        # lets the theme link it from every page.
        stylesheet = f"{ASSET_DIR}/kith.css"
        if stylesheet not in config.extra_css:
            config.extra_css.append(stylesheet)
        if not any(isinstance(x, PrivacyExtension) for x in config.markdown_extensions):
            config.markdown_extensions.append(PrivacyExtension(self.privacy))
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        self._bodies.clear()
        cache = self.cache
        if cache is None or cache.header[2:] != (str(self.root), self.settings.people_dir):
            cache = self.cache = DiskCache.open(self.root, self.settings.people_dir)
        network = load_network(self.root, self.settings.people_dir, cache, settings=self.settings)
        cache.save()  # writes only the shards of files parsed just now
        for finding in check(network, self.checked):
            # MkDocs counts warnings, so `mkdocs build --strict` fails on them.
            if finding.severity == "error":
                log.warning(finding.format())
            else:
                log.info(finding.format())
        try:
            today = self.settings.resolved_today()
        except ValueError as exc:
            log.warning(f"kith: bad `today`/KITH_TODAY ({exc}); using the real date")
            today = dt.date.today()
        # A one-off `mkdocs build` keeps no page's HTML once it is written;
        # `mkdocs serve` keeps them all for its next rebuild.
        keep = self.command == "serve"
        try:
            update = self.site.update(network, self.settings, today, config.use_directory_urls, self.templates, keep=keep)
        except TemplateError as exc:
            # A theme's override of one of kith's templates that does not render.
            self.site = IncrementalSite()
            raise PluginError(f"kith: template {describe_error(exc)}") from None
        if not keep:
            # What lives for the whole build, the network and its graph, out
            # of the collector's sight: the pages' HTML is made and dropped
            # page by page, and every collection would walk it all again.
            gc.freeze()
        for gone in self._finished.keys() - self.site.pages.keys():
            del self._finished[gone]
        log.info(update.describe())
        generated = []
        # Our paths are POSIX already: a look-up in src_uris, not
        # get_file_from_path's PurePath per page.
        present = files.src_uris
        for src, page in self.site.pages.items():
            if src in present:
                log.info(f"kith: {src} exists in docs/, so kith does not generate it")
                continue
            generated.append(src)
            inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, src, content=page.markdown, inclusion=inclusion))
        for path in self.site.assets:
            if path not in present:
                generated.append(path)
                files.append(File.generated(config, path, content=self.site.asset_bytes(path)))
        if config.nav is None:
            config.nav = self._navigation(files, [src for src in generated if src in self.site.pages])
        self.dirty.plan(config, files, set(generated), self.site.changed_outputs)
        if self.dirty.enabled and self.dirty.full:
            log.info(f"kith: every page is read and written again ({self.dirty.why})")
        self._files = files
        return files

    # After every other plugin has shaped the nav.
    @event_priority(-100)
    def on_nav(self, nav, *, config: MkDocsConfig, files: Files):
        if self.config.enabled:
            self._nav_urls = frozenset(_nav_urls(nav.items))
        return nav

    # Before Material's tags plugin lists the tags of every page (priority 100).
    @event_priority(110)
    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        self.dirty.restore(config, files)
        if self.command == "serve" and env.bytecode_cache is None:
            env.bytecode_cache = self._templates
        if self.config.enabled:
            people = frozenset(src for src, page in self.site.pages.items() if page.kind == "person")
            navcache.install(env, people, self._nav_urls)
        return env

    # Before search writes its index (priority 0): it must hold every page.
    @event_priority(50)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.command != "serve":
            gc.unfreeze()
        if self._files is None:
            return
        entries, search = self._search_entries(config)
        self.dirty.finish(config, self._files, entries)
        if self.dirty.enabled and search is not None and hasattr(search, "search_index_prev"):
            # Material merges a dirty rebuild's entries into the last index
            # itself, assuming one page changed; the index is whole already.
            search.search_index_prev = None

    # Last of all post_page handlers: the page is rendered; only its file is left to write.
    @event_priority(-100)
    def on_post_page(self, output: str, *, page: MkPage, config: MkDocsConfig) -> str | None:
        if self.command != "serve" and self._ours(page) is not None and self.dirty.only_safe_plugins:
            # MkDocs keeps every page's content to the end of the build, and
            # nothing reads it after this (anchors are checked from what the
            # render recorded): at 30,000 person pages that was 450 MB.
            page.content = ""
        return output

    def on_build_error(self, *, error: Exception) -> None:
        if self.command != "serve":
            gc.unfreeze()

    def on_shutdown(self) -> None:
        # The mkdocs command is about to exit. Python's shutdown runs the
        # cyclic collector several times over everything still alive: after
        # a build at 5,000 people that took 1.9 s (0.3 s without kith), a
        # tenth of the build, to free memory the exit frees anyway. Frozen,
        # those objects are left to the exit. Only here: a build run again
        # in the same process (a test, `mkdocs serve`) never gets this far.
        gc.freeze()

    @staticmethod
    def _search_entries(config: MkDocsConfig) -> tuple[list | None, object | None]:
        """The list the search plugin collects this build's entries in
        (Material's `entries`, MkDocs' own `_entries`), and the plugin."""
        for plugin in config.plugins.values():
            index = getattr(plugin, "search_index", None)
            for name in ("entries", "_entries"):
                entries = getattr(index, name, None)
                if isinstance(entries, list):
                    return entries, plugin
        return None, None

    def _navigation(self, files: Files, generated: list[str]) -> list:
        """The `nav` MkDocs would make up from the files, with kith's pages
        first and flat: on its own MkDocs gives each folder (people/,
        organisations/...) a section holding one page, which reads oddly
        and costs every page of the site its rendering."""
        ours = [{self.site.pages[src].title: src} for src in generated if self.site.pages[src].in_nav]
        taken = set(generated)
        theirs = sorted(
            (f for f in files.documentation_pages() if f.inclusion.is_in_nav() and f.src_uri not in taken),
            key=file_sort_key,
        )
        rest = nest_paths(f.src_uri for f in theirs)
        if rest and rest[0] == "index.md":  # a home page of their own comes first
            return [rest[0], *ours, *rest[1:]]
        return [*ours, *rest]

    def _ours(self, page: MkPage):
        # A page in docs/ with the same path as one of ours is the user's.
        if page.file.generated_by is None:
            return None
        return self.site.pages.get(page.file.src_uri)

    def on_page_markdown(self, markdown: str, *, page: MkPage, config: MkDocsConfig, files: Files) -> str | None:
        ours = self._ours(page)
        # The cut applies to kith's pages only, not to the user's own docs.
        self.privacy.active = ours is not None
        self.privacy.cut = 0
        self.privacy.failed = None
        if ours is None:
            return None
        # MkDocs themes and Material's tags plugin print page.title and
        # page.meta["tags"] unescaped (in <title>, the header, tag chips and
        # the search index), so a name like `<script>` must arrive escaped.
        page.meta["title"] = html.escape(ours.title)
        if ours.tags and ours.theme_tags:
            page.meta["tags"] = [html.escape(tag) for tag in ours.tags]
        if ours.edit_url:
            page.edit_url = ours.edit_url
        if not ours.search:
            page.meta["search"] = {"exclude": True}
        page.meta.update(ours.meta)
        return None

    @_template_errors
    def on_page_content(self, html: str, *, page: MkPage, config: MkDocsConfig, files: Files) -> str | None:
        ours = self._ours(page)
        if ours is None:
            return None
        self._withheld.discard(ours.src)
        html = self._published_notes(ours, page, html)
        if ours.src in self._withheld:
            # The card only: the notes, the log and what search would read
            # from them stay out, and so do their headings in the page's TOC.
            page.toc = get_toc([])
            rendered = self.site.rendered(ours.src)
            return rendered.withheld(WITHHELD_HTML, unindexed=False)
        if self.site.pages[ours.src].search_text is None:
            return self.site.indexed_html(ours.src, html) + UNINDEXED
        # The Markdown's HTML alone until the page is written: what search
        # reads is put in front of it just before search reads it (below),
        # so that no page's search text waits in memory while MkDocs reads
        # every other page (at 30,000 pages that is tens of megabytes).
        return html

    def _published_notes(self, ours, page: MkPage, rendered: str) -> str:
        """The Markdown's HTML as the page may show it: plain text when it
        could not be rendered, sanitized, and withheld with the log when
        the renderer found a Private section kith's grammar did not."""
        state = self.privacy
        person = self.site.ctx.network.people.get(ours.slug) if ours.slug and self.site.ctx else None
        where = person.relpath if person is not None else ours.src
        if state.failed:
            log.warning(f"kith: {where}: {state.failed}; its notes are shown as plain text [notes-unrenderable]")
            page.toc = get_toc([])
            return plain_notes_html(page.markdown or "")
        if not rendered:
            return rendered
        raw = self.settings.raw_html
        kept = self._finished.get(ours.src)
        if kept is not None and kept[0] == rendered and kept[1] == raw:
            text, problem = kept[2], kept[3]
        else:
            text, problem = finish_notes_html(rendered, raw)
            if self.command == "serve":
                self._finished[ours.src] = (rendered, raw, text, problem)
        if state.cut and problem is None:
            problem = "the renderer found a Private heading that kith's own reading of the file did not"
        if problem:
            log.warning(f"kith: {where}: {problem}; its notes and log are withheld from the site [private-unplaced]")
            self._withheld.add(ours.src)
        return text

    # Before search's on_page_context (priority 0), which indexes page.content:
    # the words search should find the person by, plain (cheap to parse), then
    # the Markdown's HTML. The page's real HTML around the Markdown goes in
    # after search has read it (_after_search).
    @event_priority(100)
    @_template_errors
    def _before_search(self, context, *, page: MkPage, config: MkDocsConfig, nav):
        ours = self._ours(page)
        if ours is None or ours.src in self._withheld:
            return context
        search = self.site.search_html(ours.src)
        if search is not None:
            body = page.content or ""
            self._bodies[ours.src] = body
            page.content = search + SEARCH_END + body
        return context

    # After every other plugin's on_page_context, search's included: what
    # search must not index (`Page.unindexed`) and the HTML that
    # `Page.search_text` stood in for go in only now.
    @event_priority(-100)
    @_template_errors
    def _after_search(self, context, *, page: MkPage, config: MkDocsConfig, nav):
        self.dirty.indexed(page, self._search_entries(config)[0])
        ours = self._ours(page)
        if ours is None:
            return context
        self._finish_page(ours, page)
        if self.command != "serve":
            self.site.release(ours.src)
        return context

    on_page_context = CombinedEvent(_before_search, _after_search)

    def _finish_page(self, ours, page: MkPage) -> None:
        """page.content as shown: the page's own HTML around the Markdown's."""
        if ours.src in self._withheld:
            page.content = self.site.rendered(ours.src).withheld(WITHHELD_HTML)
            return
        # One new string per page: at 5,000 pages of tens of kilobytes,
        # every extra copy here costs the rebuild tens of milliseconds. So
        # the Markdown's HTML kept in on_page_content is used as it is, when
        # nothing (search strips `data-search-*` attributes; other plugins)
        # changed it since; else it is cut out of page.content.
        content = page.content or ""
        body = self._bodies.pop(ours.src, None)
        if (
            body is not None
            and content.endswith(body)
            and content.startswith(SEARCH_END, len(content) - len(body) - len(SEARCH_END))
        ):
            page.content = self.site.page_html(ours.src, body)
            return
        end = content.find(SEARCH_END)
        if end >= 0:
            page.content = self.site.page_html(ours.src, content[end + len(SEARCH_END) :])
        elif content.endswith(UNINDEXED):
            page.content = content[: -len(UNINDEXED)] + self.site.unindexed_html(ours.src)

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        if self.config.enabled and self.people_path is not None and self.people_path.is_dir():
            server.watch(str(self.people_path))
        journal = self.root / self.settings.journal_dir if self.config.enabled and self.settings.journal_dir else None
        if journal is not None and journal.is_dir():
            server.watch(str(journal))
        if self.config.enabled and watch_natively(server):
            log.info("kith: watching for changes with the system's file notifications")
        return server


def _nav_urls(items):
    """The URL of every page and link in the nav, sections opened."""
    for item in items:
        url = getattr(item, "url", None)
        if isinstance(url, str):
            yield url
        yield from _nav_urls(getattr(item, "children", None) or ())
