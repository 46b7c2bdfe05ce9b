"""Lab 6 · Design your own policy: checks, questions and predictions."""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from typing import Any

from twomountains.labs_support._core import (
    Verdict,
    as_number,
    exercise,
    multiple_choice,
    prediction,
    relative_tolerance,
)

# The behavioural test year: the learner's policy runs it, and every built-in is asked what it
# would decide on the same days.
TEST_SCENARIOS = ("default", "startup_crunch")
TEST_SEED = 0


@cache
def _working_days() -> int:
    import twomountains as tm

    class Counter(tm.policies.Policy):
        def __init__(self) -> None:
            self.inner, self.calls = tm.policies.FixedSplit(0.4), 0

        def decide(self, view: Any) -> Any:
            self.calls += 1
            return self.inner.decide(view)

    counter = Counter()
    tm.run(policy=counter, seed=0)
    return counter.calls


@exercise("6.calls", "Exercise 1")
def calls(answer: Any) -> Verdict:
    want = _working_days()
    value = as_number(answer)
    if value == want:
        return Verdict(True, f"decide is called {want} times in a year: once per working day.")
    if value in (364, 365, 366):
        return Verdict(
            False,
            "that counts calendar days; the team works, and the policy decides, on "
            "working days only (weekends are rest).",
        )
    if value in (52, 53):
        return Verdict(False, "that counts weeks; the policy is asked every working day.")
    return Verdict(
        False,
        "the count lives in the policy object you passed to tm.run: the same object must be "
        "the one you read afterwards, and the wrapped policy must still decide.",
    )


def _scout_gap(runs: Any) -> tuple[float, float, float, Any]:
    from scipy import stats  # lazily: the package core stays standard-library only

    values = runs.pivot(index="seed", columns="policy", values="value_delivered")
    diff = values["scout"] - values["fixed:0.4"]
    n = len(diff)
    half = float(stats.t.ppf(0.975, n - 1)) * float(diff.std()) / n**0.5
    return float(diff.mean()), float(diff.mean()) - half, float(diff.mean()) + half, values


@exercise("6.paired", "Exercise 2")
def paired(answer: Any, *, runs: Any) -> Verdict:
    from scipy import stats

    mean, low, high, values = _scout_gap(runs)
    given = [float(x) for x in answer]
    if len(given) != 3:
        return Verdict(False, "store three numbers: (mean, low, high).")
    if all(
        abs(x - y) < relative_tolerance(y) for x, y in zip(given, (mean, low, high), strict=True)
    ):
        reading = (
            "a clear difference in this scenario"
            if low > 0 or high < 0
            else "not distinguishable yet"
        )
        return Verdict(
            True,
            f"Scout - fixed:0.4 = {mean:+.0f}, 95% interval [{low:+.0f}, {high:+.0f}]: {reading}.",
        )
    if abs(given[0] - mean) > relative_tolerance(mean):
        return Verdict(False, "the mean is of Scout minus fixed:0.4, seed by seed.")
    welch = stats.ttest_ind(values["scout"], values["fixed:0.4"], equal_var=False)
    ci = welch.confidence_interval(0.95)
    if abs(given[1] - ci.low) < relative_tolerance(ci.low):
        return Verdict(
            False,
            "that interval treats the two policies' runs as independent samples. On common seeds "
            "the paired differences remove the luck both share, and their interval is the one "
            "to use.",
        )
    n = len(values)
    sd = float((values["scout"] - values["fixed:0.4"]).std())
    if abs((mean - given[1]) - 1.96 * sd / n**0.5) < relative_tolerance(mean):
        return Verdict(
            False,
            f"1.96 is the normal quantile; with {n} seeds the sd is itself uncertain, and t with "
            f"{n - 1} degrees of freedom is wider.",
        )
    return Verdict(
        False,
        "the half-width is t(0.975, n - 1) times the sd of the paired differences over sqrt(n); "
        "the population sd (ddof=0) or the sd of one policy's values gives another number.",
    )


