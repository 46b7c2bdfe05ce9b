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

A policy is an *exploration rule* (what to explore, when to commit, how much platform work) and an
*hours rule* (how long people may work: :class:`HoursRule`). The spec ``EXPLORE@HOURS`` names both,
e.g. ``fixed:0.1@sustainable`` or ``adaptive@standard``; each named policy has a default hours rule,
so ``adaptive`` is ``adaptive@sustainable`` and ``fixed:0.4`` is ``fixed:0.4@standard``.

People decide the rest themselves: nobody works overtime while exhausted past the willingness latch,
and a project not committed by its deadline is committed by the team anyway.

>>> from_spec("fixed:0.4").spec
'fixed:0.4'
>>> from_spec("fixed:0.1@sustainable").spec
'fixed:0.1@sustainable'
>>> from_spec("adaptive@sustainable").spec  # its default hours rule is left out
'adaptive'
>>> sorted(BUILTIN_SPECS)[:2]
['adaptive', 'crunch']
"""

from __future__ import annotations

import math
from dataclasses import dataclass
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
from twomountains.mechanisms import build_effort, exploration_boost

if TYPE_CHECKING:
    from twomountains.scenario import Scenario

__all__ = [
    "BUILTIN_SPECS",
    "HOURS_RULES",
    "Adaptive",
    "CandidateView",
    "Crunch",
    "Decision",
    "ExploreThenBuild",
    "FixedSplit",
    "HoursRule",
    "MLOpsFirst",
    "NotebookOnly",
    "PersonView",
    "Policy",
    "PolicyProtocol",
    "ProjectView",
    "TeamView",
    "from_spec",
    "hours_rule",
    "knowledge_gradient",
    "mirage_probability",
    "spec_of",
]


@dataclass(frozen=True)
class HoursRule:
    """How long people may work when schedule pressure asks for more than contracted hours.

    ``max_weekly_hours`` caps everyone; people at or above ``protect_from`` exhaustion are held to
    their contracted hours, and those at or above ``rest_from`` to ``rest_hours`` a week.
    """

    name: str
    max_weekly_hours: float
    protect_from: float = math.inf
    rest_from: float = math.inf
    rest_hours: float = 32.0

    def person_caps(self, view: TeamView) -> dict[int, float]:
        """Per-person weekly caps for the exhausted people present today."""
        if self.protect_from == math.inf:
            return {}
        base = view.scenario.base_hours_per_week
        return {
            person.slot: (self.rest_hours if person.exhaustion >= self.rest_from else base)
            for person in view.people
            if person.present and person.exhaustion >= self.protect_from
        }


HOURS_RULES: dict[str, HoursRule] = {
    # today's fixed splits: overtime up to 50 h when the schedule asks, nobody protected
    "standard": HoursRule("standard", 50.0),
    # the expert's: at most 45 h, contracted hours from exhaustion 0.6 and 32 h from 0.75
    "sustainable": HoursRule("sustainable", 45.0, protect_from=0.6, rest_from=0.75),
    # crunch: up to 70 h whenever the schedule asks
    "crunch": HoursRule("crunch", 70.0),
}


def hours_rule(name: str | HoursRule) -> HoursRule:
    """The hours rule called ``name`` (see :data:`HOURS_RULES`)."""
    if isinstance(name, HoursRule):
        return name
    text = str(name).strip().lower()
    rule = HOURS_RULES.get(text)
    if rule is not None:
        return rule
    if text.endswith("h"):  # a plain weekly cap, e.g. "45h": the standard rule with another cap
        try:
            cap = float(text[:-1])
        except ValueError:
            cap = math.nan
        if 0 <= cap <= 100:
            return HoursRule(f"{cap:g}h", cap)
    raise PolicyError(
        f"hours rule: got {name!r}; allowed: one of {', '.join(HOURS_RULES)} or a weekly cap "
        "such as 45h (0 to 100)"
    )


class Policy:
    """Base class of the built-in policies; subclass it and override :meth:`decide`.

    ``hours`` is the policy's :class:`HoursRule`; ``default_hours`` names the one its spec leaves out.
    """

    name = "policy"
    default_hours = "standard"
    # a subclass that does not call ``super().__init__()`` still has an hours rule
    hours: HoursRule = HOURS_RULES["standard"]

    def __init__(self, hours: str | HoursRule | None = None) -> None:
        self.hours = hours_rule(self.default_hours if hours is None else hours)

    def _hours_suffix(self) -> str:
        return "" if self.hours.name == self.default_hours else f"@{self.hours.name}"

    def with_hours(self, hours: str | HoursRule) -> Policy:
        """A copy of this policy with another hours rule."""
        import copy

        twin = copy.copy(self)
        twin.hours = hours_rule(hours)
        twin._hours_changed()
        return twin

    def _hours_changed(self) -> None:
        """Recompute anything cached from the hours rule (override when a policy caches)."""

    def decision(self, view: TeamView, platform_share: float, **choices: object) -> Decision:
        """Today's :class:`Decision`: the exploration rule's ``choices`` plus the hours rule's caps."""
        return Decision(
            platform_share=platform_share,
            max_weekly_hours=self.hours.max_weekly_hours,
            person_max_weekly_hours=self.hours.person_caps(view),
            **choices,  # type: ignore[arg-type]
        )

    def decide(self, view: TeamView) -> Decision:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def spec(self) -> str:
        """A string that :func:`from_spec` turns back into an equal policy."""
        return self.name + self._hours_suffix()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.spec}>"

    # helpers shared by policies -------------------------------------------------------------------
    @staticmethod
    def window_share(project: ProjectView, view: TeamView) -> float:
        """Share of the time between arrival and deadline that has passed."""
        window = project.deadline_week - project.arrival_week
        return 1.0 if window <= 0 else (view.week - project.arrival_week) / window

    @staticmethod
    def no_go(view: TeamView, worth: float) -> bool:
        """Whether a project whose best framing is worth ``worth`` a week should be abandoned:
        below the outside option, when no-go decisions are allowed (Weitzman 1979)."""
        scenario = view.scenario
        return scenario.enable_no_go and worth < scenario.outside_option_value

    @staticmethod
    def leader_estimate(project: ProjectView) -> float:
        """The highest posterior mean among a project's open candidates (0 if none is open)."""
        return max((c.estimate for c in project.candidates if not c.exposed), default=0.0)

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
    ``hours`` is the hours rule (default ``standard``); ``max_weekly_hours`` overrides its cap.
    """

    name = "fixed"

    def __init__(
        self,
        explore_share: float = 0.4,
        platform_share: float = 0.1,
        max_weekly_hours: float | None = None,
        ship_readiness: float = 0.6,
        hours: str | HoursRule | None = None,
    ) -> None:
        _check_share("explore_share", explore_share)
        _check_share("platform_share", platform_share)
        super().__init__(hours)
        if max_weekly_hours is not None:
            self.hours = hours_rule(f"{float(max_weekly_hours):g}h")
        self.explore_share = float(explore_share)
        self.platform_share = float(platform_share)
        self.ship_readiness = float(ship_readiness)
        self._hours_changed()

    def _hours_changed(self) -> None:
        # most days bring nothing to commit or ship: the standing instructions, made once (only
        # when the hours rule protects nobody, so that they do not depend on the day)
        self._standing = (
            Decision(
                platform_share=self.platform_share,
                max_weekly_hours=self.hours.max_weekly_hours,
            )
            if self.hours.protect_from == math.inf
            else None
        )

    @property
    def max_weekly_hours(self) -> float:
        return self.hours.max_weekly_hours

    @property
    def spec(self) -> str:
        return f"fixed:{self.explore_share:g}" + self._hours_suffix()

    def decide(self, view: TeamView) -> Decision:
        due = [
            p
            for p in view.projects
            if p.phase == "exploring" and self.window_share(p, view) >= self.explore_share
        ]
        ship_now = self.ship_if_ready(view, self.ship_readiness)
        if not due and not ship_now and self._standing is not None:
            return self._standing
        # at the end of its exploration, a project goes ahead unless its best framing looks worth
        # less than the outside option
        abandon = frozenset(p.id for p in due if self.no_go(view, self.leader_estimate(p)))
        commit = frozenset(p.id for p in due) - abandon
        return self.decision(
            view, self.platform_share, commit=commit, ship_now=ship_now, abandon=abandon
        )


class MLOpsFirst(FixedSplit):
    """Hyper-focus on MLOps: commit almost at once to the best pitch, invest heavily in the platform,
    never ship anything that is not fully ready."""

    name = "mlops-first"

    def __init__(self, hours: str | HoursRule | None = None) -> None:
        super().__init__(explore_share=0.05, platform_share=0.35, ship_readiness=1.01, hours=hours)

    @property
    def spec(self) -> str:
        return self.name + self._hours_suffix()


class NotebookOnly(FixedSplit):
    """Experimentation without MLOps: explore nearly the whole window, build nothing for the platform,
    and ship whatever exists as soon as it can be deployed."""

    name = "notebook-only"

    def __init__(self, hours: str | HoursRule | None = None) -> None:
        super().__init__(explore_share=0.95, platform_share=0.0, ship_readiness=0.0, hours=hours)

    @property
    def spec(self) -> str:
        return self.name + self._hours_suffix()


class Crunch(FixedSplit):
    """Deadline crunch: moderate exploration, little platform work, and overtime up to 70 hours a
    week whenever the schedule asks for it (the ``crunch`` hours rule)."""

    name = "crunch"
    default_hours = "crunch"

    def __init__(self, hours: str | HoursRule | None = None) -> None:
        super().__init__(explore_share=0.3, platform_share=0.05, ship_readiness=1.01, hours=hours)

    @property
    def spec(self) -> str:
        return self.name + self._hours_suffix()


class ExploreThenBuild(Policy):
    """Explore thoroughly (every open candidate gets ``signals_each`` signals), then build;
    blind to the deadline."""

    name = "explore-then-build"

    def __init__(self, signals_each: int = 2, hours: str | HoursRule | None = None) -> None:
        super().__init__(hours)
        self.signals_each = int(signals_each)

    def decide(self, view: TeamView) -> Decision:
        due = [
            p
            for p in view.projects
            if p.phase == "exploring"
            and all(c.exposed or c.signals >= self.signals_each for c in p.candidates)
        ]
        abandon = frozenset(p.id for p in due if self.no_go(view, self.leader_estimate(p)))
        return self.decision(
            view,
            0.1,
            commit=frozenset(p.id for p in due) - abandon,
            abandon=abandon,
            ship_now=self.ship_if_ready(view, 0.6),
        )


class Adaptive(Policy):
    """The expert: explore while it pays, protect platform time, cap overtime, respect exhaustion.

    For each exploring project it gives every open candidate an index: the expected improvement in
    the value of the final choice from one more signal's worth of exploration on it. The index adds
    the knowledge gradient of a noisy signal (Frazier, Powell & Dayanik 2008) to the value of
    possibly exposing the leader as a mirage (Bayes on the detection hazard the team knows from
    experience). It explores the candidate with the highest index and commits when the best index
    falls below ``stop_ratio`` of the value it expects from the leader, or when the time left is
    only just enough to build (with a safety margin) -- Weitzman's logic of stopping when no open
    box is worth its cost. Its default hours rule is ``sustainable``.
    """

    name = "adaptive"
    default_hours = "sustainable"

    def __init__(
        self,
        stop_ratio: float = 0.01,
        platform_share: float = 0.15,
        build_margin: float = 1.2,
        hours: str | HoursRule | None = None,
    ) -> None:
        super().__init__(hours)
        self.stop_ratio = stop_ratio
        self.platform_share = platform_share
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
        effort = build_effort(sc, view.capability)
        commit: set[int] = set()
        abandon: set[int] = set()
        focus: dict[int, int] = {}
        # domain knowledge makes each exploration hour teach more (mechanisms.exploration_boost)
        boost = exploration_boost(sc, view.knowledge)
        for p in view.projects:
            if p.phase != "exploring":
                continue
            weeks_needed = self.build_margin * effort / weekly_capacity
            open_c = [c for c in p.candidates if not c.exposed]
            if not open_c:
                commit.add(p.id)  # every framing exposed: the team drops it
                continue
            worth = {c.id: (1 - mirage_probability(c, sc)) * c.estimate for c in open_c}
            best_worth = max(worth.values())
            if p.weeks_to_deadline <= weeks_needed:
                (abandon if self.no_go(view, best_worth) else commit).add(p.id)
                continue
            ranked = sorted(open_c, key=lambda c: worth[c.id], reverse=True)
            leader = ranked[0]
            runner_up = worth[ranked[1].id] if len(ranked) > 1 else 0.0
            indices = {}
            for c in open_c:
                index = knowledge_gradient(c, open_c, sc.signal_noise)
                if c is leader and sc.enable_mirages:
                    caught = 1 - math.exp(
                        -sc.mirage_detection_per_hour * sc.hours_per_signal * boost
                    )
                    index += mirage_probability(c, sc) * caught * max(runner_up, 0.0)
                indices[c.id] = index
            best = max(indices, key=lambda i: indices[i])
            if indices[best] < self.stop_ratio * max(worth[leader.id], 1e-9):
                (abandon if self.no_go(view, best_worth) else commit).add(p.id)
            else:
                focus[p.id] = best
        return self.decision(
            view,
            self.platform_share,
            commit=frozenset(commit),
            abandon=frozenset(abandon),
            explore_focus=focus,
            ship_now=self.ship_if_ready(view, 0.7),
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
    """Turn a spec string into a policy: ``EXPLORE`` or ``EXPLORE@HOURS``.

    ``EXPLORE`` is ``fixed:SHARE`` or a named policy; ``HOURS`` an hours rule (``standard``,
    ``sustainable``, ``crunch``, or a weekly cap such as ``45h``). Policy objects pass through
    unchanged; ``None`` gives the default, ``fixed:0.4``.

    >>> from_spec("adaptive@standard").hours.max_weekly_hours
    50.0
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
    explore, at, hours_text = text.partition("@")
    hours: HoursRule | None = None
    if at:
        try:
            hours = hours_rule(hours_text)
        except PolicyError as err:
            raise PolicyError(f"policy: got {spec!r}; {str(err).partition('; ')[2]}") from None
    explore = explore.strip()
    if explore.startswith("fixed"):
        _, _, arg = explore.partition(":")
        try:
            share = float(arg)
        except ValueError:
            share = math.nan
        if not 0 <= share <= 1:
            raise PolicyError(
                f"policy: got {spec!r}; allowed: 'fixed:SHARE' with SHARE from 0 to 1"
            )
        return FixedSplit(share, hours=hours)
    if explore in _NAMED:
        return _NAMED[explore](hours=hours)
    allowed = ", ".join(["fixed:SHARE", *_NAMED])
    raise PolicyError(f"policy: got {spec!r}; allowed: one of {allowed}, optionally @HOURS_RULE")


def spec_of(policy: object) -> str:
    """The spec string of a policy (its class name for user policies without ``spec``)."""
    spec = getattr(policy, "spec", None)
    return spec if isinstance(spec, str) else type(policy).__name__
