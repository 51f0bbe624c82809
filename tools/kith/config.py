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
from typing import Any

from .freshness import RACY_NS, stat_key

# PyYAML is imported only to read mkdocs.yml when it changed (see
# read_settings): importing it is a good part of a quick command's time.

DEFAULT_GIVING = ("intro", "favour", "favor", "gift", "shared", "share", "help", "advice", "referral")
DEFAULT_ASKING = ("ask", "request")


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


def settings_from_mapping(options: dict[str, Any]) -> Settings:
    """Plugin options (as in mkdocs.yml) -> Settings; unknown keys ignored."""
    known = {f.name for f in fields(Settings)}
    values: dict[str, Any] = {}
    for key, value in options.items():
        if key not in known or value is None:
            continue
        if key in ("giving_kinds", "asking_kinds"):
            value = tuple(str(v).lower() for v in value)
        elif key == "today" and not isinstance(value, dt.date):
            value = dt.date.fromisoformat(str(value)) if str(value).strip() else None
        values[key] = value
    return Settings(**values)


def read_settings(root: Path) -> Settings:
    """The `kith` plugin options from `root/mkdocs.yml`, or the defaults.

    What was read is kept in `.kith-cache/settings.json` while mkdocs.yml's
    stat key is unchanged (and it was not changed within the racy window
    of being read), so that a quick command need not parse YAML."""
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

    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_tolerant_loader()) or {}
    except (yaml.YAMLError, OSError, UnicodeDecodeError):
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    for entry in data.get("plugins") or []:
        if isinstance(entry, dict) and isinstance(entry.get("kith"), dict):
            return settings_from_mapping(entry["kith"])
    return Settings()


_KEPT = ".kith-cache/settings.json"
_TEXTS = ("giving_kinds", "asking_kinds")
_NUMBERS = ("within", "limit", "met_window", "met_followup", "intro_followup")


def _as_json(settings: Settings) -> dict[str, Any] | None:
    """Settings as JSON, or None when a value is not of its declared type
    (what mkdocs.yml said is then read again each time, as it was)."""
    data: dict[str, Any] = {}
    for f in fields(Settings):
        value = getattr(settings, f.name)
        if f.name == "today":
            if value is not None and type(value) is not dt.date:
                return None
            value = value.isoformat() if value is not None else None
        elif f.name in _TEXTS:
            if not all(type(v) is str for v in value):
                return None
            value = list(value)
        elif f.name in _NUMBERS:
            if type(value) is not int:
                return None
        elif not (type(value) is str or (value is None and f.name == "default_region")):
            return None
        data[f.name] = value
    return data


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
        if type(kept) is not dict or kept.get("key") != key or type(kept.get("settings")) is not dict:
            return None
        data = kept["settings"]
        if set(data) != {f.name for f in fields(Settings)}:
            return None
        settings = Settings(
            **{
                **data,
                "today": dt.date.fromisoformat(data["today"]) if data["today"] is not None else None,
                "giving_kinds": tuple(data["giving_kinds"]),
                "asking_kinds": tuple(data["asking_kinds"]),
            }
        )
        return settings if _as_json(settings) == data else None
    except (OSError, ValueError, TypeError):
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
            json.dump({"key": key, "settings": data}, handle)
        os.replace(tmp, target)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
