"""Design generation and command-line value parsing."""

from __future__ import annotations

import pytest

from twomountains.errors import UsageError
from twomountains.study import design, lhs

BASE = {"team_size": 6, "deadline_weeks": 10.0, "enable_debt": True}


def test_factorial_fixes_scalars_and_sweeps_lists_last_fastest():
    fixed, points = design.factorial(
        {"enable_debt": False, "team_size": [2, 4], "deadline_weeks": [4, 8.5]}, BASE
    )
    assert fixed == {"enable_debt": False}
    assert points == [
        {"team_size": 2, "deadline_weeks": 4.0},
        {"team_size": 2, "deadline_weeks": 8.5},
        {"team_size": 4, "deadline_weeks": 4.0},
        {"team_size": 4, "deadline_weeks": 8.5},
    ]
    assert all(isinstance(p["deadline_weeks"], float) for p in points)


@pytest.mark.parametrize(
    ("grid", "fragment"),
    [
        ({"team_sise": [1, 2]}, "unknown parameter 'team_sise'"),
        ({"team_size": [2.5]}, "'team_size': got 2.5, allowed: a whole number"),
        ({"team_size": []}, "empty list"),
        ({"enable_debt": [2]}, "allowed: true or false"),
        ({"deadline_weeks": ["x"]}, "allowed: a number"),
    ],
)
def test_factorial_rejects_bad_input_naming_field_and_value(grid, fragment):
    with pytest.raises(UsageError, match=fragment.replace("(", r"\(")):
        design.factorial(grid, BASE)


def test_lhs_is_stratified_reproducible_and_rounds_integers():
    pts = lhs({"deadline_weeks": (2.0, 12.0), "team_size": (2, 20)}, 10, seed=3)
    assert pts == lhs({"deadline_weeks": (2.0, 12.0), "team_size": (2, 20)}, 10, seed=3)
    assert pts != lhs({"deadline_weeks": (2.0, 12.0), "team_size": (2, 20)}, 10, seed=4)
    strata = sorted(int((p["deadline_weeks"] - 2.0) // 1.0) for p in pts)
    assert strata == list(range(10))  # one point in each of the 10 equal-width strata
    assert all(isinstance(p["team_size"], int) and 2 <= p["team_size"] <= 20 for p in pts)


def test_lhs_uses_base_types_for_rounding():
    pts = lhs({"deadline_weeks": (2, 12)}, 5, seed=0, base=BASE)
    assert all(isinstance(p["deadline_weeks"], float) for p in pts)
    assert len({p["deadline_weeks"] for p in pts}) == 5


@pytest.mark.parametrize("bounds", [{"x": (1, 1)}, {"x": (2, 1)}, {"x": (1,)}, {}])
def test_bad_bounds(bounds):
    with pytest.raises(UsageError, match="bounds"):
        lhs(bounds, 4)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0:1:0.25", [0.0, 0.25, 0.5, 0.75, 1.0]),
        ("2:10:4", [2, 6, 10]),
        ("0:0.3:0.1", [0.0, 0.1, 0.2, 0.3]),
        ("4,6,8", [4, 6, 8]),
        ("true,false", [True, False]),
    ],
)
def test_parse_range(text, expected):
    assert design.parse_range("x", text) == expected


@pytest.mark.parametrize("text", ["0:1", "1:0:0.1", "0:1:0", "a:b:c", "0:1:0.1:2", ","])
def test_parse_range_rejects_malformed(text):
    with pytest.raises(UsageError, match="--param x"):
        design.parse_range("x", text)


def test_sweep_over_an_lhs_design_keeps_its_points_and_types():
    from twomountains.study import sweep
    from twomountains.study.reference import normal_model

    base = {"mu": 1.0, "sigma": 0.5, "shift": 0.0}
    points = lhs({"mu": (0.0, 10.0), "sigma": (0.1, 1.0)}, 6, seed=2)
    df = sweep(
        base,
        {"shift": 1.0},
        ["p"],
        reps=2,
        design=points,
        model=normal_model,
        backend="serial",
        quiet=True,
    )
    assert list(df.columns[:6]) == ["point", "mu", "sigma", "policy", "rep", "seed"]
    assert df.groupby("point")[["mu", "sigma"]].first().to_dict("records") == points
    assert (df["y_shifted"] - df["y"]).round(12).eq(1.0).all()  # the fixed override applies
    with pytest.raises(UsageError, match="not both"):
        sweep(
            base, {"shift": [0.0, 1.0]}, ["p"], design=points, model=normal_model, backend="serial"
        )
    with pytest.raises(UsageError, match="design row 1"):
        sweep(base, design=[{"mu": 1.0}, {"sigma": 1.0}], model=normal_model, backend="serial")
