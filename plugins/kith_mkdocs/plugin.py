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
from kith.render import ASSET_DIR, Page, SiteContext, site_assets, site_pages
from kith.validate import check

from .config import KithConfig

log = logging.getLogger("mkdocs.plugins.kith")

UNINDEXED_MARK = "<!-- kith: unindexed sections -->"


class KithPlugin(BasePlugin[KithConfig]):
    def __init__(self) -> None:
        # Parsed files, kept across `mkdocs serve` rebuilds and, through
        # .kith-cache/, across builds and the CLI (see kith.cache).
        self.cache: DiskCache | None = None
        self.pages: dict[str, Page] = {}
        self.ctx: SiteContext | None = None
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
        self.ctx = SiteContext(
            network=network,
            settings=self.settings,
            today=today,
            directory_urls=config.use_directory_urls,
        )
        self.pages = {}
        for page in site_pages(self.ctx):
            if files.get_file_from_path(page.src) is not None:
                log.info(f"kith: {page.src} exists in docs/, so kith does not generate it")
                continue
            self.pages[page.src] = page
            inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, page.src, content=page.markdown, inclusion=inclusion))
        for asset in site_assets(self.ctx):
            if files.get_file_from_path(asset.path) is None:
                files.append(File.generated(config, asset.path, content=asset.content(self.ctx)))
        return files

    def on_page_markdown(self, markdown: str, *, page: MkPage, config: MkDocsConfig, files: Files) -> str | None:
        ours = self.pages.get(page.file.src_uri)
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
        ours = self.pages.get(page.file.src_uri)
        if ours is None or self.ctx is None:
            return None
        content = ours.indexed_html(self.ctx, html)
        if ours.unindexed is not None:
            # Search reads page.content before the theme renders it; the
            # sections search must not index go in after that (on_post_page).
            content += UNINDEXED_MARK
        return content

    def on_post_page(self, output: str, *, page: MkPage, config: MkDocsConfig) -> str | None:
        ours = self.pages.get(page.file.src_uri)
        if ours is None or self.ctx is None or ours.unindexed is None:
            return None
        return output.replace(UNINDEXED_MARK, ours.unindexed_html(self.ctx), 1)

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        if self.config.enabled and self.people_path is not None and self.people_path.is_dir():
            server.watch(str(self.people_path))
        return server
