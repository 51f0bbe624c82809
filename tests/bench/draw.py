"""The network page's first drawing in headless Chromium: milliseconds from
navigation start until the canvas says it has drawn its nodes
(`data-nodes-drawn` above 0), read from the page's own clock
(`performance.now()` counts from navigation start)."""

from __future__ import annotations

from pathlib import Path

NETWORK_PAGE = "network/index.html"

_DRAWN = """() => {
  const canvas = document.querySelector('[data-nodes-drawn]');
  const drawn = canvas ? Number(canvas.getAttribute('data-nodes-drawn')) : 0;
  return drawn > 0 ? performance.now() : false;
}"""


def has_network_page(site: Path) -> bool:
    page = site / NETWORK_PAGE
    return page.is_file() and "data-nodes-drawn" in page.read_text(encoding="utf-8")


def first_drawing_ms(site: Path, runs: int) -> list[float]:
    """One fresh browser context per run, so nothing comes from a cache."""
    from tests.browser import chromium, serve

    times = []
    with serve(site) as base, chromium() as browser:
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            page.goto(base + "network/", wait_until="commit")
            handle = page.wait_for_function(_DRAWN, timeout=120_000, polling="raf")
            times.append(float(handle.json_value()))
            context.close()
    return times
