"""Records made from a traced run: exactly what happened, or as a team would have measured it.

:func:`from_run` is called by the fit for every simulated run, so it builds plain Python columns
in one pass over the run's rows and events and makes each DataFrame once (no validation: a run's
records are valid by construction, which a test checks).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from twomountains.entities import WEEK
from twomountains.errors import UsageError
from twomountains.model import PLAN_HOUR
from twomountains.records.schema import MODEL_ACTIVITY, TABLES, pandas_dtype
from twomountains.records.team import TeamRecords
from twomountains.streams import stream

#: A week's hours are booked when it closes, on Monday just before the 08:00 plan, so the row of
#: week w holds what happened from ((w-1) weeks + 8 h) to (w weeks + 8 h).
_CLOSE_OFFSET = PLAN_HOUR / WEEK
#: Event times are rounded to 1e-4 weeks; an event at the 08:00 plan belongs to the new week.
_ROUNDING = 1e-3
_MODEL_COLUMNS = tuple(MODEL_ACTIVITY.items())  # (records column, model activity)


@dataclass(frozen=True)
class Measurement:
    """How a team measures what happened (the synthetic team's measurement model).

    ``hours_noise_sd``: multiplicative log-normal error of each self-reported hours cell (mean
    kept), then rounded to ``hours_rounding`` hours; ``missing_week_share``: chance that a
    person-week's timesheet is missing; ``cbi_noise_sd``: additive error of a CBI score in points;
    ``survey_every_weeks``: weeks between burnout surveys; repair hours are logged to
    ``repair_rounding`` hours.
    """

    seed: int = 0
    hours_noise_sd: float = 0.10
    missing_week_share: float = 0.05
    cbi_noise_sd: float = 8.0
    survey_every_weeks: int = 4
    hours_rounding: float = 0.5
    repair_rounding: float = 0.25


#: Weeks between burnout surveys in exact records (``measurement=None``).
EXACT_SURVEY_EVERY_WEEKS = 4


def week_of(t: float) -> int:
    """The week (row of ``hours.csv``) in which something at model time ``t`` (weeks) is booked.

    >>> week_of(0.5), week_of(1.0), week_of(1 + 8 / 168), week_of(2.9)
    (1, 1, 2, 3)
    """
    return max(1, math.floor(t - _CLOSE_OFFSET + _ROUNDING) + 1)


def cbi_score(exhaustion: float, risk_exhaustion: float) -> float:
    """The CBI work-related burnout score (0-100) for the model's exhaustion.

    The model's at-risk threshold maps to 50, the CBI's conventional "high burnout" cut-off
    (Kristensen et al. 2005; Borritz et al. 2006), linearly, clipped to the scale.

    >>> cbi_score(0.35, 0.7), cbi_score(0.7, 0.7), cbi_score(2.0, 0.7)
    (25.0, 50.0, 100.0)
    """
    return min(100.0, max(0.0, 50.0 * exhaustion / risk_exhaustion))


def person_id(person: int) -> str:
    """The pseudonymous id of the model's person ``person`` (``p01``, ``p02``, ...)."""
    return f"p{person + 1:02d}"


def _round_to(x: float, step: float) -> float:
    return round(x / step) * step


def from_run(
    result: Any, *, team: str = "synthetic", measurement: Measurement | None = None
) -> TeamRecords:
    """The records a team would have kept of a traced run (``tm.run(..., trace=True)``).

    With ``measurement=None`` the records are exact: hours per person-week are the model's,
    projects, incidents and departures are read from the run's events, and the burnout survey
    is taken every 4 weeks from everyone present. With a :class:`Measurement`, hours carry
    noise, rounding and missing weeks and CBI scores carry noise (drawn from ``measurement.seed``).

    >>> import twomountains as tm
    >>> result = tm.run(seed=3, trace=True)
    >>> records = from_run(result)
    >>> int((records.projects["outcome"] == "shipped").sum()) == result.kpis["projects_shipped"]
    True
    """
    import pandas as pd

    rows: Sequence[dict[str, Any]] = result.hours_by_person
    if not rows:
        raise UsageError("result: got an untraced run; allowed: a run made with trace=True")
    sc = result.scenario
    m = measurement
    rng_missing = stream(m.seed, "records/missing-weeks") if m else None
    rng_hours = stream(m.seed, "records/hours-noise") if m else None
    rng_cbi = stream(m.seed, "records/cbi-noise") if m else None

    # --- hours and the burnout survey: one pass over the person-week rows
    hours: dict[str, list[Any]] = {name: [] for name in TABLES["hours"].column_names}
    burnout: dict[str, list[Any]] = {"person": [], "week": [], "cbi_work": []}
    every = m.survey_every_weeks if m else EXACT_SURVEY_EVERY_WEEKS
    first_week: dict[int, int] = {}
    last_week: dict[int, int] = {}
    risk = sc.risk_exhaustion
    h_person, h_week = hours["person"], hours["week"]
    h_columns = [(hours[column], activity) for column, activity in _MODEL_COLUMNS]
    for row in rows:
        week, pid, present = row["week"], row["person"], row["present"]
        if present and week % every == 0:
            score = cbi_score(row["exhaustion"], risk)
            if rng_cbi is not None and m is not None:
                score = round(min(100.0, max(0.0, score + rng_cbi.gauss(0.0, m.cbi_noise_sd))), 1)
            burnout["person"].append(person_id(pid))
            burnout["week"].append(week)
            burnout["cbi_work"].append(score)
        if not present and row["hours_worked"] <= 0.0:
            continue  # on leave or gone all week: no timesheet
        if pid not in first_week:
            first_week[pid] = week
        last_week[pid] = week
        if rng_missing is not None and m is not None and rng_hours is not None:
            missing = rng_missing.random() < m.missing_week_share
            sd, step = m.hours_noise_sd, m.hours_rounding
            noisy = [
                _round_to(row[a] * math.exp(rng_hours.gauss(0.0, sd) - sd * sd / 2), step)
                for _, a in h_columns
            ]  # every cell draws, so a missing week shifts no other week's noise
            if missing:
                continue
            for (values, _), value in zip(h_columns, noisy, strict=True):
                values.append(value)
        else:
            for values, activity in h_columns:
                values.append(row[activity])
        h_person.append(person_id(pid))
        h_week.append(week)

    # --- people, projects and incidents: one pass over the events
    joined = dict.fromkeys(range(sc.team_size), 1)
    left: dict[int, tuple[int, str]] = {}
    burnt_at: dict[int, float] = {}
    arrivals: dict[int, tuple[float, float]] = {}
    outcomes: dict[int, tuple[str, float]] = {}
    incidents: dict[str, list[Any]] = {name: [] for name in TABLES["incidents"].column_names}
    weeks = sc.horizon_weeks
    for event in result.events:
        # the last week's row closes 8 hours after the horizon: its events are in week `weeks`
        kind, t = event["event"], min(event["week"], float(weeks))
        if kind == "incident":
            incidents["incident"].append(f"i{len(incidents['incident']) + 1:03d}")
            incidents["week"].append(t)
            repair = event["repair_hours"]
            if m is not None:
                repair = max(m.repair_rounding, _round_to(repair, m.repair_rounding))
            incidents["repair_hours"].append(repair)
            incidents["paged"].append(bool(event["paged"]))  # the model says who was paged
        elif kind == "project_arrived":
            arrivals[event["project"]] = (t, event["deadline_week"])
        elif kind in ("shipped", "cancelled", "abandoned", "dropped"):
            outcome = "abandoned" if kind == "dropped" else kind
            outcomes[event["project"]] = (outcome, t)
        elif kind == "hired":
            joined[event["person"]] = week_of(t)
        elif kind == "burnout":
            burnt_at[event["person"]] = t
        elif kind == "quit":
            pid = event["person"]
            reason = "burnout" if burnt_at.get(pid) == t else "quit"
            left[pid] = (max(week_of(t), last_week.get(pid, 1)), reason)

    people: dict[str, list[Any]] = {name: [] for name in TABLES["people"].column_names}
    for pid, joined_week in sorted(joined.items()):
        people["person"].append(person_id(pid))
        people["joined_week"].append(min(joined_week, first_week.get(pid, joined_week)))
        departure = left.get(pid)
        people["left_week"].append(departure[0] if departure else None)
        people["left_reason"].append(departure[1] if departure else None)

    projects: dict[str, list[Any]] = {name: [] for name in TABLES["projects"].column_names}
    for project, (arrival, deadline) in arrivals.items():
        outcome, when = outcomes.get(project, ("open", None))
        projects["project"].append(f"P{project + 1:03d}")
        projects["arrival_week"].append(arrival)
        projects["deadline_week"].append(deadline)
        projects["outcome"].append(outcome)
        projects["outcome_week"].append(when)

    return TeamRecords(
        team=team,
        weeks=weeks,
        contracted_hours_per_week=float(sc.base_hours_per_week),
        policy=result.policy,
        people=_frame(pd, "people", people),
        hours=_frame(pd, "hours", hours),
        projects=_frame(pd, "projects", projects),
        incidents=_frame(pd, "incidents", incidents),
        burnout=_frame(pd, "burnout", burnout),
    )


def _frame(pd: Any, table: str, data: dict[str, list[Any]]) -> Any:
    """A DataFrame with the table's column order and dtypes, made once from plain lists."""
    spec = TABLES[table]
    return pd.DataFrame(
        {c.name: pd.Series(data[c.name], dtype=pandas_dtype(c)) for c in spec.columns}
    )
