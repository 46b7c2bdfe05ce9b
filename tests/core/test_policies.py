"""Policies: specs, the protocol a user implements, and decisions the model refuses."""

from __future__ import annotations

import math
import random
import statistics

import pytest

import twomountains as tm
from twomountains.policies import (
    BUILTIN_SPECS,
    Adaptive,
    CandidateView,
    Decision,
    FixedSplit,
    Policy,
    PolicyError,
    from_spec,
    knowledge_gradient,
    mirage_probability,
)

SHORT = tm.Scenario(horizon_weeks=12)


@pytest.mark.parametrize("spec", BUILTIN_SPECS)
def test_specs_round_trip(spec):
    policy = from_spec(spec)
    assert policy.spec == spec
    assert tm.run(SHORT, spec, seed=0).policy == spec


@pytest.mark.parametrize("spec", ["fixed", "fixed:abc", "fixed:1.5", "fixed:-0.1", "yolo", ""])
def test_bad_specs(spec):
    with pytest.raises(PolicyError, match="allowed"):
        from_spec(spec)


def test_policy_objects_pass_through_and_default():
    policy = FixedSplit(0.25)
    assert from_spec(policy) is policy
    assert from_spec(None).spec == "fixed:0.4"
    with pytest.raises(PolicyError):
        from_spec(42)  # type: ignore[arg-type]
    with pytest.raises(PolicyError):
        FixedSplit(1.2)


class CommitAtHalf(Policy):
    """A user's own policy, as in lab 6."""

    name = "commit-at-half"

    def decide(self, view):
        commit = frozenset(
            p.id
            for p in view.projects
            if p.phase == "exploring" and self.window_share(p, view) >= 0.5
        )
        return Decision(platform_share=0.2, commit=commit)


def test_user_policy_runs_and_is_named():
    r = tm.run(SHORT, CommitAtHalf(), seed=1)
    assert r.policy == "commit-at-half"
    assert r.kpis["projects_started"] > 0


class Plain:
    """Not a subclass: the protocol is just decide()."""

    def decide(self, view):
        return Decision()


def test_duck_typed_policy():
    assert tm.run(SHORT, Plain(), seed=0).policy == "Plain"


class Bad(Policy):
    def __init__(self, decision):
        self.decision = decision

    def decide(self, view):
        return self.decision(view) if callable(self.decision) else self.decision


@pytest.mark.parametrize(
    ("decision", "fragment"),
    [
        (Decision(platform_share=1.5), "platform_share"),
        (Decision(max_weekly_hours=-1), "max_weekly_hours"),
        (Decision(person_max_weekly_hours={0: 200}), "max_weekly_hours"),
        (Decision(commit=frozenset({999})), "commit"),
        (
            lambda v: Decision(explore_focus={v.projects[0].id: 99}) if v.projects else Decision(),
            "explore_focus",
        ),
        (lambda v: Decision(ship_now=frozenset(p.id for p in v.projects)), "ship_now"),
        ("not a decision", "Decision"),
    ],
)
def test_invalid_decisions_raise(decision, fragment):
    with pytest.raises(PolicyError, match=fragment):
        tm.run(SHORT, Bad(decision), seed=0)


def test_knowledge_gradient_matches_monte_carlo():
    a = CandidateView(0, 5.0, 2.0, 1, False, 5.0)
    b = CandidateView(1, 4.0, 2.0, 1, False, 4.0)
    noise = 2.0
    rng = random.Random(1)
    gains = []
    for _ in range(200_000):
        true = rng.gauss(a.estimate, a.sd)
        signal = true + rng.gauss(0, noise)
        post = (a.estimate / a.sd**2 + signal / noise**2) / (1 / a.sd**2 + 1 / noise**2)
        gains.append(max(post, b.estimate) - max(a.estimate, b.estimate))
    assert statistics.fmean(gains) == pytest.approx(knowledge_gradient(a, [a, b], noise), abs=0.01)
    assert knowledge_gradient(a, [a], noise) == 0.0


