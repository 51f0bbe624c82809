"""Options read from YAML files with the line each value is on: the `kith`
entry of mkdocs.yml and the user's kith config file.

`config.read_settings` reads the follow-up settings and forgives a broken
mkdocs.yml (the site build will say what is wrong with it). Settings a
command cannot do without, such as where to mail the digest, are read here
instead, so a wrong one is reported as `mkdocs.yml:31: error: ...`, naming
the line to fix.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

MAX_OPTIONS_BYTES = 1_000_000
"""A settings file larger than this is refused: it is not one a person wrote."""


@dataclass(frozen=True)
class Located:
    """One option's value and where it was written."""

    value: Any
    path: Path
    line: int  # 1-based

    def where(self, root: Path | None = None) -> str:
        return f"{display_path(self.path, root)}:{self.line}"


class OptionsError(Exception):
    """A settings file kith cannot read, or a value in it it cannot use.
    `str()` is the linter-style line: `path:line: error: message`."""

    def __init__(self, message: str, path: Path | None = None, line: int | None = None, root: Path | None = None):
        self.message = message
        self.path = path
        self.line = line
        where = ""
        if path is not None:
            where = display_path(path, root) + (f":{line}" if line else "") + ": "
        super().__init__(f"{where}error: {message}")


def display_path(path: Path, root: Path | None = None) -> str:
    """`mkdocs.yml` for a file of the repository, the full path otherwise."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


class _ValueLoader(yaml.SafeLoader):
    """Builds plain values from nodes. `!ENV VAR` (as MkDocs reads it) is the
    variable's value; any other tag (`!!python/name:` in a markdown
    extension's options) reads as null: kith runs none of it."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    # MkDocs' rule: `!ENV VAR` or `!ENV [VAR, OTHER, default]`: the first
    # variable that is set; with two items or more the last is the default.
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    elif isinstance(node, yaml.SequenceNode):
        items = [loader.construct_scalar(n) if isinstance(n, yaml.ScalarNode) else None for n in node.value]
        names, default = (items[:-1], items[-1]) if len(items) > 1 else (items, None)
    else:
        return None
    for name in names:
        if isinstance(name, str) and name in os.environ:
            return yaml.safe_load(os.environ[name]) if os.environ[name] else ""
    return yaml.safe_load(default) if isinstance(default, str) else default


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_ValueLoader.add_constructor("!ENV", _env_tag)
_ValueLoader.add_multi_constructor("!", _ignore_tag)
_ValueLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


def _compose(path: Path, root: Path | None) -> yaml.Node | None:
    try:
        size = path.stat().st_size
        if size > MAX_OPTIONS_BYTES:
            raise OptionsError(f"{size} bytes is too large for a settings file", path, root=root)
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise OptionsError("not UTF-8 text", path, root=root) from None
    except OSError as exc:
        raise OptionsError(f"cannot read it: {exc.strerror or exc}", path, root=root) from None
    try:
        # Composing builds the node tree only: no tag is acted on, and every
        # node knows its line. Aliases are refused below (no bomb).
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise OptionsError(f"not valid YAML: {problem}", path, line, root) from None


def _value(node: yaml.Node, path: Path, root: Path | None) -> Any:
    if _has_alias(node, set()):
        raise OptionsError("YAML aliases are not read in kith's settings", path, node.start_mark.line + 1, root)
    loader = _ValueLoader("")
    try:
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise OptionsError(f"cannot read this value: {exc}", path, node.start_mark.line + 1, root) from None
    finally:
        loader.dispose()


def _has_alias(node: yaml.Node, seen: set[int]) -> bool:
    # The composer makes an alias the very node it names: a node met twice.
    if id(node) in seen:
        return True
    seen.add(id(node))
    if isinstance(node, yaml.SequenceNode):
        return any(_has_alias(n, seen) for n in node.value)
    if isinstance(node, yaml.MappingNode):
        return any(_has_alias(k, seen) or _has_alias(v, seen) for k, v in node.value)
    return False


