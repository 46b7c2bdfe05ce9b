"""Fitting the synthetic team with the defaults: wall time on local processes (budget: 5 minutes).

    .venv/bin/python benchmarks/bench_fit.py              # the defaults on 2 processes
    .venv/bin/python benchmarks/bench_fit.py --jobs 4 --draws 4000

Prints the reference-table size, the accepted draws, the seconds of the whole fit (reference
table, posterior and the posterior-predictive check; worker start-up included), the seconds per
simulated run, and each parameter's interval against the truth. The machine may be shared: the
load average at the start is printed, and the best of ``--repeats`` fits is kept (a fresh table
each time: nothing is stored between them).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tomllib
from pathlib import Path

from twomountains.fit import fit
from twomountains.fit.core import CHECK_DRAWS, DEFAULT_DRAWS
from twomountains.records import synthetic_team
from twomountains.study import ExecutionOptions

BUDGET_SECONDS = 300.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--draws", type=int, default=DEFAULT_DRAWS, help="prior draws")
    parser.add_argument("--repeats", type=int, default=1, help="fits timed (best kept)")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, jobs={args.jobs}")
    with tempfile.TemporaryDirectory() as tmp:
        team = synthetic_team(Path(tmp) / "team", seed=0)
        truth = tomllib.loads((team / "truth.toml").read_text())
        best = float("inf")
        result = None
        for _ in range(args.repeats):
            load = os.getloadavg()[0]
            start = time.perf_counter()
            result = fit(
                team, draws=args.draws, execution=ExecutionOptions(jobs=args.jobs, quiet=True)
            )
            seconds = time.perf_counter() - start
            best = min(best, seconds)
            print(f"fit: {seconds:.1f} s wall (load average at start {load:.1f})")
    assert result is not None
    runs = args.draws + CHECK_DRAWS
    print(
        f"reference table: {args.draws} draws, {result.provenance['accepted']} accepted; "
        f"{runs} runs in all ({best / runs * 1000:.0f} ms wall per run on {args.jobs} processes)"
    )
    verdict = "within" if best < BUDGET_SECONDS else "OVER"
    print(f"best fit: {best:.1f} s, {verdict} the {BUDGET_SECONDS:.0f} s budget")
    for name, p in result.params.items():
        inside = "inside" if p["low"] <= truth[name] <= p["high"] else "OUTSIDE"
        print(
            f"  {name:26} {p['estimate']:8.4g} [{p['low']:.4g}, {p['high']:.4g}]  "
            f"truth {truth[name]:g} {inside}"
        )


if __name__ == "__main__":
    main()
