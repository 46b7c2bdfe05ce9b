"""Scoring, ranking, static checks and result validation, on small hand-made inputs."""

from __future__ import annotations

import ast
import math

import pandas as pd
import pytest

from twomountains.errors import UsageError
from twomountains.tournament import entries, scoring
from twomountains.tournament.sandbox import Outcome, validate


def per_rep(scores: dict[str, list[float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"participant": p, "seed": s, "score": v, "value_delivered": v, "at_risk_share": 0.1}
            for p, values in scores.items()
            for s, v in enumerate(values)
        ]
    )


def test_paired_comparison_sees_a_consistent_gap_that_separate_intervals_miss():
    # b is a little worse than a on every seed, but seeds vary a lot: the separate intervals
    # overlap widely while the paired interval excludes zero
    a = [1.0, 3.0, 5.0, 2.0, 4.0]
    b = [x - 0.1 for x in a]
    low, high = scoring.paired_interval(a, b)
    assert 0 < low <= 0.1 <= high
    ranked = scoring.rank(scoring.summarize(per_rep({"a": a, "b": b})), per_rep({"a": a, "b": b}))
    assert list(ranked.index) == ["a", "b"]
    assert list(ranked["rank"]) == [1, 2]
    assert list(ranked["clearly_ahead"]) == [0, 1]
    assert ranked.at["a", "score_low"] < ranked.at["b", "score_high"]  # separate CIs overlap


def test_noisy_differences_are_ties_and_ties_share_the_rank():
    data = per_rep({"a": [1.0, 2.0, 3.0], "b": [2.0, 1.0, 2.9], "c": [-5.0, -5.1, -4.9]})
    ranked = scoring.rank(scoring.summarize(data), data)
    assert list(ranked.index) == ["a", "b", "c"]
    assert list(ranked["rank"]) == [1, 1, 3]
    assert list(ranked["clearly_ahead"]) == [0, 0, 2]
    assert ranked.at["a", "tied_with"] == "b"
    assert ranked.at["c", "tied_with"] == ""


def test_equal_scores_sort_by_id_and_tie():
    data = per_rep({"zeta": [1.0, 2.0], "alpha": [1.0, 2.0]})
    ranked = scoring.rank(scoring.summarize(data), data)
    assert list(ranked.index) == ["alpha", "zeta"]
    assert list(ranked["rank"]) == [1, 1]


def test_summary_has_the_declared_columns_in_order():
    # the leaderboard and leaderboard.csv take their numeric columns from SUMMARY_COLUMNS
    data = per_rep({"a": [1.0, 2.0], "b": [0.5, 1.5]})
    assert tuple(scoring.summarize(data).columns) == scoring.SUMMARY_COLUMNS


def test_score_normalises_by_best_builtin_and_charges_burnout():
    runs = pd.DataFrame(
        [
            {
                "participant": p,
                "scenario": "s",
                "seed": seed,
                "value_delivered": v,
                "at_risk_share": r,
            }
            for p, v, r in (("builtin:x", 100.0, 0.0), ("builtin:y", 50.0, 0.0), ("e", 80.0, 0.2))
            for seed in (0, 1)
        ]
    )
    refs = scoring.references(runs, ["builtin:x", "builtin:y"])
    assert refs == {"s": ("builtin:x", 100.0)}
    table = scoring.per_replication(runs, refs, scoring.ScoreRule(burnout_weight=2.0))
    e = table[table["participant"] == "e"]["score"]
    assert all(math.isclose(v, 0.8 - 2 * 0.2) for v in e)


def test_reference_without_value_is_an_error():
    runs = pd.DataFrame(
        [
            {
                "participant": "builtin:x",
                "scenario": "s",
                "seed": 0,
                "value_delivered": 0.0,
                "at_risk_share": 0.0,
            }
        ]
    )
    with pytest.raises(UsageError, match="horizon_weeks"):
        scoring.references(runs, ["builtin:x"])


@pytest.mark.parametrize("weight", [-1, float("nan"), True, "1"])
def test_bad_burnout_weight_is_refused(weight):
    with pytest.raises(UsageError, match="burnout_weight: got"):
        scoring.ScoreRule(burnout_weight=weight)


def test_review_notes_flag_imports_and_internals():
    tree = ast.parse(
        "import math\nimport os\nfrom twomountains import model\nx = f.__globals__\neval('1')\n"
    )
    assert entries.review_notes(tree) == ["imports os", "uses __globals__", "uses eval"]


def test_static_check_reads_name_and_author_without_running(tmp_path):
    path = tmp_path / "e.py"
    path.write_text('raise SystemExit\nNAME = "N"\nAUTHOR = "A"\n')
    entry = entries.check(path)
    assert (entry.id, entry.name, entry.author, entry.problem) == ("e", "N", "A", "")
    (tmp_path / "_helper.py").write_text("")
    assert [e.id for e in entries.discover(tmp_path)] == ["e"]


def test_discover_refuses_missing_or_empty_folders(tmp_path):
    with pytest.raises(UsageError, match="does not exist"):
        entries.discover(tmp_path / "nope")
    with pytest.raises(UsageError, match="no entries"):
        entries.discover(tmp_path)


TASK = {"scenarios": [{}], "seeds": [0, 1]}


def run(seed: int, value: float = 1.0, risk: float = 0.0) -> dict:
    return {"scenario": 0, "seed": seed, "kpis": {"value_delivered": value, "at_risk_share": risk}}


@pytest.mark.parametrize(
    "runs",
    [
        [run(0)],  # a run missing
        [run(0), run(0)],  # a run repeated
        [run(0), run(1, value=math.nan)],
        [run(0), run(1, risk=1.5)],
        [run(0), {"scenario": 0, "seed": 1, "kpis": {}}],
        [run(0), run(1, value="9")],  # type: ignore[arg-type]
    ],
)
def test_malformed_child_results_are_rejected(runs):
    outcome = validate(Outcome(True, runs=runs), TASK)
    assert not outcome.ok and outcome.reason.startswith("returned malformed results")


def test_well_formed_child_results_pass():
    assert validate(Outcome(True, runs=[run(0), run(1)]), TASK).ok


def test_ties_chain_down_the_table_but_clearly_ahead_does_not():
    # a ~ b and b ~ c (noisy gaps), but a beats c on every seed by a steady margin
    data = per_rep(
        {"a": [2.0, 3.0, 4.0, 5.0], "b": [1.0, 3.5, 3.0, 5.2], "c": [1.5, 2.4, 3.6, 4.4]}
    )
    ranked = scoring.rank(scoring.summarize(data), data)
    assert list(ranked.index) == ["a", "b", "c"]
    assert list(ranked["rank"]) == [1, 1, 1]
    assert list(ranked["clearly_ahead"]) == [0, 0, 1]
