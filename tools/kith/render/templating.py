"""The Jinja2 templates that give kith's pages their structure.

Every generated page is put together by a template in
`kith/render/templates/kith/` (person.html, card.html, timeline.html,
home.html, followups.html, people.html, letter.html,
directory.html, group.html, introductions.html, network.html,
broken.html). A theme overrides one the way it overrides its own
fragments: a file of the same name under `kith/` in the theme's
`custom_dir` (`overrides/kith/person.html`) is used instead. The MkDocs
plugin passes the theme's template folders (custom_dir first); `kith
render` uses the package's templates alone, with no MkDocs involved.

Autoescape is on: a value from a contact file that reaches a template as
text is escaped there. HTML that kith builds in Python (a person's link,
a row of a list: the hottest fragments of a big build) arrives as
`Markup`, already escaped where it was made (`html.e`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

FOLDER = "kith"
"""Templates live in this folder of the package and of a theme's custom_dir."""

__all__ = ["FOLDER", "Markup", "TemplateError", "Templates", "default_templates", "describe_error"]

TemplateError = jinja2.TemplateError


class Templates:
    """kith's templates, looked up first in `dirs` (a theme's template
    folders, custom_dir first), then in the package."""

    def __init__(self, dirs: Iterable[str | os.PathLike[str]] = ()) -> None:
        self.dirs = tuple(str(d) for d in dirs)
        loaders: list[jinja2.BaseLoader] = []
        if self.dirs:
            loaders.append(jinja2.FileSystemLoader(list(self.dirs)))
        loaders.append(jinja2.PackageLoader("kith.render", "templates"))
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=True,
            auto_reload=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            undefined=jinja2.StrictUndefined,
        )
        self._cache: dict[str, jinja2.Template] = {}
        # What decides the templates' output besides the data: the folders
        # and each override in them with its modification time, so a site
        # kept between rebuilds renders again when an override is edited.
        self.key = templates_key(self.dirs)

    def get(self, name: str) -> jinja2.Template:
        template = self._cache.get(name)
        if template is None:
            template = self._cache[name] = self.env.get_template(f"{FOLDER}/{name}")
        return template

    def render(self, name: str, values: Mapping[str, Any] | None = None, /, **more: Any) -> str:
        """`name` (e.g. "person.html") rendered with `values`; plain `str`."""
        context = dict(values or {}, **more)
        return str(self.get(name).render(context))

    def check(self) -> None:
        """Compile every template kith has (and every override): raises the
        first TemplateError."""
        names = {name for name in self.env.list_templates() if name.startswith(f"{FOLDER}/") and name.endswith(".html")}
        for name in sorted(names):
            self.get(name.removeprefix(f"{FOLDER}/"))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Templates) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)


def describe_error(exc: Exception) -> str:
    """A template error as `where: what` (a theme's override may have one)."""
    where = getattr(exc, "filename", None) or getattr(exc, "name", None) or "a kith template"
    line = getattr(exc, "lineno", None)
    message = getattr(exc, "message", None) or str(exc)
    return f"{where}{f':{line}' if line else ''}: {message}"


def templates_key(dirs: Iterable[str | os.PathLike[str]]) -> tuple:
    """What `Templates(dirs)` would render with: the folders, and each
    override in them with its modification time."""
    folders = tuple(str(d) for d in dirs)
    return (folders, tuple(_overrides(folders)))


def _overrides(dirs: tuple[str, ...]) -> Iterable[tuple[str, int]]:
    for folder in dirs:
        ours = Path(folder) / FOLDER
        try:
            entries = sorted(ours.iterdir())
        except OSError:
            continue
        for path in entries:
            if path.suffix == ".html":
                try:
                    yield str(path), path.stat().st_mtime_ns
                except OSError:
                    continue


_DEFAULT: Templates | None = None


def default_templates() -> Templates:
    """The package's templates alone (what `kith render` uses)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Templates()
    return _DEFAULT
