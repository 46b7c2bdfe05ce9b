"""The labs' self-checks: hidden answers, feedback that names misconceptions, honest predictions."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

import twomountains as tm
from twomountains import labs_support
from twomountains.errors import UsageError
from twomountains.labs_support import _core, lab01, lab06

ROOT = Path(__file__).resolve().parents[2]
LABS = sorted((ROOT / "labs").glob("[0-9][0-9]-*.ipynb"))
CHOICES = {
    key: item for key, item in _core._REGISTRY.items() if isinstance(item, _core.MultipleChoice)
}


def _printed(capsys: pytest.CaptureFixture[str], key: str, answer: object, **data: object) -> str:
    labs_support.check(key, answer, **data)
    return capsys.readouterr().out


def test_importing_needs_only_the_standard_library() -> None:
    code = (
        "import sys, twomountains.labs_support; "
        "print(sorted(m for m in ('pandas', 'numpy', 'scipy', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_lab_has_multiple_choice_questions() -> None:
    labs_with_questions = {key.split(".")[0] for key in CHOICES}
    assert labs_with_questions == {str(n) for n in range(1, 11)}


@pytest.mark.parametrize("key", sorted(CHOICES))
def test_a_question_has_exactly_one_right_option_and_feedback_for_every_option(key: str) -> None:
    question = CHOICES[key]
    verdicts = {letter: labs_support.verdict(key, letter) for letter in question.feedback}
    right = [letter for letter, v in verdicts.items() if v is not None and v.ok]
    assert len(right) == 1, right
    for letter, verdict in verdicts.items():
        assert verdict is not None and len(verdict.message) > 40, letter
        assert verdict.message == question.feedback[letter]
    # The right letter is stored only as a salted hash, not as a plain letter beside the question.
    assert question.digest == labs_support.answer_digest(key, right[0])
    assert not re.fullmatch(r"[A-D]", question.digest)


def test_a_question_accepts_lower_case_and_spaces_and_rejects_other_answers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    right = next(
        letter
        for letter in CHOICES["1.halving"].feedback
        if labs_support.verdict("1.halving", letter).ok  # type: ignore[union-attr]
    )
    assert labs_support.verdict("1.halving", f" {right.lower()} ").ok  # type: ignore[union-attr]
    out = _printed(capsys, "1.halving", "E")
    assert out.startswith("✗ Exercise 3: not yet. answer with one letter")


def _labelled_cells(nb: nbformat.NotebookNode) -> list[tuple[str, str, str]]:
    """(solution source, check key, check source) for every exercise with a check."""
    found = []
    for index, cell in enumerate(nb.cells):
        if "solution" not in cell.metadata.get("tags", []):
            continue
        following = next(c for c in nb.cells[index + 1 :] if c.cell_type == "code")
        match = re.match(r'check\(\s*"([^"]+)"', following.source)
        if match:
            found.append((cell.source, match[1], following.source))
    return found


@pytest.mark.parametrize("path", LABS, ids=[p.stem for p in LABS])
def test_the_solutions_of_multiple_choice_questions_pass_their_checks(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    questions = [(s, key) for s, key, _ in _labelled_cells(nb) if key in CHOICES]
    assert questions, "every lab has a multiple-choice question"
    for solution, key in questions:
        letter = re.search(r'answer_\d+ = "([A-D])"', solution)
        assert letter, key
        assert labs_support.verdict(key, letter[1]).ok, key  # type: ignore[union-attr]


def test_unanswered_wrong_and_malformed_answers(capsys: pytest.CaptureFixture[str]) -> None:
    result = tm.run(seed=0)
    assert "… Exercise 1: not answered yet." in _printed(capsys, "1.hours", None, result=result)
    # The default's setting (0.4) read as a share of hours: the feedback names that confusion.
    out = _printed(capsys, "1.hours", 0.4, result=result)
    assert out.startswith("✗ Exercise 1: not yet.") and "calendar window" in out
    out = _printed(capsys, "1.hours", "a third", result=result)
    assert out.startswith("✗") and "could not be checked (TypeError" in out
    share = result.kpis["exploration_hours"] / result.kpis["hours_worked"]
    assert _printed(capsys, "1.hours", share, result=result).startswith("✓ Exercise 1:")
    # Rounded to two decimals as a learner reads it off the KPI table: still right.
    assert _printed(capsys, "1.hours", round(share, 2), result=result).startswith("✓")
    # The KPI named like the answer is a share of exploration plus MLOps only.
    realized = result.kpis["explore_share_realized"]
    assert "exploration plus MLOps" in _printed(capsys, "1.hours", realized, result=result)


def test_an_unknown_key_is_a_one_line_usage_error() -> None:
    with pytest.raises(UsageError, match=r"^key: got 'nope'; allowed: one of 1\.half-width"):
        labs_support.check("nope", 1)
    with pytest.raises(UsageError, match=r"^key: got 'nope'; allowed: one of 1\.peak"):
        labs_support.reveal("nope", 1)


@pytest.fixture
def by_share() -> pd.DataFrame:
    shares = [0.0, 0.1, 0.2, 0.4, 1.0]
    means = [1300.0, 1500.0, 1450.0, 1200.0, 500.0]
    return pd.DataFrame(
        {
            "explore_share": shares,
            "mean": means,
            "ci_low": [m - 60 for m in means],
            "ci_high": [m + 60 for m in means],
        }
    )


def test_the_peak_check_names_the_misconception_behind_each_wrong_answer(
    by_share: pd.DataFrame,
) -> None:
    def message(answer: object) -> str:
        verdict = labs_support.verdict("1.peak", answer, by_share=by_share)
        assert verdict is not None
        return ("✓ " if verdict.ok else "✗ ") + verdict.message

    assert message(0.1).startswith("✓ mean value peaks at explore share 0.1")
    assert "default policy's split" in message(0.4)
    assert "value delivered" in message(1500.0)
    assert "flat and noisy" in message(0.2)
    assert "one of the swept" in message(0.7)


def test_the_plausible_optima_check(by_share: pd.DataFrame) -> None:
    assert labs_support.verdict("1.plausible", [0.1, 0.2], by_share=by_share).ok  # type: ignore[union-attr]
    only_best = labs_support.verdict("1.plausible", [0.1], by_share=by_share)
    assert only_best is not None and "treats the highest mean as certain" in only_best.message
    too_many = labs_support.verdict("1.plausible", [0.0, 0.1, 0.2], by_share=by_share)
    assert too_many is not None and "wholly below" in too_many.message


def test_reveal_puts_the_guess_beside_the_run(
    by_share: pd.DataFrame, capsys: pytest.CaptureFixture[str]
) -> None:
    labs_support.reveal("1.peak", None, by_share=by_share)
    out = capsys.readouterr().out
    assert out.startswith(
        "Your prediction of where value peaks: you did not predict. The run says 0.1."
    )
    labs_support.reveal("1.peak", 0.5, by_share=by_share)
    assert "you predicted 0.5; the run says 0.1 (your guess was 0.4 too high)" in (
        capsys.readouterr().out
    )
    labs_support.reveal("1.peak", 0.0, by_share=by_share)
    assert "(close)" in capsys.readouterr().out
    labs_support.reveal("1.peak", -0.2, by_share=by_share)
    assert "(your guess was 0.3 too low)" in capsys.readouterr().out
    labs_support.reveal("1.peak", 0.15, by_share=by_share)
    assert "(close)" in capsys.readouterr().out
    labs_support.reveal("1.peak", "lots", by_share=by_share)
    assert "your prediction 'lots' is not a number" in capsys.readouterr().out
    # The shares that cannot be told from the peak come from the table too.
    labs_support.reveal("1.peak", 0.1, by_share=by_share)
    assert "[0.1, 0.2] cannot be told apart" in capsys.readouterr().out


def test_an_option_prediction_says_whether_it_matched(capsys: pytest.CaptureFixture[str]) -> None:
    mirages = {
        "fixed:0.1": {"mirages_shipped": 2.0},
        "fixed:0.3": {"mirages_shipped": 1.0},
        "fixed:0.5": {"mirages_shipped": 0.5},
    }
    labs_support.reveal("2.mirages", "fixed:0.1", mirages=mirages)
    assert "the run says 'fixed:0.1', as you predicted" in capsys.readouterr().out
    labs_support.reveal("2.mirages", "fixed:0.5", mirages=mirages)
    assert "not what you predicted" in capsys.readouterr().out
    labs_support.reveal("2.mirages", "fixed:0.9", mirages=mirages)
    assert "is not one of" in capsys.readouterr().out


class _Steady(tm.policies.Adaptive):
    """Adaptive with a firmer cap on hours when anyone is tired (decides differently some days)."""

    def decide(self, view: tm.policies.TeamView) -> tm.policies.Decision:
        import dataclasses

        decision = super().decide(view)
        tired = any(p.present and p.exhaustion > 0.6 for p in view.people)
        return dataclasses.replace(
            decision, max_weekly_hours=42.0 if tired else decision.max_weekly_hours
        )


class _SameAsAdaptive(tm.policies.Adaptive):
    pass


class _DefaultAgain(tm.policies.FixedSplit):
    def __init__(self) -> None:
        super().__init__(0.4)


class _OwnSplit(tm.policies.FixedSplit):
    def __init__(self) -> None:
        super().__init__(0.2, max_weekly_hours=45.0)


@pytest.mark.parametrize(
    ("policy_class", "copied"),
    [
        (tm.policies.Adaptive, "adaptive"),
        (_SameAsAdaptive, "adaptive"),
        (_DefaultAgain, "fixed:0.4"),
        (_Steady, None),
        (_OwnSplit, None),
    ],
)
def test_a_policy_that_decides_as_a_builtin_is_that_builtin(
    policy_class: type, copied: str | None
) -> None:
    assert lab06.copied_builtin(policy_class) == copied


def test_the_three_star_check_rejects_the_builtin_before_scoring_it() -> None:
    def practice_runs(policy_class: type) -> None:
        raise AssertionError("a copied built-in must be rejected before it is scored")

    data = {"practice_score": None, "practice_runs": practice_runs, "scores": {"fixed:0.4": 0.3}}
    for answer in (tm.policies.Adaptive, _SameAsAdaptive):
        verdict = labs_support.verdict("6.beat", answer, **data)
        assert verdict is not None and not verdict.ok
        assert "decides exactly as the built-in 'adaptive'" in verdict.message
    instance = labs_support.verdict("6.beat", _Steady(), **data)
    assert instance is not None and "store the class, not an instance" in instance.message
    spec = labs_support.verdict("6.beat", "adaptive", **data)
    assert spec is not None and "spec string" in spec.message


def test_the_three_star_check_scores_a_policy_of_ones_own() -> None:
    data = {
        "practice_score": lambda results: results,
        "practice_runs": lambda policy_class: 0.5,
        "scores": {"fixed:0.4": 0.3},
    }
    assert labs_support.verdict("6.beat", _Steady, **data).ok  # type: ignore[union-attr]
    data["scores"] = {"fixed:0.4": 0.9}
    losing = labs_support.verdict("6.beat", _Steady, **data)
    assert losing is not None and not losing.ok and "value *and* the share" in losing.message


def test_the_half_width_check_accepts_a_value_read_off_the_table_and_names_confusions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    reps = tm.study.replicate(policy="fixed:0.4", reps=4, seed=0, quiet=True)
    summary = tm.study.summarize(reps, kpis=["value_delivered", "incidents"])
    row = summary.set_index("kpi").loc["value_delivered"]

    def message(answer: object) -> str:
        verdict = labs_support.verdict("1.half-width", answer, summary=summary)
        assert verdict is not None
        return ("✓ " if verdict.ok else "✗ ") + verdict.message

    # Exact, two decimals from the printed table, rounded to a unit, or (ci_high - ci_low) / 2.
    for answer in (
        row["half_width"],
        round(row["half_width"], 2),
        round(row["half_width"]),
        (round(row["ci_high"], 2) - round(row["ci_low"], 2)) / 2,
    ):
        assert message(answer).startswith("✓"), answer
    assert "full width" in message(round(row["ci_high"] - row["ci_low"], 2))
    assert "relative half-width" in message(round(row["rel_half_width"], 2))
    assert "standard deviation" in message(row["sd"])
    assert "the mean or one end" in message(round(row["mean"], 1))
    # The whole column instead of one number: the hint says how to pick one.
    assert "pick one" in message(summary["half_width"])


def test_the_peak_and_plausible_checks_name_the_ends_and_the_figures_circles(
    by_share: pd.DataFrame,
) -> None:
    end = labs_support.verdict("1.peak", 1.0, by_share=by_share)
    assert end is not None and not end.ok and "an end of the sweep" in end.message
    # by_share's intervals (mean ± 60): 0.1 (best, 1440-1560) and 0.2 (1390-1510) overlap; 0.1
    # alone leaves one out, and a paired test's shorter list is named as such.
    wider = by_share.assign(ci_high=by_share["mean"] + [200, 60, 60, 300, 60])
    fewer = labs_support.verdict("1.plausible", [0.1, 0.2], by_share=wider)
    assert fewer is not None and not fewer.ok and "figure's circles" in fewer.message
    right = labs_support.verdict("1.plausible", [0.0, 0.1, 0.2, 0.4], by_share=wider)
    assert right is not None and right.ok and "paired differences" in right.message


def test_the_hours_check_uses_the_runs_own_setting() -> None:
    result = tm.run(policy="fixed:0.3", seed=1)
    verdict = lab01.hours(0.3, result=result)
    assert not verdict.ok and "0.3 is the policy's setting" in verdict.message


def _ledger(verdicts: dict[str, dict[int, str]]) -> dict[str, object]:
    """A small ledger in the committed file's form (claims by preset, verdicts only)."""
    return {
        "reps": 40,
        "presets": list(verdicts),
        "claims": [
            {"claim": n, "preset": preset, "verdict": v, "tests": []}
            for preset, by_claim in verdicts.items()
            for n, v in by_claim.items()
        ],
    }


