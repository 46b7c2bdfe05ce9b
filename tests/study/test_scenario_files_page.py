"""The scenario-files page tells the truth: its files read back, its excerpt is the real output."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

import twomountains as tm
from twomountains import scenario_files, scenarios
from twomountains.cli import main

PAGE = Path(__file__).resolve().parents[2] / "docs" / "researchers" / "scenario-files.md"


def blocks() -> dict[str, str]:
    """The page's fenced blocks that carry a title, by title."""
    text = PAGE.read_text(encoding="utf-8")
    return {
        title: body for title, body in re.findall(r'```toml title="([^"]+)"\n(.*?)```', text, re.S)
    }


def test_the_excerpt_is_the_beginning_of_the_real_show_output(capsys):
    excerpt = blocks()["twomountains scenarios --show startup_crunch (beginning)"]
    assert main(["scenarios", "--show", "startup_crunch"]) == 0
    assert capsys.readouterr().out.startswith(excerpt)


def test_the_hand_written_file_reads_back(tmp_path):
    path = tmp_path / "my-team.toml"
    path.write_text(blocks()["my-team.toml"], encoding="utf-8")
    scenario = tm.Scenario.from_toml(path)
    assert scenario.changes_from_default() == {
        "team_size": 8,
        "project_interval_weeks": 4.0,
        "deadline_weeks": 6.0,
        "initial_capability": 1.5,
        "enable_attrition": False,
    }
    assert scenario_files.read(path) == scenario


@pytest.mark.parametrize(
    "changes",
    [
        {"flat_from_hours": 40.0},
        {"initial_capability": 3.5},
        {"latch_release": 0.9},
    ],
)
def test_the_pairs_the_page_says_must_agree_are_checked(changes):
    with pytest.raises(tm.ScenarioError):
        tm.Scenario().replace(**changes)


def test_unknown_names_suggest_the_closest(tmp_path):
    path = tmp_path / "typo.toml"
    path.write_text("team_sise = 3\n", encoding="utf-8")
    with pytest.raises(tm.ScenarioError, match="did you mean 'team_size'"):
        scenario_files.read(path)


def test_a_scenario_table_also_works(tmp_path):
    path = tmp_path / "table.toml"
    path.write_text("[scenario]\nteam_size = 3\n", encoding="utf-8")
    assert scenario_files.read(path).team_size == 3


def test_every_preset_round_trips_through_its_commented_file():
    for name in scenarios.names():
        text = scenario_files.commented_toml(scenarios.load(name), name, scenarios.describe(name))
        assert tm.Scenario.from_toml_dict(tomllib.loads(text)) == scenarios.load(name)
