"""``make bench``: run every benchmark, print a table, write benchmarks/results.json and the table of
docs/performance.md.

Usage: python -m benchmarks [--runs N] [--only ingest metrics store pages first_visit memory deck stall tiers]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time

from . import bench_burst, bench_deck, bench_ingest, bench_metrics, bench_pages, bench_store, bench_tiers
from .common import ROOT, SAMPLE, work_dir

RESULTS = ROOT / "benchmarks" / "results.json"
PERFORMANCE = ROOT / "docs" / "performance.md"
# The part of docs/performance.md that `make bench` writes from results.json (tests/test_readme.py checks it).
BEGIN, END = "<!-- bench:begin (written by make bench from benchmarks/results.json) -->", "<!-- bench:end -->"


def sample_store() -> str:
    from ccm_analytics.reading import read_paths
    from ccm_analytics.store import Store

    path = work_dir() / "sample.duckdb"
    for p in path.parent.glob(path.name + "*"):
        p.unlink()
    Store(path).load(read_paths([SAMPLE]), user="bench", action="sample")
    return str(path)


def machine() -> dict:
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024 ** 3, 1)}


def check(results: dict) -> list[tuple[str, float, str, bool]]:
    rows = []

    def add(name, value, target, ok):
        rows.append((name, value, target, ok))

    if "ingest" in results:
        r = results["ingest"]
        add("ingest: seconds (100,000 spend rows)", r["seconds"], "", True)
        add("ingest: speed-up vs openpyxl", r["speedup_vs_openpyxl"], ">= 10", r["speedup_vs_openpyxl"] >= 10)
        add("ingest: ratio to the raw-reader floor", r["ratio_to_floor"], "<= 2", r["ratio_to_floor"] <= 2)
    if "metrics" in results:
        r = results["metrics"]
        add("metrics: seconds (1M spend rows)", r["seconds"], "< 0.5", r["seconds"] < 0.5)
        add("metrics: series seconds", r["series_seconds"], "< 1", r["series_seconds"] < 1)
        add("metrics: scaling ratio (10x rows)", r["scaling"]["ratio"], "<= 12", r["scaling"]["ratio"] <= 12)
    if "store" in results:
        r = results["store"]
        add("store: a read's milliseconds (lock, connection, query)", r["read_ms"], "", True)
        add("store: read ratio to a DuckDB connect of the file", r["ratio_to_connect"], "<= 0.5",
            r["ratio_to_connect"] <= 0.5)
    if "pages" in results:
        r = results["pages"]
        add("pages: floor page seconds, at /", r["floor_seconds"], "", True)
        if "floor_deep_link_seconds" in r:
            add("pages: floor page seconds, at /floor", r["floor_deep_link_seconds"], "", True)
        for name, p in r["pages"].items():
            add(f"pages: {name} ratio to floor", p["ratio_to_floor"], "<= 1.5", p["ratio_to_floor"] <= 1.5)
        c = r["as_of_change"]
        add("pages: as-of change ratio to floor rerun", c["ratio_to_floor"], "<= 1.5", c["ratio_to_floor"] <= 1.5)
    if "first_visit" in results:
        r = results["first_visit"]
        limit = r["limit_seconds"]
        for name, seconds in r["pages"].items():
            add(f"first visit: {name} seconds", seconds, f"< {limit:.2f}", seconds < limit)
    if "memory" in results:
        r = results["memory"]
        add("memory: server MB, sample data", r["sample_mb"], "< 400", r["sample_mb"] < 400)
        add("memory: server MB, large store", r["large_store_mb"], "", True)
    if "deck" in results:
        r = results["deck"]
        add("deck: seconds (sample data)", r["seconds"], "< 2", r["seconds"] < 2)
    if "stall" in results:
        r = results["stall"]
        add(f"stall: seconds a visitor waits after {r['burst']} reruns", r["app"]["freeze_seconds"], "", True)
        add("stall: ditto, Streamlit's one-chart app (defaults)", r["floor_streamlit_defaults"]["freeze_seconds"], "",
            True)
        add("stall: burst ratio to the one-chart app (defaults)", r["ratio_to_floor"], "<= 1", r["ratio_to_floor"] <= 1)
        add("stall: burst ratio to the one-chart app (same config)", r["ratio_to_floor_same_config"], "",
            True)
        s = r["clear_cache_storm"]["slowdown"]
        add("stall: page slowdown, clear_cache every 50 ms", s, "<= 1.5", s <= 1.5)
        e = r["export_latest_day"]["cpu_seconds"]
        add("stall: workbook as at 2099-12-31, CPU seconds", e, "< 5", e < 5)
    if "tiers" in results:
        r = results["tiers"]
        add("tiers: make check, seconds (linters and the fast tier)", r["check_seconds"], "< 90",
            r["check_seconds"] < 90)
        add(f"tiers: one test file alone ({r['one_file']}), seconds", r["one_file_seconds"], "< 15",
            r["one_file_seconds"] < 15)
    return rows


def results_table(results: dict) -> str:
    """The Markdown table of every figure in ``results`` (as :func:`check` computes them), with when and where."""
    m = results.get("machine", {})
    lines = [f"Measured {results.get('measured_at', '?')}, `--runs {results.get('runs', '?')}`, {m.get('cpus', '?')} CPUs, "
             f"{m.get('memory_gb', '?')} GB, Python {m.get('python', '?')}.", "",
             "| figure | value | target | met |", "|---|---:|---|---|"]
    for name, value, target, ok in check(results):
        met = "yes" if ok else ("" if not target else "**no**")
        lines.append(f"| {name} | {value:.3f} | {target} | {met} |")
    return "\n".join(lines)


def write_table(doc_text: str, table: str) -> str:
    """``doc_text`` with the part between the markers replaced by ``table``."""
    head, rest = doc_text.split(BEGIN, 1)
    _old, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{table}\n{END}{tail}"


def main() -> None:
    ap = argparse.ArgumentParser(description="Run the benchmarks and write benchmarks/results.json.")
    ap.add_argument("--runs", type=int, default=5, help="runs per figure (the median is reported)")
    ap.add_argument("--only", nargs="*", default=["ingest", "metrics", "store", "pages", "first_visit", "memory",
                                                  "deck", "stall", "tiers"])
    args = ap.parse_args()
    started = time.perf_counter()
    results: dict = {"measured_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                     "machine": machine(), "runs": args.runs}
    db = sample_store() if {"store", "pages", "first_visit", "memory", "stall"} & set(args.only) else None
    for name in args.only:
        print(f"running {name}...", file=sys.stderr, flush=True)
        if name == "ingest":
            results["ingest"] = bench_ingest.run(args.runs)
        elif name == "metrics":
            results["metrics"] = bench_metrics.run(args.runs)
        elif name == "store":
            results["store"] = bench_store.run(db, args.runs)
        elif name == "pages":
            results["pages"] = bench_pages.run(args.runs, db=db)
        elif name == "first_visit":
            results["first_visit"] = bench_pages.first_visits(min(args.runs, 3), db=db)
        elif name == "memory":
            results["memory"] = bench_pages.memory(db, str(bench_metrics.large_store().path))
        elif name == "deck":
            results["deck"] = bench_deck.run(args.runs)
        elif name == "stall":
            results["stall"] = bench_burst.run(db)
        elif name == "tiers":
            results["tiers"] = bench_tiers.run(args.runs)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    merged = {**previous, **results}  # a run of some benchmarks (--only) keeps the others' last figures
    rows = check(merged)
    merged["summary"] = [{"figure": n, "value": v, "target": t, "met": ok} for n, v, t, ok in rows]
    RESULTS.write_text(json.dumps(merged, indent=1) + "\n")
    PERFORMANCE.write_text(write_table(PERFORMANCE.read_text(encoding="utf-8"), results_table(merged)), encoding="utf-8")
    width = max(len(n) for n, *_ in rows)
    print(f"\n{'figure':<{width}}  {'value':>10}  {'target':>8}  met")
    for n, v, t, ok in rows:
        print(f"{n:<{width}}  {v:>10.3f}  {t:>8}  {'yes' if ok else ('-' if not t else 'NO')}")
    print(f"\n{results['machine']['cpus']} CPUs, Python {results['machine']['python']}; "
          f"took {time.perf_counter() - started:.0f} s; written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
