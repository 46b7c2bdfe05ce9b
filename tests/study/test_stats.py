"""Output analysis: interval coverage, summaries, and choosing the number of replications."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from scipy import stats as sps

from twomountains.errors import UsageError
from twomountains.study import choose_replications, replicate, summarize
from twomountains.study.reference import normal_model
from twomountains.study.stats import relative_half_widths, replications_needed

BASE = {"mu": 10.0, "sigma": 2.0, "shift": 0.0}


def test_t_interval_covers_the_known_mean_about_95_percent_of_the_time():
    df = replicate(BASE, "p", reps=10_000, model=normal_model, backend="serial", quiet=True)
    grouped = df.assign(point=df["rep"] // 10)  # 1000 independent experiments of 10 replications
    summary = summarize(grouped, kpis=["y"])
    assert len(summary) == 1000 and (summary["n"] == 10).all()
    coverage = ((summary["ci_low"] <= 10.0) & (summary["ci_high"] >= 10.0)).mean()
    # binomial sd of the coverage of 1000 intervals is 0.007; allow about 3 sd
    assert 0.93 <= coverage <= 0.97


def test_summary_matches_scipy_for_one_cell():
    df = replicate(BASE, "p", reps=12, seed=5, model=normal_model, backend="serial", quiet=True)
    row = summarize(df).set_index("kpi").loc["y"]
    y = df["y"].to_numpy()
    low, high = sps.t.interval(0.95, len(y) - 1, loc=y.mean(), scale=sps.sem(y))
    assert row["n"] == 12
    assert row["mean"] == pytest.approx(y.mean())
    assert row["sd"] == pytest.approx(y.std(ddof=1))
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high))
    assert row["rel_half_width"] == pytest.approx((high - low) / 2 / abs(y.mean()))


def test_summary_with_one_replication_has_no_interval_and_rejects_unknown_kpi():
    df = replicate(BASE, "p", reps=1, model=normal_model, backend="serial", quiet=True)
    row = summarize(df).iloc[0]
    assert row["n"] == 1 and math.isnan(row["sd"]) and math.isnan(row["ci_low"])
    with pytest.raises(UsageError, match="unknown KPI 'nope'"):
        summarize(df, kpis=["nope"])


def test_relative_half_widths_follow_the_definition():
    rng = random.Random(1)
    xs = [rng.gauss(5, 1) for _ in range(30)]
    rel = relative_half_widths(xs)
    for n in (2, 10, 30):
        sample = np.array(xs[:n])
        half = sps.t.ppf(0.975, n - 1) * sample.std(ddof=1) / math.sqrt(n)
        assert rel[n - 1] == pytest.approx(half / sample.mean())


def test_replications_needed_requires_the_look_ahead_to_confirm():
    xs = [10.0, 10.1, 9.9] + [10.0] * 3  # precise from n=3 but only 3 more values to confirm
    assert replications_needed(xs, target=0.05, look_ahead=5) is None
    assert replications_needed(xs + [10.0] * 2, target=0.05, look_ahead=5) == 3


def test_choose_replications_is_near_the_theoretical_number():
    # half-width ~ 1.96 * sigma / sqrt(n) <= 0.05 * mu  =>  n ~ (1.96 * 2 / 0.5)^2 = 61.5
    table = choose_replications(
        BASE, "p", kpis=["y"], target=0.05, model=normal_model, backend="serial", quiet=True
    )
    row = table.set_index("kpi").loc["y"]
    assert 40 <= row["replications"] <= 90
    assert row["rel_half_width"] <= 0.05
    assert row["reps_run"] >= row["replications"] + 5


def test_choose_replications_reports_none_when_max_reps_is_too_small():
    table = choose_replications(
        BASE,
        "p",
        kpis=["y"],
        target=0.01,
        max_reps=20,
        model=normal_model,
        backend="serial",
        quiet=True,
    )
    assert table.loc[0, "replications"] is None or math.isnan(table.loc[0, "replications"])
    assert table.loc[0, "reps_run"] == 20


def test_summary_keeps_study_order_of_cells_and_kpis():
    from twomountains.study import sweep

    df = sweep(
        BASE,
        {"mu": [2.0, 1.0]},
        ["b", "a"],
        reps=3,
        model=normal_model,
        backend="serial",
        quiet=True,
    )
    summary = summarize(df, kpis=["y_shifted", "y"])
    assert summary["mu"].tolist() == [2.0] * 4 + [1.0] * 4
    assert summary["policy"].tolist() == ["b", "b", "a", "a"] * 2
    assert summary["kpi"].tolist() == ["y_shifted", "y"] * 4
