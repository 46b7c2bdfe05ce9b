"""The assumption audit: Morris screening of the claims' effects over calibration choices."""

from __future__ import annotations

import json

import pytest

import twomountains as tm
from twomountains import audit, claims
from twomountains.cli import main
from twomountains.errors import UsageError

TINY = {"parameters": ["deadline_weeks", "pitch_noise"], "trajectories": 2, "reps": 4}
SHORT = {"horizon_weeks": 8}


@pytest.fixture(scope="module")
def tiny_audit():
    return audit.run_audit(changes=SHORT, backend="serial", **TINY)


def test_a_tiny_audit_screens_every_claims_tests(tiny_audit):
    assert [c["claim"] for c in tiny_audit["claims"]] == [c.number for c in claims.CLAIMS]
    # trajectories x (parameters + the seeds-only dummy + 1)
    assert tiny_audit["points"] == 2 * (2 + 1 + 1)
    for claim in tiny_audit["claims"]:
        assert claim["tests"], claim["claim"]
        for test in claim["tests"]:
            assert [row["parameter"] for row in test["indices"]] == TINY["parameters"]
            for row in test["indices"]:
                assert row["mu_star"] >= 0 and row["sigma"] >= 0
                assert abs(row["mu"]) <= row["mu_star"] + 1e-9
            assert set(test["depends_on"]) <= set(TINY["parameters"])
            assert test["seeds_only"]["parameter"] == audit.SEEDS
            assert test["noise"] == test["seeds_only"]["mu_star"]
            assert sum(test["verdicts_seen"].values()) == tiny_audit["points"]
    json.dumps(tiny_audit)  # stored as JSON


def test_the_audit_is_deterministic_and_backend_independent(tiny_audit):
    again = audit.run_audit(changes=SHORT, backend="processes", jobs=2, **TINY)
    assert again["claims"] == tiny_audit["claims"]
    assert again["parameters"] == tiny_audit["parameters"]


def test_the_baseline_matches_the_ledgers_own_evaluation(tiny_audit):
    """The audit's baseline effects are the ledger's, for the same scenario and replications."""
    scenario = tm.scenarios.load("default").replace(**SHORT)
    keys = claims.runs_needed("x", scenario)
    kpis = claims.run_arms(keys, {"x": scenario}, 4, backend="serial")
    for got, want in zip(tiny_audit["claims"], claims.evaluate("x", scenario, kpis), strict=True):
        assert [t["effect"] for t in got["tests"]] == [t.effect for t in want.tests]
        assert got["verdict"] == want.verdict


def test_ranges_are_half_to_twice_the_default_clipped_and_calibration_choices_only():
    by_name = {p.name: p for p in audit.screened()}
    assert 2 <= len(by_name) <= 12
    choices = set(audit.calibration_choices())
    assert set(by_name) <= choices
    deadline = by_name["deadline_weeks"]
    assert (deadline.low, deadline.high) == (deadline.default / 2, deadline.default * 2)
    narrow = audit.screened(
        ["late_value_penalty", "pitch_noise"], tm.Scenario(late_value_penalty=0.8)
    )
    assert narrow[0].high == 1.0  # 2 x 0.8 clipped to the parameter's upper limit


def test_sources_other_than_calibration_choices_are_refused():
    with pytest.raises(UsageError, match="parameter: got 'mirage_share'"):
        audit.screened(["mirage_share", "pitch_noise"])
    with pytest.raises(UsageError, match="at least 2"):
        audit.screened(["pitch_noise"])


def test_audit_cli_errors_are_one_line(capsys, tmp_path):
    out = tmp_path / "audit.json"
    assert main(["claims", "--audit", "--preset", "all", "--out", str(out)]) == 2
    assert "--preset" in capsys.readouterr().err
    assert main(["claims", "--audit", "--trajectories", "1", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "trajectories: got 1" in err and err.count("\n") == 1
    assert main(["claims", "--audit", "--params", "nope,pitch_noise", "--out", str(out)]) == 2
    assert "parameter: got 'nope'" in capsys.readouterr().err
    assert main(["claims", "--trajectories", "3"]) == 2
    assert "--trajectories" in capsys.readouterr().err
    assert not out.exists()  # nothing half-written


def test_the_dummy_parameter_only_moves_the_seeds():
    assert [audit._first_seed(level) for level in (0.0, 1 / 3, 2 / 3, 1.0)] == [
        0,
        audit.SEED_STRIDE,
        2 * audit.SEED_STRIDE,
        3 * audit.SEED_STRIDE,
    ]
    problem = audit._problem(audit.screened(["deadline_weeks", "pitch_noise"]))
    assert problem["names"][-1] == audit.SEEDS and problem["bounds"][-1] == [0.0, 1.0]


def test_claims_out_writes_the_ledger_json(tmp_path, capsys):
    out = tmp_path / "made" / "ledger.json"
    args = ["claims", "--preset", "well_understood", "--reps", "4", "--backend", "serial"]
    assert main([*args, "--json", "--out", str(out)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert json.loads(out.read_text(encoding="utf-8")) == printed
    assert [p.name for p in out.parent.iterdir()] == ["ledger.json"]  # no temporary left
