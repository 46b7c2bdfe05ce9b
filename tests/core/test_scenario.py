"""The Scenario: defaults, validation with clear messages, TOML round trip, presets."""

from __future__ import annotations

import dataclasses

import pytest

import twomountains as tm
from twomountains import Scenario, ScenarioError, scenarios


def test_defaults_are_valid_and_documented():
    params = Scenario.parameters()
    assert len(params) == len(dataclasses.fields(Scenario))
    for p in params:
        assert p.unit and p.meaning and p.source, p.name
        assert p.kind in {"int", "float", "bool"}
        if p.kind != "bool":
            assert p.low is not None and p.high is not None and p.low <= p.default <= p.high


def test_headline_parameters_exist():
    names = {p.name for p in Scenario.parameters()}
    assert {"team_size", "horizon_weeks", "deadline_weeks", "candidates_per_project"} <= names
    assert "mirage_share" in names


def test_scenario_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Scenario().team_size = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    ("changes", "fragments"),
    [
        ({"team_size": 0}, ["team_size", "0", "1 to 100"]),
        ({"team_size": 2.5}, ["team_size", "2.5", "an integer"]),
        ({"mirage_share": 1.5}, ["mirage_share", "1.5", "0 to 1"]),
        ({"mirage_share": "lots"}, ["mirage_share", "lots", "a number"]),
        ({"enable_drift": "maybe"}, ["enable_drift", "maybe", "true or false"]),
        ({"deadline_weeks": float("nan")}, ["deadline_weeks", "nan"]),
        ({"team_sise": 4}, ["team_sise", "unknown", "team_size"]),
        (
            {"latch_release": 0.9, "latch_exhaustion": 0.8},
            ["latch_release", "0.9", "latch_exhaustion"],
        ),
        ({"initial_capability": 5.0}, ["initial_capability", "capability_ceiling"]),
    ],
)
def test_invalid_input_names_field_value_and_allowed(changes, fragments):
    with pytest.raises(ScenarioError) as err:
        Scenario().replace(**changes)
    message = str(err.value)
    for fragment in fragments:
        assert fragment in message


def test_bool_is_not_an_int():
    with pytest.raises(ScenarioError, match="team_size"):
        Scenario(team_size=True)


def test_strings_from_the_command_line_are_coerced():
    sc = Scenario().replace(team_size="3", mirage_share="0.5", enable_drift="off")
    assert (sc.team_size, sc.mirage_share, sc.enable_drift) == (3, 0.5, False)


def test_toml_round_trip(tmp_path):
    sc = Scenario().replace(team_size=3, deadline_weeks=7.5, enable_weekends=False)
    path = tmp_path / "s.toml"
    path.write_text(sc.to_toml())
    assert Scenario.from_toml(path) == sc


def test_from_toml_rejects_bad_files(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("team_size = = 3")
    with pytest.raises(ScenarioError, match="not valid TOML"):
        Scenario.from_toml(bad)
    unknown = tmp_path / "unknown.toml"
    unknown.write_text("[scenario]\nteam_size = 3\nsalary = 10\n")
    with pytest.raises(ScenarioError, match="salary"):
        Scenario.from_toml(unknown)


def test_changes_from_default():
    assert Scenario().changes_from_default() == {}
    assert Scenario().replace(team_size=2).changes_from_default() == {"team_size": 2}


def test_presets():
    required = {"default", "startup_crunch", "platform_team", "research_lab", "well_understood"}
    assert required | {"uncharted"} <= set(scenarios.names())
    assert scenarios.load("default") == Scenario()
    for name in scenarios.names():
        assert isinstance(scenarios.load(name), Scenario)
        assert scenarios.describe(name)
    assert scenarios.load("uncharted").mirage_share > scenarios.load("well_understood").mirage_share
    with pytest.raises(ScenarioError, match="nope"):
        scenarios.load("nope")


def test_core_imports_no_scientific_stack():
    import subprocess
    import sys

    code = (
        "import sys, twomountains as tm; tm.run(tm.Scenario(horizon_weeks=4)); "
        "heavy = [m for m in sys.modules if m.split('.')[0] in "
        "{'numpy', 'pandas', 'scipy', 'matplotlib'}]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert tm.__version__
