"""Each mechanism, switched on and off, under common random numbers."""

from __future__ import annotations

import math

import pytest

import twomountains as tm
from twomountains import Scenario, mechanisms
from twomountains.model import TeamModel
from twomountains.policies import FixedSplit, from_spec

SEEDS = range(6)


def runs(scenario: Scenario, policy: str = "fixed:0.3", seeds=SEEDS, trace=False):
    return [tm.run(scenario, policy, seed, trace=trace) for seed in seeds]


def total(results, key):
    return sum(r.kpis[key] for r in results)


def test_no_projects_means_no_value():
    for r in runs(Scenario(enable_projects=False, initial_systems=0), seeds=range(2)):
        assert r.kpis["projects_started"] == 0
        assert r.kpis["value_delivered"] == 0
        assert r.kpis["exploration_hours"] == 0


def test_mirages_switch():
    off = runs(Scenario(enable_mirages=False))
    assert total(off, "mirages_shipped") == 0
    on = runs(Scenario(mirage_share=0.6))
    assert total(on, "mirages_shipped") > 0


def test_zero_experimentation_never_exposes_a_mirage():
    results = runs(Scenario(mirage_share=0.5), policy="fixed:0.0", trace=True)
    assert not any(e["event"] == "mirage_exposed" for r in results for e in r.events)
    explored = runs(Scenario(mirage_share=0.5), policy="fixed:0.3", trace=True)
    assert any(e["event"] == "mirage_exposed" for r in explored for e in r.events)


def test_incidents_switch():
    off = runs(Scenario(enable_incidents=False))
    assert total(off, "incidents") == 0 and total(off, "firefighting_hours") == 0
    on = runs(Scenario())
    assert total(on, "incidents") > 0 and total(on, "firefighting_hours") > 0


def test_drift_only_lowers_value():
    # drift feeds nothing else back, so under the same seeds every other KPI is unchanged
    for seed in SEEDS:
        with_drift = tm.run(Scenario(enable_incidents=False), "fixed:0.2", seed).kpis
        without = tm.run(
            Scenario(enable_incidents=False, enable_drift=False), "fixed:0.2", seed
        ).kpis
        assert without["value_delivered"] >= with_drift["value_delivered"]
        assert without["projects_shipped"] == with_drift["projects_shipped"]
    assert without["value_delivered"] > with_drift["value_delivered"]


def test_debt_switch():
    off = runs(Scenario(enable_debt=False), policy="notebook-only")
    assert total(off, "tech_debt_final") == 0 and total(off, "maintenance_hours") == 0
    on = runs(Scenario(), policy="notebook-only")
    assert total(on, "maintenance_hours") > 0


def test_capability_switch_and_ceiling():
    off = runs(Scenario(enable_capability=False), policy="mlops-first")
    assert total(off, "capability_final") == 0
    for r in runs(Scenario(capability_ceiling=1.0, initial_capability=0.2), policy="mlops-first"):
        assert max(r.weekly["capability"]) <= 1.0 + 1e-9


def test_more_capability_means_fewer_incidents():
    low = runs(Scenario(initial_capability=0.0, capability_per_hour=0.0), policy="fixed:0.3")
    high = runs(Scenario(initial_capability=2.9, capability_per_hour=0.0), policy="fixed:0.3")
    assert total(high, "incidents") < total(low, "incidents")


def test_overtime_switch():
    for r in runs(Scenario(enable_overtime=False), policy="crunch"):
        # without overtime, only incidents outside working hours lengthen a week
        assert r.kpis["overtime_hours"] <= r.kpis["firefighting_hours"] + 1e-6
    assert total(runs(Scenario(), policy="crunch"), "overtime_hours") > total(
        runs(Scenario(), policy="crunch"), "firefighting_hours"
    )


def test_no_deadline_pressure_gives_no_overtime():
    for r in runs(Scenario(enable_pressure=False), policy="crunch"):
        assert r.kpis["overtime_hours"] <= r.kpis["firefighting_hours"] + 1e-6
    relaxed = Scenario(deadline_weeks=104, project_interval_weeks=26, enable_incidents=False)
    for r in runs(relaxed, policy="fixed:0.2"):
        assert r.kpis["overtime_hours"] == pytest.approx(0.0, abs=1e-9)


def test_switching_switch_and_team_of_one():
    busy = Scenario(team_size=1, project_interval_weeks=2.0)
    assert total(runs(busy), "switching_hours") > 0
    assert total(runs(busy.replace(enable_switching=False)), "switching_hours") == 0


def test_fatigue_and_burnout_switches():
    tired = Scenario(fatigue_per_hour=0.03)
    assert total(runs(tired, policy="crunch"), "burnout_events") > 0
    no_fatigue = runs(tired.replace(enable_fatigue=False), policy="crunch")
    assert total(no_fatigue, "peak_exhaustion") == 0 and total(no_fatigue, "burnout_events") == 0
    no_burnout = runs(tired.replace(enable_burnout=False), policy="crunch")
    assert total(no_burnout, "burnout_events") == 0 and total(no_burnout, "at_risk_share") > 0


