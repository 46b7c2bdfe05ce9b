"""Lab 4 · Deadlines and burnout: checks, questions and predictions."""

from __future__ import annotations

from functools import cache
from typing import Any

from twomountains.labs_support._core import (
    Verdict,
    as_number,
    difference_verdict,
    exercise,
    multiple_choice,
    near,
    prediction,
    relative_tolerance,
)

SEEDS = range(8)


@exercise("4.at-risk", "Exercise 1")
def at_risk(answer: Any, *, result: Any, weekly: Any) -> Verdict:
    want = float(result.kpis["at_risk_share"])
    if near(answer, want, 1e-6):
        return Verdict(True, f"{want:.1%} of the person-weeks under crunch were at burnout risk.")
    value = as_number(answer)
    present = weekly[weekly["headcount"] > 0]
    weekly_mean = float((present["at_risk"] / present["headcount"]).mean())
    seats = float(weekly["at_risk"].sum() / (result.scenario.team_size * len(weekly)))
    if abs(value - weekly_mean) < 1e-6:
        return Verdict(
            False,
            "you averaged the weekly shares, which gives every week the same weight. The KPI "
            "pools person-weeks: a week with fewer people present counts for less.",
        )
    if abs(value - seats) < 1e-6:
        return Verdict(
            False,
            "you counted every seat every week; people on leave and vacant seats are not present, "
            "and the KPI counts only the person-weeks of people present.",
        )
    return Verdict(False, "the share is of person-weeks: people at risk over people present.")


def _explore_change(table: Any) -> tuple[float, float, float]:
    fixed = table.xs("fixed:0.4", level="policy")["explore_share_realized"]
    return float(fixed.loc[4.0] - fixed.loc[14.0]), float(fixed.loc[14.0]), float(fixed.loc[4.0])


@exercise("4.deadlines", "Exercise 2")
def deadlines(answer: Any, *, table: Any) -> Verdict:
    change, long, short = _explore_change(table)
    return difference_verdict(
        answer,
        change,
        1e-6,
        right=(
            f"the realized explore share moves from {long:.2f} (14 weeks) to {short:.2f} (4 weeks), "
            f"a change of {change:+.2f}, while the policy's setting stays 0.4 of every window."
        ),
        order="4-week minus 14-week",
        hint=(
            "the setting (0.4 of each window) does not change with the deadline; what the team "
            "actually does is in the realized share, for the fixed:0.4 rows."
        ),
    )


@prediction(
    "4.deadlines", "Your prediction for tighter deadlines", options=("rise", "stay", "fall")
)
def deadline_direction(*, table: Any) -> tuple[str, str]:
    change, long, short = _explore_change(table)
    direction = "rise" if change > 0.02 else "fall" if change < -0.02 else "stay"
    return direction, (
        f"fixed:0.4's realized explore share is {long:.2f} with 14-week deadlines and "
        f"{short:.2f} with 4-week ones."
    )


def _paired(first: Any, second: Any) -> tuple[float, float, float]:
    """Mean of paired differences and its 95% t-interval."""
    from scipy import stats  # lazily: the package core stays standard-library only

    differences = [a - b for a, b in zip(first, second, strict=True)]
    n = len(differences)
    mean = sum(differences) / n
    sd = (sum((d - mean) ** 2 for d in differences) / (n - 1)) ** 0.5
    half = float(stats.t.ppf(0.975, n - 1)) * sd / n**0.5
    return mean, mean - half, mean + half


def _crunch_gap(runs: Any) -> tuple[float, float, float]:
    return _paired(
        runs["crunch"]["value_delivered"].tolist(),
        runs["capped at 45 h"]["value_delivered"].tolist(),
    )


@exercise("4.crunch", "Exercise 3")
def crunch(answer: Any, *, runs: Any) -> Verdict:
    mean, low, high = _crunch_gap(runs)
    burnouts = float(
        (runs["crunch"]["burnout_events"] - runs["capped at 45 h"]["burnout_events"]).mean()
    )
    return difference_verdict(
        answer,
        mean,
        relative_tolerance(mean),
        right=(
            f"crunch changes value by {mean:+.0f} a year on average (95% interval {low:+.0f} to "
            f"{high:+.0f}) and burnout events by {burnouts:+.2f} a year."
        ),
        order="crunch minus capped",
        hint=(
            "the comparison is paired: the same seed gives both policies the same projects, so "
            "subtract seed by seed and then average."
        ),
    )


