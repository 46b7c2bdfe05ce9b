"""Sensitivity analysis recovers Ishigami's known indices and runs on the model."""

from __future__ import annotations

import math
import re

import pytest

from twomountains.errors import UsageError
from twomountains.study import load_results, sensitivity
from twomountains.study.reference import ishigami_model
from twomountains.study.sensitivity_analysis import from_results

PI = math.pi
BOUNDS = {"x1": (-PI, PI), "x2": (-PI, PI), "x3": (-PI, PI)}
BASE = {"x1": 0.0, "x2": 0.0, "x3": 0.0, "noise": 0.0}
OPTS = {"base": BASE, "kpi": "y", "model": ishigami_model, "backend": "serial", "quiet": True}


def test_sobol_recovers_ishigami_indices_and_their_ordering():
    table = sensitivity(BOUNDS, "sobol", 1024, 1, **OPTS).set_index("parameter")
    s1, st = table["S1"], table["ST"]
    assert s1["x2"] > s1["x1"] > s1["x3"]
    assert st["x1"] > st["x2"] > st["x3"]
    for name, exact_s1, exact_st in (
        ("x1", 0.314, 0.558),
        ("x2", 0.442, 0.442),
        ("x3", 0.0, 0.244),
    ):
        assert abs(s1[name] - exact_s1) <= 2 * table.loc[name, "S1_conf"] + 0.02
        assert abs(st[name] - exact_st) <= 2 * table.loc[name, "ST_conf"] + 0.02


def test_morris_flags_x3_as_acting_only_through_interaction():
    table = sensitivity(BOUNDS, "morris", 100, 1, **OPTS).set_index("parameter")
    assert table["mu_star"].idxmin() == "x3"
    # x3 enters only via x3**4 * sin(x1): its signed effects cancel while their spread is largest
    assert abs(table.loc["x3", "mu"]) < 0.1 * table.loc["x3", "mu_star"]
    assert table["sigma"].idxmax() == "x3"


def test_noisy_model_uses_mean_over_replications_with_common_seeds(tmp_path):
    noisy = {**OPTS, "base": {**BASE, "noise": 0.5}}
    out = tmp_path / "sobol.parquet"
    table = sensitivity(BOUNDS, "sobol", 256, 4, out=out, **noisy)
    df = load_results(out)
    assert len(df) == 256 * 5 * 4 and df.attrs["provenance"]["design"]["method"] == "sobol"
    again = from_results(df)
    assert again[["S1", "ST"]].equals(table[["S1", "ST"]])


@pytest.mark.parametrize(
    ("method", "n", "fragment"),
    [("fast", 8, "method: got 'fast'"), ("sobol", 100, "power of two"), ("morris", 1, "n: got 1")],
)
def test_bad_arguments(method, n, fragment):
    with pytest.raises(UsageError, match=fragment):
        sensitivity(BOUNDS, method, n, 1, **OPTS)


def test_runs_on_the_simulation_model():
    table = sensitivity(
        {"team_size": (3, 8), "deadline_weeks": (4.0, 16.0)},
        "morris",
        n=3,
        reps=2,
        base={"horizon_weeks": 26},
        backend="serial",
        quiet=True,
    )
    assert table["parameter"].tolist() == ["team_size", "deadline_weeks"]
    assert table[["mu_star", "sigma"]].notna().all().all()
    assert (table["mu_star"] >= 0).all()
    assert table.attrs == {"method": "morris", "kpi": "value_delivered", "runs": 18, "points": 9}


def test_salib_problem_dictionary_gives_the_same_indices_as_bounds():
    salib = {"num_vars": 3, "names": list(BOUNDS), "bounds": [list(b) for b in BOUNDS.values()]}
    by_bounds = sensitivity(BOUNDS, "morris", 8, 1, **OPTS)
    by_salib = sensitivity(salib, "morris", 8, 1, batch_size=7, **OPTS)
    assert by_salib.equals(by_bounds)
    without_num_vars = {k: v for k, v in salib.items() if k != "num_vars"}
    assert sensitivity(without_num_vars, "morris", 8, 1, **OPTS).equals(by_bounds)


def test_salib_groups_give_one_row_per_group(tmp_path):
    problem = {"names": list(BOUNDS), "bounds": list(BOUNDS.values()), "groups": ["a", "a", "b"]}
    out = tmp_path / "groups.parquet"
    table = sensitivity(problem, "sobol", 256, 1, out=out, **OPTS)
    assert table["group"].tolist() == ["a", "b"]
    assert len(load_results(out)) == 256 * (2 + 2)  # Sobol: n * (groups + 2) points
    # x1 and x2 together carry more than x3 alone (x3 acts only with x1)
    assert table.set_index("group").loc["a", "ST"] > table.set_index("group").loc["b", "ST"]
    assert from_results(load_results(out))[["S1", "ST"]].equals(table[["S1", "ST"]])


@pytest.mark.parametrize(
    ("problem", "fragment"),
    [
        ({"names": ["x1", "x2"], "bounds": [[0, 1]]}, "one [low, high] per name"),
        ({"names": ["x1", "x2"], "bounds": [[0, 1], [0, 1]], "num_vars": 3}, "num_vars"),
        ({"names": ["x1", "x2"], "bounds": [[0, 1], [0, 1]], "dists": ["unif"]}, "key 'dists'"),
        ({"names": ["x1", "x2"], "bounds": [[0, 1], [1, 0]]}, "bounds of 'x2'"),
        ({"names": ["x1", "x2"], "bounds": [[0, 1], [0, 1]], "groups": ["g"]}, "groups"),
        ({"names": ["x1", "x9"], "bounds": [[0, 1], [0, 1]]}, "unknown parameter 'x9'"),
        ([("x1", (0, 1))], "problem: got list"),
    ],
)
def test_bad_salib_problems_are_named(problem, fragment):
    with pytest.raises(UsageError, match=re.escape(fragment)):
        sensitivity(problem, "morris", 4, 1, **OPTS)
