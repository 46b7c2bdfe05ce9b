"""Standard figures of Two Mountains studies (matplotlib, imported on first use).

Every function returns ``(fig, alt)``: a :class:`matplotlib.figure.Figure` that is not registered
with pyplot (nothing leaks between calls; save it with ``fig.savefig``) and one sentence of alt text
computed from the plotted data. ``theme="light"`` draws on white and ``theme="dark"`` on the course's
dark background; the series colours keep at least 3:1 contrast on both, and lines also differ by
marker and dash so colour is never the only cue.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from twomountains.errors import UsageError

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Colour-blind-safe series colours (Okabe-Ito hues at mid lightness): >= 3:1 contrast on both
#: backgrounds below; the seventh, a neutral grey, lets seven series (five policies and two
#: splits) differ in colour and marker.
PALETTE = ("#3b82c4", "#D55E00", "#009E73", "#a66bbf", "#A6761D", "#CC79A7", "#808080")
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
DASHES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (3, 1)), (0, (1, 1)))
THEMES = {
    "light": {"background": "#ffffff", "ink": "#222222", "muted": "#5a5a5a", "grid": "#d0d0d0"},
    "dark": {"background": "#1e2129", "ink": "#dddddd", "muted": "#aaaaaa", "grid": "#3a3f4b"},
}


def _label(name: str) -> str:
    return name.replace("_", " ")


def _fmt(x: float) -> str:
    # three significant figures, but never in scientific notation for the values a year produces
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.3g}"


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


#: KPIs that are shares of something: they lie in [0, 1]; their intervals are clipped there.
SHARE_KPIS = frozenset({"at_risk_share", "explore_share_realized", "pressure_capped_share"})
#: Suffixes and names of KPIs that cannot be negative (hours, counts, rates, values, stocks).
_NON_NEGATIVE_SUFFIXES = ("_hours", "_events", "_rate_per_person_year", "_value", "_final")
_NON_NEGATIVE_KPIS = frozenset(
    {
        "attrition",
        "deadlines_missed",
        "fragile_ships",
        "incidents",
        "incidents_paged",
        "mirages_shipped",
        "peak_exhaustion",
        "pressure_mean",
        "shipped_on_time",
        "value_delivered",
    }
)


def kpi_bounds(kpi: str) -> tuple[float | None, float | None]:
    """The possible range of a KPI, ``(lower, upper)`` with None for no bound.

    Shares lie in [0, 1]; hours, counts, rates and values are not negative; anything else (a
    custom model's output) is unbounded. Intervals are clipped to this range: a burnout rate's
    interval that would reach below zero says only that the rate may be zero.

    >>> kpi_bounds("at_risk_share"), kpi_bounds("burnout_rate_per_person_year"), kpi_bounds("x")
    ((0.0, 1.0), (0.0, None), (None, None))
    """
    if kpi in SHARE_KPIS or kpi.endswith("_share"):
        return 0.0, 1.0
    if (
        kpi in _NON_NEGATIVE_KPIS
        or kpi.startswith("projects_")
        or kpi.endswith(_NON_NEGATIVE_SUFFIXES)
    ):
        return 0.0, None
    return None, None


def clip(x: float, bounds: tuple[float | None, float | None]) -> float:
    """``x`` moved into ``bounds`` (``(lower, upper)``, None for no bound)."""
    lower, upper = bounds
    if lower is not None and x < lower:
        return lower
    if upper is not None and x > upper:
        return upper
    return x


def t_interval(
    values: Sequence[float],
    confidence: float = 0.95,
    bounds: tuple[float | None, float | None] = (None, None),
) -> tuple[float, float, float]:
    """``(mean, low, high)``: the mean and its t-based interval, clipped to ``bounds``.

    One value gives a zero-width interval (there is no spread to estimate).

    >>> [round(x, 2) for x in t_interval([0.0, 0.0, 0.3], bounds=(0.0, None))]
    [0.1, 0.0, 0.53]
    """
    from twomountains.study.stats import t_interval as unclipped

    mean, low, high = unclipped(values, confidence)
    return mean, clip(low, bounds), clip(high, bounds)


def paired_differences(
    values: Mapping[Any, Sequence[float]], reference: Any, confidence: float = 0.95
) -> dict[Any, tuple[float, float, float]]:
    """Each arm's difference from ``reference``, run by run (common random numbers: the i-th value
    of every arm comes from the same seed), as ``(mean, low, high)`` with a t-interval.

    >>> paired_differences({"a": [1.0, 2.0], "b": [2.0, 3.0]}, "a")["b"]
    (1.0, 1.0, 1.0)
    """
    base = values[reference]
    out = {}
    for arm, arm_values in values.items():
        if len(arm_values) != len(base):
            raise UsageError(
                f"paired_differences: arm {arm!r} has {len(arm_values)} runs; allowed: as many as "
                f"the reference {reference!r} ({len(base)}), seed by seed"
            )
        out[arm] = t_interval([a - b for a, b in zip(arm_values, base, strict=True)], confidence)
    return out


@dataclass(frozen=True)
class Peak:
    """The arm with the highest mean, its interval, and the arms that cannot be told apart from it
    (their paired interval of the difference from the peak includes zero)."""

    best: Any
    mean: float
    low: float
    high: float
    ties: tuple[Any, ...]
    differences: dict[Any, tuple[float, float, float]]


def find_peak(
    values: Mapping[Any, Sequence[float]],
    bounds: tuple[float | None, float | None] = (None, None),
    confidence: float = 0.95,
) -> Peak:
    """The peak of ``values`` (arm -> values seed by seed) with paired comparisons against it.

    >>> find_peak({0.0: [1.0, 2.0, 3.0], 0.1: [5.0, 6.0, 7.5], 0.2: [5.0, 6.5, 7.0]}).ties
    (0.2,)
    """
    import statistics

    if not values:
        raise UsageError("find_peak: got no arms, allowed: one or more arms with values")
    best = max(values, key=lambda arm: statistics.fmean(values[arm]))
    mean, low, high = t_interval(values[best], confidence, bounds)
    differences = paired_differences(values, best, confidence)
    ties = tuple(arm for arm, (_, lo, hi) in differences.items() if arm != best and lo <= 0.0 <= hi)
    return Peak(best, mean, low, high, ties, differences)


def join_words(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def peak_text(peak: Peak, arm_name: str, number: Callable[[float], str] = _fmt) -> str:
    """One sentence about a peak that claims no more than its paired intervals show.

    >>> p = find_peak({0.0: [1.0, 2.0, 3.0], 0.1: [5.0, 6.0, 7.5], 0.2: [5.0, 6.5, 7.0]})
    >>> peak_text(p, "explore share")
    'the highest mean is at explore share 0.1 (6.17, 95% CI 3.04 to 9.29), but it cannot be told apart from explore share 0.2 (the paired 95% interval of the difference includes zero)'
    """
    head = (
        f"the highest mean is at {arm_name} {_arm(peak.best)} ({number(peak.mean)}, 95% CI "
        f"{number(peak.low)} to {number(peak.high)})"
    )
    if not peak.ties:
        others = len(peak.differences) - 1
        return head + (
            f"; each of the other {others} is lower (paired 95% intervals of the difference "
            "exclude zero)"
            if others
            else ""
        )
    names = join_words([_arm(a) for a in sorted(peak.ties, key=_sort_key)]).replace(" and ", " or ")
    return (
        f"{head}, but it cannot be told apart from {arm_name} {names} (the paired 95% interval of "
        f"{'the difference' if len(peak.ties) == 1 else 'each difference'} includes zero)"
    )


def _arm(arm: Any) -> str:
    return _fmt(arm) if isinstance(arm, float | int) else str(arm)


def _sort_key(arm: Any) -> tuple[int, Any]:
    return (0, arm) if isinstance(arm, float | int) else (1, str(arm))


def mean_ci(
    df: pd.DataFrame,
    by: Sequence[str],
    kpi: str,
    confidence: float = 0.95,
    *,
    bounds: tuple[float | None, float | None] | None = None,
) -> pd.DataFrame:
    """Mean, t-interval bounds and n of ``kpi`` per group of ``by`` (groups in sorted order).

    The interval is clipped to ``bounds`` (default: :func:`kpi_bounds` of ``kpi``, so a rate's
    interval never goes below zero and a share's stays within [0, 1]).
    """
    import numpy as np
    from scipy import stats

    _require(df, [*by, kpi])
    lower, upper = kpi_bounds(kpi) if bounds is None else bounds
    agg = df.groupby(list(by), sort=True)[kpi].agg(["mean", "std", "count"]).reset_index()
    n = agg["count"].to_numpy()
    with np.errstate(invalid="ignore"):
        t = stats.t.ppf(0.5 + confidence / 2, np.where(n > 1, n - 1, np.nan))
    half = np.nan_to_num(t * agg["std"].to_numpy() / np.sqrt(n))
    agg["low"] = (agg["mean"] - half).clip(lower=lower, upper=upper)
    agg["high"] = (agg["mean"] + half).clip(lower=lower, upper=upper)
    return agg


def _values_by(df: pd.DataFrame, by: str, kpi: str) -> dict[Any, list[float]] | None:
    """``{group: values in seed order}`` when every group has the same seeds (common random
    numbers, so runs can be paired), else None."""
    if "seed" not in df.columns:
        return None
    groups = {key: g.sort_values("seed") for key, g in df.groupby(by, sort=True)}
    seeds = [tuple(g["seed"]) for g in groups.values()]
    if not seeds or any(s != seeds[0] for s in seeds) or len(set(seeds[0])) != len(seeds[0]):
        return None
    return {key: [float(v) for v in g[kpi]] for key, g in groups.items()}


def _start_at_zero(ax: Axes, kpi: str, axis: str = "y") -> None:
    """Quantities that cannot be negative start their axis at zero, so that a small difference
    is not drawn as a steep one (the axis shows the quantity's whole range from its floor)."""
    lower, _ = kpi_bounds(kpi)
    if lower is None:
        return
    if axis == "y":
        ax.set_ylim(bottom=lower)
    else:
        ax.set_xlim(left=lower)


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
    When every share was run with the same seeds (common random numbers), the shares that cannot
    be told apart from the best one (paired 95% interval of the difference includes zero) are
    ringed, and the alt text names them.
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
    _start_at_zero(ax, kpi)
    best = agg.loc[agg["mean"].idxmax()]
    worst = agg.loc[agg["mean"].idxmin()]
    paired = _values_by(data, "explore_share", kpi)
    if paired is not None:
        peak = find_peak(paired, kpi_bounds(kpi))
        ring = [best["explore_share"], *peak.ties]
        means = agg.set_index("explore_share")["mean"]
        ax.scatter(
            ring,
            [means[s] for s in ring],
            s=160,
            facecolors="none",
            edgecolors=_colours(theme)["ink"],
            linewidths=1.2,
            zorder=3,
            label="highest mean, or not told apart from it (paired 95% CI)",
        )
        _legend(ax, theme)
        head = f"For {_label(kpi)}, " + peak_text(peak, "explore share")
    else:
        head = (
            f"Mean {_label(kpi)} is highest at explore share {_fmt(best['explore_share'])} "
            f"({_fmt(best['mean'])}, 95% CI {_fmt(best['low'])} to {_fmt(best['high'])})"
        )
    alt = (
        f"{head}; it is lowest at share {_fmt(worst['explore_share'])} ({_fmt(worst['mean'])}), "
        f"over {len(agg)} shares from {_fmt(agg['explore_share'].min())} to "
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
    """Mean burnout risk (``kpi``) against the deadline, one line with a 95% band per policy.

    Bands are clipped to the KPI's possible range (a rate is not negative) and the axis starts at
    zero. The alt text reports the policy whose mean changes most between the shortest and the
    longest deadline, with both intervals, and whether the change can be told from noise (paired
    by seed when every deadline used the same seeds).
    """
    _require(df, [deadline, "policy", kpi])
    fig, (ax,) = _figure(theme)
    policies = list(dict.fromkeys(df["policy"]))
    changes = []
    for i, policy in enumerate(policies):
        rows = df[df["policy"] == policy]
        agg = mean_ci(rows, [deadline], kpi)
        _line_with_band(ax, agg[deadline], agg, i, policy)
        changes.append((policy, agg.iloc[0], agg.iloc[-1], rows))
    _titles(ax, theme, None, _label(deadline), f"{_label(kpi)} (mean, 95% CI)")
    _start_at_zero(ax, kpi)
    _legend(ax, theme, "policy")
    policy, first, last, rows = max(changes, key=lambda c: abs(c[2]["mean"] - c[1]["mean"]))
    alt = (
        f"Across {len(policies)} polic{'y' if len(policies) == 1 else 'ies'}, mean {_label(kpi)} "
        f"changes most under {policy}: from {_fmt(first['mean'])} (95% CI {_fmt(first['low'])} "
        f"to {_fmt(first['high'])}) at {_fmt(first[deadline])} to {_fmt(last['mean'])} (95% CI "
        f"{_fmt(last['low'])} to {_fmt(last['high'])}) at {_fmt(last[deadline])} "
        f"{_label(deadline)}"
    )
    paired = _values_by(rows, deadline, kpi)
    if paired is not None and len(paired) > 1:
        diff, low, high = paired_differences(paired, first[deadline])[last[deadline]]
        told = "cannot be told from noise" if low <= 0.0 <= high else "is more than noise"
        alt += f"; the paired difference, {_fmt(diff)} (95% CI {_fmt(low)} to {_fmt(high)}), {told}"
    return fig, alt + "."


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
            clip_on=False,  # a policy with no risk sits on the axis, which starts at zero
        )
    _titles(ax, theme, None, f"{_label(burnout)} (mean, 95% CI)", f"{_label(value)} (mean, 95% CI)")
    _start_at_zero(ax, value)
    _start_at_zero(ax, burnout, axis="x")
    _legend(ax, theme, "policy")
    top = v["mean"].idxmax()
    names = [p for p, e in zip(order, efficient, strict=True) if e]
    alt = (
        f"{len(names)} of {len(order)} policies are on the value/burnout Pareto front of the means "
        f"({', '.join(names)}); {top} has the highest mean value ({_fmt(v.loc[top, 'mean'])}, 95% "
        f"CI {_fmt(v.loc[top, 'low'])} to {_fmt(v.loc[top, 'high'])}) with mean {_label(burnout)} "
        f"{_fmt(b.loc[top, 'mean'])}"
    )
    paired = _values_by(df, "policy", value)
    if paired is not None and len(paired) > 1:
        peak = find_peak(paired, kpi_bounds(value))
        if peak.ties:
            alt += (
                f", but its value cannot be told apart from that of "
                f"{join_words([str(p) for p in peak.ties])} (paired 95% intervals include zero)"
            )
        else:
            alt += ", and every other policy's value is lower (paired 95% intervals exclude zero)"
    return fig, alt + "."


def weekly(runs: Sequence[Any], theme: str = "light") -> tuple[Figure, str]:
    """Weekly mean exhaustion, capability and technical debt of one or more runs (``tm.run``)."""
    if not runs:
        raise UsageError("weekly: got no runs, allowed: one or more results of twomountains.run")
    panels = (
        ("exhaustion_mean", "mean exhaustion"),
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
        ax.set_ylim(bottom=0.0)  # stocks that cannot be negative: no exaggerated swings
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
