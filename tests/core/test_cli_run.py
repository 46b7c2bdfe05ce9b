"""The `twomountains run` command: output, JSON, and one-line errors with exit status 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import twomountains as tm
from twomountains.cli import main


def test_run_prints_kpi_table(capsys):
    assert main(["run", "--set", "horizon_weeks=8", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert "value_delivered" in out and "at_risk_share" in out


def test_run_json_equals_api(capsys):
    assert (
        main(
            [
                "run",
                "--scenario",
                "uncharted",
                "--policy",
                "adaptive",
                "--seed",
                "2",
                "--set",
                "horizon_weeks=10",
                "--json",
            ]
        )
        == 0
    )
    payload = json.loads(capsys.readouterr().out)
    expected = tm.run(tm.scenarios.load("uncharted").replace(horizon_weeks=10), "adaptive", 2)
    assert payload["kpis"] == expected.kpis
    assert payload["policy"] == "adaptive" and payload["seed"] == 2
    assert payload["scenario"]["horizon_weeks"] == 10


def test_run_from_toml_file(tmp_path, capsys):
    path = tmp_path / "mine.toml"
    path.write_text(tm.Scenario(team_size=2, horizon_weeks=6).to_toml())
    assert main(["run", "--scenario", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["scenario"]["team_size"] == 2


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["run", "--set", "team_size=0"], "team_size"),
        (["run", "--set", "tem_size=3"], "tem_size"),
        (["run", "--set", "novalue"], "NAME=VALUE"),
        (["run", "--policy", "fixd"], "policy"),
        (["run", "--scenario", "nowhere"], "nowhere"),
        (["run", "--scenario", "missing.toml"], "missing.toml"),
        (["run", "--seed", "-4"], "--seed"),
        (["bogus"], "bogus"),
    ],
)
def test_bad_input_is_one_line_and_status_2(argv, fragment):
    proc = subprocess.run(
        [sys.executable, "-m", "twomountains", *argv], capture_output=True, text=True
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0]
    assert "Traceback" not in proc.stderr


def test_scenarios_and_params_listing(capsys):
    assert main(["scenarios"]) == 0
    assert "startup_crunch" in capsys.readouterr().out
    assert main(["params"]) == 0
    assert "mirage_share" in capsys.readouterr().out
