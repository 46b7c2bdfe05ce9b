"""The claims ledger: the essay's six claims, each a paired comparison under common random numbers.

Each claim is defined once, as one or more *tests*. A test compares two arms (a scenario change and
a policy) run with the same seeds, so the difference of their KPIs is paired (common random
numbers), and states the direction the claim predicts. Its verdict:

* ``holds``: the 95% interval of the effect lies entirely on the predicted side;
* ``fails``: it lies entirely on the other side (for a "no cost" test: the cost is significant);
* ``cannot tell``: the interval contains zero at this many replications.

A claim holds when all its tests hold, fails when any fails, and otherwise cannot be told.

Claim 1 picks the best interior split and the better extreme on the first half of the seeds and
measures the difference on the second half, so that picking the winner does not flatter it.
Claim 6's worst-case regret uses every preset; for a single preset it is the regret in that preset.
Its interval is a paired bootstrap over seeds (percentile, 2,000 resamples, fixed generator seed).

>>> [claim.number for claim in CLAIMS]
[1, 2, 3, 4, 5, 6]

The ledger is a research layer: it runs on the study backends and imports numpy and scipy lazily.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import twomountains as tm
from twomountains.errors import UsageError

HOLDS, FAILS, CANNOT_TELL = "holds", "fails", "cannot tell"
DEFAULT_REPS = 40
#: Fixed splits compared in claim 1 (the extremes first and last).
SPLITS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0)
#: The balanced policy claims 2 and 3 compare against.
BALANCED = "fixed:0.2"
#: Exploration rules compared in claim 6, all under the same (sustainable) hours rule.
EXPLORATION_RULES = (
    "fixed:0.05@sustainable",
    "fixed:0.1@sustainable",
    "fixed:0.2@sustainable",
    "fixed:0.4@sustainable",
    "explore-then-build@sustainable",
    "adaptive",
)
EXPERT = "adaptive"  # adaptive exploration, sustainable hours (its default)
BOOTSTRAP_RESAMPLES = 2000

Kpis = Mapping[str, float]
Metric = Callable[[Kpis], float]


def exploration_per_project(k: Kpis) -> float:
    """Exploration hours per project started."""
    return k["exploration_hours"] / k["projects_started"] if k["projects_started"] else 0.0


def lasting_ships(k: Kpis) -> float:
    """Systems shipped fully ready (not fragile)."""
    return k["projects_shipped"] - k["fragile_ships"]


METRICS: dict[str, Metric] = {
    "value_delivered": lambda k: k["value_delivered"],
    "mirages_shipped": lambda k: k["mirages_shipped"],
    "lasting_ships": lasting_ships,
    "exploration_per_project": exploration_per_project,
    "at_risk_share": lambda k: k["at_risk_share"],
}


@dataclass(frozen=True)
class Arm:
    """One side of a comparison: scenario changes (relative to the preset) and a policy spec."""

    policy: str
    changes: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, policy: str, **changes: Any) -> Arm:
        return cls(policy, tuple(sorted(changes.items())))


@dataclass(frozen=True)
class Test:
    """A paired comparison ``metric(a) - metric(b)``, with the sign the claim predicts.

    ``expect`` is ``"positive"``, ``"negative"`` or ``"not negative"`` (no significant cost).
    """

    label: str
    metric: str
    a: Arm
    b: Arm
    expect: str


@dataclass(frozen=True)
class Claim:
    number: int
    statement: str
    tests: Callable[[tm.Scenario], list[Test]]
    kind: str = "paired"  # "paired" | "interior" (claim 1) | "regret" (claim 6a)


@dataclass
class TestResult:
    label: str
    metric: str
    effect: float
    low: float
    high: float
    verdict: str
    detail: str = ""


@dataclass
class ClaimResult:
    number: int
    statement: str
    preset: str
    verdict: str
    tests: list[TestResult] = field(default_factory=list)


# --- the claims ------------------------------------------------------------------------------------------
def _claim1(scenario: tm.Scenario) -> list[Test]:
    # placeholders: claim 1 is evaluated by _interior(), these name the arms it needs
    return [
        Test(
            f"{label}: best interior split vs better extreme",
            "value_delivered",
            Arm.of("interior", **changes),
            Arm.of("extreme", **changes),
            "positive",
        )
        for label, changes in (("with mirages", {}), ("no mirages", {"enable_mirages": False}))
    ]


def _claim2(scenario: tm.Scenario) -> list[Test]:
    return [
        Test(
            f"mlops-first vs {BALANCED}: mirages shipped",
            "mirages_shipped",
            Arm.of("mlops-first"),
            Arm.of(BALANCED),
            "positive",
        )
    ]


def _claim3(scenario: tm.Scenario) -> list[Test]:
    return [
        Test(
            f"notebook-only vs {BALANCED}: systems shipped fully ready",
            "lasting_ships",
            Arm.of("notebook-only"),
            Arm.of(BALANCED),
            "negative",
        )
    ]


def _deadlines(scenario: tm.Scenario) -> tuple[float, float]:
    weeks = scenario.deadline_weeks
    return max(1.0, round(weeks * 0.5, 2)), min(104.0, round(weeks * 1.5, 2))


def _claim4(scenario: tm.Scenario) -> list[Test]:
    tight, loose = _deadlines(scenario)
    rule = "explore-then-build"  # deadline-blind: any cut in exploration is not window arithmetic
    a, b = Arm.of(rule, deadline_weeks=tight), Arm.of(rule, deadline_weeks=loose)
    return [
        Test(
            f"deadline {tight:g} vs {loose:g} weeks ({rule}): exploration hours per project",
            "exploration_per_project",
            a,
            b,
            "negative",
        ),
        Test(
            f"deadline {tight:g} vs {loose:g} weeks ({rule}): at-risk share",
            "at_risk_share",
            a,
            b,
            "positive",
        ),
    ]


#: Claim 5's uncertainty factors and how each is set low and high around the preset's value.
UNCERTAINTY_FACTORS = ("value_dispersion", "signal_noise", "mirage_share")
LOW_SPLIT, HIGH_SPLIT = 0.05, 0.3


def _levels(scenario: tm.Scenario, name: str) -> tuple[float, float]:
    value = float(getattr(scenario, name))
    info = {p.name: p for p in tm.Scenario.parameters()}[name]
    low, high = value * 0.5, value * 2.0
    if info.low is not None:
        low = max(low, float(info.low))
    if info.high is not None:
        high = min(high, float(info.high))
    if name == "mirage_share" and value == 0:
        low, high = 0.0, 0.25
    return round(low, 4), round(high, 4)


def _claim5(scenario: tm.Scenario) -> list[Test]:
    tests = []
    for name in UNCERTAINTY_FACTORS:
        low, high = _levels(scenario, name)
        tests.append(
            Test(
                f"{name} {high:g} vs {low:g}: gain from exploring {HIGH_SPLIT:g} rather than "
                f"{LOW_SPLIT:g} of the window",
                "value_delivered",
                Arm.of(f"did:{name}", **{name: high}),
                Arm.of(f"did:{name}", **{name: low}),
                "positive",
            )
        )
    return tests


def _claim6(scenario: tm.Scenario) -> list[Test]:
    return [
        Test(
            "worst-case regret: best rival minus adaptive (exploration rules @sustainable)",
            "value_delivered",
            Arm.of(EXPERT),
            Arm.of("rivals"),
            "positive",
        ),
        Test(
            "adaptive@sustainable vs adaptive@standard: at-risk share",
            "at_risk_share",
            Arm.of(EXPERT),
            Arm.of("adaptive@standard"),
            "negative",
        ),
        Test(
            "adaptive@sustainable vs adaptive@standard: value (no significant cost)",
            "value_delivered",
            Arm.of(EXPERT),
            Arm.of("adaptive@standard"),
            "not negative",
        ),
    ]


CLAIMS: tuple[Claim, ...] = (
    Claim(
        1, "Value peaks at an interior split, also when there are no mirages.", _claim1, "interior"
    ),
    Claim(2, "MLOps hyper-focus ships systems nobody uses.", _claim2),
    Claim(3, "Experimentation without MLOps ships little that lasts.", _claim3),
    Claim(
        4,
        "Tighter deadlines fast-track experimentation (with a deadline-blind exploration rule) "
        "and raise burnout risk.",
        _claim4,
    ),
    Claim(
        5,
        "The best split moves with uncertainty (value dispersion, signal noise and mirage share, "
        "each on its own): more uncertainty makes exploring more pay more.",
        _claim5,
        "did",
    ),
    Claim(
        6,
        "The expert (adaptive exploration, sustainable hours) has the lowest worst-case regret "
        "among exploration rules under the same hours rule, and its hours rule cuts burnout risk "
        "at no significant cost in value.",
        _claim6,
        "regret",
    ),
)


# --- statistics -------------------------------------------------------------------------------------------
def paired_interval(diffs: Sequence[float]) -> tuple[float, float, float]:
    """Mean of paired differences and its 95% t interval.

    >>> paired_interval([1.0, 2.0, 3.0])[0]
    2.0
    """
    from twomountains.study.stats import t_interval

    if len(diffs) < 2:  # one pair says nothing about the spread: the effect could be anything
        return statistics.fmean(diffs), -math.inf, math.inf
    return t_interval(diffs)


def verdict(low: float, high: float, expect: str) -> str:
    """The verdict of an interval for the predicted direction.

    >>> verdict(0.5, 2.0, "positive"), verdict(-1.0, 2.0, "positive"), verdict(-3, -1, "positive")
    ('holds', 'cannot tell', 'fails')
    >>> verdict(-1.0, 2.0, "not negative"), verdict(-3.0, -1.0, "not negative")
    ('holds', 'fails')
    """
    if expect == "positive":
        return HOLDS if low > 0 else FAILS if high < 0 else CANNOT_TELL
    if expect == "negative":
        return HOLDS if high < 0 else FAILS if low > 0 else CANNOT_TELL
    if expect == "not negative":
        return FAILS if high < 0 else HOLDS
    raise ValueError(f"expect: got {expect!r}; allowed: positive, negative, not negative")


def combine(verdicts: Sequence[str]) -> str:
    """A claim's verdict from its tests' verdicts."""
    if FAILS in verdicts:
        return FAILS
    return HOLDS if verdicts and all(v == HOLDS for v in verdicts) else CANNOT_TELL


# --- running ----------------------------------------------------------------------------------------------
Key = tuple[str, str, tuple[tuple[str, Any], ...]]  # (preset, policy, changes)


def _arms_needed(preset: str, scenario: tm.Scenario) -> list[Key]:
    keys: list[Key] = []
    for claim in CLAIMS:
        for test in claim.tests(scenario):
            for arm in (test.a, test.b):
                keys.extend(_expand(preset, arm))
    return list(dict.fromkeys(keys))


def _expand(preset: str, arm: Arm) -> list[Key]:
    """The real runs behind an arm (claim 1's and 5's arms stand for several policies)."""
    if arm.policy in ("interior", "extreme"):
        return [(preset, f"fixed:{s:g}", arm.changes) for s in SPLITS]
    if arm.policy.startswith("did:"):
        return [(preset, f"fixed:{s:g}", arm.changes) for s in (LOW_SPLIT, HIGH_SPLIT)]
    if arm.policy == "rivals":
        return [(preset, rule, arm.changes) for rule in EXPLORATION_RULES]
    return [(preset, arm.policy, arm.changes)]


def run_ledger(
    presets: Sequence[str] = ("default",),
    reps: int = DEFAULT_REPS,
    *,
    backend: str = "processes",
    jobs: int | None = None,
    quiet: bool = True,
) -> dict[str, Any]:
    """Run every claim's comparisons for ``presets`` and return the ledger as a plain dictionary.

    Seeds ``0 .. reps-1`` are shared by every arm (common random numbers).
    """
    if isinstance(reps, bool) or not isinstance(reps, int) or reps < 4:
        raise UsageError(f"reps: got {reps!r}; allowed: an integer of at least 4")
    known = tm.scenarios.names()
    for preset in presets:
        if preset not in known:
            raise UsageError(f"preset: got {preset!r}; allowed: one of {', '.join(known)}, or all")
    scenarios = {preset: tm.scenarios.load(preset) for preset in presets}
    keys: list[Key] = []
    for preset in presets:
        keys.extend(_arms_needed(preset, scenarios[preset]))
    if len(presets) > 1:  # claim 6's worst case over presets needs every rule in every preset
        for preset in presets:
            keys.extend((preset, rule, ()) for rule in EXPLORATION_RULES)
    keys = list(dict.fromkeys(keys))
    kpis = _run_all(keys, scenarios, reps, backend, jobs, quiet)
    ledger: dict[str, Any] = {
        "reps": reps,
        "presets": list(presets),
        "claims": [],
        "provenance": _provenance(backend),
    }
    for preset in presets:
        for claim in CLAIMS:
            ledger["claims"].append(_as_dict(_evaluate(claim, preset, scenarios[preset], kpis)))
    if len(presets) > 1:
        ledger["claims"].append(_as_dict(_worst_case_regret(presets, kpis, reps)))
    return ledger


def _run_all(
    keys: list[Key],
    scenarios: Mapping[str, tm.Scenario],
    reps: int,
    backend: str,
    jobs: int | None,
    quiet: bool,
    first_seeds: Mapping[str, int] | None = None,
) -> dict[Key, list[dict[str, float]]]:
    from twomountains.study import execute

    jobs = jobs or execute.default_jobs()
    runs: list[tuple[Key, int]] = [(key, seed) for key in keys for seed in range(reps)]
    batch = max(1, math.ceil(len(runs) / (jobs * 8)))
    chunks = [runs[i : i + batch] for i in range(0, len(runs), batch)]
    results: dict[Key, list[dict[str, float]]] = {key: [{}] * reps for key in keys}

    def on_result(index: int, rows: list[dict[str, float]]) -> None:
        for (key, seed), row in zip(chunks[index], rows, strict=True):
            results[key][seed] = row

    batches = [
        (
            i,
            [
                (
                    {**scenarios[key[0]].to_dict(), **dict(key[2])},
                    key[1],
                    seed + (first_seeds or {}).get(key[0], 0),
                )
                for key, seed in chunk
            ],
        )
        for i, chunk in enumerate(chunks)
    ]
    progress = None
    if not quiet:
        from tqdm import tqdm

        progress = tqdm(total=len(runs), unit="run", desc="claims", leave=False)

    def collect(index: int, rows: list[dict[str, float]]) -> None:
        on_result(index, rows)
        if progress is not None:
            progress.update(len(rows))

    try:
        execute.execute(
            execute.run_kpis,
            {},
            batches,
            collect,
            backend=backend,
            jobs=jobs if backend != "serial" else 1,
            count=len(batches),
        )
    finally:
        if progress is not None:
            progress.close()
    return results


# --- helpers for other research tools (the assumption audit, twomountains.audit) -----------------
def runs_needed(label: str, scenario: tm.Scenario) -> list[Key]:
    """The arms every claim needs for ``scenario``, keyed under ``label`` (a preset or any name)."""
    return _arms_needed(label, scenario)


def run_arms(
    keys: list[Key],
    scenarios: Mapping[str, tm.Scenario],
    reps: int,
    *,
    backend: str = "processes",
    jobs: int | None = None,
    quiet: bool = True,
    first_seeds: Mapping[str, int] | None = None,
) -> dict[Key, list[dict[str, float]]]:
    """Run each key's arm on ``reps`` seeds; ``scenarios`` maps each key's label to its scenario.

    The seeds are ``0 .. reps-1``, or from ``first_seeds[label]`` on for the labels it names.
    """
    return _run_all(keys, scenarios, reps, backend, jobs, quiet, first_seeds)


def evaluate(
    label: str, scenario: tm.Scenario, kpis: Mapping[Key, list[dict[str, float]]]
) -> list[ClaimResult]:
    """Every claim's tests for one labelled scenario, from the runs of :func:`run_arms`."""
    return [_evaluate(claim, label, scenario, kpis) for claim in CLAIMS]