def test_lab9_claims_that_hold_everywhere_are_read_from_the_ledger() -> None:
    ledger = _ledger(
        {
            "default": {1: "holds", 2: "holds", 3: "fails"},
            "uncharted": {1: "holds", 2: "cannot tell", 3: "holds"},
        }
    )
    assert labs_support.verdict("9.every", [1], ledger=ledger).ok  # type: ignore[union-attr]
    default_only = labs_support.verdict("9.every", [1, 2], ledger=ledger)
    assert default_only is not None and "read the claim's whole row" in default_only.message


def _claim4(effects: dict[str, tuple[float, str]]) -> pd.DataFrame:
    rows = [
        {
            "switched_off": name,
            "test": test,
            "effect": effect,
            "low": effect - 1,
            "high": effect + 1,
        }
        | {"verdict": verdict if test == 1 else "cannot tell"}
        for name, (effect, verdict) in effects.items()
        for test in (1, 2)
    ]
    return pd.DataFrame(rows)


def test_lab9_which_assumption_names_untouched_and_merely_shifted_mechanisms() -> None:
    claim4 = _claim4(
        {
            "nothing": (-10.0, "holds"),
            "enable_knowledge": (-18.0, "holds"),
            "enable_no_go": (-9.0, "holds"),
            "enable_insight": (-10.0, "holds"),
            "enable_mirages": (-12.0, "holds"),
            "enable_fast_tracking": (9.0, "fails"),
        }
    )
    assert labs_support.verdict("9.depends", ["enable_fast_tracking"], claim4=claim4).ok  # type: ignore[union-attr]
    untouched = labs_support.verdict(
        "9.depends", ["enable_fast_tracking", "enable_insight"], claim4=claim4
    )
    assert untouched is not None and "number for number" in untouched.message
    shifted = labs_support.verdict(
        "9.depends", ["enable_fast_tracking", "enable_knowledge"], claim4=claim4
    )
    assert shifted is not None and "keeps its verdict" in shifted.message
    named = labs_support.verdict("9.depends", ["fast-tracking"], claim4=claim4)
    assert named is not None and "field names" in named.message


