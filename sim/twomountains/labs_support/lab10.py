"""Lab 10 · Fit the model to a team: checks, questions and predictions.

The lab passes in its own tables: ``problems`` (what ``records.validate`` found in the corrupted
copy), ``table`` (one row per fitted parameter: ``parameter``, ``truth``, ``estimate``, ``low``,
``high``, ``prior_low``, ``prior_high``, ``scale``; see :func:`parameter_table`) and
``differences`` (one row per policy compared with the team's own: ``policy``, ``mean``, ``low``,
``high`` of the paired difference in the primary KPI; see :func:`paired_differences`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from twomountains.labs_support._core import (
    Verdict,
    as_number,
    exercise,
    multiple_choice,
    prediction,
)

#: The corrupted cell of the lab's copy of hours.csv: the DataFrame row (0-based index) and column.
CORRUPT_INDEX = 2
CORRUPT_COLUMN = "build"
CORRUPT_VALUE = -4.0
#: The verdicts of the lab's decision rule on a paired difference's 95% interval.
DECISIONS = ("better", "worse", "cannot tell")


# --- tables the lab builds (so the notebook shows how, and the checks read the same) -----------


def prior_share(low: float, high: float, prior_low: float, prior_high: float, scale: str) -> float:
    """The share of the prior's range that the interval [low, high] covers, on the prior's scale.

    >>> round(prior_share(1.0, 10.0, 1.0, 100.0, "log"), 3)
    0.5
    >>> prior_share(2.0, 4.0, 0.0, 8.0, "linear")
    0.25
    """
    if scale == "log":
        return math.log(high / low) / math.log(prior_high / prior_low)
    return (high - low) / (prior_high - prior_low)


def parameter_table(params: Mapping[str, Mapping[str, float]], truth: Mapping[str, float]) -> Any:
    """One row per fitted parameter: truth, estimate, interval, prior range and scale, and the
    share of the prior's range the interval covers."""
    import pandas as pd

    from twomountains.fit.parameters import PRIORS

    rows = []
    for name, fitted in params.items():
        prior = PRIORS[name]
        rows.append(
            {
                "parameter": name,
                "truth": float(truth[name]),
                "estimate": float(fitted["estimate"]),
                "low": float(fitted["low"]),
                "high": float(fitted["high"]),
                "prior_low": prior.low,
                "prior_high": prior.high,
                "scale": prior.scale,
            }
        )
    table = pd.DataFrame(rows)
    table["share_of_prior"] = [
        prior_share(r.low, r.high, r.prior_low, r.prior_high, r.scale) for r in table.itertuples()
    ]
    return table


def _outside(table: Any) -> list[str]:
    mask = (table["truth"] < table["low"]) | (table["truth"] > table["high"])
    return sorted(str(p) for p in table.loc[mask, "parameter"])


def _as_names(answer: Any) -> list[str]:
    if isinstance(answer, str):
        raise TypeError("expected a list of parameter names, such as ['repair_hours'] (or [])")
    return sorted(str(x) for x in answer)


# --- section 2: validating records --------------------------------------------------------------


def _corrupted(problems: Sequence[Any]) -> Any:
    found = [p for p in problems if p.file == "hours.csv" and p.column == CORRUPT_COLUMN]
    if len(found) != 1:
        raise ValueError(
            f"expected one problem in hours.csv, column {CORRUPT_COLUMN}; found {len(found)}"
        )
    return found[0]


@exercise("10.line", "Exercise 1")
def line(answer: Any, *, problems: Sequence[Any]) -> Verdict:
    want = _corrupted(problems).row
    given = as_number(answer)
    if given == want:
        return Verdict(
            True,
            f"line {want}: the header is line 1, so the DataFrame row with index "
            f"{CORRUPT_INDEX} is line {CORRUPT_INDEX} + 2. That is the line a text editor or a "
            "spreadsheet shows, which is where the person fixing the export will look.",
        )
    if given == CORRUPT_INDEX:
        return Verdict(
            False,
            "that is pandas' index, which counts data rows from 0. The validator names the line "
            "of the file, as an editor shows it, and the file starts with a header.",
        )
    if given == CORRUPT_INDEX + 1:
        return Verdict(
            False,
            "that counts data rows from 1 but forgets the header: line 1 of a CSV file is its "
            "header, so the first data row is line 2.",
        )
    return Verdict(
        False,
        "count lines of the file as an editor does: the header is line 1, the data row with "
        "index 0 is line 2.",
    )


