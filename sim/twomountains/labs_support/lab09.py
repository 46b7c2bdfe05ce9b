"""Lab 9 · When the model disagrees with the essay: checks, questions, predictions, the ledger.

The lab reads the committed claims ledger (``docs/research/claims-ledger.json``) and reruns single
claims with mechanisms switched off (``twomountains.claims.evaluate_claim``). Its tables are passed
in: ``ledger`` (the ledger's dictionary), ``on`` and ``off`` (claim 1's results with and without
insight and domain knowledge), ``claim4`` (claim 4's tests with each mechanism off, one row per
mechanism and test: ``switched_off``, ``test``, ``effect``, ``low``, ``high``, ``verdict``).
"""

from __future__ import annotations

import json
from pathlib import Path
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

LEDGER_NAME = "claims-ledger.json"
VERDICTS = ("holds", "fails", "cannot tell")
#: The mechanisms the lab switches off, by their ``tm.Scenario`` field.
MECHANISMS = (
    "enable_knowledge",
    "enable_no_go",
    "enable_insight",
    "enable_mirages",
    "enable_fast_tracking",
)
BASELINE = "nothing"  # the claim-4 row with every mechanism on
ACROSS = "all"  # the ledger's preset for claim 6's comparison across presets
FALLBACK_REPS = 8


def ledger_paths() -> list[Path]:
    """Where the committed ledger is looked for: beside the notebook, then in the project clone."""
    import twomountains

    clone = Path(twomountains.__file__).resolve().parents[2]
    return [Path.cwd() / LEDGER_NAME, clone / "docs" / "research" / LEDGER_NAME]


def committed_ledger() -> dict[str, Any]:
    """The committed claims ledger; if it is not found, a small one for the default preset.

    The lab runs from a clone of the project (``pip install -e``), where the ledger is in
    ``docs/research/``; a learner with only the notebook can put the site's ``claims-ledger.json``
    (Researchers > Claims ledger) beside it. Failing both, the ledger is run here, small, and says so.
    """
    beside, clone = ledger_paths()
    for path, where in ((beside, "beside the notebook"), (clone, "committed in the project")):
        if path.is_file():
            ledger = json.loads(path.read_text(encoding="utf-8"))
            ledger["source"] = f"{LEDGER_NAME}, {where}"
            return ledger
    from twomountains import claims

    print(
        f"{LEDGER_NAME} not found (looked in {', '.join(str(p) for p in ledger_paths())}); "
        f"running a small ledger for the default preset ({FALLBACK_REPS} replications) instead."
    )
    ledger = claims.run_ledger(("default",), FALLBACK_REPS, backend="processes", jobs=2)
    ledger["source"] = f"run here, {FALLBACK_REPS} replications"
    return ledger


def _verdicts(ledger: Any, preset: str) -> dict[int, str]:
    return {c["claim"]: c["verdict"] for c in ledger["claims"] if c["preset"] == preset}


def _presets(ledger: Any) -> list[str]:
    return [p for p in ledger["presets"] if p != ACROSS]


def _holding_everywhere(ledger: Any) -> list[int]:
    by_preset = {preset: _verdicts(ledger, preset) for preset in _presets(ledger)}
    numbers = sorted({n for verdicts in by_preset.values() for n in verdicts})
    return [n for n in numbers if all(v.get(n) == "holds" for v in by_preset.values())]


# --- section 1: the ledger ------------------------------------------------------------------------
@prediction("9.holding", "Your prediction of how many claims hold in the default preset")
def holding(*, ledger: Any) -> tuple[float, str]:
    verdicts = _verdicts(ledger, "default")
    grouped = {v: [n for n, w in verdicts.items() if w == v] for v in VERDICTS}
    said = "; ".join(f"{v}: claims {grouped[v]}" for v in VERDICTS if grouped[v])
    return float(len(grouped["holds"])), (
        f"In the committed ledger ({ledger['reps']} paired replications per arm), default reads "
        f"{said}."
    )


def _as_claims(answer: Any) -> list[int]:
    if isinstance(answer, str | int | float):
        raise TypeError("expected a list of claim numbers, such as [1, 4]")
    return sorted(int(x) for x in answer)


