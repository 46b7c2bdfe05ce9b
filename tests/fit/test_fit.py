"""The fit end to end: recovery of the synthetic truth, warnings, backends, resume, counterfactuals."""

from __future__ import annotations

import json
import math
import tomllib

import pandas as pd
import pyarrow.parquet as pq
import pytest
from pandas.testing import assert_frame_equal

from twomountains.fit import DEFAULT_PARAMS, PRIORS, STATISTICS, counterfactuals, fit
from twomountains.fit.core import REFERENCE_TABLE, reference_table, team_scenario
from twomountains.records import load
from twomountains.study import ExecutionOptions, store
from twomountains.study.store import load_provenance

#: A small budget for tests of the machinery (not of the statistics): a few seconds each.
SMALL = {"draws": 150, "check_draws": 4}
SERIAL = ExecutionOptions(backend="serial", quiet=True)


@pytest.fixture(scope="module")
def small_fit(synthetic_dir):
    """A fit of the synthetic team on a small serial budget."""
    return fit(synthetic_dir, execution=SERIAL, **SMALL)


# not marked slow: about 40 s on two idle cores (2,020 runs of a two-year team), the test
def test_recovery_every_default_truth_lies_in_its_95_percent_interval(synthetic_dir):
    result = fit(synthetic_dir, execution=ExecutionOptions(jobs=2, quiet=True))
    truth = tomllib.loads((synthetic_dir / "truth.toml").read_text())
    assert set(truth) == set(DEFAULT_PARAMS) == set(result.params)
    for name, value in truth.items():
        p = result.params[name]
        assert p["low"] <= value <= p["high"], (name, value, p)
        assert PRIORS[name].low <= p["low"] < p["estimate"] < p["high"] <= PRIORS[name].high
    # the data inform every default parameter: no "do not inform" warning
    assert not [w for w in result.warnings if "do not inform" in w]


def test_the_team_scenario_and_policy_come_from_the_records(synthetic_dir):
    records = load(synthetic_dir)
    base, policy = team_scenario(records)
    assert (base["horizon_weeks"], base["team_size"], policy) == (104, 6, "fixed:0.4")
    without = type(records)(**{**vars(records), "policy": None})
    assert team_scenario(without)[1] == "fixed:0.55"  # explore / (explore + build) hours
    assert team_scenario(records, policy="adaptive")[1] == "adaptive"


def test_a_policy_inferred_from_hours_is_flagged(synthetic_dir, small_fit):
    records = load(synthetic_dir)
    without = type(records)(**{**vars(records), "policy": None})
    result = fit(without, execution=SERIAL, **SMALL)
    flagged = [w for w in result.warnings if w.startswith("team.toml names no policy")]
    assert len(flagged) == 1 and "fixed:0.55" in flagged[0]
    assert not [w for w in small_fit.warnings if w.startswith("team.toml names no policy")]


def test_a_small_fit_has_the_documented_shape(small_fit):
    data = json.loads(small_fit.to_json())
    assert set(data) >= {"params", "statistics", "warnings", "provenance"}
    for name in DEFAULT_PARAMS:
        assert set(data["params"][name]) == {"estimate", "low", "high"}
    assert list(data["statistics"]) == list(STATISTICS)
    provenance = data["provenance"]
    assert set(provenance["records_sha256"]) == {
        "team.toml", "people.csv", "hours.csv", "projects.csv", "incidents.csv", "burnout.csv"
    }  # fmt: skip
    assert provenance["draws"] == SMALL["draws"] and provenance["backend"] == "serial"
    assert provenance["prior"]["repair_hours"]["scale"] == "log"
    assert small_fit.posterior["weight"].sum() == pytest.approx(1.0)
    assert math.isfinite(small_fit.sensitivity.loc["R2", "repair_hours"])


def test_a_parameter_the_data_do_not_inform_gets_a_warning(synthetic_dir):
    result = fit(synthetic_dir, ["hiring_delay_weeks"], execution=SERIAL, **SMALL)
    assert any(w.startswith("the data do not inform hiring_delay_weeks") for w in result.warnings)


def test_serial_and_processes_give_identical_fits(synthetic_dir, small_fit):
    parallel = fit(synthetic_dir, execution=ExecutionOptions(jobs=2, quiet=True), **SMALL)
    assert parallel.params == small_fit.params
    assert parallel.statistics == small_fit.statistics
    assert_frame_equal(parallel.posterior, small_fit.posterior)


