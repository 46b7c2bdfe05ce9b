"""The parameters a fit estimates by default (the identifiable set) and their prior ranges.

Owned by the fit; the synthetic team (``twomountains.records.synthetic``) writes the true values of
exactly these parameters to ``truth.toml``.
"""

from __future__ import annotations

#: Parameters fitted when no ``--param`` is given: each is informed by a statistic a team records
#: (project arrivals, incidents per week, repair hours per incident, maintenance share, burnout
#: scores).
DEFAULT_PARAMS: tuple[str, ...] = (
    "project_interval_weeks",
    "incident_per_system_week",
    "repair_hours",
    "debt_interest_hours",
    "fatigue_per_hour",
)
