"""Fixtures for the records and fit tests: the synthetic team (seed 0), written once per session
and shared, and a private copy a test may corrupt (a plugin of tests/conftest.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from twomountains.records import synthetic_team


@pytest.fixture(scope="session")
def synthetic_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic team (seed 0), written once; copy it before changing anything."""
    return synthetic_team(tmp_path_factory.mktemp("synthetic") / "team", seed=0)


@pytest.fixture
def team_copy(synthetic_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the synthetic team that a test may corrupt."""
    return Path(shutil.copytree(synthetic_dir, tmp_path / "team"))
