"""Policies: how a team splits its time between the two mountains.

A policy is any object with a ``decide(view) -> Decision`` method (subclassing :class:`Policy` is the
easy way). The model calls it once per working day with a read-only :class:`TeamView` and applies
the returned :class:`Decision`:

* ``commit``: exploring projects to commit now (the best-looking candidate is chosen and building starts);
* ``explore_focus``: for exploring projects, which candidate gets today's exploration (default: all
  unexposed candidates share it);
* ``platform_share``: share of the team's discretionary hours invested in the platform (MLOps capability);
* ``max_weekly_hours``: how long people may work when schedule pressure asks for overtime;
* ``person_max_weekly_hours``: per-person caps (e.g. to protect someone who is exhausted);
* ``ship_now``: building projects to deploy as they are, before they are fully ready.

People decide the rest themselves: nobody works overtime while exhausted past the willingness latch,
and a project not committed by its deadline is committed by the team anyway.

>>> from_spec("fixed:0.4").spec
'fixed:0.4'
>>> sorted(BUILTIN_SPECS)[:2]
['adaptive', 'crunch']
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

# The contract's names are re-exported here: a student's policy needs only this module.
from twomountains.contract import (
    CandidateView,
    Decision,
    PersonView,
    PolicyProtocol,
    ProjectView,
    TeamView,
)
from twomountains.errors import PolicyError

if TYPE_CHECKING:
    from twomountains.scenario import Scenario

__all__ = [
    "BUILTIN_SPECS",
    "Adaptive",
    "CandidateView",
    "Crunch",
    "Decision",
    "ExploreThenBuild",
    "FixedSplit",
    "MLOpsFirst",
    "NotebookOnly",
    "PersonView",
    "Policy",
    "PolicyProtocol",
    "ProjectView",
    "TeamView",
    "from_spec",
    "knowledge_gradient",
    "mirage_probability",
    "spec_of",
]


class Policy:
    """Base class of the built-in policies; subclass it and override :meth:`decide`."""

    name = "policy"

    def decide(self, view: TeamView) -> Decision:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def spec(self) -> str:
        """A string that :func:`from_spec` turns back into an equal policy."""
        return self.name

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.spec}>"

    # helpers shared by policies -------------------------------------------------------------------
    @staticmethod
    def window_share(project: ProjectView, view: TeamView) -> float:
        """Share of the time between arrival and deadline that has passed."""
        window = project.deadline_week - project.arrival_week
        return 1.0 if window <= 0 else (view.week - project.arrival_week) / window

    @staticmethod
    def ship_if_ready(view: TeamView, readiness: float) -> frozenset[int]:
        """Late projects whose readiness has reached ``readiness`` (and the deployable minimum)."""
        floor = max(readiness, view.scenario.min_ship_readiness)
        return frozenset(p.id for p in view.projects if p.phase == "late" and p.readiness >= floor)


class FixedSplit(Policy):
    """Spend a fixed share of every project's window exploring, then commit and build.

    ``explore_share`` is the share of the time from a project's arrival to its deadline spent on
    experimentation; the rest goes to MLOps (building). A fixed ``platform_share`` of hours goes to
    the platform. Late projects are shipped as they are once ``ship_readiness`` is reached.
    """

    name = "fixed"

    def __init__(
        self,
        explore_share: float = 0.4,
        platform_share: float = 0.1,
        max_weekly_hours: float = 50.0,
        ship_readiness: float = 0.6,
    ) -> None:
        _check_share("explore_share", explore_share)
        _check_share("platform_share", platform_share)
        self.explore_share = float(explore_share)
        self.platform_share = float(platform_share)
        self.max_weekly_hours = float(max_weekly_hours)
        self.ship_readiness = float(ship_readiness)
        # most days bring nothing to commit or ship: the standing instructions, made once
        self._standing = Decision(
            platform_share=self.platform_share, max_weekly_hours=self.max_weekly_hours
        )

    @property
    def spec(self) -> str:
        return f"fixed:{self.explore_share:g}"

    def decide(self, view: TeamView) -> Decision:
        commit = frozenset(
            p.id
            for p in view.projects
            if p.phase == "exploring" and self.window_share(p, view) >= self.explore_share
        )
        ship_now = self.ship_if_ready(view, self.ship_readiness)
        if not commit and not ship_now:
            return self._standing
        return Decision(
            platform_share=self.platform_share,
            max_weekly_hours=self.max_weekly_hours,
            commit=commit,
            ship_now=ship_now,
        )


class MLOpsFirst(FixedSplit):
    """Hyper-focus on MLOps: commit almost at once to the best pitch, invest heavily in the platform,
    never ship anything that is not fully ready."""

    name = "mlops-first"

    def __init__(self) -> None:
        super().__init__(explore_share=0.05, platform_share=0.35, ship_readiness=1.01)

    @property
    def spec(self) -> str:
        return self.name


class NotebookOnly(FixedSplit):
    """Experimentation without MLOps: explore nearly the whole window, build nothing for the platform,
    and ship whatever exists as soon as it can be deployed."""

    name = "notebook-only"

    def __init__(self) -> None:
        super().__init__(explore_share=0.95, platform_share=0.0, ship_readiness=0.0)

    @property
    def spec(self) -> str:
        return self.name


class Crunch(FixedSplit):
    """Deadline crunch: moderate exploration, little platform work, and overtime up to 70 hours a
    week whenever the schedule asks for it."""

    name = "crunch"

    def __init__(self) -> None:
        super().__init__(
            explore_share=0.3, platform_share=0.05, max_weekly_hours=70.0, ship_readiness=1.01
        )

    @property
    def spec(self) -> str:
        return self.name


class ExploreThenBuild(Policy):
    """Explore thoroughly (every open candidate gets ``signals_each`` signals), then build;
    blind to the deadline."""

    name = "explore-then-build"

    def __init__(self, signals_each: int = 2) -> None:
        self.signals_each = int(signals_each)

    def decide(self, view: TeamView) -> Decision:
        commit = frozenset(
            p.id
            for p in view.projects
            if p.phase == "exploring"
            and all(c.exposed or c.signals >= self.signals_each for c in p.candidates)
        )
        return Decision(platform_share=0.1, commit=commit, ship_now=self.ship_if_ready(view, 0.6))


class Adaptive(Policy):
    """The expert: explore while it pays, protect platform time, cap overtime, respect exhaustion.

    For each exploring project it gives every open candidate an index: the expected improvement in
    the value of the final choice from one more signal's worth of exploration on it. The index adds
    the knowledge gradient of a noisy signal (Frazier, Powell & Dayanik 2008) to the value of
    possibly exposing the leader as a mirage (Bayes on the detection hazard the team knows from
    experience). It explores the candidate with the highest index and commits when the best index
    falls below ``stop_ratio`` of the value it expects from the leader, or when the time left is
    only just enough to build (with a safety margin) -- Weitzman's logic of stopping when no open
    box is worth its cost.
    """

    name = "adaptive"

    def __init__(
        self,
        stop_ratio: float = 0.01,
        platform_share: float = 0.15,
        max_weekly_hours: float = 45.0,
        build_margin: float = 1.2,
    ) -> None:
        self.stop_ratio = stop_ratio
        self.platform_share = platform_share
        self.max_weekly_hours = max_weekly_hours
        self.build_margin = build_margin

    def decide(self, view: TeamView) -> Decision:
        sc = view.scenario
        open_projects = [p for p in view.projects if p.phase in ("exploring", "building", "late")]
        present = sum(p.productivity * p.skill for p in view.people if p.present)
        weekly_capacity = max(
            present
            * sc.base_hours_per_week
            * (1 - self.platform_share)
            / max(len(open_projects), 1),
            1e-9,
        )
        effort = sc.build_effort_hours / (
            1 + (sc.capability_leverage * view.capability if sc.enable_capability else 0.0)
        )
        commit: set[int] = set()
        focus: dict[int, int] = {}
        for p in view.projects:
            if p.phase != "exploring":
                continue
            weeks_needed = self.build_margin * effort / weekly_capacity
            open_c = [c for c in p.candidates if not c.exposed]
            if not open_c or p.weeks_to_deadline <= weeks_needed:
                commit.add(p.id)
                continue
            worth = {c.id: (1 - mirage_probability(c, sc)) * c.estimate for c in open_c}
            ranked = sorted(open_c, key=lambda c: worth[c.id], reverse=True)
            leader = ranked[0]
            runner_up = worth[ranked[1].id] if len(ranked) > 1 else 0.0
            indices = {}
            for c in open_c:
                index = knowledge_gradient(c, open_c, sc.signal_noise)
                if c is leader and sc.enable_mirages:
                    caught = 1 - math.exp(-sc.mirage_detection_per_hour * sc.hours_per_signal)
                    index += mirage_probability(c, sc) * caught * max(runner_up, 0.0)
                indices[c.id] = index
            best = max(indices, key=lambda i: indices[i])
            if indices[best] < self.stop_ratio * max(worth[leader.id], 1e-9):
                commit.add(p.id)
            else:
                focus[p.id] = best
        caps = {
            person.slot: (32.0 if person.exhaustion >= 0.75 else sc.base_hours_per_week)
            for person in view.people
            if person.present and person.exhaustion >= 0.6
        }
        return Decision(
            platform_share=self.platform_share,
            max_weekly_hours=self.max_weekly_hours,
            commit=frozenset(commit),
            explore_focus=focus,
            ship_now=self.ship_if_ready(view, 0.7),
            person_max_weekly_hours=caps,
        )


def mirage_probability(candidate: CandidateView, scenario: Scenario) -> float:
    """Chance that an open candidate is a mirage, given its pitch and the hours spent on it.

    Bayes' rule with what an experienced team knows of its domain: mirages pitch like good ideas
    (so a dazzling pitch raises suspicion), and every hour of exploration that fails to expose a
    candidate makes it less likely to be a mirage.

    >>> from twomountains.scenario import Scenario
    >>> dazzling = CandidateView(0, 12.0, 4.0, 0, False, 12.0, 0.0)
    >>> checked = dazzling._replace(explored_hours=80.0)
    >>> mirage_probability(dazzling, Scenario()) > mirage_probability(checked, Scenario())
    True
    """
    if candidate.exposed:
        return 1.0
    if not scenario.enable_mirages or scenario.mirage_share <= 0:
        return 0.0
    sc = scenario
    spread = math.exp(sc.value_dispersion**2) - 1  # variance of a mean-one lognormal

    def density(mean: float) -> float:
        var = mean * mean * spread + sc.pitch_noise**2 + 1e-9
        return math.exp(-((candidate.pitch - mean) ** 2) / (2 * var)) / math.sqrt(var)

    good, ordinary = density(sc.good_value), density(sc.ordinary_value)
    m = sc.mirage_share
    mirage = m * good * math.exp(-sc.mirage_detection_per_hour * candidate.explored_hours)
    real = (1 - m) * (sc.good_idea_share * good + (1 - sc.good_idea_share) * ordinary)
    return mirage / (mirage + real) if mirage + real > 0 else 0.0


def knowledge_gradient(
    candidate: CandidateView, rivals: list[CandidateView], signal_noise: float
) -> float:
    """Expected gain in the best estimate from one more signal on ``candidate``.

    >>> a = CandidateView(0, 5.0, 2.0, 1, False, 5.0)
    >>> b = CandidateView(1, 4.0, 2.0, 1, False, 4.0)
    >>> round(knowledge_gradient(a, [a, b], 2.0), 3)
    0.2
    """
    others = [c.estimate for c in rivals if c.id != candidate.id]
    if not others or candidate.sd <= 0:
        return 0.0
    sigma_tilde = candidate.sd**2 / math.sqrt(candidate.sd**2 + signal_noise**2)
    if sigma_tilde <= 0:
        return 0.0
    zeta = -abs(candidate.estimate - max(others)) / sigma_tilde
    pdf = math.exp(-0.5 * zeta * zeta) / math.sqrt(2 * math.pi)
    cdf = 0.5 * (1 + math.erf(zeta / math.sqrt(2)))
    return sigma_tilde * (zeta * cdf + pdf)


def _check_share(name: str, value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise PolicyError(f"{name}: got {value!r}; allowed: a number from 0 to 1")


_NAMED: dict[str, type[Policy]] = {
    "mlops-first": MLOpsFirst,
    "notebook-only": NotebookOnly,
    "explore-then-build": ExploreThenBuild,
    "crunch": Crunch,
    "adaptive": Adaptive,
}

BUILTIN_SPECS: list[str] = ["fixed:0.4", *_NAMED]
DEFAULT_SPEC = "fixed:0.4"


def from_spec(spec: str | Policy | PolicyProtocol | None) -> PolicyProtocol:
    """Turn a spec string (``"fixed:0.4"``, ``"adaptive"``, ...) into a policy.

    Policy objects pass through unchanged; ``None`` gives the default, ``fixed:0.4``.
    """
    if spec is None:
        spec = DEFAULT_SPEC
    if not isinstance(spec, str):
        if callable(getattr(spec, "decide", None)):
            return spec
        raise PolicyError(
            f"policy: got {spec!r}; allowed: a spec string or an object with decide()"
        )
    text = spec.strip().lower()
    if text.startswith("fixed"):
        _, _, arg = text.partition(":")
        try:
            share = float(arg)
        except ValueError:
            raise PolicyError(
                f"policy: got {spec!r}; allowed: 'fixed:SHARE' with SHARE from 0 to 1"
            ) from None
        if not 0 <= share <= 1:
            raise PolicyError(
                f"policy: got {spec!r}; allowed: 'fixed:SHARE' with SHARE from 0 to 1"
            )
        return FixedSplit(share)
    if text in _NAMED:
        return _NAMED[text]()
    allowed = ", ".join(["fixed:SHARE", *_NAMED])
    raise PolicyError(f"policy: got {spec!r}; allowed: one of {allowed}")


def spec_of(policy: object) -> str:
    """The spec string of a policy (its class name for user policies without ``spec``)."""
    spec = getattr(policy, "spec", None)
    return spec if isinstance(spec, str) else type(policy).__name__
