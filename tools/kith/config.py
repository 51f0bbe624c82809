"""Settings shared by the CLI and the plugin.

The CLI reads them from the `kith` entry of `plugins:` in mkdocs.yml, so a user
configures kith once; the plugin passes its typed config in. Both end up here.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import stat as st
import time
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Callable

from .freshness import RACY_NS, stat_key

# PyYAML is imported only to read mkdocs.yml when it changed (see
# read_settings): importing it is a good part of a quick command's time.

DEFAULT_GIVING = ("intro", "favour", "favor", "gift", "shared", "share", "help", "advice", "referral")
DEFAULT_ASKING = ("ask", "request")
# Kinds of log entry that are an interaction with everyone the entry
# mentions, not only with the person whose file (or journal note) holds it.
# Not `intro`, `ask` or `shared`: the person such an entry mentions is who
# was introduced, asked about or shared about, which is no contact with
# them (an intro already asks, two weeks on, how it went). Add `intro` when
# your introductions are emails to both. docs/reference/capture.md.
DEFAULT_CONTACT_KINDS = (
    "meeting", "meet", "met", "call", "phone", "video", "coffee", "tea", "breakfast", "lunch",
    "dinner", "drinks", "meal", "visit", "party", "event", "walk", "chat", "email", "message",
    "text", "letter",
)
MKDOCS_EXTENSIONS = ("toc", "tables", "fenced_code")  # MkDocs always adds these


@dataclass(frozen=True)
class Settings:
    people_dir: str = "people"
    giving_kinds: tuple[str, ...] = DEFAULT_GIVING
    asking_kinds: tuple[str, ...] = DEFAULT_ASKING
    today: dt.date | None = None  # None: the real date (or KITH_TODAY)
    within: int = 7  # days ahead that count as "due soon"
    limit: int = 0  # 0: no limit on the daily list
    default_region: str | None = None  # for phone numbers without +country
    met_window: int = 30  # days after meeting someone that "follow up" applies
    met_followup: int = 2  # days after meeting that the follow-up is due
    intro_followup: int = 14  # days after an intro to ask how it went
    # Raw HTML in notes reaches the site as written (scripts included)
    # instead of sanitized: for people who write their own widgets.
    raw_html: bool = False
    # How the site renders Markdown (mkdocs.yml's `markdown_extensions`, with
    # MkDocs' own three first), for what kith renders without MkDocs
    # (`kith render`); options as JSON, so that Settings stays hashable.
    markdown_extensions: tuple[str, ...] = MKDOCS_EXTENSIONS
    markdown_options: str = "{}"
    # Where a contact file is edited online: this followed by its path from
    # the repository's root (from mkdocs.yml's repo_url and edit_uri); "" for
    # no edit links.
    edit_root: str = ""
    # Capture (docs/reference/capture.md): which kinds of entry count as
    # contact for the people they mention; the journal folder ("" or null:
    # no journal); the user's own email addresses; the kinds imports write.
    contact_kinds: tuple[str, ...] = DEFAULT_CONTACT_KINDS
    journal_dir: str = "journal"
    me: tuple[str, ...] = ()
    meeting_kind: str = "meeting"
    email_kind: str = "email"
    # The calendar feed's alarms: the time of day (None: no alarms) and how
    # many days before a birthday it rings (follow-ups ring on their day).
    alarm_time: dt.time | None = dt.time(9, 0)
    birthday_alarm_days: int = 1

    def resolved_today(self) -> dt.date:
        if self.today is not None:
            return self.today
        env = os.environ.get("KITH_TODAY")
        if env:
            return dt.date.fromisoformat(env.strip())
        return dt.date.today()

    def with_overrides(self, **changes: Any) -> "Settings":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def _tolerant_loader() -> type:
    import yaml

    class TolerantLoader(yaml.SafeLoader):
        """mkdocs.yml may hold `!ENV` and `!!python/name:` tags: read them as null."""

    def ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
        return None

    TolerantLoader.add_multi_constructor("!", ignore_tag)
    TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", ignore_tag)
    return TolerantLoader


class SettingsError(ValueError):
    """An option in mkdocs.yml's `kith` entry has a value kith cannot use."""

    def __init__(self, key: str, message: str) -> None:
        self.key = key
        super().__init__(f"{key}: {message}")


