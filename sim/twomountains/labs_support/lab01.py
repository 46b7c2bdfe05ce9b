"""Lab 1 · First climb: checks, questions and predictions."""

from __future__ import annotations

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


def _hours_share(result: Any) -> float:
    return float(result.kpis["exploration_hours"] / result.kpis["hours_worked"])


@exercise("1.hours", "Exercise 1")
def hours(answer: Any, *, result: Any) -> Verdict:
    share = _hours_share(result)
    setting = float(result.policy.split(":")[1]) if result.policy.startswith("fixed:") else None
    if near(answer, share, 0.005):
        against = (
            f" The policy's setting, {setting:g}, is a share of each project's calendar window, "
            "not of hours; hours also go to the platform, maintenance and incidents."
            if setting is not None
            else ""
        )
        return Verdict(True, f"{share:.0%} of the hours went to exploration.{against}")
    value = as_number(answer)
    if value > 1:
        return Verdict(False, "a share lies between 0 and 1; an hour count is not a share.")
    if setting is not None and abs(value - setting) < 0.005:
        return Verdict(
            False,
            f"{setting:g} is the policy's setting, a share of each project's calendar window. "
            "The question is about hours actually worked, which the KPIs record.",
        )
    realized = result.kpis.get("explore_share_realized")
    if realized is not None and abs(value - realized) < 0.005:
        return Verdict(
            False,
            "explore_share_realized compares exploration with exploration plus MLOps hours only; "
            "the question asks for its share of all hours worked (hours_worked).",
        )
    return Verdict(
        False,
        "a share of hours compares exploration with everything the team worked (all activities), "
        "not with one other activity.",
    )


def _value_row(summary: Any) -> Any:
    return summary.set_index("kpi").loc["value_delivered"]


# A learner may read the half-width off the printed table (two decimals) or round it to the
# nearest unit, as the check's own message does: both are right, so the check allows 0.1%.
HALF_WIDTH_TOLERANCE = 0.001


@exercise("1.half-width", "Exercise 2")
def half_width(answer: Any, *, summary: Any) -> Verdict:
    row = _value_row(summary)

    def matches(expected: float) -> bool:
        return near(answer, expected, relative_tolerance(expected, HALF_WIDTH_TOLERANCE))

    if matches(row["half_width"]):
        return Verdict(
            True,
            f"value delivered is {row['mean']:.0f} ± {row['half_width']:.0f} "
            f"(95%, {int(row['n'])} replications).",
        )
    if matches(row["ci_high"] - row["ci_low"]):
        return Verdict(
            False,
            "that is the interval's full width; the half-width runs from the mean to one end.",
        )
    # The table prints the relative half-width with two decimals.
    if "rel_half_width" in row and near(answer, row["rel_half_width"], 0.005):
        return Verdict(
            False,
            "that is the relative half-width, a share of the mean; the question asks for the "
            "half-width itself, in units of value.",
        )
    if matches(row["sd"]):
        return Verdict(
            False,
            "that is the spread of single runs (the standard deviation). The interval is about "
            "the mean, which varies far less than one run does.",
        )
    if matches(row["mean"]) or matches(row["ci_low"]) or matches(row["ci_high"]):
        return Verdict(
            False,
            "that is the mean or one end of the interval, not how far the interval reaches "
            "from the mean.",
        )
    return Verdict(False, "the half-width is a column of summary, in the row of the KPI asked for.")


multiple_choice(
    "1.halving",
    "Exercise 3",
    {
        "A": "twice the replications would halve it only if precision grew in proportion to the "
        "number of runs; it grows with the square root of that number.",
        "B": "ten times the replications cut it to about a third (1/sqrt(10)): that overshoots, "
        "as if precision grew faster than the square root of the number of runs.",
        "C": "the half-width shrinks like 1/sqrt(n): four times the replications halve it.",
        "D": "this confuses the spread of single runs, which more runs do not change, with the "
        "uncertainty of their mean, which they do: that is why we replicate.",
    },
    "f984de2db3a307dfb819",
)


def _best(by_share: Any) -> Any:
    return by_share.loc[by_share["mean"].idxmax()]