@exercise("9.every", "Exercise 1")
def every(answer: Any, *, ledger: Any) -> Verdict:
    want = _holding_everywhere(ledger)
    given = _as_claims(answer)
    presets = _presets(ledger)
    if given == want:
        rest = [n for n in sorted(_verdicts(ledger, "default")) if n not in want]
        return Verdict(
            True,
            f"claims {want} hold in all {len(presets)} presets; claims {rest} fail or cannot be "
            "told in at least one. Those are the findings to discuss.",
        )
    default = sorted(n for n, v in _verdicts(ledger, "default").items() if v == "holds")
    if given == default and default != want:
        return Verdict(
            False,
            "those hold in the default preset; a claim about teams in general has to hold in "
            "every context, so read the claim's whole row.",
        )
    if set(given) - set(want):
        return Verdict(
            False,
            "one claim you listed fails or cannot be told in some preset: 'cannot tell' is not "
            "'holds', and one preset is enough to stop a claim holding everywhere.",
        )
    return Verdict(False, "some claim holds in every preset column and is missing from your list.")


multiple_choice(
    "9.fails",
    "Exercise 2",
    {
        "A": "a verdict computed correctly from the runs is not an error: bugs are found by "
        "verification (tests, the Erlang C check), not by disagreeing with what we hoped.",
        "B": "the ledger says what follows from the model's assumptions, not what happens in "
        "real teams: a model's 'fails' is evidence about the model's mechanisms first.",
        "C": "a 'fails' is a finding: in this model, under its assumptions, the claim does not "
        "follow; the next question is which mechanism produces the result and whether the test "
        "measures what the essay means.",
        "D": "rerunning until the verdict changes is optional stopping: an interval clear of zero "
        "on the wrong side does not move back with more replications, and the ledger would "
        "only report what we went on looking for.",
    },
    "f6d8b65381532f4c906d",
)


# --- section 2: claim 1 without insight and domain knowledge -------------------------------------
def _interval(test: Any) -> str:
    return f"{test.effect:+.0f} [{test.low:+.0f}, {test.high:+.0f}]"


@prediction(
    "9.claim1",
    "Your prediction for claim 1 with insight and domain knowledge off",
    options=VERDICTS,
)
def claim1(*, on: Any, off: Any, reps: int) -> tuple[str, str]:
    return off.verdict, (
        f"At {reps} replications, with both mechanisms off: "
        + "; ".join(f"{t.label}: {t.verdict}, {_interval(t)}" for t in off.tests)
        + f". With them on the claim reads {on.verdict!r} ("
        + "; ".join(f"{t.label.split(':')[0]}: {_interval(t)}" for t in on.tests)
        + ")."
    )


@exercise("9.claim1-change", "Exercise 3")
def claim1_change(answer: Any, *, on: Any, off: Any) -> Verdict:
    change = off.tests[1].effect - on.tests[1].effect
    if near(answer, change, relative_tolerance(change)):
        direction = "shrinks" if change < 0 else "grows" if change > 0 else "does not move"
        return Verdict(
            True,
            f"without mirages the interior split's advantage {direction} ({change:+.0f}) when "
            f"insight and domain knowledge are off ({_interval(on.tests[1])} with them, "
            f"{_interval(off.tests[1])} without). Compare the change with the intervals' widths "
            "before reading much into it, and look where the mean value by split peaks.",
        )
    value = as_number(answer)
    if near(value, -change, relative_tolerance(change)):
        return Verdict(False, "the sign is reversed: mechanisms off minus mechanisms on.")
    with_mirages = off.tests[0].effect - on.tests[0].effect
    if near(value, with_mirages, relative_tolerance(with_mirages)):
        return Verdict(
            False,
            "that is the test with mirages. The essay's stronger claim is the one without "
            "mirages, where avoiding a mirage cannot be the reason to explore: use the second test.",
        )
    return Verdict(
        False,
        "subtract the effects (the mean paired differences), not the verdicts or the intervals' "
        "ends: off.tests[1].effect minus on.tests[1].effect.",
    )


