"""The relationship graph: who is what to whom, who mentions whom, who
introduced whom, and the chain of people between any two.

Edges come from four places, strongest first:

- `relationships`: typed; written on one side, present on both (the other
  side sees the inverse type, `relations.inverse`);
- `met.via`: the via person introduced you to this one (`introduced-by` seen
  from this person, `introduced` seen from via);
- `intro` log entries that mention `[[b]]`: you introduced this person and b;
- `[[slug]]` mentions anywhere in the body: a weaker, untyped edge.

`build(network, include_private=False)` is what the site uses: it drops
`private: true` people with every edge touching them, and mentions and log
entries inside `## Private` sections. The CLI builds with everything, since it
only shows the user their own files. Building is one pass over every person's
fields, so it is linear in the size of the network.
"""

from __future__ import annotations

import copy

import datetime as dt
import heapq
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from .config import Settings
from .model import Network, Person
from .orgs import org_key
from .relations import KNOWN_TYPES, inverse

if TYPE_CHECKING:
    import networkx as nx

# networkx is imported by the Graph itself: `kith show` reads relationships
# (Relations, below) and `kith suggest` who is linked to whom (`links_of`)
# without it, and it is a sizeable part of a command's start-up.

INTRO_KIND = "intro"

# Edge kinds on the undirected graph, in the order a label prefers them.
RELATIONSHIP = "relationship"
VIA = "via"
INTRO = "intro"
MENTION = "mention"

# A mention says less than a relationship: a chain through one mention costs
# as much as two hops through people who really know each other.
MENTION_WEIGHT = 2


class Related(NamedTuple):
    """One entry of `relations_of`: `other` is <type> to the person asked about.

    `line` is the line in the asked-about person's own file that says so, or
    None when only the other side (or their `met.via`) wrote it down.
    """

    other: str
    line: int | None


class Backlink(NamedTuple):
    """`source` mentions the person on `line` of its file; `context` is that line."""

    source: str
    line: int
    context: str


@dataclass(frozen=True)
class Introduction:
    """Who brought two people together.

    `by` None means you made it (an `intro` log entry in `source`'s file
    that mentions `b`). `b` None means the introduction was to you: `by`
    introduced you to `a` (`met.via` in `a`'s file).
    """

    date: dt.date | None
    a: str
    b: str | None
    by: str | None
    source: str  # the slug whose file records it
    line: int  # in `source`'s file
    text: str  # the log entry's text; "" for met.via

    @property
    def kind(self) -> str:
        return "via" if self.b is None else "intro"

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat() if self.date else None,
            "kind": self.kind,
            "a": self.a,
            "b": self.b,
            "by": self.by,
            "source": self.source,
            "line": self.line,
            "text": self.text,
        }


@dataclass(frozen=True)
class Edge:
    """An undirected edge for drawing: `type` is what `target` is to `source`."""

    source: str
    target: str
    type: str


@dataclass(frozen=True)
class Neighbourhood:
    center: str
    nodes: tuple[str, ...]  # the center first, then nearest first
    edges: tuple[Edge, ...]


# Relationship types, closest first: when two people are tied more than one
# way, the closest names the tie on a badge or an edge (a partner whom
# someone introduced you to is a partner). Types kith does not know come
# next; how you were introduced says least about what they are to each other.
CLOSENESS: tuple[str, ...] = (
    "partner",
    "parent",
    "child",
    "sibling",
    "friend",
    "mentor",
    "mentee",
    "manager",
    "report",
    "colleague",
)


def _type_order(rel_type: str) -> tuple[int, str]:
    if rel_type in CLOSENESS:
        return CLOSENESS.index(rel_type), rel_type
    if rel_type in KNOWN_TYPES:  # introduced-by, introduced
        return len(CLOSENESS) + 1, rel_type
    return len(CLOSENESS), rel_type


