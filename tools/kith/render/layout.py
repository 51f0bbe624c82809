"""Where each person sits on the network map, and why it stays put.

A map is only useful if it can be learnt: someone found top left last week
should be top left this week, after an import of thirty more people. So the
layout is computed once, from scratch, and then kept: each build reads the
positions the last build wrote (`.kith-cache/<people>/network-layout`),
keeps everyone who is still there where they were, and places only the
people who are new (or whose place no longer makes sense) in the free spot
nearest to whoever they are most closely tied to. Nobody else moves.

From scratch (a fresh clone, a deleted cache, or a network that more than
doubled), people are grouped into clusters: their organisation; without
one, the organisation most of their contacts share; else their connected
group. Partners and family join one cluster, whatever their
organisations. Each cluster is a disc; its members are laid along
a spiral in an order that follows their strongest ties (a partner right
after the person, then family, friends, mentors...), starting from the
best-connected, so partners and close relationships sit side by side. The
discs are packed row by row, biggest first. All of it is a sort and a few
passes: near-linear and deterministic, and the browser only draws.

The kept positions are like the rest of the cache: only believed when this
user's kith wrote them (a keyed MAC, `cache.cache_key`), shape-checked, and
any doubt means "lay out from scratch". They hold slugs and numbers of the
people on the site, nothing else.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import os
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import networkx as nx

from ..cache import _read_regular, cache_key, cache_path
from ..graph import MENTION, Graph
from ..orgs import org_key

SPACING = 12.0  # distance between neighbouring people, in layout units
CLUSTER_GAP = 2 * SPACING  # between two clusters
FREE = 0.85 * SPACING  # a spot is free when no one is nearer than this

# How strongly a relationship type ties two people, for placing them: a
# partner sits right beside the person, family next, then friends, mentors,
# colleagues, and finally anyone merely mentioned.
TIE_STRENGTH = {
    "partner": 5,
    "parent": 4,
    "child": 4,
    "sibling": 4,
    "friend": 3,
    "mentor": 2,
    "mentee": 2,
    "colleague": 2,
    "manager": 2,
    "report": 2,
}
HOUSEHOLD = 4  # ties at least this strong put two people in one cluster
OTHER_TIE = 1  # other relationships, met.via, introductions
MENTION_TIE = 0.5

FILE_NAME = "network-layout"
MAGIC = b"kith-layout\x001\n"
MAX_FILE = 64 * 1024 * 1024
LIMIT = 1e7  # no honest layout reaches this far from the origin

Positions = dict[str, tuple[float, float]]


Ties = dict[str, dict[str, float]]


def ties(graph: Graph) -> Ties:
    """slug -> other -> how strongly they are tied: their strongest
    relationship type, else a plain link, else a mention. Symmetric (the
    table gives a type and its inverse the same strength)."""
    found: Ties = {slug: {} for slug in graph.people}
    for a, b, data in graph.nx.edges(data=True):
        best = max((TIE_STRENGTH.get(t, 0) for t in graph.link_types(a, b)), default=0)
        if not best:
            best = MENTION_TIE if data["kinds"] == {MENTION} else OTHER_TIE
        found[a][b] = found[b][a] = float(best)
    return found


def _strong_ties(graph: Graph, strength: Ties, slug: str) -> list[tuple[float, str]]:
    """(strength, other), strongest first, then the better connected, then slug."""
    found = [(value, other) for other, value in strength[slug].items()]
    found.sort(key=lambda item: (-item[0], -graph.degree(item[1]), item[1]))
    return found


def cluster_keys(graph: Graph, strength: Ties) -> dict[str, str]:
    """slug -> the cluster they are drawn in (see the module's docstring)."""
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
    # A household (partners, parents, children, siblings) sits together: all
    # of it joins the biggest cluster any of its members is in.
    households = nx.Graph()
    for a, others in strength.items():
        for b, value in others.items():
            if value >= HOUSEHOLD:
                households.add_edge(a, b)
    sizes = Counter(key.values())
    for members in nx.connected_components(households):
        chosen = min((key[m] for m in members), key=lambda k: (-sizes[k], k))
        for m in members:
            key[m] = chosen
    return key


def _ordered(graph: Graph, strength: Ties, members: list[str]) -> list[str]:
    """Members in drawing order: the best connected first, each followed
    (depth first) by the people they are most strongly tied to, so ties
    land next to each other on the rings."""
    inside = set(members)
    by_degree = sorted(members, key=lambda s: (-graph.degree(s), s))
    placed: dict[str, None] = {}
    for start in by_degree:
        if start in placed:
            continue
        stack = [start]
        while stack:
            slug = stack.pop()
            if slug in placed:
                continue
            placed[slug] = None
            strong = [o for s, o in _strong_ties(graph, strength, slug) if s >= 2 and o in inside and o not in placed]
            stack.extend(reversed(strong))  # the strongest is visited next
    return list(placed)


def clusters(graph: Graph, strength: Ties, key: dict[str, str]) -> list[list[str]]:
    """People grouped for drawing, biggest group first (then by first
    member), each in drawing order (`_ordered`)."""
    found: dict[str, list[str]] = {}
    for slug in graph.people:
        found.setdefault(key[slug], []).append(slug)
    groups = [_ordered(graph, strength, members) for members in found.values()]
    return sorted(groups, key=lambda m: (-len(m), m[0]))


def _spiral(count: int) -> list[tuple[float, float]]:
    """Offsets for `count` people in a disc: one in the middle, then along
    a spiral whose turns are SPACING apart, SPACING between neighbours.
    Unlike rings, a spiral has no seam: two people next to each other in
    the order are always next to each other on the map."""
    b = SPACING / (2 * math.pi)  # r = b * theta: one turn further out per SPACING
    offsets = [(0.0, 0.0)] if count else []
    theta = 2 * math.pi  # the first turn, one SPACING from the middle
    while len(offsets) < count:
        r = b * theta
        offsets.append((r * math.cos(theta), r * math.sin(theta)))
        theta += SPACING / math.hypot(r, b)
    return offsets


def _radius(count: int) -> float:
    offsets = _spiral(count)
    return max((math.hypot(x, y) for x, y in offsets), default=0.0) + SPACING / 2


def fresh_layout(graph: Graph, strength: Ties, key: dict[str, str]) -> Positions:
    """slug -> (x, y) from scratch: clusters as discs packed in rows of about
    equal width (shelf packing), biggest first. Deterministic, O(n log n)."""
    groups = clusters(graph, strength, key)
    radii = [_radius(len(g)) for g in groups]
    area = sum((2 * r + CLUSTER_GAP) ** 2 for r in radii)
    width = max(math.sqrt(area) * 1.2, (2 * radii[0] + CLUSTER_GAP) if radii else 0)
    positions: Positions = {}
    x = y = row_height = 0.0
    for members, radius in zip(groups, radii):
        size = 2 * radius + CLUSTER_GAP
        if x > 0 and x + size > width:
            x, y, row_height = 0.0, y + row_height, 0.0
        cx, cy = x + size / 2, y + size / 2
        for slug, (dx, dy) in zip(members, _spiral(len(members))):
            positions[slug] = (cx + dx, cy + dy)
        x += size
        row_height = max(row_height, size)
    return positions


class _Grid:
    """Taken spots, bucketed by SPACING-sized cells, to find a free one fast."""

    def __init__(self, points: Iterable[tuple[float, float]]) -> None:
        self.cells: dict[tuple[int, int], list[tuple[float, float]]] = {}
        for point in points:
            self.add(point)

    def add(self, point: tuple[float, float]) -> None:
        cell = (math.floor(point[0] / SPACING), math.floor(point[1] / SPACING))
        self.cells.setdefault(cell, []).append(point)

    def free(self, x: float, y: float) -> bool:
        cx, cy = math.floor(x / SPACING), math.floor(y / SPACING)
        for i in (cx - 1, cx, cx + 1):
            for j in (cy - 1, cy, cy + 1):
                for px, py in self.cells.get((i, j), ()):
                    if (px - x) ** 2 + (py - y) ** 2 < FREE * FREE:
                        return False
        return True

    def nearest_free(self, x: float, y: float, turn: float) -> tuple[float, float]:
        """The free spot nearest (x, y): rings of candidates SPACING apart,
        each ring starting at `turn` so that people placed around one
        person spread out rather than queue on one side."""
        if self.free(x, y):
            return (x, y)
        ring = 1
        while True:
            count = max(6, int(2 * math.pi * ring))
            for i in range(count):
                angle = turn + 2 * math.pi * i / count
                px, py = x + ring * SPACING * math.cos(angle), y + ring * SPACING * math.sin(angle)
                if self.free(px, py):
                    return (px, py)
            ring += 1


def own_org(graph: Graph, slug: str) -> str:
    """The organisation a person's own file names, as grouped ("" for none)."""
    company = graph.people[slug].company
    return org_key(company) if company else ""


def _turn(slug: str) -> float:
    digest = hashlib.sha256(slug.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 * 2 * math.pi


def layout(graph: Graph, kept: dict[str, tuple[float, float, str]] | None = None) -> Positions:
    """slug -> (x, y) for `graph`.

    `kept` is the last build's answer (slug -> (x, y, own organisation)):
    its people stay where they were, unless their organisation changed or
    a partner now sits far away; only
    those and the new people are placed, each in the free spot nearest
    the person they are most strongly tied to (else their cluster, else
    beside the map). Without `kept`, or when fewer than half the people
    are in it, everything is laid out from scratch."""
    strength = ties(graph)
    key = cluster_keys(graph, strength)
    kept = {slug: value for slug, value in (kept or {}).items() if slug in graph.people}
    if len(kept) * 2 < len(graph.people):
        positions = fresh_layout(graph, strength, key)
    else:
        # Someone who changed organisation moves to it; a change in whom
        # they know (which may change the cluster of someone without an
        # organisation) moves no one.
        positions = {slug: (x, y) for slug, (x, y, org) in kept.items() if org == own_org(graph, slug)}
    # Partners (each with no other) who sit apart, because they became
    # partners after both were on the map or because the disc's order could
    # not put them side by side: the less connected one moves next to the
    # other. Once beside each other they stay, so a rebuild moves no one.
    partners = {slug: [o for o, v in others.items() if v >= TIE_STRENGTH["partner"]] for slug, others in strength.items()}
    for a in sorted(positions):
        if len(partners[a]) != 1:
            continue
        b = partners[a][0]
        if b < a or b not in positions or len(partners[b]) != 1:
            continue
        (ax, ay), (bx, by) = positions[a], positions[b]
        if math.hypot(ax - bx, ay - by) > 2.5 * SPACING:
            del positions[min((a, b), key=lambda s: (graph.degree(s), s))]
    waiting = [slug for slug in graph.people if slug not in positions]
    if not waiting:
        return positions
    grid = _Grid(positions.values())
    xs = [x for x, _ in positions.values()] or [0.0]
    ys = [y for _, y in positions.values()] or [0.0]
    centre = ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
    reach = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 + CLUSTER_GAP
    # Where each cluster already is, to seat its newcomers.
    members: dict[str, list[tuple[float, float]]] = {}
    for slug, point in positions.items():
        members.setdefault(key[slug], []).append(point)
    # The best connected first, so the people tied to them find them placed.
    waiting.sort(key=lambda s: (-graph.degree(s), s))
    for slug in waiting:
        anchor = next((positions[o] for _, o in _strong_ties(graph, strength, slug) if o in positions), None)
        if anchor is None and members.get(key[slug]):
            points = members[key[slug]]
            anchor = (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
        if anchor is None:
            # A new group: beside the map, in a direction of its own.
            angle = _turn(key[slug])
            anchor = (centre[0] + reach * math.cos(angle), centre[1] + reach * math.sin(angle))
        spot = grid.nearest_free(anchor[0], anchor[1], _turn(slug))
        positions[slug] = spot
        grid.add(spot)
        members.setdefault(key[slug], []).append(spot)
    return positions


# -- kept between builds ---------------------------------------------------------


def layout_path(root: Path, people_dir: str) -> Path:
    return cache_path(root, people_dir) / FILE_NAME


def read_kept(path: Path) -> dict[str, tuple[float, float, str]] | None:
    """The positions the last build wrote, or None: missing, unreadable, not
    written by this user's kith, or not the right shape."""
    key = cache_key()
    if key is None:
        return None
    try:
        data = _read_regular(path)
        if data is None or len(data) > MAX_FILE or not data.startswith(MAGIC):
            return None
        mac, payload = data[len(MAGIC) : len(MAGIC) + 32], data[len(MAGIC) + 32 :]
        if not hmac.compare_digest(mac, hmac.new(key, payload, hashlib.sha256).digest()):
            return None
        raw = json.loads(payload.decode("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(raw, dict):
        return None
    kept: dict[str, tuple[float, float, str]] = {}
    for slug, value in raw.items():
        if not (isinstance(value, list) and len(value) == 3):
            return None
        x, y, cluster = value
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and abs(v) < LIMIT for v in (x, y)):
            return None
        if not isinstance(cluster, str):
            return None
        kept[slug] = (float(x), float(y), cluster)
    return kept


def write_kept(path: Path, positions: Positions, orgs: dict[str, str]) -> None:
    """Keep this build's positions for the next; never raises (a map that
    cannot be kept is laid out again next time, nothing worse)."""
    secret = cache_key()
    if secret is None:
        return
    payload = json.dumps(
        {slug: [round(x, 3), round(y, 3), orgs[slug]] for slug, (x, y) in sorted(positions.items())},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")
    data = MAGIC + hmac.new(secret, payload, hashlib.sha256).digest() + payload
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".layout-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)  # atomic: another build reads the old or the new
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass


def kept_layout(graph: Graph, root: Path, people_dir: str) -> Positions:
    """The layout for `graph`, starting from (and then updating) the one kept
    in the repository's cache folder."""
    path = layout_path(root, people_dir)
    kept = read_kept(path)
    # As they are kept (three decimals): a build that reads them back must
    # draw exactly what this one does, or a rebuild and a fresh build differ.
    positions = {slug: (round(x, 3), round(y, 3)) for slug, (x, y) in layout(graph, kept).items()}
    orgs = {slug: own_org(graph, slug) for slug in positions}
    if kept is None or len(kept) != len(positions) or any(kept.get(s) != (*positions[s], orgs[s]) for s in positions):
        write_kept(path, positions, orgs)
    return positions
