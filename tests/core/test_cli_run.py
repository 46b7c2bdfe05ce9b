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
    out = capsys.readouterr().out
    for p in tm.Scenario.parameters():
        assert f"\n{p.name} = " in out or out.startswith(f"[{p.group}]\n{p.name} = ")
        assert f"source: {p.source}" in out
    assert "team_size = 6  (people; an integer from 1 to 100)" in out
    assert "[mechanisms]" in out and "[people]" in out  # groups head their parameters


def test_params_json_lists_range_group_and_source(capsys):
    assert main(["params", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in rows] == [p.name for p in tm.Scenario.parameters()]
    mirage = next(r for r in rows if r["name"] == "mirage_share")
    assert (mirage["low"], mirage["high"], mirage["group"]) == (0, 1, "projects")
    assert mirage["source"].startswith("Kohavi")
    assert set(rows[0]) == {
        "name",
        "kind",
        "unit",
        "default",
        "meaning",
        "source",
        "low",
        "high",
        "group",
    }


@pytest.mark.parametrize("name", tm.scenarios.names())
def test_scenarios_show_prints_a_commented_file_that_reads_back(capsys, tmp_path, name):
    assert main(["scenarios", "--show", name]) == 0
    text = capsys.readouterr().out
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    assert tm.Scenario.from_toml(path) == tm.scenarios.load(name)
    assert text.count("\n# source: ") == len(tm.Scenario.parameters())
    for key in tm.scenarios.load(name).changes_from_default():
        assert (
            f"\n{key} = " in text
            and "# changed; default" in text.split(f"\n{key} = ")[1].split("\n")[0]
        )
    # and the CLI runs it
    assert main(["run", "--scenario", str(path), "--set", "horizon_weeks=4", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["kpis"]


def test_scenarios_show_unknown_name_is_one_line(capsys):
    assert main(["scenarios", "--show", "mars"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'mars'" in err and "startup_crunch" in err


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (
            b"team_size = 4\n# caf\xe9\n",
            "is not UTF-8 text (byte 0xe9 at offset 19); save it as UTF-8",
        ),
        (b"team_size = \n", "is not valid TOML"),
        (b"team_size = 0\n", "team_size: got 0"),
        (b"[team]\nteam_size = 4\n", "team: unknown parameter"),
    ],
)
@pytest.mark.parametrize("command", ["run", "replicate"])
def test_bad_scenario_files_are_one_line_and_status_2(tmp_path, content, fragment, command):
    path = tmp_path / "mine.toml"
    path.write_bytes(content)
    proc = subprocess.run(
        [sys.executable, "-m", "twomountains", command, "--scenario", str(path)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0] and "mine.toml" in lines[0], proc.stderr


def test_unreadable_scenario_file_is_one_line_and_status_2(tmp_path):
    # root reads any file whatever its mode; /proc/self/mem is a regular file nobody can read
    proc = subprocess.run(
        [sys.executable, "-m", "twomountains", "run", "--scenario", "/proc/self/mem"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot read '/proc/self/mem'" in lines[0]


def test_help_is_plain_text(capsys):
    from twomountains.cli import build_parser

    parser = build_parser()
    texts = [parser.format_help()]
    for action in parser._subparsers._group_actions:  # the subcommands
        texts += [sub.format_help() for sub in action.choices.values()]
    assert len(texts) > 5
    for text in texts:
        assert "`" not in text and ":func:" not in text and ":class:" not in text, text