def test_mirage_probability_is_bayes():
    sc = tm.Scenario()
    dazzling = CandidateView(0, 14.0, 4.0, 0, False, 14.0)
    modest = CandidateView(1, 2.0, 4.0, 0, False, 2.0)
    assert mirage_probability(dazzling, sc) > sc.mirage_share > mirage_probability(modest, sc)
    checked = dazzling._replace(explored_hours=100.0)
    ratio = mirage_probability(checked, sc) / (1 - mirage_probability(checked, sc))
    prior_ratio = mirage_probability(dazzling, sc) / (1 - mirage_probability(dazzling, sc))
    assert ratio == pytest.approx(prior_ratio * math.exp(-sc.mirage_detection_per_hour * 100))
    assert mirage_probability(dazzling._replace(exposed=True), sc) == 1.0
    assert mirage_probability(dazzling, sc.replace(enable_mirages=False)) == 0.0


def test_adaptive_protects_exhausted_people():
    rows = [tm.run(tm.Scenario(), Adaptive(), s).kpis for s in range(4)]
    crunch = [tm.run(tm.Scenario(), "crunch", s).kpis for s in range(4)]
    assert sum(r["at_risk_share"] for r in rows) < sum(r["at_risk_share"] for r in crunch)


@pytest.mark.parametrize(
    ("spec", "canonical", "cap"),
    [
        ("fixed:0.1@sustainable", "fixed:0.1@sustainable", 45.0),
        ("fixed:0.4@standard", "fixed:0.4", 50.0),
        ("adaptive", "adaptive", 45.0),
        ("adaptive@standard", "adaptive@standard", 50.0),
        ("crunch", "crunch", 70.0),
        ("crunch@sustainable", "crunch@sustainable", 45.0),
        ("Explore-Then-Build @ Crunch", "explore-then-build@crunch", 70.0),
        ("fixed:0.3@45h", "fixed:0.3@45h", 45.0),
    ],
)
def test_specs_name_an_exploration_rule_and_an_hours_rule(spec, canonical, cap):
    policy = from_spec(spec)
    assert policy.spec == canonical
    assert policy.hours.max_weekly_hours == cap
    assert from_spec(policy.spec).spec == canonical  # round trip


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ("fixed:0.1@lazy", "allowed: one of standard, sustainable, crunch"),
        ("adaptive@", "allowed: one of standard, sustainable, crunch"),
        ("fixed:0.1@500h", "a weekly cap such as 45h"),
        ("fixed:x@standard", "'fixed:SHARE'"),
        ("expert@sustainable", "optionally @HOURS_RULE"),
    ],
)
def test_bad_specs_get_one_line_errors(spec, fragment):
    with pytest.raises(PolicyError) as info:
        from_spec(spec)
    message = str(info.value)
    assert fragment in message and repr(spec) in message and "\n" not in message


def test_the_same_hours_rule_gives_the_same_caps_whatever_the_exploration_rule():
    scenario = tm.Scenario(enable_incidents=False)  # incidents add hours outside any plan
    fixed = tm.run(scenario, "fixed:0.1@sustainable", seed=2)
    adaptive = tm.run(scenario, "adaptive", seed=2)
    standard = tm.run(scenario, "fixed:0.1", seed=2)
    weekly_max = max(h / 6 for h in standard.weekly["hours_worked"])
    assert max(h / 6 for h in fixed.weekly["hours_worked"]) <= 45.0 + 1e-6
    assert max(h / 6 for h in adaptive.weekly["hours_worked"]) <= 45.0 + 1e-6
    # the sustainable rule protects exhausted people, so it works no more overtime than standard
    assert fixed.kpis["overtime_hours"] <= standard.kpis["overtime_hours"]
    assert weekly_max >= 40.0


def test_user_policy_without_super_init_has_the_standard_hours_rule():
    class Mine(tm.policies.Policy):
        name = "mine"

        def decide(self, view):
            return tm.policies.Decision()

    assert Mine().spec == "mine" and Mine().hours.name == "standard"
    assert Mine().with_hours("crunch").spec == "mine@crunch"


def test_a_person_cap_binds_under_overtime_even_below_the_contract():
    from twomountains.model import TeamModel

    model = TeamModel(tm.Scenario(), from_spec("fixed:0.3@sustainable"), seed=0, trace=False)
    model.pressure = 3.0  # the schedule asks everyone for overtime
    tired = model.people[0]
    tired.exhaustion = 0.8  # past the sustainable rule's rest threshold (0.75): 32 h a week
    decision = tm.policies.Decision(max_weekly_hours=45.0, person_max_weekly_hours={0: 32.0})
    model._assign_people(decision)
    assert tired.planned_hours == pytest.approx(32.0 / 5)
    assert model.people[1].planned_hours == pytest.approx(45.0 / 5)
