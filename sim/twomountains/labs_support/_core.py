"""The machinery behind the labs' self-checks, predictions and multiple-choice questions.

Standard library only: the labs pass in their own tables (pandas objects), and the checks use those
objects' methods without importing pandas here.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from twomountains.errors import UsageError

# Multiple-choice answers are stored as salted hashes, so reading this package does not show them
# at a glance. It is a courtesy to learners who want to try first, not a secret: four letters are
# easy to try one by one.
SALT = "two-mountains-labs"

NOT_ANSWERED = "not answered yet. Replace the None above with your answer and re-run."


@dataclass(frozen=True)
class Verdict:
    """The outcome of a self-check: right or not, and what to say about it."""

    ok: bool
    message: str  # right: what the answer means; wrong: the misconception to reconsider


Checker = Callable[..., Verdict]


@dataclass(frozen=True)
class Exercise:
    """An exercise whose answer is checked against what this package computes from the lab's data."""

    key: str
    label: str
    checker: Checker


@dataclass(frozen=True)
class MultipleChoice:
    """A "pick the closest option" question: one feedback per option, the right one hashed."""

    key: str
    label: str
    feedback: Mapping[str, str]  # option letter -> what choosing it says about the reasoning
    digest: str  # answer_digest(key, right letter)


@dataclass(frozen=True)
class Prediction:
    """A prediction prompt: what the run shows, to put beside the learner's guess.

    ``actual(**data)`` returns ``(value, description)``: a number (for ``options=None``) or one of
    ``options``, and a sentence that explains it from the run.
    """

    key: str
    label: str
    actual: Callable[..., tuple[Any, str]]
    options: Sequence[str] | None = None  # None: a numeric guess
    close: float = 0.0  # a numeric guess within this of the value counts as close


# Exercises and questions share one set of keys; predictions have their own (a prediction often
# shares its key with the exercise whose result it anticipates).
_REGISTRY: dict[str, Exercise | MultipleChoice] = {}
_PREDICTIONS: dict[str, Prediction] = {}


def answer_digest(key: str, letter: str) -> str:
    """The salted hash under which the right option of multiple-choice question ``key`` is stored."""
    return hashlib.sha256(f"{SALT}|{key}|{letter.upper()}".encode()).hexdigest()[:20]


def exercise(key: str, label: str) -> Callable[[Checker], Checker]:
    """Register ``checker(answer, **data) -> Verdict`` as the self-check of exercise ``key``."""

    def register(checker: Checker) -> Checker:
        _add(Exercise(key, label, checker))
        return checker

    return register


def multiple_choice(key: str, label: str, feedback: Mapping[str, str], digest: str) -> None:
    """Register a multiple-choice question (``feedback`` maps each option letter to its text)."""
    _add(MultipleChoice(key, label, dict(feedback), digest))


def prediction(
    key: str,
    label: str,
    options: Sequence[str] | None = None,
    close: float = 0.0,
) -> Callable[[Callable[..., tuple[Any, str]]], Callable[..., tuple[Any, str]]]:
    """Register ``actual(**data) -> (value, description)`` as prediction prompt ``key``."""

    def register(actual: Callable[..., tuple[Any, str]]) -> Callable[..., tuple[Any, str]]:
        if key in _PREDICTIONS:
            raise ValueError(f"labs_support: prediction {key!r} registered twice")
        _PREDICTIONS[key] = Prediction(
            key, label, actual, tuple(options) if options else None, close
        )
        return actual

    return register


def _add(item: Exercise | MultipleChoice) -> None:
    if item.key in _REGISTRY:
        raise ValueError(f"labs_support: key {item.key!r} registered twice")
    _REGISTRY[item.key] = item


def _lookup(key: str) -> Exercise | MultipleChoice:
    try:
        return _REGISTRY[key]
    except KeyError:
        allowed = ", ".join(sorted(_REGISTRY))
        raise UsageError(f"key: got {key!r}; allowed: one of {allowed}") from None


def exercise_keys() -> list[str]:
    """Every registered exercise and question key."""
    return sorted(_REGISTRY)


def prediction_keys() -> list[str]:
    """Every registered prediction key."""
    return sorted(_PREDICTIONS)


def verdict(key: str, answer: Any, **data: Any) -> Verdict | None:
    """Check ``answer`` to exercise or question ``key``; None while it is unanswered."""
    item = _lookup(key)
    if answer is None:
        return None
    if isinstance(item, MultipleChoice):
        return _choose(item, answer)
    try:
        return item.checker(answer, **data)
    except Exception as err:  # a malformed answer is a wrong answer, with the reason
        return Verdict(
            False,
            f"your answer could not be checked ({type(err).__name__}: {err}); "
            "look again at the form the exercise asks for.",
        )


