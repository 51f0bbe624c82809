"""`mkdocs serve` rebuilds, driven in-process the way serve drives MkDocs
(the config loaded again for every build, the plugin instance kept): after
an edit, the rebuilt site must be the site a fresh `mkdocs build` of the same
files gives, file for file."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from sitebuild import build_site


def served_build(root: Path, site: Path, started: list, dirty: bool = False) -> list[str]:
    """One build as `mkdocs serve` (`--dirty`) makes it; returns kith's log lines."""
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site))
    if not started:
        config.plugins.on_startup(command="serve", dirty=dirty)
        started.append(True)
    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("mkdocs.plugins.kith")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        build(config, dirty=dirty)
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
    assert any("structure of 1 file(s) changed" in m for m in messages), messages
    result, fresh = build_site(repo.root, keep_config=True)
    assert result.returncode == 0, result.stderr
    assert site_files(site) == site_files(fresh)
    elena = (site / "people/elena-rossi/index.html").read_text(encoding="utf-8")
    assert "introduced her to" in elena  # Elena's "Mentioned by" names the new line


# -- `mkdocs serve --dirty`: only what changed is written, and the site is
#    still a fresh build's, byte for byte, after any sequence of edits --------


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _edit_log_line(root: Path) -> None:
    _append(root / "people/amara-diallo.md", "\n## Log\n\n- 2026-11-21 call: the numbers slide, again\n")


def _edit_mention(root: Path) -> None:
    _append(root / "people/amara-diallo.md", "\n- 2026-11-20 call: introduced her to [[elena-rossi]]\n")


def _edit_new_person(root: Path) -> None:
    (root / "people/zz-newcomer.md").write_text("---\nname: Zed Newcomer\ntags: [kites]\n---\n\nHello [[elena-rossi]].\n")


def _edit_rename(root: Path) -> None:
    (root / "people/zz-newcomer.md").rename(root / "people/zz-renamed.md")


def _edit_delete(root: Path) -> None:
    (root / "people/zz-renamed.md").unlink()


def _edit_config(root: Path) -> None:
    _append(root / "mkdocs.yml", "\nextra:\n  generator: false\n")


def _edit_docs_page(root: Path) -> None:
    _append(root / "docs/guide/index.md", "\n\nOne more line.\n")


def _edit_docs_new_page(root: Path) -> None:
    (root / "docs/extra-page.md").write_text("# An extra page\n\nText.\n")


def _edit_private_flag(root: Path) -> None:
    path = root / "people/elena-rossi.md"
    path.write_text(path.read_text(encoding="utf-8").replace("---\n", "---\nprivate: true\n", 1))


EDITS = [
    ("log line", _edit_log_line, None),
    ("new mention", _edit_mention, None),
    ("new person", _edit_new_person, None),
    ("rename", _edit_rename, None),
    ("deleted file", _edit_delete, None),
    ("a new day", lambda root: None, "2026-11-23"),
    ("mkdocs.yml", _edit_config, None),
    ("docs page edited", _edit_docs_page, None),
    ("docs page added", _edit_docs_new_page, None),
    ("someone made private", _edit_private_flag, None),
]


@pytest.mark.slow
def test_dirty_rebuilds_after_any_sequence_of_edits_equal_a_fresh_build(example_repo, monkeypatch, tmp_path):
    monkeypatch.setenv("KITH_TODAY", "2026-11-22")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.chdir(example_repo.root)
    root = example_repo.root
    site = tmp_path / "served"
    started: list = []
    served_build(root, site, started, dirty=True)
    for name, edit, day in EDITS:
        if day:
            monkeypatch.setenv("KITH_TODAY", day)
        edit(root)
        before = {p: p.stat().st_mtime_ns for p in site.rglob("*.html")}
        messages = served_build(root, site, started, dirty=True)
        rewritten = [p for p, mtime in before.items() if p.exists() and p.stat().st_mtime_ns != mtime]
        result, fresh = build_site(root, keep_config=True, env={"KITH_TODAY": day or os.environ["KITH_TODAY"]})
        assert result.returncode == 0, result.stderr
        served, built = site_files(site), site_files(fresh)
        assert sorted(served) == sorted(built), f"after {name}: files differ"
        differ = [rel for rel in built if served[rel] != built[rel]]
        assert differ == [], f"after {name}: {differ[:5]}"
        if name == "log line":
            # Only the pages that show Amara's own data, not the whole site.
            assert 0 < len(rewritten) < len(before) / 4, (len(rewritten), len(before), messages)