def evaluate_claim(
    number: int,
    scenario: tm.Scenario | str = "default",
    reps: int = DEFAULT_REPS,
    *,
    backend: str = "processes",
    jobs: int | None = None,
) -> ClaimResult:
    """One claim's tests for one scenario: a preset's name, or a ``tm.Scenario`` one has changed.

    Runs only the arms this claim needs, on seeds ``0 .. reps-1`` shared by every arm, so a
    scenario with a mechanism switched off is compared on the same seeds as the preset (for the
    labs: which claims survive without which mechanism). Each test carries its effect, 95%
    interval and verdict; claim 6's regret is the regret within this one scenario.

    >>> no_mirages = tm.Scenario().replace(enable_mirages=False)
    >>> result = evaluate_claim(2, no_mirages, reps=4, backend="serial")
    >>> result.tests[0].effect, result.verdict  # nobody ships a mirage: nothing to tell apart
    (0.0, 'cannot tell')
    """
    numbers = [claim.number for claim in CLAIMS]
    if isinstance(number, bool) or number not in numbers:
        raise UsageError(f"number: got {number!r}; allowed: one of {numbers}")
    if isinstance(reps, bool) or not isinstance(reps, int) or reps < 4:
        raise UsageError(f"reps: got {reps!r}; allowed: an integer of at least 4")
    if isinstance(scenario, str):
        known = tm.scenarios.names()
        if scenario not in known:
            raise UsageError(f"scenario: got {scenario!r}; allowed: one of {', '.join(known)}")
        label, scenario = scenario, tm.scenarios.load(scenario)
    else:
        label = "scenario"
    claim = CLAIMS[numbers.index(number)]
    keys = [
        key
        for test in claim.tests(scenario)
        for arm in (test.a, test.b)
        for key in _expand(label, arm)
    ]
    kpis = _run_all(list(dict.fromkeys(keys)), {label: scenario}, reps, backend, jobs, True)
    return _evaluate(claim, label, scenario, kpis)


