"""The synthetic team: deterministic files, the truth of exactly the fit's default parameters."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from twomountains.errors import UsageError
from twomountains.fit.parameters import DEFAULT_PARAMS
from twomountains.records import synthetic_team, validate
from twomountains.records.synthetic import TRUTH_VALUES, truth_scenario


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes(synthetic_dir: Path, tmp_path: Path) -> None:
    again = synthetic_team(tmp_path / "again", seed=0)
    assert _files(again) == _files(synthetic_dir)
    other = synthetic_team(tmp_path / "other", seed=1)
    assert _files(other)["hours.csv"] != _files(synthetic_dir)["hours.csv"]


def test_the_files(synthetic_dir: Path) -> None:
    names = {p.name for p in synthetic_dir.iterdir()}
    assert names == {
        "team.toml", "people.csv", "hours.csv", "projects.csv", "incidents.csv", "burnout.csv",
        "truth.toml", "README.md",
    }  # fmt: skip
    assert validate(synthetic_dir) == []
    readme = (synthetic_dir / "README.md").read_text()
    assert "generated" in readme and "fixed:0.4" in readme and "missing" in readme


def test_truth_holds_exactly_the_default_parameters(synthetic_dir: Path) -> None:
    truth = tomllib.loads((synthetic_dir / "truth.toml").read_text())
    assert list(truth) == list(DEFAULT_PARAMS)
    scenario = truth_scenario()
    assert truth == {name: getattr(scenario, name) for name in DEFAULT_PARAMS}
    for name, value in TRUTH_VALUES.items():  # the contract's truth scenario
        assert getattr(scenario, name) == value


def test_a_non_empty_folder_needs_force(synthetic_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "team"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    with pytest.raises(UsageError, match="not empty"):
        synthetic_team(target, seed=0)
    assert (target / "notes.txt").exists()
    synthetic_team(target, seed=0, force=True)
    assert _files(target) == _files(synthetic_dir)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["team"]  # no temporary folder left


def test_bad_seed_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="seed: got -1"):
        synthetic_team(tmp_path / "t", seed=-1)
    assert not (tmp_path / "t").exists()
