"""The mechanisms added to carry the essay, each switched on and off under common random numbers."""

from __future__ import annotations

import math

import pytest

import twomountains as tm
from twomountains import Scenario, entities, mechanisms
from twomountains.entities import WEEK
from twomountains.model import TeamModel

SEEDS = range(6)


def kpis(scenario: Scenario, policy: str = "fixed:0.3", seeds=SEEDS) -> list[dict[str, float]]:
    return [tm.run(scenario, policy, seed).kpis for seed in seeds]


def total(rows: list[dict[str, float]], key: str) -> float:
    return sum(row[key] for row in rows)


# --- re-planning late projects (Abdel-Hamid & Madnick) ---------------------------------------------------
def test_a_late_project_is_planned_to_its_late_limit():
    scenario = Scenario(max_late_weeks=6)
    assert mechanisms.weeks_to_target(scenario, 10 * WEEK, 9 * WEEK) == pytest.approx(1.0)
    assert mechanisms.weeks_to_target(scenario, 10 * WEEK, 11 * WEEK) == pytest.approx(5.0)
    off = scenario.replace(enable_replanning=False)
    assert mechanisms.weeks_to_target(off, 10 * WEEK, 11 * WEEK) == mechanisms.MIN_PLANNING_WEEKS


def test_replanning_lowers_pressure_and_its_saturation():
    crunch = tm.scenarios.load("startup_crunch")
    replanned = kpis(crunch, "crunch")
    floored = kpis(crunch.replace(enable_replanning=False), "crunch")
    for a, b in zip(replanned, floored, strict=True):
        assert a["pressure_mean"] <= b["pressure_mean"] + 1e-12
    assert total(replanned, "pressure_capped_share") < total(floored, "pressure_capped_share")


# --- staffing chosen by the policy -----------------------------------------------------------------------
class _Explorers(tm.policies.FixedSplit):
    """fixed:0.3 that asks for ``count`` explorers on every exploring project."""

    def __init__(self, count: int) -> None:
        super().__init__(0.3)
        self.count = count

    def decide(self, view):
        decision = super().decide(view)
        wanted = {p.id: self.count for p in view.projects if p.phase == "exploring"}
        return tm.policies.Decision(
            platform_share=decision.platform_share,
            max_weekly_hours=decision.max_weekly_hours,
            commit=decision.commit,
            ship_now=decision.ship_now,
            explorers=wanted,
        )


def test_the_policy_chooses_how_many_people_explore():
    scenario = Scenario(enable_incidents=False)
    solo = kpis(scenario, _Explorers(1), seeds=range(3))
    trio = kpis(scenario, _Explorers(3), seeds=range(3))
    paused = kpis(scenario, _Explorers(0), seeds=range(3))
    assert total(trio, "exploration_hours") > total(solo, "exploration_hours") > 0
    assert total(paused, "exploration_hours") == 0


def test_focused_staffing_builds_faster_than_round_robin():
    focused = kpis(Scenario(), "fixed:0.3")
    spread = kpis(Scenario(enable_focused_staffing=False), "fixed:0.3")
    assert total(focused, "pressure_mean") < total(spread, "pressure_mean")
    assert total(focused, "deadlines_missed") < total(spread, "deadlines_missed")


def test_apportion_gives_one_each_then_follows_need():
    assert mechanisms.apportion(6, [100.0, 300.0, 0.0]) == [2, 3, 1]
    assert sum(mechanisms.apportion(7, [1.0, 2.0, 3.0])) == 7
    with pytest.raises(ValueError, match="at least one per project"):
        mechanisms.apportion(1, [1.0, 1.0])


@pytest.mark.parametrize("bad", [-1, 1.5, True])
def test_bad_explorer_counts_get_one_line_errors(bad):
    class Bad(tm.policies.FixedSplit):
        def decide(self, view):
            exploring = [p.id for p in view.projects if p.phase == "exploring"]
            return tm.policies.Decision(explorers=dict.fromkeys(exploring, bad))

    with pytest.raises(tm.PolicyError, match=r"explorers: got .* allowed: a whole number"):
        tm.run(Scenario(), Bad(), seed=0)


