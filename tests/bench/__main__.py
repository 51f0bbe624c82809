"""`make bench`: how kith scales, as a table of figures against their targets.

    python -m tests.bench                   # N = 1,000, 5,000 and 30,000
    python -m tests.bench --n 5000          # one size (make bench N=5000)
    python -m tests.bench --quick           # a fast smoke run: 300 and 1,200, one run each

For each N it generates a network (tests/bench/generate.py, into
bench-out/, reused when unchanged) and measures, each figure the median of
--runs runs and each ratio taken pair by pair within a run:

- `kith validate` with its cache warm, against the floor (read every file
  and parse its front matter with yaml.CSafeLoader, one loop); and cold;
- the commands typed many times a day, answered from the index
  (tests/bench/quick.py): `kith find`, `show`, `due`, `suggest --limit 10`,
  slug completion and `kith log`, each against `kith --version`, and the
  first command after the index is deleted;
- `mkdocs build` with kith against the same person files as plain pages with
  the plugin off (time, peak memory, size of site/, search index);
- the plugin's own time on a `mkdocs serve` rebuild after one edit, and the
  whole loop of a real `mkdocs serve --dirty` (tests/bench/serve.py): a
  saved log line, and a new mention, until the served page shows it;
- the network page in headless Chromium: its first drawing and its frame
  rate while dragged, at 5,000 people and at every larger size built
  (tests/bench/draw.py; `python -m tests.bench.draw SITE --compare` sets
  it against sigma.js on the same data);
- capture (tests/bench/capture.py): `kith import mail` on a generated mbox
  of 100,000 messages (about 1 GB) and `kith import calendar` on 5,000
  events, time and peak memory.

Sites larger than 5,000 people are built only when the 5,000 figures predict
that one pair of builds fits in --site-budget seconds. The table is printed
and written to bench-out/latest.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sqlite3
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

from . import draw, measure, quick
from .generate import generate

OUT = measure.PROJECT / "bench-out"
SITE_TARGET_N = 5000  # the size at which the site targets apply
SITE_RATIO = 1.15  # a build with kith against the bare build, at SITE_TARGET_N
GROWTH_SLACK = 1.125  # "about linear": 4.5x from 5,000 to 20,000


@dataclass
class Row:
    figure: str
    n: int
    value: str
    target: str = ""
    ok: bool | None = None  # None: information, no target

    @property
    def result(self) -> str:
        return "" if self.ok is None else ("PASS" if self.ok else "FAIL")


def median(values: list[float]) -> float:
    return statistics.median(values)


def mb(size: float) -> str:
    return f"{size / 1e6:.1f} MB"


def log(message: str) -> None:
    print(f"[bench {dt.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def bench_cli(root: Path, n: int, runs: int) -> dict:
    measure.drop_cache(root)
    log(f"{n}: kith validate, cold cache")
    cold = measure.kith_validate(root)
    pairs = []
    for run in range(runs):
        log(f"{n}: floor and kith validate, run {run + 1}/{runs}")
        floor = measure.floor(root)
        warm = measure.kith_validate(root)
        pairs.append((floor.seconds, warm.seconds))
    return {
        "validate_cold": cold.seconds,
        "floor": median([f for f, _ in pairs]),
        "validate": median([v for _, v in pairs]),
        "validate_ratio": median([v / f for f, v in pairs]),
        "validate_rss": cold.max_rss_mb,
    }


def bench_quick(root: Path, n: int, runs: int) -> dict:
    log(f"{n}: find, show, due, suggest, completion and log from the index, {runs} runs each")
    return quick.measure(root, runs)


# (figure key, label, target at the largest size in seconds)
QUICK = (
    ("find", "`kith find whitfield` (a surname many share)", 0.3),
    ("find_none", "`kith find kowalski` (nobody matches)", 0.3),
    ("show", "`kith show` (the most named person)", 0.3),
    ("due", "`kith due`", 0.5),
    ("suggest", "`kith suggest --limit 10`", 0.5),
    ("complete", "slug completion (`kith show ada<Tab>`)", 0.2),
    ("log", "`kith log` (one entry written)", 0.4),
)
QUICK_SLACK = 0.1  # at the smallest size: at most this much above `kith --version`


def quick_rows(n: int, q: dict, targets_at: dict[str, int]) -> list[Row]:
    rows = [Row("`kith --version` (start-up, the floor)", n, f"{q['version']:.3f} s")]
    large, small = n == targets_at["quick"], n == targets_at["quick_small"]
    for key, label, limit in QUICK:
        value = q[key]
        if large:
            rows.append(Row(label, n, f"{value:.3f} s", f"≤ {limit} s at {n:,}", value <= limit))
        elif small:
            bound = q["version"] + QUICK_SLACK
            rows.append(Row(label, n, f"{value:.3f} s", f"≤ --version + {QUICK_SLACK} s ({bound:.3f} s)", value <= bound))
        else:
            rows.append(Row(label, n, f"{value:.3f} s"))
    rows.append(
        Row(
            "first command with no index (builds it)",
            n,
            f"{q['index_cold']:.2f} s ({q['index_cold_cpu']:.2f} s of CPU, {q['index_cold_rss']:.0f} MB peak; index {mb(q['index_size'])})",
        )
    )
    return rows


def bench_site(root: Path, bare: Path, n: int, runs: int, serve: bool = True) -> dict:
    pairs = []
    for run in range(runs):
        log(f"{n}: mkdocs build, bare then with kith, run {run + 1}/{runs}")
        plain = measure.mkdocs_build(bare)
        kith = measure.mkdocs_build(root)
        pairs.append((plain, kith))
    site = root / "site"
    figures = {
        "bare": median([p.seconds for p, _ in pairs]),
        "kith": median([k.seconds for _, k in pairs]),
        "ratio": median([k.seconds / p.seconds for p, k in pairs]),
        "bare_rss": median([p.max_rss_mb for p, _ in pairs]),
        "kith_rss": median([k.max_rss_mb for _, k in pairs]),
        "bare_size": measure.tree_size(bare / "site"),
        "kith_size": measure.tree_size(site),
        "bare_index": measure.search_index_size(bare / "site"),
        "kith_index": measure.search_index_size(site),
        "pages": sum(1 for _ in site.rglob("index.html")),
    }
    if not serve:
        return figures
    log(f"{n}: plugin time on mkdocs serve rebuilds")
    # Five or more: a full garbage collection of the whole process (about half
    # a second at 5,000 people) lands in one rebuild in four or so, in
    # whichever code happens to be allocating; the median sees past it.
    edits = str(max(runs, 5))
    child = measure.run_child(["-m", "tests.bench.rebuild", str(root), "--edits", edits], root)
    serve = json.loads(child.output.strip().splitlines()[-1])
    figures["plugin_first"] = serve["first"]["plugin"]
    figures["plugin_rebuild"] = median([r["plugin"] for r in serve["rebuilds"]])
    figures["rebuild_wall"] = median([r["wall"] for r in serve["rebuilds"]])
    if serve.get("structural"):
        figures["plugin_structural"] = median([r["plugin"] for r in serve["structural"]])
    # The whole loop under a real `mkdocs serve --dirty`: save -> page shows it.
    loops = str(max(runs, 5))
    log(f"{n}: mkdocs serve --dirty, a log line saved until the page shows it")
    own = json.loads(measure.run_child(["-m", "tests.bench.serve", str(root), "--edits", loops], root).output.strip().splitlines()[-1])
    figures["loop_own"] = median(own["loops"])
    figures["serve_first"] = own["first"]
    if n >= SITE_TARGET_N:
        log(f"{n}: mkdocs serve --dirty, a new mention saved until the page shows it")
        structural = json.loads(
            measure.run_child(["-m", "tests.bench.serve", str(root), "--edits", loops, "--structural"], root)
            .output.strip()
            .splitlines()[-1]
        )
        figures["loop_structural"] = median(structural["loops"])
    return figures


def bench_draw(root: Path, n: int, runs: int) -> dict | str:
    site = root / "site"
    if not draw.has_network_page(site):
        return "n/a (no network page)"
    log(f"{n}: network page, first drawing and dragging in Chromium")
    try:
        return draw.measure_site(site, runs)
    except Exception as exc:  # noqa: BLE001 - no browser: say so in the table
        return f"n/a ({type(exc).__name__}: {str(exc).splitlines()[0][:60]})"


# The serve loop's targets (issue 16): a saved log line shows on its page
# within 1 s at 1,000 people and 2 s at 5,000; a new mention within 3 s at 5,000.
LOOP_OWN = {1000: 1.0, 5000: 2.0}
LOOP_STRUCTURAL = 3.0

# The map's targets (issue 15): first drawing within 2 s and dragging at 30
# frames a second or more, at 5,000 and at 30,000 people.
DRAW_MS = 2000
DRAG_FPS = 30


def draw_rows(n: int, value: dict | str) -> list[Row]:
    if isinstance(value, str):
        return [Row("network page, first drawing", n, value, f"< {DRAW_MS / 1000:.0f} s", None)]
    return [
        Row("network page, first drawing", n, f"{value['first_ms'] / 1000:.2f} s", f"< {DRAW_MS / 1000:.0f} s", value["first_ms"] < DRAW_MS),
        Row(
            "network page, frames a second while dragging",
            n,
            f"{value['fps']:.0f} fps ({value['presented']:.0f} pictures drawn)",
            f"≥ {DRAG_FPS} fps",
            value["fps"] >= DRAG_FPS and value["presented"] > 0,
        ),
    ]


def rows_for(results: dict[int, dict], targets_at: dict[str, int]) -> list[Row]:
    rows: list[Row] = []
    validate_n = targets_at["validate"]
    site_n = targets_at["site"]
    for n, r in sorted(results.items()):
        if "quick" in r:
            rows.extend(quick_rows(n, r["quick"], targets_at))
        rows.append(Row("`kith validate`, cache warm", n, f"{r['validate']:.2f} s"))
        rows.append(Row("floor: read + CSafeLoader front matter", n, f"{r['floor']:.2f} s"))
        ok = r["validate_ratio"] <= 1.5 if n == validate_n else None
        rows.append(Row("validate / floor", n, f"{r['validate_ratio']:.2f}x", "≤ 1.5x at 30,000" if n == validate_n else "", ok))
        rows.append(Row("`kith validate`, cold (no cache)", n, f"{r['validate_cold']:.2f} s"))
        s = r.get("site")
        if not s:
            continue
        rows.append(Row("`mkdocs build`, bare (kith off)", n, f"{s['bare']:.1f} s, {s['bare_rss']:.0f} MB peak, site {mb(s['bare_size'])}"))
        rows.append(Row("`mkdocs build`, with kith", n, f"{s['kith']:.1f} s, {s['kith_rss']:.0f} MB peak, site {mb(s['kith_size'])}, {s['pages']} pages"))
        # 1.15x since the pages came from templates (issue 15; it was 1.3x).
        ok = s["ratio"] <= SITE_RATIO if n == site_n else None
        rows.append(Row("kith build / bare build", n, f"{s['ratio']:.2f}x", f"≤ {SITE_RATIO}x at 5,000" if n == site_n else "", ok))
        rows.append(Row("search index (kith / bare)", n, f"{mb(s['kith_index'])} / {mb(s['bare_index'])}"))
        ok = s["plugin_rebuild"] < 0.5 if n == site_n else None
        if "plugin_rebuild" in s:
            rows.append(Row("plugin's own time, serve rebuild after 1 edit (a log line)", n, f"{s['plugin_rebuild']:.3f} s (whole rebuild {s['rebuild_wall']:.1f} s; first build {s['plugin_first']:.2f} s)", "< 0.5 s at 5,000" if n == site_n else "", ok))
        if "plugin_structural" in s:
            rows.append(Row("plugin's own time, serve rebuild after a new mention", n, f"{s['plugin_structural']:.3f} s"))
        if "loop_own" in s:
            limit = LOOP_OWN.get(n)
            rows.append(
                Row(
                    "`mkdocs serve --dirty`: a log line saved until its page shows it",
                    n,
                    f"{s['loop_own']:.2f} s (first build {s['serve_first']:.0f} s)",
                    f"≤ {limit:.0f} s" if limit else "",
                    s["loop_own"] <= limit if limit else None,
                )
            )
        if "loop_structural" in s:
            ok = s["loop_structural"] <= LOOP_STRUCTURAL if n == SITE_TARGET_N else None
            rows.append(
                Row(
                    "`mkdocs serve --dirty`: a new mention saved until its page shows it",
                    n,
                    f"{s['loop_structural']:.2f} s",
                    f"≤ {LOOP_STRUCTURAL:.0f} s at 5,000" if n == SITE_TARGET_N else "",
                    ok,
                )
            )
        if n >= 30000 or n == max(results):
            ratio = s["kith_rss"] / s["bare_rss"]
            rows.append(
                Row(
                    "peak memory of `mkdocs build`, kith / bare",
                    n,
                    f"{ratio:.2f}x ({s['kith_rss']:.0f} / {s['bare_rss']:.0f} MB)",
                    "≤ 2x at 30,000" if n >= 30000 else "",
                    ratio <= 2 if n >= 30000 else None,
                )
            )
        if "draw" in r:
            rows.extend(draw_rows(n, r["draw"]))
    rows.extend(growth_rows(results))
    return rows


GROWTH = (
    ("`kith validate`, cache warm", lambda r: r.get("validate")),
    ("`kith validate`, cold", lambda r: r.get("validate_cold")),
    # Its CPU time: the work. Its wall time also holds writing the index out
    # (140 MB at 30,000: the WAL, then the checkpoint), which a busy disk
    # stretches more than in proportion.
    ("first command with no index, CPU time", lambda r: r.get("quick", {}).get("index_cold_cpu")),
    ("`mkdocs build` with kith, time", lambda r: r.get("site", {}).get("kith")),
    ("`mkdocs build` with kith, peak memory", lambda r: r.get("site", {}).get("kith_rss")),
    ("site/ size with kith", lambda r: r.get("site", {}).get("kith_size")),
    ("search index", lambda r: r.get("site", {}).get("kith_index")),
    ("plugin's own time, rebuild", lambda r: r.get("site", {}).get("plugin_rebuild")),
)


def growth_rows(results: dict[int, dict]) -> list[Row]:
    """Each figure from 5,000 (else the smallest N) to the largest N it was measured at."""
    rows = []
    for figure, get in GROWTH:
        measured = sorted(n for n, r in results.items() if get(r))
        if len(measured) < 2:
            continue
        high = measured[-1]
        low = 5000 if 5000 in measured and 5000 < high else measured[0]
        ratio = get(results[high]) / get(results[low])
        limit = GROWTH_SLACK * high / low
        rows.append(
            Row(f"growth: {figure}", high, f"{ratio:.2f}x from {low:,}", f"≤ {limit:.2f}x (linear {high / low:.1f}x)", ratio <= limit)
        )
    return rows


def table(rows: list[Row]) -> str:
    lines = ["| Figure | N | Value | Target | Result |", "|---|---:|---|---|---|"]
    for row in rows:
        lines.append(f"| {row.figure} | {row.n:,} | {row.value} | {row.target} | {row.result} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", help="sizes, comma-separated (default 1000,5000,30000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the median is shown (default 3)")
    parser.add_argument("--quick", action="store_true", help="smoke run: N = 300 and 1,200, one run each")
    parser.add_argument("--site-budget", type=float, default=1500, help="seconds one pair of builds may take above 5,000 people (default 1500)")
    parser.add_argument("--no-browser", action="store_true", help="skip the network page's drawing time")
    parser.add_argument("--quick-runs", type=int, default=5, help="runs per quick command (find, show, due...); the median is shown (default 5)")
    parser.add_argument("--only-cli", action="store_true", help="the CLI figures only: no site builds")
    parser.add_argument("--no-capture", action="store_true", help="skip the mail and calendar imports")
    parser.add_argument("--capture-only", action="store_true", help="only the mail and calendar imports")
    args = parser.parse_args(argv)
    if args.capture_only:
        return capture_main(args)
    if args.quick:
        sizes, runs = [300, 1200], 1
    else:
        sizes = [int(x.replace("_", "")) for x in (args.n or "1000,5000,30000").split(",")]
        runs = max(1, args.runs)
    sizes.sort()
    # Targets apply at 30,000 (validate) and 5,000 (site), or at the largest
    # size run when those are not (so a quick run still checks something).
    targets_at = {
        "validate": 30000 if 30000 in sizes else sizes[-1],
        "site": SITE_TARGET_N if SITE_TARGET_N in sizes else max(n for n in sizes if n <= SITE_TARGET_N) if any(n <= SITE_TARGET_N for n in sizes) else sizes[0],
        # The quick commands: absolute targets at 30,000 (else the largest
        # size), "within 0.1 s of --version" at 1,000 (else the smallest).
        "quick": 30000 if 30000 in sizes else sizes[-1],
        "quick_small": 1000 if 1000 in sizes else sizes[0],
    }
    OUT.mkdir(exist_ok=True)
    results: dict[int, dict] = {}
    per_page: float | None = None  # seconds per person for one pair of builds
    skipped: list[str] = []
    for n in sizes:
        root = OUT / f"net-{n}"
        log(f"{n}: generating into {root}")
        generate(n, root)
        results[n] = bench_cli(root, n, runs)
        results[n]["quick"] = bench_quick(root, n, 1 if args.quick else max(1, args.quick_runs))
        if args.only_cli:
            continue
        if n > SITE_TARGET_N:
            if per_page is None:
                skipped.append(f"site at {n:,}: not built (no smaller site measured to predict its time)")
                continue
            predicted = per_page * n
            if predicted > args.site_budget:
                skipped.append(f"site at {n:,}: not built (one pair of builds predicted {predicted / 60:.1f} min > {args.site_budget / 60:.1f} min)")
                continue
        bare = OUT / f"net-{n}-bare"
        measure.bare_variant(root, bare, n)
        site_runs = runs if n <= SITE_TARGET_N else 1
        # Above 5,000 one pair of builds, and no serve rebuilds (four more builds).
        results[n]["site"] = bench_site(root, bare, n, site_runs, serve=n <= SITE_TARGET_N)
        per_page = (results[n]["site"]["bare"] + results[n]["site"]["kith"]) / n
        if (n == targets_at["site"] or n > SITE_TARGET_N) and not args.no_browser:
            results[n]["draw"] = bench_draw(root, n, runs)
    rows = rows_for(results, targets_at)
    if not args.no_capture:
        rows.extend(capture_rows(args.quick))
    text = table(rows)
    notes = [
        f"Measured {dt.date.today().isoformat()} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}; median of {runs} run(s) "
        f"({args.quick_runs} for the quick commands), ratios pair by pair; "
        "the build figures are with kith's cache warm (`kith validate` ran first), the quick commands "
        "with the cache and the index warm.",
        *skipped,
    ]
    print(text)
    for note in notes:
        print(note)
    (OUT / "latest.md").write_text(text + "\n\n" + "\n".join(f"- {x}" for x in notes) + "\n", encoding="utf-8")
    (OUT / "latest.json").write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    failed = [r for r in rows if r.ok is False]
    return 1 if failed else 0


def capture_rows(quick: bool) -> list[Row]:
    from . import capture

    log("capture: kith import mail and kith import calendar")
    found = capture.run(10_000, 1_000) if quick else capture.run()
    return [Row(r["figure"], r["n"], r["value"], r["target"], r["ok"]) for r in found]


def capture_main(args) -> int:
    rows = capture_rows(args.quick)
    text = table(rows)
    print(text)
    OUT.mkdir(exist_ok=True)
    (OUT / "capture.md").write_text(text + "\n", encoding="utf-8")
    return 1 if any(r.ok is False for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
