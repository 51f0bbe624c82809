"""A real `mkdocs serve --dirty` (as `make serve` runs it) on the example
network: a saved edit shows on the served page, the page served is the page
a fresh `mkdocs build` makes, and a new person gets a page."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from sitebuild import build_site

pytestmark = pytest.mark.slow


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""
    except Exception:  # noqa: BLE001 - not up yet, or mid-rebuild
        return 0, b""


def _wait(url: str, want: bytes, timeout: float = 120) -> bytes:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        status, body = _get(url)
        if status == 200 and want in body:
            return body
        time.sleep(0.1)
    raise AssertionError(f"{want!r} never appeared at {url}")


@pytest.fixture
def server(example_repo):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "KITH_TODAY": "2026-11-22", "NO_MKDOCS_2_WARNING": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=example_repo.root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait(base + "people/amara-diallo/", b"<html")
        time.sleep(1)
        yield example_repo, base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def test_a_saved_edit_shows_and_the_served_page_is_a_fresh_builds(server):
    repo, base = server
    path = repo.root / "people/amara-diallo.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n## Log\n\n- 2026-11-21 call: LIVE-EDIT-7731\n", encoding="utf-8")
    served = _wait(base + "people/amara-diallo/", b"LIVE-EDIT-7731")
    (repo.root / "people/zz-new.md").write_text("---\nname: Zed Live\n---\n\nNEW-PERSON-4410\n", encoding="utf-8")
    _wait(base + "people/zz-new/", b"NEW-PERSON-4410")
    result, fresh = build_site(repo.root, keep_config=True)
    assert result.returncode == 0, result.stderr
    # The live-reload script MkDocs injects into served pages is the only difference.
    # What `mkdocs serve` itself adds: its live-reload script, and a canonical
    # link to where it serves (it sets site_url to its own address).
    served = re.sub(rb"<script>\s*var livereload.*?</script>", b"", _get(base + "people/amara-diallo/")[1], flags=re.S)
    served = re.sub(rb'\n *<link rel="canonical" href="http://127\.0\.0\.1:\d+/[^"]*">', b"", served)
    built = re.sub(rb"\s+", b" ", (fresh / "people/amara-diallo/index.html").read_bytes())
    served = re.sub(rb"\s+", b" ", served)
    if served != built:  # pragma: no cover - a report for the failure
        (repo.root / "served.html").write_bytes(served)
        (repo.root / "built.html").write_bytes(built)
    assert served == built
