"""The generated site written to a folder as Markdown (or JSON) files:
`kith render --out DIR`.

Nothing here renders content of its own: every page comes from
`site_pages` and every file from `site_assets`, the lists the MkDocs plugin
uses, so a folder written here says what the site says, private people and
`## Private` sections left out the same way.

A page becomes DIR/<page.src>: YAML front matter (title, kind, slug, tags,
then the page's own `meta`), the page's `before` HTML, its Markdown, its
`after` HTML, each separated by a blank line. HTML blocks inside Markdown
pass through Python-Markdown, CommonMark and most site generators as they
are. With `--format json` a page becomes DIR/<stem>.json holding the same
parts as fields. An asset (stylesheet, script, network data, calendar feed)
is written to DIR/<asset.path> byte for byte.

Links between generated pages, in their HTML, point at the other page's
`.md` file (`../people/ada-lovelace.md`), relative, so they work in an
editor, on a git host and in generators that map `.md` links to pages; with
`links="directory"` they are the site's own directory URLs
(`../people/ada-lovelace/`) for generators that publish `x.md` at `x/`.
Links in a person's notes are Markdown links to `.md` files either way.

The folder keeps a marker, `.kith-render` (JSON: the files written), so a
later run knows the folder is its own: it may write there again, and it
removes the files an earlier run wrote that are no longer generated (a
person who became private, a page that went away), and nothing else.
"""

from __future__ import annotations

import json
import os
import posixpath
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import frontmatter

from ..write import atomic_write
from .context import SiteContext
from .html import Linker
from .pages import Page, site_assets, site_pages
from .people import notes_markdown
from .safety import WITHHELD_HTML, publishable_notes

MARKER = ".kith-render"
FORMATS = ("md", "json")
LINK_STYLES = ("md", "directory")


from ..errors import RenderError  # noqa: E402,F401 - raised here, defined with the others


def linker_for(page: Page, ctx: SiteContext, links: str) -> Linker:
    if links == "md":
        return Linker(page.src, files=True)
    return Linker(page.src, ctx.directory_urls)


def _parts(page: Page, ctx: SiteContext, links: str) -> tuple[str, str, str]:
    linker = linker_for(page, ctx, links)
    rendered = page.render(ctx, linker)
    notes, withheld = notes_html(page, ctx, linker)
    if withheld:
        # The notes withheld, and what goes with them, as on the site (the plugin).
        before, after = rendered.withheld_parts()
        return before, notes, after
    return rendered.before, notes, rendered.after + rendered.unindexed


def notes_html(page: Page, ctx: SiteContext, linker: Linker) -> tuple[str, bool]:
    """A person's notes as the site publishes them: rendered with the
    site's Markdown extensions, Private sections cut from the parse,
    sanitized (see safety.py); HTML, so that whatever generator reads the
    folder next has no Markdown of the user's left to interpret. And
    whether they (and the log) are withheld."""
    if not page.markdown:
        return "", False
    person = ctx.network.people.get(page.slug) if page.slug else None
    source = page.markdown if person is None else notes_markdown(person, ctx, href=linker.person)
    html, _problem = publishable_notes(source, ctx.settings)
    return html, html == WITHHELD_HTML


def front_matter(page: Page) -> dict:
    data: dict = {"title": page.title, "kind": page.kind}
    if page.slug:
        data["slug"] = page.slug
    if page.tags:
        data["tags"] = list(page.tags)
    for key, value in page.meta.items():
        data.setdefault(key, value)
    return data


def page_markdown(page: Page, ctx: SiteContext, links: str = "md") -> str:
    """The page as one Markdown file: front matter, then HTML: before, the
    notes, after. The front matter is written by python-frontmatter (YAML
    that quotes what would not read back as text: a name `yes`, a tag `1.0`)."""
    before, notes, after = _parts(page, ctx, links)
    blocks = [block.strip("\n") for block in (before, notes, after)]
    post = frontmatter.Post("\n\n".join(b for b in blocks if b), **front_matter(page))
    return frontmatter.dumps(post, sort_keys=False, allow_unicode=True, width=1000) + "\n"


def page_json(page: Page, ctx: SiteContext, links: str = "md") -> str:
    """The page as JSON: its front matter's fields plus `before_html`,
    `notes_html` and `after_html`."""
    before, notes, after = _parts(page, ctx, links)
    data = {
        "src": page.src,
        **front_matter(page),
        "before_html": before,
        "notes_html": notes,
        "after_html": after,
    }
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


@dataclass(frozen=True)
class Output:
    """One file to write: its path in the folder and how to make its bytes."""

    path: str  # relative, "/"-separated
    kind: str  # "page" or "asset"
    render: Callable[[], bytes]


