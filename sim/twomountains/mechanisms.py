"""The model's formulas, one helper each, as pure functions of the scenario and the state they read.

The processes in :mod:`twomountains.model` decide *when* these apply; the functions here say *how
much*. Each names its source; the parameters' own sources are in :mod:`twomountains.scenario`.

>>> from twomountains.scenario import Scenario
>>> build_effort(Scenario(), capability=0.0)
1200.0
>>> round(concavity(Scenario(), daily_hours=8.0), 3)  # a 40-hour week: every hour counts in full
1.0
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

from twomountains.entities import WEEK

if TYPE_CHECKING:
    from twomountains.entities import System
    from twomountains.scenario import Scenario

MAX_PRESSURE = 3.0  # schedule pressure is reported up to three times the normal capacity
MAX_DAY_HOURS = 14.0  # nobody is scheduled for more; blocks end by 23:00
MAX_MAINTENANCE_SHARE = 0.9  # debt interest never takes every hour
INITIAL_READINESS = 0.8  # systems of a team mid-life: mostly, not fully, ready
WORKING_DAYS_PER_YEAR = 5 * 52
MIN_PLANNING_WEEKS = 0.2  # one working day: pressure never divides by less


def build_effort(scenario: Scenario, capability: float) -> float:
    """Hours to build one project's production system; a mature platform cuts it.

    effort = build_effort_hours / (1 + capability_leverage * capability) (Repenning & Sterman 2001:
    capability as a stock that makes every later build cheaper).
    """
    leverage = scenario.capability_leverage * capability if scenario.enable_capability else 0.0
    return scenario.build_effort_hours / (1.0 + leverage)


def weeks_to_target(scenario: Scenario, deadline: float, now: float) -> float:
    """Weeks left to a project's target: its deadline, or once missed (with re-planning) the late
    limit ``max_late_weeks`` after it; never less than one working day."""
    target = deadline
    if now >= deadline and scenario.enable_replanning:
        target = deadline + scenario.max_late_weeks * WEEK
    weeks = (target - now) / WEEK  # at least MIN_PLANNING_WEEKS (no max call: read daily)
    return MIN_PLANNING_WEEKS if weeks < MIN_PLANNING_WEEKS else weeks


def apportion(people: int, needs: list[float]) -> list[int]:
    """Share ``people`` among projects: one each, the rest in proportion to ``needs`` (largest
    remainder; ties to the earlier project).

    >>> apportion(5, [300.0, 100.0])  # one each, then 3 spare shared 2.25 : 0.75
    [3, 2]
    >>> apportion(2, [0.0, 0.0])
    [1, 1]
    """
    n = len(needs)
    if n == 0 or people < n:
        raise ValueError(f"people: got {people}; allowed: at least one per project ({n})")
    if n == 1:  # the usual case (planned daily): everyone goes to the one project
        return [people]
    spare = people - n
    total = sum(needs)
    quotas = [spare / n] * n if total <= 0 else [spare * need / total for need in needs]
    counts = [int(q) for q in quotas]
    left = spare - sum(counts)
    if left:
        order = sorted(range(n), key=lambda i: (-(quotas[i] - counts[i]), i))
        for i in order[:left]:
            counts[i] += 1
    return [1 + c for c in counts]


def knowledge_gain(scenario: Scenario, knowledge: float, effective_hours: float) -> float:
    """Domain knowledge after ``effective_hours`` of exploration: diminishing returns toward 1.

    >>> from twomountains.scenario import Scenario
    >>> round(knowledge_gain(Scenario(), 0.5, 100.0), 3)  # 0.5 + 0.002 * 100 * 0.5
    0.6
    """
    return knowledge + scenario.knowledge_per_hour * effective_hours * (1.0 - knowledge)


def insight_value(scenario: Scenario, true_value: float, sd: float, prior_sd: float) -> float:
    """Decision value of a project's exploration: ``insight_weeks`` of the leading framing's true
    weekly value, times how much was learned about it (1 - posterior sd / prior sd). A mirage's
    true value is zero, so a false insight is worth nothing (Hubbard 2014: value of information).

    >>> from twomountains.scenario import Scenario
    >>> insight_value(Scenario(insight_weeks=6.0), 10.0, sd=2.0, prior_sd=4.0)
    30.0
    """
    learned = max(0.0, 1.0 - sd / prior_sd) if prior_sd > 0 else 0.0
    return scenario.insight_weeks * max(true_value, 0.0) * learned


def exploration_boost(scenario: Scenario, knowledge: float) -> float:
    """How much more an exploration hour teaches a team with domain knowledge ``knowledge``."""
    if not scenario.enable_knowledge:
        return 1.0
    return 1.0 + scenario.knowledge_exploration_effect * knowledge


def drift(scenario: Scenario, system: System) -> float:
    """Weekly share of value a deployed system loses to drift (Vela et al. 2022): less with
    monitoring (its readiness, Breck et al. 2017) and with the domain knowledge it was built with."""
    loss = scenario.drift_per_week * (1 - scenario.monitoring_effect * system.readiness)
    if scenario.enable_knowledge:
        loss *= 1 - scenario.knowledge_drift_effect * system.knowledge
    return loss


def felt_pressure(scenario: Scenario, pressure: float, hours: float) -> float:
    """Schedule pressure above 1 that a person who worked ``hours`` today feels as strain.

    With strain from hours, it is the share of the contracted day they worked beyond it, at most
    the team's pressure; otherwise the team's pressure whatever their hours.

    >>> from twomountains.scenario import Scenario
    >>> felt_pressure(Scenario(), pressure=3.0, hours=8.0)  # held to a contracted day
    0.0
    >>> felt_pressure(Scenario(), pressure=3.0, hours=10.0)  # 25% beyond the contracted day
    0.25
    """
    # max/min written out: this runs for every person-day under pressure
    if not scenario.enable_strain_from_hours:
        return pressure - 1.0 if pressure - 1.0 > 0.0 else 0.0
    share = hours / (scenario.base_hours_per_week / 5)
    felt = (share if share < pressure else pressure) - 1.0
    return felt if felt > 0.0 else 0.0


def fast_track_chance(scenario: Scenario, pressure: float) -> float:
    """Daily chance that schedule pressure cuts a project's exploration short."""
    return 1.0 - math.exp(-scenario.fast_track_per_day * max(0.0, pressure - 1.0))


