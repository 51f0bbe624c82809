"""From bytes to front matter and body: decoding, splitting, safe YAML.

Pure functions of the file's bytes; every problem is returned as a
`(line, code, message)` triple so the caller can name the file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from . import grammar

try:  # libyaml: about 8x faster than the pure-Python parser
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

MAX_FRONT_MATTER = 256 * 1024  # bytes of YAML; a contact's is a few hundred
MAX_EXPANDED_NODES = 20_000  # what aliases may expand to (alias bombs)

Problem = tuple[int, str, str]  # (line, code, message)


class InvalidDate(str):
    """A scalar YAML took for a date but that is no real day (2026-02-30)."""


def _timestamp(loader: SafeConstructor, node: yaml.Node) -> Any:
    try:
        value = SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return InvalidDate(node.value)
    if isinstance(value, dt.datetime):
        return value.date()
    return value


MAX_NUMBER_CHARS = 64
"""A plain scalar longer than this that YAML would read as a number stays
text: Python refuses to print integers of over 4,300 digits (and a hex
number of 20,000 digits is one), and no contact field needs such a number."""


class LongNumber(str):
    """A plain scalar YAML would have made a number too long to use."""


def _int(loader: SafeConstructor, node: yaml.Node) -> Any:
    if len(node.value) > MAX_NUMBER_CHARS:
        return LongNumber(node.value)
    return SafeConstructor.construct_yaml_int(loader, node)


def _float(loader: SafeConstructor, node: yaml.Node) -> Any:
    if len(node.value) > MAX_NUMBER_CHARS:
        return LongNumber(node.value)
    return SafeConstructor.construct_yaml_float(loader, node)


class KithLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loading, with impossible dates kept as `InvalidDate` instead of
    raising (PyYAML raises a bare ValueError with no line), and numbers too
    long to use kept as their text (`LongNumber`)."""


KithLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
KithLoader.add_constructor("tag:yaml.org,2002:int", _int)
KithLoader.add_constructor("tag:yaml.org,2002:float", _float)


@dataclass(frozen=True)
class Scalar:
    """A plain (unquoted) scalar that YAML turned into something not a string."""

    raw: str
    value: Any
    line: int


@dataclass
class FrontMatter:
    data: Any
    lines: dict[tuple, int] = field(default_factory=dict)  # path -> file line
    scalars: dict[tuple, Scalar] = field(default_factory=dict)  # path -> raw
    duplicates: list[tuple[tuple, int]] = field(default_factory=list)  # (path, line)


@dataclass
class SplitFile:
    text: str  # decoded, without BOM, with \n line endings
    yaml_text: str | None  # None when there is no front matter
    yaml_first_line: int  # file line of the first YAML line
    body: str
    body_first_line: int


