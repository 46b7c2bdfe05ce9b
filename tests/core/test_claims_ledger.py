"""The claims ledger: its verdict logic, its comparisons, and the committed ledger's reproducibility."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import twomountains as tm
from twomountains import claims
from twomountains.cli import main
from twomountains.errors import UsageError

LEDGER = Path(__file__).resolve().parents[2] / "docs" / "research" / "claims-ledger.json"


@pytest.mark.parametrize(
    ("low", "high", "expect", "want"),
    [
        (0.1, 2.0, "positive", claims.HOLDS),
        (-0.1, 2.0, "positive", claims.CANNOT_TELL),
        (-2.0, -0.1, "positive", claims.FAILS),
        (-2.0, -0.1, "negative", claims.HOLDS),
        (0.1, 2.0, "negative", claims.FAILS),
        (-2.0, 2.0, "not negative", claims.HOLDS),
        (-2.0, -0.1, "not negative", claims.FAILS),
    ],
)
def test_verdict_follows_the_interval(low, high, expect, want):
    assert claims.verdict(low, high, expect) == want


def test_a_claim_holds_only_when_every_test_holds():
    assert claims.combine([claims.HOLDS, claims.HOLDS]) == claims.HOLDS
    assert claims.combine([claims.HOLDS, claims.CANNOT_TELL]) == claims.CANNOT_TELL
    assert claims.combine([claims.HOLDS, claims.FAILS, claims.CANNOT_TELL]) == claims.FAILS


def test_paired_interval_matches_a_t_interval():
    from scipy import stats

    diffs = [1.0, 3.0, 2.0, 5.0, 4.0]
    mean, low, high = claims.paired_interval(diffs)
    want = stats.t.interval(0.95, 4, loc=3.0, scale=stats.sem(diffs))
    assert mean == 3.0 and low == pytest.approx(want[0]) and high == pytest.approx(want[1])


def _share(policy):
    """The explore share of a plain fixed split, else None."""
    name, _, share = policy.partition(":")
    return float(share) if name == "fixed" and "@" not in share else None


def _fake_kpis(value_by_policy):
    """KPIs where only value depends on the policy (the rest zero), for every needed arm."""
    keys = claims._arms_needed("default", tm.scenarios.load("default"))
    rows = {}
    for key in keys:
        share = _share(key[1])
        base = 0.0 if share is None else value_by_policy(share)
        rows[key] = [
            dict.fromkeys(tm.KPI_NAMES, 0.0) | {"value_delivered": base + 0.1 * (seed % 3)}
            for seed in range(10)
        ]
    return rows


def test_claim1_can_fail_when_an_extreme_is_best():
    kpis = _fake_kpis(lambda share: -share * 100)
    result = claims._evaluate(claims.CLAIMS[0], "default", tm.Scenario(), kpis)
    assert result.verdict == claims.FAILS
    assert all("vs fixed:0 " in t.detail for t in result.tests)


def test_claim1_holds_when_value_peaks_inside():
    kpis = _fake_kpis(lambda share: -abs(share - 0.2) * 100)
    result = claims._evaluate(claims.CLAIMS[0], "default", tm.Scenario(), kpis)
    assert result.verdict == claims.HOLDS
    assert all("chose fixed:0.2 " in t.detail for t in result.tests)


def test_claims_compare_like_with_like():
    """Claim 6 compares exploration rules under one hours rule; claim 4 uses a deadline-blind rule."""
    assert all(
        tm.policies.from_spec(rule).hours.name == "sustainable" for rule in claims.EXPLORATION_RULES
    )
    tests4 = claims.CLAIMS[3].tests(tm.Scenario())
    assert {t.a.policy for t in tests4} == {"explore-then-build"}
    assert all(
        dict(t.a.changes)["deadline_weeks"] < dict(t.b.changes)["deadline_weeks"] for t in tests4
    )


def test_a_small_ledger_runs_serially_and_is_reproducible():
    first = claims.run_ledger(["well_understood"], reps=4, backend="serial")
    assert [c["claim"] for c in first["claims"]] == [1, 2, 3, 4, 5, 6]
    for claim in first["claims"]:
        assert claim["verdict"] in (claims.HOLDS, claims.FAILS, claims.CANNOT_TELL)
        for test in claim["tests"]:
            assert test["low"] <= test["effect"] <= test["high"]
    again = claims.run_ledger(["well_understood"], reps=4, backend="processes", jobs=2)
    assert again["claims"] == first["claims"]  # serial equals parallel


def test_bad_arguments_get_one_line_errors(capsys):
    assert main(["claims", "--preset", "nowhere"]) == 2
    err = capsys.readouterr().err
    assert "preset: got 'nowhere'" in err and err.count("\n") == 1
    assert main(["claims", "--reps", "2"]) == 2
    assert "reps: got 2; allowed: an integer of at least 4" in capsys.readouterr().err


@pytest.mark.slow
def test_the_committed_ledger_is_what_the_model_gives_today():
    """docs/research/claims-ledger.json is regenerated with the model (see its provenance);
    the default preset is re-run here and must match it number for number."""
    committed = json.loads(LEDGER.read_text(encoding="utf-8"))
    today = claims.run_ledger(["default"], reps=committed["reps"], jobs=2)
    stored = [c for c in committed["claims"] if c["preset"] == "default"]
    assert json.loads(json.dumps(today["claims"])) == stored


def test_one_claim_for_a_changed_scenario_runs_only_its_arms_on_the_ledgers_seeds():
    """evaluate_claim (Lab 9) gives the ledger's numbers for that claim, and takes any Scenario."""
    scenario = tm.scenarios.load("well_understood")
    ledger = claims.run_ledger(["well_understood"], reps=4, backend="serial")
    for number in (2, 4):
        alone = claims.evaluate_claim(number, "well_understood", reps=4, backend="serial")
        assert alone.preset == "well_understood"
        assert claims._as_dict(alone) == ledger["claims"][number - 1]
    changed = claims.evaluate_claim(2, scenario.replace(enable_mirages=False), 4, backend="serial")
    assert changed.preset == "scenario"
    assert [(t.effect, t.low, t.high) for t in changed.tests] == [(0.0, 0.0, 0.0)]
    assert changed.verdict == claims.CANNOT_TELL  # no mirages to ship: the test has no content


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((7,), "number: got 7; allowed: one of [1, 2, 3, 4, 5, 6]"),
        ((True,), "number: got True"),
        ((2, "nowhere"), "scenario: got 'nowhere'; allowed: one of "),
        ((2, "default", 3), "reps: got 3; allowed: an integer of at least 4"),
    ],
)
def test_evaluate_claim_rejects_bad_arguments_in_one_line(args, message):
    with pytest.raises(UsageError, match=re.escape(message)):
        claims.evaluate_claim(*args, backend="serial")
