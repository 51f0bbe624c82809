"""The network page in headless Chromium: how long the first drawing takes,
and how many frames a second the map shows while it is dragged.

- first drawing: milliseconds from navigation start until the canvas says
  it has drawn its nodes (`data-nodes-drawn` above 0), read from the page's
  own clock (`performance.now()` counts from navigation start); the drawing
  is synchronous, so by then the pixels are painted;
- dragging: the mouse held down and moved across the map for two seconds
  (real input events through Playwright, as fast as it sends them); the
  frame rate is the rate of the page's animation frames meanwhile (a frame
  that takes 300 ms to draw makes it 3), and `presented` counts the
  pictures the map actually drew, so a map that stopped drawing cannot
  pass for a fast one.

`python -m tests.bench.draw SITE [--compare]` measures a built site;
`--compare` also measures the same network.json drawn by sigma.js 3 on
graphology (tests/bench/sigma/, vendored from npm for this comparison only:
the site does not ship it), the alternative weighed in
docs/reference/site.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

NETWORK_PAGE = "network/index.html"
SIGMA = Path(__file__).parent / "sigma"

_DRAWN = """() => {
  const canvas = document.querySelector('[data-nodes-drawn]');
  const drawn = canvas ? Number(canvas.getAttribute('data-nodes-drawn')) : 0;
  return drawn > 0 ? performance.now() : false;
}"""

_METER = """() => {
  window.kithMeter = {stamps: [], on: true};
  const tick = (t) => { if (!window.kithMeter.on) return; window.kithMeter.stamps.push(t); requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
}"""

_FRAMES = "() => window.kithNetwork ? window.kithNetwork.frames : (window.kithFrames || 0)"


def has_network_page(site: Path) -> bool:
    page = site / NETWORK_PAGE
    return page.is_file() and "data-nodes-drawn" in page.read_text(encoding="utf-8")


def _measure(page, base: str, url: str, drag_seconds: float) -> dict:
    page.goto(base + url, wait_until="commit")
    first = float(page.wait_for_function(_DRAWN, timeout=180_000, polling="raf").json_value())
    if not drag_seconds:
        return {"first_ms": first}
    page.wait_for_timeout(300)
    box = page.locator("[data-nodes-drawn]").first.bounding_box()
    page.locator("[data-nodes-drawn]").first.scroll_into_view_if_needed()
    box = page.locator("[data-nodes-drawn]").first.bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(cx, cy)
    page.mouse.down()
    page.evaluate(_METER)
    before = page.evaluate(_FRAMES)
    start, step = time.monotonic(), 0
    while time.monotonic() - start < drag_seconds:
        step += 1
        # Back and forth, never further than the map is wide.
        page.mouse.move(cx + box["width"] * 0.2 * (((step % 40) / 20) - 1), cy + 20 * (((step % 13) / 6.5) - 1))
    page.mouse.up()
    stamps = page.evaluate("() => { window.kithMeter.on = false; return window.kithMeter.stamps; }")
    presented = page.evaluate(_FRAMES) - before
    seconds = (stamps[-1] - stamps[0]) / 1000 if len(stamps) > 1 else float("inf")
    return {"first_ms": first, "fps": (len(stamps) - 1) / seconds, "presented": presented, "moves": step}


def measure_site(site: Path, runs: int, url: str = "network/", drag_seconds: float = 2.0) -> dict:
    """Median first drawing (ms) and dragging frame rate over `runs` fresh
    browser contexts (nothing comes from a cache)."""
    from tests.browser import chromium, serve

    results = []
    with serve(site) as base, chromium() as browser:
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            results.append(_measure(context.new_page(), base, url, drag_seconds))
            context.close()
    figures = {"first_ms": statistics.median(r["first_ms"] for r in results)}
    if drag_seconds:
        figures["fps"] = statistics.median(r["fps"] for r in results)
        figures["presented"] = statistics.median(r["presented"] for r in results)
    return figures


def first_drawing_ms(site: Path, runs: int) -> list[float]:
    """One fresh browser context per run, so nothing comes from a cache."""
    from tests.browser import chromium, serve

    times = []
    with serve(site) as base, chromium() as browser:
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            times.append(_measure(context.new_page(), base, "network/", 0)["first_ms"])
            context.close()
    return times


def measure_sigma(site: Path, runs: int, hide_edges_on_move: bool = False) -> dict:
    """The same network.json drawn by sigma.js (see tests/bench/sigma/)."""
    with tempfile.TemporaryDirectory(prefix="kith-sigma-") as tmp:
        folder = Path(tmp)
        for name in ("sigma.min.js", "graphology.umd.min.js", "index.html"):
            shutil.copy(SIGMA / name, folder / name)
        (folder / "network.json").symlink_to((site / "assets/kith/network.json").resolve())
        url = "index.html" + ("?hide=1" if hide_edges_on_move else "")
        return measure_site(folder, runs, url)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.draw", description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built site (with network/ and assets/kith/network.json)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--compare", action="store_true", help="also measure sigma.js on the same data")
    args = parser.parse_args(argv)
    out = {"kith canvas": measure_site(args.site, args.runs)}
    if args.compare:
        out["sigma.js"] = measure_sigma(args.site, args.runs)
        out["sigma.js, hideEdgesOnMove"] = measure_sigma(args.site, args.runs, hide_edges_on_move=True)
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
