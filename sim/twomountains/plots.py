"""Standard figures of Two Mountains studies (matplotlib, imported on first use).

Every function returns ``(fig, alt)``: a :class:`matplotlib.figure.Figure` that is not registered
with pyplot (nothing leaks between calls; save it with ``fig.savefig``) and one sentence of alt text
computed from the plotted data. ``theme="light"`` draws on white and ``theme="dark"`` on the course's
dark background; the series colours keep at least 3:1 contrast on both, and lines also differ by
marker and dash so colour is never the only cue.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from twomountains.errors import UsageError

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Colour-blind-safe series colours (Okabe-Ito hues at mid lightness): >= 3:1 contrast on both
#: backgrounds below.
PALETTE = ("#3b82c4", "#D55E00", "#009E73", "#a66bbf", "#A6761D", "#CC79A7")
MARKERS = ("o", "s", "^", "D", "v", "P")
DASHES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (3, 1)))
THEMES = {
    "light": {"background": "#ffffff", "ink": "#222222", "muted": "#5a5a5a", "grid": "#d0d0d0"},
    "dark": {"background": "#1e2129", "ink": "#dddddd", "muted": "#aaaaaa", "grid": "#3a3f4b"},
}


def _label(name: str) -> str:
    return name.replace("_", " ")


def _fmt(x: float) -> str:
    return f"{x:.3g}"


def relative_luminance(colour: str | Sequence[float] | Any) -> float:
    """WCAG relative luminance of a ``#rrggbb`` string or an RGB(A) tuple of floats in [0, 1].

    >>> round(relative_luminance("#ffffff"), 3), round(relative_luminance((0.0, 0.0, 0.0)), 3)
    (1.0, 0.0)
    """
    if isinstance(colour, str):
        rgb = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    else:
        rgb = [float(x) for x in colour[:3]]
    lin = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _colours(theme: str) -> dict[str, str]:
    if theme not in THEMES:
        raise UsageError(f"theme: got {theme!r}, allowed: light, dark")
    return THEMES[theme]


def _figure(theme: str, nrows: int = 1, height: float = 4.2) -> tuple[Figure, list[Axes]]:
    from matplotlib.figure import Figure

    c = _colours(theme)
    fig = Figure(figsize=(7.0, height), layout="constrained", facecolor=c["background"])
    axes = fig.subplots(nrows, 1, sharex=True, squeeze=False)[:, 0]
    for ax in axes:
        ax.set_facecolor(c["background"])
        ax.tick_params(colors=c["ink"], labelcolor=c["ink"])
        for spine in ax.spines.values():
            spine.set_color(c["muted"])
        ax.grid(True, color=c["grid"], linewidth=0.8)
        ax.set_axisbelow(True)
    return fig, list(axes)


def _titles(ax: Axes, theme: str, title: str | None, xlabel: str, ylabel: str) -> None:
    ink = _colours(theme)["ink"]
    if title:
        ax.set_title(title, color=ink)
    ax.set_xlabel(xlabel, color=ink)
    ax.set_ylabel(ylabel, color=ink)


def _legend(ax: Axes, theme: str, title: str | None = None) -> None:
    c = _colours(theme)
    legend = ax.legend(frameon=False, title=title)
    for text in legend.get_texts():
        text.set_color(c["ink"])
    legend.get_title().set_color(c["ink"])


def _require(df: pd.DataFrame, columns: Sequence[str]) -> None:
    for col in columns:
        if col not in df.columns:
            raise UsageError(f"results table: no column {col!r}; columns: {', '.join(df.columns)}")


def mean_ci(
    df: pd.DataFrame, by: Sequence[str], kpi: str, confidence: float = 0.95
) -> pd.DataFrame:
    """Mean, t-interval bounds and n of ``kpi`` per group of ``by`` (groups in sorted order)."""
    import numpy as np
    from scipy import stats

    _require(df, [*by, kpi])
    agg = df.groupby(list(by), sort=True)[kpi].agg(["mean", "std", "count"]).reset_index()
    n = agg["count"].to_numpy()
    with np.errstate(invalid="ignore"):
        t = stats.t.ppf(0.5 + confidence / 2, np.where(n > 1, n - 1, np.nan))
    half = np.nan_to_num(t * agg["std"].to_numpy() / np.sqrt(n))
    agg["low"] = agg["mean"] - half
    agg["high"] = agg["mean"] + half
    return agg


def explore_share(policy: str) -> float | None:
    """The explore share of a ``fixed:SHARE`` policy spec, else None."""
    if policy.startswith("fixed:"):
        try:
            return float(policy.split(":", 1)[1])
        except ValueError:
            return None
    return None


def _line_with_band(ax: Axes, x: Any, agg: pd.DataFrame, i: int, label: str | None) -> None:
    colour = PALETTE[i % len(PALETTE)]
    ax.fill_between(x, agg["low"], agg["high"], color=colour, alpha=0.2, linewidth=0)
    ax.plot(
        x,
        agg["mean"],
        color=colour,
        marker=MARKERS[i % len(MARKERS)],
        linestyle=DASHES[i % len(DASHES)],
        label=label,
    )


def value_vs_explore(
    df: pd.DataFrame, kpi: str = "value_delivered", theme: str = "light"
) -> tuple[Figure, str]:
    """Mean ``kpi`` against the explore share of ``fixed:SHARE`` policies, with a 95% band.

    ``df`` is a results table of a sweep over ``fixed:`` policies (other policies are ignored).
    """
    _require(df, ["policy", kpi])
    shares = df["policy"].map(explore_share)
    data = df.assign(explore_share=shares).dropna(subset=["explore_share"])
    if data["explore_share"].nunique() < 2:
        raise UsageError("value_vs_explore: needs runs of at least two fixed:SHARE policies")
    agg = mean_ci(data, ["explore_share"], kpi)
    fig, (ax,) = _figure(theme)
    _line_with_band(ax, agg["explore_share"], agg, 0, None)
    _titles(ax, theme, None, "explore share (fixed split)", f"{_label(kpi)} (mean, 95% CI)")
    best = agg.loc[agg["mean"].idxmax()]
    worst = agg.loc[agg["mean"].idxmin()]
    alt = (
        f"Mean {_label(kpi)} is highest at explore share {_fmt(best['explore_share'])} "
        f"({_fmt(best['mean'])}, 95% CI {_fmt(best['low'])} to {_fmt(best['high'])}) and lowest "
        f"at share {_fmt(worst['explore_share'])} ({_fmt(worst['mean'])}), over "
        f"{len(agg)} shares from {_fmt(agg['explore_share'].min())} to "
        f"{_fmt(agg['explore_share'].max())}."
    )
    return fig, alt


def heatmap(
    df: pd.DataFrame,
    x: str,
    y: str,
    kpi: str = "burnout_rate_per_person_year",
    theme: str = "light",
) -> tuple[Figure, str]:
    """Mean ``kpi`` over two swept parameters ``x`` and ``y`` (cividis, values printed in cells)."""
    import numpy as np

    _require(df, [x, y, kpi])
    table = df.groupby([y, x], sort=True)[kpi].mean().unstack(x)
    fig, (ax,) = _figure(theme, height=4.8)
    values = table.to_numpy(dtype=float)
    image = ax.imshow(values, origin="lower", aspect="auto", cmap="cividis")
    ax.grid(False)
    ax.set_xticks(range(table.shape[1]), [_fmt(v) for v in table.columns])
    ax.set_yticks(range(table.shape[0]), [_fmt(v) for v in table.index])
    lo, hi = np.nanmin(values), np.nanmax(values)
    for (r, c), v in np.ndenumerate(values):
        # black or white, whichever contrasts more with this cell's colour
        cell = relative_luminance(image.cmap(image.norm(v)))
        ink = "#000000" if (cell + 0.05) / 0.05 >= 1.05 / (cell + 0.05) else "#ffffff"
        ax.text(c, r, _fmt(v), ha="center", va="center", color=ink)
    bar = fig.colorbar(image, ax=ax)
    ink = _colours(theme)["ink"]
    bar.ax.tick_params(colors=ink, labelcolor=ink)
    bar.set_label(f"mean {_label(kpi)}", color=ink)
    _titles(ax, theme, None, _label(x), _label(y))
    r_hi, c_hi = np.unravel_index(np.nanargmax(values), values.shape)
    r_lo, c_lo = np.unravel_index(np.nanargmin(values), values.shape)
    alt = (
        f"Mean {_label(kpi)} ranges from {_fmt(lo)} at {_label(x)} = {_fmt(table.columns[c_lo])} "
        f"and {_label(y)} = {_fmt(table.index[r_lo])} to {_fmt(hi)} at {_label(x)} = "
        f"{_fmt(table.columns[c_hi])} and {_label(y)} = {_fmt(table.index[r_hi])}."
    )
    return fig, alt


def burnout_vs_deadline(
    df: pd.DataFrame,
    kpi: str = "burnout_rate_per_person_year",
    deadline: str = "deadline_weeks",
    theme: str = "light",
) -> tuple[Figure, str]:
    """Mean burnout risk (``kpi``) against the deadline, one line with a 95% band per policy."""
    _require(df, [deadline, "policy", kpi])
    fig, (ax,) = _figure(theme)
    policies = list(dict.fromkeys(df["policy"]))
    changes = []
    for i, policy in enumerate(policies):
        agg = mean_ci(df[df["policy"] == policy], [deadline], kpi)
        _line_with_band(ax, agg[deadline], agg, i, policy)
        changes.append((policy, agg.iloc[0], agg.iloc[-1]))
    _titles(ax, theme, None, _label(deadline), f"{_label(kpi)} (mean, 95% CI)")
    _legend(ax, theme, "policy")
    policy, first, last = max(changes, key=lambda c: abs(c[2]["mean"] - c[1]["mean"]))
    alt = (
        f"Across {len(policies)} polic{'y' if len(policies) == 1 else 'ies'}, mean {_label(kpi)} "
        f"changes most under {policy}: from {_fmt(first['mean'])} at {_fmt(first[deadline])} to "
        f"{_fmt(last['mean'])} at {_fmt(last[deadline])} {_label(deadline)}."
    )
    return fig, alt


def pareto_front(points: Sequence[tuple[float, float]]) -> list[bool]:
    """Which (value, burnout) points are Pareto-efficient: no other point has more value and
    no more burnout, or no less value and less burnout.

    >>> pareto_front([(10, 1), (8, 0.5), (7, 2)])
    [True, True, False]
    """
    out = []
    for i, (v, b) in enumerate(points):
        dominated = any(
            (v2 >= v and b2 <= b) and (v2 > v or b2 < b)
            for j, (v2, b2) in enumerate(points)
            if j != i
        )
        out.append(not dominated)
    return out


def pareto(
    df: pd.DataFrame,
    value: str = "value_delivered",
    burnout: str = "burnout_rate_per_person_year",
    theme: str = "light",
) -> tuple[Figure, str]:
    """Mean value against mean burnout per policy (95% CI bars), the Pareto front joined."""
    _require(df, ["policy", value, burnout])
    order = list(dict.fromkeys(df["policy"]))
    v = mean_ci(df, ["policy"], value).set_index("policy").loc[order]
    b = mean_ci(df, ["policy"], burnout).set_index("policy").loc[order]
    efficient = pareto_front(list(zip(v["mean"], b["mean"], strict=True)))
    fig, (ax,) = _figure(theme)
    c = _colours(theme)
    front = sorted(
        (b.loc[p, "mean"], v.loc[p, "mean"]) for p, e in zip(order, efficient, strict=True) if e
    )
    ax.plot(
        [f[0] for f in front], [f[1] for f in front], color=c["muted"], linestyle="--", zorder=1
    )
    for i, policy in enumerate(order):
        ax.errorbar(
            b.loc[policy, "mean"],
            v.loc[policy, "mean"],
            xerr=[
                [b.loc[policy, "mean"] - b.loc[policy, "low"]],
                [b.loc[policy, "high"] - b.loc[policy, "mean"]],
            ],
            yerr=[
                [v.loc[policy, "mean"] - v.loc[policy, "low"]],
                [v.loc[policy, "high"] - v.loc[policy, "mean"]],
            ],
            color=PALETTE[i % len(PALETTE)],
            marker=MARKERS[i % len(MARKERS)],
            markersize=8,
            linestyle="none",
            label=policy + (" (Pareto front)" if efficient[i] else ""),
            zorder=2,
        )
    _titles(ax, theme, None, f"{_label(burnout)} (mean, 95% CI)", f"{_label(value)} (mean, 95% CI)")
    _legend(ax, theme, "policy")
    top = v["mean"].idxmax()
    names = [p for p, e in zip(order, efficient, strict=True) if e]
    alt = (
        f"{len(names)} of {len(order)} policies are on the value/burnout Pareto front "
        f"({', '.join(names)}); {top} delivers the most value ({_fmt(v.loc[top, 'mean'])}) "
        f"with mean {_label(burnout)} {_fmt(b.loc[top, 'mean'])}."
    )
    return fig, alt


def weekly(runs: Sequence[Any], theme: str = "light") -> tuple[Figure, str]:
    """Weekly mean exhaustion, capability and technical debt of one or more runs (``tm.run``)."""
    if not runs:
        raise UsageError("weekly: got no runs, allowed: one or more results of twomountains.run")
    panels = (
        ("exhaustion_mean", "mean exhaustion\n(1 = burnout)"),
        ("capability", "capability"),
        ("debt", "technical debt"),
    )
    fig, axes = _figure(theme, nrows=3, height=6.6)
    for i, result in enumerate(runs):
        weeks = result.weekly["week"]
        for ax, (key, _) in zip(axes, panels, strict=True):
            ax.plot(
                weeks,
                result.weekly[key],
                color=PALETTE[i % len(PALETTE)],
                linestyle=DASHES[i % len(DASHES)],
                label=f"{result.policy} (seed {result.seed})",
            )
    for ax, (_, label) in zip(axes, panels, strict=True):
        _titles(ax, theme, None, "", label)
    _titles(axes[-1], theme, None, "week", panels[-1][1])
    _legend(axes[0], theme)
    parts = []
    for result in runs[:3]:
        w = result.weekly
        exhaustion = w["exhaustion_mean"]
        peak = max(range(len(exhaustion)), key=exhaustion.__getitem__)
        parts.append(
            f"under {result.policy} mean exhaustion peaks at {_fmt(exhaustion[peak])} in week "
            f"{_fmt(w['week'][peak])}, capability ends at {_fmt(w['capability'][-1])} and debt at "
            f"{_fmt(w['debt'][-1])}"
        )
    more = f" ({len(runs) - 3} more runs plotted)" if len(runs) > 3 else ""
    alt = f"Over {len(runs[0].weekly['week'])} weeks, " + "; ".join(parts) + more + "."
    return fig, alt


def sensitivity_bars(indices: pd.DataFrame, theme: str = "light") -> tuple[Figure, str]:
    """Horizontal bars of sensitivity indices with their confidence half-widths.

    ``indices`` is the table of :func:`twomountains.study.sensitivity`: Morris (``mu_star``) or
    Sobol (``ST`` and ``S1``). Parameters are sorted by importance, most important on top.
    """
    import numpy as np

    if "mu_star" in indices.columns:
        series = [("mu_star", "mu*")]
        measure = "mu_star"
    elif "ST" in indices.columns:
        series = [("ST", "total (ST)"), ("S1", "first order (S1)")]
        measure = "ST"
    else:
        raise UsageError("sensitivity_bars: table has neither mu_star (Morris) nor ST (Sobol)")
    data = indices.sort_values(measure, ascending=True)
    fig, (ax,) = _figure(theme, height=max(2.5, 0.5 * len(data) + 1.5))
    pos = np.arange(len(data))
    height = 0.8 / len(series)
    for i, (col, label) in enumerate(series):
        ax.barh(
            pos + (i - (len(series) - 1) / 2) * height,
            data[col],
            height=height,
            xerr=data[f"{col}_conf"],
            color=PALETTE[i],
            hatch=("", "//")[i],
            edgecolor=_colours(theme)["background"],
            error_kw={"ecolor": _colours(theme)["ink"]},
            label=label,
        )
    ax.set_yticks(pos, [_label(p) for p in data["parameter"]])
    kpi = indices.attrs.get("kpi", "the output")
    _titles(ax, theme, None, f"sensitivity of {_label(kpi)}", "")
    if len(series) > 1:
        _legend(ax, theme)
    ranked = list(data.itertuples(index=False))[::-1]
    top, low = ranked[0], ranked[-1]
    name = series[0][1]
    conf = f"{measure}_conf"
    alt = (
        f"By {name}, {_label(top.parameter)} matters most for {_label(kpi)} "
        f"({_fmt(getattr(top, measure))} ± {_fmt(getattr(top, conf))})"
        + (
            f", then {_label(ranked[1].parameter)} ({_fmt(getattr(ranked[1], measure))})"
            if len(ranked) > 2
            else ""
        )
        + f", and {_label(low.parameter)} least ({_fmt(getattr(low, measure))})."
    )
    return fig, alt
