"""Calibration targets: published patterns the model should reproduce, each with its source.

Pattern-oriented modelling (Grimm et al. 2005): the targets were chosen first, from published
surveys and studies, and only *calibration-choice* parameters (those whose source says so) were
adjusted to bring the model within each target's tolerance. No parameter was tuned to make a claim
of the essay hold; the claims ledger (:mod:`twomountains.claims`) reports them as they come out.

Each target names the preset and policy it applies to (a normal team is ``default`` under the
default policy; a crunch team is ``startup_crunch`` under ``crunch``), a statistic computed from a
run's KPIs, the tolerance band, and the source of both.

>>> [t.name for t in TARGETS][:2]
['production_share', 'maintenance_share']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import twomountains as tm
from twomountains.study.stats import t_interval

Kpis = Mapping[str, float]
DEFAULT_REPS = 20


def decided(k: Kpis) -> float:
    """Projects decided one way or another: shipped, cancelled, abandoned or dropped."""
    return (
        k["projects_shipped"]
        + k["projects_cancelled"]
        + k["projects_abandoned"]
        + k["projects_dropped"]
    )


def production_share(k: Kpis) -> float:
    """Share of the projects decided that were shipped (one run)."""
    return k["projects_shipped"] / decided(k) if decided(k) else 0.0


def upkeep(k: Kpis) -> float:
    """Hours spent on maintenance (debt interest) and firefighting."""
    return k["maintenance_hours"] + k["firefighting_hours"]


def upkeep_share(k: Kpis) -> float:
    """Share of hours worked spent on maintenance and firefighting (one run)."""
    return upkeep(k) / k["hours_worked"] if k["hours_worked"] else 0.0


def overtime_per_person_week(k: Kpis, scenario: tm.Scenario) -> float:
    """Hours beyond the contract per person and week."""
    return k["overtime_hours"] / (scenario.team_size * scenario.horizon_weeks)


def incidents_per_week(k: Kpis, scenario: tm.Scenario) -> float:
    return k["incidents"] / scenario.horizon_weeks


@dataclass(frozen=True)
class Target:
    """A published pattern: ``statistic`` of a preset's runs under a policy lies in [low, high]."""

    name: str
    description: str
    preset: str
    policy: str
    statistic: Callable[[Kpis, tm.Scenario], float]
    low: float
    high: float
    source: str
    calibrated: str  # the parameters set against this target ("none ..." when only checked)
    # a share is pooled over runs (sum of numerators over sum of denominators): one run decides
    # only a handful of projects, so the mean of per-run shares is dominated by small samples
    ratio: tuple[Callable[[Kpis], float], Callable[[Kpis], float]] | None = None


def _kpi(name: str) -> Callable[[Kpis, tm.Scenario], float]:
    return lambda k, scenario: k[name]


