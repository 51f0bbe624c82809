"""`make bench`: how kith scales, as a table of figures against their targets.

    python -m tests.bench                   # N = 1,000, 5,000 and 30,000
    python -m tests.bench --n 5000          # one size (make bench N=5000)
    python -m tests.bench --quick           # a fast smoke run: 300 and 1,200, one run each

For each N it generates a network (tests/bench/generate.py, into
bench-out/, reused when unchanged) and measures, each figure the median of
--runs runs and each ratio taken pair by pair within a run:

- `kith validate` with its cache warm, against the floor (read every file
  and parse its front matter with yaml.CSafeLoader, one loop); and cold;
- `mkdocs build` with kith against the same person files as plain pages with
  the plugin off (time, peak memory, size of site/, search index);
- the plugin's own time on a `mkdocs serve` rebuild after one edit;
- the network page's first drawing in headless Chromium;
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
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

from . import draw, measure
from .generate import generate

OUT = measure.PROJECT / "bench-out"
SITE_TARGET_N = 5000  # the size at which the site targets apply
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
    return figures


def bench_draw(root: Path, n: int, runs: int) -> float | str:
    site = root / "site"
    if not draw.has_network_page(site):
        return "n/a (no network page)"
    log(f"{n}: network page first drawing in Chromium")
    try:
        return median(draw.first_drawing_ms(site, runs))
    except Exception as exc:  # noqa: BLE001 - no browser: say so in the table
        return f"n/a ({type(exc).__name__}: {str(exc).splitlines()[0][:60]})"


def rows_for(results: dict[int, dict], targets_at: dict[str, int]) -> list[Row]:
    rows: list[Row] = []
    validate_n = targets_at["validate"]
    site_n = targets_at["site"]
    for n, r in sorted(results.items()):
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
        ok = s["ratio"] <= 1.3 if n == site_n else None
        rows.append(Row("kith build / bare build", n, f"{s['ratio']:.2f}x", "≤ 1.3x at 5,000" if n == site_n else "", ok))
        rows.append(Row("search index (kith / bare)", n, f"{mb(s['kith_index'])} / {mb(s['bare_index'])}"))
        ok = s["plugin_rebuild"] < 0.5 if n == site_n else None
        if "plugin_rebuild" in s:
            rows.append(Row("plugin's own time, serve rebuild after 1 edit (a log line)", n, f"{s['plugin_rebuild']:.3f} s (whole rebuild {s['rebuild_wall']:.1f} s; first build {s['plugin_first']:.2f} s)", "< 0.5 s at 5,000" if n == site_n else "", ok))
        if "plugin_structural" in s:
            # Information: a change of structure renders every page again (docs/reference/scale.md).
            rows.append(Row("plugin's own time, serve rebuild after a new mention", n, f"{s['plugin_structural']:.3f} s"))
        if "draw" in r:
            value = r["draw"]
            if isinstance(value, str):
                rows.append(Row("network page, first drawing", n, value, "< 2 s at 5,000", None))
            else:
                rows.append(Row("network page, first drawing", n, f"{value / 1000:.2f} s", "< 2 s at 5,000", value < 2000))
    rows.extend(growth_rows(results))
    return rows


GROWTH = (
    ("`kith validate`, cache warm", lambda r: r.get("validate")),
    ("`kith validate`, cold", lambda r: r.get("validate_cold")),
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
    parser.add_argument("--site-budget", type=float, default=600, help="seconds one pair of builds may take above 5,000 people (default 600)")
    parser.add_argument("--no-browser", action="store_true", help="skip the network page's drawing time")
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
        if n == targets_at["site"] and not args.no_browser:
            results[n]["draw"] = bench_draw(root, n, runs)
    rows = rows_for(results, targets_at)
    if not args.no_capture:
        rows.extend(capture_rows(args.quick))
    text = table(rows)
    notes = [
        f"Measured {dt.date.today().isoformat()} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; median of {runs} run(s), ratios pair by pair; "
        "the build figures are with kith's cache warm (`kith validate` ran first).",
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
