"""Exact records from a run agree with the run: hours, projects, incidents, people, survey."""

from __future__ import annotations

import math
from collections import Counter

import pandas as pd
import pytest

import twomountains as tm
from twomountains.errors import UsageError
from twomountains.records import Measurement, from_run
from twomountains.records.convert import cbi_score, person_id, week_of
from twomountains.records.schema import MODEL_ACTIVITY

# a crunch scenario over two years has quits, hires and burnouts; the default has few of them
RUNS = [
    ("default", 104, "fixed:0.4", 0),
    ("startup_crunch", 104, "fixed:0.2", 1),
    ("startup_crunch", 104, "fixed:0.2", 4),
    ("startup_crunch", 104, "crunch", 2),
]


@pytest.fixture(scope="module", params=RUNS, ids=lambda r: f"{r[0]}-{r[2]}-{r[3]}")
def run_and_records(request: pytest.FixtureRequest) -> tuple[tm.RunResult, object]:
    preset, weeks, policy, seed = request.param
    scenario = tm.scenarios.load(preset).replace(horizon_weeks=weeks)
    result = tm.run(scenario, policy, seed=seed, trace=True)
    return result, from_run(result, team="test")


def test_hours_equal_the_models_person_weeks(run_and_records) -> None:
    result, records = run_and_records
    model = {
        (person_id(r["person"]), r["week"]): r
        for r in result.hours_by_person
        if r["present"] or r["hours_worked"] > 0
    }
    hours = records.hours
    assert len(hours) == len(model)
    for row in hours.itertuples(index=False):
        expected = model[(row.person, row.week)]
        for column, activity in MODEL_ACTIVITY.items():
            assert getattr(row, column) == pytest.approx(expected[activity], abs=1e-9)
    # and so the totals are the run's KPIs (a week with no row has no hours)
    assert hours["explore"].sum() == pytest.approx(result.kpis["exploration_hours"])
    assert hours["maintenance"].sum() == pytest.approx(result.kpis["maintenance_hours"])
    assert hours["incidents"].sum() == pytest.approx(result.kpis["firefighting_hours"])
    assert hours["other"].sum() == pytest.approx(result.kpis["switching_hours"])


def test_project_outcomes_match_the_kpis(run_and_records) -> None:
    result, records = run_and_records
    k = records.projects["outcome"].value_counts().to_dict()
    kpis = result.kpis
    assert len(records.projects) == kpis["projects_started"]
    assert k.get("shipped", 0) == kpis["projects_shipped"]
    assert k.get("cancelled", 0) == kpis["projects_cancelled"]
    assert k.get("abandoned", 0) == kpis["projects_abandoned"] + kpis["projects_dropped"]
    opened = records.projects[records.projects["outcome"] == "open"]
    assert opened["outcome_week"].isna().all()
    assert records.projects.loc[records.projects["outcome"] != "open", "outcome_week"].notna().all()


def test_incidents_are_the_taken_incidents(run_and_records) -> None:
    """The KPI counts arrivals, the event a responder taking one: a few arriving in the last
    hours may not have been taken by the horizon, so rows <= KPI, equal to the events."""
    result, records = run_and_records
    taken = [e for e in result.events if e["event"] == "incident"]
    assert len(records.incidents) == len(taken)
    assert len(taken) <= result.kpis["incidents"] <= len(taken) + result.scenario.team_size
    assert records.incidents["repair_hours"].tolist() == [e["repair_hours"] for e in taken]
    # paged = taken outside working hours (the pager log); the model counts pages on arrival
    assert records.incidents["paged"].sum() == result.kpis["incidents_paged"]


def test_people_follow_the_events(run_and_records) -> None:
    result, records = run_and_records
    people = records.people.set_index("person")
    size = result.scenario.team_size
    events = result.events
    hires = [e for e in events if e["event"] == "hired"]
    quits = [e for e in events if e["event"] == "quit"]
    assert len(people) == size + len(hires)
    assert (people["joined_week"].iloc[:size] == 1).all()
    for e in hires:
        assert people.loc[person_id(e["person"]), "joined_week"] == week_of(e["week"])
    assert len(quits) == result.kpis["attrition"]
    burnouts = {(e["person"], e["week"]) for e in events if e["event"] == "burnout"}
    reasons = Counter(people["left_reason"].dropna())
    after_burnout = sum((e["person"], e["week"]) in burnouts for e in quits)
    expected = Counter(burnout=after_burnout, quit=len(quits) - after_burnout)
    assert reasons == +expected  # (+ drops zero counts)
    # nobody has hours outside their weeks in the team
    for row in records.hours.itertuples(index=False):
        joined, left = people.loc[row.person, ["joined_week", "left_week"]]
        assert joined <= row.week
        assert pd.isna(left) or row.week <= left


def test_the_survey_is_every_four_weeks_from_everyone_present(run_and_records) -> None:
    result, records = run_and_records
    risk = result.scenario.risk_exhaustion
    expected = {
        (person_id(r["person"]), r["week"]): cbi_score(r["exhaustion"], risk)
        for r in result.hours_by_person
        if r["present"] and r["week"] % 4 == 0
    }
    survey = records.burnout
    assert (survey["week"] % 4 == 0).all()
    keys = zip(survey["person"], survey["week"], strict=True)
    got = dict(zip(keys, survey["cbi_work"], strict=True))
    assert got == pytest.approx(expected)
    assert survey["cbi_work"].between(0, 100).all()


def test_cbi_mapping_puts_the_models_risk_threshold_at_50() -> None:
    assert cbi_score(0.7, 0.7) == 50.0
    assert cbi_score(0.0, 0.7) == 0.0
    assert cbi_score(5.0, 0.7) == 100.0


def test_an_untraced_run_is_refused() -> None:
    with pytest.raises(UsageError, match="trace=True"):
        from_run(tm.run(seed=0))


def test_measurement_adds_noise_rounding_and_missing_weeks() -> None:
    scenario = tm.scenarios.load("default").replace(horizon_weeks=104)
    result = tm.run(scenario, seed=0, trace=True)
    exact = from_run(result)
    measured = from_run(result, measurement=Measurement(seed=5))
    share_missing = 1 - len(measured.hours) / len(exact.hours)
    assert 0.01 < share_missing < 0.10  # 5% of about 620 person-weeks
    values = measured.hours[list(MODEL_ACTIVITY)].to_numpy().ravel()
    assert all(math.isclose(v * 2, round(v * 2)) for v in values)  # half hours
    assert measured.hours["explore"].sum() == pytest.approx(
        exact.hours["explore"].sum() * (1 - share_missing), rel=0.05
    )
    assert len(measured.burnout) == len(exact.burnout)  # missing timesheets, not surveys
    assert (measured.burnout["cbi_work"] != exact.burnout["cbi_work"].round(1)).mean() > 0.5
    again = from_run(result, measurement=Measurement(seed=5))
    assert again.hours.equals(measured.hours) and again.burnout.equals(measured.burnout)
