"""Shared helpers for the core tests: replicated runs under common random numbers."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

import pytest

import twomountains as tm


def _kpis(args: tuple[tm.Scenario, str, int]) -> dict[str, float]:
    scenario, policy, seed = args
    return tm.run(scenario, policy, seed).kpis


Replicator = Callable[[tm.Scenario, str, int], list[dict[str, float]]]


@pytest.fixture(scope="session")
def pool():
    with ProcessPoolExecutor(max_workers=2) as executor:
        yield executor


@pytest.fixture(scope="session")
def replicate(pool) -> Replicator:
    """KPIs of replications 0..n-1 (seed i for replication i: common random numbers)."""

    def run_many(scenario: tm.Scenario, policy: str, n: int) -> list[dict[str, float]]:
        return list(pool.map(_kpis, [(scenario, policy, seed) for seed in range(n)], chunksize=4))

    return run_many


def mean(rows: list[dict[str, float]], key: str) -> float:
    return statistics.fmean(r[key] for r in rows)


def paired_t(a: list[dict[str, float]], b: list[dict[str, float]], key: str) -> float:
    """t statistic of the paired difference a - b (same seeds, so common random numbers)."""
    diffs = [x[key] - y[key] for x, y in zip(a, b, strict=True)]
    sd = statistics.stdev(diffs)
    return statistics.fmean(diffs) / (sd / len(diffs) ** 0.5) if sd > 0 else float("inf")
