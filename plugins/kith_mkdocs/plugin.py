"""MkDocs events -> kith core. No rule lives here: the core loads, checks and
renders; this module only hands its pages to MkDocs."""

from __future__ import annotations

import datetime as dt
import html
import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkPage

from kith.config import Settings, settings_from_mapping
from kith.cache import DiskCache
from kith.load import load_network
from kith.render import ASSET_DIR
from kith.render.incremental import IncrementalSite
from kith.validate import check

from .config import KithConfig

log = logging.getLogger("mkdocs.plugins.kith")

UNINDEXED_MARK = "<!-- kith: unindexed sections -->"


class KithPlugin(BasePlugin[KithConfig]):
    def __init__(self) -> None:
        # Parsed files, kept across `mkdocs serve` rebuilds and, through
        # .kith-cache/, across builds and the CLI (see kith.cache).
        self.cache: DiskCache | None = None
        # Pages and their HTML, kept across rebuilds too: after an edit only
        # the pages that read the changed file are rendered again.
        self.site = IncrementalSite()
        self.settings = Settings()
        self.people_path: Path | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup makes MkDocs keep this instance (and its cache)
        # across the rebuilds of `mkdocs serve`.
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        root = Path(config.config_file_path or ".").resolve().parent
        options = dict(self.config)
        self.settings = settings_from_mapping(options)
        self.root = root
        self.people_path = root / self.settings.people_dir
        # The stylesheet is known before the network is loaded; listing it here
        # lets the theme link it from every page.
        stylesheet = f"{ASSET_DIR}/kith.css"
        if stylesheet not in config.extra_css:
            config.extra_css.append(stylesheet)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        cache = self.cache
        if cache is None or cache.header[2:] != (str(self.root), self.settings.people_dir):
            cache = self.cache = DiskCache.open(self.root, self.settings.people_dir)
        network = load_network(self.root, self.settings.people_dir, cache)
        cache.save()  # writes only the shards of files parsed just now
        for finding in check(network):
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
        update = self.site.update(network, self.settings, today, config.use_directory_urls)
        log.info(update.describe())
        for src, page in self.site.pages.items():
            if files.get_file_from_path(src) is not None:
                log.info(f"kith: {src} exists in docs/, so kith does not generate it")
                continue
            inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, src, content=page.markdown, inclusion=inclusion))
        for path in self.site.assets:
            if files.get_file_from_path(path) is None:
                files.append(File.generated(config, path, content=self.site.asset_bytes(path)))
        return files

    def _ours(self, page: MkPage):
        # A page in docs/ with the same path as one of ours is the user's.
        if page.file.generated_by is None:
            return None
        return self.site.pages.get(page.file.src_uri)

    def on_page_markdown(self, markdown: str, *, page: MkPage, config: MkDocsConfig, files: Files) -> str | None:
        ours = self._ours(page)
        if ours is None:
            return None
        # MkDocs themes print page.title unescaped (in <title>, the header and
        # the search index), so a name like `<script>` must arrive escaped.
        page.meta["title"] = html.escape(ours.title)
        if ours.tags:
            page.meta["tags"] = list(ours.tags)
        if not ours.search:
            page.meta["search"] = {"exclude": True}
        page.meta.update(ours.meta)
        return None

    def on_page_content(self, html: str, *, page: MkPage, config: MkDocsConfig, files: Files) -> str | None:
        ours = self._ours(page)
        if ours is None:
            return None
        content = self.site.indexed_html(ours.src, html)
        if ours.unindexed is not None:
            # Search reads page.content before the theme renders it; the
            # sections search must not index go in after that (on_post_page).
            content += UNINDEXED_MARK
        return content

    def on_post_page(self, output: str, *, page: MkPage, config: MkDocsConfig) -> str | None:
        ours = self._ours(page)
        if ours is None or ours.unindexed is None:
            return None
        return output.replace(UNINDEXED_MARK, self.site.unindexed_html(ours.src), 1)

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        if self.config.enabled and self.people_path is not None and self.people_path.is_dir():
            server.watch(str(self.people_path))
        return server
