"""Speed of the classic models: one March equilibrium run, one Figure 1 grid cell, Pandora.

    .venv/bin/python benchmarks/bench_classics.py [--replications 300]

Prints wall-clock times (best of a few repeats) and the Figure 1 values it computed.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from twomountains.classics import march1991, pandora


def best_time(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=300, help="per Figure 1 cell")
    args = parser.parse_args()

    print("March (1991), single runs to equilibrium (m=30, n=50), mean over 40 seeds:")
    for p1 in (0.1, 0.5, 0.9):
        start = time.perf_counter()
        periods = [march1991.simulate(p1, 0.5, seed=s).periods for s in range(40)]
        per_run = (time.perf_counter() - start) / 40
        print(
            f"  p1={p1:.1f} p2=0.5: {per_run * 1e3:6.1f} ms per run "
            f"({sum(periods) / len(periods):.0f} periods on average)"
        )

    print(f"March (1991), Figure 1 grid cells with {args.replications} replications each:")
    total = 0.0
    for p2 in (0.1, 0.5, 0.9):
        for p1 in (0.1, 0.5, 0.9):
            start = time.perf_counter()
            reps = march1991.replicate(p1, p2, replications=args.replications, seed=0)
            elapsed = time.perf_counter() - start
            total += elapsed
            mean, low, high = reps.interval()
            print(
                f"  p1={p1:.1f} p2={p2:.1f}: {elapsed:5.2f} s per cell, "
                f"knowledge {mean:.3f} [{low:.3f}, {high:.3f}]"
            )
    print(f"  mean {total / 9:.2f} s per cell")

    boxes = [pandora.Box(0.01 * (i + 1), pandora.Uniform(0, 1 + i / 10)) for i in range(10)]
    seconds = best_time(lambda: pandora.expected_value(boxes, n_sims=100_000, seed=0), 3)
    print(f"Pandora: optimal rule, 10 boxes, 100,000 searches: {seconds:.3f} s")


if __name__ == "__main__":
    main()
