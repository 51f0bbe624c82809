"""The text of a new contact file, for `kith new`.

Only what the user gave, plus `met.date` (today) and an empty `## Log`, so
the new file passes `kith validate` with no findings and holds no
placeholder text a user would have to delete.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .write import render_flow, render_scalar


def new_contact(
    name: str,
    today: dt.date,
    company: str | None = None,
    tags: Iterable[str] = (),
    met_where: str | None = None,
) -> str:
    lines = ["---", f"name: {render_scalar(name.strip())}"]
    if company and company.strip():
        lines.append(f"company: {render_scalar(company.strip())}")
    unique_tags = list(dict.fromkeys(t.strip() for t in tags if t.strip()))
    if unique_tags:
        lines.append(f"tags: {render_flow(unique_tags)}")
    lines.append("met:")
    lines.append(f"  date: {today.isoformat()}")
    if met_where and met_where.strip():
        lines.append(f"  where: {render_scalar(met_where.strip())}")
    lines += ["---", "", "## Log"]
    return "\n".join(lines) + "\n"
