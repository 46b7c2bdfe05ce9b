"""Figures that the course pages generate from the package at build time.

Each registered function takes ``theme="light" | "dark"`` plus its own keyword options and returns
``(figure, alt)``: a matplotlib figure and an alt text that states what the data show (computed from
the same numbers, never written by hand). Simulation results are memoised for the length of one
build so that the light and dark variants come from one set of runs; nothing is stored between
builds. Replication counts are kept small so that a figure takes a few seconds; captions say so.
"""

from __future__ import annotations

import functools
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display at build time

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

# Okabe-Ito colours (distinguishable with common colour-vision deficiencies); the dark theme uses
# lighter variants that keep at least 4.5:1 contrast against the dark page background.
THEMES: dict[str, dict[str, Any]] = {
    "light": {
        "bg": "#ffffff",
        "fg": "#1f2328",
        "grid": "#d8dde3",
        "colors": ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8a6d00", "#56B4E9", "#000000"],
    },
    "dark": {
        "bg": "#1e2129",
        "fg": "#e3e6eb",
        "grid": "#3a404c",
        "colors": ["#56B4E9", "#FF9E4A", "#3DD6A3", "#E59CC4", "#F0E442", "#9ecbff", "#ffffff"],
    },
}

SHARES = tuple(round(0.1 * i, 1) for i in range(11))
CONTEXT_SHARES = SHARES[::2]  # 0.0, 0.2, ..., 1.0: enough to place each context's peak


@dataclass(frozen=True)
class FigureSpec:
    function: Callable[..., tuple[Figure, str]]
    caption: str


REGISTRY: dict[str, FigureSpec] = {}