def test_a_fit_on_dask_equals_the_serial_fit(synthetic_dir, small_fit):
    # a LocalCluster started for the fit: the reference table and the check run on its workers
    on_dask = fit(
        synthetic_dir, execution=ExecutionOptions(backend="dask", jobs=2, quiet=True), **SMALL
    )
    assert on_dask.params == small_fit.params
    assert on_dask.provenance["backend"] == "dask"
    assert_frame_equal(on_dask.posterior, small_fit.posterior)


def test_a_fit_resumes_from_a_partial_reference_table(synthetic_dir, small_fit, tmp_path):
    stored = tmp_path / "store"
    options = SERIAL.replace(batch_size=10)
    fit(synthetic_dir, store=stored, execution=options, **SMALL)
    out = stored / REFERENCE_TABLE
    finished = pq.read_table(out)
    provenance = load_provenance(out)
    # cut the finished table back to an unfinished checkpoint holding its first 4 batches
    out.unlink()
    partial = store.partial_dir(out)
    partial.mkdir()
    manifest = {"study_hash": provenance["study_hash"], "start_time": provenance["start_time"]}
    (partial / "manifest.json").write_text(json.dumps(manifest))
    for index in range(4):
        chunk = finished.slice(10 * index, 10).replace_schema_metadata(None)
        pq.write_table(chunk, partial / f"chunk-{index:08d}.parquet")
    resumed = fit(synthetic_dir, store=stored, execution=options, **SMALL)
    assert load_provenance(out)["resumed_runs"] == 40
    assert resumed.params == small_fit.params
    assert_frame_equal(resumed.posterior, small_fit.posterior)


def test_the_reference_table_runs_each_draw_on_its_own_seed(synthetic_dir):
    base, policy = team_scenario(load(synthetic_dir))
    table = reference_table(base, ["repair_hours"], policy, 6, 0, execution=SERIAL)
    assert list(table["run_seed"]) == list(range(6))
    assert table["repair_hours_mean"].nunique() == 6


def test_counterfactuals_pair_policies_under_common_random_numbers(small_fit):
    table = counterfactuals(small_fit, ["fixed:0.2"], draws=3, seeds=2, execution=SERIAL)
    assert list(dict.fromkeys(table["policy"])) == ["fixed:0.4", "fixed:0.2"]
    own = table[table["policy"] == "fixed:0.4"]
    assert (own[["difference", "difference_low", "difference_high"]] == 0).all().all()
    assert (table["low"] <= table["mean"]).all() and (table["mean"] <= table["high"]).all()
    assert "at_risk_share" in set(table["kpi"])
    again = counterfactuals(small_fit, ["fixed:0.2"], draws=3, seeds=2, execution=SERIAL)
    assert_frame_equal(table, again)


def test_the_counterfactual_figure_has_alt_text_in_both_themes(small_fit):
    from twomountains.fit import plot_counterfactuals

    table = counterfactuals(small_fit, ["fixed:0.2"], draws=2, seeds=1, execution=SERIAL)
    for theme in ("light", "dark"):
        fig, alt = plot_counterfactuals(table, "value_delivered", theme=theme)
        assert "fixed:0.4" in alt and "fixed:0.2" in alt and alt.endswith(".")
        assert fig.get_facecolor() != (0, 0, 0, 0)
    fig, alt = plot_counterfactuals(table, "value_delivered", differences=True)
    assert "minus under its own policy fixed:0.4" in alt and "fixed:0.2" in alt


def test_posterior_draws_are_a_table_of_the_fitted_parameters(small_fit):
    assert isinstance(small_fit.posterior, pd.DataFrame)
    assert list(small_fit.posterior.columns) == [*DEFAULT_PARAMS, "weight"]
    assert small_fit.fitted_scenario().repair_hours == small_fit.params["repair_hours"]["estimate"]


def test_unknown_preset_is_refused(synthetic_dir):
    from twomountains.errors import UsageError

    with pytest.raises(UsageError, match="preset: got 'nope'; allowed: default"):
        fit(synthetic_dir, preset="nope", execution=SERIAL, **SMALL)
