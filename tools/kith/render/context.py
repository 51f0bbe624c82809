"""What every generated page may need, computed once per build."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..config import Settings
from ..model import Network, Person


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

    def is_public(self, slug: str) -> bool:
        person = self.network.people.get(slug)
        return person is not None and not person.private

    def shared(self, key: str, compute) -> Any:
        """`compute()` once per build, whoever asks first."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]
