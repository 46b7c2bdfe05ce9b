"""The books: one owner for a run's KPIs, weekly series and the :class:`RunResult` they make.

The processes report what happened (a project shipped, hours of an activity, a week closed); the
books count it. Nothing else writes a KPI or a series, in the spirit of Mesa's DataCollector.

>>> books = Books(team_size=2)
>>> books.count("projects_started")
>>> books.log_hours("build", 7.5)
>>> books.week_hours["build"], books.counters["projects_started"]
(7.5, 1.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from twomountains.entities import Person
    from twomountains.scenario import Scenario

# Where working hours go. "build" is project MLOps work (the production system); "platform" is
# shared MLOps capability; the KPI ``mlops_hours`` is their sum.
ACTIVITIES: tuple[str, ...] = (
    "exploration",
    "build",
    "platform",
    "maintenance",
    "incidents",
    "switching",
)

KPI_NAMES: tuple[str, ...] = (
    "value_delivered",
    "production_value",
    "insight_value",
    "projects_started",
    "projects_shipped",
    "shipped_on_time",
    "deadlines_missed",
    "mirages_shipped",
    "fragile_ships",
    "projects_cancelled",
    "projects_dropped",
    "projects_abandoned",
    "build_hours_saved",
    "projects_fast_tracked",
    "incidents",
    "incidents_paged",
    "firefighting_hours",
    "exploration_hours",
    "mlops_hours",
    "build_hours",
    "platform_hours",
    "maintenance_hours",
    "overtime_hours",
    "switching_hours",
    "hours_worked",
    "explore_share_realized",
    "tech_debt_final",
    "capability_final",
    "domain_knowledge_final",
    "burnout_events",
    "attrition",
    "attrition_rate_per_person_year",
    "at_risk_share",
    "peak_exhaustion",
    "burnout_rate_per_person_year",
    "incident_wait_mean_hours",
    "pressure_mean",
    "pressure_capped_share",
)

# KPIs the processes count as events happen; the rest are derived when the run ends.
COUNTED = (
    "projects_started",
    "projects_fast_tracked",
    "projects_abandoned",
    "build_hours_saved",
    "projects_shipped",
    "shipped_on_time",
    "deadlines_missed",
    "mirages_shipped",
    "fragile_ships",
    "projects_cancelled",
    "projects_dropped",
    "incidents",
    "incidents_paged",
    "burnout_events",
    "attrition",
    "overtime_hours",
    "hours_worked",
)

WEEKLY_SERIES: tuple[str, ...] = (
    "week",
    "value",
    "value_cumulative",
    *(f"hours_{activity}" for activity in ACTIVITIES),
    "hours_worked",
    "overtime_hours",
    "exhaustion_mean",
    "exhaustion_max",
    "capability",
    "debt",
    "knowledge",
    "headcount",
    "at_risk",
)


class Books:
    """KPI counters, hours by activity, weekly series and exhaustion per person for one run."""

    def __init__(self, team_size: int) -> None:
        self.counters: dict[str, float] = dict.fromkeys(COUNTED, 0.0)
        self.value_delivered = 0.0
        self.production_value = 0.0
        self.insight_value = 0.0
        self.insight_week = 0.0  # insight realised in the open week
        self.hours: dict[str, float] = dict.fromkeys(ACTIVITIES, 0.0)  # closed weeks
        self.week_hours: dict[str, float] = dict.fromkeys(ACTIVITIES, 0.0)  # the open week
        self.weekly: dict[str, list[float]] = {name: [] for name in WEEKLY_SERIES}
        self.exhaustion_by_person: list[list[float]] = [[] for _ in range(team_size)]
        # traced runs: one row per person and week (hours by activity, exhaustion, presence)
        self.hours_by_person: list[dict[str, Any]] = []
        self.waits: list[float] = []  # incident waits for a responder, hours
        self.at_risk_weeks = 0
        self.person_weeks = 0
        self.peak_exhaustion = 0.0
        self.planning_days = 0
        self.pressure_sum = 0.0
        self.pressure_capped_days = 0

    def count(self, kpi: str, amount: float = 1.0) -> None:
        """Add ``amount`` to a counted KPI."""
        self.counters[kpi] += amount

    def add_insight(self, value: float) -> None:
        """Book decision value from exploration (realised now, counted in the open week)."""
        self.insight_value += value
        self.insight_week += value

    def note_pressure(self, pressure: float, capped: bool) -> None:
        """Record a working day's schedule pressure (after the day's plan)."""
        self.planning_days += 1
        self.pressure_sum += pressure
        self.pressure_capped_days += capped

    def log_hours(self, activity: str, hours: float) -> None:
        """Book hours of an activity to the open week."""
        self.week_hours[activity] += hours

    def close_week(
        self,
        week: int,
        value: float,
        people: list[Person],
        scenario: Scenario,
        capability: float,
        debt: float,
        knowledge: float,
    ) -> None:
        """Close week ``week`` (0-based): value, hours, exhaustion and at-risk person-weeks."""
        self.production_value += value
        value += self.insight_week  # the week's value: production and insight
        self.insight_week = 0.0
        self.value_delivered += value
        overtime = worked = 0.0
        exhaustion = []
        at_risk = 0
        headcount = 0
        for person in people:
            mean_e = person.week_exhaustion / 7.0
            self.exhaustion_by_person[person.slot].append(mean_e)
            if person.peak > self.peak_exhaustion:
                self.peak_exhaustion = person.peak
            person.peak = 0.0
            person.week_exhaustion = 0.0
            worked += person.week_hours
            extra = person.week_hours - scenario.base_hours_per_week
            if extra > 0.0:
                overtime += extra
            if person.week_activity is not None:  # traced runs only
                self.hours_by_person.append(
                    {
                        "week": week + 1,
                        "slot": person.slot,
                        "person": person.person_id,
                        "present": person.present,
                        **person.week_activity,
                        "hours_worked": person.week_hours,
                        "exhaustion": mean_e,
                    }
                )
                person.week_activity = dict.fromkeys(ACTIVITIES, 0.0)
            person.week_hours = 0.0
            if person.present:
                headcount += 1
                exhaustion.append(mean_e)
                at_risk += mean_e >= scenario.risk_exhaustion
        self.counters["overtime_hours"] += overtime
        self.counters["hours_worked"] += worked
        self.at_risk_weeks += at_risk
        self.person_weeks += headcount
        closed = self._close_week_hours()
        w = self.weekly
        w["week"].append(week + 1)
        w["value"].append(value)
        w["value_cumulative"].append(self.value_delivered)
        for activity in ACTIVITIES:
            w[f"hours_{activity}"].append(closed[activity])
        w["hours_worked"].append(worked)
        w["overtime_hours"].append(overtime)
        w["exhaustion_mean"].append(sum(exhaustion) / len(exhaustion) if exhaustion else 0.0)
        w["exhaustion_max"].append(max(exhaustion, default=0.0))
        w["capability"].append(capability)
        w["debt"].append(debt)
        w["knowledge"].append(knowledge)
        w["headcount"].append(headcount)
        w["at_risk"].append(at_risk)

    def _close_week_hours(self) -> dict[str, float]:
        closed = self.week_hours
        for activity in ACTIVITIES:
            self.hours[activity] += closed[activity]
        self.week_hours = dict.fromkeys(ACTIVITIES, 0.0)
        return closed

    def kpis(self, capability: float, debt: float, knowledge: float) -> dict[str, float]:
        """The run's KPIs, in the order of :data:`KPI_NAMES`."""
        self._close_week_hours()  # anything after the last weekly close (normally nothing)
        k: dict[str, float] = dict(self.counters)
        h = self.hours
        # insight realised after the last weekly close (normally none) still counts
        k["value_delivered"] = self.value_delivered + self.insight_week
        k["production_value"] = self.production_value
        k["insight_value"] = self.insight_value
        k["exploration_hours"] = h["exploration"]
        k["mlops_hours"] = h["build"] + h["platform"]
        k["build_hours"] = h["build"]
        k["platform_hours"] = h["platform"]
        k["maintenance_hours"] = h["maintenance"]
        k["firefighting_hours"] = h["incidents"]
        k["switching_hours"] = h["switching"]
        k["tech_debt_final"] = debt
        k["capability_final"] = capability
        k["domain_knowledge_final"] = knowledge
        k["at_risk_share"] = self.at_risk_weeks / self.person_weeks if self.person_weeks else 0.0
        k["peak_exhaustion"] = self.peak_exhaustion
        person_years = self.person_weeks / 52.0
        k["burnout_rate_per_person_year"] = (
            k["burnout_events"] / person_years if person_years else 0.0
        )
        k["attrition_rate_per_person_year"] = k["attrition"] / person_years if person_years else 0.0
        k["incident_wait_mean_hours"] = sum(self.waits) / len(self.waits) if self.waits else 0.0
        days = self.planning_days
        k["pressure_mean"] = self.pressure_sum / days if days else 0.0
        k["pressure_capped_share"] = self.pressure_capped_days / days if days else 0.0
        explore_mlops = k["exploration_hours"] + k["mlops_hours"]
        k["explore_share_realized"] = (
            k["exploration_hours"] / explore_mlops if explore_mlops else 0.0
        )
        return {name: float(k[name]) for name in KPI_NAMES}


@dataclass
class RunResult:
    """What one run returns: KPIs, weekly series, exhaustion per person and, if traced, events."""

    scenario: Scenario
    policy: str
    seed: int
    kpis: dict[str, float]
    weekly: dict[str, list[float]]
    exhaustion_by_person: list[list[float]]
    events: list[dict[str, Any]]
    #: traced runs only: one row per person and week with ``week``, ``slot``, ``person`` (an id
    #: unique over the run), ``present``, hours by activity, ``hours_worked`` and ``exhaustion``
    #: (the week's mean)
    hours_by_person: list[dict[str, Any]] = field(default_factory=list)

    def to_frame(self) -> Any:
        """The weekly series as a pandas DataFrame (pandas is imported only here)."""
        import pandas as pd

        frame = pd.DataFrame(self.weekly)
        for slot, series in enumerate(self.exhaustion_by_person):
            frame[f"exhaustion_p{slot}"] = series
        return frame
