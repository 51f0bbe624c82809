"""The network page: the whole graph drawn on a canvas, plus "who can
introduce me to X".

Positions are computed here, not in the browser: a force layout in
JavaScript at 5,000 people takes seconds and never looks the same twice.
Instead people are put in clusters (their organisation; without one, the
organisation most of their contacts share; else their connected group),
each cluster is a disc of rings with its best-connected people in the
middle, and the discs are packed row by row. That is a sort and one pass:
near-linear, deterministic, and the browser only draws.

The data goes to `assets/kith/network.json`, fetched by the script: at
5,000 people it is several hundred kilobytes, which inlined would make the
page itself that heavy and be re-parsed by every theme plugin; as a file it
is cached once. Like MkDocs' own search, it therefore needs the site to be
served (`mkdocs serve`, any static server), not opened from disk.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable
from typing import Any

import networkx as nx

from ..graph import Graph, graph_links, graph_node
from ..orgs import org_key
from .context import SiteContext
from .html import Linker, e, page_url, person_src
from .pages import ASSET_DIR, NO_ONE, Asset, Page, _packaged
from .relations import site_graph

DATA_PATH = f"{ASSET_DIR}/network.json"
SCRIPT_PATH = f"{ASSET_DIR}/network.js"
STYLE_PATH = f"{ASSET_DIR}/network.css"

SPACING = 12.0  # distance between neighbouring people, in layout units
CLUSTER_GAP = 2 * SPACING  # between two clusters


def clusters(graph: Graph) -> list[list[str]]:
    """People grouped for drawing, biggest group first (then by first slug);
    inside a group, the most connected first (then by slug)."""
    key: dict[str, str] = {}
    for slug, person in graph.people.items():
        if person.company:
            key[slug] = "org:" + org_key(person.company)
    for slug in graph.people:
        if slug in key:
            continue
        # Near the organisation most of their contacts are in: close to who they know.
        near = Counter(key[n] for n in graph.nx.adj[slug] if n in key and key[n].startswith("org:"))
        if near:
            key[slug] = min(near.items(), key=lambda item: (-item[1], item[0]))[0]
    rest = graph.nx.subgraph(s for s in graph.people if s not in key)
    for component in nx.connected_components(rest):
        first = min(component)
        for slug in component:
            # People alone share one cluster rather than each making their own.
            key[slug] = "alone" if len(component) == 1 else "group:" + first
    found: dict[str, list[str]] = {}
    for slug in graph.people:
        found.setdefault(key[slug], []).append(slug)
    for members in found.values():
        members.sort(key=lambda s: (-graph.degree(s), s))
    return sorted(found.values(), key=lambda m: (-len(m), m[0]))


def _rings(count: int) -> list[tuple[float, float]]:
    """Offsets for `count` people in a disc: one in the middle, then rings
    of radius k*SPACING holding about 2πk people each."""
    offsets = [(0.0, 0.0)] if count else []
    ring = 1
    while len(offsets) < count:
        capacity = int(2 * math.pi * ring)
        take = min(capacity, count - len(offsets))
        radius = ring * SPACING
        turn = ring * 0.5  # each ring starts at a different angle, so rays do not line up
        for i in range(take):
            angle = turn + 2 * math.pi * i / take
            offsets.append((radius * math.cos(angle), radius * math.sin(angle)))
        ring += 1
    return offsets


def _radius(count: int) -> float:
    ring, placed = 0, 1
    while placed < count:
        ring += 1
        placed += int(2 * math.pi * ring)
    return ring * SPACING + SPACING / 2


def layout(graph: Graph) -> dict[str, tuple[float, float]]:
    """slug -> (x, y): clusters as discs packed in rows of about equal width
    (shelf packing), biggest first. Deterministic, and O(n log n)."""
    groups = clusters(graph)
    radii = [_radius(len(g)) for g in groups]
    area = sum((2 * r + CLUSTER_GAP) ** 2 for r in radii)
    width = max(math.sqrt(area) * 1.2, (2 * radii[0] + CLUSTER_GAP) if radii else 0)
    positions: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for members, radius in zip(groups, radii):
        size = 2 * radius + CLUSTER_GAP
        if x > 0 and x + size > width:
            x, y, row_height = 0.0, y + row_height, 0.0
        cx, cy = x + size / 2, y + size / 2
        for slug, (dx, dy) in zip(members, _rings(len(members))):
            positions[slug] = (cx + dx, cy + dy)
        x += size
        row_height = max(row_height, size)
    return positions


def network_json(ctx: SiteContext) -> dict[str, Any]:
    """graph_data plus positions, compact: links as [source, target, type]
    indexes, empty fields left out, each person's page as `url` with `{id}`."""
    return json.loads(_json_text(ctx))


def _drawing(ctx: SiteContext) -> dict[str, Any]:
    """What only the structure decides: positions, link types, and the
    links as JSON text (25,000 of them at 5,000 people)."""

    def compute() -> dict[str, Any]:
        graph = site_graph(ctx)
        positions = layout(graph)
        index = {slug: i for i, slug in enumerate(graph.people)}
        types: dict[str, int] = {}
        links = [
            [index[link["source"]], index[link["target"]], types.setdefault(link["type"], len(types))]
            for link in graph_links(graph)
        ]
        return {"positions": positions, "types": list(types), "links": _dumps(links)}

    return ctx.shared("network.drawing", compute, refresh=lambda drawing, next_ctx: drawing)


def _node(ctx: SiteContext, slug: str, drawing: dict[str, Any]) -> dict[str, Any]:
    graph = site_graph(ctx)
    node = graph_node(graph.people[slug], graph, ctx.settings)
    x, y = drawing["positions"][slug]
    compact = {"id": slug, "name": node["name"], "x": round(x, 1), "y": round(y, 1)}
    for field in ("circle", "company", "tags", "degree", "given", "asked"):
        if node.get(field):
            compact[field] = node[field]
    return compact


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
    head = {"version": 1, "url": page_url(person_src("{id}"), ctx.directory_urls), "types": drawing["types"]}
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