multiple_choice(
    "10.missing",
    "Exercise 2",
    {
        "A": "a row of zeros says the person was present and worked no hours: it pulls every "
        "mean of hours down and invents weeks of rest. A week nobody recorded is missing, and "
        "the fit's measurement model treats missing weeks as missing.",
        "B": "a missing week is a missing row: the records say nothing about it, and the fit "
        "compares like with like because the simulated records lose weeks the same way.",
        "C": "a team mean is a made-up observation: it shrinks the spread of hours and makes "
        "the team look more regular than it was. Imputation, if any, belongs to the analysis, "
        "stated, not to the records.",
        "D": "the validator checks the format, not the truth: a row of zeros is valid CSV. "
        "Whether a value is right is for the person who knows the team to decide.",
    },
    "f35de40872695a466487",
)


# --- section 3: the fit and the truth -----------------------------------------------------------


@prediction("10.inside", "Your prediction of how many true values lie inside their 95% intervals")
def inside(*, table: Any) -> tuple[float, str]:
    outside = _outside(table)
    n = len(table)
    said = (
        "every true value lies inside its interval"
        if not outside
        else f"outside: {', '.join(outside)}"
    )
    return float(n - len(outside)), f"Of {n} fitted parameters, {said}."


@exercise("10.outside", "Exercise 3")
def outside(answer: Any, *, table: Any) -> Verdict:
    want = _outside(table)
    given = _as_names(answer)
    unknown = [g for g in given if g not in set(table["parameter"])]
    if unknown:
        return Verdict(
            False,
            f"{unknown} are not fitted parameters; use the names in the table's 'parameter' "
            "column.",
        )
    if given == want:
        return Verdict(
            True,
            "right: "
            + (
                "every true value lies inside its 95% interval on this team."
                if not want
                else f"the truth lies outside the interval for {want}."
            )
            + " An estimate is never exactly the truth; the interval is the fit's claim, and "
            "the truth inside it is what makes the claim honest.",
        )
    if len(given) == len(table):
        return Verdict(
            False,
            "no estimate equals its truth exactly, but that is not the test: compare the truth "
            "with the interval's ends, low and high, not with the estimate.",
        )
    return Verdict(
        False,
        "a parameter is outside when its truth is below 'low' or above 'high'; compare the "
        "truth column with both ends, row by row.",
    )


multiple_choice(
    "10.miss",
    "Exercise 4",
    {
        "A": "a 95% interval misses one time in twenty by design, and with six of them the "
        "chance that at least one misses is about 1 - 0.95^6, roughly one in four, even when "
        "the fit is exact. Whether the intervals are right is a question about many teams: the "
        "coverage test fits repeated synthetic teams and counts.",
        "B": "one miss does not show a broken fit: even an exact fit's 95% intervals miss "
        "sometimes, and with several parameters a miss somewhere is common. A fit is checked "
        "over many synthetic teams (coverage), not on one.",
        "C": "a 99% interval would contain the truth more often on every team, including teams "
        "where it was not needed: choosing the level after seeing the miss makes the interval "
        "report your wish, not the data.",
        "D": "refitting with other seeds until every truth is inside is optional stopping: the "
        "interval you keep is the one that agrees with what you already knew, which a real "
        "team never lets you know.",
    },
    "add52e89954c9c066003",
)


# --- section 5: a parameter the data do not inform ----------------------------------------------


@prediction(
    "10.uninformed",
    "Your prediction of the parameter the records inform least",
)
def uninformed(*, table: Any) -> tuple[str, str]:
    widest = table.sort_values("share_of_prior", ascending=False).iloc[0]
    listing = "; ".join(
        f"{r.parameter} {r.share_of_prior:.0%}"
        for r in table.sort_values("share_of_prior", ascending=False).itertuples()
    )
    return str(widest["parameter"]), f"Share of the prior's range each interval covers: {listing}."


@exercise("10.share", "Exercise 5")
def share(answer: Any, *, table: Any, parameter: str) -> Verdict:
    row = table.set_index("parameter").loc[parameter]
    want = float(row["share_of_prior"])
    given = as_number(answer)
    if abs(given - want) <= 0.005:
        if want > 0.8:
            verdict = (
                "nearly the whole prior: the records hardly narrow it, and its estimate is "
                "little more than the middle of the prior."
            )
        elif want > 0.5:
            verdict = "most of the prior survives: the records narrow it only a little."
        else:
            verdict = "the records narrow it well below the prior."
        return Verdict(True, f"{want:.2f} of the prior's range: {verdict}")
    linear = (row["high"] - row["low"]) / (row["prior_high"] - row["prior_low"])
    if row["scale"] == "log" and abs(given - linear) <= 0.005:
        return Verdict(
            False,
            "that measures the widths on the natural scale, but this prior is uniform on the log "
            "scale (twice as likely as half as likely): compare log(high / low) with "
            "log(prior_high / prior_low).",
        )
    if abs(given - 100 * want) <= 0.5:
        return Verdict(False, "give the share as a fraction between 0 and 1, not a percentage.")
    if abs(given - (1 - want)) <= 0.005:
        return Verdict(
            False, "that is the share the interval leaves out; the question asks what it covers."
        )
    return Verdict(
        False,
        "divide the interval's width by the prior's width, both on the prior's scale (the "
        "'scale' column).",
    )


