"""What makes `mkdocs serve` answer a save quickly, around the rebuild itself.

MkDocs 1.6 (the last 1.x release, so these internals no longer move)
watches files with watchdog's PollingObserver: every half second it lists
and stats every watched file, which at 5,000 contacts costs a busy core's
worth of stat calls and, on average, a quarter of a second before a save
is noticed. And every rebuild makes a new Jinja environment, which compiles
the theme's templates again (a third of a second for Material). Both are
measured in docs/reference/scale.md.
"""

from __future__ import annotations

import logging

import jinja2

log = logging.getLogger("mkdocs.plugins.kith")


def watch_natively(server) -> bool:  # noqa: ANN001 - MkDocs' LiveReloadServer
    """Move the server's watches to the platform's own file notifications
    (inotify, FSEvents, ReadDirectoryChangesW), keeping MkDocs' handlers.
    Falls back to MkDocs' polling when there are none or they fail (inotify's
    limit on watches, a network file system); returns whether it moved."""
    try:
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver
    except ImportError:
        return False
    old = getattr(server, "observer", None)
    handlers = getattr(old, "_handlers", None)
    refs = getattr(server, "_watch_refs", None)
    if not isinstance(handlers, dict) or not isinstance(refs, dict) or Observer is PollingObserver:
        return False
    native = Observer()
    moved: dict[str, object] = {}
    try:
        for watch, watch_handlers in list(handlers.items()):
            for handler in watch_handlers:
                moved[watch.path] = native.schedule(
                    _WritesOnly(handler), watch.path, recursive=watch.is_recursive
                )
    except OSError as exc:
        log.info(f"kith: file notifications unavailable ({exc}); MkDocs polls for changes instead")
        native.unschedule_all()
        return False
    for path, watch in moved.items():
        old.unschedule(refs[path]) if path in refs else None
        refs[path] = watch
    server.observer = native
    return True


class _WritesOnly:
    """A handler that passes on what changes a file, not what only reads
    it: native notifications also report a file opened or closed unwritten,
    and the build itself reads the files it watches."""

    _READS = ("opened", "closed_no_write")

    def __init__(self, handler) -> None:  # noqa: ANN001 - a watchdog handler
        self.handler = handler

    def dispatch(self, event) -> None:  # noqa: ANN001
        if event.event_type not in self._READS:
            self.handler.dispatch(event)


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory between the rebuilds of one serve.
    Jinja checks each entry against its template's source, so an edited
    template is compiled again."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self._store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._store.clear()
