"""Verification: with only incidents switched on, the responders form an M/M/c queue.

Incidents arrive as a Poisson process, repairs are exponential and every team member is a responder,
so the mean wait for a responder must match the Erlang C formula.
"""

from __future__ import annotations

import math
import statistics

import pytest

import twomountains as tm


def erlang_c_wait(arrival_rate: float, service_rate: float, servers: int) -> float:
    """Mean waiting time in queue, Wq, of an M/M/c queue."""
    a = arrival_rate / service_rate
    top = a**servers / math.factorial(servers) * servers / (servers - a)
    p_wait = top / (sum(a**k / math.factorial(k) for k in range(servers)) + top)
    return p_wait / (servers * service_rate - arrival_rate)


def incidents_only(team: int, per_week: float, repair_hours: float) -> tm.Scenario:
    return tm.Scenario(
        team_size=team,
        horizon_weeks=260,
        incident_base_per_week=per_week,
        repair_hours=repair_hours,
        enable_projects=False,
        enable_capability=False,
        enable_debt=False,
        enable_fatigue=False,
        enable_burnout=False,
        initial_systems=0,  # incidents only from the base rate
        initial_debt=0.0,
        enable_incident_triage=False,  # every incident at once: the M/M/c queue
        enable_turnover=False,
    )


def _mean_wait(args: tuple[int, float, float, int]) -> float:
    team, per_hour, repair, seed = args
    return tm.run(incidents_only(team, per_hour * 168, repair), seed=seed).kpis[
        "incident_wait_mean_hours"
    ]


@pytest.mark.parametrize(("team", "per_hour", "repair"), [(3, 0.3, 6.0), (2, 0.12, 10.0)])
def test_mean_wait_matches_erlang_c(pool, team, per_hour, repair):
    # 10 replications of 5 years each (about 50,000 incidents in all)
    waits = list(pool.map(_mean_wait, [(team, per_hour, repair, s) for s in range(10)]))
    expected = erlang_c_wait(per_hour, 1 / repair, team)
    mean = statistics.fmean(waits)
    standard_error = statistics.stdev(waits) / len(waits) ** 0.5
    assert abs(mean - expected) < 3 * standard_error
    assert mean == pytest.approx(expected, rel=0.1)


def test_erlang_c_formula_sanity():
    # M/M/1: Wq = rho / (mu - lambda)
    assert erlang_c_wait(0.5, 1.0, 1) == pytest.approx(0.5 / 0.5)
