"""Benchmark the simulation core: a default team-year, and its cost per SimPy event.

Reports a team-year's cost in bare-SimPy-event equivalents (the model's wall time divided by one
bare event's time, measured in the same run, so the machine's speed cancels out), compares the
model's cost per processed event with a bare SimPy loop (processes that only yield
timeouts) measured in the same run, and times a 30-replication batch serially and on all cores.

    python benchmarks/bench_core.py [--reps 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from concurrent.futures import ProcessPoolExecutor

import simpy

import twomountains as tm
from twomountains.model import TeamModel
from twomountains.policies import from_spec


def count_events(scenario: tm.Scenario, policy: str, seed: int) -> int:
    model = TeamModel(scenario, from_spec(policy), seed, trace=False)
    env, n = model.env, 0
    while env.peek() < model.end:
        env.step()
        n += 1
    return n


def bare_loop(events: int, processes: int = 7) -> float:
    """Seconds per event of processes that do nothing but wait."""
    env = simpy.Environment()
    per_process = events // processes

    def idle(env: simpy.Environment):
        for _ in range(per_process):
            yield env.timeout(1.0)

    for _ in range(processes):
        env.process(idle(env))
    start = time.perf_counter()
    env.run()
    return (time.perf_counter() - start) / (per_process * processes)


def ablation(events: int, reps: int) -> dict[str, float]:
    """Median ratio to the bare loop with the daily settlement and/or the morning plan switched off.

    Without the plan, the first week's plan still runs, so people keep projects to work on.
    """
    plan, settle = TeamModel._plan_day, TeamModel._settle_day

    def first_week_plan(self: TeamModel) -> None:
        if self.env.now < 8 * 24:
            plan(self)

    def no_settle(self: TeamModel, *args: object) -> None:
        return None

    variants = {
        "the whole model": (plan, settle),
        "without the daily settlement": (plan, no_settle),
        "without the morning plan": (first_week_plan, settle),
        "neither (the event skeleton)": (first_week_plan, no_settle),
    }
    ratios: dict[str, list[float]] = {name: [] for name in variants}
    try:
        for seed in range(reps):
            for name, (plan_day, settle_day) in variants.items():
                TeamModel._plan_day, TeamModel._settle_day = plan_day, settle_day  # type: ignore[method-assign]
                start = time.perf_counter()
                tm.run(seed=seed)
                elapsed = time.perf_counter() - start
                ratios[name].append(elapsed / events / bare_loop(events))
    finally:
        TeamModel._plan_day, TeamModel._settle_day = plan, settle  # type: ignore[method-assign]
    return {name: statistics.median(values) for name, values in ratios.items()}


def _one(seed: int) -> float:
    return tm.run(seed=seed).kpis["value_delivered"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=20)
    args = parser.parse_args()
    scenario = tm.Scenario()
    tm.run(scenario, seed=0)  # warm up imports and caches
    events = statistics.fmean(count_events(scenario, "fixed:0.4", s) for s in range(5))
    # model and bare loop alternate, so a change in machine speed (shared VMs) hits both alike
    times, bares = [], []
    for seed in range(args.reps):
        start = time.perf_counter()
        tm.run(scenario, seed=seed)
        times.append(time.perf_counter() - start)
        bares.append(bare_loop(int(events)))
    run_time = statistics.median(times)
    per_event = run_time / events
    bare = statistics.median(bares)
    ratios = sorted(t / events / b for t, b in zip(times, bares, strict=True))
    print(f"default team-year (fixed:0.4): median {run_time * 1000:.1f} ms over {args.reps} runs")
    print(f"SimPy events per team-year: {events:,.0f}")
    print(
        f"cost per event: model {per_event * 1e6:.2f} us, bare SimPy loop {bare * 1e6:.2f} us, "
        f"ratio {statistics.median(ratios):.1f}x (middle half of pairs "
        f"{ratios[len(ratios) // 4]:.1f}-{ratios[3 * len(ratios) // 4]:.1f}x)"
    )
    equivalents = sorted(t / b for t, b in zip(times, bares, strict=True))
    print(
        f"cost of a team-year in bare-SimPy-event equivalents (model time / one bare event): "
        f"median {statistics.median(equivalents):,.0f} (middle half "
        f"{equivalents[len(equivalents) // 4]:,.0f}-{equivalents[3 * len(equivalents) // 4]:,.0f})"
    )
    for name, ratio in ablation(int(events), max(4, args.reps // 4)).items():
        print(f"  ratio to the bare loop, {name}: {ratio:.2f}x")
    start = time.perf_counter()
    for seed in range(30):
        _one(seed)
    serial = time.perf_counter() - start
    workers = os.cpu_count() or 1
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_one, range(workers)))  # start the workers
        start = time.perf_counter()
        list(pool.map(_one, range(30), chunksize=4))
        parallel = time.perf_counter() - start
    print(f"30 replications: {serial:.2f} s serial, {parallel:.2f} s on {workers} processes")


if __name__ == "__main__":
    main()