# --- domain knowledge (Argote & Epple) ------------------------------------------------------------------
def test_exploration_builds_knowledge_that_depreciates():
    explored = tm.run(Scenario(), "fixed:0.3", seed=1)
    assert explored.kpis["domain_knowledge_final"] > 0
    series = explored.weekly["knowledge"]
    assert all(0 <= k < 1 for k in series)
    # with no projects nobody explores: what the team knew at the start depreciates week by week
    idle = tm.run(Scenario(enable_projects=False, initial_knowledge=0.5), seed=1)
    weekly = idle.weekly["knowledge"]
    assert weekly[0] < 0.5 and all(b < a for a, b in zip(weekly, weekly[1:], strict=False))
    assert weekly[-1] == pytest.approx(0.5 * math.exp(-52 / 26), rel=1e-9)
    off = tm.run(Scenario(enable_knowledge=False), "fixed:0.3", seed=1)
    assert off.kpis["domain_knowledge_final"] == 0


def test_more_exploration_more_knowledge_and_systems_that_generalise():
    scenario = Scenario(enable_incidents=False)
    little = kpis(scenario, "fixed:0.05")
    much = kpis(scenario, "fixed:0.3")
    assert total(much, "domain_knowledge_final") > total(little, "domain_knowledge_final")
    system = entities.System(None, 10.0, 0.5, False, False, 1.0, knowledge=0.8)
    naive = entities.System(None, 10.0, 0.5, False, False, 1.0, knowledge=0.0)
    assert mechanisms.drift(scenario, system) < mechanisms.drift(scenario, naive)
    rate = mechanisms.incident_rate_per_week
    assert rate(scenario, [system], 0.0, 0.0) < rate(scenario, [naive], 0.0, 0.0)
    blind = scenario.replace(enable_knowledge=False)
    assert mechanisms.drift(blind, system) == mechanisms.drift(blind, naive)


def test_knowledge_leaves_with_people_who_quit():
    # everyone burns out fast and always quits: knowledge falls at each departure
    harsh = Scenario(
        initial_knowledge=0.9,
        enable_projects=False,
        fatigue_per_hour=0.05,
        burnout_hazard_per_day=1.0,
        attrition_after_burnout=1.0,
    )
    stays = harsh.replace(attrition_after_burnout=0.0)
    assert tm.run(harsh, seed=2).kpis["attrition"] > 0
    assert (
        tm.run(harsh, seed=2).kpis["domain_knowledge_final"]
        < tm.run(stays, seed=2).kpis["domain_knowledge_final"]
    )


# --- insight value (Hubbard) and no-go (Weitzman) --------------------------------------------------------
def test_value_is_production_plus_insight():
    for row in kpis(Scenario(), "fixed:0.3", seeds=range(3)):
        assert row["value_delivered"] == pytest.approx(
            row["production_value"] + row["insight_value"]
        )
        assert row["insight_value"] > 0
    for row in kpis(Scenario(enable_insight=False), "fixed:0.3", seeds=range(3)):
        assert row["insight_value"] == 0 and row["value_delivered"] == row["production_value"]


def test_exploration_pays_in_insight_without_production():
    """Notebook-only ships little that lasts, but what it learns is worth something."""
    notebook = kpis(Scenario(), "notebook-only")
    hasty = kpis(Scenario(), "fixed:0")
    assert total(notebook, "insight_value") > total(hasty, "insight_value")
    assert mechanisms.insight_value(Scenario(), 0.0, 1.0, 4.0) == 0  # a mirage teaches nothing


def test_no_go_abandons_weak_projects_and_frees_their_hours():
    strict = Scenario(outside_option_value=8.0)  # only framings that look good are built
    rows = kpis(strict, "fixed:0.3")
    assert total(rows, "projects_abandoned") > 0
    assert total(rows, "build_hours_saved") > 0
    for row in rows:
        done = row["projects_shipped"] + row["projects_abandoned"] + row["projects_dropped"]
        assert done + row["projects_cancelled"] <= row["projects_started"]
    off = kpis(strict.replace(enable_no_go=False), "fixed:0.3")
    assert total(off, "projects_abandoned") == 0
    assert total(off, "projects_shipped") > total(rows, "projects_shipped")


def test_abandon_is_refused_when_no_go_is_off():
    class Quitter(tm.policies.Policy):
        def decide(self, view):
            exploring = frozenset(p.id for p in view.projects if p.phase == "exploring")
            return tm.policies.Decision(abandon=exploring)

    with pytest.raises(tm.PolicyError, match="abandon: got project .* enable_no_go is off"):
        tm.run(Scenario(enable_no_go=False), Quitter(), seed=0)
    assert tm.run(Scenario(), Quitter(), seed=0).kpis["projects_shipped"] == 0


