"""Material's site navigation, rendered once for all the person pages of a
folder rather than once for each.

Material renders the navigation into every page. Person pages are not in
the nav, so the nav shows nothing of them: on each page of one folder it
is the same HTML (links relative to the folder, nothing marked active). At
5,000 people, rendering it again for each cost a tenth of a bare build
(cProfile: 3.8 of 47 s, a third of kith's whole share then).

The nav is cached only where that sameness is certain:
- the theme's nav templates are Material's own files (an override in
  `custom_dir` may show something of the page, so it renders each time);
- the page is one of kith's person pages, not in the nav itself, and no
  page in the nav lies under its URL (links to it would be relative to it).
Anything else renders the nav as Material does. The cache lives in the
Jinja environment, which MkDocs makes again for every build.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

import jinja2
from markupsafe import Markup

NAV = "partials/nav.html"
# The theme's own nav, under a name only this module asks for.
ORIGINAL = "kith-theme/"
# Templates the nav renders: all must be Material's for its output to depend
# on the page only as described above.
NAV_TEMPLATES = (NAV, "partials/nav-item.html", "partials/logo.html", "partials/source.html", "partials/toc.html")

WRAPPER = (
    "{%- set kith_nav_key = kith_nav.key(page) -%}"
    "{%- if kith_nav_key is none -%}"
    '{% include "' + ORIGINAL + NAV + '" %}'
    "{%- elif kith_nav.has(kith_nav_key) -%}"
    "{{ kith_nav.get(kith_nav_key) }}"
    "{%- else -%}"
    '{%- set kith_nav_html -%}{% include "' + ORIGINAL + NAV + '" %}{%- endset -%}'
    "{{ kith_nav.put(kith_nav_key, kith_nav_html) }}"
    "{%- endif -%}"
)


class _Loader(jinja2.BaseLoader):
    """The theme's loader, with `partials/nav.html` wrapped in the cache."""

    def __init__(self, inner: jinja2.BaseLoader) -> None:
        self.inner = inner

    def get_source(self, environment, template):
        if template == NAV:
            return WRAPPER, None, lambda: True
        if template.startswith(ORIGINAL):
            return self.inner.get_source(environment, template[len(ORIGINAL) :])
        return self.inner.get_source(environment, template)

    def list_templates(self):
        return self.inner.list_templates()


class NavCache:
    """The nav's HTML by folder, for the pages `key` names a folder for."""

    def __init__(self, person_srcs: frozenset[str], nav_urls: frozenset[str]) -> None:
        self._person_srcs = person_srcs
        # Every URL in the nav and every folder above one: a page at one of
        # them is in the nav, or has nav pages under it.
        self._taken = frozenset(prefix for url in nav_urls for prefix in _prefixes(url))
        self._html: dict[str, Markup] = {}

    def key(self, page) -> str | None:
        file = getattr(page, "file", None)
        # A page of the user's own at the path of one of kith's is theirs.
        if file is None or file.generated_by is None or file.src_uri not in self._person_srcs:
            return None
        url = page.url
        if url in self._taken or url.rstrip("/") in self._taken:
            return None
        return posixpath.dirname(url.rstrip("/"))

    def has(self, key: str) -> bool:
        return key in self._html

    def get(self, key: str) -> Markup:
        return self._html[key]

    def put(self, key: str, html: str) -> Markup:
        self._html[key] = Markup(html)
        return self._html[key]


def _prefixes(url: str):
    yield url
    yield url.rstrip("/")
    parts = url.strip("/").split("/")
    for end in range(1, len(parts)):
        yield "/".join(parts[:end])
        yield "/".join(parts[:end]) + "/"


def material_templates() -> Path | None:
    try:
        import material
    except ImportError:
        return None
    return Path(material.__file__).resolve().parent / "templates"


def install(env: jinja2.Environment, person_srcs: frozenset[str], nav_urls: frozenset[str]) -> bool:
    """Cache the nav of `person_srcs`' pages in `env`, when its templates
    are Material's own; True when it does."""
    own = material_templates()
    if own is None or env.loader is None or isinstance(env.loader, _Loader):
        return False
    for name in NAV_TEMPLATES:
        try:
            _, filename, _ = env.loader.get_source(env, name)
        except jinja2.TemplateNotFound:
            return False
        if filename is None or Path(filename).resolve().parent.parent != own:
            return False
    env.loader = _Loader(env.loader)
    env.globals["kith_nav"] = NavCache(person_srcs, nav_urls)
    return True
