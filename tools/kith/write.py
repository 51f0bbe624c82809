"""The one writer: every command that changes a contact file goes through here.

Edits are *surgical*: the writer finds the exact characters of a value with
PyYAML's node positions and replaces or inserts only those, so everything it
was not asked to change (comments, key order, quoting, flow or block style,
indentation, blank lines, the body, line endings, the BOM) stays byte for
byte as it was. docs/reference/writing.md says why this beats a round-trip
re-dump.

The API, for commands and importers alike:

    atomic_write(path, data)            temp file in the same folder, fsync,
                                        os.replace: all or nothing
    with write_lock(path): ...          kith's writers take turns per folder
    doc = Document.from_bytes(raw)      raises DocumentError(line, message);
                                        doc.front_matter (a FrontMatterEditor)
                                        and doc.body_editor (a BodyEditor) do
                                        the edits; Document hands each to one
    doc = Document.from_text(text)      a new file (`kith new`)
    doc.get("emails")                   the value as kith's loader reads it
    doc.get_in(("met", "date"))         nested: mapping keys and list indexes
    doc.source_text(("phones", 0))      a scalar as written, before YAML typing
    doc.line_of(("phones", 0))          the file line a value starts on
    doc.set("company", "Acme")          replace, or append the key at the end
    doc.set_in(("met", "date"), day)    creates `met:` when missing
    doc.add_to_list("tags", "math")     -> False when already there
    doc.append_log("- 2026-11-22 coffee: hi")   top of the `## Log` list
    doc.add_log(day, "coffee: hi") / doc.add_task(due, "send the deck")
    doc.rewrite_mentions("old", "new")  `[[old]]` -> `[[new]]` in the body
    doc.to_bytes()

    change = Change(path, old_bytes, new_bytes, ["what changed", ...])
    unified_diff(change) -> str
    apply([change, ...], dry_run) -> the diff when dry_run, else "" after
                                     writing each file atomically

Setting a value to what it already is changes nothing. Every edit is read
back before it is kept: if the file would not say what was asked, the
writer raises WriteError instead of writing a wrong file.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import difflib
import os
import re
import stat
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# The reader's own grammar, so the writer puts entries where the loader looks.
from . import codes, grammar
from .body import LIST_ITEM, structure_problems
from .model import Finding
from .parse import KithLoader

Path_ = tuple  # a path into the front matter: ("met", "date"), ("phones", 0)


# The writer's errors live with every other kith error (errors.py).
from .errors import DocumentError, WriteError  # noqa: E402,F401


# -- files ----------------------------------------------------------------


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one,
    never a mix: a crash or a full disk leaves the original untouched.

    The temporary file lives in the same folder (os.replace is only atomic
    within one filesystem) and starts with `.`, which kith's loader skips.
    """
    path = Path(path)
    folder = path.parent
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)  # mkstemp makes 0600; keep the file's own mode
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable; not every platform can open a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# -- taking turns ---------------------------------------------------------

LOCK_TIMEOUT = 30.0  # seconds a writer waits for another before giving up
_HELD: dict[str, list[int]] = {}  # folder -> [fd, depth] of locks this process holds


@contextlib.contextmanager
def write_lock(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold kith's write lock for the folder of `path` while reading,
    changing and writing a file in it, so that two kith commands writing
    one file at once take turns instead of one silently undoing the other.

    The lock is `flock` on the folder itself: a file's own inode changes
    with every atomic write, a folder's does not, and no lock file is left
    for git to see. Re-entrant within a process. Where there is no `flock`
    (Windows), writers rely on `apply`'s check that the file is unchanged."""
    folder = os.path.realpath(os.path.dirname(os.path.abspath(path)))
    held = _HELD.get(folder)
    if held is not None:
        held[1] += 1
        try:
            yield
        finally:
            held[1] -= 1
        return
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        yield  # a folder that cannot be opened: the write itself will say why
        return
    deadline = time.monotonic() + timeout
    delay = 0.005
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WriteError(
                        f"another command has been writing in {folder} for over {timeout:.0f} s; "
                        "nothing written: try again when it is done"
                    ) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.1)
        _HELD[folder] = [fd, 1]
        try:
            yield
        finally:
            del _HELD[folder]
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


# -- rendering values -----------------------------------------------------