NO_ALARM = ("false", "off", "no", "none")

MAX_ALARM_DAYS = 366


def parse_alarm_time(value: Any) -> dt.time | None:
    """`alarm_time` as written in mkdocs.yml -> a time of day, or None for no
    alarms (`false`, `off`).

    YAML 1.1 (PyYAML, MkDocs) reads an unquoted `9:00` or `10:30` as a number
    in base 60 (540, 630): minutes since midnight, taken as such.
    """
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    if value is False:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        if 0 <= value < 24 * 60:
            return dt.time(value // 60, value % 60)
        raise SettingsError("alarm_time", f"{value} is not a time of day; write it as \"HH:MM\", e.g. \"09:00\"")
    text = str(value).strip()
    if text.casefold() in NO_ALARM:
        return None
    hours, sep, minutes = text.partition(":")
    if sep and hours.isdigit() and minutes.isdigit() and len(hours) <= 2 and len(minutes) == 2:
        if int(hours) < 24 and int(minutes) < 60:
            return dt.time(int(hours), int(minutes))
    shown = text if len(text) <= 40 else text[:40] + "..."
    raise SettingsError(
        "alarm_time", f"{shown!r} is not a time of day; write it as \"HH:MM\" (e.g. \"09:00\"), or false for no alarms"
    )


def parse_alarm_days(value: Any) -> int:
    """`birthday_alarm_days`: a whole number of days, 0 (on the day) to 366."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_ALARM_DAYS:
        raise SettingsError(
            "birthday_alarm_days", f"{value!r} is not a number of days from 0 (on the day) to {MAX_ALARM_DAYS}"
        )
    return value


_DAYS = ("within", "met_window", "met_followup", "intro_followup")
_MAX_DAYS = 36_500  # a hundred years: beyond it a date overflows


def settings_from_mapping(options: dict[str, Any]) -> Settings:
    """Plugin options (as in mkdocs.yml) -> Settings; unknown keys ignored.

    Raises SettingsError for an option kith cannot use (the plugin's own
    config schema says the same to `mkdocs build`; the commands read the
    file themselves)."""
    known = {f.name for f in fields(Settings)}
    values: dict[str, Any] = {}
    for key, value in options.items():
        if key not in known or value is None:
            continue
        if key in ("giving_kinds", "asking_kinds", "contact_kinds"):
            value = tuple(str(v).lower() for v in _as_list(value))
        elif key == "me":
            value = tuple(str(v).strip().lower() for v in _as_list(value) if str(v).strip())
        elif key in ("meeting_kind", "email_kind"):
            value = str(value).strip().lower() or getattr(Settings, key)
        elif key == "journal_dir":
            value = "" if value is False else str(value).strip().strip("/")
        elif key == "today" and not isinstance(value, dt.date):
            try:
                value = dt.date.fromisoformat(str(value)) if str(value).strip() else None
            except ValueError:
                raise SettingsError(key, f"{value!r} is not a date; write it as YYYY-MM-DD") from None
        elif key in _DAYS:
            if type(value) is not int or not 0 <= value <= _MAX_DAYS:
                raise SettingsError(key, f"{value!r} is not a number of days (a whole number from 0 to {_MAX_DAYS:,})")
        elif key == "limit":
            if type(value) is not int or value < 0:
                raise SettingsError(key, f"{value!r} is not a whole number (0: no limit)")
        elif key == "raw_html":
            if type(value) is not bool:
                raise SettingsError(key, f"{value!r} is not true or false")
        elif key in ("people_dir", "default_region", "edit_root") and not isinstance(value, str):
            raise SettingsError(key, f"{value!r} is not text")
        elif key == "alarm_time":
            value = parse_alarm_time(value)
            if value is None:
                values[key] = None  # no alarms: None here is a choice, not "unset"
                continue
        elif key == "birthday_alarm_days":
            value = parse_alarm_days(value)
        values[key] = value
    return Settings(**values)


def _as_list(value: Any) -> list:
    """A list option written as one value (`me: me@example.org`) is a list of it."""
    return list(value) if isinstance(value, (list, tuple)) else [value]


def read_settings(root: Path) -> Settings:
    """The `kith` plugin options from `root/mkdocs.yml`, or the defaults.

    What was read is kept in `.kith-cache/settings.json` while mkdocs.yml's
    stat key is unchanged (and it was not changed within the racy window
    of being read), so that a quick command need not parse YAML.

    Raises SettingsError for an option kith cannot read."""
    path = root / "mkdocs.yml"
    try:
        info = os.stat(path)
    except OSError:
        return Settings()
    if not st.S_ISREG(info.st_mode):
        return Settings()
    key = list(stat_key(info))
    kept = _kept_settings(root, key)
    if kept is not None:
        return kept
    settings = _parse_settings(path)
    _keep_settings(root, key, settings)
    return settings


def _parse_settings(path: Path) -> Settings:
    import yaml

    root = path.parent
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_tolerant_loader()) or {}
    except (yaml.YAMLError, OSError, UnicodeDecodeError):
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    settings = Settings()
    for entry in data.get("plugins") or []:
        if isinstance(entry, dict) and isinstance(entry.get("kith"), dict):
            settings = settings_from_mapping(entry["kith"])
            break
    extensions, options = markdown_config(data.get("markdown_extensions"))
    edit = edit_root(data.get("repo_url"), data.get("edit_uri"), root / str(data.get("docs_dir") or "docs"), root)
    return replace(settings, markdown_extensions=extensions, markdown_options=options, edit_root=edit)


def edit_root(repo_url: Any, edit_uri: Any, docs_dir: Path, root: Path) -> str:
    """The URL under which the files of `root` are edited, from mkdocs.yml's
    `repo_url` and `edit_uri` (which points at `docs_dir`): "" unless both
    are set. `edit_uri: edit/main/docs/` with docs/ in the repository's root
    gives `<repo_url>/edit/main/`, and a person's link adds `people/ada.md`."""
    if not isinstance(repo_url, str) or not isinstance(edit_uri, str) or not repo_url or not edit_uri:
        return ""
    if not repo_url.startswith(("https://", "http://")):
        return ""
    from urllib.parse import urljoin

    docs_url = urljoin(repo_url.rstrip("/") + "/", edit_uri.rstrip("/") + "/")
    up = os.path.relpath(root, docs_dir).replace(os.sep, "/")
    return docs_url if up == "." else urljoin(docs_url, up.rstrip("/") + "/")


def markdown_config(entries: Any, options: dict | None = None) -> tuple[tuple[str, ...], str]:
    """mkdocs.yml's `markdown_extensions` (names, or `{name: options}`) as
    Settings holds them: names after MkDocs' own, options as JSON."""
    names = list(MKDOCS_EXTENSIONS)
    configs: dict[str, Any] = dict(options or {})
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, str):
            name, config = entry, None
        elif isinstance(entry, dict) and len(entry) == 1:
            name, config = next(iter(entry.items()))
        else:
            continue
        if not isinstance(name, str):
            continue
        if name not in names:
            names.append(name)
        if isinstance(config, dict):
            configs[name] = config
    return tuple(names), json.dumps(configs, sort_keys=True, default=str)


