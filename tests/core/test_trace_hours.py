"""Traced runs keep hours by person and activity; they add up to the team's books exactly."""

from __future__ import annotations

import math

import pytest

import twomountains as tm
from twomountains.model import ACTIVITIES


@pytest.mark.parametrize("preset", ["default", "startup_crunch"])
def test_hours_by_person_add_up_to_the_team_books(preset: str) -> None:
    scenario = tm.scenarios.load(preset)
    traced = tm.run(scenario, seed=3, trace=True)
    rows = traced.hours_by_person
    weeks = scenario.horizon_weeks
    assert {row["week"] for row in rows} == set(range(1, weeks + 1))
    for activity in ACTIVITIES:
        for week in (1, weeks // 2, weeks):
            team = traced.weekly[f"hours_{activity}"][week - 1]
            people = sum(row[activity] for row in rows if row["week"] == week)
            assert math.isclose(team, people, rel_tol=1e-9, abs_tol=1e-9), (activity, week)
    total = sum(row["hours_worked"] for row in rows)
    assert math.isclose(total, traced.kpis["hours_worked"], rel_tol=1e-9)
    for row in rows:
        by_activity = sum(row[activity] for activity in ACTIVITIES)
        assert math.isclose(by_activity, row["hours_worked"], rel_tol=1e-9, abs_tol=1e-9)


def test_tracing_changes_no_result_and_untraced_runs_keep_no_rows() -> None:
    plain = tm.run(seed=4)
    traced = tm.run(seed=4, trace=True)
    assert plain.kpis == traced.kpis and plain.weekly == traced.weekly
    assert plain.hours_by_person == [] and traced.hours_by_person


def test_person_ids_are_unique_and_departures_name_them() -> None:
    scenario = tm.Scenario().replace(quit_rate_per_year=1.5, hiring_delay_weeks=2.0)
    traced = tm.run(scenario, seed=5, trace=True)
    quits = [event["person"] for event in traced.events if event["event"] == "quit"]
    hires = [event["person"] for event in traced.events if event["event"] == "hired"]
    assert quits, "a quit rate of 1.5 a year should make someone leave within the year"
    assert len(set(hires)) == len(hires) and min(hires) >= scenario.team_size
    people = {row["person"] for row in traced.hours_by_person}
    assert set(quits) <= people and set(hires) <= people


def test_incident_events_say_who_took_them_and_whether_they_paged() -> None:
    traced = tm.run(tm.Scenario(), seed=6, trace=True)
    incidents = [event for event in traced.events if event["event"] == "incident"]
    assert incidents
    assert sum(event["paged"] for event in incidents) <= traced.kpis["incidents_paged"]
    assert all(isinstance(event["person"], int) for event in incidents)