def _choose(item: MultipleChoice, answer: Any) -> Verdict:
    letter = str(answer).strip().upper()
    if letter not in item.feedback:
        options = ", ".join(f'"{option}"' for option in item.feedback)
        return Verdict(False, f"answer with one letter: {options}.")
    return Verdict(answer_digest(item.key, letter) == item.digest, item.feedback[letter])


def check(key: str, answer: Any, **data: Any) -> None:
    """Print the self-check of exercise or question ``key``: ✓, ✗ with a hint, or unanswered."""
    item = _lookup(key)
    result = verdict(key, answer, **data)
    if result is None:
        print(f"… {item.label}: {NOT_ANSWERED}")
    elif result.ok:
        print(f"✓ {item.label}: {result.message}")
    else:
        print(f"✗ {item.label}: not yet. {result.message}")


def reveal(key: str, guess: Any, **data: Any) -> None:
    """Print the learner's prediction ``guess`` beside what the run shows."""
    try:
        item = _PREDICTIONS[key]
    except KeyError:
        allowed = ", ".join(sorted(_PREDICTIONS))
        raise UsageError(f"key: got {key!r}; allowed: one of {allowed}") from None
    print(comparison(item, guess, *item.actual(**data)))


def comparison(item: Prediction, guess: Any, value: Any, description: str) -> str:
    """The sentence that puts a guess beside the run's value."""
    shown = _show(value)
    if guess is None:
        return (
            f"{item.label}: you did not predict. The run says {shown}. {description} "
            "Next time, write a guess first: a committed guess is what makes a surprise visible."
        )
    if item.options is not None:
        choice = str(guess).strip().lower()
        allowed = [option.lower() for option in item.options]
        if choice not in allowed:
            options = ", ".join(f'"{option}"' for option in item.options)
            return f"{item.label}: your prediction {guess!r} is not one of {options}. {description}"
        verdict_text = (
            "as you predicted" if choice == str(value).lower() else "not what you predicted"
        )
        return f"{item.label}: you predicted {guess!r}; the run says {shown}, {verdict_text}. {description}"
    try:
        number = float(guess)
    except (TypeError, ValueError):
        return f"{item.label}: your prediction {guess!r} is not a number. {description}"
    gap = number - float(value)
    if math.isclose(gap, 0.0, abs_tol=max(item.close, 1e-12)):
        closeness = "close"
    else:
        # Said of the guess, not of the run: "the run says 0.1 (above it by 0.4)" read as if
        # the run were the higher one.
        closeness = f"your guess was {_show(abs(gap))} too {'high' if gap > 0 else 'low'}"
    return f"{item.label}: you predicted {_show(number)}; the run says {shown} ({closeness}). {description}"


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"
    if isinstance(value, str):
        return repr(value)
    return str(value)


# Small helpers shared by the labs' checks ---------------------------------------------------------


def as_number(answer: Any) -> float:
    """The answer as a float; a clear error when it is not a single number."""
    if (
        isinstance(answer, bool | str)
        or not isinstance(answer, int | float)
        and not hasattr(answer, "__float__")
    ):
        several = hasattr(answer, "__len__") and not isinstance(answer, str)
        hint = " of several values; pick one, e.g. with .loc[row, column]" if several else ""
        raise TypeError(f"expected one number, got {type(answer).__name__}{hint}")
    return float(answer)


def near(answer: Any, expected: float, tolerance: float) -> bool:
    """True if the answer is a number within ``tolerance`` of ``expected``."""
    return abs(as_number(answer) - expected) <= tolerance


def relative_tolerance(expected: float, share: float = 1e-6) -> float:
    """An absolute tolerance of ``share`` of the expected value (at least ``share``)."""
    return share * max(1.0, abs(expected))


def difference_verdict(
    answer: Any, expected: float, tolerance: float, *, right: str, order: str, hint: str
) -> Verdict:
    """The verdict on an answer that is a difference ``expected`` between two runs.

    Right within ``tolerance``: ``right``. The same difference with the sign flipped: the learner
    subtracted the wrong way round, and ``order`` says which way (e.g. "crunch minus capped").
    Anything else: ``hint``, which names the misconception.
    """
    if near(answer, expected, tolerance):
        return Verdict(True, right)
    if near(answer, -expected, tolerance):
        return Verdict(False, f"the sign is reversed: {order}.")
    return Verdict(False, hint)
