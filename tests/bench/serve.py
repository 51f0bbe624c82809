"""The whole loop of `mkdocs serve --dirty`: from saving a contact file to
the served page showing the change, as someone at their editor sees it.

    python -m tests.bench.serve DIR [--edits 5] [--structural]

Starts `mkdocs serve --dirty` (as `make serve` does) on 127.0.0.1, waits for
its first build, then `--edits` times: writes a new log line into one
person's file (with `--structural`, a line that mentions someone new: a
change of structure) and polls that person's served page every 20 ms until
it holds the line. Prints JSON: the first build's time and each loop's.
The file is put back as it was at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

POLL = 0.02
TIMEOUT = 600


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", "replace")
    except Exception:  # noqa: BLE001 - not served yet, or mid-rebuild
        return ""


def measure(root: Path, edits: int, structural: bool) -> dict:
    files = sorted((root / "people").rglob("*.md"))
    target = files[len(files) // 3]
    original = target.read_bytes()
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    mkdocs = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"]
    log = open(root / "serve-bench.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(mkdocs, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/people/{target.stem}/"
    loops: list[float] = []
    try:
        start = time.perf_counter()
        while "<html" not in _get(url):
            if server.poll() is not None or time.perf_counter() - start > TIMEOUT:
                raise RuntimeError(f"mkdocs serve did not serve {url}; see {root / 'serve-bench.log'}")
            time.sleep(0.2)
        first = time.perf_counter() - start
        time.sleep(2)  # let the watcher settle after the first build
        rng = random.Random(7)
        for index in range(edits):
            token = f"BENCH{rng.randrange(10**9)}"
            line = f"- 2026-11-2{index % 8} call: {token}"
            if structural:
                other = files[(len(files) // 3 + 11 + index) % len(files)].stem
                line += f" with [[{other}]]"
            text = target.read_text(encoding="utf-8")
            if "## Log\n\n" in text:
                text = text.replace("## Log\n\n", f"## Log\n\n{line}\n", 1)
            else:
                text += f"\n## Log\n\n{line}\n"
            began = time.perf_counter()
            target.write_text(text, encoding="utf-8")
            while token not in _get(url):
                if time.perf_counter() - began > TIMEOUT:
                    raise RuntimeError(f"the edit never showed on {url}")
                time.sleep(POLL)
            loops.append(time.perf_counter() - began)
            time.sleep(1.5)  # the next edit after this rebuild is over
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        target.write_bytes(original)
    return {"first": first, "loops": loops}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", type=Path)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--structural", action="store_true")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.root.resolve(), args.edits, args.structural)))


if __name__ == "__main__":
    main()
