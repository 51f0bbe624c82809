"""Colour on a terminal, and names where files say `[[slug]]`.

`paint(text, "error")` styles text by what it is, not by colour name, so
every command colours alike. Click strips the styles when the output is not
a terminal (a pipe, a file); `NO_COLOR` (https://no-color.org), set to
anything, turns them off everywhere (`kith` sets `color=False` on its
context for it, in cli/__init__.py).
"""

from __future__ import annotations

import os

import click

STYLES: dict[str, dict] = {
    "error": {"fg": "red", "bold": True},
    "warning": {"fg": "yellow", "bold": True},
    "overdue": {"fg": "red"},
    "today": {"fg": "yellow"},
    "soon": {},
    "name": {"bold": True},
    "path": {"bold": True},
    "dim": {"dim": True},
    "heading": {"bold": True, "underline": True},
    "ok": {"fg": "green"},
}


def no_color() -> bool:
    """NO_COLOR set (to anything but empty) turns colour off."""
    return bool(os.environ.get("NO_COLOR"))


def paint(text: str, what: str) -> str:
    """`text` styled as `what` (a key of STYLES); plain under NO_COLOR."""
    style = STYLES.get(what)
    if not style or no_color():
        return text
    return click.style(text, **style)