@prediction("4.crunch", "Your prediction of what crunch buys", options=("more", "same", "less"))
def crunch_buys(*, runs: Any) -> tuple[str, str]:
    mean, low, high = _crunch_gap(runs)
    verdict = "more" if low > 0 else "less" if high < 0 else "same"
    return verdict, (
        f"Crunch minus capped: {mean:+.0f} value a year, 95% interval {low:+.0f} to {high:+.0f} "
        f"over {len(runs['crunch'])} paired seeds ('same' means the interval includes zero)."
    )


@cache
def _crunch_value_without_burnout() -> tuple[float, ...]:
    import twomountains as tm

    scenario = tm.Scenario().replace(enable_burnout=False)
    return tuple(tm.run(scenario, "crunch", seed=s).kpis["value_delivered"] for s in SEEDS)


@exercise("4.burnout-cost", "Exercise 4")
def burnout_cost(answer: Any, *, runs: Any) -> Verdict:
    without = _crunch_value_without_burnout()
    normal = runs["crunch"]["value_delivered"].tolist()
    cost = sum(a - b for a, b in zip(without, normal, strict=True)) / len(normal)
    return difference_verdict(
        answer,
        cost,
        relative_tolerance(cost),
        right=(
            f"switching burnout off changes crunch's value by {cost:+.0f} a year: that is what "
            "burnout costs in value alone; the human cost is not in this number."
        ),
        order="no-burnout value minus normal value",
        hint=(
            "a counterfactual changes one switch and keeps everything else, seeds included: pair "
            "each seed's run without burnout with the same seed's normal run."
        ),
    )


@cache
def _linear_gap(capped: Any) -> tuple[float, float, float]:
    import twomountains as tm

    scenario = tm.Scenario().replace(enable_concavity=False)
    crunch_values = [tm.run(scenario, "crunch", seed=s).kpis["value_delivered"] for s in SEEDS]
    capped_values = [tm.run(scenario, capped, seed=s).kpis["value_delivered"] for s in SEEDS]
    return _paired(crunch_values, capped_values)


@exercise("4.concavity", "Exercise 5")
def concavity(answer: Any, *, runs: Any, capped: Any) -> Verdict:
    mean, low, high = _linear_gap(capped)
    with_concavity = _crunch_gap(runs)[0]
    if near(answer, mean, relative_tolerance(mean)):
        return Verdict(
            True,
            f"if every hour produced as much as the first, crunch would change value by "
            f"{mean:+.0f} a year (95% interval {low:+.0f} to {high:+.0f}), against "
            f"{with_concavity:+.0f} with Pencavel's curve: the difference is what that result "
            "owes to the concavity assumption.",
        )
    if near(answer, with_concavity, relative_tolerance(with_concavity)):
        return Verdict(
            False,
            "that is Exercise 3's gap, with concavity on: change the one assumption and keep "
            "everything else, seeds included.",
        )
    return Verdict(
        False,
        "both policies must run in the scenario without concavity, on the same seeds, paired "
        "seed by seed.",
    )


multiple_choice(
    "4.first-month",
    "Exercise 6",
    {
        "A": "exhaustion is a stock: long weeks fill it faster than rest drains it, and whatever "
        "that costs arrives later. Judge crunch over the year, as Exercises 3 to 5 do.",
        "B": "this judges a stock-and-flow system by its first weeks' flow: output rises at once, "
        "while exhaustion accumulates and is paid for later.",
        "C": "output is not proportional to hours: past about 49 hours a week each extra hour "
        "adds less, and past about 63 nothing (Pencavel), in the model as in the data.",
        "D": "in the model the burnout hazard rises with exhaustion, which rises with hours and "
        "pressure: burnout is not luck unrelated to the workload.",
    },
    "86aad3f97814acea5c7e",
)
