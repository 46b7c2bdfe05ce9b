"""The score, its intervals, and honest ranks.

**Score.** For participant *e*, scenario *s* and replication *r* (seed ``seed + r``, the same for
everyone: common random numbers)::

    score[e, s, r] = value_delivered[e, s, r] / reference[s] - burnout_weight * at_risk_share[e, s, r]

where ``reference[s]`` is the mean value delivered in scenario *s* by the best built-in policy
(all built-ins are always run, whether or not they are shown), so 1.0 means "as much value as the
best built-in", and ``at_risk_share`` is the share of person-weeks spent at burnout risk. The
replication's score averages over scenarios; the reported score is the mean over replications,
with a 95% t-interval over replications (:func:`twomountains.study.stats.summarize`); the same
for value delivered and at-risk share (whose interval is clipped to 0..1).

**Ranks.** The table is sorted by score (then entry id). Because everyone faces the same seeds,
two participants are compared replication by replication: the paired 95% t-interval of their score
difference (much narrower than comparing the two separate intervals, since the shared luck of a
seed cancels). An entry shares the rank of the one directly above it when their paired interval
contains zero ("tied"); otherwise its rank is its position (1, 1, 3, ...). ``tied_with`` lists
every participant whose paired interval with this one contains zero, so a tie can reach further
than the neighbour (ties chain: with few replications a long run of neighbours can share a rank).
``clearly_ahead`` counts the participants whose paired interval lies entirely above this one: the
sharper statement for the bottom of a long table. The comparisons are not corrected for multiplicity: with many entries, a few
apparent gaps may be luck -- more replications settle them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from twomountains.errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

CONFIDENCE = 0.95
#: The numeric columns :func:`summarize` returns, in order: mean and 95% interval ends of the score,
#: value delivered and at-risk share. The leaderboard and ``leaderboard.csv`` list them in this order.
SUMMARY_COLUMNS = (
    "score",
    "score_low",
    "score_high",
    "value_delivered",
    "value_low",
    "value_high",
    "at_risk_share",
    "at_risk_low",
    "at_risk_high",
)


@dataclass(frozen=True)
class ScoreRule:
    """How value and burnout risk combine (see the module docs).

    ``burnout_weight`` is the score lost per unit of at-risk share: with the default 1.0, having a
    fifth of person-weeks at burnout risk costs as much as a fifth of the best built-in's value.
    """

    burnout_weight: float = 1.0

    def __post_init__(self) -> None:
        w = self.burnout_weight
        if isinstance(w, bool) or not isinstance(w, int | float) or not 0 <= w <= 100:
            raise UsageError(f"burnout_weight: got {w!r}; allowed: a number from 0 to 100")

    def describe(self) -> str:
        """The rule in one line, for reports."""
        return (
            "score = mean over scenarios of (value delivered / best built-in's mean value "
            f"- {self.burnout_weight:g} x at-risk share)"
        )


def runs_table(results: Mapping[str, Sequence[Mapping[str, Any]]], labels: Sequence[str]) -> Any:
    """One row per (participant, scenario, seed) from the sandbox results."""
    import pandas as pd

    rows = [
        {
            "participant": pid,
            "scenario": labels[int(run["scenario"])],
            "seed": int(run["seed"]),
            "value_delivered": float(run["kpis"]["value_delivered"]),
            "at_risk_share": float(run["kpis"]["at_risk_share"]),
        }
        for pid, runs in results.items()
        for run in runs
    ]
    return pd.DataFrame(rows)


def references(runs: pd.DataFrame, builtins: Sequence[str]) -> dict[str, tuple[str, float]]:
    """Per scenario: the best built-in (by mean value) and its mean value."""
    means = (
        runs[runs["participant"].isin(builtins)]
        .groupby(["scenario", "participant"], sort=True)["value_delivered"]
        .mean()
    )
    out: dict[str, tuple[str, float]] = {}
    for scenario, group in means.groupby(level="scenario", sort=True):
        best = group.droplevel("scenario").sort_index()
        pid = str(best.idxmax())
        value = float(best.max())
        if value <= 0:
            raise UsageError(
                f"scenario {scenario!r}: no built-in policy delivers any value, so the "
                "normalised score is undefined; use a longer horizon_weeks"
            )
        out[str(scenario)] = (pid, value)
    return out


def per_replication(
    runs: pd.DataFrame, refs: Mapping[str, tuple[str, float]], rule: ScoreRule
) -> pd.DataFrame:
    """Score, value and at-risk share per (participant, seed), averaged over scenarios."""
    frame = runs.copy()
    frame["reference"] = frame["scenario"].map({s: v for s, (_, v) in refs.items()})
    frame["score"] = (
        frame["value_delivered"] / frame["reference"] - rule.burnout_weight * frame["at_risk_share"]
    )
    return (
        frame.groupby(["participant", "seed"], sort=True)[
            ["score", "value_delivered", "at_risk_share"]
        ]
        .mean()
        .reset_index()
    )


def summarize(per_rep: pd.DataFrame) -> pd.DataFrame:
    """Mean and 95% t-interval of score, value and at-risk share per participant."""
    import pandas as pd

    from twomountains.study import stats

    table = per_rep.rename(columns={"participant": "policy"})
    table.insert(1, "rep", table.groupby("policy").cumcount())
    summary = stats.summarize(
        table, confidence=CONFIDENCE, kpis=["score", "value_delivered", "at_risk_share"]
    )
    wide = summary.pivot(index="policy", columns="kpi", values=["mean", "ci_low", "ci_high"])
    out = {}
    for kpi, short in (
        ("score", "score"),
        ("value_delivered", "value"),
        ("at_risk_share", "at_risk"),
    ):
        out["score" if kpi == "score" else kpi] = wide[("mean", kpi)]
        out[f"{short}_low"] = wide[("ci_low", kpi)]
        out[f"{short}_high"] = wide[("ci_high", kpi)]
    frame = pd.DataFrame(out)
    # a share cannot leave 0..1 even when a t-interval over a few replications would
    frame["at_risk_low"] = frame["at_risk_low"].clip(lower=0.0)
    frame["at_risk_high"] = frame["at_risk_high"].clip(upper=1.0)
    frame.index.name = "participant"
    return frame


def paired_interval(a: Sequence[float], b: Sequence[float]) -> tuple[float, float]:
    """95% t-interval of the mean of ``a - b`` (replication by replication).

    >>> paired_interval([1.0, 2.0, 3.0], [1.0, 2.0, 3.0])
    (0.0, 0.0)
    """
    import numpy as np
    from scipy import stats

    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    n = len(d)
    if n < 2:
        raise UsageError(f"replications: got {n}; allowed: at least 2 to compare participants")
    mean = float(d.mean())
    half = float(stats.t.ppf(0.5 + CONFIDENCE / 2, n - 1) * d.std(ddof=1) / np.sqrt(n))
    return mean - half, mean + half


def rank(summary: pd.DataFrame, per_rep: pd.DataFrame) -> pd.DataFrame:
    """Add ``rank`` and ``tied_with`` to ``summary``; rows come back sorted by score then id."""
    order = sorted(summary.index, key=lambda pid: (-float(summary.at[pid, "score"]), str(pid)))
    scores = {
        pid: group.sort_values("seed")["score"].to_numpy()
        for pid, group in per_rep.groupby("participant", sort=True)
    }
    ties: dict[str, list[str]] = {pid: [] for pid in order}
    ahead = dict.fromkeys(order, 0)
    for i, a in enumerate(order):
        for b in order[i + 1 :]:
            low, high = paired_interval(scores[a], scores[b])
            if low <= 0 <= high:
                ties[a].append(b)
                ties[b].append(a)
            else:
                ahead[b if low > 0 else a] += 1
    ranks: list[int] = []
    for k, pid in enumerate(order):
        tied_above = k > 0 and order[k - 1] in ties[pid]
        ranks.append(ranks[-1] if tied_above else k + 1)
    out = summary.loc[order].copy()
    out["rank"] = ranks
    out["clearly_ahead"] = [ahead[pid] for pid in order]
    position = {pid: k for k, pid in enumerate(order)}
    out["tied_with"] = [";".join(sorted(ties[pid], key=position.__getitem__)) for pid in order]
    return out


#: The most replications :func:`replication_advice` will suggest.
MAX_SUGGESTED_REPS = 10_000


#: The chance of separating a real difference that the suggested replication count aims at
#: (the usual 80% power of sample-size planning).
POWER = 0.8


def replications_to_separate(
    mean: float, sd: float, confidence: float = CONFIDENCE, power: float = POWER
) -> float:
    """Replications for a paired t-interval to exclude 0 with probability ``power``.

    The textbook sample-size rule for a paired comparison, n = ((t_conf + t_power) * sd / mean)^2
    with t quantiles at n - 1 degrees of freedom, taking the observed mean difference and its
    standard deviation as the truth (a planning estimate; infinite when the mean difference is 0).

    >>> replications_to_separate(1.0, 0.0), replications_to_separate(0.0, 1.0)
    (2, inf)
    >>> replications_to_separate(0.5, 1.0)
    34
    """
    import math

    from scipy import stats

    if mean == 0:
        return math.inf
    if sd == 0:
        return 2
    z = stats.norm.ppf(0.5 + confidence / 2) + stats.norm.ppf(power)
    n = max(2, math.ceil((z * sd / abs(mean)) ** 2))
    while n <= MAX_SUGGESTED_REPS:
        t = stats.t.ppf(0.5 + confidence / 2, n - 1) + stats.t.ppf(power, n - 1)
        if t * sd / math.sqrt(n) <= abs(mean):
            return n
        n += 1
    return math.inf


def replication_advice(per_rep: pd.DataFrame, order: Sequence[str]) -> str | None:
    """A warning when most entries cannot be told apart from the leader, with a replication count.

    ``order`` lists the ranked participants, leader first. When more than half of the others
    have a paired 95% interval with the leader that contains zero, the replications cannot
    separate the entries. The suggested count is the median of :func:`replications_to_separate`
    over the others: if the observed paired mean differences and spreads held, half of the
    entries would then be separated from the leader with 80% probability each.
    """
    import math

    import numpy as np

    if len(order) < 2:
        return None
    scores = {
        pid: group.sort_values("seed")["score"].to_numpy(dtype=float)
        for pid, group in per_rep.groupby("participant", sort=True)
    }
    leader, others = order[0], list(order[1:])
    reps = len(scores[leader])
    tied = []
    needed = []
    for pid in others:
        low, high = paired_interval(scores[leader], scores[pid])
        if low <= 0 <= high:
            tied.append(pid)
        d = scores[leader] - scores[pid]
        needed.append(replications_to_separate(float(np.mean(d)), float(np.std(d, ddof=1))))
    if 2 * len(tied) <= len(others):
        return None
    count = sorted(needed)[math.ceil(len(others) / 2) - 1]
    head = (
        f"{len(tied)} of {len(others)} entries are tied with the leader: {reps} replications "
        "cannot separate them."
    )
    if math.isinf(count):
        return (
            f"{head} Even {MAX_SUGGESTED_REPS} replications would not separate half of them "
            "(their paired differences are too small for their spread): treat them as equal."
        )
    return (
        f"{head} From the observed paired differences, about {count} replications would "
        f"separate half of them (80% power; --reps {count})."
    )


def per_scenario(
    runs: pd.DataFrame, refs: Mapping[str, tuple[str, float]], rule: ScoreRule
) -> pd.DataFrame:
    """Mean score per participant (rows) and scenario (columns), for 'who wins where'."""
    frame = runs.copy()
    frame["score"] = (
        frame["value_delivered"] / frame["scenario"].map({s: v for s, (_, v) in refs.items()})
        - rule.burnout_weight * frame["at_risk_share"]
    )
    return frame.pivot_table(
        index="participant", columns="scenario", values="score", aggfunc="mean"
    )
