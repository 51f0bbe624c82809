"""What every generated page may need, computed once per build."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..model import Network, Person

if TYPE_CHECKING:
    from .html import Linker


@dataclass
class SiteContext:
    network: Network
    settings: Settings
    today: dt.date
    directory_urls: bool = True
    # Results other modules compute once and share (graph, follow-ups, ...).
    memo: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def public_people(self) -> list[Person]:
        return self.network.public()

    @cached_property
    def _anchor_parts(self) -> dict[str, tuple[str, str]]:
        # Names and slugs escaped once per build: pages link to the same
        # people hundreds of thousands of times at 5,000 people.
        return {
            slug: (html.escape(slug, quote=True), html.escape(person.name, quote=True))
            for slug, person in self.network.people.items()
        }

    def person_link(self, linker: "Linker", slug: str, label: str | None = None, cls: str | None = None) -> str:
        """`<a href=...>Name</a>` to a person's page; the caller checks they are public."""
        slug_html, name_html = self._anchor_parts[slug]
        text = name_html if label is None else html.escape(label, quote=True)
        klass = f' class="{html.escape(cls, quote=True)}"' if cls else ""
        return f'<a href="{linker.person_prefix}{slug_html}{linker.person_suffix}"{klass}>{text}</a>'

    def is_public(self, slug: str) -> bool:
        person = self.network.people.get(slug)
        return person is not None and not person.private

    def shared(self, key: str, compute) -> Any:
        """`compute()` once per build, whoever asks first."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]