@prediction(
    "6.scout",
    "Your prediction of Scout against the default",
    options=("scout", "fixed:0.4", "cannot tell"),
)
def scout_or_default(*, runs: Any) -> tuple[str, str]:
    mean, low, high, values = _scout_gap(runs)
    verdict = "scout" if low > 0 else "fixed:0.4" if high < 0 else "cannot tell"
    return verdict, (
        f"Scout minus fixed:0.4: {mean:+.0f} value a year, 95% interval [{low:+.0f}, {high:+.0f}] "
        f"over {len(values)} paired seeds."
    )


def _builtins() -> dict[str, Any]:
    import twomountains as tm

    return {spec: tm.policies.from_spec(spec) for spec in tm.policies.BUILTIN_SPECS}


def copied_builtin(policy_class: type) -> str | None:
    """The built-in whose decisions ``policy_class()`` repeats on every day of the test years."""
    import twomountains as tm

    builtins = _builtins()
    if policy_class in {type(policy) for policy in builtins.values()}:
        return next(spec for spec, p in builtins.items() if type(p) is policy_class)
    same = set(builtins)

    class Shadowed(tm.policies.Policy):
        """Runs the learner's policy and asks every built-in what it would decide that day."""

        def __init__(self, inner: Any) -> None:
            self.inner = inner

        def decide(self, view: Any) -> Any:
            decision = self.inner.decide(view)
            for spec in list(same):
                if builtins[spec].decide(view) != decision:
                    same.discard(spec)
            return decision

    for name in TEST_SCENARIOS:
        tm.run(tm.scenarios.load(name), Shadowed(policy_class()), seed=TEST_SEED)
        if not same:
            return None
    return sorted(same)[0]


@exercise("6.beat", "Exercise 3")
def beat(answer: Any, *, practice_score: Any, practice_runs: Any, scores: Any) -> Verdict:
    if isinstance(answer, str):
        return Verdict(
            False, "a spec string names a built-in; the exercise asks for a class of your own."
        )
    if not isinstance(answer, type):
        return Verdict(
            False,
            "store the class, not an instance: the tournament creates a fresh object for every "
            "run, so a policy must be a recipe, not one object with a history.",
        )
    copied = copied_builtin(answer)
    if copied is not None:
        return Verdict(
            False,
            f"your policy decides exactly as the built-in {copied!r} on every day of the test "
            "years. A subclass that changes nothing, or nothing that ever applies, is still that "
            "built-in: change how it decides.",
        )
    score, target = practice_score(practice_runs(answer)), scores["fixed:0.4"]
    if score > target:
        return Verdict(
            True,
            f"a policy of your own, with practice score {score:.3f} against fixed:0.4's "
            f"{target:.3f}. Now try the other built-ins.",
        )
    return Verdict(
        False,
        f"it decides differently from every built-in, but scores {score:.3f} against fixed:0.4's "
        f"{target:.3f}. The score counts value *and* the share of person-weeks at risk: look at "
        "both, per scenario, to see where it loses.",
    )


@exercise("6.entry", "Exercise 4")
def entry(answer: Any) -> Verdict:
    import twomountains as tm
    from twomountains import tournament

    path = Path(answer)
    checked = tournament.entries.check(path)
    if checked.problem:
        return Verdict(False, f"the tournament would refuse it: {checked.problem}")
    if not (checked.name and checked.author):
        return Verdict(False, "NAME and AUTHOR must be plain strings at the top of the file.")
    spec = importlib.util.spec_from_file_location("entry_under_test", path)
    if spec is None or spec.loader is None:
        return Verdict(False, "the file cannot be imported as a Python module.")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    tm.run(policy=module.Policy(), seed=0)
    return Verdict(
        True, "the entry parses, has NAME and AUTHOR, and its Policy() runs a year: ready."
    )


multiple_choice(
    "6.normalise",
    "Exercise 5",
    {
        "A": "scenarios differ in scale (team size, project rate, value per system); dividing by "
        "the best built-in's mean puts them on one scale, so each counts about equally.",
        "B": "that is the score's second term, minus the share of person-weeks at risk; the "
        "division only rescales value.",
        "C": "only the best built-in's *mean* is 1 by construction; the others score below it, "
        "and a single run can land above.",
        "D": "a ratio does not remove luck: common seeds and replications do that. The division "
        "only puts scenarios on one scale.",
    },
    "ba93c9fb5cf96e5bfd8d",
)
