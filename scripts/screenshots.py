"""Screenshots of the example network's site for the guide (`make screenshots`).

Builds the site with `mkdocs build` into a temporary folder, with
KITH_TODAY=2026-11-22 so the follow-ups and dates in the pictures do not
move, serves it on 127.0.0.1, and takes PNGs at 1280x800 (and 390x844, a
phone) with headless Chromium (Playwright driving /usr/bin/chromium: no
browser is downloaded) into docs/guide/screenshots/. The picture of a file
with an error comes from a second build of a copy of the example with one
YAML typo added. A page the site does not have yet is
skipped with a note. Any request that leaves 127.0.0.1 is an error: the
site must work offline.

    python scripts/screenshots.py [--out DIR] [--dry-run]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from tests.browser import CHROMIUM, CHROMIUM_ARGS, PageWatch, serve  # noqa: E402

TODAY = "2026-11-22"
VIEWPORT = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# A copy of the example with this file added shows a file with an error.
BROKEN_FILE = ("people/tess-typo.md", "---\nname: Tess Typo\ntags: [climbing, books\ncircle: close\n---\n\nNotes.\n")

# (file name, page URL in the site, what to wait for, what to scroll to the
# top, the window, which site: "example" or "broken")
SHOTS = [
    ("home.png", "", ".kith-today", None),
    ("home-phone.png", "", ".kith-today", None, PHONE),
    ("followups.png", "followups/", None, None),
    ("followups-phone.png", "followups/", None, None, PHONE),
    ("people.png", "people/", ".kith-people", None),
    ("person.png", "people/zoe-whitfield/", ".kith-card", None),
    ("person-timeline.png", "people/zoe-whitfield/", ".kith-log", ".kith-log"),
    ("person-introduce.png", "people/zoe-whitfield/", ".kith-neighbourhood", ".kith-neighbourhood"),
    ("network.png", "network/", "#kith-network-canvas", None),
    ("introductions.png", "introductions/", None, None),
    ("organisation.png", "organisations/fernhill-labs/", None, None),
    ("broken.png", "people/tess-typo/", ".kith-problems", None, VIEWPORT, "broken"),
]


def build(site: Path, root: Path = PROJECT) -> None:
    env = {**os.environ, "KITH_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--clean", "--site-dir", str(site)]
    result = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"screenshots: mkdocs build failed:\n{result.stderr}")


def broken_copy(folder: Path) -> Path:
    """The example network, docs and mkdocs.yml copied to `folder`, with BROKEN_FILE added."""
    import shutil

    for name in ("people", "docs"):
        shutil.copytree(PROJECT / name, folder / name)
    shutil.copy(PROJECT / "mkdocs.yml", folder / "mkdocs.yml")
    rel, text = BROKEN_FILE
    (folder / rel).write_text(text, encoding="utf-8")
    return folder


def shoot(sites: dict[str, Path], out: Path, dry_run: bool) -> int:
    from playwright.sync_api import sync_playwright

    from kith.write import atomic_write

    taken = 0
    with serve(sites["example"]) as example, serve(sites["broken"]) as broken, sync_playwright() as pw:
        bases = {"example": example, "broken": broken}
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for shot in SHOTS:
                name, url, ready, scroll_to = shot[:4]
                viewport = shot[4] if len(shot) > 4 else VIEWPORT
                which = shot[5] if len(shot) > 5 else "example"
                site, base = sites[which], bases[which]
                if not (site / url / "index.html").is_file():
                    print(f"skipped {name}: the site has no {url or 'home page'}", file=sys.stderr)
                    continue
                if dry_run:
                    print(f"would write {out / name}")
                    continue
                page = browser.new_page(viewport=viewport, device_scale_factor=1)
                watch = PageWatch(page)
                page.goto(base + url, wait_until="networkidle")
                if ready:
                    page.wait_for_selector(ready, state="attached", timeout=10_000)
                if ready == "#kith-network-canvas":
                    page.wait_for_function(
                        "Number(document.querySelector('#kith-network-canvas').dataset.nodesDrawn) > 0",
                        timeout=10_000,
                    )
                if scroll_to:
                    # To the top of the window, just below the sticky header.
                    page.evaluate(
                        "s => { document.querySelector(s).scrollIntoView({block: 'start'});"
                        " window.scrollBy(0, -64); }",
                        scroll_to,
                    )
                page.wait_for_timeout(300)  # let fonts and the canvas settle
                if watch.outside_requests or watch.console_errors:
                    sys.exit(
                        f"screenshots: {url or 'home'}: "
                        + "; ".join(watch.outside_requests + watch.console_errors)
                    )
                atomic_write(out / name, page.screenshot(full_page=False))
                page.close()
                print(f"wrote {out / name}")
                taken += 1
        finally:
            browser.close()
    return taken


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Screenshots of the example site for the guide.")
    parser.add_argument(
        "--out",
        type=Path,
        default=PROJECT / "docs" / "guide" / "screenshots",
        help="Folder for the PNGs (default: docs/guide/screenshots).",
    )
    parser.add_argument("--dry-run", action="store_true", help="List the PNGs that would be written; write nothing.")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"screenshots: no Chromium at {CHROMIUM} (apt-get install chromium)", file=sys.stderr)
        return 1
    if not args.dry_run:
        args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kith-screenshots-") as tmp:
        site = Path(tmp) / "site"
        build(site)
        copy = broken_copy(Path(tmp) / "broken")
        build(copy / "site", copy)
        shoot({"example": site, "broken": copy / "site"}, args.out, args.dry_run)
    return 0


if __name__ == "__main__":
    sys.exit(main())
