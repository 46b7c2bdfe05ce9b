"""Lab 3 · The MLOps mountain: checks, questions and predictions."""

from __future__ import annotations

from functools import cache
from typing import Any

from twomountains.labs_support._core import (
    Verdict,
    difference_verdict,
    exercise,
    multiple_choice,
    prediction,
    relative_tolerance,
)

POLICY_SPECS = ("mlops-first", "fixed:0.4", "notebook-only")
PLATFORM_SEEDS = range(6)


@exercise("3.uplift", "Exercise 1")
def uplift(answer: Any, *, df: Any, config_class: Any) -> Verdict:
    from twomountains import datasets

    if not callable(answer):
        return Verdict(False, "store the function itself (answer_1 = uplift), not its result.")
    small = config_class(n_boot=40, seed=3)
    first, second = answer(df, small), answer(df, small)
    mean, (low, high) = first
    if first != second:
        return Verdict(
            False,
            "two runs with the same configuration differ. A generator made anew without the "
            "configuration's seed, or a draw that does not use it, brings the fragility back.",
        )
    if low == high:
        return Verdict(
            False,
            "the interval has collapsed to a point: every resample is the same. That happens when "
            "the generator is re-created (re-seeded) inside the loop.",
        )
    truth = datasets.churn_study_truth(n=len(df), seed=0)["feature_effect"]
    if not low <= mean <= high or abs(mean - truth) >= 0.04:
        return Verdict(
            False,
            "it is deterministic, but it no longer estimates the within-band effect: keep the "
            "analysis as it was and change only where the randomness comes from.",
        )
    return Verdict(
        True, "same data and configuration, same answer, and it recovers the true effect."
    )


def _alerts(reference: Any, batch: Any, relative: bool = True) -> list[str]:
    alerts = []
    for column in reference.select_dtypes("number").columns.drop("customer_id"):
        missing = abs(batch[column].isna().mean() - reference[column].isna().mean())
        change = abs(batch[column].mean() - reference[column].mean())
        if relative:
            change /= abs(reference[column].mean())
        if missing > 0.1 or change > 0.25:
            alerts.append(column)
    return sorted(alerts)


@exercise("3.drift", "Exercise 2")
def drift(answer: Any, *, reference: Any, batch: Any) -> Verdict:
    want = _alerts(reference, batch)
    given = sorted(str(column) for column in answer)
    if given == want:
        return Verdict(
            True, f"the alarm flags {want}: this batch should not be analysed unexamined."
        )
    if "customer_id" in given:
        return Verdict(False, "customer_id is an identifier: its mean drifting means nothing.")
    if given == _alerts(reference, batch, relative=False):
        return Verdict(
            False,
            "you compared means on each column's own scale. Months, thousands and 0/1 columns "
            "need a change relative to the reference mean for one threshold to fit them all.",
        )
    if set(given) < set(want):
        return Verdict(
            False,
            "an alarm on missing values alone misses a column whose values moved, and the "
            "reverse: check both kinds of change.",
        )
    return Verdict(False, "check both kinds of change, each against its own threshold.")


@prediction("3.incidents", "Your prediction of who fights the most fires", options=POLICY_SPECS)
def most_incidents(*, policies: Any) -> tuple[str, str]:
    most = str(policies["incidents"].idxmax())
    counts = ", ".join(f"{spec} {policies.loc[spec, 'incidents']:.1f}" for spec in policies.index)
    return most, f"Incidents a year: {counts}."


@exercise("3.incidents", "Exercise 3")
def incidents(answer: Any, *, policies: Any) -> Verdict:
    most = str(policies["incidents"].idxmax())
    if answer == most:
        return Verdict(
            True,
            f"{most} has the most incidents ({policies.loc[most, 'incidents']:.1f} a year) and "
            f"ends the year with debt {policies.loc[most, 'tech_debt_final']:.2f}.",
        )
    if answer not in policies.index:
        return Verdict(False, f"answer with one of the spec strings: {list(policies.index)}.")
    return Verdict(
        False,
        "that is the policy your intuition about careful or hasty teams suggests, perhaps; the "
        "incidents column is what tests that intuition.",
    )


@cache
def _platform_worth() -> float:
    import twomountains as tm

    def values(scenario: Any) -> list[float]:
        return [
            tm.run(scenario, "fixed:0.4", seed=seed).kpis["value_delivered"]
            for seed in PLATFORM_SEEDS
        ]

    with_capability = values(tm.Scenario())
    without = values(tm.Scenario().replace(enable_capability=False))
    differences = [a - b for a, b in zip(with_capability, without, strict=True)]
    return sum(differences) / len(differences)


@exercise("3.platform", "Exercise 4")
def platform(answer: Any) -> Verdict:
    worth = _platform_worth()
    return difference_verdict(
        answer,
        worth,
        relative_tolerance(worth),
        right=(
            f"with the same seeds, capability changes fixed:0.4's value by {worth:+.0f} a year: "
            "that much of the result rests on the capability assumption."
        ),
        order="with capability minus without",
        hint=(
            "a counterfactual changes one switch and keeps everything else, seeds included: pair "
            "the runs seed by seed before averaging."
        ),
    )


@prediction("3.platform", "Your prediction of what the platform is worth", close=100.0)
def platform_worth() -> tuple[float, str]:
    worth = _platform_worth()
    return worth, f"Switching capability off changes value by {-worth:+.0f} a year."


multiple_choice(
    "3.seeding",
    "Exercise 5",
    {
        "A": "more resamples shrink the Monte Carlo noise, but the answer still changes from run "
        "to run: precision is not reproducibility.",
        "B": "re-seeding inside the loop makes every resample the same sample: the result "
        "repeats, and the interval collapses to a point. Reproducible, and wrong.",
        "C": "rounding hides the variation in the display; the next run can still round to a "
        "different number.",
        "D": "one generator, from a seed stored in the configuration, makes the result a "
        "function of the data and the configuration only, and keeps the resamples different.",
    },
    "e1afa2eb19bab19d7ad2",
)
