"""Self-checks, predictions and "pick the closest option" questions for the labs.

A lab's self-check cell calls ``check("1.peak", answer_4, by_share=by_share)``: the expected
answer is computed here from the lab's own seeded tables (or from seeded runs made here), and a
multiple-choice answer is compared with a salted hash, so the notebook shows neither the answer
nor the recipe. Wrong answers get feedback that names the misconception behind them. A prediction
cell stores a guess before a run; ``reveal("1.peak", my_guess, by_share=by_share)`` then prints
it beside what the run shows (and says so when there was no guess).

Standard library only at import time; pandas, SciPy and the simulation are imported when a check
needs them.

>>> from twomountains.labs_support import check
>>> check("1.halving", None)
… Exercise 3: not answered yet. Replace the None above with your answer and re-run.
"""

from __future__ import annotations

from twomountains.labs_support import (
    lab01,
    lab02,
    lab03,
    lab04,
    lab05,
    lab06,
    lab07,
    lab08,
    lab09,
    lab10,
)
from twomountains.labs_support._core import (
    NOT_ANSWERED,
    Verdict,
    answer_digest,
    check,
    exercise_keys,
    prediction_keys,
    reveal,
    verdict,
)

__all__ = [
    "NOT_ANSWERED",
    "Verdict",
    "answer_digest",
    "check",
    "exercise_keys",
    "lab01",
    "lab02",
    "lab03",
    "lab04",
    "lab05",
    "lab06",
    "lab07",
    "lab08",
    "lab09",
    "lab10",
    "prediction_keys",
    "reveal",
    "verdict",
]
