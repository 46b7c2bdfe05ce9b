"""Calibration: the default and crunch presets reproduce the published patterns they were set to."""

from __future__ import annotations

import re

import pytest

import twomountains as tm
from twomountains import calibration
from twomountains.scenario import basis


@pytest.fixture(scope="module")
def rows():
    return calibration.check(reps=20)


def test_every_target_is_met(rows):
    missed = [
        f"{r['name']}: model {r['model']:.3g}, target {r['target_low']:.3g}-{r['target_high']:.3g}"
        for r in rows
        if not r["within"]
    ]
    assert not missed, "; ".join(missed)


def test_a_crunch_team_sits_above_a_normal_one(rows):
    by_name = {r["name"]: r["model"] for r in rows}
    assert by_name["at_risk_crunch"] > by_name["at_risk_normal"]
    assert by_name["overtime_crunch"] > by_name["overtime_normal"]


def test_every_parameter_says_where_its_value_comes_from():
    targets = {t.name for t in calibration.TARGETS}
    names = {p.name for p in tm.Scenario.parameters()}
    for info in tm.Scenario.parameters():
        assert info.basis in ("sourced", "calibrated", "free choice", "switch")
        if info.basis == "calibrated":
            target = re.match(r"Calibrated to target (\w+)", info.source)
            assert target and target.group(1) in targets, info.name
    by_name = {p.name: p for p in tm.Scenario.parameters()}
    for target in calibration.TARGETS:
        if target.calibrated.startswith("none"):
            continue
        for name in re.findall(r"[a-z_]+", target.calibrated):
            assert name in names, f"{target.name} names an unknown parameter {name}"
            # the two lists agree: the parameter says it was calibrated against this target
            assert by_name[name].source.startswith(f"Calibrated to target {target.name}"), name
    team_size = next(p for p in tm.Scenario.parameters() if p.name == "team_size")
    assert basis(team_size) == "sourced"


def test_statistics_are_computed_from_kpis():
    kpis = dict.fromkeys(tm.KPI_NAMES, 0.0) | {
        "projects_shipped": 3.0,
        "projects_cancelled": 1.0,
        "projects_abandoned": 1.0,
        "projects_dropped": 1.0,
        "hours_worked": 100.0,
        "maintenance_hours": 20.0,
        "firefighting_hours": 5.0,
    }
    assert calibration.production_share(kpis) == 0.5
    assert calibration.upkeep_share(kpis) == 0.25
