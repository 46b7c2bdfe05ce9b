"""Speed and size of the in-page explorer: Pyodide start-up, time per run, bytes shipped.

    .venv/bin/python benchmarks/bench_explorer.py [--site DIR] [--runs 5]

Without ``--site`` it builds the small explorer site of ``tests/explorer`` (needs npm); with it,
it serves an already built site (e.g. ``site/`` after ``python3 dev.py build``). It opens the explorer
in headless Chromium (/usr/lib/chromium/chromium) from 127.0.0.1, a fresh browser profile each
time, and prints the start-up time, the time per run for several seeds (in the page, and the same
runs in this CPython), and the bytes of the explorer's files (raw and gzipped).
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import statistics
import tempfile
import time
from pathlib import Path

import twomountains as tm

ROOT = Path(__file__).resolve().parent.parent


def _fixtures():  # type: ignore[no-untyped-def]
    """The explorer tests' site builder and server (one definition for tests and benchmark)."""
    spec = importlib.util.spec_from_file_location(
        "explorer_fixtures", ROOT / "tests/explorer/conftest.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--site", type=Path, help="a built site folder (default: build a small one)"
    )
    parser.add_argument("--runs", type=int, default=5, help="runs with different seeds")
    parser.add_argument("--loads", type=int, default=3, help="page loads for the start-up time")
    args = parser.parse_args()
    fx = _fixtures()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or fx.build_site(Path(tmp))
        manifest = json.loads((site / "explorer" / "manifest.json").read_text())
        if not manifest.get("available"):
            raise SystemExit(f"the explorer runtime is not in {site}: {manifest.get('reason')}")
        served = fx.serve(site)
        url = next(served) + "/explorer/index.html"
        startups, stages, firsts, page_runs = [], [], [], []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(fx.CHROMIUM), args=fx.CHROMIUM_ARGS)
            for load in range(args.loads):
                page = browser.new_context().new_page()
                page.set_default_timeout(120_000)
                start = time.perf_counter()
                page.goto(url)
                page.wait_for_function(
                    "window.twomountainsExplorer && window.twomountainsExplorer.runs >= 1"
                )
                firsts.append(time.perf_counter() - start)
                startups.append(page.evaluate("window.twomountainsExplorer.startupMs") / 1000)
                stages.append(page.evaluate("window.twomountainsExplorer.startupStagesMs"))
                if load == 0:
                    for seed in range(1, args.runs + 1):
                        page.locator(".tm-explorer[data-url-state]").get_by_label("Seed").fill(
                            str(seed)
                        )
                        page.keyboard.press("Enter")
                        page.wait_for_function(f"window.twomountainsExplorer.runs >= {seed + 1}")
                    page_runs = page.evaluate("window.twomountainsExplorer.runTimesMs")[1:]
                page.context.close()
            browser.close()
        total = gz_total = 0
        for folder in ("pyodide", "wheels"):
            for path in sorted((site / "explorer" / folder).iterdir()):
                raw = path.stat().st_size
                gz = len(gzip.compress(path.read_bytes(), 6))
                total, gz_total = total + raw, gz_total + gz
                print(f"  {folder}/{path.name}: {raw / 1e6:.3f} MB (gzip {gz / 1e6:.3f} MB)")
        own = sum(
            (site / "explorer" / n).stat().st_size
            for n in ("explorer.js", "worker.js", "explorer.css")
        )
        print(
            f"explorer runtime files: {total / 1e6:.2f} MB raw, {gz_total / 1e6:.2f} MB gzipped; "
            f"page scripts and style {own / 1e3:.1f} kB"
        )
        next(served, None)
    cpython = []
    for seed in range(1, args.runs + 1):
        start = time.perf_counter()
        tm.run(tm.Scenario(), policy="fixed:0.4", seed=seed)
        cpython.append(time.perf_counter() - start)
    print(f"Pyodide {manifest['pyodide_version']} (Python {manifest['python_version']})")
    print(
        f"start-up in the worker (load, wheels, import): median {statistics.median(startups):.2f} s "
        f"over {len(startups)} loads {[round(s, 2) for s in startups]}"
    )
    print(f"  stages (ms, first load): {stages[0]}")
    print(f"navigation to first result: median {statistics.median(firsts):.2f} s")
    print(
        f"one run of the default scenario in the page: median {statistics.median(page_runs) / 1000:.3f} s "
        f"over {len(page_runs)} seeds; in CPython: median {statistics.median(cpython):.3f} s"
    )


if __name__ == "__main__":
    main()