def _metric(rows: list[dict[str, float]], metric: str) -> list[float]:
    return [METRICS[metric](row) for row in rows]


def _result(test: Test, diffs: Sequence[float], detail: str = "") -> TestResult:
    effect, low, high = paired_interval(diffs)
    return TestResult(
        test.label, test.metric, effect, low, high, verdict(low, high, test.expect), detail
    )


def _evaluate(
    claim: Claim, preset: str, scenario: tm.Scenario, kpis: Mapping[Key, list[dict[str, float]]]
) -> ClaimResult:
    results: list[TestResult] = []
    for test in claim.tests(scenario):
        if claim.kind == "interior":
            results.append(_interior(test, preset, kpis))
        elif claim.kind == "did":
            results.append(_difference_in_differences(test, preset, kpis))
        elif claim.kind == "regret" and test.b.policy == "rivals":
            results.append(_regret_in_preset(test, preset, kpis))
        else:
            a = _metric(kpis[(preset, test.a.policy, test.a.changes)], test.metric)
            b = _metric(kpis[(preset, test.b.policy, test.b.changes)], test.metric)
            results.append(_result(test, [x - y for x, y in zip(a, b, strict=True)]))
    return ClaimResult(
        claim.number, claim.statement, preset, combine([r.verdict for r in results]), results
    )


