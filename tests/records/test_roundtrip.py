"""Records written and loaded again are the same records; a run's records are valid."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import twomountains as tm
from twomountains.records import from_run, load, validate, write
from twomountains.records.schema import TABLES


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize(
    ("preset", "policy", "seed"), [("default", "fixed:0.4", 0), ("startup_crunch", "fixed:0.2", 4)]
)  # noqa: E501
def test_load_of_write_gives_the_records_back(
    preset: str, policy: str, seed: int, tmp_path: Path
) -> None:  # noqa: E501
    scenario = tm.scenarios.load(preset).replace(horizon_weeks=104)
    records = from_run(tm.run(scenario, policy, seed=seed, trace=True), team="round trip")
    first = write(records, tmp_path / "first")
    assert validate(first) == []
    loaded = load(first)
    assert (loaded.team, loaded.weeks, loaded.policy) == ("round trip", 104, policy)
    assert loaded.contracted_hours_per_week == records.contracted_hours_per_week
    for name in TABLES:
        original, back = records.table(name), loaded.table(name)
        assert list(back.columns) == list(TABLES[name].column_names)
        assert back.dtypes.to_dict() == original.dtypes.to_dict(), name
        # equal to the written rounding (hours 0.01 h, weeks 1e-4, scores 0.01)
        pd.testing.assert_frame_equal(back, original, check_exact=False, atol=0.006, rtol=0)
    second = write(loaded, tmp_path / "second")
    assert _files(second) == _files(first)


def test_the_synthetic_team_loads(synthetic_dir: Path) -> None:
    records = load(synthetic_dir)
    assert records.weeks == 104 and records.policy == "fixed:0.4"
    assert len(records.hours) > 500 and len(records.burnout) > 100