def test_attrition_switch():
    harsh = Scenario(fatigue_per_hour=0.03, attrition_after_burnout=1.0, enable_turnover=False)
    assert total(runs(harsh, policy="crunch"), "attrition") > 0
    assert total(runs(harsh.replace(enable_attrition=False), policy="crunch"), "attrition") == 0


def test_attrition_leaves_a_vacancy_then_an_onboarding_hire():
    harsh = Scenario(fatigue_per_hour=0.03, attrition_after_burnout=1.0, hiring_delay_weeks=4)
    for seed in SEEDS:
        r = tm.run(harsh, "crunch", seed, trace=True)
        quits = [e for e in r.events if e["event"] == "quit"]
        hires = [e for e in r.events if e["event"] == "hired"]
        if quits and hires:
            assert hires[0]["week"] == pytest.approx(quits[0]["week"] + 4, abs=1e-3)
            assert min(r.weekly["headcount"]) < harsh.team_size
            return
    pytest.fail("no quit followed by a hire in any seed")


def test_weekends_switch():
    rested = runs(Scenario(enable_incidents=False, enable_projects=False), seeds=range(1))
    no_weekends = runs(
        Scenario(enable_incidents=False, enable_projects=False, enable_weekends=False),
        seeds=range(1),
    )
    assert rested[0].kpis["hours_worked"] == pytest.approx(6 * 40 * 52)
    assert no_weekends[0].kpis["hours_worked"] == pytest.approx(6 * 56 * 52)
    assert no_weekends[0].kpis["peak_exhaustion"] > rested[0].kpis["peak_exhaustion"]


def test_concavity_follows_pencavel():
    scenario = Scenario()
    assert mechanisms.concavity(scenario, 8.0) == 1.0  # 40 h/week
    assert mechanisms.concavity(scenario, 49 / 5) == pytest.approx(1.0)
    assert mechanisms.concavity(scenario, 63 / 5) * 63 == pytest.approx(56.0)  # 49 + 14/2
    assert mechanisms.concavity(scenario, 14.0) * 70 == pytest.approx(56.0)  # flat past 63 h
    assert mechanisms.concavity(Scenario(enable_concavity=False), 14.0) == 1.0


def test_exhaustion_settles_for_a_normal_week():
    quiet = Scenario(enable_projects=False, enable_incidents=False)
    r = tm.run(quiet, seed=0)
    settled = r.exhaustion_by_person[0][-1]
    # dE/dt = a*load - E/tau over a 5-day week: E* ~ a * 8 h * (5/7) * tau
    expected = quiet.fatigue_per_hour * 8 * (5 / 7) / (1 - math.exp(-1 / quiet.recovery_days))
    assert settled == pytest.approx(expected, rel=0.05)
    assert r.kpis["burnout_events"] == 0


def test_latch_stops_overtime_when_exhausted():
    tired = Scenario(
        fatigue_per_hour=0.03, enable_burnout=False, latch_exhaustion=0.6, latch_release=0.3
    )
    loose = tired.replace(latch_exhaustion=2.0, latch_release=2.0)
    latched = total(runs(tired, policy="crunch"), "overtime_hours")
    unlatched = total(runs(loose, policy="crunch"), "overtime_hours")
    assert latched < unlatched


def test_tighter_deadline_raises_pressure_and_overtime():
    tight = total(runs(Scenario(deadline_weeks=4)), "overtime_hours")
    loose = total(runs(Scenario(deadline_weeks=16)), "overtime_hours")
    assert tight > loose


def test_pressure_harms_exploration_quality():
    model = TeamModel(Scenario(), from_spec("fixed:0.4"), seed=0, trace=False)
    model.pressure_days = [0.0, 0.0, 1.0]
    model.calm_quality = mechanisms.calm_quality(model.sc, model.pressure_days)
    assert model._exploration_quality(fragmented=False) == pytest.approx(1 / 1.5)
    assert model._exploration_quality(fragmented=True) == pytest.approx(0.8 / 1.5)
    calm = TeamModel(Scenario(enable_pressure=False), from_spec("fixed:0.4"), 0, False)
    calm.pressure_days = [0.0, 0.0, 1.0]
    calm.calm_quality = mechanisms.calm_quality(calm.sc, calm.pressure_days)
    assert calm._exploration_quality(fragmented=False) == 1.0


def test_a_project_dropped_at_its_deadline_leaves_the_plan_at_once():
    class Watcher(FixedSplit):
        def decide(self, view):
            self.phases.update(p.phase for p in view.projects)
            return super().decide(view)

    watcher = Watcher(explore_share=1.0)  # explores until the deadline forces the commitment
    watcher.phases = set()
    all_mirages = Scenario(mirage_share=1.0, mirage_detection_per_hour=1.0, horizon_weeks=30)
    result = tm.run(all_mirages, watcher, seed=0)
    assert result.kpis["projects_dropped"] > 0
    assert result.kpis["projects_shipped"] == 0
    assert watcher.phases <= {"exploring", "building", "late"}