# --- fast-tracking and strain from the hours worked (Abdel-Hamid & Madnick; Meijman & Mulder) ----------
def test_pressure_fast_tracks_exploration():
    crunch = tm.scenarios.load("startup_crunch")
    rows = kpis(crunch, "explore-then-build")
    calm = kpis(crunch.replace(enable_fast_tracking=False), "explore-then-build")
    assert total(rows, "projects_fast_tracked") > 0
    assert total(calm, "projects_fast_tracked") == 0
    assert total(rows, "exploration_hours") < total(calm, "exploration_hours")
    assert mechanisms.fast_track_chance(crunch, 1.0) == 0.0
    assert 0 < mechanisms.fast_track_chance(crunch, 2.0) < mechanisms.fast_track_chance(crunch, 3.0)


def test_people_held_to_contracted_hours_feel_no_extra_strain():
    crunch = tm.scenarios.load("startup_crunch")
    held = "fixed:0.3@40h"  # nobody works overtime, however high the pressure
    from_hours = kpis(crunch, held)
    from_pressure = kpis(crunch.replace(enable_strain_from_hours=False), held)
    assert total(from_hours, "at_risk_share") < total(from_pressure, "at_risk_share")
    assert total(from_hours, "peak_exhaustion") < total(from_pressure, "peak_exhaustion")


# --- readiness as the weakest ML Test Score area (Breck et al.) ----------------------------------------
def test_readiness_is_the_weakest_area_built_last():
    project = entities.Project(0, 0.0, WEEK, [], committed=0, effort=100.0, remaining=50.0)
    assert project.readiness == pytest.approx(0.5)  # no areas: progress
    project.monitoring_share = 0.2  # data, model, infrastructure, then monitoring (20%)
    assert project.readiness == 0.0  # half built, nothing monitored
    project.remaining = 10.0
    assert project.readiness == pytest.approx(0.5)
    project.remaining = 0.0
    assert project.readiness == 1.0


def test_weakest_link_makes_early_shipping_fragile():
    linear = kpis(Scenario(enable_weakest_link=False), "notebook-only")
    weakest = kpis(Scenario(), "notebook-only")
    assert total(weakest, "projects_shipped") < total(linear, "projects_shipped")


# --- on-call triage, turnover and a team that starts mid-life ------------------------------------------
def test_only_urgent_incidents_page_someone_at_night():
    rows = kpis(Scenario(), "fixed:0.3")
    at_once = kpis(Scenario(enable_incident_triage=False), "fixed:0.3")
    assert total(rows, "incident_wait_mean_hours") > 0  # tickets wait for the morning
    assert total(at_once, "incidents_paged") == 0
    assert 0 < total(rows, "incidents_paged") < total(rows, "incidents")


def test_next_working_start_skips_nights_and_weekends():
    model = TeamModel(Scenario(), tm.policies.from_spec("fixed:0.3"), 0, False)
    day = 24.0
    friday_evening = 4 * day + 20.0  # day 4 is a Friday (days 5 and 6 are the weekend)
    assert model._next_working_start(friday_evening) == 7 * day + 9.0
    assert model._next_working_start(2 * day + 3.0) == 2 * day + 9.0
    assert model._working_hours(2 * day + 10.0) and not model._working_hours(5 * day + 10.0)


def test_turnover_takes_people_and_their_knowledge():
    rows = kpis(Scenario(quit_rate_per_year=0.5, enable_burnout=False), "fixed:0.3")
    stay = kpis(Scenario(enable_turnover=False, enable_burnout=False), "fixed:0.3")
    assert total(rows, "attrition") > 0 and total(stay, "attrition") == 0
    assert total(rows, "domain_knowledge_final") < total(stay, "domain_knowledge_final")
    assert mechanisms.daily_quit_chance(Scenario(quit_rate_per_year=0.0)) == 0


def test_a_team_mid_life_starts_with_systems_and_debt():
    fresh = tm.run(Scenario(initial_systems=0, initial_debt=0.0), "fixed:0.3", seed=3)
    mid = tm.run(Scenario(initial_systems=5, initial_debt=3.0), "fixed:0.3", seed=3)
    assert mid.weekly["value"][0] > 0 == fresh.weekly["value"][0]
    assert mid.kpis["maintenance_hours"] > fresh.kpis["maintenance_hours"]
    assert mid.kpis["incidents"] > fresh.kpis["incidents"]
