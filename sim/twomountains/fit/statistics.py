"""Summary statistics of a team's records: ONE function for observed and simulated records.

:func:`statistics` reads a :class:`twomountains.records.TeamRecords` (or anything with the same
attributes: ``weeks``, ``contracted_hours_per_week`` and the ``people``, ``hours``, ``projects``,
``incidents`` and ``burnout`` DataFrames) and returns ``{name: value}`` in the order of
:data:`STATISTICS`. Hours statistics are ratios of sums or means per *recorded* person-week, so a
missing week (a missing row) changes none of them in expectation, and multiplicative timesheet
noise with mean one averages out. A statistic with nothing to measure (no incident with repair
hours, no decided project, no survey) is NaN; the fit leaves NaN statistics out.
"""

from __future__ import annotations

from typing import Any

#: Each statistic and what it measures (the fit's diagnostics print these names).
STATISTICS: dict[str, str] = {
    "projects_per_week": "projects arriving per week (projects.csv)",
    "incidents_per_week": "incidents per week (incidents.csv)",
    "repair_hours_mean": "mean repair hours per incident (incidents.csv)",
    "incident_hours_share": "share of recorded hours spent on incidents (hours.csv)",
    "maintenance_share": "share of recorded hours spent on maintenance (hours.csv)",
    "explore_share": "share of recorded hours spent exploring (hours.csv)",
    "build_share": "share of recorded hours spent building (hours.csv)",
    "platform_share": "share of recorded hours spent on the platform (hours.csv)",
    "hours_per_person_week": "mean hours per recorded person-week (hours.csv)",
    "overtime_per_person_week": "mean hours beyond the contract per recorded person-week",
    "cbi_mean": "mean CBI work score (burnout.csv)",
    "cbi_high_share": "share of CBI work scores at or above 50, 'high burnout' (burnout.csv)",
    "departures_per_person_year": "people leaving per person-year on the team (people.csv)",
    "shipped_share": "share of decided projects shipped (projects.csv)",
    "abandoned_share": "share of decided projects abandoned (projects.csv)",
}

#: The statistics the fit matches. Left out, though reported in the diagnostics: overtime per
#: person-week and the share of CBI scores >= 50, which are convex in a noisy measurement (a
#: timesheet error of 10% or a survey error of 8 points pushes as many values over a threshold as
#: under it, so their expected value grows with the noise: on the synthetic team, overtime 1.9 h
#: measured against 0.9 h true, high-burnout share 10% against 1%). Every statistic kept is a
#: count, a mean or a ratio of sums, unbiased under noise with mean zero and missing rows.
FIT_STATISTICS: tuple[str, ...] = tuple(
    n for n in STATISTICS if n not in ("overtime_per_person_week", "cbi_high_share")
)

ACTIVITIES = ("explore", "build", "platform", "maintenance", "incidents", "other")
#: The CBI's conventional "high burnout" cut-off (Kristensen et al. 2005; Borritz et al. 2006).
CBI_HIGH = 50.0
WEEKS_PER_YEAR = 52.0


def statistics(records: Any) -> dict[str, float]:
    """The summary statistics of ``records`` (see :data:`STATISTICS`), NaN where undefined."""
    import numpy as np

    weeks = float(records.weeks)
    nan = float("nan")
    hours = records.hours
    activity = {a: as_floats(hours[a]) for a in ACTIVITIES}
    per_row = sum(activity.values())
    total = float(per_row.sum())

    def share(name: str) -> float:
        return float(activity[name].sum()) / total if total > 0 else nan

    rows = len(per_row)
    contracted = float(records.contracted_hours_per_week)
    incidents = records.incidents
    repair = as_floats(incidents["repair_hours"])
    repair = repair[~np.isnan(repair)]
    cbi = as_floats(records.burnout["cbi_work"])
    cbi = cbi[~np.isnan(cbi)]
    projects = records.projects
    outcomes = projects["outcome"].astype(str)
    decided = int(outcomes.isin(("shipped", "abandoned", "cancelled")).sum())
    return {
        "projects_per_week": len(projects) / weeks,
        "incidents_per_week": len(incidents) / weeks,
        "repair_hours_mean": float(repair.mean()) if len(repair) else nan,
        "incident_hours_share": share("incidents"),
        "maintenance_share": share("maintenance"),
        "explore_share": share("explore"),
        "build_share": share("build"),
        "platform_share": share("platform"),
        "hours_per_person_week": total / rows if rows else nan,
        "overtime_per_person_week": (
            float(np.maximum(per_row - contracted, 0.0).mean()) if rows else nan
        ),
        "cbi_mean": float(cbi.mean()) if len(cbi) else nan,
        "cbi_high_share": float((cbi >= CBI_HIGH).mean()) if len(cbi) else nan,
        "departures_per_person_year": _departures_per_person_year(records.people, weeks),
        "shipped_share": float((outcomes == "shipped").sum()) / decided if decided else nan,
        "abandoned_share": float((outcomes == "abandoned").sum()) / decided if decided else nan,
    }


def _departures_per_person_year(people: Any, weeks: float) -> float:
    """Departures over the person-years on the team (joined to left, or to the end of records)."""
    import numpy as np

    joined = as_floats(people["joined_week"])
    left = as_floats(people["left_week"])  # NaN when still on the team
    departed = ~np.isnan(left)
    until = np.where(departed, left, weeks)
    person_years = float(np.clip(until - joined + 1.0, 0.0, None).sum()) / WEEKS_PER_YEAR
    return float(departed.sum()) / person_years if person_years > 0 else float("nan")


def as_floats(column: Any) -> Any:
    """A column as a float array, missing values (NaN, None, pandas NA, "") as NaN."""
    import pandas as pd

    return pd.to_numeric(column, errors="coerce").astype(float).to_numpy()