multiple_choice(
    "9.cannot-tell",
    "Exercise 4",
    {
        "A": "a verdict that stays the same can hide an effect that moved a lot: 'cannot tell' "
        "says the interval contains zero, not that the mechanisms change nothing.",
        "B": "'cannot tell' is not 'fails': an interval that contains zero also contains effects "
        "on the claim's side. Absence of evidence is not evidence of absence.",
        "C": "'cannot tell' is a finding about the precision of the comparison; calling it a bug "
        "skips the question of whether the runs could have told at all.",
        "D": "with few replications an interval is wide; a verdict is a statement about the "
        "interval at this many replications. Read the effect and its interval, then add "
        "replications (the ledger uses more) before concluding either way.",
    },
    "b31021ce77dd58058796",
)


# --- section 3: which assumption does claim 4 depend on? -----------------------------------------
def _test_rows(claim4: Any, test: int) -> Any:
    return claim4[claim4["test"] == test].set_index("switched_off")


def _verdict_changers(claim4: Any, test: int) -> list[str]:
    rows = _test_rows(claim4, test)
    base = rows.loc[BASELINE, "verdict"]
    return sorted(m for m in rows.index if m != BASELINE and rows.loc[m, "verdict"] != base)


def _as_fields(answer: Any) -> list[str]:
    if isinstance(answer, str):
        raise TypeError("expected a list of field names, such as ['enable_mirages']")
    return sorted(str(x) for x in answer)


@prediction(
    "9.claim4",
    "Your prediction of the mechanism claim 4's exploration test depends on",
    options=(*MECHANISMS, "none"),
)
def claim4_mechanism(*, claim4: Any) -> tuple[str, str]:
    rows = _test_rows(claim4, 1)
    base = rows.loc[BASELINE]
    changers = _verdict_changers(claim4, 1)
    moved = {m: abs(rows.loc[m, "effect"] - base["effect"]) for m in changers}
    value = max(moved, key=lambda m: moved[m]) if moved else "none"
    listing = "; ".join(
        f"{m} off: {rows.loc[m, 'verdict']}, {rows.loc[m, 'effect']:+.1f} h" for m in MECHANISMS
    )
    return value, (
        f"With everything on, the exploration test reads {base['verdict']!r} "
        f"({base['effect']:+.1f} h [{base['low']:+.1f}, {base['high']:+.1f}]); {listing}."
    )


@exercise("9.depends", "Exercise 5")
def depends(answer: Any, *, claim4: Any) -> Verdict:
    want = _verdict_changers(claim4, 1)
    given = _as_fields(answer)
    unknown = [m for m in given if m not in MECHANISMS]
    if unknown:
        return Verdict(
            False,
            f"{unknown} are not among the switches in the table; use the field names, such as "
            f"'enable_mirages' (allowed: {', '.join(MECHANISMS)}).",
        )
    if given == want:
        if not want:
            return Verdict(
                True,
                "no single switch changes the exploration test's verdict here: the claim "
                "survives the removal of each of these mechanisms, one at a time.",
            )
        return Verdict(
            True,
            f"without {want} the exploration test no longer reads as it does with everything "
            "on: the claim rests on that mechanism, so it is as credible as that mechanism's "
            "evidence.",
        )
    rows = _test_rows(claim4, 1)
    base = rows.loc[BASELINE]
    untouched = [m for m in given if m not in want and rows.loc[m, "effect"] == base["effect"]]
    if untouched:
        return Verdict(
            False,
            f"with {untouched} off the test is exactly the baseline, number for number: that "
            "mechanism does not touch what this test measures (exploration hours per project).",
        )
    if given == _verdict_changers(claim4, 2) and given != want:
        return Verdict(
            False, "that is the at-risk test (test 2); the question is about test 1, exploration."
        )
    if set(given) - set(want):
        return Verdict(
            False,
            "an effect that moves but keeps its verdict is a mechanism that shapes the result, "
            "not one the claim depends on: compare each row's verdict with the baseline's.",
        )
    return Verdict(
        False,
        "a verdict changes in some row you did not list: compare each row's test-1 verdict with "
        "the row where nothing is switched off.",
    )