def _get(mapping: yaml.Node | None, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    if not isinstance(mapping, yaml.MappingNode):
        return None
    found = None
    for key_node, value_node in mapping.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            found = (key_node, value_node)  # the last one wins, as in YAML loaders
    return found


def kith_options_node(mkdocs_yml: Path, root: Path | None = None) -> yaml.Node | None:
    """The node of the `kith` plugin's options in mkdocs.yml, if any."""
    if not mkdocs_yml.is_file():
        return None
    document = _compose(mkdocs_yml, root)
    plugins = _get(document, "plugins")
    if plugins is None:
        return None
    entries = plugins[1]
    if isinstance(entries, yaml.SequenceNode):
        for entry in entries.value:
            found = _get(entry, "kith")
            if found is not None:
                return found[1]
    elif isinstance(entries, yaml.MappingNode):  # MkDocs also takes plugins as a mapping
        found = _get(entries, "kith")
        if found is not None:
            return found[1]
    return None


def located_mapping(
    parent: yaml.Node | None, key: str, path: Path, root: Path | None = None
) -> dict[str, Located] | None:
    """The mapping under `key` of `parent`, each value with its line; None
    when `key` is absent; an error when it is there and not a mapping."""
    found = _get(parent, key)
    if found is None:
        return None
    key_node, node = found
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
        return {}
    if not isinstance(node, yaml.MappingNode):
        raise OptionsError(f"{key}: expected a set of `name: value` lines", path, key_node.start_mark.line + 1, root)
    out: dict[str, Located] = {}
    for k, v in node.value:
        line = k.start_mark.line + 1
        if not isinstance(k, yaml.ScalarNode):
            raise OptionsError(f"{key}: a name must be plain text", path, line, root)
        if k.value in out:
            raise OptionsError(f"{key}: {k.value} is given twice", path, line, root)
        out[k.value] = Located(_value(v, path, root), path, line)
    return out


def mkdocs_section(root: Path, key: str) -> dict[str, Located] | None:
    """`plugins: - kith: {key: {...}}` of root/mkdocs.yml, with lines."""
    path = root / "mkdocs.yml"
    node = kith_options_node(path, root)
    return located_mapping(node, key, path, root)


def option_line(root: Path, key: str) -> int | None:
    """The line of `key` among the kith plugin's options in root/mkdocs.yml."""
    try:
        found = _get(kith_options_node(root / "mkdocs.yml", root), key)
    except OptionsError:
        return None
    return found[0].start_mark.line + 1 if found else None


def mkdocs_value(root: Path, key: str) -> Located | None:
    """A top-level key of root/mkdocs.yml (`site_url`, `use_directory_urls`)."""
    path = root / "mkdocs.yml"
    if not path.is_file():
        return None
    found = _get(_compose(path, root), key)
    if found is None:
        return None
    return Located(_value(found[1], path, root), path, found[0].start_mark.line + 1)


def user_config_path(environ: dict[str, str] | None = None) -> Path:
    """The user's kith config file: $KITH_CONFIG, else
    $XDG_CONFIG_HOME/kith/config.yml (~/.config/kith/config.yml), or
    %APPDATA%\\kith\\config.yml on Windows. It may not exist."""
    env = os.environ if environ is None else environ
    if env.get("KITH_CONFIG"):
        return Path(env["KITH_CONFIG"]).expanduser()
    if sys.platform == "win32" and env.get("APPDATA"):
        return Path(env["APPDATA"]) / "kith" / "config.yml"
    base = env.get("XDG_CONFIG_HOME") or str(Path("~/.config").expanduser())
    return Path(base) / "kith" / "config.yml"


def file_section(path: Path, key: str, *, required: bool) -> dict[str, Located] | None:
    """`key: {...}` at the top of a kith config file, with lines. A missing
    file is None unless `required` (the user named it)."""
    if not path.is_file():
        if required:
            raise OptionsError("no such file", path)
        return None
    document = _compose(path, None)
    if document is None:
        return None
    if not isinstance(document, yaml.MappingNode):
        raise OptionsError("expected a set of `name: value` lines (such as `mail:`)", path, 1)
    return located_mapping(document, key, path, None)
