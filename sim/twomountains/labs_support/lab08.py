"""Lab 8 · The classics: checks, questions and predictions."""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from twomountains.labs_support._core import (
    Verdict,
    as_number,
    difference_verdict,
    exercise,
    multiple_choice,
    near,
    prediction,
)

N_SIMS = 50_000


@cache
def _socialization() -> tuple[float, float, float]:
    """(better p1, its mean knowledge, the other's) for p2 = 0.9, 40 replications, seed 0."""
    from twomountains.classics import march1991

    table = march1991.sweep(p1=[0.1, 0.9], p2=0.9, replications=40, seed=0)
    best = table.loc[table["mean"].idxmax()]
    return float(best["p1"]), float(table["mean"].max()), float(table["mean"].min())


@exercise("8.slow", "Exercise 1")
def slow(answer: Any) -> Verdict:
    best_p1, high, low = _socialization()
    if near(answer, best_p1, 1e-9):
        return Verdict(
            True,
            f"p1 = {best_p1:g} reaches {high:.2f} against {low:.2f}: slow socialization keeps the "
            "diversity the code learns from.",
        )
    if as_number(answer) in (0.1, 0.9):
        return Verdict(
            False,
            "copying the code quickly looks efficient, but then the code has no one who differs "
            "from it to learn from. Run the sweep and let its means decide.",
        )
    return Verdict(False, "the answer is one of the two socialization rates, 0.1 or 0.9.")


@prediction("8.slow", "Your prediction of who learns more", options=("slow", "fast"))
def slow_or_fast() -> tuple[str, str]:
    best_p1, high, low = _socialization()
    return ("slow" if best_p1 < 0.5 else "fast"), (
        f"With p2 = 0.9, socialization rate {best_p1:g} reaches knowledge {high:.2f} against "
        f"{low:.2f} for the other (40 replications)."
    )


@cache
def _turnover_gain() -> tuple[float, float, float]:
    from twomountains.classics import march1991

    means = {
        p3: float(
            march1991.replicate(
                0.9, 0.5, p3=p3, periods=50, replications=60, seed=0
            ).knowledge.mean()
        )
        for p3 in (0.0, 0.1)
    }
    return means[0.1] - means[0.0], means[0.0], means[0.1]


@exercise("8.turnover", "Exercise 2")
def turnover(answer: Any) -> Verdict:
    gain, without, with_turnover = _turnover_gain()
    return difference_verdict(
        answer,
        gain,
        1e-9,
        right=(
            f"turnover 0.1 changes knowledge after 50 periods by {gain:+.2f} "
            f"({without:.2f} -> {with_turnover:.2f})."
        ),
        order="with turnover minus without",
        hint=(
            "common random numbers need exactly the same settings for both runs except the one you "
            "change (periods, replications and seed as given)."
        ),
    )


@exercise("8.reservation", "Exercise 3")
def reservation(answer: Any) -> Verdict:
    from twomountains.classics import pandora

    cost = 0.125
    want = pandora.reservation_value(cost, pandora.Uniform(0, 1))
    value = as_number(answer)
    if abs(value - want) < 1e-6:
        return Verdict(
            True,
            f"z = {want:.2f}: a box this costly is worth opening only while the best prize in "
            "hand is below it.",
        )
    if abs(value - (2 * cost) ** 0.5) < 1e-6:
        return Verdict(False, "that is how far z sits below the top of the range, not z itself.")
    if abs(value - (1 - 2 * cost)) < 1e-6:
        return Verdict(
            False,
            "the expected excess of a uniform prize over z falls with the *square* of the gap, so "
            "the gap is a square root.",
        )
    return Verdict(
        False,
        "z is the prize level at which opening the box just pays: its cost equals the expected "
        "amount by which the prize beats z.",
    )


def _boxes_key(boxes: Any) -> tuple[Any, ...]:
    return tuple((box.cost, repr(box.dist), box.name) for box in boxes)


_SEARCH_CACHE: dict[tuple[Any, ...], Any] = {}


def _search(boxes: Any, policy: Literal["optimal", "all"]) -> Any:
    from twomountains.classics import pandora

    key = (_boxes_key(boxes), policy)
    if key not in _SEARCH_CACHE:
        _SEARCH_CACHE[key] = pandora.expected_value(boxes, policy, n_sims=N_SIMS, seed=0)
    return _SEARCH_CACHE[key]


@exercise("8.stopping", "Exercise 4")
def stopping(answer: Any, *, boxes: Any) -> Verdict:
    from twomountains.classics import pandora

    optimal, everything = _search(boxes, "optimal"), _search(boxes, "all")
    gain = optimal.mean - everything.mean
    return difference_verdict(
        answer,
        gain,
        1e-9,
        right=(
            f"the rule earns {gain:+.3f} more than opening everything (exact value of the rule "
            f"{pandora.optimal_expected_value(boxes):.3f}, simulated {optimal.mean:.3f} ± "
            f"{2 * optimal.se:.3f})."
        ),
        order="optimal minus all",
        hint=(
            "both estimates must see the same prizes (same n_sims and seed) for their difference to "
            "be the rule's worth rather than luck."
        ),
    )


def _dearer(boxes: Any) -> Any:
    from twomountains.classics import pandora

    return [pandora.Box(2 * box.cost, box.dist, box.name) for box in boxes]


@exercise("8.dearer", "Exercise 5")
def dearer(answer: Any, *, boxes: Any) -> Verdict:
    opened = _search(_dearer(boxes), "optimal").mean_opened
    before = _search(boxes, "optimal").mean_opened
    if near(answer, opened, 1e-9):
        return Verdict(
            True,
            f"with doubled costs the rule opens {opened:.2f} boxes on average instead of "
            f"{before:.2f}.",
        )
    if near(answer, before, 1e-9):
        return Verdict(False, "that is the count at the original costs: double every box's cost.")
    return Verdict(
        False, "the same search rule, on boxes whose costs are all doubled; their prizes unchanged."
    )


@prediction("8.dearer", "Your prediction for dearer boxes", options=("more", "same", "fewer"))
def dearer_direction(*, boxes: Any) -> tuple[str, str]:
    opened = _search(_dearer(boxes), "optimal").mean_opened
    before = _search(boxes, "optimal").mean_opened
    direction = "more" if opened > before + 0.01 else "fewer" if opened < before - 0.01 else "same"
    return (
        direction,
        f"Boxes opened on average: {before:.2f} at the original costs, {opened:.2f} doubled.",
    )


multiple_choice(
    "8.why-slow",
    "Exercise 6",
    {
        "A": "slow learners start from the same random beliefs as everyone; their advantage is "
        "what they keep, not what they know.",
        "B": "the code still learns from the people who beat it; slow learners are who it learns "
        "from, so it matters more, not less.",
        "C": "copying is exact in March's model; the trouble is copying too soon, before the code "
        "knows much.",
        "D": "slow learners keep diverse beliefs long enough for the code to learn from those who "
        "happen to be right, before everyone converges on what the code believes.",
    },
    "b746903a70082968b929",
)