_KEPT = ".kith-cache/settings.json"

# How each field of Settings is kept as JSON, by its declared type: (the
# value -> JSON, JSON -> the value), each raising TypeError or ValueError
# for a value not of that type. A field whose type is not here is never
# kept (a test checks every field is).


def _exactly(kind: type) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if type(value) is not kind:
            raise TypeError(kind.__name__)
        return value

    return check


def _optional(codec: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else codec(value)


def _texts_out(value: Any) -> list[str]:
    if type(value) is not tuple:
        raise TypeError("tuple")
    return [_exactly(str)(v) for v in value]


def _texts_in(value: Any) -> tuple[str, ...]:
    if type(value) is not list:
        raise TypeError("list")
    return tuple(_exactly(str)(v) for v in value)


def _date_out(value: Any) -> str:
    return _exactly(dt.date)(value).isoformat()


def _date_in(value: Any) -> dt.date:
    return dt.date.fromisoformat(_exactly(str)(value))


def _time_out(value: Any) -> str:
    return _exactly(dt.time)(value).isoformat()


def _time_in(value: Any) -> dt.time:
    return dt.time.fromisoformat(_exactly(str)(value))


_CODECS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "str": (_exactly(str), _exactly(str)),
    "str | None": (_optional(_exactly(str)), _optional(_exactly(str))),
    "int": (_exactly(int), _exactly(int)),
    "bool": (_exactly(bool), _exactly(bool)),
    "tuple[str, ...]": (_texts_out, _texts_in),
    "dt.date | None": (_optional(_date_out), _optional(_date_in)),
    "dt.time | None": (_optional(_time_out), _optional(_time_in)),
}


