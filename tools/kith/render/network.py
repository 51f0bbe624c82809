"""The network page: the whole graph drawn on a canvas, plus "who can
introduce me to X".

Positions are computed here, not in the browser (`layout.py`): a force
layout in JavaScript at 5,000 people takes seconds and never looks the same
twice, while the map should stay where the user learnt it, build after
build. The browser only draws (`assets/network.js`, see
docs/reference/site.md for why a hand-written canvas rather than sigma.js).

The data goes to `assets/kith/network.json`, fetched by the script: at
5,000 people it is several hundred kilobytes, which inlined would make the
page itself that heavy and be re-parsed by every theme plugin; as a file it
is cached once. Like MkDocs' own search, it therefore needs the site to be
served (`mkdocs serve`, any static server), not opened from disk.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from ..graph import graph_node
from ..slug import _FOLD
from .context import SiteContext
from .html import Linker, page_url, person_src
from .layout import kept_layout
from .pages import ASSET_DIR, NO_ONE, Asset, Page, _packaged
from .relations import site_graph

DATA_PATH = f"{ASSET_DIR}/network.json"
SCRIPT_PATH = f"{ASSET_DIR}/network.js"
STYLE_PATH = f"{ASSET_DIR}/network.css"

def _drawing(ctx: SiteContext) -> dict[str, Any]:
    """What only the structure decides: positions, link labels, and the
    links as JSON text (25,000 of them at 5,000 people).

    A link is [a, b, what b is to a, what a is to b], the last two indexes
    into `types`: the labels `kith path` prints for a step ("colleague",
    "mentor, friend", "introduction", "mentioned"), so the page can label
    a chain read in either direction."""

    def compute() -> dict[str, Any]:
        graph = site_graph(ctx)
        positions = kept_layout(graph, ctx.network.root, ctx.settings.people_dir)
        index = {slug: i for i, slug in enumerate(graph.people)}
        types: dict[str, int] = {}
        links = []
        for a, b in sorted(tuple(sorted(pair)) for pair in graph.nx.edges):
            forward = ", ".join(graph.link_types(a, b))
            backward = ", ".join(graph.link_types(b, a))
            links.append([index[a], index[b], types.setdefault(forward, len(types)), types.setdefault(backward, len(types))])
        return {"positions": positions, "types": list(types), "links": _dumps(links)}

    return ctx.shared("network.drawing", compute, refresh=lambda drawing, next_ctx: drawing)


def _node(ctx: SiteContext, slug: str, drawing: dict[str, Any]) -> dict[str, Any]:
    graph = site_graph(ctx)
    node = graph_node(graph.people[slug], graph, ctx.settings)
    x, y = drawing["positions"][slug]
    compact = {"id": slug, "name": node["name"], "x": round(x, 1), "y": round(y, 1)}
    for field in ("circle", "company", "tags", "degree"):
        if node.get(field):
            compact[field] = node[field]
    return compact


_FOLD_TABLE = {chr(code): text for code, text in sorted(_FOLD.items())}


def _dumps(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    # < > & only occur inside strings here; as \u escapes the data stays inert
    # markup-wise even if a tool someday inlines it in a page.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _json_text(ctx: SiteContext) -> str:
    """The JSON text, as `json.dumps` of the whole would write it, put
    together from each person's node (kept while their file is unchanged)
    and the structure's links."""
    drawing = _drawing(ctx)
    graph = site_graph(ctx)
    nodes = ",".join(
        ctx.for_person("network.node", person, lambda slug=slug: _dumps(_node(ctx, slug, drawing)))
        for slug, person in graph.people.items()
    )
    head = {
        "version": 2,
        "url": page_url(person_src("{id}"), ctx.directory_urls),
        "types": drawing["types"],
        # Letters Unicode does not decompose (ł, ø, ß...): the finder folds
        # typed names with the same table as kith's own search and slugs.
        "fold": _FOLD_TABLE,
    }
    return f'{_dumps(head)[:-1]},"nodes":[{nodes}],"links":{drawing["links"]}}}'


def _json_bytes(ctx: SiteContext) -> bytes:
    return _json_text(ctx).encode("utf-8")


def assets(ctx: SiteContext) -> Iterable[Asset]:
    yield Asset(DATA_PATH, _json_bytes)
    yield Asset(SCRIPT_PATH, _packaged("network.js"), reads=NO_ONE)
    yield Asset(STYLE_PATH, _packaged("network.css"), reads=NO_ONE)


def render(ctx: SiteContext, linker: Linker) -> str:
    # Nothing from a contact file is in this HTML: names arrive in the JSON
    # and the script puts them in the page as text (textContent), never HTML.
    # The page's shell is the template kith/network.html.
    return ctx.render(
        "network.html",
        count=len(ctx.public_people),
        style=linker.asset(STYLE_PATH),
        data=linker.asset(DATA_PATH),
        root=linker.asset(""),
        script=linker.asset(SCRIPT_PATH),
        people=linker.to("people/index.md"),
    )


def pages(ctx: SiteContext) -> Iterable[Page]:
    yield Page(src="network.md", title="Network", kind="network", before=render, search=False)
