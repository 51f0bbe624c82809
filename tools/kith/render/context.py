"""What every generated page may need, computed once per build.

Two kinds of memo live here. `shared` holds results about the whole
network (the graph, the follow-up list); `for_person` holds results about
one person (their row in a listing, their due items), reused for as long as
the person's file is unchanged. Between the rebuilds of `mkdocs serve`,
`incremental.IncrementalSite` carries both into the next build when what
changed cannot affect them (see docs/reference/scale.md).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..model import Network, Person
from .templating import Templates, default_templates

if TYPE_CHECKING:
    from .html import Linker

# refresh(value, new_ctx) -> the value for a network in which only the
# people's own data changed (their structure did not: see incremental.py).
Refresh = Callable[[Any, "SiteContext"], Any]


@dataclass
class SiteContext:
    network: Network
    settings: Settings
    today: dt.date
    directory_urls: bool = True
    # The templates pages are put together with (a theme's overrides first).
    templates: Templates = field(default_factory=default_templates)
    # Results other modules compute once and share (graph, follow-ups, ...).
    memo: dict[str, Any] = field(default_factory=dict)
    # key -> how to carry the memo's value into the next build (see `shared`).
    refreshers: dict[str, Refresh] = field(default_factory=dict)
    # key -> slug -> (the Person it was computed from, value): see `for_person`.
    person_memo: dict[str, dict[str, tuple[Person, Any]]] = field(default_factory=dict)
    # In a context carried from the last build: whose files changed since.
    changed: frozenset[str] = frozenset()

    @cached_property
    def public_people(self) -> list[Person]:
        # Who is public, and the slug order, are structure: kept across rebuilds.
        slugs = self.shared(
            "public",
            lambda: [p.slug for p in self.network.public()],
            refresh=lambda slugs, next_ctx: slugs,
        )
        people = self.network.people
        return [people[slug] for slug in slugs]

    @cached_property
    def _anchor_parts(self) -> dict[str, tuple[str, str]]:
        # Names and slugs escaped once: pages link to the same people hundreds
        # of thousands of times at 5,000 people. Names are structure, so the
        # table survives rebuilds that only change people's own data.
        return self.shared(
            "anchors",
            lambda: {
                slug: (html.escape(slug, quote=True), html.escape(person.name, quote=True))
                for slug, person in self.network.people.items()
            },
            refresh=lambda value, ctx: value,
        )

    def person_link(self, linker: "Linker", slug: str, label: str | None = None, cls: str | None = None) -> str:
        """`<a href=...>Name</a>` to a person's page; the caller checks they are public."""
        slug_html, name_html = self._anchor_parts[slug]
        text = name_html if label is None else html.escape(label, quote=True)
        klass = f' class="{html.escape(cls, quote=True)}"' if cls else ""
        return f'<a href="{linker.person_prefix}{slug_html}{linker.person_suffix}"{klass}>{text}</a>'

    def render(self, name: str, values: dict | None = None, /, **more: Any) -> str:
        """The template `name` (under kith/) rendered with `values`."""
        return self.templates.render(name, values, **more)

    def is_public(self, slug: str) -> bool:
        person = self.network.people.get(slug)
        return person is not None and not person.private

    def shared(self, key: str, compute: Callable[[], Any], refresh: Refresh | None = None) -> Any:
        """`compute()` once per build, whoever asks first.

        `refresh` says the value depends only on the network's structure
        (names, relationships, mentions, organisations...: what
        `incremental.structure_key` covers), or that `refresh(value,
        next_ctx)` can bring it up to date from `next_ctx.changed`, so the
        next build may reuse it when no structure changed. A changed file
        gives a new Person object: a value kept holds slugs, or `refresh`
        swaps in the new objects. Without `refresh` the value is computed again
        every build."""
        if key not in self.memo:
            self.memo[key] = compute()
            if refresh is not None:
                self.refreshers[key] = refresh
        return self.memo[key]

    def for_person(self, key: str, person: Person, compute: Callable[[], Any]) -> Any:
        """`compute()` once per person for as long as their file is unchanged
        (a changed file is parsed into a new Person object).

        `compute` may read that person, the structure of anyone else, the
        settings and the day, and nothing more: the value is kept across
        rebuilds in which only other people's own data changed."""
        memo = self.person_memo.get(key)
        if memo is None:
            memo = self.person_memo[key] = {}
        hit = memo.get(person.slug)
        if hit is not None and hit[0] is person:
            return hit[1]
        value = compute()
        memo[person.slug] = (person, value)
        return value

    def like(self, network: Network, **kwargs: Any) -> "SiteContext":
        """A context for `network` with these settings, day and templates,
        and no memo unless given."""
        return SiteContext(
            network=network,
            settings=self.settings,
            today=self.today,
            directory_urls=self.directory_urls,
            templates=self.templates,
            **kwargs,
        )

    def carried_into(self, network: Network, changed: frozenset[str]) -> "SiteContext":
        """A context for `network`, in which only the own data of the
        `changed` people changed, keeping what `shared(refresh=...)` and
        `for_person` allow."""
        nxt = self.like(network, person_memo=self.person_memo, changed=changed)
        for key, refresh in self.refreshers.items():
            if key in self.memo:
                nxt.memo[key] = refresh(self.memo[key], nxt)
                nxt.refreshers[key] = refresh
        return nxt
