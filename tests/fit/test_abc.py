"""ABC on a toy reference table whose answer is known, and the priors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from twomountains.errors import UsageError
from twomountains.fit import PRIORS, abc
from twomountains.fit.parameters import DEFAULT_PARAMS, check_params

PARAMS = ["repair_hours", "fatigue_per_hour"]


def toy_table(n: int, seed: int) -> pd.DataFrame:
    """Statistics that measure each parameter with noise, plus one that measures nothing."""
    rng = np.random.default_rng(seed)
    draws = pd.DataFrame(abc.prior_draws(PARAMS, n, seed))
    draws["repair_stat"] = draws["repair_hours"] * rng.lognormal(0, 0.1, n)
    draws["fatigue_stat"] = 3000 * draws["fatigue_per_hour"] + rng.normal(0, 1, n)
    draws["noise_stat"] = rng.normal(0, 1, n)
    return draws


def test_prior_draws_are_seeded_and_fill_the_prior_ranges():
    draws = pd.DataFrame(abc.prior_draws(list(DEFAULT_PARAMS), 200, 3))
    assert draws.equals(pd.DataFrame(abc.prior_draws(list(DEFAULT_PARAMS), 200, 3)))
    for name in DEFAULT_PARAMS:
        units = np.array([PRIORS[name].unit(v) for v in draws[name]])
        assert units.min() >= 0 and units.max() <= 1
        # a Latin hypercube puts exactly one draw in each of n equal slices of the range
        assert sorted(np.floor(units * 200).astype(int)) == list(range(200))


def test_posterior_on_a_known_toy_model_centres_on_the_truth_and_stays_in_the_prior():
    table = toy_table(3000, 1)
    truth = {"repair_hours": 5.0, "fatigue_per_hour": 0.012}
    observed = {"repair_stat": 5.0, "fatigue_stat": 36.0, "noise_stat": 0.0}
    post = abc.posterior(table, observed, PARAMS, list(observed))
    assert post["weight"].sum() == pytest.approx(1.0)
    assert len(post) == 150  # 5% of the table
    summary = abc.summarize(post, PARAMS)
    for name in PARAMS:
        assert summary[name]["low"] < truth[name] < summary[name]["high"]
        assert post[name].between(PRIORS[name].low, PRIORS[name].high).all()
    # the interval of a well-measured parameter is a small part of its prior
    assert abc.prior_share("repair_hours", summary["repair_hours"]["low"],
                           summary["repair_hours"]["high"]) < 0.25  # fmt: skip


def test_nan_observed_statistics_are_left_out():
    table = toy_table(500, 2)
    observed = {"repair_stat": 5.0, "fatigue_stat": float("nan"), "noise_stat": 0.0}
    post = abc.posterior(table, observed, PARAMS, list(observed))
    assert post.attrs["statistics_used"] == ["repair_stat", "noise_stat"]


def test_weighted_quantile_interpolates_the_weighted_cdf():
    values = np.array([3.0, 1.0, 2.0])
    assert abc.weighted_quantile(values, np.array([1.0, 1.0, 1.0]), 0.5) == 2.0
    assert abc.weighted_quantile(values, np.array([0.0, 0.0, 1.0]), 0.9) == 2.0


def test_sensitivity_finds_which_statistic_informs_which_parameter():
    table = toy_table(1000, 3)
    sens = abc.sensitivity(table, PARAMS, ["repair_stat", "fatigue_stat", "noise_stat"])
    assert sens.loc["R2"].min() > 0.8
    assert abs(sens.loc["repair_stat", "repair_hours"]) > 0.5
    assert abs(sens.loc["noise_stat", "repair_hours"]) < 0.05


def test_priors_have_reasons_and_the_defaults_are_fittable():
    for prior in PRIORS.values():
        assert prior.reason and prior.low < prior.high and prior.scale in ("log", "linear")
        assert prior.from_logit(prior.to_logit(prior.from_unit(0.3))) == pytest.approx(
            prior.from_unit(0.3)
        )
    assert check_params(None) == DEFAULT_PARAMS
    with pytest.raises(UsageError, match="param: got 'nope'; allowed: project_interval_weeks"):
        check_params(["nope"])


def test_the_synthetic_truth_lies_well_inside_every_default_prior():
    from twomountains.records.synthetic import truth_scenario

    truth = truth_scenario()
    for name in DEFAULT_PARAMS:
        assert 0.2 < PRIORS[name].unit(getattr(truth, name)) < 0.8