def register(name: str, caption: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(function: Callable[..., tuple[Figure, str]]) -> Callable[..., Any]:
        REGISTRY[name] = FigureSpec(function, caption)
        return function

    return decorate


def get(name: str) -> FigureSpec:
    if name not in REGISTRY:
        raise KeyError(f"unknown figure {name!r}; registered: {', '.join(sorted(REGISTRY))}")
    return REGISTRY[name]


def reset() -> None:
    """Forget the runs memoised for the previous build (``mkdocs serve`` rebuilds in-process)."""
    _run.cache_clear()


def close(fig: Figure) -> None:
    plt.close(fig)


def new_figure(theme: str, ncols: int = 1, width: float = 7.0, height: float = 3.6) -> Any:
    if theme not in THEMES:
        raise ValueError(f"theme: got {theme!r}; allowed: 'light' or 'dark'")
    t = THEMES[theme]
    rc = {
        "figure.facecolor": t["bg"],
        "axes.facecolor": t["bg"],
        "savefig.facecolor": t["bg"],
        "text.color": t["fg"],
        "axes.labelcolor": t["fg"],
        "axes.edgecolor": t["fg"],
        "xtick.color": t["fg"],
        "ytick.color": t["fg"],
        "grid.color": t["grid"],
        "axes.grid": True,
        "axes.prop_cycle": matplotlib.cycler(color=t["colors"]),
        "font.size": 10,
        "legend.frameon": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    with plt.rc_context(rc):
        fig, axes = plt.subplots(1, ncols, figsize=(width, height), layout="constrained")
    for ax in axes if ncols > 1 else [axes]:
        _style(ax, t)
    return fig, axes, t


def _style(ax: Any, t: dict[str, Any]) -> None:
    ax.set_facecolor(t["bg"])
    ax.grid(True, color=t["grid"], linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(t["fg"])
    ax.tick_params(colors=t["fg"])
    ax.xaxis.label.set_color(t["fg"])
    ax.yaxis.label.set_color(t["fg"])
    ax.title.set_color(t["fg"])


def _legend(ax: Any, t: dict[str, Any], **kwargs: Any) -> None:
    legend = ax.legend(frameon=False, **kwargs)
    for text in legend.get_texts():
        text.set_color(t["fg"])


# --- memoised simulation runs (one build) -----------------------------------------------------


def _kpis(
    scenario: str, policy: str, seed: int, overrides: tuple[tuple[str, Any], ...] = ()
) -> Any:
    """One run, memoised for the build (normalised key: figures share runs)."""
    return _run(scenario, policy, seed, tuple(sorted(overrides)))


@functools.cache
def _run(scenario: str, policy: str, seed: int, overrides: tuple[tuple[str, Any], ...]) -> Any:
    import twomountains as tm

    sc = tm.scenarios.load(scenario)
    if overrides:
        sc = sc.replace(**dict(overrides))
    return tm.run(sc, policy=policy, seed=seed)


def _mean(values: Sequence[float]) -> float:
    return statistics.fmean(values)


def _ci(values: Sequence[float]) -> float:
    """Half-width of the t-based 95% confidence interval of the mean."""
    from scipy import stats

    if len(values) < 2:
        return 0.0
    return float(
        stats.t.ppf(0.975, len(values) - 1) * statistics.stdev(values) / len(values) ** 0.5
    )


def _sweep(scenario: str, kpi: str, seeds: int, shares: Sequence[float] = SHARES) -> Any:
    means, cis = [], []
    for share in shares:
        values = [_kpis(scenario, f"fixed:{share}", s).kpis[kpi] for s in range(seeds)]
        means.append(_mean(values))
        cis.append(_ci(values))
    return list(shares), means, cis


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.2g}" if abs(x) < 1 else f"{x:.1f}"


# --- figures -----------------------------------------------------------------------------------


def _frame(scenario: str, policies: Sequence[str], seeds: int, **overrides: Any) -> Any:
    """A results table (one row per run: policy, seed, overrides and every KPI) for plots."""
    import pandas as pd

    rows = []
    for policy in policies:
        for seed in range(seeds):
            kpis = _kpis(scenario, policy, seed, tuple(sorted(overrides.items()))).kpis
            rows.append({"policy": policy, "seed": seed, **overrides, **kpis})
    return pd.DataFrame(rows)


@register(
    "value_vs_split",
    "Value delivered in one simulated year for fixed splits (policy fixed:S explores for the "
    "first share S of each project's window, then builds). Mean of 5 seeded runs per split; the "
    "band is a 95% confidence interval. Drawn by twomountains.plots.value_vs_explore.",
)
def value_vs_split(theme: str, scenario: str = "default", seeds: int = 5) -> tuple[Figure, str]:
    from twomountains import plots

    df = _frame(scenario, [f"fixed:{s}" for s in SHARES], seeds)
    fig, alt = plots.value_vs_explore(df, theme=theme)
    return fig, f"Line chart, scenario '{scenario}'. {alt}"


@register(
    "shipping_vs_split",
    "What each split ships: systems shipped that nobody uses (mirages) and fragile systems, by "
    "explore share, the share of each project window spent experimenting (mean of a few seeded runs per split).",
)
def shipping_vs_split(theme: str, scenario: str = "default", seeds: int = 5) -> tuple[Figure, str]:
    fig, axes, t = new_figure(theme, ncols=2, width=8.0)
    series = {}
    for kpi in ("projects_shipped", "mirages_shipped", "fragile_ships", "incidents"):
        shares, means, _ = _sweep(scenario, kpi, seeds)
        series[kpi] = means
    ax = axes[0]
    ax.plot(shares, series["projects_shipped"], marker="o", label="projects shipped")
    ax.plot(shares, series["mirages_shipped"], marker="s", label="mirages shipped")
    ax.plot(shares, series["fragile_ships"], marker="^", label="fragile ships")
    ax.set_xlabel("explore share S (policy fixed:S)")
    ax.set_ylabel("count per year")
    _legend(ax, t, loc="upper center", fontsize=8)
    ax = axes[1]
    ax.plot(shares, series["incidents"], marker="o", color=t["colors"][3], label="incidents")
    ax.set_xlabel("explore share S (policy fixed:S)")
    ax.set_ylabel("production incidents per year")
    alt = (
        f"Two line charts against the explore share (the share of each project window spent experimenting) (scenario '{scenario}', "
        f"{seeds} runs per point). Mirages shipped fall from {_fmt(series['mirages_shipped'][0])} "
        f"with no experimentation to {_fmt(series['mirages_shipped'][-1])} with only "
        f"experimentation; projects shipped go from {_fmt(series['projects_shipped'][0])} to "
        f"{_fmt(series['projects_shipped'][-1])}; fragile ships go from "
        f"{_fmt(series['fragile_ships'][0])} to {_fmt(series['fragile_ships'][-1])}; incidents "
        f"go from {_fmt(series['incidents'][0])} to {_fmt(series['incidents'][-1])}."
    )
    return fig, alt


ACTIVITIES = (
    ("exploration_hours", "exploration"),
    ("mlops_hours", "MLOps"),
    ("platform_hours", "platform"),
    ("maintenance_hours", "maintenance"),
    ("firefighting_hours", "firefighting"),
    ("switching_hours", "switching losses"),
)


@register(
    "hours_by_activity",
    "Where the team's hours go over one simulated year under three policies (mean of a few "
    "seeded runs).",
)
def hours_by_activity(
    theme: str,
    scenario: str = "default",
    policies: Sequence[str] = ("notebook-only", "fixed:0.4", "mlops-first"),
    seeds: int = 3,
) -> tuple[Figure, str]:
    fig, ax, t = new_figure(theme, height=3.2)
    totals: dict[str, dict[str, float]] = {}
    for policy in policies:
        runs = [_kpis(scenario, policy, s).kpis for s in range(seeds)]
        totals[policy] = {k: _mean([r[k] for r in runs]) for k, _ in ACTIVITIES}
    left = [0.0] * len(policies)
    for i, (key, label) in enumerate(ACTIVITIES):
        widths = [totals[p][key] for p in policies]
        ax.barh(list(policies), widths, left=left, color=t["colors"][i], label=label)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.invert_yaxis()
    ax.set_xlabel("hours in a year (whole team)")
    _legend(ax, t, loc="upper center", bbox_to_anchor=(0.5, -0.25), ncols=3, fontsize=8)
    parts = []
    for p in policies:
        share = {k: totals[p][k] / max(sum(totals[p].values()), 1e-9) for k, _ in ACTIVITIES}
        parts.append(
            f"{p}: {share['exploration_hours']:.0%} exploration, {share['mlops_hours']:.0%} "
            f"MLOps, {share['maintenance_hours'] + share['firefighting_hours']:.0%} maintenance "
            f"and firefighting"
        )
    alt = "Stacked bar chart of team hours by activity over one year. " + "; ".join(parts) + "."
    return fig, alt


@register(
    "capability_and_debt",
    "Mean exhaustion, platform capability and technical debt week by week under three policies "
    "(one seeded run each; other seeds differ in detail). Drawn by twomountains.plots.weekly.",
)
def capability_and_debt(
    theme: str,
    scenario: str = "default",
    policies: Sequence[str] = ("notebook-only", "fixed:0.4", "mlops-first"),
    seed: int = 0,
) -> tuple[Figure, str]:
    from twomountains import plots

    fig, alt = plots.weekly([_kpis(scenario, p, seed) for p in policies], theme=theme)
    return fig, f"Three line charts, scenario '{scenario}'. {alt}"


@register(
    "deadline_effects",
    "Tighter deadlines: exploration per project, overtime and peak exhaustion as the project "
    "deadline shrinks (policy adaptive; mean of a few seeded runs per deadline).",
)
def deadline_effects(
    theme: str,
    scenario: str = "default",
    policy: str = "adaptive",
    deadlines: Sequence[int] = (4, 8, 12, 16),
    seeds: int = 4,
) -> tuple[Figure, str]:
    rows = []
    for d in deadlines:
        runs = [_kpis(scenario, policy, s, (("deadline_weeks", d),)).kpis for s in range(seeds)]
        per_project = [r["exploration_hours"] / max(r["projects_started"], 1) for r in runs]
        rows.append(
            (
                _mean(per_project),
                _mean([r["overtime_hours"] for r in runs]),
                _mean([r["peak_exhaustion"] for r in runs]),
                _mean([r["value_delivered"] for r in runs]),
            )
        )
    fig, axes, t = new_figure(theme, ncols=3, width=9.0, height=3.0)
    labels = (
        "exploration hours per project",
        "overtime hours in the year",
        "peak exhaustion (1 = burnout)",
    )
    for i, ax in enumerate(axes):
        ax.plot(list(deadlines), [r[i] for r in rows], marker="o", color=t["colors"][i])
        ax.set_xlabel("deadline (weeks)")
        ax.set_title(labels[i], fontsize=9)
    first, last = rows[0], rows[-1]
    alt = (
        f"Three line charts against the project deadline from {deadlines[0]} to {deadlines[-1]} "
        f"weeks (policy {policy}, {seeds} runs per point). With the {deadlines[0]}-week deadline "
        f"each project gets {_fmt(first[0])} exploration hours against {_fmt(last[0])} with "
        f"{deadlines[-1]} weeks; overtime is {_fmt(first[1])} hours against {_fmt(last[1])}; "
        f"peak exhaustion is {first[2]:.2f} against {last[2]:.2f}."
    )
    return fig, alt


@register(
    "exhaustion_by_person",
    "Exhaustion of each team member, week by week, in one seeded run (1 is the burnout threshold).",
)
def exhaustion_by_person(
    theme: str, scenario: str = "default", policy: str = "crunch", seed: int = 0
) -> tuple[Figure, str]:
    result = _kpis(scenario, policy, seed)
    grid = result.exhaustion_by_person
    fig, ax, t = new_figure(theme, height=2.8)
    image = ax.imshow(
        grid, aspect="auto", cmap="viridis", vmin=0.0, vmax=1.0, interpolation="nearest"
    )
    ax.grid(False)
    ax.set_xlabel("week")
    ax.set_ylabel("team member")
    ax.set_yticks(range(len(grid)))
    bar = fig.colorbar(image, ax=ax, label="exhaustion")
    bar.ax.yaxis.label.set_color(t["fg"])
    bar.ax.tick_params(colors=t["fg"])
    weeks_over = sum(1 for row in grid for e in row if e >= 1.0)
    alt = (
        f"Heat map of exhaustion for each of {len(grid)} team members over {len(grid[0])} weeks, "
        f"policy {policy}, scenario '{scenario}'. The highest weekly value is "
        f"{max(max(r) for r in grid):.2f}; {weeks_over} person-weeks reach the burnout threshold; "
        f"the run records {result.kpis['burnout_events']:.0f} burnout events."
    )
    return fig, alt


@register(
    "pareto",
    "Value against burnout risk (share of person-weeks at risk) for the built-in policies and "
    "two fixed splits; mean of 5 seeded runs each with 95% confidence bars. Up and to the left "
    "is better; the legend marks the policies on the Pareto front (joined by a dashed line when "
    "there are several). Drawn by twomountains.plots.pareto.",
)
def pareto(theme: str, scenario: str = "default", seeds: int = 5) -> tuple[Figure, str]:
    import twomountains as tm
    from twomountains import plots

    named = [p for p in tm.policies.BUILTIN_SPECS if not p.startswith("fixed:")]
    fixed = ["fixed:0.2", "fixed:0.4"]
    df = _frame(scenario, named + fixed, seeds)
    fig, alt = plots.pareto(df, burnout="at_risk_share", theme=theme)
    return fig, f"Scatter plot with error bars, scenario '{scenario}'. {alt}"


@register(
    "burnout_vs_deadline",
    "Burnout events per person-year against the project deadline for three policies; mean of 4 "
    "seeded runs per point with a 95% band. Drawn by twomountains.plots.burnout_vs_deadline.",
)
def burnout_vs_deadline(
    theme: str,
    scenario: str = "default",
    policies: Sequence[str] = ("crunch", "fixed:0.4", "adaptive"),
    deadlines: Sequence[int] = (4, 8, 12, 16),
    seeds: int = 4,
) -> tuple[Figure, str]:
    import pandas as pd

    from twomountains import plots

    df = pd.concat([_frame(scenario, policies, seeds, deadline_weeks=d) for d in deadlines])
    fig, alt = plots.burnout_vs_deadline(df, theme=theme)
    return fig, f"Line chart, scenario '{scenario}'. {alt}"


@register(
    "best_split_by_context",
    "Value by split in three contexts, each scaled to its own best split (mean of a few seeded "
    "runs per point). The marker shows where each curve peaks.",
)
def best_split_by_context(
    theme: str,
    scenarios: Sequence[str] = ("well_understood", "default", "uncharted"),
    seeds: int = 3,
) -> tuple[Figure, str]:
    fig, ax, t = new_figure(theme)
    parts = []
    for i, name in enumerate(scenarios):
        shares, means, _ = _sweep(name, "value_delivered", seeds, CONTEXT_SHARES)
        top = max(means) or 1.0
        scaled = [m / top for m in means]
        best = max(range(len(shares)), key=lambda j: means[j])
        ax.plot(shares, scaled, marker="o", color=t["colors"][i], label=name)
        ax.scatter([shares[best]], [1.0], s=120, facecolors="none", edgecolors=t["colors"][i])
        parts.append(f"{name} peaks at {shares[best]:.1f}")
    ax.set_xlabel("explore share S (policy fixed:S)")
    ax.set_ylabel("value / best value in that context")
    _legend(ax, t, loc="lower center")
    alt = (
        "Line chart of value against the explore share (the share of each project window spent experimenting) in three contexts, "
        "each scaled to its own maximum: " + "; ".join(parts) + "."
    )
    return fig, alt


@register(
    "replications",
    "How the estimate of mean value settles as replications are added (one seed per "
    "replication; the band is the t-based 95% confidence interval).",
)
def replications(
    theme: str, scenario: str = "default", policy: str = "adaptive", max_reps: int = 20
) -> tuple[Figure, str]:
    values = [_kpis(scenario, policy, s).kpis["value_delivered"] for s in range(max_reps)]
    ns = list(range(2, max_reps + 1))
    means = [_mean(values[:n]) for n in ns]
    cis = [_ci(values[:n]) for n in ns]
    fig, ax, t = new_figure(theme)
    ax.plot(ns, means, marker=".", color=t["colors"][0], label="running mean")
    ax.fill_between(
        ns,
        [m - c for m, c in zip(means, cis, strict=True)],
        [m + c for m, c in zip(means, cis, strict=True)],
        color=t["colors"][0],
        alpha=0.2,
        label="95% interval",
    )
    ax.set_xlabel("number of replications")
    ax.set_ylabel("mean value delivered")
    _legend(ax, t)
    alt = (
        f"Line chart of the running mean of value delivered (policy {policy}, scenario "
        f"'{scenario}') as replications go from 2 to {max_reps}. The 95% interval half-width "
        f"shrinks from {_fmt(cis[0])} to {_fmt(cis[-1])} around a final mean of {_fmt(means[-1])} "
        f"({cis[-1] / max(abs(means[-1]), 1e-9):.1%} of the mean)."
    )
    return fig, alt