def daily_quit_chance(scenario: Scenario) -> float:
    """A working day's chance of leaving, from the yearly rate (a constant hazard)."""
    days = WORKING_DAYS_PER_YEAR if scenario.enable_weekends else 7 * 52
    return 1.0 - math.exp(-scenario.quit_rate_per_year / days)


def onboarding_productivity(scenario: Scenario, hired_at: float, now: float) -> float:
    """Output of a new hire relative to a settled one: 25% at hiring, rising linearly to 100%."""
    if scenario.onboarding_weeks <= 0:
        return 1.0
    ramp = (now - hired_at) / (scenario.onboarding_weeks * WEEK)
    return 1.0 if ramp >= 1.0 else 0.25 + 0.75 * ramp


def concavity(scenario: Scenario, daily_hours: float) -> float:
    """Output per hour relative to a normal hour, from the weekly rate of hours (Pencavel 2014/2015).

    Output is proportional to hours up to ``concave_from_hours`` a week, then concave (a quadratic
    that flattens), and flat past ``flat_from_hours``.
    """
    weekly = daily_hours * (5 if scenario.enable_weekends else 7)
    if not scenario.enable_concavity or weekly <= scenario.concave_from_hours or weekly <= 0:
        return 1.0
    a, b = scenario.concave_from_hours, scenario.flat_from_hours
    span = b - a
    extra = min(weekly, b) - a
    output = a + (extra - extra * extra / (2 * span) if span > 0 else 0.0)
    return output / weekly


def calm_quality(scenario: Scenario, pressure_days: Iterable[float]) -> float:
    """Exploration quality after the last three days' schedule pressure above 1 (Amabile et al. 2002)."""
    if not scenario.enable_pressure:
        return 1.0
    return 1.0 / (1.0 + scenario.pressure_creativity_loss * max(pressure_days))


def switching_share(scenario: Scenario, contexts: int) -> float:
    """Share of project time lost to switching between ``contexts`` in a day (Tregubov et al. 2017)."""
    if not scenario.enable_switching or contexts <= 1:
        return 0.0
    return min(0.5, scenario.switching_loss * (contexts - 1))


def burnout_hazard(scenario: Scenario, exhaustion: float) -> float:
    """Daily chance of burning out: zero at the risk level, ``burnout_hazard_per_day`` at 1.0 (Homer 1985)."""
    over = exhaustion - scenario.risk_exhaustion
    if over <= 0:
        return 0.0
    return scenario.burnout_hazard_per_day * over / max(1.0 - scenario.risk_exhaustion, 1e-9)


def incident_rate_per_week(
    scenario: Scenario, systems: Iterable[System], debt: float, capability: float
) -> float:
    """Incidents per week from outside sources, deployed systems (more when fragile) and debt,
    divided by what the platform's capability prevents (Sculley et al. 2015; Repenning & Sterman)."""
    per_week = scenario.incident_base_per_week
    for s in systems:
        rate = scenario.incident_per_system_week * (
            1 + scenario.fragility_incident_factor * (1 - s.readiness)
        )
        if scenario.enable_knowledge:
            rate *= 1 - scenario.knowledge_incident_effect * s.knowledge
        per_week += rate
    if scenario.enable_debt:
        per_week += scenario.incident_per_debt_week * debt
    if scenario.enable_capability:
        per_week /= 1 + scenario.capability_incident_effect * capability
    return per_week


def maintenance_share(scenario: Scenario, debt: float, present: int) -> float:
    """Share of the team's hours that debt's interest takes as maintenance (capped)."""
    team_hours = (present or 1) * scenario.base_hours_per_week
    return min(MAX_MAINTENANCE_SHARE, debt * scenario.debt_interest_hours / team_hours)