@exercise("1.peak", "Exercise 4")
def peak(answer: Any, *, by_share: Any) -> Verdict:
    best = _best(by_share)
    share = float(best["explore_share"])
    if near(answer, share, 1e-9):
        where = (
            "an interior split in these runs; Exercise 5 asks whether its neighbours, and the "
            "ends, can be told apart from it"
            if 0 < share < 1
            else "an extreme: in these runs one mountain alone gives the highest mean, a finding "
            "to question rather than hide"
        )
        return Verdict(True, f"mean value peaks at explore share {share:g}, {where}.")
    value = as_number(answer)
    shares = [float(s) for s in by_share["explore_share"]]
    if value > 1:
        return Verdict(
            False, "that looks like a value delivered; the question asks *where* (which share)."
        )
    if abs(value - 0.4) < 1e-9:
        return Verdict(
            False,
            "0.4 is the default policy's split. A default is a convention somebody chose, not "
            "the optimum; let the sweep decide.",
        )
    if not any(abs(value - s) < 1e-9 for s in shares):
        return Verdict(False, "the answer is one of the swept explore shares in the table.")
    if value in (min(shares), max(shares)):
        return Verdict(
            False,
            "that is an end of the sweep, one mountain (almost) alone; compare its mean in the "
            "table with the others before calling it the peak.",
        )
    return Verdict(
        False,
        "near the top the curve is flat and noisy, so reading it by eye misleads; the table has "
        "the exact means.",
    )


def _plausible(by_share: Any) -> list[float]:
    low = _best(by_share)["ci_low"]
    return sorted(float(s) for s in by_share.loc[by_share["ci_high"] >= low, "explore_share"])


@exercise("1.plausible", "Exercise 5")
def plausible(answer: Any, *, by_share: Any) -> Verdict:
    want = _plausible(by_share)
    given = [round(float(x), 6) for x in answer]
    if given == [round(x, 6) for x in want]:
        return Verdict(
            True,
            f"with these replications the shares {want} are all plausible optima. The figure's "
            "circles come from a sharper test, paired differences on the same seeds (Lab 7), and "
            "may keep fewer.",
        )
    best = float(_best(by_share)["explore_share"])
    if given == [round(best, 6)]:
        return Verdict(
            False,
            "only the best share: that treats the highest mean as certain. Its neighbours' "
            "intervals may reach it.",
        )
    if given != sorted(given):
        return Verdict(False, "the list should be sorted from low to high.")
    if set(given) > {round(x, 6) for x in want}:
        return Verdict(
            False, "some shares you kept have intervals that lie wholly below the best one's."
        )
    if round(best, 6) in given and set(given) < {round(x, 6) for x in want}:
        return Verdict(
            False,
            "you left out shares whose ci_high still reaches the best share's ci_low. If you took "
            "the figure's circles: they come from a sharper, paired test; this exercise asks "
            "for the overlap of the intervals in the table.",
        )
    return Verdict(
        False,
        "overlap means one share's best case (its ci_high) reaches the best share's worst case "
        "(its ci_low); compare those two ends, not the means.",
    )


multiple_choice(
    "1.one-run",
    "Exercise 6",
    {
        "A": "this treats one run as the answer. Each policy's year depends on its seed: other "
        "seeds bring other projects and framings, and a gap of this size can be luck.",
        "B": "different seeds and one run each mix the policy's effect with the luck of the "
        "year; replicate both policies on the same seeds and compare the paired differences.",
        "C": "this trusts the default as if it were the tuned optimum; a default is a convention, "
        "and one run each tells you nothing either way.",
        "D": "this confuses determinism with certainty: the same seed gives the same year, but "
        "different seeds give different years, so the gap mixes policy and luck.",
    },
    "faf5717b2b2484666b69",
)


@prediction("1.spread", "Your prediction of the spread across seeds", close=0.1)
def spread(*, reps: Any) -> tuple[float, str]:
    values = reps["value_delivered"]
    width = float((values.max() - values.min()) / values.mean())
    return width, (
        f"The {len(values)} seeds range from {values.min():.0f} to {values.max():.0f} around a "
        f"mean of {values.mean():.0f}, with the same team and policy: one run is an anecdote."
    )


@prediction("1.peak", "Your prediction of where value peaks", close=0.1)
def peak_share(*, by_share: Any) -> tuple[float, str]:
    best = _best(by_share)
    ends = by_share.set_index("explore_share")["mean"]
    plausible_shares = _plausible(by_share)
    return float(best["explore_share"]), (
        f"Mean value is {best['mean']:.0f} there, {ends.iloc[0]:.0f} at share "
        f"{ends.index[0]:g} and {ends.iloc[-1]:.0f} at share {ends.index[-1]:g}; the shares "
        f"{plausible_shares} cannot be told apart from the peak with these replications."
    )
