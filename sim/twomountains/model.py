"""The SimPy model: a data-science team climbing two mountains for a year.

The story, as processes:

* **Projects arrive** (Poisson). Each brings candidate framings with hidden true values; some are
  mirages whose early signal is an artefact.
* **Each morning the team plans**: the policy decides which projects to commit, what to explore and
  how much to invest in the platform; schedule pressure (remaining work over remaining capacity)
  sets how long people are asked to work.
* **A person is a process**: each working day they work a block of hours on their projects, the
  platform and maintenance; their output depends on skill, onboarding, long hours (Pencavel) and
  context switching; their exhaustion builds with load and recovers with rest; they may burn out,
  take leave, or quit and be replaced after a hiring delay.
* **An incident is an interrupt**: incidents arrive at a rate that rises with deployed fragile
  systems and technical debt and falls with platform capability; each takes a free responder,
  interrupting their work for the repair time.
* **Each week production runs**: deployed systems deliver value, drift unless monitored, and debt
  charges interest as maintenance time.

Time is measured in hours; a day is 24 hours and working blocks start at 09:00.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Any

import simpy

from twomountains.errors import PolicyError
from twomountains.policies import (
    CandidateView,
    Decision,
    PersonView,
    PolicyProtocol,
    ProjectView,
    TeamView,
    from_spec,
    spec_of,
)
from twomountains.scenario import Scenario
from twomountains.streams import stream

DAY = 24.0
WEEK = 7 * DAY
PLAN_HOUR = 8.0
START_HOUR = 9.0
MAX_PRESSURE = 3.0
MAX_DAY_HOURS = 14.0  # nobody is scheduled for more; blocks end by 23:00

OPEN_PHASES = ("exploring", "building", "late")
ACTIVITIES = ("exploration", "mlops", "platform", "maintenance", "incidents", "switching")


# ----------------------------------------------------------------------------------------------------
# Entities
# ----------------------------------------------------------------------------------------------------
@dataclass
class Candidate:
    index: int
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


@dataclass
class Project:
    id: int
    arrival: float
    deadline: float
    candidates: list[Candidate]
    phase: str = "exploring"  # exploring | building | late | shipped | cancelled | dropped
    committed: int | None = None
    effort: float = 0.0
    remaining: float = 0.0
    exploration_hours: float = 0.0
    missed: bool = False
    frozen_view: tuple[CandidateView, ...] | None = None
    arrival_week: float = field(init=False)
    deadline_week: float = field(init=False)

    def __post_init__(self) -> None:
        self.arrival_week = self.arrival / WEEK
        self.deadline_week = self.deadline / WEEK

    @property
    def readiness(self) -> float:
        if self.committed is None or self.effort <= 0:
            return 0.0
        return min(1.0, max(0.0, 1.0 - self.remaining / self.effort))


@dataclass
class System:
    project: Project
    value: float
    readiness: float
    late: bool
    mirage: bool
    health: float = 1.0


@dataclass
class Person:
    slot: int
    skill: float
    hired_at: float
    onboarding: bool
    exhaustion: float = 0.0
    latched: bool = False
    present: bool = True
    working: bool = False
    in_store: bool = False
    process: simpy.Process | None = None
    repair: simpy.Event | None = None  # the incident being repaired, if any
    projects: list[Project] = field(default_factory=list)
    planned_hours: float = 0.0
    concavity: float = 1.0  # output per hour at the planned hours (Pencavel)
    firefight_hours: float = 0.0  # felt since the last daily settlement (fatigue, fragmentation)
    repair_booked_until: float = 0.0  # the ongoing repair's hours are in the books up to here
    interruptions: int = 0
    week_hours: float = 0.0
    week_exhaustion: float = 0.0
    peak: float = 0.0


# ----------------------------------------------------------------------------------------------------
# The model
# ----------------------------------------------------------------------------------------------------
class TeamModel:
    """One simulated team over the scenario's horizon (use :func:`twomountains.run`)."""

    def __init__(self, scenario: Scenario, policy: PolicyProtocol, seed: int, trace: bool) -> None:
        self.sc = sc = scenario
        self.policy = policy
        self.seed = seed
        self.trace = trace
        self.env = simpy.Environment()
        # weeks close on Monday just before planning, when no working block is open
        self.end = sc.horizon_weeks * WEEK + PLAN_HOUR
        self.prior_precision = 1.0 / max(sc.pitch_noise, 1e-6) ** 2  # of a candidate's pitch
        self.noise_variance = sc.signal_noise**2  # of one experimental signal
        self.rng_arrivals = stream(seed, "arrivals")
        self.rng_projects = stream(seed, "projects")
        self.rng_team = stream(seed, "team")
        self.rng_hires = stream(seed, "hires")
        self.rng_incidents = stream(seed, "incidents")
        self.rng_repairs = stream(seed, "repairs")
        self.rng_burnout = stream(seed, "burnout")
        self.rng_attrition = stream(seed, "attrition")

        self.people: list[Person] = []
        self.responders = simpy.Store(self.env)
        self.projects: list[Project] = []
        self.systems: list[System] = []
        self.capability = sc.initial_capability if sc.enable_capability else 0.0
        self.debt = 0.0
        self.maintenance_share = 0.0  # of hours worked: debt interest, capped at 0.9
        self.incident_rate = 0.0  # per hour
        self.pressure = 0.0
        self.pressure_days = [0.0, 0.0, 0.0]
        self.calm_quality = 1.0  # exploration quality under the last days' pressure
        self.decision = Decision()
        self.events: list[dict[str, Any]] = []
        self.k: dict[str, float] = dict.fromkeys(KPI_NAMES, 0.0)
        self.hours = dict.fromkeys(ACTIVITIES, 0.0)
        self.week_hours = [0.0] * len(ACTIVITIES)
        self.waits: list[float] = []
        self.weekly: dict[str, list[float]] = {
            key: []
            for key in [
                "week",
                "value",
                "value_cumulative",
                "hours_exploration",
                "hours_mlops",
                "hours_platform",
                "hours_maintenance",
                "hours_incidents",
                "hours_switching",
                "hours_worked",
                "overtime_hours",
                "exhaustion_mean",
                "exhaustion_max",
                "capability",
                "debt",
                "headcount",
                "at_risk",
            ]
        }
        self.exhaustion_by_person: list[list[float]] = [[] for _ in range(sc.team_size)]
        self.at_risk_weeks = 0
        self.person_weeks = 0
        self.peak_exhaustion = 0.0

        for slot in range(sc.team_size):
            self._hire(slot, onboarding=False, rng=self.rng_team)
        self.env.process(self._planner())
        self.env.process(self._production())
        if sc.enable_projects:
            self.env.process(self._arrivals())
        if sc.enable_incidents:
            self.env.process(self._incident_source())

    # --- tracing -------------------------------------------------------------------------------------
    def _log(self, kind: str, **details: Any) -> None:
        if self.trace:
            self.events.append({"week": round(self.env.now / WEEK, 4), "event": kind, **details})

    # --- people --------------------------------------------------------------------------------------
    def _hire(self, slot: int, onboarding: bool, rng: random.Random) -> None:
        skill = math.exp(rng.gauss(0.0, self.sc.skill_sd) - self.sc.skill_sd**2 / 2)
        person = Person(slot=slot, skill=skill, hired_at=self.env.now, onboarding=onboarding)
        if slot < len(self.people):
            self.people[slot] = person
        else:
            self.people.append(person)
        self._offer_as_responder(person)
        person.process = self.env.process(self._work_life(person))
        if onboarding:
            self._log("hired", slot=slot)

    def _offer_as_responder(self, person: Person) -> None:
        if self.sc.enable_incidents and not person.in_store:
            person.in_store = True
            self.responders.put(person)

    def _productivity(self, person: Person) -> float:
        if not person.onboarding or self.sc.onboarding_weeks <= 0:
            return 1.0
        ramp = (self.env.now - person.hired_at) / (self.sc.onboarding_weeks * WEEK)
        if ramp >= 1.0:
            person.onboarding = False
            return 1.0
        return 0.25 + 0.75 * ramp

    def _work_life(self, person: Person) -> Any:
        """A person's days: work a block, settle the day, rest; burn out, take leave or quit."""
        sc, env = self.sc, self.env
        decay_day = math.exp(-1.0 / sc.recovery_days)
        weekends = sc.enable_weekends
        day = int(env.now // DAY)
        while True:
            start = day * DAY + START_HOUR
            if env.now > start:  # hired, or back from leave, after today's start
                day = int(env.now // DAY) + 1
                start = day * DAY + START_HOUR
            rest_day = weekends and day % 7 >= 5  # Saturday or Sunday
            day += 1
            yield env.timeout(start - env.now)
            if rest_day:
                self._rest_day(person, decay_day)
                continue
            # the block of work, interrupted by incidents
            remaining = person.planned_hours
            worked = 0.0
            if person.repair is not None:  # still on an incident from the night: finish it first
                t1 = env.now
                yield person.repair
                remaining -= env.now - t1
            person.working = True
            while remaining > 1e-9:
                t0 = env.now
                try:
                    yield env.timeout(remaining)
                    worked += remaining
                    remaining = 0.0
                except simpy.Interrupt as interrupt:
                    person.working = False
                    worked += env.now - t0
                    remaining -= env.now - t0
                    t1 = env.now
                    yield interrupt.cause  # the repair in progress
                    remaining -= env.now - t1  # firefighting displaces planned work
                    person.working = True
            person.working = False
            self._settle_day(person, worked, decay_day)
            if sc.enable_burnout and self._burns_out(person):
                yield from self._burnout(person)
                if not person.present:
                    return  # quit: the seat is refilled by a new person process

    def _is_rest_day(self, t: float) -> bool:
        return self.sc.enable_weekends and int(t // DAY) % 7 >= 5

    def _rest_day(self, person: Person, decay_day: float) -> None:
        ff = person.firefight_hours
        person.firefight_hours = 0.0
        if self.sc.enable_fatigue:
            person.exhaustion = person.exhaustion * decay_day + self.sc.fatigue_per_hour * ff
        self._note_exhaustion(person)

    def _settle_day(self, person: Person, worked: float, decay_day: float) -> None:
        """Turn a day's hours into activities and output, and update exhaustion."""
        # the hottest code of the model (once per person-day): locals and inlined helpers on purpose
        sc = self.sc
        ff = person.firefight_hours
        person.firefight_hours = 0.0
        productivity = self._productivity(person) if person.onboarding else 1.0
        mult = person.skill * productivity * person.concavity
        maintenance = self.maintenance_share * worked
        rest = worked - maintenance
        platform = rest * self.decision.platform_share
        project_hours = rest - platform
        projects = person.projects
        n_projects = len(projects)
        if not n_projects:
            platform += project_hours
            project_hours = 0.0
        contexts = n_projects + person.interruptions
        person.interruptions = 0
        switching = 0.0
        if sc.enable_switching and contexts > 1 and project_hours > 0:
            switching = min(0.5, sc.switching_loss * (contexts - 1)) * project_hours
        project_hours -= switching
        explore = build = 0.0
        if n_projects:
            share = project_hours / n_projects
            quality = self._exploration_quality(fragmented=contexts > n_projects)
            for project in projects:
                phase = project.phase
                if phase == "exploring":
                    explore += share
                    self._explore(project, share * mult * quality)
                elif phase == "building" or phase == "late":
                    build += share
                    self._build(project, share * mult)
                else:  # finished earlier today by a colleague: the time goes to the platform
                    platform += share
        if platform > 0:
            if sc.enable_capability:
                # logistic growth: the last steps to a mature platform are the hardest
                room = max(0.0, 1.0 - self.capability / sc.capability_ceiling)
                self.capability += platform * mult * sc.capability_per_hour * room
            if sc.enable_debt:
                self.debt = max(0.0, self.debt - platform * mult * sc.debt_paydown_per_hour)
        week = self.week_hours  # in the order of ACTIVITIES
        week[0] += explore
        week[1] += build
        week[2] += platform
        week[3] += maintenance
        week[5] += switching
        person.week_hours += explore + build + platform + maintenance + switching
        if sc.enable_fatigue:
            # a person is spent after about 16 hours; beyond that the day adds no more strain
            total = min(worked + ff, 16.0)
            load = total * (1 + sc.long_day_fatigue * max(0.0, total - 8.0))
            if sc.enable_pressure:
                load *= 1 + sc.pressure_fatigue * max(0.0, self.pressure - 1.0)
            person.exhaustion = person.exhaustion * decay_day + sc.fatigue_per_hour * load
            if person.latched and person.exhaustion < sc.latch_release:
                person.latched = False
            elif person.exhaustion >= sc.latch_exhaustion:
                person.latched = True
        self._note_exhaustion(person)

    def _note_exhaustion(self, person: Person) -> None:
        person.week_exhaustion += person.exhaustion
        if person.exhaustion > person.peak:
            person.peak = person.exhaustion

    def _concavity(self, daily_hours: float) -> float:
        """Output per hour relative to a normal hour, from the weekly rate of hours (Pencavel)."""
        sc = self.sc
        weekly = daily_hours * (5 if sc.enable_weekends else 7)
        if not sc.enable_concavity or weekly <= sc.concave_from_hours or weekly <= 0:
            return 1.0
        a, b = sc.concave_from_hours, sc.flat_from_hours
        span = b - a
        extra = min(weekly, b) - a
        output = a + (extra - extra * extra / (2 * span) if span > 0 else 0.0)
        return output / weekly

    def _calm_quality(self) -> float:
        """Exploration quality after the last three days' schedule pressure (Amabile et al.)."""
        if not self.sc.enable_pressure:
            return 1.0
        return 1.0 / (1.0 + self.sc.pressure_creativity_loss * max(self.pressure_days))

    def _exploration_quality(self, fragmented: bool) -> float:
        """Today's exploration quality; an interrupted day fragments attention and costs more."""
        if fragmented:
            return self.calm_quality * (1.0 - self.sc.fragmentation_creativity_loss)
        return self.calm_quality

    def _burns_out(self, person: Person) -> bool:
        sc = self.sc
        over = person.exhaustion - sc.risk_exhaustion
        if over <= 0:
            return False
        hazard = sc.burnout_hazard_per_day * over / max(1.0 - sc.risk_exhaustion, 1e-9)
        return self.rng_burnout.random() < hazard

    def _burnout(self, person: Person) -> Any:
        sc, env = self.sc, self.env
        self.k["burnout_events"] += 1
        person.present = False
        self._log("burnout", slot=person.slot, exhaustion=round(person.exhaustion, 3))
        if sc.enable_attrition and self.rng_attrition.random() < sc.attrition_after_burnout:
            self.k["attrition"] += 1
            self._log("quit", slot=person.slot)
            env.process(self._replace(person.slot))
            return
        leave_end = env.now + sc.burnout_leave_weeks * WEEK
        decay_hour = math.exp(-1.0 / (sc.recovery_days * DAY))
        while env.now < leave_end:  # on leave: recovering, counted day by day
            step = min(DAY, leave_end - env.now)
            yield env.timeout(step)
            person.exhaustion *= decay_hour**step
            self._note_exhaustion(person)
        person.present = True
        person.latched = person.exhaustion >= sc.latch_release
        self._offer_as_responder(person)
        self._log("returned", slot=person.slot)

    def _replace(self, slot: int) -> Any:
        yield self.env.timeout(self.sc.hiring_delay_weeks * WEEK)
        if self.env.now < self.end:
            self._hire(slot, onboarding=True, rng=self.rng_hires)

    # --- projects --------------------------------------------------------------------------------------
    def _arrivals(self) -> Any:
        sc, env = self.sc, self.env
        pid = 0
        while env.now < self.end:
            self._new_project(pid)
            pid += 1
            yield env.timeout(
                self.rng_arrivals.expovariate(1.0 / (sc.project_interval_weeks * WEEK))
            )

    def _new_project(self, pid: int) -> None:
        sc, rng = self.sc, self.rng_projects
        candidates = []
        for i in range(sc.candidates_per_project):
            # every draw happens whatever the switches, so switching one off shifts nothing else
            u_mirage, u_good = rng.random(), rng.random()
            lognormal = math.exp(rng.gauss(0, sc.value_dispersion) - sc.value_dispersion**2 / 2)
            artefact = sc.good_value * math.exp(
                rng.gauss(0, sc.value_dispersion) - sc.value_dispersion**2 / 2
            )
            pitch_noise = rng.gauss(0, sc.pitch_noise)
            good = u_good < sc.good_idea_share
            value = (sc.good_value if good else sc.ordinary_value) * lognormal
            if sc.enable_mirages and u_mirage < sc.mirage_share:
                kind, true_value, apparent = "mirage", 0.0, artefact
            else:
                kind, true_value, apparent = ("good" if good else "ordinary"), value, value
            candidates.append(
                Candidate(
                    index=i,
                    kind=kind,
                    true_value=true_value,
                    apparent_value=apparent,
                    pitch=apparent + pitch_noise,
                    rng=stream(self.seed, f"signals/{pid}/{i}"),
                )
            )
        now = self.env.now
        project = Project(pid, now, now + sc.deadline_weeks * WEEK, candidates)
        self.projects.append(project)
        self.k["projects_started"] += 1
        self._log("project_arrived", project=pid, deadline_week=round(project.deadline / WEEK, 3))

    def _explore(self, project: Project, effective_hours: float) -> None:
        sc = self.sc
        project.exploration_hours += effective_hours
        open_c = [c for c in project.candidates if not c.exposed]
        if not open_c or effective_hours <= 0:
            return
        focus = self.decision.explore_focus.get(project.id)
        # a focus exposed earlier today by a colleague falls back to every open candidate
        targets = [c for c in open_c if c.index == focus] or open_c
        share = effective_hours / len(targets)
        caught = 1.0 - math.exp(-sc.mirage_detection_per_hour * share)
        for c in targets:
            if c.kind == "mirage" and sc.enable_mirages and c.rng.random() < caught:
                c.exposed = True
                self._log("mirage_exposed", project=project.id, candidate=c.index)
                continue
            c.hours += share
            c.explored += share
            while c.hours >= sc.hours_per_signal:
                c.hours -= sc.hours_per_signal
                c.signals += 1
                c.signal_sum += c.apparent_value + c.rng.gauss(0, sc.signal_noise)

    def _commit(self, project: Project) -> None:
        sc = self.sc
        best, best_mean = None, -math.inf
        for c in project.candidates:
            mean, _ = c.posterior(self.prior_precision, self.noise_variance)
            if not c.exposed and mean > best_mean:
                best, best_mean = c, mean
        if best is None:  # every framing was exposed as a mirage: nothing worth building
            project.phase = "dropped"
            self.k["projects_dropped"] += 1
            self._log("dropped", project=project.id)
            return
        project.committed = best.index
        leverage = sc.capability_leverage * self.capability if sc.enable_capability else 0.0
        project.effort = project.remaining = sc.build_effort_hours / (1.0 + leverage)
        project.phase = "late" if self.env.now >= project.deadline else "building"
        self._log(
            "committed", project=project.id, candidate=best.index, estimate=round(best_mean, 3)
        )

    def _build(self, project: Project, effective_hours: float) -> None:
        project.remaining -= effective_hours
        if project.remaining <= 1e-9:
            project.remaining = 0.0
            self._ship(project)

    def _ship(self, project: Project) -> None:
        sc = self.sc
        assert project.committed is not None
        chosen = project.candidates[project.committed]
        readiness = project.readiness
        late = self.env.now > project.deadline
        project.phase = "shipped"
        system = System(project, chosen.true_value, readiness, late, chosen.kind == "mirage")
        self.systems.append(system)
        self.k["projects_shipped"] += 1
        self.k["shipped_on_time"] += not late
        self.k["mirages_shipped"] += system.mirage
        self.k["fragile_ships"] += readiness < 1.0
        if sc.enable_debt:
            self.debt += sc.debt_per_system + sc.fragile_debt * (1.0 - readiness)
        self._log(
            "shipped",
            project=project.id,
            readiness=round(readiness, 3),
            late=late,
            mirage=system.mirage,
            true_value=round(chosen.true_value, 3),
        )

    def _cancel(self, project: Project) -> None:
        project.phase = "cancelled"
        self.k["projects_cancelled"] += 1
        self._log("cancelled", project=project.id)

    # --- the daily plan -----------------------------------------------------------------------------------
    def _planner(self) -> Any:
        env = self.env
        day = 0
        while True:
            t = day * DAY + PLAN_HOUR
            if t >= self.end:
                return
            yield env.timeout(t - env.now)
            day += 1
            if self._is_rest_day(t):
                continue
            self._plan_day()

    def _plan_day(self) -> None:
        sc, now = self.sc, self.env.now
        # projects stay in deadline order: they arrive in time order with the same deadline length
        self.projects = projects = [p for p in self.projects if p.phase in OPEN_PHASES]
        for p in projects:
            if now >= p.deadline:
                if not p.missed:
                    p.missed = True
                    self.k["deadlines_missed"] += 1
                    self._log("deadline_missed", project=p.id)
                    if p.phase == "building":
                        p.phase = "late"
                if p.phase == "exploring":
                    self._commit(p)  # the team commits anyway: the deadline has come
                    if p.phase == "dropped":  # every framing was a mirage: nothing to plan for
                        self.projects = projects = [q for q in projects if q is not p]
        previous_share = self.decision.platform_share
        self.pressure = self._schedule_pressure(previous_share)
        decision = self.policy.decide(self._view())
        self._validate(decision)
        self.decision = decision
        if decision.commit:
            for p in projects:
                if p.phase == "exploring" and p.id in decision.commit:
                    self._commit(p)
        if decision.ship_now:
            for p in projects:
                if p.id in decision.ship_now and p.phase in ("building", "late"):
                    self._ship(p)
        late_limit = sc.max_late_weeks * WEEK
        for p in projects:
            if p.phase == "late" and now >= p.deadline + late_limit:
                if p.readiness >= sc.min_ship_readiness:
                    self._ship(p)
                else:
                    self._cancel(p)
        self.projects = [p for p in projects if p.phase in OPEN_PHASES]
        # committing leaves the remaining work as estimated, so pressure changes only with the
        # platform share or when projects close
        if decision.platform_share != previous_share or len(self.projects) != len(projects):
            self.pressure = self._schedule_pressure(decision.platform_share)
        self.pressure_days = [
            self.pressure_days[1],
            self.pressure_days[2],
            max(0.0, self.pressure - 1),
        ]
        self.calm_quality = self._calm_quality()
        self._assign_people(decision)

    def _validate(self, d: Decision) -> None:
        if not isinstance(d, Decision):
            raise PolicyError(f"decide(): got {type(d).__name__}; allowed: a Decision")
        if not (isinstance(d.platform_share, int | float) and 0.0 <= d.platform_share <= 1.0):
            raise PolicyError(f"platform_share: got {d.platform_share!r}; allowed: 0 to 1")
        for cap in (d.max_weekly_hours, *d.person_max_weekly_hours.values()):
            if not (isinstance(cap, int | float) and 0.0 <= cap <= 100.0):
                raise PolicyError(f"max_weekly_hours: got {cap!r}; allowed: 0 to 100")
        if not (d.commit or d.explore_focus or d.ship_now):
            return
        ids = {p.id: p for p in self.projects}
        for pid in d.commit:
            if pid not in ids or ids[pid].phase != "exploring":
                raise PolicyError(f"commit: got project {pid!r}; allowed: an exploring project")
        for pid, index in d.explore_focus.items():
            p = ids.get(pid)
            if (
                p is None
                or p.phase != "exploring"
                or not (isinstance(index, int) and 0 <= index < len(p.candidates))
            ):
                raise PolicyError(
                    f"explore_focus: got project {pid!r} candidate {index!r}; "
                    "allowed: an exploring project and one of its candidate indices"
                )
            if p.candidates[index].exposed:
                raise PolicyError(
                    f"explore_focus: got candidate {index} of project {pid}, already exposed "
                    "as a mirage; allowed: an open candidate"
                )
        for pid in d.ship_now:
            p = ids.get(pid)
            if p is None or p.phase not in ("building", "late"):
                raise PolicyError(f"ship_now: got project {pid!r}; allowed: a project being built")
            if p.readiness < self.sc.min_ship_readiness:
                raise PolicyError(
                    f"ship_now: project {pid} has readiness {p.readiness:.2f}; allowed: at least "
                    f"min_ship_readiness ({self.sc.min_ship_readiness})"
                )

    def _schedule_pressure(self, platform_share: float) -> float:
        """Remaining work over remaining normal capacity, worst case over deadlines (EDF)."""
        sc = self.sc
        if not sc.enable_pressure or not self.projects:
            return 0.0
        people = 0.0
        for person in self.people:
            if person.present:
                people += person.skill * (self._productivity(person) if person.onboarding else 1.0)
        weekly = people * sc.base_hours_per_week * (1 - platform_share)
        weekly *= 1 - self.maintenance_share
        if weekly <= 0:
            return MAX_PRESSURE
        leverage = sc.capability_leverage * self.capability if sc.enable_capability else 0.0
        estimate = sc.build_effort_hours / (1 + leverage)
        now = self.env.now
        work, worst = 0.0, 0.0
        for p in self.projects:  # earliest deadline first
            work += p.remaining if p.committed is not None else estimate
            weeks_left = max((p.deadline - now) / WEEK, 0.2)
            worst = max(worst, work / (weekly * weeks_left))
        return min(worst, MAX_PRESSURE)

    def _assign_people(self, decision: Decision) -> None:
        sc = self.sc
        present = [p for p in self.people if p.present]
        projects = self.projects  # earliest deadline first
        n = len(projects)
        base_day = sc.base_hours_per_week / 5
        days = 5 if sc.enable_weekends else 7
        overtime = sc.enable_overtime and self.pressure > 1.0
        caps = decision.person_max_weekly_hours
        for i, person in enumerate(present):
            if n == 0:
                person.projects = []
            elif n <= len(present):
                person.projects = [projects[i % n]]
            else:
                person.projects = projects[i :: len(present)]
            hours = base_day
            if overtime and not person.latched:
                cap = min(decision.max_weekly_hours, caps.get(person.slot, math.inf))
                hours = max(base_day, min(base_day * self.pressure, cap / days, MAX_DAY_HOURS))
            elif person.slot in caps:
                hours = min(hours, caps[person.slot] / days)
            if hours != person.planned_hours:
                person.planned_hours = hours
                person.concavity = self._concavity(hours)

    def _view(self) -> TeamView:
        sc, now = self.sc, self.env.now
        prior_precision, noise_variance = self.prior_precision, self.noise_variance
        projects = []
        for p in self.projects:  # earliest deadline first
            cands = p.frozen_view
            if cands is None:
                cands = tuple(
                    CandidateView(
                        c.index,
                        *c.posterior(prior_precision, noise_variance),
                        c.signals,
                        c.exposed,
                        c.pitch,
                        c.explored,
                    )
                    for c in p.candidates
                )
                if p.phase != "exploring":  # what is known stops changing once committed
                    p.frozen_view = cands
            projects.append(
                ProjectView(
                    p.id,
                    p.arrival_week,
                    p.deadline_week,
                    p.phase,
                    cands,
                    p.committed,
                    p.readiness,
                    p.remaining,
                    p.exploration_hours,
                    (p.deadline - now) / WEEK,
                )
            )
        people = tuple(
            PersonView(
                p.slot,
                p.present,
                p.exhaustion,
                p.latched,
                p.skill,
                (self._productivity(p) if p.onboarding else 1.0) if p.present else 0.0,
            )
            for p in self.people
        )
        return TeamView(
            now / WEEK,
            tuple(projects),
            people,
            self.capability,
            self.debt,
            self.pressure,
            len(self.systems),
            sc,
        )

    # --- incidents ------------------------------------------------------------------------------------------
    def _incident_source(self) -> Any:
        env = self.env
        while env.now < self.end:
            boundary = (env.now // WEEK + 1) * WEEK
            rate = self.incident_rate
            gap = self.rng_incidents.expovariate(rate) if rate > 0 else math.inf
            if env.now + gap >= boundary:  # memoryless: redraw with next week's rate
                yield env.timeout(boundary - env.now)
                continue
            yield env.timeout(gap)
            self.k["incidents"] += 1
            env.process(self._incident(env.now))

    def _incident(self, arrival: float) -> Any:
        env = self.env
        while True:
            person = yield self.responders.get()
            person.in_store = False
            if person.present:
                break  # someone on leave or gone is skipped; they re-offer themselves on return
        self.waits.append(env.now - arrival)
        repair = self.rng_repairs.expovariate(1.0 / self.sc.repair_hours)
        done = env.timeout(repair)
        person.interruptions += 1
        person.repair = done
        person.repair_booked_until = env.now
        if person.working and person.process is not None:
            person.process.interrupt(done)
        self._log("incident", slot=person.slot, repair_hours=round(repair, 3))
        yield done
        person.repair = None
        person.firefight_hours += repair
        self._book_firefighting(person)
        self._offer_as_responder(person)

    def _book_firefighting(self, person: Person) -> None:
        hours = self.env.now - person.repair_booked_until
        person.repair_booked_until = self.env.now
        self.week_hours[ACTIVITIES.index("incidents")] += hours
        person.week_hours += hours

    def _incident_rate_per_hour(self) -> float:
        sc = self.sc
        per_week = sc.incident_base_per_week
        for s in self.systems:
            per_week += sc.incident_per_system_week * (
                1 + sc.fragility_incident_factor * (1 - s.readiness)
            )
        if sc.enable_debt:
            per_week += sc.incident_per_debt_week * self.debt
        if sc.enable_capability:
            per_week /= 1 + sc.capability_incident_effect * self.capability
        return per_week / WEEK

    # --- production and the weekly books ---------------------------------------------------------------------
    def _production(self) -> Any:
        env, sc = self.env, self.sc
        self.incident_rate = self._incident_rate_per_hour()
        erosion = math.exp(-1.0 / sc.capability_erosion_weeks)
        cumulative = 0.0
        for week in range(sc.horizon_weeks):
            yield env.timeout((week + 1) * WEEK + PLAN_HOUR - 1e-6 - env.now)
            value = 0.0
            for s in self.systems:
                value += s.value * s.health * (1 - sc.late_value_penalty if s.late else 1.0)
                if sc.enable_drift:
                    s.health *= 1 - sc.drift_per_week * (1 - sc.monitoring_effect * s.readiness)
            cumulative += value
            self.k["value_delivered"] = cumulative
            if sc.enable_capability:
                self.capability *= erosion
            if sc.enable_debt:
                present = sum(1 for p in self.people if p.present) or 1
                team_hours = present * sc.base_hours_per_week
                self.maintenance_share = min(0.9, self.debt * sc.debt_interest_hours / team_hours)
            self.incident_rate = self._incident_rate_per_hour()
            self._close_week(week, value, cumulative)

    def _close_week(self, week: int, value: float, cumulative: float) -> None:
        sc, w = self.sc, self.weekly
        overtime = worked = 0.0
        exhaustion = []
        at_risk = 0
        headcount = 0
        for person in self.people:
            if person.repair is not None:  # the part of an ongoing repair done this week
                self._book_firefighting(person)
            mean_e = person.week_exhaustion / 7.0
            self.exhaustion_by_person[person.slot].append(mean_e)
            self.peak_exhaustion = max(self.peak_exhaustion, person.peak)
            person.peak = 0.0
            person.week_exhaustion = 0.0
            worked += person.week_hours
            overtime += max(0.0, person.week_hours - sc.base_hours_per_week)
            person.week_hours = 0.0
            if person.present:
                headcount += 1
                exhaustion.append(mean_e)
                at_risk += mean_e >= sc.risk_exhaustion
        self.k["overtime_hours"] += overtime
        self.k["hours_worked"] += worked
        self.at_risk_weeks += at_risk
        self.person_weeks += headcount
        w["week"].append(week + 1)
        w["value"].append(value)
        w["value_cumulative"].append(cumulative)
        self._book_week_hours()
        for i, activity in enumerate(ACTIVITIES):
            w[f"hours_{activity}"].append(self.closed_week_hours[i])
        w["hours_worked"].append(worked)
        w["overtime_hours"].append(overtime)
        w["exhaustion_mean"].append(sum(exhaustion) / len(exhaustion) if exhaustion else 0.0)
        w["exhaustion_max"].append(max(exhaustion, default=0.0))
        w["capability"].append(self.capability)
        w["debt"].append(self.debt)
        w["headcount"].append(headcount)
        w["at_risk"].append(at_risk)

    # --- running ----------------------------------------------------------------------------------------------
    def _book_week_hours(self) -> None:
        for i, activity in enumerate(ACTIVITIES):
            self.hours[activity] += self.week_hours[i]
        self.closed_week_hours = self.week_hours
        self.week_hours = [0.0] * len(ACTIVITIES)

    def run(self) -> dict[str, float]:
        self.env.run(until=self.end)
        self._book_week_hours()  # anything after the last weekly close (normally nothing)
        k = dict(self.k)
        h = self.hours
        k["exploration_hours"] = h["exploration"]
        k["mlops_hours"] = h["mlops"] + h["platform"]
        k["build_hours"] = h["mlops"]
        k["platform_hours"] = h["platform"]
        k["maintenance_hours"] = h["maintenance"]
        k["firefighting_hours"] = h["incidents"]
        k["switching_hours"] = h["switching"]
        k["tech_debt_final"] = self.debt
        k["capability_final"] = self.capability
        k["at_risk_share"] = self.at_risk_weeks / self.person_weeks if self.person_weeks else 0.0
        k["peak_exhaustion"] = self.peak_exhaustion
        person_years = self.person_weeks / 52.0
        k["burnout_rate_per_person_year"] = (
            k["burnout_events"] / person_years if person_years else 0.0
        )
        k["incident_wait_mean_hours"] = sum(self.waits) / len(self.waits) if self.waits else 0.0
        explore_mlops = k["exploration_hours"] + k["mlops_hours"]
        k["explore_share_realized"] = (
            k["exploration_hours"] / explore_mlops if explore_mlops else 0.0
        )
        return {name: float(k[name]) for name in KPI_NAMES}


KPI_NAMES: tuple[str, ...] = (
    "value_delivered",
    "projects_started",
    "projects_shipped",
    "shipped_on_time",
    "deadlines_missed",
    "mirages_shipped",
    "fragile_ships",
    "projects_cancelled",
    "projects_dropped",
    "incidents",
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
    "burnout_events",
    "attrition",
    "at_risk_share",
    "peak_exhaustion",
    "burnout_rate_per_person_year",
    "incident_wait_mean_hours",
)


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

    def to_frame(self) -> Any:
        """The weekly series as a pandas DataFrame (pandas is imported only here)."""
        import pandas as pd

        frame = pd.DataFrame(self.weekly)
        for slot, series in enumerate(self.exhaustion_by_person):
            frame[f"exhaustion_p{slot}"] = series
        return frame


def run(
    scenario: Scenario | None = None,
    policy: Any = None,
    seed: int = 0,
    trace: bool = False,
) -> RunResult:
    """Simulate one team over the scenario's horizon.

    ``policy`` is a policy object or a spec string such as ``"fixed:0.4"`` or ``"adaptive"``
    (default ``"fixed:0.4"``). The same scenario, policy and seed always give identical results.

    >>> r = run(seed=1)
    >>> r.kpis["projects_started"] > 0 and r.kpis == run(seed=1).kpis
    True
    """
    if scenario is None:
        scenario = Scenario()
    if not isinstance(scenario, Scenario):
        raise TypeError(f"scenario: got {type(scenario).__name__}; allowed: a Scenario")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed: got {seed!r}; allowed: a non-negative integer")
    pol = from_spec(policy)
    model = TeamModel(scenario, pol, seed, trace)
    kpis = model.run()
    return RunResult(
        scenario=scenario,
        policy=spec_of(pol),
        seed=seed,
        kpis=kpis,
        weekly=model.weekly,
        exhaustion_by_person=model.exhaustion_by_person,
        events=model.events,
    )
