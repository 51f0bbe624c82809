"""`mkdocs serve` rebuilds, driven in-process the way serve drives MkDocs
(the config loaded again for every build, the plugin instance kept): after
an edit, the rebuilt site must be the site a fresh `mkdocs build` of the same
files gives, file for file."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from sitebuild import build_site


def served_build(root: Path, site: Path, started: list) -> list[str]:
    """One build as `mkdocs serve` makes it; returns kith's log lines."""
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site))
    if not started:
        config.plugins.on_startup(command="serve", dirty=False)
        started.append(True)
    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("mkdocs.plugins.kith")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        build(config)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return records


def site_files(site: Path) -> dict[str, bytes]:
    # sitemap.xml.gz holds the time it was compressed; everything else must match.
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and not p.name.endswith(".gz")
    }


@pytest.fixture
def served(example_repo, monkeypatch, tmp_path):
    monkeypatch.setenv("KITH_TODAY", "2026-11-22")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.chdir(example_repo.root)
    site = tmp_path / "served-site"
    started: list = []
    served_build(example_repo.root, site, started)
    return example_repo, site, started


def test_after_a_log_line_the_served_site_is_a_fresh_build_and_few_pages_were_rendered(served):
    repo, site, started = served
    path = repo.root / "people/amara-diallo.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n## Log\n\n- 2026-11-21 call: the numbers slide, again\n", encoding="utf-8")
    messages = served_build(repo.root, site, started)
    assert any("1 changed file(s); rendering" in m for m in messages), messages
    result, fresh = build_site(repo.root, keep_config=True)
    assert result.returncode == 0, result.stderr
    assert site_files(site) == site_files(fresh)
    assert "the numbers slide, again" in (site / "people/amara-diallo/index.html").read_text(encoding="utf-8")


def test_after_a_new_mention_the_served_site_is_a_fresh_build(served):
    repo, site, started = served
    path = repo.root / "people/amara-diallo.md"
    path.write_text(
        path.read_text(encoding="utf-8") + "\n## Log\n\n- 2026-11-21 call: introduced her to [[elena-rossi]]\n",
        encoding="utf-8",
    )
    messages = served_build(repo.root, site, started)
    assert any("rendering all" in m for m in messages), messages
    result, fresh = build_site(repo.root, keep_config=True)
    assert result.returncode == 0, result.stderr
    assert site_files(site) == site_files(fresh)
    elena = (site / "people/elena-rossi/index.html").read_text(encoding="utf-8")
    assert "introduced her to" in elena  # Elena's "Mentioned by" names the new line
