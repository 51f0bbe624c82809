"""A progress bar for long work (import, enrich, validate, render on big
trees), shared by every command.

    from .progress import progress
    for page in progress(pages, "Rendering pages"):
        ...

The bar goes to standard error, and only when standard error is a terminal
and there are more than THRESHOLD items: piped or redirected output, and
small trees, get nothing extra. `kith -q ...` (or `quiet=True`) turns it off.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sized
from typing import TypeVar

import click

T = TypeVar("T")

THRESHOLD = 200
"""Fewer items than this finish before a bar would be worth reading."""


def quiet_requested() -> bool:
    """True when `kith -q/--quiet` was given (False outside a Click command)."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return False
    obj = ctx.find_root().obj
    return bool(isinstance(obj, dict) and obj.get("quiet"))


def progress(
    items: Iterable[T],
    label: str,
    quiet: bool | None = None,
    total: int | None = None,
) -> Iterator[T]:
    """Yield `items`, drawing a bar on standard error while they are worked through.

    `quiet=None` follows `kith -q`. `total` is the number of items when
    `items` has no len() (a generator); without either there is no bar.
    """
    if quiet is None:
        quiet = quiet_requested()
    length = total if total is not None else (len(items) if isinstance(items, Sized) else None)
    stream = sys.stderr
    if quiet or length is None or length <= THRESHOLD or not _is_tty(stream):
        yield from items
        return
    with click.progressbar(
        items,
        length=length,
        label=label,
        file=stream,
        show_pos=True,
        # Redraw about 200 times in all, not once per item: a 30,000-person
        # tree should not spend its time writing to the terminal.
        update_min_steps=max(1, length // 200),
    ) as bar:
        yield from bar


def _is_tty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):
        return False
