"""Dirty rebuilds for `mkdocs serve --dirty`: after a save, MkDocs reads and
writes only the pages whose output changed, and the site it serves is byte
for byte what a fresh `mkdocs build` would make.

MkDocs' own dirty mode asks each file `is_modified()` before reading and
before writing a page, and leaves everything else to plugins; on its own it
serves a wrong site (a search index of the rebuilt pages only, pages that
were deleted, titles of pages it skipped). This module supplies what it
lacks:

- which files are modified: kith's pages and assets whose output changed
  (`IncrementalSite.changed_outputs`), nothing else; but every file when
  anything else may have changed (the first build, mkdocs.yml, a file in
  docs/ or the theme's custom_dir, a plugin whose pages read other pages);
- the titles and meta of the pages it skips, which the navigation of the
  pages it writes shows;
- the search index whole and in a fresh build's order: each page's entries
  are kept from the build that last indexed it;
- files a page no longer there had written are removed.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkPage

# Plugins whose output for a page reads only that page (besides kith):
# with anything else, every rebuild is a full one.
SAFE_PLUGINS = {"search", "material/search", "tags", "material/tags", "kith"}
TAGS_LISTING = "<!-- material/tags"


def _modified(flag: bool):
    return lambda: flag


class DirtyBuilds:
    def __init__(self) -> None:
        self.enabled = False  # `mkdocs serve --dirty` (or `build --dirty`)
        self.full = True  # this build reads and writes every page
        self._mark: int | None = None  # mkdocs.yml, docs/, custom_dir, plugins
        self._pages: dict[str, tuple[str | None, dict]] = {}  # src -> (title, meta)
        self._entries: dict[str, list] = {}  # src -> search entries of the page
        self._seen = 0  # search entries already attributed to a page
        self._order: list[str] = []  # documentation pages in build order
        self._written: set[str] = set()  # what the last build wrote, site-relative
        self.why = "first build"
        self._safe = False

    # -- on_files --------------------------------------------------------------

    def plan(self, config: MkDocsConfig, files: Files, ours: set[str], changed: frozenset[str]) -> None:
        """Decide, for each file, whether this build reads and writes it.
        `ours` are the paths kith generated; `changed` those whose output
        differs from the last build's."""
        self._seen = 0
        self._safe = set(config.plugins) <= SAFE_PLUGINS
        mark = self._fingerprint(config, files)
        self.why = self._why_full(config, files, mark)
        self._mark = mark
        self.full = bool(self.why)
        if not self.enabled:
            return
        for file in files:
            if file.src_uri in ours:
                file.is_modified = _modified(self.full or file.src_uri in changed)  # type: ignore[method-assign]
            elif self.full and _under(file, config.docs_dir):
                # MkDocs compares times; after a change of config a page of
                # the user's renders differently though its file is as it was.
                file.is_modified = _modified(True)  # type: ignore[method-assign]
        self._order = [f.src_uri for f in files.documentation_pages()]

    @property
    def only_safe_plugins(self) -> bool:
        """No plugin but those known to read each page only while it renders."""
        return self._safe

    def _why_full(self, config: MkDocsConfig, files: Files, mark: int) -> str:
        if self._mark is None:
            return "first build"
        if mark != self._mark:
            return "mkdocs.yml, docs/, the theme's custom_dir or the plugins changed"
        others = set(config.plugins) - SAFE_PLUGINS
        if others:
            return f"plugins whose pages may read other pages: {', '.join(sorted(others))}"
        if any(name.endswith("tags") for name in config.plugins) and self._tag_listings(config, files):
            return "a page lists tags"
        return ""

    @staticmethod
    def _tag_listings(config: MkDocsConfig, files: Files) -> bool:
        for file in files.documentation_pages():
            if file.abs_src_path and _under(file, config.docs_dir):
                try:
                    if TAGS_LISTING in Path(file.abs_src_path).read_text(encoding="utf-8", errors="replace"):
                        return True
                except OSError:
                    return True
        return False

    @staticmethod
    def _fingerprint(config: MkDocsConfig, files: Files) -> int:
        parts: list = [tuple(config.plugins)]
        if config.config_file_path:
            try:
                parts.append(Path(config.config_file_path).read_bytes())
            except OSError:
                parts.append(None)
        for file in files:
            if file.abs_src_path and _under(file, config.docs_dir):
                parts.append(_stat(file.abs_src_path))
        custom = config.theme.custom_dir
        if custom and os.path.isdir(custom):
            for folder, _dirs, names in os.walk(custom):
                parts.extend(_stat(os.path.join(folder, name)) for name in sorted(names))
        return hash(tuple(parts))

    # -- on_page_context (after search's) --------------------------------------

    def indexed(self, page: MkPage, entries: list | None) -> None:
        """The search entries the page just added, kept for builds that skip it."""
        if entries is None or not self.enabled:
            return
        self._entries[page.file.src_uri] = entries[self._seen :]
        self._seen = len(entries)

    # -- on_env: every page read; none written yet --------------------------------

    def restore(self, config: MkDocsConfig, files: Files) -> None:
        """Give the pages this build skipped the title and meta they had, so
        the navigation of the pages it writes names them as a full build does;
        remember those of the pages it read; and give Material's tags plugin
        the tags of the pages it did not see."""
        if not self.enabled:
            return
        for file in files.documentation_pages():
            page = file.page
            if page is None:
                continue
            if page.markdown is None:
                kept = self._pages.get(file.src_uri)
                if kept is not None:
                    page.title, page.meta = kept[0], dict(kept[1])
            else:
                self._pages[file.src_uri] = (page.title, dict(page.meta))
        for plugin in config.plugins.values():
            _complete_tag_mappings(plugin, files)

    # -- on_post_build (before search's) ------------------------------------------

    def finish(self, config: MkDocsConfig, files: Files, entries: list | None) -> None:
        """The search index in a fresh build's order, and what is gone removed."""
        if not self.enabled:
            return
        present = set(self._order)
        for src in list(self._pages):
            if src not in present:
                del self._pages[src]
        for src in list(self._entries):
            if src not in present:
                del self._entries[src]
        if entries is not None:
            entries[:] = [entry for src in self._order for entry in self._entries.get(src, ())]
        written = {file.dest_uri for file in files}
        site = os.path.realpath(config.site_dir)
        for gone in sorted(self._written - written):
            _remove(site, gone)
        self._written = written