class Relations:
    """Who is what to whom: typed relationships and `met.via`, each recorded
    on both sides (the other side sees the inverse type)."""

    def __init__(self) -> None:
        # viewer -> other -> type -> line in the viewer's file, or None
        self.by_viewer: dict[str, dict[str, dict[str, int | None]]] = {}

    def relate(self, viewer: str, other: str, rel_type: str, line: int | None) -> None:
        """`other` is `rel_type` to `viewer`; the inverse is recorded too."""
        mine = self.by_viewer.setdefault(viewer, {}).setdefault(other, {})
        if mine.get(rel_type) is None:
            mine[rel_type] = line
        theirs = self.by_viewer.setdefault(other, {}).setdefault(viewer, {})
        theirs.setdefault(inverse(rel_type), None)

    def read(self, person: Person, people: dict[str, Person]) -> Iterator[tuple[str, str]]:
        """Record what `person`'s own file says (relationships, then met.via)
        about the others in `people`; yield (other, edge kind) for each."""
        for rel in person.relationships:
            if rel.other == person.slug or rel.other not in people:
                continue
            self.relate(person.slug, rel.other, rel.type, rel.line)
            yield rel.other, RELATIONSHIP
        met = person.met
        if met is None or not met.via or met.via == person.slug or met.via not in people:
            return
        self.relate(person.slug, met.via, "introduced-by", person.line_of("met.via"))
        yield met.via, VIA

    def of(self, slug: str) -> dict[str, list[Related]]:
        """What each related person is to `slug`, grouped by type: known types
        in the order of `relations.INVERSE`, then the rest alphabetically."""
        found = [
            (_type_order(rel_type), other, line)
            for other, types in self.by_viewer.get(slug, {}).items()
            for rel_type, line in types.items()
        ]
        grouped: dict[str, list[Related]] = {}
        for (_, rel_type), other, line in sorted(found, key=lambda item: (item[0], item[1])):
            grouped.setdefault(rel_type, []).append(Related(other, line))
        return grouped

    def types(self, viewer: str, other: str) -> dict[str, int | None]:
        return self.by_viewer.get(viewer, {}).get(other, {})


def relations_of(slug: str, people: dict[str, Person]) -> dict[str, list[Related]]:
    """`build(network).relations_of(slug)` without building the graph, where
    `people` holds `slug`, everyone whose relationships or `met.via` name
    them, and everyone `slug`'s own file names (a part of the network is
    enough: nobody else's file can say anything about `slug`). Only their
    `slug`, `relationships`, `met` and `line_of("met.via")` are read."""
    relations = Relations()
    for person in people.values():
        for _ in relations.read(person, people):
            pass
    return relations.of(slug)


def links_of(person: Person, include_private: bool) -> set[str]:
    """Every slug `person`'s file links to, as the graph has an edge for it:
    relationships, met.via, `intro` entries and mentions (those in `##
    Private` sections only with `include_private`), themselves excluded.
    Whether the slug names someone is for the caller to check."""
    linked = {rel.other for rel in person.relationships}
    if person.met is not None and person.met.via:
        linked.add(person.met.via)
    for entry in person.log:
        if entry.kind == INTRO_KIND and (include_private or not entry.private):
            linked.update(entry.mentions)
    linked.update(m.slug for m in person.mentions if include_private or not m.private)
    linked.discard(person.slug)
    return linked