multiple_choice(
    "10.report",
    "Exercise 6",
    {
        "A": "an estimate whose interval is nearly the prior is the prior's middle, not a "
        "finding about the team: reporting it as the team's value turns an assumption into a "
        "result.",
        "B": "fixing it at a preset value hides the uncertainty the records leave: the "
        "counterfactuals then look more certain than the records allow.",
        "C": "say that the records do not inform it (its interval is nearly its prior), keep "
        "its whole posterior in the counterfactuals so their intervals stay honest, and say "
        "what records would inform it (more people, more years, more teams).",
        "D": "a narrower prior gives a narrower interval because you said so: the result then "
        "reports the prior you picked. A prior may be narrowed only with evidence from outside "
        "these records, cited.",
    },
    "82b072e2dc4aaddd2b1c",
)


# --- section 6: policies compared on the fitted team --------------------------------------------


def _signed(x: float) -> str:
    """A difference with its sign, in the units a reader expects (+607, -0.043).

    >>> _signed(1200.03), _signed(-0.0431)
    ('+1,200', '-0.0431')
    """
    return f"{x:+,.0f}" if abs(x) >= 100 else f"{x:+.3g}"


def _decision(low: float, high: float) -> str:
    if low > 0:
        return "better"
    if high < 0:
        return "worse"
    return "cannot tell"


@prediction(
    "10.better",
    "Your prediction of the decision rule's verdict for the alternative policy",
    options=DECISIONS,
)
def better(*, differences: Any, policy: str) -> tuple[str, str]:
    row = differences.set_index("policy").loc[policy]
    return _decision(row["low"], row["high"]), (
        f"The paired difference {policy} minus the team's policy is {_signed(row['mean'])} "
        f"(95% interval {_signed(row['low'])} to {_signed(row['high'])})."
    )


@exercise("10.decision", "Exercise 7")
def decision(answer: Any, *, differences: Any, summary: Any, policy: str, baseline: str) -> Verdict:
    row = differences.set_index("policy").loc[policy]
    want = _decision(row["low"], row["high"])
    given = str(answer).strip().lower()
    if given not in DECISIONS:
        return Verdict(False, f"answer with one of {', '.join(repr(d) for d in DECISIONS)}.")
    if given == want:
        return Verdict(
            True,
            f"the paired difference's interval ({_signed(row['low'])} to {_signed(row['high'])}) "
            + (
                "contains zero, so the rule says the study cannot tell."
                if want == "cannot tell"
                else f"lies {'above' if want == 'better' else 'below'} zero, so {policy} is "
                f"{want} on this fitted team, by the rule stated before the run."
            ),
        )
    by_overlap = _overlap_decision(summary, policy, baseline)
    if given == by_overlap:
        return Verdict(
            False,
            "that reads whether the two policies' own intervals overlap. The runs are paired "
            "(same parameter draw, same seed), so the rule reads the interval of the paired "
            "difference: overlapping intervals can still hide a clear paired difference.",
        )
    if given != "cannot tell" and want == "cannot tell":
        return Verdict(
            False,
            "the mean difference has a sign, but its interval contains zero: the rule needs the "
            "whole interval on one side.",
        )
    return Verdict(False, "read the low and high of the paired difference: are both above zero?")


def _overlap_decision(summary: Any, policy: str, baseline: str) -> str:
    rows = summary.set_index("policy")
    a, b = rows.loc[policy], rows.loc[baseline]
    if a["low"] > b["high"]:
        return "better"
    if a["high"] < b["low"]:
        return "worse"
    return "cannot tell"


multiple_choice(
    "10.tell",
    "Exercise 8",
    {
        "A": "the number is the model's, under its mechanisms and the fitted parameters, not a "
        "forecast for the team: a promise of a gain turns a conditional model result into a "
        "prediction the model cannot make.",
        "B": "the fit reproducing the records shows the model can mimic this team, not that its "
        "mechanisms are the team's: other models might fit as well and say otherwise.",
        "C": "tell them what the model, fitted to their records, implies, with its interval and "
        "its assumptions, and propose a trial of the change with outcomes and a decision rule "
        "agreed in advance: the model suggests, the trial tests.",
        "D": "a model that cannot forecast can still be useful: it shows which policies are "
        "worth a trial and what to measure. Saying nothing throws that away.",
    },
    "76c63b046adf4284b7b7",
)