def _codec(f: Any) -> tuple[Callable[[Any], Any], Callable[[Any], Any]] | None:
    return _CODECS.get(f.type if isinstance(f.type, str) else getattr(f.type, "__name__", ""))


def _writer() -> str:
    """Which kith kept the settings: its version and a checksum of this
    module (which says what each setting means and how it is read). Kept
    settings from any other kith (an older one, a newer one) are read again
    from mkdocs.yml, never trusted."""
    import zlib

    from . import __version__

    try:
        source = Path(__file__).read_bytes()
    except OSError:
        return ""
    return f"{__version__}:{zlib.crc32(source):08x}:{len(source)}"


def _as_json(settings: Settings) -> dict[str, Any] | None:
    """Settings as JSON, or None when a value is not of its declared type
    (what mkdocs.yml said is then read again each time, as it was)."""
    data: dict[str, Any] = {}
    for f in fields(Settings):
        codec = _codec(f)
        if codec is None:
            return None
        try:
            data[f.name] = codec[0](getattr(settings, f.name))
        except (TypeError, ValueError):
            return None
    return data


def _from_json(data: dict[str, Any]) -> Settings:
    values = {}
    for f in fields(Settings):
        codec = _codec(f)
        if codec is None:
            raise TypeError(f.name)
        values[f.name] = codec[1](data[f.name])
    return Settings(**values)


def _kept_settings(root: Path, key: list[int]) -> Settings | None:
    """The settings kept for this mkdocs.yml, checked value by value."""
    try:
        fd = os.open(root / _KEPT, os.O_RDONLY | os.O_NOFOLLOW)
        try:
            info = os.fstat(fd)
            if not st.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_size > 65536:
                return None
            raw = os.read(fd, 65537)
        finally:
            os.close(fd)
        kept = json.loads(raw)
        if type(kept) is not dict or set(kept) != {"key", "root", "writer", "settings"}:
            return None
        if kept["key"] != key or kept["root"] != str(root) or type(kept["settings"]) is not dict:
            return None
        data = kept["settings"]
        if set(data) != {f.name for f in fields(Settings)}:
            return None
        if kept["writer"] != _writer():
            return None
        settings = _from_json(data)
        return settings if _as_json(settings) == data else None
    except (OSError, ValueError, TypeError, KeyError, RecursionError):
        return None


def _keep_settings(root: Path, key: list[int], settings: Settings) -> None:
    data = _as_json(settings)
    mtime, _, ctime, _ = key
    if data is None or time.time_ns() - max(mtime, ctime) <= RACY_NS:
        return  # changed just now: it may change again within the same tick
    folder = root / ".kith-cache"
    if not folder.is_dir() or folder.is_symlink():
        return  # the cache folder is made by the cache and the index, not for this
    target = folder / "settings.json"
    tmp = folder / f".settings-{os.getpid()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"key": key, "root": str(root), "writer": _writer(), "settings": data}, handle)
        os.replace(tmp, target)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
