"""Weitzman's Pandora's boxes: reservation values, the optimal rule and its rivals."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from twomountains.classics.pandora import (
    Box,
    Discrete,
    Normal,
    Uniform,
    expected_excess,
    expected_value,
    explain_search,
    optimal_expected_value,
    reservation_value,
)
from twomountains.errors import UsageError


@pytest.mark.parametrize("cost", [0.001, 0.02, 0.125, 0.3, 0.5])
def test_uniform_closed_form_is_one_minus_sqrt_2c(cost: float) -> None:
    z = reservation_value(cost, Uniform(0, 1))
    assert z == pytest.approx(1 - math.sqrt(2 * cost), abs=1e-12)
    assert reservation_value(cost, Uniform(0, 1), method="numeric") == pytest.approx(z, abs=1e-9)


@pytest.mark.parametrize(("lo", "hi", "cost"), [(2, 5, 0.4), (-1, 1, 0.9), (0, 10, 7.0)])
def test_uniform_closed_form_agrees_with_root_finding(lo: float, hi: float, cost: float) -> None:
    dist = Uniform(lo, hi)
    z = reservation_value(cost, dist)
    assert reservation_value(cost, dist, method="numeric") == pytest.approx(z, abs=1e-9)
    assert expected_excess(dist, z) == pytest.approx(cost, abs=1e-12)


def test_discrete_closed_form_by_hand_and_by_root_finding() -> None:
    dist = Discrete([0, 1, 2], [0.6, 0.3, 0.1])
    # E[(X - 1)+] = 0.1 * (2 - 1) = 0.1, so a box costing 0.1 has z = 1
    assert reservation_value(0.1, dist) == pytest.approx(1.0, abs=1e-12)
    for cost in (0.01, 0.05, 0.2, 0.45, 0.6, 1.5):
        z = reservation_value(cost, dist)
        assert reservation_value(cost, dist, method="numeric") == pytest.approx(z, abs=1e-7)
        assert expected_excess(dist, z) == pytest.approx(cost, abs=1e-12)
    # above E[X] - min, z falls below the support: z = E[X] - c
    assert reservation_value(1.5, dist) == pytest.approx(0.5 - 1.5)


@pytest.mark.parametrize("cost", [0.005, 0.3, 2.5])
def test_normal_reservation_value_solves_the_loss_equation(cost: float) -> None:
    dist = Normal(1.0, 2.0)
    z = reservation_value(cost, dist)
    u = (z - 1.0) / 2.0
    loss = 2.0 * (stats.norm.pdf(u) - u * stats.norm.sf(u))
    assert loss == pytest.approx(cost, rel=1e-9)
    # a frozen scipy distribution goes through the generic numeric path
    assert reservation_value(cost, stats.norm(1.0, 2.0)) == pytest.approx(z, abs=1e-7)


def test_single_uniform_box_is_worth_half_minus_cost() -> None:
    box = Box(0.08, Uniform(0, 1))
    assert optimal_expected_value([box]) == pytest.approx(0.5 - 0.08, abs=1e-10)
    estimate = expected_value([box], n_sims=50_000, seed=1)
    assert abs(estimate.mean - 0.42) < 4 * estimate.se


BOXES = [
    Box(0.05, Uniform(0, 1), "uniform"),
    Box(0.2, Normal(0.6, 0.5), "normal"),
    Box(0.1, Discrete([0, 1, 2], [0.6, 0.3, 0.1]), "discrete"),
    Box(0.02, stats.expon(scale=0.5), "exponential"),
]


def test_optimal_rule_matches_theory() -> None:
    theory = optimal_expected_value(BOXES)
    estimate = expected_value(BOXES, "optimal", n_sims=100_000, seed=2)
    assert abs(estimate.mean - theory) < 4 * estimate.se
    assert 1 <= estimate.mean_opened <= len(BOXES)


def test_optimal_rule_matches_theory_when_a_box_must_be_opened() -> None:
    boxes = [Box(0.3, Uniform(0, 1)), Box(0.4, Uniform(0, 2))]
    theory = optimal_expected_value(boxes, outside=-5.0)
    estimate = expected_value(boxes, n_sims=100_000, seed=3, outside=-5.0)
    assert abs(estimate.mean - theory) < 4 * estimate.se


@pytest.mark.parametrize("rival", ["all", "one", ("k", 2), ("k", 3)])
def test_optimal_rule_beats_its_rivals(rival) -> None:
    best = expected_value(BOXES, "optimal", n_sims=50_000, seed=4)
    other = expected_value(BOXES, rival, n_sims=50_000, seed=4)
    assert best.mean - other.mean > 3 * math.hypot(best.se, other.se)


def test_expected_value_is_reproducible() -> None:
    first = expected_value(BOXES, n_sims=5_000, seed=9)
    assert expected_value(BOXES, n_sims=5_000, seed=9) == first
    assert expected_value(BOXES, n_sims=5_000, seed=10).mean != first.mean


@pytest.mark.parametrize("seed", range(5))
def test_explained_search_follows_weitzmans_rule(seed: int) -> None:
    steps = explain_search(BOXES, seed=seed)
    opened, stop = steps[:-1], steps[-1]
    assert opened and stop.box is None and stop.name == "stop"
    z = [s.reservation_value for s in opened]
    assert z == sorted(z, reverse=True)
    assert z[0] == max(b.reservation_value for b in BOXES)
    best = 0.0
    for step in opened:
        assert best < step.reservation_value  # opened only while the box could beat the best
        best = max(best, step.value)
        assert step.best == best
    assert stop.best >= stop.reservation_value
    assert stop.total_cost == pytest.approx(sum(BOXES[s.box].cost for s in opened))
    assert all(s.decision for s in steps)


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: Box(0.0, Uniform(0, 1)), "cost"),
        (lambda: Box(-1, Uniform(0, 1)), "cost"),
        (lambda: Uniform(1, 0), "lo < hi"),
        (lambda: Normal(0, 0), "sigma"),
        (lambda: Discrete([0, 1], [0.5, 0.6]), "probs"),
        (lambda: Box(0.1, object()), "cdf"),
        (lambda: expected_value(BOXES, ("k", 9)), "policy"),
        (lambda: expected_value(BOXES, n_sims=1), "n_sims"),
        (lambda: reservation_value(0.1, Uniform(0, 1), method="guess"), "method"),
    ],
)
def test_bad_input_is_named(build, field: str) -> None:
    with pytest.raises(UsageError, match=field):
        build()


def test_docstring_examples_hold() -> None:
    import doctest

    from twomountains.classics import pandora

    result = doctest.testmod(pandora)
    assert result.attempted > 0 and result.failed == 0
