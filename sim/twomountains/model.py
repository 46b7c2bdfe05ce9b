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
from typing import Any

import simpy

from twomountains import mechanisms
from twomountains.books import ACTIVITIES, KPI_NAMES, Books, RunResult
from twomountains.contract import (
    CandidateView,
    Decision,
    PersonView,
    PolicyProtocol,
    ProjectView,
    TeamView,
    check_decision,
)
from twomountains.entities import (
    ABANDONED,
    BUILD_PHASES,
    BUILDING,
    CANCELLED,
    DAY,
    DROPPED,
    EXPLORING,
    LATE,
    OPEN_PHASES,
    SHIPPED,
    WEEK,
    Candidate,
    Person,
    Project,
    System,
)
from twomountains.mechanisms import MAX_DAY_HOURS, MAX_PRESSURE
from twomountains.policies import from_spec, spec_of
from twomountains.scenario import Scenario
from twomountains.streams import stream

__all__ = ["ACTIVITIES", "KPI_NAMES", "RunResult", "TeamModel", "run"]

PLAN_HOUR = 8.0  # the team plans at 08:00
START_HOUR = 9.0  # working blocks start at 09:00


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
        self.rng_fast_track = stream(seed, "fast-track")
        self.rng_triage = stream(seed, "triage")
        self.rng_quits = stream(seed, "quits")
        self.rng_initial = stream(seed, "initial-state")

        self.people: list[Person] = []
        self.responders = simpy.Store(self.env)
        self.projects: list[Project] = []
        self.systems: list[System] = []
        self.capability = sc.initial_capability if sc.enable_capability else 0.0
        self.knowledge = sc.initial_knowledge if sc.enable_knowledge else 0.0
        self.decay_day = math.exp(-1.0 / sc.recovery_days)  # a day's recovery of exhaustion
        self.moments: dict[float, simpy.Event] = {}  # shared timeouts by instant (see _at)
        self.quit_chance = mechanisms.daily_quit_chance(sc) if sc.enable_turnover else 0.0
        self.debt = 0.0
        self.maintenance_share = 0.0  # of hours worked: debt interest, capped at 0.9
        self.incident_rate = 0.0  # per hour
        self.pressure = 0.0
        self.pressure_days = [0.0, 0.0, 0.0]
        self.calm_quality = 1.0  # exploration quality under the last days' pressure
        self.decision = Decision()
        self.staffing_key: tuple[int, tuple[int, ...], tuple[int, ...]] | None = None
        self.staffed: list[list[Project]] = []  # the staffing for staffing_key (see _staffing)
        self.events: list[dict[str, Any]] = []
        self.hired = 0  # people hired so far (their ids)
        self.books = Books(sc.team_size)

        for slot in range(sc.team_size):
            self._hire(slot, onboarding=False, rng=self.rng_team)
        self._start_mid_life()
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
        person.person_id = self.hired
        self.hired += 1
        if self.trace:
            person.week_activity = dict.fromkeys(ACTIVITIES, 0.0)
        if slot < len(self.people):
            self.people[slot] = person
        else:
            self.people.append(person)
        self._offer_as_responder(person)
        person.process = self.env.process(self._work_life(person))
        if onboarding:
            self._log("hired", slot=slot, person=person.person_id)

    def _offer_as_responder(self, person: Person) -> None:
        if self.sc.enable_incidents and not person.in_store:
            person.in_store = True
            self.responders.put(person)

    def _productivity(self, person: Person) -> float:
        """Today's onboarding ramp of a present person (1.0 once settled)."""
        if not person.onboarding:
            return 1.0
        return mechanisms.onboarding_productivity(self.sc, person.hired_at, self.env.now)

    def _settle_onboarding(self, person: Person) -> None:
        """A new hire who has finished the ramp counts as settled from now on (a fast path)."""
        if person.onboarding and self._productivity(person) >= 1.0:
            person.onboarding = False

    def _work_life(self, person: Person) -> Any:
        """A person's days: work a block, settle the day, rest; burn out, take leave or quit."""
        sc, env = self.sc, self.env
        weekends = sc.enable_weekends
        day = int(env.now // DAY)
        while True:
            start = day * DAY + START_HOUR
            if env.now > start:  # hired, or back from leave, after today's start
                day = int(env.now // DAY) + 1
                start = day * DAY + START_HOUR
            day += 1
            if weekends and (day - 1) % 7 >= 5:  # Saturday or Sunday (_is_rest_day): recovery,
                person.rest_due.append(start)  # applied lazily
                continue
            yield self._at(start)
            if person.rest_due:
                self._catch_up_rest(person)
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
                    yield self._at(t0 + remaining)
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
            self._settle_day(person, worked)
            # the usual day is below the risk threshold: no burnout hazard (tested before the call)
            if (
                sc.enable_burnout
                and person.exhaustion > sc.risk_exhaustion
                and self._burns_out(person)
            ):
                yield from self._burnout(person)
                if not person.present:
                    return  # quit: the seat is refilled by a new person process
            # a working day's chance of leaving for other reasons, drawn whatever the switch
            # (quit_chance is 0 without turnover), inline: it runs every person-day
            elif self.rng_quits.random() < self.quit_chance:
                self._leave(person)
                return

    def _at(self, t: float) -> simpy.Event:
        """A timeout that fires at ``t``, shared by everyone waiting for that instant (people who
        start or end their blocks together): one event instead of one per person."""
        event = self.moments.get(t)
        # SimPy empties an event's callbacks when it processes it: from then on (also while it
        # wakes its waiters) the instant needs a new event, since a processed one cannot be waited for
        if event is None or event.callbacks is None:
            event = self.moments[t] = self.env.timeout(t - self.env.now)
        return event

    def _forget_past_moments(self) -> None:
        """Drop the shared timeouts of instants that have passed (weekly, to keep the map small)."""
        now = self.env.now
        self.moments = {t: event for t, event in self.moments.items() if t >= now}

    def _working_hours(self, t: float) -> bool:
        """Weekdays 09:00-17:00 (the contracted block; every day without weekends)."""
        hour = t % DAY
        return not self._is_rest_day(t) and START_HOUR <= hour < START_HOUR + 8.0

    def _next_working_start(self, t: float) -> float:
        """The next 09:00 on a working day after ``t``."""
        day = int(t // DAY)
        if t % DAY >= START_HOUR:
            day += 1
        while self._is_rest_day(day * DAY):
            day += 1
        return day * DAY + START_HOUR

    def _is_rest_day(self, t: float) -> bool:
        return self.sc.enable_weekends and int(t // DAY) % 7 >= 5

    def _catch_up_rest(self, person: Person) -> None:
        """Apply the rest days that have begun by now, in order (see ``Person.rest_due``)."""
        due, now = person.rest_due, self.env.now
        while due and due[0] <= now:
            due.pop(0)
            self._rest_day(person)

    def _rest_day(self, person: Person) -> None:
        ff = person.firefight_hours
        person.firefight_hours = 0.0
        if self.sc.enable_fatigue:
            person.exhaustion = person.exhaustion * self.decay_day + self.sc.fatigue_per_hour * ff
        self._note_exhaustion(person)

    def _settle_day(self, person: Person, worked: float) -> None:
        """Turn a day's hours into activities and output, and update exhaustion."""
        # the hottest code of the model (once per person-day): locals and inlined helpers on purpose
        sc = self.sc
        ff = person.firefight_hours
        person.firefight_hours = 0.0
        productivity = 1.0
        if person.onboarding:
            self._settle_onboarding(person)
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
        if project_hours > 0 and contexts > 1:  # one context: nothing lost to switching
            switching = mechanisms.switching_share(sc, contexts) * project_hours
        project_hours -= switching
        explore = build = 0.0
        if n_projects:
            share = project_hours / n_projects
            quality = boost = 0.0  # fixed at the day's first exploration
            for project in projects:
                phase = project.phase
                if phase == EXPLORING:
                    if not boost:
                        quality = self._exploration_quality(fragmented=contexts > n_projects)
                        boost = mechanisms.exploration_boost(sc, self.knowledge)
                    explore += share
                    self._explore(project, share * mult * quality * boost)
                elif phase in BUILD_PHASES:
                    build += share
                    self._build(project, share * mult)
                else:  # finished earlier today by a colleague: the time goes to the platform
                    platform += share
        if platform > 0:
            if sc.enable_capability:
                # logistic growth: the last steps to a mature platform are the hardest
                # (conditional expressions rather than max/min calls in this hottest code)
                room = 1.0 - self.capability / sc.capability_ceiling
                room = room if room > 0.0 else 0.0
                self.capability += platform * mult * sc.capability_per_hour * room
            if sc.enable_debt:
                debt = self.debt - platform * mult * sc.debt_paydown_per_hour
                self.debt = debt if debt > 0.0 else 0.0
        week = self.books.week_hours
        week["exploration"] += explore
        week["build"] += build
        week["platform"] += platform
        week["maintenance"] += maintenance
        week["switching"] += switching
        person.week_hours += explore + build + platform + maintenance + switching
        if person.week_activity is not None:  # traced runs only
            mine = person.week_activity
            mine["exploration"] += explore
            mine["build"] += build
            mine["platform"] += platform
            mine["maintenance"] += maintenance
            mine["switching"] += switching
        if sc.enable_fatigue:
            # a person is spent after about 16 hours; beyond that the day adds no more strain
            total = worked + ff
            total = 16.0 if total > 16.0 else total
            load = total * (1 + sc.long_day_fatigue * (total - 8.0 if total > 8.0 else 0.0))
            if sc.enable_pressure and self.pressure > 1.0:  # no pressure above 1: no extra strain
                load *= 1 + sc.pressure_fatigue * mechanisms.felt_pressure(
                    sc, self.pressure, worked
                )
            person.exhaustion = person.exhaustion * self.decay_day + sc.fatigue_per_hour * load
            if person.latched and person.exhaustion < sc.latch_release:
                person.latched = False
            elif person.exhaustion >= sc.latch_exhaustion:
                person.latched = True
        # _note_exhaustion, inlined in this once-per-person-day code
        exhaustion = person.exhaustion
        person.week_exhaustion += exhaustion
        if exhaustion > person.peak:
            person.peak = exhaustion

    def _note_exhaustion(self, person: Person) -> None:
        person.week_exhaustion += person.exhaustion
        if person.exhaustion > person.peak:
            person.peak = person.exhaustion

    def _exploration_quality(self, fragmented: bool) -> float:
        """Today's exploration quality; an interrupted day fragments attention and costs more."""
        if fragmented:
            return self.calm_quality * (1.0 - self.sc.fragmentation_creativity_loss)
        return self.calm_quality

    def _burns_out(self, person: Person) -> bool:
        if person.exhaustion <= self.sc.risk_exhaustion:  # the usual day: no hazard, no draw
            return False
        hazard = mechanisms.burnout_hazard(self.sc, person.exhaustion)
        return hazard > 0 and self.rng_burnout.random() < hazard

    def _burnout(self, person: Person) -> Any:
        sc, env = self.sc, self.env
        self.books.count("burnout_events")
        person.present = False
        self._log(
            "burnout",
            slot=person.slot,
            person=person.person_id,
            exhaustion=round(person.exhaustion, 3),
        )
        if sc.enable_attrition and self.rng_attrition.random() < sc.attrition_after_burnout:
            self._leave(person)
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
        self._log("returned", slot=person.slot, person=person.person_id)

    def _leave(self, person: Person) -> None:
        """A person leaves: their seat waits for a hire and their domain knowledge goes."""
        sc = self.sc
        person.present = False
        self.books.count("attrition")
        self._log("quit", slot=person.slot, person=person.person_id)
        if sc.enable_knowledge:  # what they knew of the domain leaves with them
            self.knowledge *= 1.0 - 1.0 / sc.team_size
        self.env.process(self._replace(person.slot))

    def _start_mid_life(self) -> None:
        """A team mid-life: systems already in production and debt already owed."""
        sc, rng = self.sc, self.rng_initial
        self.debt = sc.initial_debt if sc.enable_debt else 0.0
        for i in range(sc.initial_systems):
            good = rng.random() < sc.good_idea_share
            lognormal = math.exp(rng.gauss(0, sc.value_dispersion) - sc.value_dispersion**2 / 2)
            value = (sc.good_value if good else sc.ordinary_value) * lognormal
            project = Project(-1 - i, 0.0, 0.0, [], phase=SHIPPED)
            self.systems.append(
                System(
                    project, value, mechanisms.INITIAL_READINESS, False, False, 1.0, self.knowledge
                )
            )

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
                    id=i,
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
        self.books.count("projects_started")
        self._log("project_arrived", project=pid, deadline_week=round(project.deadline / WEEK, 3))

    def _explore(self, project: Project, effective_hours: float) -> None:
        sc = self.sc
        project.exploration_hours += effective_hours
        if sc.enable_knowledge:
            self.knowledge = mechanisms.knowledge_gain(sc, self.knowledge, effective_hours)
        open_c = [c for c in project.candidates if not c.exposed]
        if not open_c or effective_hours <= 0:
            return
        focus = self.decision.explore_focus.get(project.id)
        # a focus exposed earlier today by a colleague falls back to every open candidate
        targets = open_c if focus is None else [c for c in open_c if c.id == focus] or open_c
        share = effective_hours / len(targets)
        caught = 1.0 - math.exp(-sc.mirage_detection_per_hour * share)
        for c in targets:
            if c.kind == "mirage" and sc.enable_mirages and c.rng.random() < caught:
                c.exposed = True
                self._log("mirage_exposed", project=project.id, candidate=c.id)
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
        self._realise_insight(project, best)
        if best is None:  # every framing was exposed as a mirage: nothing worth building
            project.phase = DROPPED
            self.books.count("projects_dropped")
            self._log("dropped", project=project.id)
            return
        project.committed = best.id
        project.effort = project.remaining = mechanisms.build_effort(sc, self.capability)
        if sc.enable_weakest_link:  # data, model, infrastructure, monitoring: in that order
            project.monitoring_share = sc.ops_effort_share / 2
        project.phase = LATE if self.env.now >= project.deadline else BUILDING
        self._log("committed", project=project.id, candidate=best.id, estimate=round(best_mean, 3))

    def _leader(self, project: Project) -> Candidate | None:
        """The open candidate with the highest posterior mean (the team's current belief)."""
        best, best_mean = None, -math.inf
        for c in project.candidates:
            mean, _ = c.posterior(self.prior_precision, self.noise_variance)
            if not c.exposed and mean > best_mean:
                best, best_mean = c, mean
        return best

    def _realise_insight(self, project: Project, leader: Candidate | None) -> None:
        """Exploration ends: what it taught about the leading framing is worth decision value."""
        sc = self.sc
        if not sc.enable_insight or leader is None or sc.insight_weeks <= 0:
            return
        _, sd = leader.posterior(self.prior_precision, self.noise_variance)
        prior_sd = math.sqrt(1.0 / self.prior_precision)
        value = mechanisms.insight_value(sc, leader.true_value, sd, prior_sd)
        if value > 0:
            self.books.add_insight(value)
            self._log("insight", project=project.id, value=round(value, 3))

    def _abandon(self, project: Project) -> None:
        """No-go: stop after exploring; nothing is built and the people are freed."""
        self._realise_insight(project, self._leader(project))
        project.phase = ABANDONED
        self.books.count("projects_abandoned")
        self.books.count("build_hours_saved", mechanisms.build_effort(self.sc, self.capability))
        self._log("abandoned", project=project.id)

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
        project.phase = SHIPPED
        system = System(
            project,
            chosen.true_value,
            readiness,
            late,
            chosen.kind == "mirage",
            1.0,
            self.knowledge,
        )
        self.systems.append(system)
        self.books.count("projects_shipped")
        self.books.count("shipped_on_time", not late)
        self.books.count("mirages_shipped", system.mirage)
        self.books.count("fragile_ships", readiness < 1.0)
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
        project.phase = CANCELLED
        self.books.count("projects_cancelled")
        self._log("cancelled", project=project.id)

    # --- the daily plan -----------------------------------------------------------------------------------
    def _planner(self) -> Any:
        env = self.env
        day = 0
        while True:
            t = day * DAY + PLAN_HOUR
            if t >= self.end:
                return
            day += 1
            if self._is_rest_day(t):  # nobody plans at weekends: no event needed
                continue
            yield env.timeout(t - env.now)
            self._plan_day()

    def _plan_day(self) -> None:
        sc, now = self.sc, self.env.now
        for person in self.people:  # the weekend's recovery, before anyone looks at exhaustion
            if person.rest_due:
                self._catch_up_rest(person)
        # projects stay in deadline order: they arrive in time order with the same deadline length
        self.projects = projects = [p for p in self.projects if p.phase in OPEN_PHASES]
        for p in projects:
            if now >= p.deadline:
                if not p.missed:
                    p.missed = True
                    self.books.count("deadlines_missed")
                    self._log("deadline_missed", project=p.id)
                    if p.phase == BUILDING:
                        p.phase = LATE
                if p.phase == EXPLORING:
                    self._commit(p)  # the team commits anyway: the deadline has come
                    if p.phase == DROPPED:  # every framing was a mirage: nothing to plan for
                        self.projects = projects = [q for q in projects if q is not p]
        previous_share = self.decision.platform_share
        self.pressure = self._schedule_pressure(previous_share)
        decision = self.policy.decide(self._view())
        check_decision(decision, self.projects, sc)
        self.decision = decision
        if decision.commit:
            for p in projects:
                if p.phase == EXPLORING and p.id in decision.commit:
                    self._commit(p)
        if decision.abandon:
            for p in projects:
                if p.phase == EXPLORING and p.id in decision.abandon:
                    self._abandon(p)
        self._fast_track(projects)
        if decision.ship_now:
            for p in projects:
                if p.id in decision.ship_now and p.phase in BUILD_PHASES:
                    self._ship(p)
        late_limit = sc.max_late_weeks * WEEK
        for p in projects:
            if p.phase == LATE and now >= p.deadline + late_limit:
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
            self.pressure - 1 if self.pressure - 1 > 0.0 else 0.0,
        ]
        self.calm_quality = mechanisms.calm_quality(sc, self.pressure_days)
        self.books.note_pressure(self.pressure, self.pressure >= MAX_PRESSURE)
        self._assign_people(decision)

    def _fast_track(self, projects: list[Project]) -> None:
        """Pressure cuts exploration short: the organisation commits exploring projects early."""
        sc = self.sc
        chance = mechanisms.fast_track_chance(sc, self.pressure) if sc.enable_fast_tracking else 0.0
        for p in projects:
            if p.phase != EXPLORING:
                continue
            draw = self.rng_fast_track.random()  # drawn whatever the switch (common random numbers)
            if draw < chance:
                self.books.count("projects_fast_tracked")
                self._log("fast_tracked", project=p.id, pressure=round(self.pressure, 3))
                self._commit(p)

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
        estimate = mechanisms.build_effort(sc, self.capability)
        now = self.env.now
        work, worst = 0.0, 0.0
        for p in self.projects:  # earliest deadline first
            work += p.remaining if p.committed is not None else estimate
            weeks_left = mechanisms.weeks_to_target(sc, p.deadline, now)
            load = work / (weekly * weeks_left)
            worst = load if load > worst else worst
        return MAX_PRESSURE if worst > MAX_PRESSURE else worst

    def _staffing(self, people: int, decision: Decision) -> list[list[Project]] | None:
        """Projects for each of ``people`` present people, or None when there are more projects
        than people (then everyone takes several, round robin)."""
        projects = self.projects  # earliest deadline first
        if not projects or len(projects) > people:
            return None
        exploring = [p for p in projects if p.phase == EXPLORING]
        building = [p for p in projects if p.phase in BUILD_PHASES]
        # most days nothing that decides the staffing has changed: the same people, projects and
        # phases, no explorers from the policy and at most one building project (so no shares by
        # the hours still needed): yesterday's staffing stands
        key = None
        if len(building) <= 1 and not decision.explorers:
            key = (people, tuple([p.id for p in exploring]), tuple([p.id for p in building]))
            if key == self.staffing_key:
                return self.staffed
        # by default one explorer per project while something is being built; with nothing to
        # build, everyone explores (the policy's explorers override either)
        even = mechanisms.apportion(people, [0.0] * len(exploring)) if not building else []
        if decision.explorers:
            wanted = [
                decision.explorers.get(p.id, even[i] if even else 1)
                for i, p in enumerate(exploring)
            ]
        else:
            wanted = even or [1] * len(exploring)
        # every building project keeps at least one person: explorers give way, latest deadline first
        room = people - len(building)
        explorers = sum(wanted)
        for i in reversed(range(len(wanted))):
            excess = explorers - room
            if excess <= 0:
                break
            spare = wanted[i] - 1 if wanted[i] > 1 else 0
            cut = excess if excess < spare else spare
            wanted[i] -= cut
            explorers -= cut
        builders = people - explorers
        now = self.env.now
        rates = [
            p.remaining / mechanisms.weeks_to_target(self.sc, p.deadline, now) for p in building
        ]
        shares = mechanisms.apportion(builders, rates) if building else []
        staffed: list[list[Project]] = []
        for project, count in zip(exploring + building, wanted + shares, strict=True):
            for _ in range(count):
                staffed.append([project])
        for _ in range(people - len(staffed)):  # nothing to do: the platform
            staffed.append([])
        self.staffing_key, self.staffed = key, staffed
        return staffed

    def _assign_people(self, decision: Decision) -> None:
        sc = self.sc
        present = [p for p in self.people if p.present]
        projects = self.projects  # earliest deadline first
        n = len(projects)
        base_day = sc.base_hours_per_week / 5
        days = 5 if sc.enable_weekends else 7
        overtime = sc.enable_overtime and self.pressure > 1.0
        caps = decision.person_max_weekly_hours
        staffed = None
        if sc.enable_focused_staffing:
            staffed = self._staffing(len(present), decision)
            # more projects than people: round robin, but not on projects the policy left unstaffed
            projects = [
                p for p in projects if p.phase != EXPLORING or decision.explorers.get(p.id) != 0
            ]
            n = len(projects)
        for i, person in enumerate(present):
            if staffed is not None:
                person.projects = staffed[i]
            elif n == 0:
                person.projects = []
            elif n <= len(present):
                person.projects = [projects[i % n]]
            else:
                person.projects = projects[i :: len(present)]
            hours = base_day
            if overtime and not person.latched:
                cap = decision.max_weekly_hours / days
                # max(base_day, min(base_day * pressure, cap, MAX_DAY_HOURS)), written out
                wanted = base_day * self.pressure
                if cap < wanted:
                    wanted = cap
                if wanted > MAX_DAY_HOURS:
                    wanted = MAX_DAY_HOURS
                hours = wanted if wanted > base_day else base_day
            if (
                person.slot in caps
            ):  # a person's own cap binds, overtime or not, even below contract
                hours = min(hours, caps[person.slot] / days)
            if hours != person.planned_hours:
                person.planned_hours = hours
                person.concavity = mechanisms.concavity(sc, hours)

    def _view(self) -> TeamView:
        # built every working day: views are made with tuple.__new__ (about half the cost of a
        # NamedTuple's keyword-checking constructor), field order as declared in the contract
        make = tuple.__new__
        now = self.env.now
        prior_precision, noise_variance = self.prior_precision, self.noise_variance
        projects = []
        for p in self.projects:  # earliest deadline first
            cands = p.frozen_view
            if cands is None:
                cands = tuple(
                    [
                        make(
                            CandidateView,
                            (
                                c.id,
                                *c.posterior(prior_precision, noise_variance),
                                c.signals,
                                c.exposed,
                                c.pitch,
                                c.explored,
                            ),
                        )
                        for c in p.candidates
                    ]
                )
                if p.phase != EXPLORING:  # what is known stops changing once committed
                    p.frozen_view = cands
            projects.append(
                make(
                    ProjectView,
                    (
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
                    ),
                )
            )
        people = []
        for person in self.people:
            if not person.present:
                productivity = 0.0
            elif person.onboarding:
                productivity = self._productivity(person)
            else:
                productivity = 1.0
            fields = (
                person.slot,
                person.present,
                person.exhaustion,
                person.latched,
                person.skill,
                productivity,
            )
            people.append(make(PersonView, fields))
        return make(
            TeamView,
            (
                now / WEEK,
                tuple(projects),
                tuple(people),
                self.capability,
                self.debt,
                self.pressure,
                len(self.systems),
                self.sc,
                self.knowledge,
            ),
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
            self.books.count("incidents")
            env.process(self._incident(env.now))

    def _incident(self, arrival: float) -> Any:
        env = self.env
        urgent = self.rng_triage.random() < self.sc.urgent_incident_share  # drawn every time
        paged = False
        if self.sc.enable_incident_triage and not self._working_hours(env.now):
            if urgent:
                paged = True
                self.books.count("incidents_paged")
            else:  # a ticket for the morning, not a page
                yield env.timeout(self._next_working_start(env.now) - env.now)
        while True:
            person = yield self.responders.get()
            person.in_store = False
            if person.present:
                break  # someone on leave or gone is skipped; they re-offer themselves on return
        self.books.waits.append(env.now - arrival)
        repair = self.rng_repairs.expovariate(1.0 / self.sc.repair_hours)
        done = env.timeout(repair)
        person.interruptions += 1
        person.repair = done
        person.repair_booked_until = env.now
        if person.working and person.process is not None:
            person.process.interrupt(done)
        self._log(
            "incident",
            slot=person.slot,
            person=person.person_id,
            repair_hours=round(repair, 3),
            paged=paged,
        )
        yield done
        person.repair = None
        if person.rest_due:  # a rest day that began during the repair recovers first
            self._catch_up_rest(person)
        person.firefight_hours += repair
        self._book_firefighting(person)
        self._offer_as_responder(person)

    def _book_firefighting(self, person: Person) -> None:
        hours = self.env.now - person.repair_booked_until
        person.repair_booked_until = self.env.now
        self.books.log_hours("incidents", hours)
        person.week_hours += hours
        if person.week_activity is not None:
            person.week_activity["incidents"] += hours

    def _incident_rate_per_hour(self) -> float:
        return (
            mechanisms.incident_rate_per_week(self.sc, self.systems, self.debt, self.capability)
            / WEEK
        )

    # --- production and the weekly books ---------------------------------------------------------------------
    def _production(self) -> Any:
        """Each week: deployed systems deliver value and drift, capability erodes, debt charges
        interest, the incident rate is renewed and the books close the week."""
        env, sc = self.env, self.sc
        self.incident_rate = self._incident_rate_per_hour()
        erosion = math.exp(-1.0 / sc.capability_erosion_weeks)
        forgetting = math.exp(-1.0 / sc.knowledge_depreciation_weeks)
        for week in range(sc.horizon_weeks):
            yield env.timeout((week + 1) * WEEK + PLAN_HOUR - 1e-6 - env.now)
            value = 0.0
            for s in self.systems:
                value += s.value * s.health * (1 - sc.late_value_penalty if s.late else 1.0)
                if sc.enable_drift:
                    s.health *= 1 - mechanisms.drift(sc, s)
            if sc.enable_capability:
                self.capability *= erosion
            if sc.enable_knowledge:
                self.knowledge *= forgetting
            if sc.enable_debt:
                present = sum(1 for p in self.people if p.present)
                self.maintenance_share = mechanisms.maintenance_share(sc, self.debt, present)
            self.incident_rate = self._incident_rate_per_hour()
            self._forget_past_moments()
            for person in self.people:
                if person.rest_due:
                    self._catch_up_rest(person)
                if person.repair is not None:  # the part of an ongoing repair done this week
                    self._book_firefighting(person)
            self.books.close_week(
                week, value, self.people, sc, self.capability, self.debt, self.knowledge
            )

    # --- running ----------------------------------------------------------------------------------------------
    def run(self) -> dict[str, float]:
        """Run to the horizon and return the KPIs."""
        self.env.run(until=self.end)
        return self.books.kpis(self.capability, self.debt, self.knowledge)


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
        weekly=model.books.weekly,
        exhaustion_by_person=model.books.exhaustion_by_person,
        events=model.events,
        hours_by_person=model.books.hours_by_person,
    )