def outputs(ctx: SiteContext, fmt: str = "md", links: str = "md") -> list[Output]:
    """Every file `kith render` writes, pages first; nothing is rendered yet."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    if links not in LINK_STYLES:
        raise ValueError(f"unknown link style {links!r}")
    out: list[Output] = []
    for page in site_pages(ctx):
        if fmt == "md":
            out.append(Output(page.src, "page", _bound(page_markdown, page, ctx, links)))
        else:
            stem, _ = posixpath.splitext(page.src)
            out.append(Output(stem + ".json", "page", _bound(page_json, page, ctx, links)))
    for asset in site_assets(ctx):
        out.append(Output(asset.path, "asset", _asset_bytes(asset, ctx)))
    _check_paths(out)
    return out


def _bound(func, page: Page, ctx: SiteContext, links: str) -> Callable[[], bytes]:
    return lambda: func(page, ctx, links).encode("utf-8")


def _asset_bytes(asset, ctx: SiteContext) -> Callable[[], bytes]:
    return lambda: asset.content(ctx)


def _check_paths(out: list[Output]) -> None:
    seen: dict[str, str] = {}
    for item in out:
        path = PurePosixPath(item.path)
        if path.is_absolute() or ".." in path.parts or item.path in ("", ".") or path.name == MARKER:
            raise RenderError(f"a generated file has a path kith will not write: {item.path!r}")
        key = item.path.casefold()  # one file on case-insensitive disks
        if key in seen:
            raise RenderError(f"two generated files would both be written to {item.path}")
        seen[key] = item.path


# -- the folder -------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """What a run will do to the folder."""

    out: Path
    files: list[Output]
    stale: list[str]  # written by an earlier run, no longer generated: removed
    create: bool  # the folder does not exist yet


def plan(
    out: Path,
    files: list[Output],
    force: bool = False,
    keep_out: Iterable[Path] = (),
    keep_above: Iterable[Path] = (),
) -> Plan:
    """Check that `out` may be written and work out what goes away.

    Refused: a path that is a file; a folder that is not empty and holds no
    marker (unless `force`); and, even with `force`, a folder in or inside
    one of `keep_out` (people/: its Markdown would load as contacts; docs/:
    its pages would stand in for the generated ones) or one that is or holds
    one of `keep_above` (the repository itself).
    """
    resolved = out.resolve()
    for place in keep_out:
        place = place.resolve()
        if resolved == place or place in resolved.parents:
            raise RenderError(f"{out} is inside {place}: choose a folder outside it")
    for place in keep_above:
        place = place.resolve()
        if resolved == place:
            raise RenderError(f"{out} is the repository itself: choose a folder of its own")
        if resolved in place.parents:
            raise RenderError(f"{out} holds the repository {place}: choose a folder of its own")
    if resolved.exists() and not resolved.is_dir():
        raise RenderError(f"{out} is a file, not a folder")
    if not resolved.exists():
        return Plan(out, files, [], True)
    previous = read_marker(resolved)
    if previous is None:
        if any(resolved.iterdir()) and not force:
            raise RenderError(
                f"{out} is not empty and was not written by kith render "
                "(no .kith-render in it): choose a new or empty folder, or pass --force"
            )
        previous = []
    now = {item.path for item in files}
    stale = sorted(p for p in previous if p not in now and _inside(resolved, p) and (resolved / p).is_file())
    return Plan(out, files, stale, False)


def _inside(root: Path, relpath: str) -> bool:
    path = PurePosixPath(relpath)
    return not path.is_absolute() and ".." not in path.parts and relpath not in ("", ".")


def read_marker(folder: Path) -> list[str] | None:
    """The files an earlier run wrote, or None when `folder` has no marker.
    A marker that cannot be read still marks the folder as kith's own."""
    path = folder / MARKER
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = data["files"]
        return [f for f in files if isinstance(f, str)]
    except (OSError, ValueError, KeyError, TypeError):
        return []


def marker_bytes(files: Iterable[Output]) -> bytes:
    data = {
        "generator": "kith render",
        "note": "kith render wrote the files listed here and removes them when they are no longer generated.",
        "files": sorted(item.path for item in files),
    }
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


@dataclass
class Result:
    written: int = 0
    unchanged: int = 0
    removed: int = 0


def write(the_plan: Plan, each: Callable[[list[Output]], Iterator[Output]] = iter) -> Result:
    """Write every file atomically (skipping those already as they would be),
    remove the stale ones, then write the marker. `each` wraps the loop (a
    progress bar)."""
    root = the_plan.out
    result = Result()
    root.mkdir(parents=True, exist_ok=True)
    # The marker first, listing the old files and the new: a run that stops
    # half-way leaves a folder the next run still knows as its own.
    previous = read_marker(root) or []
    known = sorted(set(previous) | {item.path for item in the_plan.files})
    atomic_write(root / MARKER, marker_bytes(_Named(p) for p in known))
    for item in each(the_plan.files):
        target = root / item.path
        data = item.render()
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            if target.read_bytes() == data:
                result.unchanged += 1
                continue
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            pass
        atomic_write(target, data)
        result.written += 1
    for relpath in the_plan.stale:
        try:
            (root / relpath).unlink()
        except FileNotFoundError:
            continue
        result.removed += 1
        _prune(root, (root / relpath).parent)
    atomic_write(root / MARKER, marker_bytes(the_plan.files))
    return result


@dataclass(frozen=True)
class _Named:
    path: str


def _prune(root: Path, folder: Path) -> None:
    """Remove folders a stale file leaves empty, up to (not including) root."""
    root = root.resolve()
    folder = folder.resolve()
    while folder != root and root in folder.parents:
        try:
            os.rmdir(folder)
        except OSError:
            return
        folder = folder.parent
