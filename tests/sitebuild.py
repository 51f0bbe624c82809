"""Build a real site with `mkdocs build` in a subprocess, for tests.

    from sitebuild import build_site
    result, site = build_site(repo.root)            # Material theme
    result, site = build_site(repo.root, theme="mkdocs", strict=True)
    assert result.returncode == 0, result.stderr
    html = (site / "people" / "ada" / "index.html").read_text()

`write_config` writes a minimal mkdocs.yml (unless `keep_config=True` and one
exists): `font: false` for Material so nothing is fetched, plugins search and
kith, docs_dir `docs` (created empty if missing); for the built-in `mkdocs`
theme, `highlightjs: false` (else it links highlight.js on a CDN). Nothing is
downloaded.
`site_text(site)` and `site_files(site)` help walk every built file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

MATERIAL = "material"
MKDOCS = "mkdocs"

_THEMES = {
    MATERIAL: "theme:\n  name: material\n  font: false\n",
    # The built-in theme loads highlight.js from cdnjs unless told not to.
    MKDOCS: "theme:\n  name: mkdocs\n  highlightjs: false\n",
}


def write_config(
    root: Path, theme: str = MATERIAL, extra: str = "", kith_options: dict | None = None
) -> Path:
    """Write root/mkdocs.yml for `theme` ("material" or "mkdocs"); `extra` is
    YAML appended as is (top-level keys such as `markdown_extensions:`);
    `kith_options` become the plugin's options (`{"within": 14}`)."""
    (root / "docs").mkdir(parents=True, exist_ok=True)
    kith = "  - kith\n"
    if kith_options:
        kith = "  - kith: " + json.dumps(kith_options) + "\n"  # JSON is YAML
    config = root / "mkdocs.yml"
    config.write_text(
        "site_name: Test network\n"
        "docs_dir: docs\n"
        + _THEMES[theme]
        + "plugins:\n  - search\n"
        + kith
        + extra,
        encoding="utf-8",
    )
    return config


def build_site(
    root: Path,
    theme: str = MATERIAL,
    strict: bool = False,
    keep_config: bool = False,
    extra: str = "",
    kith_options: dict | None = None,
    env: dict[str, str] | None = None,
) -> tuple[subprocess.CompletedProcess, Path]:
    """Run `python -m mkdocs build` in `root`; return (completed process, site dir).

    The site goes to root/site. `strict=True` adds `--strict`. `keep_config`
    keeps an existing mkdocs.yml (the example network's). KITH_TODAY defaults
    to 2026-11-22 so "today" is fixed; pass `env` to add or override variables.
    """
    if not (keep_config and (root / "mkdocs.yml").is_file()):
        write_config(root, theme, extra, kith_options)
    site = root / "site"
    command = [sys.executable, "-m", "mkdocs", "build", "--clean", "--site-dir", str(site)]
    if strict:
        command.append("--strict")
    environment = {**os.environ, "KITH_TODAY": "2026-11-22", "NO_MKDOCS_2_WARNING": "1"}
    environment.update(env or {})
    result = subprocess.run(
        command, cwd=root, capture_output=True, text=True, env=environment, timeout=600
    )
    return result, site


def site_files(site: Path) -> list[Path]:
    """Every file under the built site, sorted."""
    return sorted(p for p in site.rglob("*") if p.is_file())


def site_text(site: Path) -> dict[str, str]:
    """relative path -> text of every text file in the site (binary files skipped)."""
    out: dict[str, str] = {}
    for path in site_files(site):
        try:
            out[path.relative_to(site).as_posix()] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
    return out