def decode(raw: bytes) -> tuple[str | None, Problem | None]:
    """UTF-8 (with or without BOM), any line endings -> text with `\\n`."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return None, (
            line,
            "encoding",
            f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded; "
            "save the file as UTF-8",
        )
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, None


def split(text: str) -> tuple[SplitFile | None, Problem | None]:
    """Separate `---` front matter from the body."""
    lines = text.split("\n")
    if not grammar.opens_front_matter(lines[0]):
        return None, (
            1,
            "frontmatter-missing",
            "no front matter: the file must start with a line `---`, "
            "then `name: ...`, then `---`",
        )
    index = grammar.front_matter_end(lines)
    if index is not None:
        yaml_text = "\n".join(lines[1:index]) + "\n"
        body = "\n".join(lines[index + 1 :])
        return (
            SplitFile(text=text, yaml_text=yaml_text, yaml_first_line=2, body=body, body_first_line=index + 2),
            None,
        )
    return None, (
        1,
        "frontmatter-unclosed",
        "front matter is never closed: add a line `---` after the last key",
    )


def _expanded_size(node: yaml.Node, memo: dict[int, int], active: set[int]) -> int:
    key = id(node)
    if key in memo:
        return memo[key]
    if key in active:
        raise RecursionError
    active.add(key)
    size = 1
    if isinstance(node, yaml.SequenceNode):
        for child in node.value:
            size += _expanded_size(child, memo, active)
    elif isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            size += _expanded_size(k, memo, active) + _expanded_size(v, memo, active)
    active.discard(key)
    memo[key] = size
    return size


def _collect(node: yaml.Node, path: tuple, first_line: int, fm: FrontMatter, depth: int) -> None:
    """Record the line of every key and item, and plain scalars YAML retyped."""
    if isinstance(node, yaml.MappingNode):
        seen: set = set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            child = path + (key,)
            if key in seen:
                fm.duplicates.append((child, first_line + key_node.start_mark.line))
            seen.add(key)
            fm.lines[child] = first_line + key_node.start_mark.line
            if depth < 4:
                _collect(value_node, child, first_line, fm, depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = path + (index,)
            fm.lines[child] = first_line + item.start_mark.line
            if depth < 4:
                _collect(item, child, first_line, fm, depth + 1)
    elif isinstance(node, yaml.ScalarNode):
        # Plain style is None in PyYAML and "" in libyaml.
        if not node.style and node.tag != "tag:yaml.org,2002:str":
            fm.scalars[path] = Scalar(node.value, None, first_line + node.start_mark.line)


def _fill_values(data: Any, fm: FrontMatter) -> None:
    for path, scalar in list(fm.scalars.items()):
        value: Any = data
        try:
            for part in path:
                value = value[part]
        except (KeyError, IndexError, TypeError):
            continue
        fm.scalars[path] = Scalar(scalar.raw, value, scalar.line)


def load_yaml(yaml_text: str, first_line: int) -> tuple[FrontMatter | None, Problem | None]:
    """Safe-load the front matter; hostile or broken YAML becomes a Problem."""
    if len(yaml_text.encode("utf-8")) > MAX_FRONT_MATTER:
        return None, (
            first_line,
            "yaml-too-large",
            f"front matter is over {MAX_FRONT_MATTER // 1024} KiB; "
            "move long text into the body",
        )
    loader = KithLoader(yaml_text)
    try:
        node = loader.get_single_node()
        if node is None:
            return FrontMatter(data=None), None
        if "&" in yaml_text:
            try:
                size = _expanded_size(node, {}, set())
            except RecursionError:
                size = MAX_EXPANDED_NODES + 1
            if size > MAX_EXPANDED_NODES:
                return None, (
                    first_line,
                    "yaml-aliases",
                    "front matter refused: its aliases (*name) expand to more than "
                    f"{MAX_EXPANDED_NODES} values",
                )
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        last = yaml_text.rstrip("\n").count("\n")  # 0-based index of the last YAML line
        if mark and mark.line > last:
            # Found at the end of the YAML (an unclosed `[`, `{` or quote): point
            # at where the construct began, not at the closing `---`.
            mark = exc.context_mark if exc.context_mark and exc.context_mark.line <= last else None
            mark = mark or yaml.Mark("", 0, last, 0, None, None)
        line = first_line + (mark.line if mark else 0)
        problem = (exc.problem or "invalid YAML").strip()
        if isinstance(exc, yaml.constructor.ConstructorError) and "tag" in problem:
            return None, (
                line,
                "yaml-tag",
                f"front matter refused: {problem} (kith reads plain YAML only)",
            )
        context = ""
        if exc.context:
            context = f" {exc.context}"
            if exc.context_mark and exc.context_mark.line != (mark.line if mark else -1):
                context += f" (from line {first_line + exc.context_mark.line})"
            context += ":"
        return None, (line, "yaml-syntax", f"YAML syntax error:{context} {problem}")
    except yaml.YAMLError as exc:
        return None, (first_line, "yaml-syntax", f"YAML error: {exc}")
    except RecursionError:
        return None, (first_line, "yaml-aliases", "front matter refused: nested too deeply")
    finally:
        loader.dispose()
    fm = FrontMatter(data=data)
    _collect(node, (), first_line, fm, 0)
    if fm.scalars:
        _fill_values(data, fm)
    return fm, None