multiple_choice(
    "9.rests",
    "Exercise 6",
    {
        "A": "the claim is now exactly as credible as that mechanism: check its source and "
        "calibration, and look for data that could show it missing. The model has turned a "
        "claim into an assumption you can examine.",
        "B": "a mechanism that makes a claim hold is not a bug for that reason: whether it "
        "belongs in the model is a question about its evidence, not about the verdict it gives.",
        "C": "the model shows the claim follows if the mechanism operates; it cannot show that "
        "the mechanism operates in real teams. A model result is conditional on its assumptions.",
        "D": "removing a mechanism is itself an assumption (that it is absent), not a neutral or "
        "conservative choice: both settings need evidence.",
    },
    "91a8725640e309605db9",
)


# --- section 4: a claim with nothing to measure ---------------------------------------------------
@prediction("9.claim2", "Your prediction for claim 2 without mirages", options=VERDICTS)
def claim2(*, result: Any, reps: int) -> tuple[str, str]:
    test = result.tests[0]
    return result.verdict, (
        f"At {reps} replications with mirages off, '{test.label}' has effect {test.effect:+.2f} "
        f"[{test.low:+.2f}, {test.high:+.2f}]."
    )


# --- section 5: a design --------------------------------------------------------------------------
DESIGN_KEYS = ("claim", "test", "changes", "expect", "falsified_if")


@exercise("9.design", "Exercise 7")
def design(answer: Any) -> Verdict:
    import twomountains as tm
    from twomountains import claims

    if not isinstance(answer, dict) or set(answer) != set(DESIGN_KEYS):
        return Verdict(False, f"a design is a dictionary with the keys {', '.join(DESIGN_KEYS)}.")
    numbers = [claim.number for claim in claims.CLAIMS]
    if answer["claim"] not in numbers:
        return Verdict(False, f"claim: got {answer['claim']!r}; allowed: one of {numbers}.")
    claim = claims.CLAIMS[numbers.index(answer["claim"])]
    n_tests = len(claim.tests(tm.Scenario()))
    if answer["test"] not in range(1, n_tests + 1):
        return Verdict(
            False, f"test: claim {claim.number} has tests 1 to {n_tests}; got {answer['test']!r}."
        )
    changes = answer["changes"]
    fields = {p.name for p in tm.Scenario.parameters()}
    if not isinstance(changes, dict) or not changes:
        return Verdict(
            False,
            "a design changes something (a dictionary of Scenario fields): with no change you "
            "rerun the ledger, which cannot test an explanation of it.",
        )
    unknown = sorted(set(changes) - fields)
    if unknown:
        return Verdict(False, f"{unknown} are not Scenario fields (see tm.Scenario.parameters()).")
    for key in ("expect", "falsified_if"):
        if answer[key] not in VERDICTS:
            return Verdict(False, f"{key}: got {answer[key]!r}; allowed: {', '.join(VERDICTS)}.")
    if answer["falsified_if"] == answer["expect"]:
        return Verdict(
            False,
            "the outcome that would falsify your explanation is the one you expect: a design "
            "whose every outcome confirms tests nothing.",
        )
    if answer["falsified_if"] == "cannot tell":
        return Verdict(
            False,
            "'cannot tell' falsifies nothing: it says the runs could not decide. Name the verdict "
            "that would contradict your explanation, and use replications enough to decide.",
        )
    if claim.number == 2 and (
        changes.get("enable_mirages") is False or changes.get("mirage_share") == 0
    ):
        return Verdict(
            False,
            "without mirages neither arm can ship one, so claim 2's test has nothing to compare "
            "(section 4): switching off what a claim's metric counts removes the test, not an "
            "explanation.",
        )
    return Verdict(
        True,
        f"a falsifiable design: claim {claim.number}, test {answer['test']}, with {changes}; you "
        f"expect {answer['expect']!r}, and {answer['falsified_if']!r} would show your explanation "
        "wrong. The next cell runs it.",
    )