def _interior(test: Test, preset: str, kpis: Mapping[Key, list[dict[str, float]]]) -> TestResult:
    values = {
        s: _metric(kpis[(preset, f"fixed:{s:g}", test.a.changes)], test.metric) for s in SPLITS
    }
    n = len(values[SPLITS[0]])
    half = n // 2
    choose, measure = slice(0, half), slice(half, n)
    interior = [s for s in SPLITS if 0 < s < 1]
    extremes = [SPLITS[0], SPLITS[-1]]
    best = max(interior, key=lambda s: statistics.fmean(values[s][choose]))
    extreme = max(extremes, key=lambda s: statistics.fmean(values[s][choose]))
    diffs = [x - y for x, y in zip(values[best][measure], values[extreme][measure], strict=True)]
    means = ", ".join(f"{s:g}: {statistics.fmean(values[s]):.0f}" for s in SPLITS)
    return _result(
        test,
        diffs,
        f"chose fixed:{best:g} vs fixed:{extreme:g} on seeds 0-{half - 1}, measured on "
        f"{half}-{n - 1}; mean value by split {means}",
    )


def _difference_in_differences(
    test: Test, preset: str, kpis: Mapping[Key, list[dict[str, float]]]
) -> TestResult:
    def gain(arm: Arm) -> list[float]:
        high = _metric(kpis[(preset, f"fixed:{HIGH_SPLIT:g}", arm.changes)], test.metric)
        low = _metric(kpis[(preset, f"fixed:{LOW_SPLIT:g}", arm.changes)], test.metric)
        return [x - y for x, y in zip(high, low, strict=True)]

    more, less = gain(test.a), gain(test.b)
    detail = (
        f"gain {statistics.fmean(more):.0f} at the high level, "
        f"{statistics.fmean(less):.0f} at the low level"
    )
    return _result(test, [x - y for x, y in zip(more, less, strict=True)], detail)