@pytest.mark.parametrize(
    ("change", "feedback"),
    [
        ({"falsified_if": "holds"}, "every outcome confirms"),
        ({"falsified_if": "cannot tell"}, "falsifies nothing"),
        ({"changes": {}}, "changes something"),
        ({"changes": {"enable_magic": False}}, "not Scenario fields"),
        ({"test": 4}, "claim 5 has tests 1 to 3"),
        ({"claim": 2, "test": 1, "changes": {"enable_mirages": False}}, "nothing to compare"),
    ],
)
def test_lab9_a_design_that_cannot_falsify_is_named(change: dict, feedback: str) -> None:
    design = {
        "claim": 5,
        "test": 2,
        "changes": {"enable_insight": False},
        "expect": "holds",
        "falsified_if": "fails",
    }
    assert labs_support.verdict("9.design", design).ok  # type: ignore[union-attr]
    wrong = labs_support.verdict("9.design", design | change)
    assert wrong is not None and not wrong.ok and feedback in wrong.message


def test_lab9_reads_a_ledger_beside_the_notebook_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from twomountains.labs_support import lab09

    committed = lab09.committed_ledger()
    assert committed["source"] == "claims-ledger.json, committed in the project"
    assert committed["reps"] >= 4 and committed["claims"]
    (tmp_path / "claims-ledger.json").write_text(json.dumps(_ledger({"default": {1: "fails"}})))
    monkeypatch.chdir(tmp_path)
    beside = lab09.committed_ledger()
    assert beside["source"] == "claims-ledger.json, beside the notebook"
    assert beside["claims"][0]["verdict"] == "fails"
