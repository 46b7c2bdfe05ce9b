"""Speed of a class tournament: 30 entries, 3 scenarios, 10 replications (the issue's yardstick).

    .venv/bin/python benchmarks/bench_tournament.py [--entries 30] [--reps 10] [--jobs N]

Writes 30 varied entries (fixed splits, tuned adaptive policies, hand-written rules) to a temporary
folder, runs the tournament on default, startup_crunch and uncharted (full 52-week horizon) with
the built-ins shown, and prints the wall time, the simulation runs done and the cost of one
sandboxed subprocess with no runs (the per-entry overhead).
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

from twomountains.tournament import Limits, run_tournament
from twomountains.tournament.sandbox import network_namespace_available, run_in_sandbox

FIXED = """
import twomountains as tm

NAME = "Fixed {share}"
AUTHOR = "Student {i}"


class Policy(tm.policies.FixedSplit):
    def __init__(self):
        super().__init__(explore_share={share}, platform_share={platform})
"""

ADAPTIVE = """
import dataclasses

import twomountains as tm

NAME = "Adaptive {hours}h"
AUTHOR = "Student {i}"


class Policy(tm.policies.Adaptive):
    def __init__(self):
        super().__init__(stop_ratio={ratio}, platform_share={platform})

    def decide(self, view):
        return dataclasses.replace(super().decide(view), max_weekly_hours={hours})
"""

HANDMADE = """
from twomountains.policies import Decision

NAME = "Calendar {share}"
AUTHOR = "Student {i}"


class Policy:
    def decide(self, view):
        commit = frozenset(
            p.id
            for p in view.projects
            if p.phase == "exploring"
            and view.week - p.arrival_week >= {share} * (p.deadline_week - p.arrival_week)
        )
        tired = {{p.slot: 40.0 for p in view.people if p.present and p.exhaustion > 0.6}}
        return Decision(platform_share={platform}, max_weekly_hours=45.0, commit=commit,
                        person_max_weekly_hours=tired)
"""


def write_class(folder: Path, n: int) -> None:
    for i in range(n):
        kind = i % 3
        if kind == 0:
            text = FIXED.format(i=i, share=round(0.1 + 0.03 * i, 2), platform=0.1)
        elif kind == 1:
            text = ADAPTIVE.format(i=i, ratio=0.005 * (1 + i % 4), platform=0.15, hours=40 + i % 8)
        else:
            text = HANDMADE.format(i=i, share=round(0.2 + 0.02 * i, 2), platform=0.12)
        (folder / f"student_{i:02d}.py").write_text(text)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=30)
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=None, help="default: all CPUs")
    args = parser.parse_args()

    start = time.perf_counter()
    empty = run_in_sandbox({"scenarios": [], "seeds": [], "builtin": "adaptive"}, Limits())
    overhead = time.perf_counter() - start
    assert empty.ok, empty.reason

    with tempfile.TemporaryDirectory() as tmp:
        write_class(Path(tmp), args.entries)
        start = time.perf_counter()
        cpu_before = _children_cpu()
        result = run_tournament(
            tmp, reps=args.reps, include_builtins=True, jobs=args.jobs, progress=False
        )
        wall = time.perf_counter() - start
        cpu = _children_cpu() - cpu_before
    board = result.leaderboard
    ranked = int((board["status"] == "ranked").sum())
    participants = len(board)
    runs = participants * len(result.scenarios) * result.reps
    print(f"cpus: {os.cpu_count()}, jobs: {args.jobs or os.cpu_count()}")
    print(f"network namespace: {'yes' if network_namespace_available() else 'no'}")
    print(f"sandbox start-up (one subprocess, no runs): {overhead:.2f} s")
    print(
        f"tournament: {args.entries} entries + 6 built-ins, {len(result.scenarios)} scenarios, "
        f"{result.reps} reps = {runs} runs: {wall:.1f} s wall ({ranked} ranked)"
    )
    print(f"per simulation run (wall, all cores): {wall / runs * 1000:.0f} ms")
    print(
        f"CPU time of all entry subprocesses: {cpu:.1f} s (ideal wall on {os.cpu_count()} idle "
        f"cores: {cpu / (args.jobs or os.cpu_count() or 1):.1f} s); load average during the "
        f"run: {os.getloadavg()[0]:.1f}"
    )
    top = board.iloc[0]
    print(
        f"top: {top['name']} score {top['score']:.3f}, rank-1 group size "
        f"{int((board['rank'] == 1).sum())}"
    )


if __name__ == "__main__":
    main()
