"""Output analysis: replication summaries with t-intervals, and how many replications are enough."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from twomountains.errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

#: Columns of a results table that identify a run rather than measure it.
ID_COLUMNS = ("point", "policy", "rep", "seed")


def kpi_columns(df: pd.DataFrame) -> list[str]:
    """The measured (KPI) columns of a results table: numeric columns after ``seed``."""
    if "seed" not in df.columns:
        raise UsageError("results table: no 'seed' column; expected a table from a study function")
    after = list(df.columns[list(df.columns).index("seed") + 1 :])
    return after


def group_columns(df: pd.DataFrame) -> list[str]:
    """Columns that identify a design cell: ``point``, the swept parameters and ``policy``."""
    cols = list(df.columns)
    return cols[: cols.index("rep")] if "rep" in cols else []


def summarize(
    df: pd.DataFrame, confidence: float = 0.95, kpis: Sequence[str] | None = None
) -> pd.DataFrame:
    """Mean, sd, n, t-interval and relative half-width per KPI and design cell.

    ``df`` is a results table (one row per replication). Returns one row per (design cell, KPI) with
    columns: the cell's identifying columns, ``kpi``, ``n``, ``mean``, ``sd``, ``ci_low``, ``ci_high``,
    ``half_width`` and ``rel_half_width`` (half-width / |mean|; NaN when the mean is 0 and the
    half-width is not). With one replication the sd and interval are NaN.
    """
    import numpy as np
    import pandas as pd
    from scipy import stats

    if not 0 < confidence < 1:
        raise UsageError(f"confidence: got {confidence!r}, allowed: strictly between 0 and 1")
    names = list(kpis) if kpis is not None else kpi_columns(df)
    missing = [k for k in names if k not in df.columns]
    if missing:
        raise UsageError(f"unknown KPI {missing[0]!r}; allowed: {', '.join(kpi_columns(df))}")
    keys = group_columns(df)
    cells = df.groupby(keys, sort=False) if keys else df.assign(_all=0).groupby("_all")
    frames = []
    for order, kpi in enumerate(names):
        agg = cells[kpi].agg(["count", "mean", "std"]).reset_index()
        n = agg["count"].to_numpy()
        with np.errstate(invalid="ignore", divide="ignore"):
            tcrit = stats.t.ppf(0.5 + confidence / 2, np.where(n > 1, n - 1, np.nan))
            half = tcrit * agg["std"].to_numpy() / np.sqrt(n)
            mean = agg["mean"].to_numpy()
            rel = np.where(half == 0, 0.0, half / np.abs(mean))
        rel = np.where(np.isfinite(rel), rel, np.nan)
        frame = agg[keys].copy() if keys else pd.DataFrame(index=agg.index)
        frame["kpi"] = kpi
        frame["n"] = n
        frame["mean"] = mean
        frame["sd"] = agg["std"].to_numpy()
        frame["ci_low"] = mean - half
        frame["ci_high"] = mean + half
        frame["half_width"] = half
        frame["rel_half_width"] = rel
        # cells keep the study's order (first appearance), KPIs the order asked for
        frame["_order"] = np.arange(len(frame)) * len(names) + order
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True).sort_values("_order").drop(columns="_order")
    return out.reset_index(drop=True)


def t_interval(values: Sequence[float], confidence: float = 0.95) -> tuple[float, float, float]:
    """``(mean, low, high)``: the mean of ``values`` and its t-based interval (Student t, n - 1
    degrees of freedom). One value gives a zero-width interval (there is no spread to estimate).

    >>> [round(x, 3) for x in t_interval([1.0, 2.0, 3.0])]
    [2.0, -0.484, 4.484]
    """
    import statistics

    if not values:
        raise UsageError("t_interval: got no values; allowed: one or more numbers")
    n = len(values)
    mean = statistics.fmean(values)
    if n < 2:
        return mean, mean, mean
    from scipy import stats

    half = float(stats.t.ppf(0.5 + confidence / 2, n - 1)) * statistics.stdev(values) / math.sqrt(n)
    return mean, mean - half, mean + half


def relative_half_widths(values: Sequence[float], confidence: float = 0.95) -> list[float]:
    """Relative half-width of the t-interval of the cumulative mean after each replication.

    Entry ``i`` uses the first ``i + 1`` values (NaN for the first, which has no sd). A series with
    zero spread has relative half-width 0.

    >>> [round(x, 3) for x in relative_half_widths([10, 12, 11, 11])[1:]]
    [1.155, 0.226, 0.118]
    """
    from scipy import stats

    out: list[float] = [math.nan]
    total = 0.0
    total_sq = 0.0
    for i, x in enumerate(values):
        total += x
        total_sq += x * x
        n = i + 1
        if n == 1:
            continue
        mean = total / n
        var = max(0.0, (total_sq - n * mean * mean) / (n - 1))
        half = float(stats.t.ppf(0.5 + confidence / 2, n - 1)) * math.sqrt(var / n)
        if half <= 1e-12 * max(1.0, abs(mean)):
            out.append(0.0)
        elif mean == 0:
            out.append(math.inf)
        else:
            out.append(half / abs(mean))
    return out


def replications_needed(
    values: Sequence[float],
    target: float,
    confidence: float = 0.95,
    min_reps: int = 3,
    look_ahead: int = 5,
) -> int | None:
    """Smallest n whose relative half-width stays within ``target`` for a look-ahead period.

    The sequential rule of Hoad, Robinson & Davies (2010): accept n once the relative half-width is at
    most ``target`` at n and at each of the next ``look_ahead`` replications (for n above 100 the
    look-ahead grows to ``look_ahead * n / 100``). Returns ``None`` when ``values`` is too short to
    confirm any n.

    >>> replications_needed([10.0] * 20, target=0.05)
    3
    """
    rel = relative_half_widths(values, confidence)
    n_total = len(values)
    for n in range(max(min_reps, 2), n_total + 1):
        if not rel[n - 1] <= target:
            continue
        horizon = look_ahead if n <= 100 else math.floor(look_ahead * n / 100)
        if n + horizon > n_total:
            return None
        if all(r <= target for r in rel[n : n + horizon]):
            return n
    return None
