"""Counterfactuals: what other policies would have done on the fitted team, uncertainty included.

``draws`` parameter sets are sampled from the fit's posterior (by weight, seeded) and each is run
under every policy for ``seeds`` seeds. The seeds are the same for every draw and every policy
(common random numbers), so a policy's difference from the team's own policy is computed pair by
pair -- same parameters, same seed -- and is far less noisy than the difference of two means.
Intervals are the 2.5% and 97.5% quantiles over the draws x seeds runs: they carry both the
parameter uncertainty and the team's own randomness (a prediction interval for the team).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from twomountains.errors import UsageError

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from twomountains.fit.core import FitResult
    from twomountains.study.options import ExecutionOptions

#: KPIs compared by default (names from twomountains.books.KPI_NAMES).
DEFAULT_KPIS: tuple[str, ...] = (
    "value_delivered",
    "projects_shipped",
    "at_risk_share",
    "burnout_events",
    "attrition",
    "overtime_hours",
)
COLUMNS = (
    "policy",
    "kpi",
    "mean",
    "low",
    "high",
    "difference",
    "difference_low",
    "difference_high",
)


def counterfactuals(
    fit_result: FitResult,
    policies: Sequence[str],
    *,
    draws: int = 20,
    seeds: int = 5,
    seed: int = 0,
    kpis: Sequence[str] = DEFAULT_KPIS,
    execution: ExecutionOptions | None = None,
) -> pd.DataFrame:
    """One row per policy x KPI (the team's own policy first): see :data:`COLUMNS`.

    ``difference`` columns compare each policy with the team's own policy (``fit_result.policy``)
    run by run under common random numbers; for the own policy they are zero.
    """
    import numpy as np
    import pandas as pd

    import twomountains as tm
    from twomountains.books import KPI_NAMES
    from twomountains.study import execute
    from twomountains.study.core import resolve_policies, run_study
    from twomountains.study.options import ExecutionOptions

    for name, value in (("draws", draws), ("seeds", seeds)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise UsageError(f"{name}: got {value!r}; allowed: a whole number >= 1")
    for kpi in kpis:
        if kpi not in KPI_NAMES:
            raise UsageError(f"kpi: got {kpi!r}; allowed: {', '.join(KPI_NAMES)}")
    own = fit_result.policy
    specs = resolve_policies([own, *policies], execute.run_kpis)
    specs = list(dict.fromkeys(specs))  # the own policy once, first
    post = fit_result.posterior
    names = [c for c in post.columns if c != "weight"]
    rng = np.random.default_rng(seed)
    picks = rng.choice(len(post), size=draws, replace=True, p=post["weight"].to_numpy())
    points = [{n: float(post[n].iloc[i]) for n in names} for i in picks]
    tm.Scenario.from_dict(fit_result.scenario)  # a bad base scenario fails before any run
    runs = run_study(
        dict(fit_result.scenario),
        points,
        names,
        specs,
        seeds,
        seed,
        model=execute.run_kpis,
        design_info={"kind": "fit counterfactuals", "posterior_draws": draws},
        execution=execution or ExecutionOptions(quiet=True),
    )
    # runs are numbered (point, policy, rep): the own policy's run of the same point and rep
    base_runs = runs[runs["policy"] == specs[0]].set_index(["point", "rep"])
    rows = []
    for spec in specs:
        mine = runs[runs["policy"] == spec].set_index(["point", "rep"])
        for kpi in kpis:
            values = mine[kpi].to_numpy(dtype=float)
            diff = (mine[kpi] - base_runs.loc[mine.index, kpi]).to_numpy(dtype=float)
            low, high = np.quantile(values, [0.025, 0.975])
            d_low, d_high = np.quantile(diff, [0.025, 0.975])
            rows.append(
                {
                    "policy": spec,
                    "kpi": kpi,
                    "mean": float(values.mean()),
                    "low": float(low),
                    "high": float(high),
                    "difference": float(diff.mean()),
                    "difference_low": float(d_low),
                    "difference_high": float(d_high),
                }
            )
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    table.attrs["own_policy"] = specs[0]
    table.attrs["runs_per_policy"] = draws * seeds
    return table


def plot_counterfactuals(
    table: pd.DataFrame,
    kpi: str = "value_delivered",
    *,
    differences: bool = False,
    theme: str = "light",
) -> tuple[Figure, str]:
    """Each policy's KPI on the fitted team: mean and 95% interval, the own policy marked.

    With ``differences=True`` each policy's paired difference from the team's own policy is
    drawn instead (same draws and seeds: the comparison that answers "would it have been
    better?"). Returns ``(fig, alt)`` like :mod:`twomountains.plots` (figure not registered with
    pyplot, readable on the light and the dark theme, one sentence of alt text from the data).
    """
    from twomountains import plots

    rows = table[table["kpi"] == kpi]
    if rows.empty:
        kpis = ", ".join(dict.fromkeys(table["kpi"]))
        raise UsageError(f"kpi: got {kpi!r}; allowed: {kpis}")
    own = table.attrs.get("own_policy", rows["policy"].iloc[0])
    if differences:
        rows = rows[rows["policy"] != own]
        if rows.empty:
            raise UsageError("policies: only the team's own policy; allowed: at least one other")
    mean, low, high = (
        ("difference", "difference_low", "difference_high")
        if differences
        else ("mean", "low", "high")
    )
    colours = plots._colours(theme)
    fig, (ax,) = plots._figure(theme, height=1.2 + 0.55 * len(rows))
    labels = []
    for i, (_, row) in enumerate(rows.iterrows()):
        colour = plots.PALETTE[i % len(plots.PALETTE)]
        marker = plots.MARKERS[i % len(plots.MARKERS)]
        ax.errorbar(
            row[mean],
            i,
            xerr=[[row[mean] - row[low]], [row[high] - row[mean]]],
            fmt=marker,
            color=colour,
            ecolor=colour,
            capsize=4,
            markersize=7,
        )
        labels.append(f"{row['policy']} (own)" if row["policy"] == own else str(row["policy"]))
    own_mean = rows.loc[rows["policy"] == own, "mean"]
    reference = 0.0 if differences else (float(own_mean.iloc[0]) if len(own_mean) else None)
    if reference is not None:
        ax.axvline(reference, color=colours["muted"], linestyle="--", linewidth=1)
    ax.set_yticks(range(len(rows)), labels)
    ax.invert_yaxis()
    label = plots._label(kpi)
    what = f"{label} minus {own}'s" if differences else label
    plots._titles(
        ax,
        theme,
        f"{label} on the fitted team" + (f": difference from {own}" if differences else ""),
        f"{what} (mean and 95% interval over posterior draws x seeds)",
        "",
    )
    parts = [
        f"{row['policy']} {plots._fmt(row[mean])} ({plots._fmt(row[low])} to "
        f"{plots._fmt(row[high])})"
        for _, row in rows.iterrows()
    ]
    if differences:
        alt = (
            f"{label.capitalize()} of the fitted team under {len(rows)} other policies minus "
            f"under its own policy {own}, paired on the same draws and seeds, mean and 95% "
            f"interval: {plots.join_words(parts)}."
        )
    else:
        alt = (
            f"{label.capitalize()} of the fitted team under {len(rows)} policies, mean and 95% "
            f"interval, the team's own policy {own} first: {plots.join_words(parts)}."
        )
    return fig, alt
