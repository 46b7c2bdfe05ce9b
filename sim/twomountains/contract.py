"""The policy contract: what a policy sees, what it may decide, and how decisions are checked.

The model calls a policy once per working day with a read-only :class:`TeamView` and applies the
:class:`Decision` it returns, after :func:`check_decision` has checked it. Students' policies, the
built-in ones (:mod:`twomountains.policies`) and tournament entries all go through this one seam.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple, Protocol, runtime_checkable

from twomountains.entities import BUILD_PHASES, EXPLORING
from twomountains.errors import PolicyError

if TYPE_CHECKING:
    from twomountains.entities import Project
    from twomountains.scenario import Scenario


class CandidateView(NamedTuple):
    """What the team knows about one candidate framing of a project."""

    id: int  # position among the project's candidates
    estimate: float  # posterior mean of weekly value (0 once exposed as a mirage)
    sd: float  # posterior standard deviation
    signals: int  # experimental signals gathered so far
    exposed: bool  # shown to be a mirage
    pitch: float  # the apparent value when the project arrived
    explored_hours: float = 0.0  # effective exploration hours spent on it


class ProjectView(NamedTuple):
    """A project as the team sees it (true values stay hidden)."""

    id: int
    arrival_week: float
    deadline_week: float
    phase: str  # "exploring" | "building" | "late" (building after the deadline)
    candidates: tuple[CandidateView, ...]
    committed: int | None  # id of the chosen candidate once committed
    readiness: float  # build progress, 0..1 (ML Test Score style weakest link)
    remaining_build_hours: float  # nominal hours still needed (0 while exploring)
    exploration_hours: float  # effective exploration hours so far
    weeks_to_deadline: float  # negative when late


class PersonView(NamedTuple):
    """A person's state as a considerate manager could know it."""

    slot: int
    present: bool  # False while on burnout leave or while the seat is vacant
    exhaustion: float  # 0 = fresh; at risk of burnout from scenario.risk_exhaustion (0.7)
    latched: bool  # unwilling to work overtime until rested
    skill: float
    productivity: float  # onboarding ramp, 0.25..1


class TeamView(NamedTuple):
    """Everything a policy may look at on a working day."""

    week: float  # time now, in weeks
    projects: tuple[ProjectView, ...]  # active projects, earliest deadline first
    people: tuple[PersonView, ...]
    capability: float
    debt: float
    pressure: (
        float  # remaining work / remaining capacity (EDF feasibility; >1 means overtime needed)
    )
    deployed: int  # systems in production
    scenario: Scenario
    knowledge: float = 0.0  # the team's domain knowledge, 0..1


@dataclass(frozen=True)
class Decision:
    """A policy's instructions for one day (see the module docstring)."""

    platform_share: float = 0.1
    max_weekly_hours: float = 50.0
    commit: frozenset[int] = frozenset()
    explore_focus: Mapping[int, int] = field(default_factory=dict)
    ship_now: frozenset[int] = frozenset()
    person_max_weekly_hours: Mapping[int, float] = field(default_factory=dict)
    # people exploring each exploring project (default one each); builders are the rest
    explorers: Mapping[int, int] = field(default_factory=dict)
    # exploring projects to abandon (no-go): nothing is built, the people are freed
    abandon: frozenset[int] = frozenset()


@runtime_checkable
class PolicyProtocol(Protocol):
    """The protocol a user's own policy implements."""

    def decide(self, view: TeamView) -> Decision: ...


def check_decision(d: Decision, projects: Sequence[Project], scenario: Scenario) -> None:
    """Raise :class:`PolicyError` unless ``d`` is a valid decision for today's open ``projects``."""
    if not isinstance(d, Decision):
        raise PolicyError(f"decide(): got {type(d).__name__}; allowed: a Decision")
    if not (isinstance(d.platform_share, int | float) and 0.0 <= d.platform_share <= 1.0):
        raise PolicyError(f"platform_share: got {d.platform_share!r}; allowed: 0 to 1")
    for cap in (d.max_weekly_hours, *d.person_max_weekly_hours.values()):
        if not (isinstance(cap, int | float) and 0.0 <= cap <= 100.0):
            raise PolicyError(f"max_weekly_hours: got {cap!r}; allowed: 0 to 100")
    if not (d.commit or d.explore_focus or d.ship_now or d.explorers or d.abandon):
        return
    ids = {p.id: p for p in projects}
    for pid in d.commit:
        if pid not in ids or ids[pid].phase != EXPLORING:
            raise PolicyError(f"commit: got project {pid!r}; allowed: an exploring project")
    for pid, candidate_id in d.explore_focus.items():
        p = ids.get(pid)
        if (
            p is None
            or p.phase != EXPLORING
            or not (isinstance(candidate_id, int) and 0 <= candidate_id < len(p.candidates))
        ):
            raise PolicyError(
                f"explore_focus: got project {pid!r} candidate {candidate_id!r}; "
                "allowed: an exploring project and one of its candidate indices"
            )
        if p.candidates[candidate_id].exposed:
            raise PolicyError(
                f"explore_focus: got candidate {candidate_id} of project {pid}, already exposed "
                "as a mirage; allowed: an open candidate"
            )
    for pid in d.abandon:
        if not scenario.enable_no_go:
            raise PolicyError(
                f"abandon: got project {pid!r} while enable_no_go is off; allowed: no abandon"
            )
        if pid not in ids or ids[pid].phase != EXPLORING or pid in d.commit:
            raise PolicyError(
                f"abandon: got project {pid!r}; allowed: an exploring project not also committed"
            )
    for pid, people in d.explorers.items():
        p = ids.get(pid)
        if p is None or p.phase != EXPLORING:
            raise PolicyError(f"explorers: got project {pid!r}; allowed: an exploring project")
        if isinstance(people, bool) or not isinstance(people, int) or people < 0:
            raise PolicyError(
                f"explorers: got {people!r} for project {pid}; allowed: a whole number of people, 0 "
                "or more"
            )
    for pid in d.ship_now:
        p = ids.get(pid)
        if p is None or p.phase not in BUILD_PHASES:
            raise PolicyError(f"ship_now: got project {pid!r}; allowed: a project being built")
        if p.readiness < scenario.min_ship_readiness:
            raise PolicyError(
                f"ship_now: project {pid} has readiness {p.readiness:.2f}; allowed: at least "
                f"min_ship_readiness ({scenario.min_ship_readiness})"
            )
