"""Lab 5 · Which mountain when?: checks, questions and predictions."""

from __future__ import annotations

from functools import cache
from typing import Any

from twomountains.labs_support._core import (
    Verdict,
    as_number,
    exercise,
    multiple_choice,
    near,
    prediction,
)

MIRAGE_LEVELS = (0.05, 0.5)
KNOB_SHARES = (0.0, 0.1, 0.2, 0.4)
KNOB_SEEDS = range(5)


def _move(best: Any) -> float:
    return float(best["uncharted"] - best["well_understood"])


@exercise("5.move", "Exercise 1")
def move(answer: Any, *, best: Any) -> Verdict:
    change = _move(best)
    if near(answer, change, 1e-9):
        reading = (
            "in these runs uncertainty moves the best split toward experimentation; Exercise 4 "
            "asks how much that reading can bear"
            if change > 0
            else "in these runs the best split does not move toward experimentation: a finding "
            "to examine, starting with how flat the curves are near their peaks"
        )
        return Verdict(
            True,
            f"the best share is {best['uncharted']:g} when uncharted and "
            f"{best['well_understood']:g} when well understood (difference {change:+g}): {reading}.",
        )
    if near(answer, -change, 1e-9):
        return Verdict(False, "the sign is reversed: uncharted minus well understood.")
    value = as_number(answer)
    if abs(value) > 1:
        return Verdict(False, "a difference of two explore shares lies between -1 and 1.")
    return Verdict(False, "read each context's best share (where its mean value peaks).")


@prediction("5.move", "Your prediction for uncharted problems", options=("higher", "same", "lower"))
def move_direction(*, best: Any) -> tuple[str, str]:
    change = _move(best)
    direction = "higher" if change > 0 else "lower" if change < 0 else "same"
    return direction, (
        f"The best explore share is {best['uncharted']:g} when uncharted and "
        f"{best['well_understood']:g} when well understood, on a grid of explore shares with "
        "five replications."
    )


@cache
def _best_by_mirage_share() -> list[float]:
    import twomountains as tm

    best = []
    for level in MIRAGE_LEVELS:
        scenario = tm.Scenario().replace(mirage_share=level)
        means = {
            share: sum(
                tm.run(scenario, f"fixed:{share:g}", seed=seed).kpis["value_delivered"]
                for seed in KNOB_SEEDS
            )
            / len(KNOB_SEEDS)
            for share in KNOB_SHARES
        }
        best.append(max(means, key=lambda share: means[share]))
    return best


@exercise("5.knob", "Exercise 2")
def knob(answer: Any) -> Verdict:
    want = _best_by_mirage_share()
    given = [float(x) for x in answer]
    if given == want:
        moved = "moves" if want[0] != want[1] else "does not move"
        return Verdict(
            True,
            f"with mirage shares {MIRAGE_LEVELS[0]:g} and {MIRAGE_LEVELS[1]:g} the best explore "
            f"shares are {want}: this one knob {moved} the best split on this grid.",
        )
    if given == want[::-1]:
        return Verdict(False, "the order is reversed: the low mirage share first.")
    if len(given) != len(MIRAGE_LEVELS):
        return Verdict(False, "one best explore share per mirage-share level: a list of two.")
    return Verdict(
        False,
        "a one-factor sweep holds everything else fixed, seeds included; each level's best "
        "share is where its mean value over the replications peaks.",
    )


def _front(outcomes: Any) -> list[str]:
    values = outcomes["value_delivered"]
    burnout = outcomes["burnout_rate_per_person_year"]
    dominated = {
        p
        for p in outcomes.index
        for q in outcomes.index
        if q != p
        and values[q] >= values[p]
        and burnout[q] <= burnout[p]
        and (values[q] > values[p] or burnout[q] < burnout[p])
    }
    return sorted(str(p) for p in set(outcomes.index) - dominated)


@exercise("5.front", "Exercise 3")
def front(answer: Any, *, outcomes: Any) -> Verdict:
    want = _front(outcomes)
    given = sorted(str(p) for p in answer)
    if given == want:
        adaptive = "the adaptive policy is on it" if "adaptive" in want else "adaptive is not"
        return Verdict(True, f"the Pareto front in startup_crunch is {want}; {adaptive}.")
    best_value = str(outcomes["value_delivered"].idxmax())
    if given == [best_value]:
        return Verdict(
            False,
            "only the highest value: a front has one policy per trade-off, including those that "
            "give up some value for less burnout.",
        )
    if set(given) > set(want):
        return Verdict(
            False,
            "some policies you kept are beaten on both counts by another one: dominated means "
            "at least as good on both and strictly better on one.",
        )
    return Verdict(
        False,
        "a policy stays on the front unless another has at least as much value and at most as "
        "much burnout (and is strictly better on one); low value alone does not remove it.",
    )


multiple_choice(
    "5.one-step",
    "Exercise 4",
    {
        "A": "this reads a one-step difference, with overlapping intervals, as a finding because "
        "it agrees with what we expected: confirmation, not evidence.",
        "B": "a model that disagrees with a claim is a finding to examine, not a bug by default; "
        "and here the data cannot even tell the two peaks apart.",
        "C": "overlapping intervals near the peak say the top is flat, not that the whole curve "
        "is: far from the peak, the share can matter a lot.",
        "D": "near a flat peak one grid step is within the noise: compare the two shares on "
        "common seeds (paired differences) or add replications before saying the split moved.",
    },
    "ca0d2fa31c34269b33e0",
)