class Graph:
    """The network's relationships, read-only once built. Use `build()`."""

    def __init__(self, network: Network, include_private: bool) -> None:
        self.network = network
        self.include_private = include_private
        self.people: dict[str, Person] = {
            slug: person
            for slug, person in sorted(network.people.items())
            if include_private or not person.private
        }
        import networkx as nx

        self.nx = nx.Graph()
        self.nx.add_nodes_from(self.people)
        # networkx's own dict of dicts (node -> neighbour -> edge data): its
        # public views build an object per lookup, which at 5,000 people
        # and 25,000 edges was most of the time of building the graph.
        self._adj: dict[str, dict[str, dict[str, Any]]] = self.nx._adj
        self._relations = Relations()
        self._backlinks: dict[str, list[Backlink]] = {}
        self._nearest: dict[tuple[str, int], list[str]] = {}
        self._introductions: list[Introduction] = []
        for person in self.people.values():
            self._read_relations(person)
            self._read_intros(person)
            self._read_mentions(person)
        self._introductions = _unique(sorted(self._introductions, key=_newest_first))
        self._introductions_of: dict[str, list[Introduction]] = {}
        for intro in self._introductions:
            for slug in dict.fromkeys((intro.a, intro.b, intro.by)):
                if slug is not None:
                    self._introductions_of.setdefault(slug, []).append(intro)

    def with_people_of(self, network: Network) -> "Graph":
        """This graph over `network`, a later load of the same people whose
        structure (everything the graph reads) is unchanged: the edges,
        relations and caches are shared, the Person objects are the new ones."""
        clone = copy.copy(self)
        clone.network = network
        clone.people = {slug: network.people[slug] for slug in self.people}
        return clone

    # building

    def _edge(self, a: str, b: str, kind: str) -> dict[str, Any]:
        data = self._adj[a].get(b)
        if data is None:
            self.nx.add_edge(a, b, kinds={kind})
            return self._adj[a][b]
        data["kinds"].add(kind)
        return data

    def _read_relations(self, person: Person) -> None:
        if not person.relationships and (person.met is None or not person.met.via):
            return  # most people: nothing to read
        for other, kind in self._relations.read(person, self.people):
            self._edge(person.slug, other, kind)
            if kind == VIA:
                met = person.met
                assert met is not None
                self._introductions.append(
                    Introduction(met.date, person.slug, None, other, person.slug, person.line_of("met.via"), "")
                )

    def _read_intros(self, person: Person) -> None:
        for entry in person.log:
            if entry.kind != INTRO_KIND or (entry.private and not self.include_private):
                continue
            for other in dict.fromkeys(entry.mentions):
                if other == person.slug or other not in self.people:
                    continue
                self._edge(person.slug, other, INTRO)
                self._introductions.append(
                    Introduction(entry.date, person.slug, other, None, person.slug, entry.line, entry.text)
                )

    def _read_mentions(self, person: Person) -> None:
        seen: set[tuple[str, int]] = set()
        for mention in person.mentions:
            target = mention.slug
            if mention.private and not self.include_private:
                continue
            if target == person.slug or target not in self.people:
                continue
            if (target, mention.line) in seen:
                continue  # the same person twice on one line is one backlink
            seen.add((target, mention.line))
            self._backlinks.setdefault(target, []).append(
                Backlink(person.slug, mention.line, mention.context)
            )
            self._edge(person.slug, target, MENTION).setdefault("mentioned_by", set()).add(person.slug)

    # queries

    def __contains__(self, slug: object) -> bool:
        return slug in self.people

    def relations_of(self, slug: str) -> dict[str, list[Related]]:
        """What each related person is to `slug`, grouped by type: known types
        in the order of `relations.INVERSE`, then the rest alphabetically."""
        return self._relations.of(slug)

    def mentioned_by(self, slug: str) -> list[Backlink]:
        """Every line elsewhere that mentions `slug`, by source slug then line."""
        return sorted(self._backlinks.get(slug, []))

    def introductions(self) -> list[Introduction]:
        """Every introduction, newest first; undated ones (met.via without a
        date) last. One record when both people's files log the same intro."""
        return list(self._introductions)

    def introductions_of(self, slug: str) -> list[Introduction]:
        """Introductions `slug` took part in (as either side or as the introducer)."""
        return list(self._introductions_of.get(slug, []))

    def introduced_by(self, slug: str) -> list[str]:
        """Who introduced you to `slug` (met.via, or an `introduced-by` relationship)."""
        return [r.other for r in self.relations_of(slug).get("introduced-by", [])]

    def introduced(self, slug: str) -> list[str]:
        """Whom `slug` introduced you to."""
        return [r.other for r in self.relations_of(slug).get("introduced", [])]

    def links(self, slug: str) -> dict[str, dict[str, Any]]:
        """Who `slug` is linked to, with each link's data (read only)."""
        return self._adj.get(slug, {})

    def within(self, slugs: set[str] | frozenset[str], depth: int) -> set[str]:
        """`slugs` and everyone at most `depth` links away from one of them."""
        found = {slug for slug in slugs if slug in self._adj}
        frontier = set(found)
        for _ in range(depth):
            frontier = {other for slug in frontier for other in self._adj.get(slug, ())} - found
            if not frontier:
                break
            found |= frontier
        return found | set(slugs)

    def connected(self, a: str, b: str) -> bool:
        """Any direct edge between a and b, a mention included."""
        return b in self._adj.get(a, ())

    def link_types(self, a: str, b: str) -> list[str]:
        """What b is to a, strongest first: relationship types, then
        `introduction` (you introduced them), then `mentioned`."""
        data = self._adj.get(a, {}).get(b)
        if data is None:
            return []
        kinds = data["kinds"]
        labels = sorted(self._relations.types(a, b), key=_type_order)
        if INTRO in kinds:
            labels.append("introduction")
        if MENTION in kinds and not labels:
            labels.append("mentioned")
        return labels

    def edge_type(self, a: str, b: str) -> str:
        """The one label to draw on the edge: what b is to a."""
        labels = self.link_types(a, b)
        return labels[0] if labels else ""

    def shortest_path(self, a: str, b: str) -> list[str] | None:
        """The chain of people from a to b who could introduce each to the
        next, or None. Mentions count, but as weaker links (MENTION_WEIGHT)."""
        if a not in self.people or b not in self.people:
            return None
        import networkx as nx

        try:
            return nx.dijkstra_path(self.nx, a, b, weight=_weight)
        except nx.NetworkXNoPath:
            return None

    def neighbours(self, slug: str) -> list[str]:
        """Direct neighbours: people who really know `slug` before those only
        mentioned, then by slug."""
        if slug not in self.nx:
            return []
        return sorted(self.nx.adj[slug], key=lambda other: (_weight(slug, other, self.nx.adj[slug][other]), other))

    def nearest(self, slug: str, limit: int) -> list[str]:
        """The first `limit` of `neighbours(slug)`, remembered: a hub linked to
        thousands would otherwise be sorted again for every page near it."""
        key = (slug, limit)
        if key not in self._nearest:
            others = self._adj.get(slug)
            if others is None:
                return []
            self._nearest[key] = heapq.nsmallest(
                limit, others, key=lambda other: (_weight(slug, other, others[other]), other)
            )
        return self._nearest[key]

    def neighbourhood(self, slug: str, depth: int = 1, max_nodes: int = 50) -> Neighbourhood:
        """The ego graph around `slug`, at most `depth` steps out and at most
        `max_nodes` people (nearest first), with every edge among them."""
        if slug not in self.people:
            return Neighbourhood(slug, (), ())
        chosen: dict[str, None] = {slug: None}
        frontier = deque([(slug, 0)])
        while frontier and len(chosen) < max_nodes:
            current, distance = frontier.popleft()
            if distance >= depth:
                continue
            # No walk can take more than max_nodes people from one neighbour.
            for other in self.nearest(current, max_nodes):
                if other in chosen:
                    continue
                chosen[other] = None
                frontier.append((other, distance + 1))
                if len(chosen) >= max_nodes:
                    break
        nodes = tuple(chosen)
        edges = tuple(
            Edge(x, y, self.edge_type(x, y))
            for x, y in sorted(tuple(sorted(pair)) for pair in self.nx.subgraph(nodes).edges)
        )
        return Neighbourhood(slug, nodes, edges)

    def degree(self, slug: str) -> int:
        return len(self._adj.get(slug, ()))  # no self-loops: a file's links to itself are skipped