def _regret_effect(
    values: Mapping[tuple[str, str], Sequence[float]], presets: Sequence[str], seeds: Sequence[int]
) -> float:
    """Best rival's worst-case regret minus the expert's, on the given seeds."""
    worst: dict[str, float] = dict.fromkeys(EXPLORATION_RULES, -math.inf)
    for preset in presets:
        means = {
            rule: statistics.fmean(values[(preset, rule)][i] for i in seeds)
            for rule in EXPLORATION_RULES
        }
        top = max(means.values())
        for rule in EXPLORATION_RULES:
            worst[rule] = max(worst[rule], top - means[rule])
    rivals = min(worst[rule] for rule in EXPLORATION_RULES if rule != EXPERT)
    return rivals - worst[EXPERT]


def _bootstrap_regret(
    test: Test, presets: Sequence[str], kpis: Mapping[Key, list[dict[str, float]]]
) -> TestResult:
    import numpy as np

    values = {
        (preset, rule): _metric(kpis[(preset, rule, ())], test.metric)
        for preset in presets
        for rule in EXPLORATION_RULES
    }
    n = len(next(iter(values.values())))
    effect = _regret_effect(values, presets, range(n))
    rng = np.random.default_rng(20261202)
    draws = [
        _regret_effect(values, presets, rng.integers(0, n, n).tolist())
        for _ in range(BOOTSTRAP_RESAMPLES)
    ]
    low, high = (float(x) for x in np.percentile(draws, [2.5, 97.5]))
    worst = {}
    for rule in EXPLORATION_RULES:
        worst[rule] = max(
            max(statistics.fmean(values[(p, r)]) for r in EXPLORATION_RULES)
            - statistics.fmean(values[(p, rule)])
            for p in presets
        )
    detail = "worst-case regret: " + ", ".join(f"{r} {w:.0f}" for r, w in worst.items())
    return TestResult(
        test.label, test.metric, effect, low, high, verdict(low, high, test.expect), detail
    )


