"""Lab 7 · Research methods: checks, questions and predictions."""

from __future__ import annotations

from typing import Any

from twomountains.labs_support._core import (
    Verdict,
    as_number,
    exercise,
    multiple_choice,
    prediction,
    relative_tolerance,
)


@exercise("7.interval", "Exercise 1")
def interval(answer: Any, *, summary: Any, reps: Any) -> Verdict:
    row = summary.set_index("kpi").loc["value_delivered"]
    low, high = (float(x) for x in answer)
    if abs(low - row["ci_low"]) < relative_tolerance(row["ci_low"]) and abs(
        high - row["ci_high"]
    ) < relative_tolerance(row["ci_high"]):
        return Verdict(
            True,
            f"the 95% interval is ({row['ci_low']:.0f}, {row['ci_high']:.0f}); it matches "
            "study.summarize.",
        )
    values = reps["value_delivered"]
    n, mean = len(values), float(values.mean())
    half = (high - low) / 2
    if abs(half - 1.96 * float(values.std(ddof=1)) / n**0.5) < 1e-6 * max(1.0, half):
        return Verdict(
            False,
            f"1.96 is the normal quantile; with {n} replications the sd is itself uncertain, and "
            f"t with {n - 1} degrees of freedom is wider.",
        )
    if abs(half - row["half_width"] * float(values.std(ddof=0)) / row["sd"]) < 1e-6 * max(
        1.0, half
    ):
        return Verdict(
            False, "that uses the population sd (ddof=0); a sample's sd divides by n - 1."
        )
    if abs(half - row["half_width"] * n**0.5) < 1e-6 * max(1.0, half):
        return Verdict(
            False,
            "that interval is for one more run, not for the mean: the mean of n runs varies "
            "sqrt(n) times less than one run.",
        )
    if abs((low + high) / 2 - mean) > relative_tolerance(mean):
        return Verdict(False, "the interval is centred on the mean of the replications.")
    return Verdict(False, "the half-width is t(0.975, n - 1) · sd / sqrt(n).")


def _ratio(paired_half_width: float, welch_ci: Any) -> float:
    return paired_half_width / ((welch_ci.high - welch_ci.low) / 2)


@exercise("7.crn", "Exercise 2")
def crn(answer: Any, *, paired_half_width: float, welch_ci: Any) -> Verdict:
    ratio = _ratio(paired_half_width, welch_ci)
    value = as_number(answer)
    if abs(value - ratio) < 1e-6:
        return Verdict(
            True,
            f"the paired interval is {ratio:.2f} times as wide as the independent one: worth "
            f"about {1 / ratio**2:.1f} times the replications.",
        )
    if abs(value - 1 / ratio) < 1e-6:
        return Verdict(
            False, "the ratio is upside down: paired over independent, so below 1 if pairing helps."
        )
    return Verdict(
        False,
        "compare like with like: both are half-widths of 95% intervals of the same difference, "
        "one from paired seeds, one from independent seeds.",
    )


@prediction("7.crn", "Your prediction of the width ratio", close=0.15)
def crn_ratio(*, paired_half_width: float, welch_ci: Any) -> tuple[float, str]:
    ratio = _ratio(paired_half_width, welch_ci)
    return ratio, (
        f"Paired seeds give an interval {ratio:.2f} times as wide as independent seeds, with the "
        "same number of runs."
    )


@exercise("7.screen", "Exercise 3")
def screen(answer: Any, *, morris: Any) -> Verdict:
    top = str(morris.loc[morris["mu_star"].idxmax(), "parameter"])
    if answer == top:
        return Verdict(
            True,
            f"{top} matters most for burnout risk in these ranges "
            f"(mu* = {morris['mu_star'].max():.3f}).",
        )
    if answer not in set(morris["parameter"]):
        return Verdict(
            False, f"answer with one of the parameter names: {list(morris['parameter'])}."
        )
    if answer == str(morris.loc[morris["sigma"].idxmax(), "parameter"]):
        return Verdict(
            False,
            "that one has the largest sigma, which flags non-linearity or interactions; "
            "influence is mu_star.",
        )
    return Verdict(False, "influence is mu_star, the mean size of a parameter's effects.")


@prediction(
    "7.screen",
    "Your prediction of the most influential parameter",
    options=("deadline_weeks", "project_interval_weeks", "team_size", "mirage_share"),
)
def top_parameter(*, morris: Any) -> tuple[str, str]:
    ranked = morris.sort_values("mu_star", ascending=False)
    order = ", ".join(
        f"{p} {m:.3f}" for p, m in zip(ranked["parameter"], ranked["mu_star"], strict=True)
    )
    return str(ranked["parameter"].iloc[0]), f"mu_star from high to low: {order}."


def _accuracy(rule: Any, space: Any) -> float:
    name, direction, threshold = rule
    if direction not in ("<", ">"):
        raise ValueError(f"direction: got {direction!r}; allowed: '<' or '>'")
    predicted = space[name] < threshold if direction == "<" else space[name] > threshold
    return float((predicted == space["high_risk"]).mean())


@exercise("7.rule", "Exercise 4")
def rule(answer: Any, *, space: Any, ranges: Any) -> Verdict:
    best = max(
        _accuracy((name, direction, t), space)
        for name in ranges
        for t in space[name].unique()
        for direction in ("<", ">")
    )
    mine = _accuracy(answer, space)
    if mine >= best - 0.02:
        return Verdict(
            True,
            f"your rule classifies {mine:.0%} of the scenarios correctly (the best one-line "
            f"rule: {best:.0%}). Found on 40 points, it is a hypothesis: test it on a fresh sample.",
        )
    base = float(max(space["high_risk"].mean(), 1 - space["high_risk"].mean()))
    if mine <= base:
        return Verdict(
            False,
            f"your rule classifies {mine:.0%} correctly, no better than calling every scenario "
            f"the same ({base:.0%}): check the direction of the inequality.",
        )
    return Verdict(
        False,
        f"your rule reaches {mine:.0%}, the best one-line rule {best:.0%}: a threshold picked by "
        "eye from the scatter is rarely the best one; search them.",
    )


multiple_choice(
    "7.sigma",
    "Exercise 5",
    {
        "A": "a large mu_star says the parameter matters; sigma says how much its effect varies.",
        "B": "sigma is not a standard error: it is the spread of the parameter's elementary "
        "effects across the space, a property of the model, not of the sample.",
        "C": "the parameter's effect depends on where you are in the space: it is non-linear, or "
        "it interacts with other parameters. Sobol's ST minus S1 measures the interactions.",
        "D": "mu_star averages the *absolute* effects, so it has no sign; the sign is in mu.",
    },
    "bf0f4f4764587091b6b5",
)
