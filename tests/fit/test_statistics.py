"""The summary statistics: one function for observed and simulated records."""

from __future__ import annotations

import math

import pytest

import twomountains as tm
from twomountains.fit import FIT_STATISTICS, STATISTICS, statistics
from twomountains.records import from_run

SCENARIO = tm.Scenario().replace(horizon_weeks=104, quit_rate_per_year=0.3, fatigue_per_hour=0.015)


@pytest.mark.parametrize("seed", [0, 1])
def test_statistics_of_exact_records_match_the_runs_kpis(seed):
    run = tm.run(SCENARIO, "fixed:0.4", seed=seed, trace=True)
    stats, kpis = statistics(from_run(run)), run.kpis
    weeks = SCENARIO.horizon_weeks
    assert list(stats) == list(STATISTICS)
    hours = {
        "explore_share": "exploration_hours",
        "build_share": "build_hours",
        "platform_share": "platform_hours",
        "maintenance_share": "maintenance_hours",
        "incident_hours_share": "firefighting_hours",
    }
    for name, kpi in hours.items():
        assert stats[name] == pytest.approx(kpis[kpi] / kpis["hours_worked"], rel=1e-9)
    assert round(stats["projects_per_week"] * weeks) == kpis["projects_started"]
    # the records log an incident when someone takes it: one still waiting at the end is missing
    assert 0 <= kpis["incidents"] - round(stats["incidents_per_week"] * weeks) <= 2
    assert stats["repair_hours_mean"] == pytest.approx(
        kpis["firefighting_hours"] / kpis["incidents"], rel=0.05
    )
    decided = kpis["projects_shipped"] + kpis["projects_cancelled"]
    decided += kpis["projects_abandoned"] + kpis["projects_dropped"]
    assert stats["shipped_share"] * decided == pytest.approx(kpis["projects_shipped"])
    # person-years from people.csv (joined to left) vs the model's present person-weeks
    assert stats["departures_per_person_year"] == pytest.approx(
        kpis["attrition_rate_per_person_year"], rel=0.2
    )
    assert stats["hours_per_person_week"] >= SCENARIO.base_hours_per_week


def test_missing_person_weeks_leave_the_hours_statistics_unbiased():
    run = tm.run(SCENARIO, "fixed:0.4", seed=0, trace=True)
    full = from_run(run)
    every_other = full.hours.iloc[::2]
    thinned = statistics(type(full)(**{**vars(full), "hours": every_other}))
    exact = statistics(full)
    for name in ("explore_share", "build_share", "maintenance_share", "hours_per_person_week"):
        assert thinned[name] == pytest.approx(exact[name], rel=0.1)


def test_a_statistic_with_nothing_to_measure_is_nan_and_others_still_count():
    run = tm.run(SCENARIO.replace(enable_incidents=False), "fixed:0.4", seed=0, trace=True)
    stats = statistics(from_run(run))
    assert stats["incidents_per_week"] == 0
    assert math.isnan(stats["repair_hours_mean"])
    assert not math.isnan(stats["maintenance_share"])


def test_the_fit_matches_only_statistics_robust_to_measurement_noise():
    assert set(STATISTICS) - set(FIT_STATISTICS) == {"overtime_per_person_week", "cbi_high_share"}