_PRINTABLE = re.compile("[\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _loads(text: str) -> Any:
    return yaml.load(text, Loader=KithLoader)  # noqa: S506 - KithLoader is a SafeLoader


def _same(a: Any, b: Any) -> bool:
    """Equal and of the same type all the way down (1 is not True, "1" not 1)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def _plain_ok(text: str) -> bool:
    """True when `text` unquoted reads back as the same string, in block and
    in flow context (so it may also go into `[...]`)."""
    if not text or text != text.strip() or not all(_PRINTABLE.match(c) for c in text):
        return False
    for probe, want in ((f"k: {text}\n", {"k": text}), (f"k: [{text}]\n", {"k": [text]})):
        try:
            got = _loads(probe)
        except yaml.YAMLError:
            return False
        if not _same(got, want):
            return False
    return True


def _double_quoted(text: str) -> str:
    out = ['"']
    for char in text:
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif char == "\t":
            out.append("\\t")
        elif char == "\n":
            out.append("\\n")
        elif _PRINTABLE.match(char):
            out.append(char)
        else:
            code = ord(char)
            if code < 0x100:
                out.append(f"\\x{code:02x}")
            elif code < 0x10000:
                out.append(f"\\u{code:04x}")
            else:
                out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def _single_quoted(text: str) -> str | None:
    if not all(_PRINTABLE.match(c) for c in text):
        return None
    return "'" + text.replace("'", "''") + "'"


def render_scalar(value: Any, style: str | None = None) -> str:
    """One YAML scalar. `style` is the style of the value being replaced
    (`'`, `"` or None for plain): kept when the new text allows it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if not isinstance(value, str):
        raise WriteError(f"cannot write a {type(value).__name__} into front matter")
    if style == "'":
        single = _single_quoted(value)
        if single is not None:
            return single
    if style == '"':
        return _double_quoted(value)
    if _plain_ok(value):
        return value
    return _double_quoted(value)


def render_flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{render_scalar(k)}: {render_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(render_flow(v) for v in value) + "]"
    return render_scalar(value)


def _block_entry(key: Any, value: Any) -> list[str]:
    """`key: value` as lines relative to the key's column: nested mappings and
    lists of mappings in block style, everything else in flow style, which is
    how the design's example contact is written."""
    head = f"{render_scalar(key)}:"
    nested = (isinstance(value, dict) and value) or (
        isinstance(value, (list, tuple)) and any(isinstance(v, dict) for v in value)
    )
    if nested:
        return [head] + ["  " + line for line in _block_lines(value)]
    return [f"{head} {render_flow(value)}"]


def _block_lines(value: Any) -> list[str]:
    """A block collection as lines relative to its own column."""
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            lines.extend(_block_entry(key, item))
    else:
        for item in value:
            lines.append(f"- {render_flow(item)}")
    return lines


# -- the document ----------------------------------------------------------

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_NEWLINE = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """Lines with their own endings; only CR, LF and CRLF end a line (as in
    kith's loader), so U+2028 and form feeds stay inside their line."""
    return _LINE.findall(text)


def _ending(line: str) -> str:
    return line[len(line.rstrip("\r\n")) :]


class _Composer(yaml.SafeLoader):
    """The pure-Python loader: its marks count characters of the text given,
    which is what splicing needs (libyaml's are not guaranteed to)."""


def _compose(text: str) -> yaml.Node | None:
    loader = _Composer(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _content_end(node: yaml.Node) -> int:
    """Where a value's own text ends. A block collection's end mark lies past
    trailing comments and blank lines, which belong to whatever comes next."""
    if isinstance(node, (yaml.SequenceNode, yaml.MappingNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        return _content_end(last[1] if isinstance(node, yaml.MappingNode) else last)
    return node.end_mark.index


def _lookup(node: yaml.Node, part: Any) -> tuple[yaml.Node, yaml.Node] | None:
    """(key node or None, value node) for `part` in a mapping or sequence."""
    if isinstance(node, yaml.MappingNode) and not isinstance(part, int):
        for key_node, value_node in reversed(node.value):  # YAML: the last one counts
            # A plain `on:` or `yes:` key is a boolean to YAML 1.1, not the text.
            if (
                isinstance(key_node, yaml.ScalarNode)
                and key_node.tag == "tag:yaml.org,2002:str"
                and key_node.value == str(part)
            ):
                return key_node, value_node
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int):
        if 0 <= part < len(node.value):
            return None, node.value[part]  # type: ignore[return-value]
        return None
    return None


def _is_null(node: yaml.Node) -> bool:
    return (
        isinstance(node, yaml.ScalarNode)
        and not node.style
        and node.value in ("", "~", "null", "Null", "NULL")
    )


def _label(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_MISSING = object()


class FrontMatterEditor:
    """The front matter of a file, edited surgically: only the characters
    of the value asked for change (see the module's docstring). `text` is
    the YAML between the `---` lines, with its own line endings;
    `first_line` the file line of its first line."""

    def __init__(self, text: str, newline: str, first_line: int = 2) -> None:
        self.text = text
        self.newline = newline
        self.first_line = first_line

    def _root(self) -> yaml.Node | None:
        try:
            node = _compose(self.text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = 2 + (mark.line if mark else 0)
            raise DocumentError(line, f"front matter is not valid YAML: {getattr(exc, 'problem', exc)}") from None
        if node is not None and not isinstance(node, yaml.MappingNode):
            raise DocumentError(2, "front matter is not a set of `key: value` lines")
        return node

    def data(self) -> dict:
        try:
            data = _loads(self.text)
        except yaml.YAMLError as exc:
            raise DocumentError(2, f"front matter is not valid YAML: {exc}") from None
        if data is None:
            return {}
        if not isinstance(data, dict):
            raise DocumentError(2, "front matter is not a set of `key: value` lines")
        return data

    def get(self, key: str, default: Any = None) -> Any:
        return self.get_in((key,), default)

    def get_in(self, path: Path_, default: Any = None) -> Any:
        value: Any = self.data()
        for part in path:
            if isinstance(value, dict) and not isinstance(part, int) and part in value:
                value = value[part]
            elif isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
                value = value[part]
            else:
                return default
        return value

    def source_text(self, path: Path_) -> str | None:
        """A scalar's text as written (unquoted), before YAML turns `+4420...`
        into a number or `2024-03-14` into a date; None if not a scalar."""
        node = self._node(path)
        if isinstance(node, yaml.ScalarNode):
            return node.value
        return None

    def line_of(self, path: Path_) -> int | None:
        """The file line (1-based) where the value at `path` starts."""
        node = self._node(path)
        if node is None:
            return None
        return self.first_line + node.start_mark.line

    def _node(self, path: Path_) -> yaml.Node | None:
        node = self._root()
        for part in path:
            if node is None:
                return None
            found = _lookup(node, part)
            node = found[1] if found else None
        return node

    # -- changing values --

    def set(self, key: str, value: Any) -> bool:
        return self.set_in((key,), value)

    def set_in(self, path: Path_, value: Any) -> bool:
        """Set the value at `path`, creating missing mappings on the way;
        returns False when it already was that value (nothing changes)."""
        if not path:
            raise WriteError("set_in needs a key")
        if _same(self.get_in(path, _MISSING), value):
            return False
        before = self.text
        self._set(path, value)
        self._check(path, value, before)
        return True

    def _check(self, path: Path_, value: Any, before: str) -> None:
        try:
            got = self.get_in(path, _MISSING)
        except DocumentError:
            got = _MISSING
        if not _same(got, value):
            self.text = before
            raise WriteError(f"could not write `{_label(path)}` so that it reads back as {value!r}")

    def _set(self, path: Path_, value: Any) -> None:
        root = self._root()
        if root is None:
            self._append_entry(None, path[0], _nest(path[1:], value))
            return
        node: yaml.Node = root
        for depth, part in enumerate(path):
            found = _lookup(node, part)
            rest = path[depth + 1 :]
            if found is None:
                if isinstance(node, yaml.MappingNode) and not isinstance(part, int):
                    self._append_entry(node, part, _nest(rest, value))
                    return
                if isinstance(node, yaml.SequenceNode) and part == len(node.value) and not rest:
                    self._append_item(node, value)
                    return
                raise WriteError(f"`{_label(path[: depth + 1])}` does not exist")
            key_node, child = found
            if not rest:
                self._replace(key_node, child, value)
                return
            if _is_null(child):
                self._replace(key_node, child, _nest(rest, value))
                return
            if not isinstance(child, (yaml.MappingNode, yaml.SequenceNode)):
                raise WriteError(
                    f"`{_label(path[: depth + 1])}` is a single value, not a mapping: "
                    f"cannot set `{_label(path)}`"
                )
            node = child

    def add_to_list(self, key: str, value: Any) -> bool:
        """Append `value` to the list under `key` unless an equal item is there.
        A missing key becomes a new list; a single string becomes a list of it
        and `value`. Flow lists stay flow (`[a, b]`), block lists stay block."""
        current = self.get(key, _MISSING)
        if current is _MISSING or current is None:
            return self.set(key, [value])
        if isinstance(current, list):
            if any(_same(item, value) for item in current):
                return False
            node = self._node((key,))
            assert isinstance(node, yaml.SequenceNode)
            before = self.text
            self._append_item(node, value)
            self._check((key,), current + [value], before)
            return True
        if isinstance(current, dict):
            raise WriteError(f"`{key}` is a mapping, not a list")
        if _same(current, value):
            return False
        return self.set(key, [current, value])

    def to_list(self, key: str) -> bool:
        """A single value under `key` becomes a one-item list of its text as
        written (`tags: math` -> `tags: [math]`), which is how kith reads it."""
        node = self._node((key,))
        if not isinstance(node, yaml.ScalarNode) or _is_null(node):
            return False
        source = self.text[node.start_mark.index : node.end_mark.index]
        if node.style in ("'", '"') and not _NEWLINE.search(source):
            item = source  # quoted on one line: valid inside [...] as it stands
        else:
            item = render_scalar(node.value)
        before = self.text
        self._splice(node.start_mark.index, node.end_mark.index, f"[{item}]")
        self._check((key,), [node.value], before)
        return True

    def remove_in(self, path: Path_) -> bool:
        """Remove the key or list item at `path` with its line(s), comments on
        those lines included; returns False when there is nothing there. A
        mapping or list left empty goes too, so `met: {via: x}` without its
        only key is no `met:` at all rather than an empty one."""
        if not path:
            raise WriteError("remove_in needs a key")
        if self.get_in(path, _MISSING) is _MISSING:
            return False
        parent = self.get_in(path[:-1]) if len(path) > 1 else self.data()
        if isinstance(parent, (dict, list)) and len(parent) == 1 and len(path) > 1:
            return self.remove_in(path[:-1])
        expected = _without(self.data(), path)
        before = self.text
        container = self._node(path[:-1]) if len(path) > 1 else self._root()
        found = _lookup(container, path[-1]) if container is not None else None
        if container is None or found is None:
            raise WriteError(f"`{_label(path)}` cannot be removed")
        key_node, value_node = found
        first = key_node if key_node is not None else value_node
        if container.flow_style:
            items = container.value
            index = next(i for i, item in enumerate(items) if (item[1] if isinstance(container, yaml.MappingNode) else item) is value_node)
            start = first.start_mark.index
            if index + 1 < len(items):
                following = items[index + 1]
                end = (following[0] if isinstance(container, yaml.MappingNode) else following).start_mark.index
            elif index > 0:
                previous = items[index - 1]
                start = _content_end(previous[1] if isinstance(container, yaml.MappingNode) else previous)
                end = _content_end(value_node)
            else:
                start, end = first.start_mark.index, _content_end(value_node)
            self._splice(start, end, "")
        else:
            line_start = self.text.rfind("\n", 0, first.start_mark.index) + 1
            line_start = max(line_start, self.text.rfind("\r", 0, first.start_mark.index) + 1)
            lead = self.text[line_start : first.start_mark.index]
            allowed = r"[ \t]*" if key_node is not None else r"[ \t]*-[ \t]*"
            if not re.fullmatch(allowed, lead):
                raise WriteError(f"`{_label(path)}` shares its line with another value; remove it by hand")
            self._splice(line_start, self._line_end(_content_end(value_node)), "")
        try:
            got = self.data()
        except DocumentError:
            got = _MISSING
        if not _same(got, expected):
            self.text = before
            raise WriteError(f"could not remove `{_label(path)}` cleanly; remove it by hand")
        return True

    # -- splicing --

    def _splice(self, start: int, end: int, text: str) -> None:
        self.text = self.text[:start] + text + self.text[end:]

    def _line_end(self, index: int) -> int:
        """The index just past the line holding `index - 1` (its newline included)."""
        if index > 0 and self.text[index - 1] in "\r\n":
            return index  # a block scalar already ends with its newline
        match = _NEWLINE.search(self.text, index)
        return match.end() if match else len(self.text)

    def _insert_lines(self, at: int, lines: list[str]) -> None:
        nl = self.newline
        prefix = ""
        if at == len(self.text) and self.text and not self.text.endswith(("\n", "\r")):
            prefix = nl
        self._splice(at, at, prefix + "".join(line + nl for line in lines))

    def _append_entry(self, mapping: yaml.MappingNode | None, key: Any, value: Any) -> None:
        if mapping is None:
            self._insert_lines(len(self.text), _block_entry(key, value))
            return
        if mapping.flow_style:
            self._append_flow(mapping, f"{render_scalar(key)}: {render_flow(value)}")
            return
        column = mapping.start_mark.column
        at = self._line_end(_content_end(mapping))
        self._insert_lines(at, [" " * column + line for line in _block_entry(key, value)])

    def _append_item(self, sequence: yaml.SequenceNode, value: Any) -> None:
        if sequence.flow_style:
            self._append_flow(sequence, render_flow(value))
            return
        column = sequence.start_mark.column
        at = self._line_end(_content_end(sequence))
        self._insert_lines(at, [" " * column + f"- {render_flow(value)}"])

    def _append_flow(self, node: yaml.Node, entry: str) -> None:
        if node.value:
            last = node.value[-1]
            end = _content_end(last[1] if isinstance(node, yaml.MappingNode) else last)
            self._splice(end, end, f", {entry}")
        else:
            close = node.end_mark.index - 1  # the `]` or `}`
            self._splice(close, close, entry)

    def _replace(self, key_node: yaml.Node | None, node: yaml.Node, value: Any) -> None:
        nl = self.newline
        block_value = isinstance(value, dict) and bool(value)
        if _is_null(node) and key_node is not None:
            # `met:` (or `met: ~`) with no value: write after the colon, or
            # for a mapping on the lines below, after any comment on that line.
            colon = self.text.index(":", key_node.end_mark.index)
            start = node.start_mark.index if node.value else colon + 1
            end = node.end_mark.index if node.value else colon + 1
            if not block_value:
                self._splice(start, end, render_flow(value) if node.value else " " + render_flow(value))
                return
            self._splice(start, end, "")
            newline = _NEWLINE.search(self.text, start)
            stop = newline.start() if newline else len(self.text)
            column = key_node.start_mark.column + 2
            self._splice(stop, stop, "".join(nl + " " * column + line for line in _block_lines(value)))
            return
        start, end = node.start_mark.index, _content_end(node)
        is_block = isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style
        nonempty = isinstance(value, (dict, list, tuple)) and bool(value)
        same_kind = isinstance(value, dict) == isinstance(node, yaml.MappingNode)
        if is_block and key_node is not None and not (nonempty and same_kind):
            # A block value starts on the line below its key (maybe at the
            # key's own column, `key:\n- item`): what replaces it by another
            # kind must start from the colon instead.
            start = self.text.index(":", key_node.end_mark.index) + 1
            if nonempty:
                column = key_node.start_mark.column + 2
                text = "".join(nl + " " * column + line for line in _block_lines(value))
            else:
                text = " " + render_flow(value)
        elif is_block and nonempty:
            column = node.start_mark.column
            lines = _block_lines(value)
            text = lines[0] + "".join(nl + " " * column + line for line in lines[1:])
        elif isinstance(node, yaml.ScalarNode) and not isinstance(value, (dict, list, tuple)):
            if node.style in ("|", ">"):
                # Keep the newline that ends a block scalar: the next key needs it.
                end = start + len(self.text[start:end].rstrip("\r\n"))
            text = render_scalar(value, node.style if node.style in ("'", '"') else None)
        else:
            text = render_flow(value)
        self._splice(start, end, text)


class BodyEditor:
    """The Markdown body of a file, edited where kith's grammar (`grammar.py`)
    says its parts are: entries at the top of the log, mentions rewritten
    outside code. `text` is the body with its own line endings;
    `first_line()` the file line it starts on (it moves as the front matter
    grows)."""

    def __init__(self, text: str, newline: str, first_line: Callable[[], int]) -> None:
        self.text = text
        self.newline = newline
        self.first_line = first_line

    def append_log(self, line: str) -> None:
        """Put `line` (`- 2026-11-22 coffee: hi`) at the top of the `## Log`
        list, newest first; adds a `## Log` section at the end if there is none."""
        if "\n" in line or "\r" in line:
            raise WriteError("a log entry is one line")
        nl = self.newline
        lines = split_lines(self.text)
        plain = [item.rstrip("\r\n") for item in lines]
        structure = self.structure(plain)
        in_code, in_log, in_private, heading = structure.code, structure.log, structure.private, structure.log_heading
        if heading is None:
            text = self.text
            if text and not text.endswith(("\n", "\r")):
                text += nl
            if text.strip():
                if not (text.endswith(("\n\n", "\r\n\r\n", "\r\r"))):
                    text += nl
            else:
                text = nl
            self.text = text + f"## Log{nl}{nl}{line}{nl}"
            return
        if not _ending(lines[heading]):
            lines[heading] += nl
        end = heading + 1
        while end < len(lines) and in_log[end]:
            end += 1
        for index in range(heading + 1, end):
            # The first entry of the log itself, not of a `### Private` part
            # of it: an entry written there would never be seen.
            if not in_code[index] and in_private[index] == in_private[heading] and LIST_ITEM.match(plain[index]):
                lines.insert(index, line + nl)
                self.text = "".join(lines)
                return
        at = heading + 1
        while at < end and not plain[at].strip():
            at += 1
        new = [line + nl]
        if at == heading + 1:
            new.insert(0, nl)
        if at < len(lines) and plain[at].strip():
            new.append(nl)
        if at == len(lines) and lines and not _ending(lines[-1]):
            lines[-1] += nl
        lines[at:at] = new
        self.text = "".join(lines)

    def add_log(self, day: dt.date, text: str) -> str:
        """Add `- YYYY-MM-DD text` to the log; returns the line."""
        line = f"- {day.isoformat()} {text.strip()}"
        self.append_log(line)
        return line

    def add_log_in_order(self, day: dt.date, text: str) -> str:
        """Add `- YYYY-MM-DD text` among the log's dated entries where its
        date belongs (the log's own order, newest or oldest first, kept),
        for imports of past days; the top of the log when it has no dated
        entries. Returns the line."""
        return self.add_logs_in_order([(day, text)])[0]

    def add_logs_in_order(self, entries: list[tuple[dt.date, str]]) -> list[str]:
        """`add_log_in_order` for many entries at once (one reading of the
        body, not one per entry); returns the lines, in the order given."""
        from .body import DATED

        lines_added = [f"- {day.isoformat()} {text.strip()}" for day, text in entries]
        if any("\n" in line or "\r" in line for line in lines_added):
            raise WriteError("a log entry is one line")
        lines = split_lines(self.text)
        plain = [item.rstrip("\r\n") for item in lines]
        structure = self.structure(plain)
        heading = structure.log_heading
        dated: list[tuple[int, dt.date]] = []
        if heading is not None:
            for index in range(heading + 1, len(plain)):
                if not structure.log[index]:
                    break
                if structure.code[index] or structure.private[index] != structure.private[heading]:
                    continue
                item = LIST_ITEM.match(plain[index])
                found = DATED.match(item.group(1)) if item else None
                if found:
                    try:
                        dated.append((index, dt.date.fromisoformat(found.group(1))))
                    except ValueError:
                        continue
        if not dated:
            # No dated entry to place them among: the first goes where
            # `append_log` puts it (a new `## Log` when there is none), and
            # the rest find their places around it.
            first, *rest = sorted(range(len(entries)), key=lambda i: entries[i][0])
            self.append_log(lines_added[first])
            if rest:
                self.add_logs_in_order([entries[i] for i in rest])
            return lines_added
        pairs = list(zip(dated, dated[1:]))
        newest_first = sum(a[1] > b[1] for a, b in pairs) >= sum(a[1] < b[1] for a, b in pairs)
        after_last = dated[-1][0] + 1
        while after_last < len(plain) and structure.log[after_last] and plain[after_last].strip() and plain[after_last][:1] in (" ", "\t"):
            after_last += 1  # the last entry's continuation lines stay with it
        places: dict[int, list[tuple[dt.date, str]]] = {}
        for (day, _text), line in zip(entries, lines_added):
            at = next((i for i, d in dated if (d < day if newest_first else d > day)), after_last)
            places.setdefault(at, []).append((day, line))
        for at in sorted(places, reverse=True):
            group = sorted(places[at], key=lambda item: item[0], reverse=newest_first)
            if at > 0 and not _ending(lines[at - 1]):
                lines[at - 1] += self.newline
            lines[at:at] = [line + self.newline for _day, line in group]
        self.text = "".join(lines)
        return lines_added

    def add_task(self, due: dt.date | None, text: str, done: bool = False) -> str:
        """Add `- [ ] YYYY-MM-DD text` (or `- [x] ...`) to the log; returns the line."""
        mark = "x" if done else " "
        when = f"{due.isoformat()} " if due else ""
        line = f"- [{mark}] {when}{text.strip()}"
        self.append_log(line)
        return line

    def structure(self, plain: list[str] | None = None) -> grammar.Structure:
        """The body's structure, as the loader reads it. Raises WriteError
        when the body has a fence that never closes: renderers disagree on
        whether what follows is code, so a line written after it might
        never be seen."""
        if plain is None:
            plain = [item.rstrip("\r\n") for item in split_lines(self.text)]
        structure = grammar.scan(plain)
        if structure.unclosed_fences:
            first = self.first_line()
            line, code, message = structure_problems(structure, first)[0]
            raise DocumentError(
                line,
                "not written: kith will not add to a body with a code fence that never closes",
                notes=[Finding("", line, codes.severity(code), code, message)],
            )
        return structure

    def body_line(self, number: int) -> str:
        """The text of file line `number` (1-based, as the loader counts), which
        must lie in the body; without its line ending."""
        lines = split_lines(self.text)
        index = number - self.first_line()
        if not 0 <= index < len(lines):
            raise WriteError(f"line {number} is not in the body")
        return lines[index].rstrip("\r\n")

    def replace_body_line(self, number: int, old: str, new: str) -> None:
        """Line `number` from `old` to `new` (one line), its ending kept;
        refuses when the line no longer says `old`."""
        if "\n" in new or "\r" in new:
            raise WriteError("a body line is one line")
        if self.body_line(number) != old:
            raise WriteError(f"line {number} is not what was read; run the command again")
        lines = split_lines(self.text)
        index = number - self.first_line()
        lines[index] = new + _ending(lines[index])
        self.text = "".join(lines)

    def rewrite_mentions(self, old: str, new: str) -> int:
        """`[[old]]` and `[[old|label]]` -> `[[new]]`/`[[new|label]]` outside
        code; returns how many were rewritten."""
        return self._replace_mentions(old, lambda match: "[[" + match.group(0)[2:-2].replace(old, new, 1) + "]]")

    def unlink_mentions(self, old: str, text: str) -> int:
        """`[[old]]` -> `text` and `[[old|label]]` -> `label`, outside code:
        a link that may no longer be a link (a person naming themself after
        a merge) keeps its words. Returns how many were changed."""
        return self._replace_mentions(old, lambda match: (match.group(2) or "").strip() or text)

    def _replace_mentions(self, old: str, replace) -> int:  # noqa: ANN001 - match -> text
        """Each mention of `old` outside code, as the grammar finds them,
        replaced by `replace(match)`; returns how many."""
        lines = split_lines(self.text)
        code = grammar.code_lines([item.rstrip("\r\n") for item in lines])
        count = 0
        for index, line in enumerate(lines):
            if code[index] or "[[" not in line:
                continue
            pieces: list[str] = []
            last = 0
            for match in grammar.mention_matches(line):
                if match.group(1).strip() != old:
                    continue
                pieces.append(line[last : match.start()])
                pieces.append(replace(match))
                last = match.end()
                count += 1
            if pieces:
                pieces.append(line[last:])
                lines[index] = "".join(pieces)
        self.text = "".join(lines)
        return count


class Document:
    """One contact file, kept as the exact text it was read from: its front
    matter (`front_matter`, a FrontMatterEditor) and its body (`body_editor`,
    a BodyEditor), each edited by a class of its own; the methods here hand
    each edit to the part of the file it concerns.

    `front` is the YAML between the `---` lines, `body` everything after the
    closing one; both keep their own line endings. `newline` is the file's
    style, used only for lines the writer adds.
    """

    def __init__(self, opening: str, front: str, closing: str, body: str, bom: bool, newline: str) -> None:
        self.opening = opening
        self.closing = closing
        self.bom = bom
        self.newline = newline
        self.front_matter = FrontMatterEditor(front, newline, len(split_lines(opening)) + 1)
        self.body_editor = BodyEditor(body, newline, self._body_first_line)

    @property
    def front(self) -> str:
        return self.front_matter.text

    @front.setter
    def front(self, text: str) -> None:
        self.front_matter.text = text

    @property
    def body(self) -> str:
        return self.body_editor.text

    @body.setter
    def body(self, text: str) -> None:
        self.body_editor.text = text

    def _body_first_line(self) -> int:
        return len(split_lines(self.opening + self.front + self.closing)) + 1

    # -- reading and writing bytes --

    @classmethod
    def from_bytes(cls, raw: bytes) -> "Document":
        bom = raw.startswith(codecs.BOM_UTF8)
        try:
            text = raw[len(codecs.BOM_UTF8) if bom else 0 :].decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            raise DocumentError(line, "not UTF-8: save the file as UTF-8 first") from None
        return cls._parse(text, bom)

    @classmethod
    def from_text(cls, text: str) -> "Document":
        return cls._parse(text, False)

    @classmethod
    def _parse(cls, text: str, bom: bool) -> "Document":
        match = _NEWLINE.search(text)
        newline = match.group(0) if match else "\n"
        lines = split_lines(text)
        if not lines or not grammar.opens_front_matter(lines[0]):
            raise DocumentError(1, "no front matter: the file must start with a line `---`")
        index = grammar.front_matter_end(lines)
        if index is None:
            raise DocumentError(1, "front matter is never closed: add a line `---` after the last key")
        return cls(
            opening=lines[0],
            front="".join(lines[1:index]),
            closing=lines[index],
            body="".join(lines[index + 1 :]),
            bom=bom,
            newline=newline,
        )

    def text(self) -> str:
        return self.opening + self.front + self.closing + self.body

    def to_bytes(self) -> bytes:
        data = self.text().encode("utf-8")
        return codecs.BOM_UTF8 + data if self.bom else data

    # -- edits, each handed to the part of the file it concerns --

    def _writable_body(self) -> BodyEditor:
        """The body editor, once the closing `---` ends its line: what is
        added to the body must start on a line of its own."""
        if not self.closing.endswith(("\n", "\r")):
            self.closing += self.newline
        return self.body_editor

    def append_log(self, line: str) -> None:
        """Put `line` (`- 2026-11-22 coffee: hi`) at the top of the `## Log`
        list, newest first; adds a `## Log` section at the end if there is none."""
        self._writable_body().append_log(line)

    def data(self, *args, **kwargs):
        return self.front_matter.data(*args, **kwargs)

    def get(self, *args, **kwargs):
        return self.front_matter.get(*args, **kwargs)

    def get_in(self, *args, **kwargs):
        return self.front_matter.get_in(*args, **kwargs)

    def source_text(self, *args, **kwargs):
        return self.front_matter.source_text(*args, **kwargs)

    def line_of(self, *args, **kwargs):
        return self.front_matter.line_of(*args, **kwargs)

    def set(self, *args, **kwargs):
        return self.front_matter.set(*args, **kwargs)

    def set_in(self, *args, **kwargs):
        return self.front_matter.set_in(*args, **kwargs)

    def add_to_list(self, *args, **kwargs):
        return self.front_matter.add_to_list(*args, **kwargs)

    def to_list(self, *args, **kwargs):
        return self.front_matter.to_list(*args, **kwargs)

    def remove_in(self, *args, **kwargs):
        return self.front_matter.remove_in(*args, **kwargs)

    def add_log(self, *args, **kwargs):
        return self._writable_body().add_log(*args, **kwargs)

    def add_log_in_order(self, *args, **kwargs):
        return self._writable_body().add_log_in_order(*args, **kwargs)

    def add_logs_in_order(self, *args, **kwargs):
        return self._writable_body().add_logs_in_order(*args, **kwargs)

    def add_task(self, *args, **kwargs):
        return self._writable_body().add_task(*args, **kwargs)

    def structure(self, *args, **kwargs):
        return self.body_editor.structure(*args, **kwargs)

    def body_line(self, *args, **kwargs):
        return self.body_editor.body_line(*args, **kwargs)

    def replace_body_line(self, *args, **kwargs):
        return self.body_editor.replace_body_line(*args, **kwargs)

    def rewrite_mentions(self, *args, **kwargs):
        return self.body_editor.rewrite_mentions(*args, **kwargs)

    def unlink_mentions(self, *args, **kwargs):
        return self.body_editor.unlink_mentions(*args, **kwargs)


def _without(data: Any, path: Path_) -> Any:
    """A copy of `data` without the value at `path`: what the front matter
    must read as after `Document.remove_in(path)`."""
    import copy

    result = copy.deepcopy(data)
    node = result
    for part in path[:-1]:
        node = node[part]
    del node[path[-1]]
    return result


def _nest(path: Path_, value: Any) -> Any:
    for part in reversed(path):
        if isinstance(part, int):
            raise WriteError("cannot create a list item by index")
        value = {part: value}
    return value


# -- changes ---------------------------------------------------------------


@dataclass
class Change:
    """One file's planned change. `old_bytes` is None for a new file;
    `new_path` is set when the file is also renamed. `root` only shortens
    the names shown in diffs and summaries."""

    path: Path
    old_bytes: bytes | None
    new_bytes: bytes
    summary: list[str] = field(default_factory=list)
    new_path: Path | None = None
    root: Path | None = None

    def _show(self, path: Path) -> str:
        if self.root is not None:
            try:
                return path.resolve().relative_to(self.root.resolve()).as_posix()
            except ValueError:
                pass
        return path.as_posix()

    @property
    def name(self) -> str:
        return self._show(self.path)

    @property
    def new_name(self) -> str:
        return self._show(self.new_path or self.path)


def _text_lines(data: bytes | None) -> list[str]:
    if data is None:
        return []
    text = data.decode("utf-8-sig", errors="replace")
    return [line.rstrip("\r\n") for line in split_lines(text)]


def unified_diff(change: Change) -> str:
    """The change as a unified diff (`--- a/people/x.md` / `+++ b/...`)."""
    old = "/dev/null" if change.old_bytes is None else f"a/{change.name}"
    new = f"b/{change.new_name}"
    lines = list(
        difflib.unified_diff(
            _text_lines(change.old_bytes), _text_lines(change.new_bytes), old, new, lineterm=""
        )
    )
    if not lines and change.new_path is not None:
        lines = [f"--- {old}", f"+++ {new}"]
    return "".join(line + "\n" for line in lines)


def apply(changes: Iterable[Change], dry_run: bool) -> str:
    """With dry_run, the diff of every change and nothing written. Otherwise
    each file is written atomically (a renamed one is renamed first, then
    written), after checking it has not changed on disk since it was read."""
    if dry_run:
        return "".join(unified_diff(change) for change in changes)
    # Iterated lazily, so a progress bar wrapped around `changes` moves as
    # each file is written.
    for change in changes:
        _apply_one(change)
    return ""


def apply_many(changes: Iterable[Change], on_written: Callable[[Change], None] | None = None) -> list[tuple[Change, str]]:
    """Write many files (an import touching thousands), each atomically and
    only if unchanged since it was read, as `apply` does, with the disk's
    costs shared: the temporary files are flushed to disk together (fsync
    calls overlap in threads) and each folder is flushed once, after its
    renames, instead of twice per file. Every folder's lock is held
    throughout. A file that changed meanwhile, or cannot be written, is
    left as it was and returned with why; the others are written.
    `on_written(change)` is called as each is renamed into place."""
    import concurrent.futures

    ordered = list(changes)
    if any(c.new_path is not None for c in ordered):
        raise WriteError("apply_many does not rename files; use apply")
    failed: list[tuple[Change, str]] = []
    folders = sorted({os.path.realpath(os.path.dirname(os.path.abspath(c.path))) for c in ordered})
    with contextlib.ExitStack() as stack:
        for folder in folders:
            stack.enter_context(write_lock(Path(folder) / "x"))
        staged: list[tuple[Change, str, int]] = []
        try:
            for change in ordered:
                try:
                    _check_unchanged(change)
                    if change.old_bytes is not None and change.new_bytes == change.old_bytes:
                        continue
                    staged.append((change, *_stage(change)))
                except (WriteError, OSError) as exc:
                    failed.append((change, getattr(exc, "strerror", None) or str(exc)))

            def flush(item: tuple[Change, str, int]) -> None:
                os.fsync(item[2])

            with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
                results = list(pool.map(_quietly(flush), staged))
            for (change, tmp, fd), problem in zip(staged, results):
                os.close(fd)
                if problem is not None:
                    os.unlink(tmp)
                    failed.append((change, problem))
                    continue
                try:
                    os.replace(tmp, change.path)
                except OSError as exc:
                    os.unlink(tmp)
                    failed.append((change, exc.strerror or str(exc)))
                    continue
                if on_written is not None:
                    on_written(change)
            staged = []
        finally:
            for _change, tmp, fd in staged:  # an exception midway: no stray temporary files
                with contextlib.suppress(OSError):
                    os.close(fd)
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
        for folder in folders:
            _fsync_folder(Path(folder))
    return failed


def _quietly(func: Callable) -> Callable:
    def run(item):  # returns why it failed, or None
        try:
            func(item)
        except OSError as exc:
            return exc.strerror or str(exc)
        return None

    return run


def _stage(change: Change) -> tuple[str, int]:
    """A temporary file beside `change.path` holding the new bytes (not yet
    flushed), with the file's mode; (its path, an open descriptor)."""
    path = Path(change.path)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        view = memoryview(change.new_bytes)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fchmod(fd, mode)
    except BaseException:
        os.close(fd)
        os.unlink(tmp)
        raise
    return tmp, fd


def _apply_one(change: Change) -> None:
    # The check that the file is as it was read, and the write, happen
    # under the lock: no other kith writer can slip in between them.
    with write_lock(change.path):
        _check_and_write(change)


def _check_and_write(change: Change) -> None:
    path = change.path
    if change.old_bytes is None:
        if path.exists():
            raise WriteError(f"{change.name} already exists")
    else:
        try:
            current = path.read_bytes()
        except FileNotFoundError:
            raise WriteError(f"{change.name} has gone since it was read; nothing written to it") from None
        if current != change.old_bytes:
            raise WriteError(f"{change.name} changed on disk since it was read; run the command again")
    target = change.new_path or path
    if change.new_path is not None and change.new_path != path:
        if change.new_path.exists() and not _same_file(path, change.new_path):
            raise WriteError(f"cannot rename {change.name}: {change.new_name} already exists")
        os.replace(path, change.new_path)
    if change.old_bytes is None or change.new_bytes != change.old_bytes:
        atomic_write(target, change.new_bytes)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


# -- several files, all or nothing ------------------------------------------


@dataclass
class Removal(Change):
    """A file to delete (`kith merge` removes the person merged away);
    `new_bytes` is unused. `apply_all` deletes after every write succeeded."""


def diff_all(changes: Iterable[Change]) -> str:
    """The diff of every change, a removal shown as going to /dev/null."""
    out = []
    for change in changes:
        if isinstance(change, Removal):
            lines = list(
                difflib.unified_diff(
                    _text_lines(change.old_bytes), [], f"a/{change.name}", "/dev/null", lineterm=""
                )
            ) or [f"--- a/{change.name}", "+++ /dev/null"]
            out.append("".join(line + "\n" for line in lines))
        else:
            out.append(unified_diff(change))
    return "".join(out)


def apply_all(changes: list[Change], remove: Callable[[Path], None] | None = None) -> None:
    """Write every change or, in effect, none: every file is first checked
    to hold what it was planned from; then each is written atomically, and
    removals (through `remove`, default os.unlink) come last. When any step
    fails, the files already written are put back as they were, new files
    are removed and renames undone, and the error is raised. Only a second
    failure while putting back (a disk that just filled) can leave a file
    changed; the WriteError then names it."""
    ordered = [c for c in changes if not isinstance(c, Removal)] + [c for c in changes if isinstance(c, Removal)]
    # Every folder's lock for the whole of it (in one order, so two such
    # commands cannot wait on each other): the checks and the writes are
    # one step for any other kith writer.
    folders = sorted({os.path.realpath(os.path.dirname(os.path.abspath(c.path))) for c in ordered})
    with contextlib.ExitStack() as stack:
        for folder in folders:
            stack.enter_context(write_lock(Path(folder) / "x"))
        _apply_all_locked(ordered, remove)


def _apply_all_locked(ordered: list[Change], remove: Callable[[Path], None] | None) -> None:
    for change in ordered:
        _check_unchanged(change)
    done: list[Change] = []
    try:
        for change in ordered:
            if isinstance(change, Removal):
                (remove or os.unlink)(change.path)
            else:
                _apply_one(change)
            done.append(change)
    except BaseException as exc:
        unrestored = []
        for change in reversed(done):
            try:
                _undo(change)
            except OSError as undo_error:
                unrestored.append(f"{change.name} ({undo_error.strerror or undo_error})")
        if unrestored:
            raise WriteError(
                f"{exc}; and could not put back {', '.join(unrestored)}: restore with git"
            ) from exc
        raise


def _check_unchanged(change: Change) -> None:
    if change.old_bytes is None:
        if change.path.exists():
            raise WriteError(f"{change.name} already exists")
        return
    try:
        current = change.path.read_bytes()
    except FileNotFoundError:
        raise WriteError(f"{change.name} has gone since it was read; nothing written") from None
    if current != change.old_bytes:
        raise WriteError(f"{change.name} changed on disk since it was read; nothing written, run the command again")


def _undo(change: Change) -> None:
    if change.old_bytes is None:
        os.unlink(change.path)
        return
    if change.new_path is not None and change.new_path != change.path:
        atomic_write(change.new_path, change.old_bytes)
        os.replace(change.new_path, change.path)
        return
    atomic_write(change.path, change.old_bytes)