TARGETS: tuple[Target, ...] = (
    Target(
        "production_share",
        "Share of decided projects that reach production",
        "default",
        "fixed:0.4",
        lambda k, scenario: production_share(k),
        0.35,
        0.65,
        "Gartner surveys: 53% (2019), 54% (2021), 48% (2024) of AI projects move from prototype to "
        "production; the often quoted '87% never do' is an anecdote (VentureBeat 2019 panel)",
        "outside_option_value",
        (lambda k: k["projects_shipped"], decided),
    ),
    Target(
        "maintenance_share",
        "Share of a mid-life team's hours spent on maintenance and firefighting",
        "default",
        "fixed:0.4",
        lambda k, scenario: upkeep_share(k),
        0.20,
        0.45,
        "Stripe, The Developer Coefficient (2018): developers spend 17.3 of 41.1 hours a week "
        "(42%) on technical debt and bad code; 'about a third' is the usual summary",
        "initial_systems, initial_debt, debt_per_system, debt_paydown_per_hour",
        (upkeep, lambda k: k["hours_worked"]),
    ),
    Target(
        "overtime_normal",
        "Overtime per person-week in a normal team (hours)",
        "default",
        "fixed:0.4",
        overtime_per_person_week,
        0.5,
        5.0,
        "Stack Overflow Developer Survey 2019 (64,503 answers): 51.7% work 40-44 h a week, 11.6% "
        "45-49 h, 4.5% 60 h or more",
        "none (checked, not tuned)",
    ),
    Target(
        "at_risk_normal",
        "Share of person-weeks at burnout risk in a normal team",
        "default",
        "fixed:0.4",
        _kpi("at_risk_share"),
        0.02,
        0.25,
        "Gallup 2018 (7,500 US employees): 23% feel burned out at work very often or always",
        "none (checked, not tuned)",
    ),
    Target(
        "burnout_normal",
        "Burnout leaves per person-year in a normal team",
        "default",
        "fixed:0.4",
        _kpi("burnout_rate_per_person_year"),
        0.0,
        0.10,
        "Order of magnitude: burnout leave is rare and long (Wolvetang et al. 2022, 17,338 "
        "stress-related sick-leave episodes in a Dutch occupational-health database, burnout "
        "episodes 163 working days); no incidence figure for data teams was found",
        "burnout_hazard_per_day",
    ),
    Target(
        "attrition_normal",
        "Departures per person-year in a normal team",
        "default",
        "fixed:0.4",
        _kpi("attrition_rate_per_person_year"),
        0.08,
        0.25,
        "LinkedIn 2018 talent turnover: 13.2% a year in technology",
        "none (checked, not tuned; quit_rate_per_year is sourced)",
    ),
    Target(
        "incidents_normal",
        "Incidents per week for a mid-life team",
        "default",
        "fixed:0.4",
        incidents_per_week,
        0.3,
        4.0,
        "Beyer et al. 2016, Site Reliability Engineering ch. 11: Google caps on-call load at two "
        "incidents per 12-hour shift, and most shifts see fewer; order of magnitude",
        "none (checked, not tuned)",
    ),
    Target(
        "at_risk_crunch",
        "Share of person-weeks at burnout risk in a crunch team",
        "startup_crunch",
        "crunch",
        _kpi("at_risk_share"),
        0.15,
        0.70,
        "IGDA Developer Satisfaction Survey 2019: crunch is common in game studios and most who "
        "crunch report it harms their health; a crunch team sits well above a normal one",
        "none (pattern: above the normal team)",
    ),
    Target(
        "overtime_crunch",
        "Overtime per person-week in a crunch team (hours)",
        "startup_crunch",
        "crunch",
        overtime_per_person_week,
        5.0,
        25.0,
        "IGDA Developer Satisfaction Survey 2019: crunch weeks of 50-60 hours and more",
        "none (pattern: above the normal team)",
    ),
)


def pooled_ratio(
    numerators: Sequence[float], denominators: Sequence[float], resamples: int = 2000
) -> tuple[float, float, float]:
    """Pooled ratio and a 95% percentile bootstrap interval over runs (fixed generator seed)."""
    import numpy as np

    num, den = np.asarray(numerators, float), np.asarray(denominators, float)
    ratio = float(num.sum() / den.sum()) if den.sum() else 0.0
    rng = np.random.default_rng(20261202)
    picks = rng.integers(0, len(num), (resamples, len(num)))
    sums = den[picks].sum(axis=1)
    draws = np.where(sums > 0, num[picks].sum(axis=1) / np.where(sums > 0, sums, 1), 0.0)
    low, high = np.percentile(draws, [2.5, 97.5])
    return ratio, float(low), float(high)


def check(reps: int = DEFAULT_REPS, targets: Sequence[Target] = TARGETS) -> list[dict[str, Any]]:
    """Run every target's preset and policy ``reps`` times (seeds 0..reps-1) and compare.

    Returns one row per target: its fields, the model's mean with a 95% interval, and ``within``
    (the mean lies in the tolerance band).
    """
    runs: dict[tuple[str, str], list[dict[str, float]]] = {}
    rows = []
    for target in targets:
        key = (target.preset, target.policy)
        scenario = tm.scenarios.load(target.preset)
        if key not in runs:
            runs[key] = [tm.run(scenario, target.policy, seed).kpis for seed in range(reps)]
        if target.ratio is not None:
            numerator, denominator = target.ratio
            mean, low, high = pooled_ratio(
                [numerator(k) for k in runs[key]], [denominator(k) for k in runs[key]]
            )
        else:
            mean, low, high = t_interval([target.statistic(k, scenario) for k in runs[key]])
        rows.append(
            {
                "name": target.name,
                "description": target.description,
                "preset": target.preset,
                "policy": target.policy,
                "target_low": target.low,
                "target_high": target.high,
                "model": mean,
                "model_low": max(low, 0.0),
                "model_high": high,
                "within": target.low <= mean <= target.high,
                "source": target.source,
                "calibrated": target.calibrated,
                "reps": reps,
            }
        )
    return rows
