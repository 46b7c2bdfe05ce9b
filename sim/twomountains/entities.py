"""The entities of the model: candidates, projects, deployed systems and people.

They hold state only; what happens to them lives in :mod:`twomountains.model` (the processes) and
:mod:`twomountains.mechanisms` (the formulas). Policies never see these objects, only the read-only
views of :mod:`twomountains.contract`.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import simpy

    from twomountains.contract import CandidateView

HOUR = 1.0
DAY = 24.0 * HOUR
WEEK = 7 * DAY

# A project's phases, in the order it can pass through them.
EXPLORING, BUILDING, LATE = "exploring", "building", "late"
SHIPPED, CANCELLED, DROPPED, ABANDONED = "shipped", "cancelled", "dropped", "abandoned"
OPEN_PHASES = (EXPLORING, BUILDING, LATE)
BUILD_PHASES = (BUILDING, LATE)


@dataclass(slots=True)
class Candidate:
    """One candidate framing of a project's problem, with its hidden true value."""

    id: int  # position among the project's candidates (CandidateView.id)
    kind: str  # "good" | "ordinary" | "mirage"
    true_value: float
    apparent_value: float  # what signals centre on (the artefact, for a mirage)
    pitch: float
    rng: random.Random
    signals: int = 0
    signal_sum: float = 0.0
    hours: float = 0.0  # effective exploration hours not yet turned into a signal
    explored: float = 0.0  # effective exploration hours in all
    exposed: bool = False

    def posterior(self, prior_precision: float, noise_variance: float) -> tuple[float, float]:
        """Posterior mean and sd of the candidate's value (normal prior at the pitch)."""
        if self.exposed:
            return 0.0, 0.0
        precision = prior_precision + self.signals / noise_variance
        mean = (self.pitch * prior_precision + self.signal_sum / noise_variance) / precision
        return mean, math.sqrt(1.0 / precision)


@dataclass(slots=True)
class Project:
    """A project: explored, committed to one candidate, built, then shipped, cancelled or dropped."""

    id: int
    arrival: float
    deadline: float
    candidates: list[Candidate]
    phase: str = EXPLORING
    committed: int | None = None  # id of the chosen candidate
    effort: float = 0.0  # build hours estimated at commitment
    remaining: float = 0.0  # build hours still to do
    exploration_hours: float = 0.0
    missed: bool = False
    monitoring_share: float = 0.0  # share of the effort in the last area built (0: no areas)
    frozen_view: tuple[CandidateView, ...] | None = None
    arrival_week: float = field(init=False)
    deadline_week: float = field(init=False)

    def __post_init__(self) -> None:
        self.arrival_week = self.arrival / WEEK
        self.deadline_week = self.deadline / WEEK

    @property
    def progress(self) -> float:
        """Share of the build done, 0..1."""
        if self.committed is None or self.effort <= 0:
            return 0.0
        # min(1.0, max(0.0, done)) written out: read every day, and builtin min/max calls are slow
        done = 1.0 - self.remaining / self.effort
        done = done if done > 0.0 else 0.0
        return done if done < 1.0 else 1.0

    @property
    def readiness(self) -> float:
        """Readiness, 0..1: the weakest ML Test Score area when the build has areas (the last
        one built, monitoring, is the weakest), else build progress."""
        progress = self.progress
        share = self.monitoring_share
        if share <= 0 or progress >= 1.0:  # a finished build is fully ready, rounding aside
            return progress
        ready = (progress - (1.0 - share)) / share
        ready = ready if ready > 0.0 else 0.0
        return ready if ready < 1.0 else 1.0


@dataclass(slots=True)
class System:
    """A deployed system: it delivers value each week while its health lasts."""

    project: Project
    value: float
    readiness: float
    late: bool
    mirage: bool
    health: float = 1.0
    knowledge: float = 0.0  # the team's domain knowledge when it was built (it generalises)


@dataclass(slots=True)
class Person:
    """A member of the team; their days are a SimPy process (``TeamModel._work_life``)."""

    slot: int
    skill: float
    hired_at: float
    onboarding: bool
    exhaustion: float = 0.0
    latched: bool = False  # unwilling to work overtime until rested (Abdel-Hamid & Madnick)
    present: bool = True
    working: bool = False
    in_store: bool = False  # waiting in the responders' store for the next incident
    process: simpy.Process | None = None
    repair: simpy.Event | None = None  # the incident being repaired, if any
    projects: list[Project] = field(default_factory=list)
    planned_hours: float = 0.0
    concavity: float = 1.0  # output per hour at the planned hours (Pencavel)
    firefight_hours: float = 0.0  # felt since the last daily settlement (fatigue, fragmentation)
    repair_booked_until: float = 0.0  # the ongoing repair's hours are in the books up to here
    interruptions: int = 0
    week_hours: float = 0.0
    # hours of the open week by activity; kept only in traced runs (None otherwise: no cost)
    week_activity: dict[str, float] | None = None
    person_id: int = 0  # unique over the run (a seat's successive holders differ)
    week_exhaustion: float = 0.0
    peak: float = 0.0
    # rest days (their 09:00) whose recovery is not yet applied: applied when anything reads or
    # adds to exhaustion, so a weekend costs no simulation events
    rest_due: list[float] = field(default_factory=list)
