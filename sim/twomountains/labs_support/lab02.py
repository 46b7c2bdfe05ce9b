"""Lab 2 · The experimentation mountain: checks, questions and predictions."""

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
    relative_tolerance,
)

BAND_EDGES = [0, 12, 24, 36, 48, 60, 72]
SPECS = ("fixed:0.1", "fixed:0.3", "fixed:0.5")
SEEDS = range(5)


def _naive(df: Any) -> float:
    rates = df.groupby("uses_feature")["retained"].mean()
    return float(rates[1] - rates[0])


def _within(df: Any) -> float:
    import pandas as pd  # lazily: the package core stays standard-library only

    bands = pd.cut(df["tenure_months"], bins=BAND_EDGES)
    table = df.groupby([bands, df["uses_feature"]], observed=True)["retained"].mean().unstack()
    weights = bands.value_counts(normalize=True).reindex(table.index)
    return float(((table[1] - table[0]) * weights).sum())


def _truth(df: Any, seed: int) -> dict[str, float]:
    from twomountains import datasets

    return datasets.churn_study_truth(n=len(df), seed=seed)


@exercise("2.naive", "Exercise 1")
def naive(answer: Any, *, df: Any) -> Verdict:
    want = _naive(df)
    if near(answer, want, 0.005):
        return Verdict(
            True,
            f"the dashboard's difference is {want:+.3f}, {100 * want:.0f} points of retention. "
            "Before building on it, ask what else differs between users and non-users.",
        )
    value = as_number(answer)
    if abs(value + want) < 0.005:
        return Verdict(False, "the sign is reversed: users minus non-users.")
    if abs(value) > 1:
        return Verdict(False, "a difference of two rates lies between -1 and 1 (0.07 = 7 points).")
    return Verdict(False, "the dashboard compares the two groups' retention rates, nothing more.")


@exercise("2.within", "Exercise 2")
def within(answer: Any, *, df: Any, seed: int = 0) -> Verdict:
    truth = _truth(df, seed)["feature_effect"]
    if near(answer, truth, 0.03):
        return Verdict(
            True,
            f"the true effect in this dataset is {truth:+.2f}; the dashboard's {_naive(df):+.2f} was "
            "mostly made by tenure. Sampling noise on this table is about ±0.02.",
        )
    value = as_number(answer)
    if abs(value - _naive(df)) < 0.01:
        return Verdict(
            False,
            "that is still the dashboard's comparison. Users have longer tenure, and tenure alone "
            "raises retention: compare users with non-users of about the same tenure.",
        )
    return Verdict(
        False,
        "a like-with-like comparison holds tenure fixed: each band gives its own difference, and "
        "the bands are then combined by how many customers they hold.",
    )


@exercise("2.reweight", "Exercise 3")
def reweight(answer: Any, *, df: Any, seed: int = 0) -> Verdict:
    truth = _truth(df, seed)["mean_satisfaction"]
    respondents = float(df["satisfaction"].mean())
    if near(answer, truth, 0.1):
        return Verdict(
            True,
            f"everyone's true mean satisfaction is {truth:.2f}; the respondents' {respondents:.2f} "
            "overstated it because the sample selected itself.",
        )
    if abs(as_number(answer) - respondents) < 0.05:
        return Verdict(
            False,
            "that is the respondents' own mean: it assumes the people who answered are like "
            "everyone else, but mostly retained (happier) customers opened the email.",
        )
    return Verdict(
        False,
        "the weights must be each group's share of *all* customers, not of respondents: "
        "weighting by the sample's own mix reproduces its bias.",
    )


multiple_choice(
    "2.missing",
    "Exercise 4",
    {
        "A": "if a random subset were missing, the observed incomes would look like everyone's, "
        "and the observed median would sit near the region's 55k; it sits well above.",
        "B": "missingness does not follow tenure, feature use or retention (the table above), so "
        "no observed column explains it.",
        "C": "low incomes are missing more often: the observed values overstate income, and no "
        "column we have can correct that; only outside information can.",
    },
    "f8056396af7d988d0eb0",
)


multiple_choice(
    "2.systems",
    "Exercise 5",
    {
        "A": "this reverses Kahneman: slow, effortful System 2 is the checker. Mirages come from "
        "System 1's fast, effortless jump from a striking pattern to a story.",
        "B": "a confounder or a self-selected sample is systematic, not bad luck: it does not "
        "average away, and it becomes a mirage when someone reads it as a cause.",
        "C": "System 1 turns the dashboard's gap into a causal story; System 2, slow and "
        "deliberate, compares like with like and asks who is in the sample, and that exposes it.",
        "D": "more data makes a biased comparison more precise, not less biased: the tenure "
        "confound would still be there with a million customers. Deliberate checking is needed.",
    },
    "1b907fceb7f130fd3d24",
)


@prediction(
    "2.within", "Your prediction of the like-with-like effect", options=("same", "half", "small")
)
def within_size(*, df: Any) -> tuple[str, str]:
    ratio = _within(df) / _naive(df)
    size = "same" if ratio > 0.75 else "half" if ratio > 0.25 else "small"
    return size, (
        f"Within tenure bands the difference is {_within(df):+.3f}, against the dashboard's "
        f"{_naive(df):+.3f} ({ratio:.0%} of it)."
    )


@cache
def _team_means(enable_mirages: bool) -> dict[str, dict[str, float]]:
    import twomountains as tm

    scenario = tm.Scenario().replace(enable_mirages=enable_mirages)
    means = {}
    for spec in SPECS:
        runs = [tm.run(scenario, spec, seed=seed).kpis for seed in SEEDS]
        means[spec] = {
            kpi: sum(k[kpi] for k in runs) / len(runs)
            for kpi in ("mirages_shipped", "value_delivered")
        }
    return means


@prediction("2.mirages", "Your prediction of who ships the most mirages", options=SPECS)
def most_mirages(*, mirages: Any) -> tuple[str, str]:
    most = max(mirages, key=lambda spec: mirages[spec]["mirages_shipped"])
    counts = ", ".join(f"{spec} {mirages[spec]['mirages_shipped']:.1f}" for spec in mirages)
    return most, f"Mirages shipped a year: {counts}."


@exercise("2.no-mirages", "Exercise 6")
def no_mirages(answer: Any, *, mirages: Any) -> Verdict:
    without = _team_means(False)
    gap_without = without["fixed:0.3"]["value_delivered"] - without["fixed:0.1"]["value_delivered"]
    gap_with = mirages["fixed:0.3"]["value_delivered"] - mirages["fixed:0.1"]["value_delivered"]
    if near(answer, gap_without, relative_tolerance(gap_without)):
        return Verdict(
            True,
            f"exploring 30% instead of 10% of each window changes value by {gap_with:+.0f} with "
            f"mirages and by {gap_without:+.0f} without them. The difference, "
            f"{gap_with - gap_without:+.0f}, is the part of that result that rests on the mirage "
            "assumption.",
        )
    value = as_number(answer)
    if abs(value - gap_with) < relative_tolerance(gap_with):
        return Verdict(
            False,
            "that is the gap with mirages switched on; the point is to change one assumption and "
            "hold everything else (seeds included) fixed.",
        )
    if abs(value + gap_without) < relative_tolerance(gap_without):
        return Verdict(False, "the sign is reversed: fixed:0.3 minus fixed:0.1.")
    return Verdict(
        False,
        "a counterfactual keeps the seeds and the policies and changes only the switch; compare "
        "the two teams' mean value over the same five seeds.",
    )
