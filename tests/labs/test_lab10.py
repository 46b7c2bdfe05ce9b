"""Lab 10's self-checks: each wrong answer a learner is likely to give gets its misconception named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from twomountains import labs_support, records
from twomountains.labs_support import lab10


def _verdict(key: str, answer: object, **data: object) -> labs_support.Verdict:
    verdict = labs_support.verdict(key, answer, **data)
    assert verdict is not None
    return verdict


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> list[records.Problem]:
    """The lab's corruption of the synthetic team, validated (as the notebook does it)."""
    folder = tmp_path_factory.mktemp("lab10")
    team_dir, broken_dir = folder / "team", folder / "broken"
    records.synthetic_team(team_dir, seed=0)
    shutil.copytree(team_dir, broken_dir)
    hours = records.load(team_dir).hours.copy()
    hours.loc[lab10.CORRUPT_INDEX, lab10.CORRUPT_COLUMN] = lab10.CORRUPT_VALUE
    hours.to_csv(broken_dir / "hours.csv", index=False)
    return records.validate(broken_dir)


def test_the_line_check_counts_the_header_and_names_both_off_by_ones(
    broken: list[records.Problem],
) -> None:
    right = lab10.CORRUPT_INDEX + 2
    assert [p.row for p in broken if p.file == "hours.csv"] == [right]
    assert _verdict("10.line", right, problems=broken).ok
    pandas_index = _verdict("10.line", lab10.CORRUPT_INDEX, problems=broken)
    assert not pandas_index.ok and "counts data rows from 0" in pandas_index.message
    no_header = _verdict("10.line", lab10.CORRUPT_INDEX + 1, problems=broken)
    assert not no_header.ok and "forgets the header" in no_header.message


def _table(truth: dict[str, float]) -> pd.DataFrame:
    fitted = {
        "repair_hours": {"estimate": 5.2, "low": 4.0, "high": 6.5},
        "project_interval_weeks": {"estimate": 4.6, "low": 4.0, "high": 5.5},
        "quit_rate_per_year": {"estimate": 0.1, "low": 0.025, "high": 0.35},
    }
    return lab10.parameter_table(fitted, truth)


TRUTH = {"repair_hours": 5.0, "project_interval_weeks": 6.0, "quit_rate_per_year": 0.1}


def test_outside_compares_the_truth_with_the_interval_not_the_estimate() -> None:
    table = _table(TRUTH)
    assert _verdict("10.outside", ["project_interval_weeks"], table=table).ok
    every = _verdict("10.outside", sorted(TRUTH), table=table)
    assert not every.ok and "compare the truth with the interval's ends" in every.message
    unknown = _verdict("10.outside", ["quit_rate"], table=table)
    assert not unknown.ok and "not fitted parameters" in unknown.message
    assert _verdict("10.outside", [], table=_table(TRUTH | {"project_interval_weeks": 5.0})).ok


def test_the_share_of_the_prior_is_measured_on_the_priors_scale() -> None:
    from twomountains.fit.parameters import PRIORS

    table = _table(TRUTH)
    prior = PRIORS["quit_rate_per_year"]
    row = table.set_index("parameter").loc["quit_rate_per_year"]
    share = prior.unit(row["high"]) - prior.unit(row["low"])
    assert row["share_of_prior"] == pytest.approx(share)
    assert _verdict("10.share", share, table=table, parameter="quit_rate_per_year").ok
    percent = _verdict("10.share", 100 * share, table=table, parameter="quit_rate_per_year")
    assert not percent.ok and "not a percentage" in percent.message
    if prior.scale == "log":
        linear = (row["high"] - row["low"]) / (prior.high - prior.low)
        natural = _verdict("10.share", linear, table=table, parameter="quit_rate_per_year")
        assert not natural.ok and "log scale" in natural.message


def test_the_least_informed_parameter_is_the_widest_share_of_its_prior() -> None:
    table = _table(TRUTH)
    widest = table.sort_values("share_of_prior").iloc[-1]["parameter"]
    value, description = labs_support._core._PREDICTIONS["10.uninformed"].actual(table=table)
    assert value == widest and "Share of the prior's range" in description


def _comparison(low: float, high: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    differences = pd.DataFrame(
        [{"policy": "fixed:0.2", "mean": (low + high) / 2, "low": low, "high": high}]
    )
    # The two policies' own intervals overlap: reading the overlap says "cannot tell".
    summary = pd.DataFrame(
        [
            {"policy": "fixed:0.4", "mean": 1000.0, "low": 800.0, "high": 1200.0},
            {"policy": "fixed:0.2", "mean": 1100.0, "low": 900.0, "high": 1300.0},
        ]
    )
    return differences, summary


def test_the_decision_reads_the_paired_difference_not_the_overlap() -> None:
    differences, summary = _comparison(40.0, 160.0)
    data = {
        "differences": differences,
        "summary": summary,
        "policy": "fixed:0.2",
        "baseline": "fixed:0.4",
    }
    assert _verdict("10.decision", "better", **data).ok
    overlap = _verdict("10.decision", "cannot tell", **data)
    assert not overlap.ok and "overlap" in overlap.message
    assert "one of" in _verdict("10.decision", "yes", **data).message
    differences, summary = _comparison(-20.0, 160.0)
    data |= {"differences": differences, "summary": summary}
    assert _verdict("10.decision", "cannot tell", **data).ok
    signed = _verdict("10.decision", "better", **data)
    assert not signed.ok and "contains zero" in signed.message


def test_the_prediction_of_the_rule_puts_the_interval_beside_the_guess(
    capsys: pytest.CaptureFixture[str],
) -> None:
    differences, _ = _comparison(-20.0, 160.0)
    labs_support.reveal("10.better", "better", differences=differences, policy="fixed:0.2")
    out = capsys.readouterr().out
    assert "'cannot tell', not what you predicted" in out and "-20" in out


def test_prior_share_helper_matches_a_hand_computation() -> None:
    assert lab10.prior_share(1.0, 10.0, 1.0, 100.0, "log") == pytest.approx(0.5)
    assert lab10.prior_share(2.0, 4.0, 0.0, 8.0, "linear") == pytest.approx(0.25)


def test_the_lab_is_listed_and_its_questions_are_registered() -> None:
    root = Path(__file__).resolve().parents[2]
    assert (root / "labs" / "10-fit-the-model-to-a-team.ipynb").is_file()
    keys = set(labs_support.exercise_keys())
    assert {"10.line", "10.missing", "10.outside", "10.miss", "10.share", "10.report"} <= keys
    assert {"10.decision", "10.tell"} <= keys
    assert {"10.inside", "10.uninformed", "10.better"} <= set(labs_support.prediction_keys())