def _weight(u: str, v: str, data: dict[str, Any]) -> int:
    return MENTION_WEIGHT if data["kinds"] == {MENTION} else 1


def _newest_first(intro: Introduction) -> tuple:
    # Undated last; among equals, file order keeps the listing stable.
    return (intro.date is None, -(intro.date.toordinal() if intro.date else 0), intro.source, intro.line)


def _unique(intros: list[Introduction]) -> list[Introduction]:
    seen: set[tuple] = set()
    out = []
    for intro in intros:
        if intro.b is None:
            key: tuple = ("via", intro.a, intro.by)
        else:
            key = ("intro", intro.date, frozenset((intro.a, intro.b)))
        if key not in seen:
            seen.add(key)
            out.append(intro)
    return out


def build(network: Network, include_private: bool = False) -> Graph:
    """The relationship graph of `network`. Pass include_private=True only
    for output the user alone sees (the CLI); the site needs the default."""
    return Graph(network, include_private)


def give_ask(person: Person, settings: Settings, include_private: bool = True) -> tuple[int, int]:
    """How many log entries are giving and how many are asking, by kind."""
    giving = set(settings.giving_kinds)
    asking = set(settings.asking_kinds)
    given = asked = 0
    for entry in person.log:
        if entry.private and not include_private:
            continue
        if entry.kind in giving:
            given += 1
        elif entry.kind in asking:
            asked += 1
    return given, asked


def graph_data(network: Network, settings: Settings, graph: Graph | None = None) -> dict[str, Any]:
    """Nodes and links for the network page, JSON-ready. Never holds a
    private person or anything from a private section; a `graph` built with
    private data is refused for that reason."""
    if graph is None:
        graph = build(network, include_private=False)
    elif graph.include_private:
        raise ValueError("graph_data needs a graph built with include_private=False")
    nodes = [graph_node(person, graph, settings) for person in graph.people.values()]
    return {"nodes": nodes, "links": graph_links(graph)}


def graph_node(person: Person, graph: Graph, settings: Settings) -> dict[str, Any]:
    """One node of `graph_data`."""
    given, asked = give_ask(person, settings, include_private=False)
    return {
        "id": person.slug,
        "name": person.name,
        "circle": person.circle,
        "company": person.company,
        # One organisation however written ("Stripe", "Stripe, Inc."): the map colours by this.
        "org": org_key(person.company) if person.company else None,
        "tags": list(person.tags),
        "degree": graph.degree(person.slug),
        "given": given,
        "asked": asked,
    }


def graph_links(graph: Graph) -> list[dict[str, str]]:
    """The links of `graph_data`: each pair once, sorted, with its strongest type."""
    return [
        {"source": a, "target": b, "type": graph.edge_type(a, b)}
        for a, b in sorted(tuple(sorted(pair)) for pair in graph.nx.edges)
    ]