def _regret_in_preset(
    test: Test, preset: str, kpis: Mapping[Key, list[dict[str, float]]]
) -> TestResult:
    return _bootstrap_regret(test, [preset], kpis)


def _worst_case_regret(
    presets: Sequence[str], kpis: Mapping[Key, list[dict[str, float]]], reps: int
) -> ClaimResult:
    claim = CLAIMS[5]
    test = claim.tests(tm.Scenario())[0]
    result = _bootstrap_regret(test, presets, kpis)
    result.label = "across presets: " + result.label
    return ClaimResult(claim.number, claim.statement, "all", result.verdict, [result])


def _as_dict(result: ClaimResult) -> dict[str, Any]:
    return {
        "claim": result.number,
        "statement": result.statement,
        "preset": result.preset,
        "verdict": result.verdict,
        "tests": [vars(t) for t in result.tests],
    }


def _provenance(backend: str) -> dict[str, Any]:
    import datetime
    import platform

    import simpy

    from twomountains.provenance import source_commit

    return {
        "twomountains": tm.__version__,
        "simpy": simpy.__version__,
        "python": platform.python_version(),
        "backend": backend,
        "seeds": "0 .. reps-1, shared by every arm (common random numbers)",
        "commit": source_commit(),  # the model these runs used
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def format_ledger(ledger: Mapping[str, Any]) -> str:
    """The ledger as plain text: one block per claim and preset."""
    lines = [f"Claims ledger: {ledger['reps']} paired replications per arm (seeds shared)"]
    for claim in ledger["claims"]:
        lines.append("")
        lines.append(
            f"Claim {claim['claim']} [{claim['preset']}]: {claim['verdict'].upper()}"
            f" - {claim['statement']}"
        )
        for t in claim["tests"]:
            lines.append(
                f"  {t['verdict']:<11} {t['label']}: {t['effect']:+.4g} "
                f"[{t['low']:+.4g}, {t['high']:+.4g}]"
            )
            if t.get("detail"):
                lines.append(f"              {t['detail']}")
    return "\n".join(lines)
