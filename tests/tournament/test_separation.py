"""The tournament's warning when its replications cannot separate the entries from the leader."""

from __future__ import annotations

import math
import random

import pandas as pd
import pytest

from twomountains.tournament.scoring import (
    paired_interval,
    replication_advice,
    replications_to_separate,
)


def per_rep(scores: dict[str, list[float]]) -> pd.DataFrame:
    rows = [
        {"participant": pid, "seed": seed, "score": value}
        for pid, values in scores.items()
        for seed, value in enumerate(values)
    ]
    return pd.DataFrame(rows)


def noisy(mean: float, shared: list[float], sd: float, rng: random.Random) -> list[float]:
    # common random numbers: a shared luck per seed plus the entry's own noise
    return [mean + s + rng.gauss(0.0, sd) for s in shared]


def test_clear_gaps_give_no_warning():
    rng = random.Random(1)
    shared = [rng.gauss(0.0, 1.0) for _ in range(10)]
    scores = {f"e{i}": noisy(1.0 - 0.3 * i, shared, 0.02, rng) for i in range(5)}
    assert replication_advice(per_rep(scores), list(scores)) is None


def test_most_entries_tied_with_the_leader_warns_with_a_count_that_would_separate_half():
    rng = random.Random(2)
    shared = [rng.gauss(0.0, 1.0) for _ in range(3)]
    scores = {f"e{i}": noisy(1.0 - 0.1 * i, shared, 0.3, rng) for i in range(6)}
    order = list(scores)
    advice = replication_advice(per_rep(scores), order)
    assert advice is not None and "3 replications cannot separate them" in advice
    suggested = int(advice.split("--reps ")[1].rstrip(").").split()[0])
    assert suggested > 3
    # the count is the median of the per-entry counts computed from the paired differences
    leader = scores[order[0]]
    needed = sorted(
        replications_to_separate(
            float(pd.Series(leader).sub(scores[p]).mean()),
            float(pd.Series(leader).sub(scores[p]).std(ddof=1)),
        )
        for p in order[1:]
    )
    assert suggested == needed[2]  # the 3rd smallest of 5: at that count, half would separate
    tied = sum(paired_interval(leader, scores[p])[0] <= 0 for p in order[1:])
    assert f"{tied} of 5 entries are tied" in advice


def test_entries_with_no_difference_at_all_are_called_equal():
    same = [1.0, 2.0, 0.5]
    scores = {"a": same, "b": list(same), "c": list(same)}
    advice = replication_advice(per_rep(scores), ["a", "b", "c"])
    assert advice is not None and "treat them as equal" in advice


@pytest.mark.parametrize(("mean", "sd"), [(0.5, 1.0), (0.2, 1.0), (1.0, 3.0)])
def test_suggested_count_separates_with_about_80_percent_power(mean, sd):
    n = replications_to_separate(mean, sd)
    rng = random.Random(3)
    trials = 2000
    separated = 0
    for _ in range(trials):
        d = [rng.gauss(mean, sd) for _ in range(n)]
        low, high = paired_interval(d, [0.0] * n)
        separated += low > 0 or high < 0
    assert abs(separated / trials - 0.8) < 0.04
    assert math.isinf(replications_to_separate(0.0, sd))
