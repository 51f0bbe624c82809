"""Introductions worth making: two people who are not yet connected, where
one offers what the other needs, who care about the same things, or whom you
met at the same event.

No pair of people is ever compared directly: inverted indexes (what is
offered -> who offers it, interest -> who has it, event -> who was there)
yield the candidate pairs. A key held by more than FANOUT people would yield
pairs by the square, so a common interest or event is skipped (it says
little about two particular people) and a common need or offer keeps only
its FANOUT closest people. The work is then linear in the size of the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from .graph import Graph, build
from .model import CIRCLES, Network, Person
from .text import fold, group_key

FANOUT = 25

NEED_SCORE = 5  # each need one of them can meet: the best reason to introduce
INTEREST_SCORE = 2  # the first shared interest
MORE_INTEREST_SCORE = 1  # each further one ...
INTEREST_CAP = 4  # ... up to this, so interests alone never outrank a need met
EVENT_SCORE = 2

# Words that do not change what is needed or offered: "an introduction to a
# publisher" and "publisher introductions" must meet.
STOPWORDS = frozenset(
    "a an the some any someone somebody of for to with and or in on at by "
    "my our their his her its help".split()
)
WORD = re.compile(r"[^\W_]+")


def key_of(text: str) -> tuple[str, ...]:
    """The normalised words of a need, offer or interest: case-folded,
    without filler words, plurals made singular, order ignored."""
    words = set()
    for word in WORD.findall(fold(text)):
        if word in STOPWORDS:
            continue
        words.add(_singular(word))
    return tuple(sorted(words))


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def event_key(text: str) -> str:
    return group_key(text)


@dataclass(frozen=True)
class Suggestion:
    a: str  # a < b
    b: str
    score: int
    reasons: tuple[str, ...]

    def involves(self, slug: str) -> bool:
        return slug in (self.a, self.b)

    def other(self, slug: str) -> str:
        return self.b if slug == self.a else self.a

    def as_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "score": self.score, "reasons": list(self.reasons)}


@dataclass
class _Pair:
    needs: list[tuple[str, str, str]] = field(default_factory=list)  # (needer, offerer, offer)
    interests: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)


class _Index:
    """key -> the people who hold it (closest circle first, then slug), and
    each person's own wording of the key."""

    def __init__(self) -> None:
        self.members: dict[Any, list[str]] = {}
        self.wording: dict[tuple[str, Any], str] = {}
        self.keys: dict[str, list[Any]] = {}

    def add(self, slug: str, key: Any, text: str) -> None:
        if not key or (slug, key) in self.wording:
            return
        self.wording[(slug, key)] = text
        self.members.setdefault(key, []).append(slug)
        self.keys.setdefault(slug, []).append(key)

    def finish(self, people: dict[str, Person]) -> None:
        for members in self.members.values():
            members.sort(key=lambda slug: (_closeness(people[slug]), slug))

    def top(self, key: Any) -> list[str]:
        return self.members.get(key, [])[:FANOUT]

    def common(self, key: Any) -> bool:
        return len(self.members.get(key, ())) > FANOUT


def _closeness(person: Person) -> int:
    return CIRCLES.index(person.circle) if person.circle in CIRCLES else len(CIRCLES)


def _indexes(graph: Graph) -> tuple[_Index, _Index, _Index, _Index]:
    needs, offers, interests, events = _Index(), _Index(), _Index(), _Index()
    for slug, person in graph.people.items():
        for text in person.needs:
            needs.add(slug, key_of(text), text)
        for text in person.offers:
            offers.add(slug, key_of(text), text)
        for text in person.interests:
            interests.add(slug, key_of(text), text)
        if person.met and person.met.event:
            events.add(slug, event_key(person.met.event), person.met.event)
    for index in (needs, offers, interests, events):
        index.finish(graph.people)
    return needs, offers, interests, events


def _keys(index: _Index, focus: str | None) -> Iterable[Any]:
    return index.members if focus is None else index.keys.get(focus, [])


def _need_pairs(needs: _Index, offers: _Index, focus: str | None) -> Iterator[tuple[str, str, Any]]:
    """(needer, offerer, key) for every need someone offers."""
    for key in _keys(needs, focus):
        needers = needs.top(key)
        for needer in needers if focus is None else [focus] if focus in needers else []:
            for offerer in offers.top(key):
                yield needer, offerer, key
    if focus is not None:
        for key in _keys(offers, focus):
            if focus in offers.top(key):
                for needer in needs.top(key):
                    yield needer, focus, key


def _shared_pairs(index: _Index, focus: str | None) -> Iterator[tuple[str, str, Any]]:
    for key in _keys(index, focus):
        if index.common(key):
            continue
        members = index.members[key]
        if focus is None:
            for i, first in enumerate(members):
                for second in members[i + 1 :]:
                    yield first, second, key
        else:
            for other in members:
                if other != focus:
                    yield focus, other, key


def suggestions(
    graph: Graph | Network, slug: str | None = None, limit: int | None = None
) -> list[Suggestion]:
    """Introductions worth making, best first (ties by slug). With `slug`,
    only those involving that person. People already connected in `graph`
    (any edge, a mention included) are never suggested. A Network is built
    into the site's graph, without private data."""
    if isinstance(graph, Network):
        graph = build(graph, include_private=False)
    needs, offers, interests, events = _indexes(graph)
    pairs: dict[tuple[str, str], _Pair] = {}

    def pair(x: str, y: str) -> _Pair | None:
        if x == y or graph.connected(x, y):
            return None
        return pairs.setdefault((min(x, y), max(x, y)), _Pair())

    for needer, offerer, key in _need_pairs(needs, offers, slug):
        found = pair(needer, offerer)
        if found is not None:
            match = (needer, offerer, offers.wording[(offerer, key)])
            if match not in found.needs:
                found.needs.append(match)
    for x, y, key in _shared_pairs(interests, slug):
        found = pair(x, y)
        if found is not None:
            found.interests.append(interests.wording[(min(x, y), key)])
    for x, y, key in _shared_pairs(events, slug):
        found = pair(x, y)
        if found is not None:
            found.events.append(events.wording[(min(x, y), key)])

    ranked = sorted(
        (_suggestion(graph, a, b, found) for (a, b), found in pairs.items()),
        key=lambda s: (-s.score, s.a, s.b),
    )
    return ranked[:limit] if limit else ranked


def suggestions_by_person(graph: Graph, limit: int | None = None) -> dict[str, list[Suggestion]]:
    """Every person's suggestions at once (for person pages): one pass over
    the network rather than one per person."""
    by_person: dict[str, list[Suggestion]] = {}
    for suggestion in suggestions(graph):
        for slug in (suggestion.a, suggestion.b):
            mine = by_person.setdefault(slug, [])
            if not limit or len(mine) < limit:
                mine.append(suggestion)
    return by_person


def _suggestion(graph: Graph, a: str, b: str, found: _Pair) -> Suggestion:
    name = {slug: graph.people[slug].name for slug in (a, b)}
    reasons = [
        f"{name[offerer]} offers {offer}, which {name[needer]} needs"
        for needer, offerer, offer in sorted(found.needs)
    ]
    score = NEED_SCORE * len(found.needs)
    if found.interests:
        shared = sorted(set(found.interests), key=str.casefold)
        reasons.append("both care about " + _and(shared))
        score += min(INTEREST_CAP, INTEREST_SCORE + MORE_INTEREST_SCORE * (len(shared) - 1))
    for event in sorted(set(found.events)):
        reasons.append(f"you met both at {event}")
        score += EVENT_SCORE
    return Suggestion(a, b, score, tuple(reasons))


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
