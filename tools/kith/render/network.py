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
from .html import Linker, e, page_url, person_src
from .layout import kept_layout
from .pages import ASSET_DIR, NO_ONE, Asset, Page, _packaged
from .relations import site_graph

DATA_PATH = f"{ASSET_DIR}/network.json"
SCRIPT_PATH = f"{ASSET_DIR}/network.js"
STYLE_PATH = f"{ASSET_DIR}/network.css"

def network_json(ctx: SiteContext) -> dict[str, Any]:
    """graph_data plus positions, compact: links as [source, target, type]
    indexes, empty fields left out, each person's page as `url` with `{id}`."""
    return json.loads(_json_text(ctx))


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
    count = len(ctx.public_people)
    return (
        f'<link rel="stylesheet" href="{e(linker.asset(STYLE_PATH))}">'
        "<h1>Network</h1>"
        f'<p class="kith-summary">{count} {"person" if count == 1 else "people"}. Drag to move, scroll, '
        "pinch or use + and − to zoom; point at a person to see who they are (on a phone, tap), "
        "click to open their page. More names appear as you zoom in.</p>"
        f'<div class="kith-network" id="kith-network" data-src="{e(linker.asset(DATA_PATH))}" '
        f'data-root="{e(linker.asset(""))}">'
        '<div class="kith-network-controls">'
        '<label>Colour by <select id="kith-colour">'
        '<option value="circle">circle</option><option value="company">organisation</option>'
        "</select></label> "
        '<label>Tag <select id="kith-tag"><option value="">every tag</option></select></label> '
        '<button type="button" id="kith-zoom-in" title="Zoom in" aria-label="Zoom in">+</button>'
        '<button type="button" id="kith-zoom-out" title="Zoom out" aria-label="Zoom out">−</button>'
        '<button type="button" id="kith-zoom-fit" title="Show everyone">fit</button>'
        "</div>"
        '<canvas id="kith-network-canvas" aria-label="The network: every person as a dot, '
        'every relationship as a line" data-nodes-drawn="0" data-labels-drawn="0"></canvas>'
        '<div class="kith-network-hover" id="kith-network-hover" role="status" aria-live="polite" hidden></div>'
        '<p class="kith-network-status" id="kith-network-status" aria-live="polite"></p>'
        '<div class="kith-network-legend" id="kith-network-legend"></div>'
        "<noscript><p>The network map needs JavaScript. Every person is also listed on "
        f'<a href="{e(linker.to("people/index.md"))}">People</a>.</p></noscript>'
        "</div>"
        '<section class="kith-section kith-path"><h2>Who can introduce me to…</h2>'
        "<p>Pick someone you know well and the person you want to reach: kith shows the shortest "
        "chain of people who know each other, each with what they are to the one before, as "
        "<code>kith path</code> does (a mention counts as a weaker link). Accents are optional: "
        "“Zoe” finds Zoë.</p>"
        '<form id="kith-path-form" autocomplete="off">'
        '<span class="kith-path-field"><label for="kith-path-from">From</label> '
        '<input id="kith-path-from" role="combobox" aria-autocomplete="list" aria-expanded="false" '
        'aria-controls="kith-path-from-list" placeholder="someone you know">'
        '<ul class="kith-suggestions" id="kith-path-from-list" role="listbox" hidden></ul></span> '
        '<span class="kith-path-field"><label for="kith-path-to">to</label> '
        '<input id="kith-path-to" role="combobox" aria-autocomplete="list" aria-expanded="false" '
        'aria-controls="kith-path-to-list" placeholder="someone to meet">'
        '<ul class="kith-suggestions" id="kith-path-to-list" role="listbox" hidden></ul></span> '
        '<button type="submit">Find a chain</button>'
        "</form>"
        '<div id="kith-path-result" aria-live="polite"></div>'
        "</section>"
        f'<script src="{e(linker.asset(SCRIPT_PATH))}"></script>'
    )


def pages(ctx: SiteContext) -> Iterable[Page]:
    yield Page(src="network.md", title="Network", kind="network", before=render, search=False)