def _complete_tag_mappings(plugin: object, files: Files) -> None:
    """Material's tags plugin collects each page's tags as it reads the page
    and exports them all (tags.json) in page order: add the pages a dirty
    build skipped, and put every page back in the order a full build reads
    them."""
    mappings = getattr(plugin, "mappings", None)
    data = getattr(mappings, "data", None)
    if not isinstance(data, dict) or not hasattr(mappings, "add"):
        return
    wanted = getattr(plugin, "filter", None)
    ordered = {}
    for file in files.documentation_pages():
        page = file.page
        if page is None:
            continue
        if page.url not in data and page.markdown is None and (wanted is None or wanted(file)):
            mappings.add(page, "")
        if page.url in data:
            ordered[page.url] = data[page.url]
    data.clear()
    data.update(ordered)


def _under(file: File, folder: str) -> bool:
    return bool(file.abs_src_path) and os.path.abspath(file.abs_src_path).startswith(os.path.abspath(folder) + os.sep)


def _stat(path: str) -> tuple:
    try:
        info = os.stat(path)
    except OSError:
        return (path, None)
    return (path, info.st_mtime_ns, info.st_size, info.st_ino)


def _remove(site: str, dest: str) -> None:
    """Remove site/dest (a file a page or asset no longer there had written)
    and the folders it leaves empty; never anything outside the site."""
    path = os.path.realpath(os.path.join(site, dest))
    if not path.startswith(site + os.sep):
        return
    try:
        os.unlink(path)
    except OSError:
        return
    folder = os.path.dirname(path)
    while folder.startswith(site + os.sep):
        try:
            os.rmdir(folder)
        except OSError:
            return
        folder = os.path.dirname(folder)
