"""March (1991), "Exploration and Exploitation in Organizational Learning".

Organization Science 2(1): 71-87, in the form used by the standard replications (Rodan 2005,
Christensen 2015): individuals act on their beliefs, a coin decides where a belief is neutral,
and the organizational code learns from the *actions* of the individuals who outscore it.

Reality has ``m`` dimensions worth +1 or -1. Each of ``n`` individuals believes -1, 0 or +1 on
each dimension; the code starts neutral (all zeros). Each period, in this order:

1. turnover: each individual is replaced, with chance ``p3``, by a newcomer with fresh beliefs;
2. turbulence: each dimension of reality flips with chance ``p4``;
3. action: individuals act on their beliefs (at random where a belief is 0);
4. socialization: where the code is non-zero and a belief differs from it, the belief moves one
   step toward the code with chance ``p1`` (-1 -> 0 -> +1 when the code is +1);
5. code learning: the superior group is everyone whose action scores higher than the code
   (score = matches - mismatches with reality); on each dimension where the group's actions
   have a strict majority of ``k`` on one side, the code adopts it with chance ``1 - (1 - p2)**k``.

Knowledge is ``(matches - mismatches) / m`` of the code against reality. Without turnover and
turbulence the run ends at equilibrium: every belief equals the code and nobody could beat it.

The engine runs all replications of a setting at once as ``(replications, n, m)`` arrays and
drops replications from the batch as they reach equilibrium (an absorbing state).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product

import numpy as np
import pandas as pd
from scipy import stats

from twomountains.errors import UsageError

__all__ = ["MarchResult", "Replications", "replicate", "simulate", "sweep"]

#: Periods after which a run stops even if it has not reached equilibrium.
MAX_PERIODS = 2000


@dataclass(frozen=True)
class MarchResult:
    """One run of the model.

    Attributes:
        knowledge: final knowledge of the code, ``(matches - mismatches) / m``, in [-1, 1].
        trajectory: knowledge of the code at the end of each period (length ``periods``).
        periods: periods run: to equilibrium, the requested number, or the safety cap.
        equilibrium: whether beliefs and code reached the stable equilibrium.
    """

    knowledge: float
    trajectory: np.ndarray
    periods: int
    equilibrium: bool


@dataclass(frozen=True)
class Replications:
    """Independent replications of one setting.

    Attributes:
        knowledge: final knowledge per replication, shape ``(replications,)``.
        trajectory: knowledge per replication and period, shape ``(replications, periods)``;
            a replication that reached equilibrium early keeps its final value.
        periods: periods each replication ran before its equilibrium (or the period limit).
        equilibrium: whether each replication reached equilibrium.
    """

    knowledge: np.ndarray
    trajectory: np.ndarray
    periods: np.ndarray
    equilibrium: np.ndarray

    def interval(self, confidence: float = 0.95) -> tuple[float, float, float]:
        """Mean final knowledge with its Student-t confidence interval ``(mean, low, high)``."""
        return _t_interval(self.knowledge, confidence)


def _t_interval(values: np.ndarray, confidence: float) -> tuple[float, float, float]:
    mean = float(np.mean(values))
    if values.size < 2:
        return mean, float("nan"), float("nan")
    half = float(stats.t.ppf(0.5 + confidence / 2, values.size - 1) * stats.sem(values))
    return mean, mean - half, mean + half


def _probability(name: str, value: float) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise UsageError(f"{name} must be a probability in [0, 1]; got {value!r}") from None
    if not 0.0 <= x <= 1.0:
        raise UsageError(f"{name} must be a probability in [0, 1]; got {value!r}")
    return x


def _positive_int(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise UsageError(f"{name} must be a positive integer; got {value!r}")
    return int(value)


def _socialization_rates(p1: float | Sequence[float] | np.ndarray, n: int) -> np.ndarray:
    rates = np.asarray(p1, dtype=float) if not isinstance(p1, str) else None
    if rates is None or rates.ndim > 1 or (rates.ndim == 1 and rates.size != n):
        raise UsageError(
            f"p1 must be a probability or a sequence of n={n} probabilities; got {p1!r}"
        )
    if np.any(np.isnan(rates)) or np.any((rates < 0) | (rates > 1)):
        raise UsageError(f"p1 must lie in [0, 1]; got {p1!r}")
    return np.broadcast_to(rates, (n,)).copy()


def _run(
    p1: np.ndarray,
    p2: float,
    p3: float,
    p4: float,
    m: int,
    n: int,
    periods: int | None,
    replications: int,
    rng: np.random.Generator,
) -> Replications:
    """Run ``replications`` copies of the model side by side."""
    reps = replications
    # Initial conditions are drawn first and in fixed shapes, so two settings run with the same
    # seed start from the same realities and beliefs (common random numbers).
    reality = rng.choice(np.array([-1, 1], dtype=np.int8), size=(reps, m))
    beliefs = rng.integers(-1, 2, size=(reps, n, m), dtype=np.int8)
    code = np.zeros((reps, m), dtype=np.int8)

    open_ended = periods is None
    limit = MAX_PERIODS if periods is None else periods
    can_settle = p3 == 0.0 and p4 == 0.0
    rate = p1[None, :, None]

    knowledge = np.zeros(reps)
    trajectory = np.empty((reps, limit))
    ran = np.full(reps, limit)
    settled = np.zeros(reps, dtype=bool)
    active = np.arange(reps)  # replications still changing; the arrays below hold only these

    t = 0
    for t in range(limit):
        k = active.size
        if p3 > 0.0:
            leavers = rng.random((k, n)) < p3
            fresh = rng.integers(-1, 2, size=(k, n, m), dtype=np.int8)
            beliefs = np.where(leavers[:, :, None], fresh, beliefs)
        if p4 > 0.0:
            reality = np.where(rng.random((k, m)) < p4, -reality, reality).astype(np.int8)

        # One draw per period serves the coin flips of neutral beliefs and socialization.
        draws = rng.random((2, k, n, m))
        coins = (draws[0] < 0.5).view(np.int8) * 2 - 1
        actions = np.where(beliefs != 0, beliefs, coins)
        scores = np.einsum("rnm,rm->rn", actions, reality, dtype=np.int32)

        code_b = code[:, None, :]
        moves = (code_b != 0) & (beliefs != code_b) & (draws[1] < rate)
        beliefs = beliefs + (moves * code_b).astype(np.int8)

        code_score = np.einsum("rm,rm->r", code, reality, dtype=np.int32)
        superior = scores > code_score[:, None]
        votes = np.einsum("rnm,rn->rm", actions, superior.astype(np.int8), dtype=np.int32)
        majority = np.sign(votes).astype(np.int8)
        adopt = (
            (majority != 0)
            & (majority != code)
            & (rng.random((k, m)) < 1.0 - (1.0 - p2) ** np.abs(votes))
        )
        code = np.where(adopt, majority, code)

        knowledge[active] = np.einsum("rm,rm->r", code, reality, dtype=np.int32) / m
        trajectory[:, t] = knowledge

        if can_settle:
            # Equilibrium: every belief equals the code and nobody could beat the code. Once
            # beliefs equal the code, an individual's best possible score is the code's score
            # plus its neutral dimensions (each guessed right), so "nobody could beat it" is
            # "the code has no neutral dimension".
            done = np.all(beliefs == code[:, None, :], axis=(1, 2)) & np.all(code != 0, axis=1)
            if done.any():
                finished = active[done]
                settled[finished] = True
                ran[finished] = t + 1
                keep = ~done
                active, beliefs, reality, code = (
                    active[keep],
                    beliefs[keep],
                    reality[keep],
                    code[keep],
                )
                if active.size == 0:
                    break

    # Settled replications keep their final knowledge for the rest of the requested periods.
    trajectory[:, t + 1 :] = knowledge[:, None]
    trajectory = trajectory[:, : t + 1] if open_ended else trajectory
    return Replications(
        knowledge=knowledge, trajectory=trajectory, periods=ran, equilibrium=settled
    )


def replicate(
    p1: float | Sequence[float] | np.ndarray,
    p2: float,
    p3: float = 0.0,
    p4: float = 0.0,
    m: int = 30,
    n: int = 50,
    periods: int | None = None,
    replications: int = 80,
    seed: int = 0,
) -> Replications:
    """Run independent replications of one setting (vectorized; see :func:`simulate`).

    Example:
        >>> reps = replicate(0.1, 0.9, replications=20, seed=1)
        >>> reps.knowledge.shape, bool(reps.equilibrium.all())
        ((20,), True)
    """
    n = _positive_int("n", n)
    m = _positive_int("m", m)
    rates = _socialization_rates(p1, n)
    p2, p3, p4 = (_probability(k, v) for k, v in (("p2", p2), ("p3", p3), ("p4", p4)))
    replications = _positive_int("replications", replications)
    if periods is not None:
        periods = _positive_int("periods", periods)
    elif p3 > 0 or p4 > 0:
        raise UsageError(
            f"periods must be given when p3 or p4 is positive (p3={p3}, p4={p4}): "
            "with turnover or turbulence the model has no equilibrium to run to"
        )
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise UsageError(f"seed must be an integer; got {seed!r}")
    rng = np.random.default_rng(seed)
    return _run(rates, p2, p3, p4, m, n, periods, replications, rng)


def simulate(
    p1: float | Sequence[float] | np.ndarray,
    p2: float,
    p3: float = 0.0,
    p4: float = 0.0,
    m: int = 30,
    n: int = 50,
    periods: int | None = None,
    seed: int = 0,
) -> MarchResult:
    """Run March's model once.

    Args:
        p1: socialization rate (learning of individuals from the code), one probability for
            everyone or a sequence of ``n`` probabilities (a team of fast and slow learners).
        p2: code learning rate (learning of the code from the superior group).
        p3: turnover: chance per period that an individual is replaced by a newcomer.
        p4: turbulence: chance per period that a dimension of reality flips.
        m: dimensions of reality.
        n: individuals.
        periods: periods to run; ``None`` runs to equilibrium (at most ``MAX_PERIODS``),
            which exists only without turnover and turbulence.
        seed: seed of ``numpy.random.default_rng``.

    Returns:
        A :class:`MarchResult` with the final knowledge and its trajectory.

    Example:
        >>> result = simulate(0.1, 0.9, seed=3)
        >>> result.equilibrium, len(result.trajectory) == result.periods
        (True, True)
    """
    reps = replicate(p1, p2, p3, p4, m=m, n=n, periods=periods, replications=1, seed=seed)
    return MarchResult(
        knowledge=float(reps.knowledge[0]),
        trajectory=reps.trajectory[0],
        periods=reps.trajectory.shape[1],
        equilibrium=bool(reps.equilibrium[0]),
    )


def _values(name: str, value: float | Sequence[float]) -> list[float]:
    if isinstance(value, int | float | np.integer | np.floating):
        return [float(value)]
    values = list(value)
    if not values:
        raise UsageError(f"{name} must be a probability or a non-empty list of them; got []")
    return [float(v) for v in values]


def sweep(
    p1: float | Sequence[float] = (0.1, 0.3, 0.5, 0.7, 0.9),
    p2: float | Sequence[float] = (0.1, 0.5, 0.9),
    p3: float | Sequence[float] = 0.0,
    p4: float | Sequence[float] = 0.0,
    m: int = 30,
    n: int = 50,
    periods: int | None = None,
    replications: int = 80,
    seed: int = 0,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Replicate every combination of the given parameter values.

    Each of ``p1``..``p4`` is a single value or a list of values; the grid is their product.
    Every cell uses the same ``seed``, so cells start from the same realities and initial
    beliefs (common random numbers), which makes differences between cells sharper.

    Returns:
        One row per cell: ``p1, p2, p3, p4, replications, mean, sd, ci_low, ci_high``
        (Student-t interval at ``confidence``), ``mean_periods`` and ``share_equilibrium``.

    Example:
        >>> table = sweep(p1=[0.1, 0.9], p2=0.9, replications=10)
        >>> list(table["p1"])
        [0.1, 0.9]
    """
    confidence = _probability("confidence", confidence)
    rows = []
    grid = product(*(_values(k, v) for k, v in (("p1", p1), ("p2", p2), ("p3", p3), ("p4", p4))))
    for a, b, c, d in grid:
        reps = replicate(
            a, b, c, d, m=m, n=n, periods=periods, replications=replications, seed=seed
        )
        mean, low, high = reps.interval(confidence)
        rows.append(
            {
                "p1": a,
                "p2": b,
                "p3": c,
                "p4": d,
                "replications": replications,
                "mean": mean,
                "sd": float(np.std(reps.knowledge, ddof=1)) if replications > 1 else float("nan"),
                "ci_low": low,
                "ci_high": high,
                "mean_periods": float(np.mean(reps.periods)),
                "share_equilibrium": float(np.mean(reps.equilibrium)),
            }
        )
    return pd.DataFrame(rows)
