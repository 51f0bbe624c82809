"""The example network's site in a real browser at 1280x800 and on a 390 px
phone (GitHub issue 15): the home page fits, tables turn into cards, dates
never break, a broken file's page shows its error, and under `mkdocs serve`
that page reloads by itself when the file is fixed."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time

import pytest

from browser import PageWatch, chromium, serve
from sitebuild import build_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

BROKEN = "---\nname: Tess Typo\ntags: [climbing, books\ncircle: close\n---\n\nNotes.\n"


@pytest.fixture(scope="module")
def example_site(tmp_path_factory, request):
    import shutil

    from conftest import EXAMPLE_PEOPLE, PROJECT

    root = tmp_path_factory.mktemp("browser") / "example"
    shutil.copytree(EXAMPLE_PEOPLE, root / "people")
    shutil.copytree(PROJECT / "docs", root / "docs")
    shutil.copy(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
    (root / "people" / "tess-typo.md").write_text(BROKEN, encoding="utf-8")
    result, site = build_site(root, keep_config=True)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def browser():
    with chromium() as found:
        yield found


@pytest.fixture(scope="module")
def base(example_site):
    with serve(example_site) as url:
        yield url


def open_page(browser, url: str, viewport: dict):
    page = browser.new_page(viewport=viewport, device_scale_factor=1)
    watch = PageWatch(page)
    page.goto(url, wait_until="networkidle")
    return page, watch


def overflow(page) -> int:
    """How far the page is wider than the window (0: no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_home_fits_one_and_a_half_screens_at_1280(browser, base):
    page, watch = open_page(browser, base, DESKTOP)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 1.5 * DESKTOP["height"], height
    assert page.title().startswith("Today")
    lines = page.locator(".kith-today-list > li")
    assert 4 <= lines.count() <= 8
    # Each person once, one line each, with the reason and when in words.
    slugs = [lines.nth(i).get_attribute("data-slug") for i in range(lines.count())]
    assert len(set(slugs)) == len(slugs)
    for i in range(lines.count()):
        box = lines.nth(i).bounding_box()
        assert box["height"] < 40, lines.nth(i).inner_text()
        assert re.search(r"overdue|today|tomorrow|in \d+ (?:day|week)", lines.nth(i).inner_text())
    assert page.locator(".kith-counts a").count() >= 4
    assert watch.console_errors == [] and watch.outside_requests == []
    page.close()


def test_home_reads_well_on_a_phone(browser, base):
    page, watch = open_page(browser, base, PHONE)
    assert overflow(page) <= 0
    lines = page.locator(".kith-today-list > li")
    for i in range(lines.count()):
        box = lines.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    # The counts sit side by side, two or more a row.
    tiles = page.locator(".kith-counts > li")
    assert tiles.nth(0).bounding_box()["y"] == tiles.nth(1).bounding_box()["y"]
    assert watch.console_errors == []
    page.close()


def test_followups_table_turns_into_cards_on_a_phone(browser, base):
    page, _ = open_page(browser, base + "followups/", PHONE)
    assert overflow(page) <= 0
    row = page.locator(".kith-followups tbody tr").first
    row_box = row.bounding_box()
    assert row_box["width"] <= PHONE["width"]
    for label in ("When", "Who", "Why", "Detail"):
        cell = row.locator(f'td[data-label="{label}"]')
        box = cell.bounding_box()
        # Each cell on its own line, inside the window, labelled.
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, label
        shown = cell.evaluate("td => getComputedStyle(td, '::before').content")
        assert shown == f'"{label}"'
        assert cell.inner_text().strip()
    # At 1280 it is a table again.
    wide, _ = open_page(browser, base + "followups/", DESKTOP)
    assert wide.locator(".kith-followups thead").first.is_visible()
    wide.close()
    page.close()


def test_dates_never_break_across_lines(browser, base):
    for url in ("followups/", "people/zoe-whitfield/", ""):
        page, _ = open_page(browser, base + url, PHONE)
        broken = page.evaluate(
            "[...document.querySelectorAll('article time, article .kith-when')]"
            ".filter(t => t.getClientRects().length > 1).map(t => t.textContent)"
        )
        assert broken == [], (url, broken)
        assert overflow(page) <= 0, url
        page.close()


def test_a_broken_files_page_shows_its_error(browser, base):
    for viewport in (DESKTOP, PHONE):
        page, watch = open_page(browser, base + "people/tess-typo/", viewport)
        assert page.locator("article h1").inner_text() == "Tess Typo"
        problem = page.locator(".kith-problems")
        assert problem.is_visible()
        text = problem.inner_text()
        assert "This file has an error" in text and "people/tess-typo.md, line 4" in text
        assert "Open the file at that line" in text
        assert "Notes." not in page.locator("article").inner_text()
        assert overflow(page) <= 0
        assert watch.console_errors == []
        page.close()
    # It stays on the People page, marked.
    page, _ = open_page(browser, base + "people/", DESKTOP)
    row = page.locator(".kith-people > li", has=page.locator('a[href="tess-typo/"]'))
    assert "file has an error" in row.inner_text()
    page.close()


# -- mkdocs serve ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_under_mkdocs_serve_a_broken_page_reloads_when_the_file_is_fixed(tmp_path, browser):
    root = tmp_path / "repo"
    (root / "people").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(
        "site_name: Served\ntheme:\n  name: material\n  font: false\nplugins:\n  - search\n  - kith\n", encoding="utf-8"
    )
    (root / "people" / "ada.md").write_text("---\nname: Ada Lovelace\n---\n", encoding="utf-8")
    broken = root / "people" / "tess-typo.md"
    broken.write_text(BROKEN, encoding="utf-8")
    port = free_port()
    env = {**os.environ, "KITH_TODAY": "2026-11-22", "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", "--livereload"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/people/tess-typo/"
        deadline = time.monotonic() + 120
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail(f"mkdocs serve did not start: {server.stderr.read() if server.poll() is not None else ''}")
                time.sleep(0.3)
        page = browser.new_page(viewport=DESKTOP)
        page.goto(url, wait_until="load")
        assert "This file has an error" in page.locator("article").inner_text()
        # Fix the file; the open page reloads by itself and shows the person.
        broken.write_text(BROKEN.replace("books\n", "books]\n"), encoding="utf-8")
        page.wait_for_function(
            "() => !document.querySelector('.kith-problems') && !!document.querySelector('.kith-card[data-slug=\"tess-typo\"]')",
            timeout=90_000,
        )
        assert page.locator("article h1").inner_text() == "Tess Typo"
        page.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
