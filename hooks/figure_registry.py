"""Figures that the course pages generate from the package at build time.

Each registered function takes ``theme="light" | "dark"`` plus its own keyword options and returns
``(figure, alt)``: a matplotlib figure and an alt text that states what the data show (computed from
the same numbers, never written by hand). Simulation results are memoised for the length of one
build so that the light and dark variants, and figures that need the same runs, share them; nothing
is stored between builds.

What the figures promise (issue 13):

* every arm of a comparison uses seeds ``0 .. SEEDS-1`` (common random numbers), so differences are
  paired run by run and a peak is reported with the arms that cannot be told apart from it;
* intervals are clipped to what is possible (``plots.kpi_bounds``: rates are not negative, shares
  lie in [0, 1]) and axes of such quantities start at zero;
* explore shares are spaced 0.05 apart up to ``FINE_UNTIL``, where the optimum lies (``EXPLORE_SHARES``);
* the runs a figure needs are computed up front, in ``JOBS`` worker processes when there are many.
"""

from __future__ import annotations

import atexit
import functools
import math
import os
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
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

#: Explore shares of the fixed-split sweeps: 0.05 apart up to FINE_UNTIL, where every preset's best
#: split and the splits that cannot be told apart from it lie, and coarser beyond, where value only
#: falls.
FINE_UNTIL = 0.3
EXPLORE_SHARES = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.6, 0.8, 1.0)
#: Replications per arm (seeds 0 .. SEEDS-1, shared by every arm). At 20 the paired 95% interval of
#: a difference in value between neighbouring splits is about +-100 in the default preset, against
#: about +-330 for one arm's mean: enough to say which splits cannot be told apart.
SEEDS = 20
#: Deadlines of the deadline sweeps (weeks); 10 is the presets' own, so those runs are shared.
DEADLINES = (4, 6, 8, 10, 14)
#: Seeds searched for the burnout heat map's run.
BURNOUT_SEEDS = 12


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
    _KPIS.clear()
    _result.cache_clear()
    _scenario.cache_clear()


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

#: ``(preset, policy spec, seed, overrides)``; overrides equal to the preset's own value are dropped,
#: so that figures share runs.
RunKey = tuple[str, str, int, tuple[tuple[str, Any], ...]]

_KPIS: dict[RunKey, dict[str, float]] = {}

#: Worker processes for the figures' runs (``TWOMOUNTAINS_FIGURE_JOBS``; 1 runs everything here).
#: Two, as the course's build machines have two cores.
JOBS_VARIABLE = "TWOMOUNTAINS_FIGURE_JOBS"
#: Below this many missing runs a pool is not worth its start-up (about 2 s).
PARALLEL_FROM = 60
BATCH = 10

_pool: ProcessPoolExecutor | None = None


def jobs() -> int:
    raw = os.environ.get(JOBS_VARIABLE, "2")
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{JOBS_VARIABLE}: got {raw!r}; allowed: a whole number of at least 1")
    return int(raw)


@functools.cache
def _scenario(name: str) -> Any:
    import twomountains as tm

    return tm.scenarios.load(name)


def run_key(
    scenario: str, policy: str, seed: int, overrides: Iterable[tuple[str, Any]] = ()
) -> RunKey:
    base = _scenario(scenario)
    kept = tuple(sorted((k, v) for k, v in overrides if getattr(base, k) != v))
    return (scenario, policy, seed, kept)


def _scenario_dict(key: RunKey) -> dict[str, Any]:
    sc = _scenario(key[0])
    if key[3]:
        sc = sc.replace(**dict(key[3]))
    return dict(sc.to_dict())


def _get_pool() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        import multiprocessing

        # Fork is unsafe once threads exist; a forkserver preloading the package starts warm (the
        # same choice as twomountains.study's processes backend).
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["twomountains.study.execute"])
        _pool = ProcessPoolExecutor(max_workers=jobs(), mp_context=context)
    return _pool


def shutdown() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None


atexit.register(shutdown)


def prefetch(keys: Iterable[RunKey]) -> None:
    """Run every key not yet memoised: in worker processes when there are many, else here."""
    from twomountains.study import execute

    missing = [k for k in dict.fromkeys(keys) if k not in _KPIS]
    if not missing:
        return
    if jobs() > 1 and len(missing) >= PARALLEL_FROM and execute.workers_cannot_start() is None:
        pool = _get_pool()
        batches = [missing[i : i + BATCH] for i in range(0, len(missing), BATCH)]
        futures = [
            pool.submit(
                execute.run_batch,
                execute.run_kpis,
                {},
                [(_scenario_dict(k), k[1], k[2]) for k in batch],
            )
            for batch in batches
        ]
        for batch, future in zip(batches, futures, strict=True):
            for k, kpis in zip(batch, future.result(), strict=True):
                _KPIS[k] = kpis
        return
    for k in missing:
        _KPIS[k] = execute.run_kpis(_scenario_dict(k), k[1], k[2])


def _kpis(
    scenario: str, policy: str, seed: int, overrides: Iterable[tuple[str, Any]] = ()
) -> dict[str, float]:
    """One run's KPIs, memoised for the build."""
    key = run_key(scenario, policy, seed, overrides)
    prefetch([key])
    return _KPIS[key]


def _values(
    scenario: str, policy: str, kpi: str, seeds: int, overrides: Iterable[tuple[str, Any]] = ()
) -> list[float]:
    """``kpi`` of seeds 0 .. seeds-1, in seed order (so arms pair run by run)."""
    overrides = tuple(overrides)
    return [_kpis(scenario, policy, s, overrides)[kpi] for s in range(seeds)]


@functools.cache
def _result(scenario: str, policy: str, seed: int, trace: bool = False) -> Any:
    """A whole run (weekly series, exhaustion by person, events), for the few figures that draw one."""
    import twomountains as tm

    return tm.run(_scenario(scenario), policy=policy, seed=seed, trace=trace)


# --- statistics and words ----------------------------------------------------------------------


def _mean(values: Sequence[float]) -> float:
    return statistics.fmean(values)


def interval(values: Sequence[float], kpi: str) -> tuple[float, float, float]:
    """``(mean, low, high)``: the 95% t-interval of the mean, clipped to the KPI's possible range."""
    from twomountains import plots

    return plots.t_interval(values, bounds=plots.kpi_bounds(kpi))


def grid_step(grid: Sequence[float], x: float) -> float:
    """The larger gap between ``x`` and its neighbours in ``grid``: how precisely a peak at ``x``
    is placed.

    >>> grid_step(EXPLORE_SHARES, 0.1), grid_step(EXPLORE_SHARES, 0.4)
    (0.05, 0.2)
    """
    points = sorted(grid)
    i = points.index(x)
    gaps = [points[j + 1] - points[j] for j in (i - 1, i) if 0 <= j < len(points) - 1]
    return round(max(gaps), 10) if gaps else math.inf


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.2g}" if abs(x) < 1 else f"{x:.1f}"


def _fmt_interval(mean: float, low: float, high: float) -> str:
    return f"{_fmt(mean)} (95% CI {_fmt(low)} to {_fmt(high)})"


def change_text(first: Sequence[float], last: Sequence[float], kpi: str) -> str:
    """``from A (CI) to B (CI)``, then whether the paired difference can be told from noise.

    ``first`` and ``last`` hold one value per seed, in the same seed order.
    """
    from twomountains import plots

    a, b = interval(first, kpi), interval(last, kpi)
    diff = plots.paired_differences({"first": list(first), "last": list(last)}, "first")["last"]
    noise = "cannot be told from noise" if diff[1] <= 0.0 <= diff[2] else "is more than noise"
    return (
        f"{_fmt_interval(*a)} and {_fmt_interval(*b)}; the paired difference, "
        f"{_fmt(diff[0])} (95% CI {_fmt(diff[1])} to {_fmt(diff[2])}), {noise}"
    )


def _band(
    ax: Any,
    x: Sequence[float],
    rows: Sequence[tuple[float, float, float]],
    colour: str,
    marker: str = "o",
    label: str | None = None,
) -> None:
    ax.fill_between(
        x, [r[1] for r in rows], [r[2] for r in rows], color=colour, alpha=0.2, linewidth=0
    )
    # clip_on=False: a mean of zero sits on the axis, which starts at zero, and stays whole
    ax.plot(x, [r[0] for r in rows], marker=marker, color=colour, label=label, clip_on=False)


# --- figures -----------------------------------------------------------------------------------


def _frame(scenario: str, policies: Sequence[str], seeds: int, **overrides: Any) -> Any:
    """A results table (one row per run: policy, seed, overrides and every KPI) for plots."""
    import pandas as pd

    items = tuple(sorted(overrides.items()))
    prefetch(run_key(scenario, p, s, items) for p in policies for s in range(seeds))
    rows = []
    for policy in policies:
        for seed in range(seeds):
            kpis = _kpis(scenario, policy, seed, items)
            rows.append({"policy": policy, "seed": seed, **overrides, **kpis})
    return pd.DataFrame(rows)


def _fixed(share: float) -> str:
    return f"fixed:{share:g}"


@register(
    "value_vs_split",
    f"Value delivered in one simulated year for fixed splits (policy fixed:S explores for the first "
    f"share S of each project's window, then builds), at {len(EXPLORE_SHARES)} shares, 0.05 apart "
    f"up to {FINE_UNTIL:g}. Mean of {SEEDS} runs per split (seeds 0 to {SEEDS - 1}, the same for every split); "
    "the band is a 95% confidence interval. Rings mark the highest mean and the splits whose "
    "paired 95% interval of the difference from it includes zero: these runs cannot tell them "
    "apart. Drawn by twomountains.plots.value_vs_explore.",
)
def value_vs_split(theme: str, scenario: str = "default", seeds: int = SEEDS) -> tuple[Figure, str]:
    from twomountains import plots

    df = _frame(scenario, [_fixed(s) for s in EXPLORE_SHARES], seeds)
    fig, alt = plots.value_vs_explore(df, theme=theme)
    return fig, f"Line chart, scenario '{scenario}', {seeds} runs per split. {alt}"


SHIPPING = (
    ("projects_shipped", "projects shipped", "o"),
    ("mirages_shipped", "mirages shipped", "s"),
    ("fragile_ships", "fragile ships", "^"),
)


@register(
    "shipping_vs_split",
    f"What each split ships: projects shipped, systems shipped that nobody uses (mirages) and "
    f"fragile systems, and production incidents, by explore share (the share of each project "
    f"window spent experimenting). Mean of {SEEDS} runs per split, the same seeds for every split; "
    "bands are 95% confidence intervals.",
)
def shipping_vs_split(
    theme: str, scenario: str = "default", seeds: int = SEEDS
) -> tuple[Figure, str]:
    fig, axes, t = new_figure(theme, ncols=2, width=8.0)
    policies = [_fixed(s) for s in EXPLORE_SHARES]
    prefetch(run_key(scenario, p, s) for p in policies for s in range(seeds))
    values = {
        kpi: [_values(scenario, p, kpi, seeds) for p in policies]
        for kpi in [k for k, _, _ in SHIPPING] + ["incidents"]
    }
    ax = axes[0]
    for i, (kpi, label, marker) in enumerate(SHIPPING):
        rows = [interval(v, kpi) for v in values[kpi]]
        _band(ax, EXPLORE_SHARES, rows, t["colors"][i], marker, label)
    ax.set_xlabel("explore share S (policy fixed:S)")
    ax.set_ylabel("count per year (mean, 95% CI)")
    ax.set_ylim(bottom=0.0)
    _legend(ax, t, loc="upper center", fontsize=8)
    ax = axes[1]
    rows = [interval(v, "incidents") for v in values["incidents"]]
    _band(ax, EXPLORE_SHARES, rows, t["colors"][3], "o", "incidents")
    ax.set_xlabel("explore share S (policy fixed:S)")
    ax.set_ylabel("production incidents per year (mean, 95% CI)")
    ax.set_ylim(bottom=0.0)
    lo, hi = _fmt(EXPLORE_SHARES[0]), _fmt(EXPLORE_SHARES[-1])
    parts = [
        f"{label} {change_text(values[kpi][0], values[kpi][-1], kpi)}"
        for kpi, label in [(k, lab) for k, lab, _ in SHIPPING] + [("incidents", "incidents")]
    ]
    alt = (
        f"Two line charts against the explore share (the share of each project window spent "
        f"experimenting), scenario '{scenario}', {seeds} runs per point. Each measure at share "
        f"{lo} (no experimentation) and at share {hi} (only experimentation): "
        + "; ".join(parts)
        + "."
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
    f"Where the team's hours go over one simulated year under three policies (mean of {SEEDS} "
    "seeded runs per policy).",
)
def hours_by_activity(
    theme: str,
    scenario: str = "default",
    policies: Sequence[str] = ("notebook-only", "fixed:0.4", "mlops-first"),
    seeds: int = SEEDS,
) -> tuple[Figure, str]:
    fig, ax, t = new_figure(theme, height=3.2)
    prefetch(run_key(scenario, p, s) for p in policies for s in range(seeds))
    totals: dict[str, dict[str, float]] = {
        p: {k: _mean(_values(scenario, p, k, seeds)) for k, _ in ACTIVITIES} for p in policies
    }
    left = [0.0] * len(policies)
    for i, (key, label) in enumerate(ACTIVITIES):
        widths = [totals[p][key] for p in policies]
        ax.barh(list(policies), widths, left=left, color=t["colors"][i], label=label)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.invert_yaxis()
    ax.set_xlabel("hours in a year (whole team, mean)")
    _legend(ax, t, loc="upper center", bbox_to_anchor=(0.5, -0.25), ncols=3, fontsize=8)
    parts = []
    for p in policies:
        share = {k: totals[p][k] / max(sum(totals[p].values()), 1e-9) for k, _ in ACTIVITIES}
        parts.append(
            f"{p}: {share['exploration_hours']:.0%} exploration, {share['mlops_hours']:.0%} "
            f"MLOps, {share['maintenance_hours'] + share['firefighting_hours']:.0%} maintenance "
            f"and firefighting"
        )
    alt = (
        f"Stacked bar chart of team hours by activity over one year, scenario '{scenario}' (mean of "
        f"{seeds} runs per policy). " + "; ".join(parts) + "."
    )
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

    fig, alt = plots.weekly([_result(scenario, p, seed) for p in policies], theme=theme)
    return fig, f"Three line charts, scenario '{scenario}', one run each (seed {seed}). {alt}"


def _exploration_per_project(kpis: Mapping[str, float]) -> float:
    return kpis["exploration_hours"] / max(kpis["projects_started"], 1.0)


@register(
    "deadline_effects",
    f"Tighter deadlines: exploration hours per project, overtime and peak exhaustion as the project "
    f"deadline shrinks (policy adaptive; mean of {SEEDS} runs per deadline, the same seeds for "
    "every deadline; bands are 95% confidence intervals). Every axis starts at zero; the dashed "
    "line marks the exhaustion from which a person is at risk of burning out.",
)
def deadline_effects(
    theme: str,
    scenario: str = "default",
    policy: str = "adaptive",
    deadlines: Sequence[int] = DEADLINES,
    seeds: int = SEEDS,
) -> tuple[Figure, str]:
    settings = [(("deadline_weeks", d),) for d in deadlines]
    prefetch(run_key(scenario, policy, s, o) for o in settings for s in range(seeds))
    runs = [[_kpis(scenario, policy, s, o) for s in range(seeds)] for o in settings]
    measures = (
        ("exploration hours per project", "exploration_hours", _exploration_per_project),
        ("overtime hours in the year", "overtime_hours", lambda k: k["overtime_hours"]),
        ("peak exhaustion", "peak_exhaustion", lambda k: k["peak_exhaustion"]),
    )
    fig, axes, t = new_figure(theme, ncols=3, width=9.0, height=3.0)
    risk = _scenario(scenario).risk_exhaustion
    parts = []
    for i, (ax, (title, kpi, measure)) in enumerate(zip(axes, measures, strict=True)):
        series = [[measure(k) for k in arm] for arm in runs]
        _band(ax, list(deadlines), [interval(v, kpi) for v in series], t["colors"][i])
        ax.set_xlabel("deadline (weeks)")
        ax.set_title(title, fontsize=9)
        ax.set_ylim(bottom=0.0)
        if kpi == "peak_exhaustion":
            top = max(1.0, max(interval(v, kpi)[2] for v in series))
            ax.set_ylim(0.0, top * 1.05)
            ax.axhline(risk, color=t["fg"], linestyle="--", linewidth=1)
            ax.text(
                deadlines[-1],
                risk - 0.03,
                f"at-risk level {risk:g}",
                ha="right",
                va="top",
                fontsize=8,
                color=t["fg"],
            )
        parts.append(f"{title}: {change_text(series[0], series[-1], kpi)}")
    alt = (
        f"Three line charts against the project deadline, {deadlines[0]} to {deadlines[-1]} weeks "
        f"(policy {policy}, scenario '{scenario}', {seeds} runs per point). Each measure with the "
        f"{deadlines[0]}-week and with the {deadlines[-1]}-week deadline: "
        + "; ".join(parts)
        + f". A person is at risk of burning out from exhaustion {risk:g}."
    )
    return fig, alt


def _burnout_run(scenario: str, policy: str, seeds: int) -> tuple[int, list[float]]:
    """The seed (of 0 .. seeds-1) with the most burnout events, first on ties, and every seed's
    count."""
    prefetch(run_key(scenario, policy, s) for s in range(seeds))
    counts = _values(scenario, policy, "burnout_events", seeds)
    return max(range(seeds), key=lambda s: (counts[s], -s)), counts


@register(
    "exhaustion_by_person",
    "Weekly mean exhaustion of each team member in one run where burnouts happen: policy crunch in "
    f"the startup_crunch preset, the seed with the most burnout events among the first "
    f"{BURNOUT_SEEDS} (other seeds have fewer; the figure in words gives the mean). Triangles mark "
    "burnouts; a person who burns out is away on leave (exhaustion drains) or leaves the team.",
)
def exhaustion_by_person(
    theme: str,
    scenario: str = "startup_crunch",
    policy: str = "crunch",
    seeds: int = BURNOUT_SEEDS,
) -> tuple[Figure, str]:
    from twomountains import plots

    seed, counts = _burnout_run(scenario, policy, seeds)
    result = _result(scenario, policy, seed, trace=True)
    grid = result.exhaustion_by_person
    burnouts = [e for e in result.events if e.get("event") == "burnout"]
    sc = _scenario(scenario)
    fig, ax, t = new_figure(theme, height=2.8)
    top = max(1.0, max(max(r) for r in grid))
    image = ax.imshow(
        grid, aspect="auto", cmap="viridis", vmin=0.0, vmax=top, interpolation="nearest"
    )
    ax.grid(False)
    if burnouts:  # week w is drawn from w - 0.5 to w + 0.5; an event at time x sits at x - 0.5
        ax.scatter(
            [e["week"] - 0.5 for e in burnouts],
            [e["slot"] for e in burnouts],
            marker="v",
            s=70,
            facecolors="#ffffff",
            edgecolors="#000000",
            linewidths=1.2,
            label="burnout",
            zorder=3,
        )
        _legend(ax, t, loc="upper left", bbox_to_anchor=(0.0, 1.18), fontsize=8)
    ax.set_xlabel("week")
    ax.set_ylabel("team member")
    ax.set_yticks(range(len(grid)))
    bar = fig.colorbar(image, ax=ax, label="exhaustion")
    bar.ax.yaxis.label.set_color(t["fg"])
    bar.ax.tick_params(colors=t["fg"])
    bar.ax.axhline(sc.risk_exhaustion, color="#ffffff", linewidth=1.5)
    at_risk = sum(1 for row in grid for e in row if e >= sc.risk_exhaustion)
    mean, low, high = interval(counts, "burnout_events")
    when = plots.join_words([f"week {e['week']:.0f} (member {e['slot']})" for e in burnouts])
    events = (
        f"{len(burnouts)} burnout{'s' if len(burnouts) != 1 else ''}, in {when}"
        if burnouts
        else "no burnouts"
    )
    alt = (
        f"Heat map of weekly mean exhaustion for each of {len(grid)} team members over "
        f"{len(grid[0])} weeks, policy {policy}, scenario '{scenario}' ({sc.team_size} people, "
        f"{sc.deadline_weeks:g}-week deadlines), seed {seed}: the run with the most burnouts of "
        f"{seeds} runs (seeds 0 to {seeds - 1}), whose mean is {_fmt_interval(mean, low, high)} burnouts per run. "
        f"This run has {events}. A burnt-out person is on leave for {sc.burnout_leave_weeks:g} "
        f"weeks, their exhaustion draining to near zero, or leaves the team. {at_risk} of "
        f"{sum(len(r) for r in grid)} person-weeks are at or above the at-risk level "
        f"{sc.risk_exhaustion:g} (the line on the colour bar); the highest weekly value is "
        f"{max(max(r) for r in grid):.2f}."
    )
    return fig, alt


PARETO_FIXED = ("fixed:0.1", "fixed:0.4")


@register(
    "pareto",
    "Value against burnout risk (share of person-weeks at risk) for the built-in policies and "
    f"two fixed splits; mean of {SEEDS} runs each (the same seeds for every policy) with 95% "
    "confidence bars; both axes start at zero. Up and to the left is better; the legend marks "
    "the policies on the Pareto front of the means (joined by a dashed line when there are "
    "several). Drawn by twomountains.plots.pareto.",
)
def pareto(theme: str, scenario: str = "default", seeds: int = SEEDS) -> tuple[Figure, str]:
    import twomountains as tm
    from twomountains import plots

    named = [p for p in tm.policies.BUILTIN_SPECS if not p.startswith("fixed:")]
    df = _frame(scenario, named + list(PARETO_FIXED), seeds)
    fig, alt = plots.pareto(df, burnout="at_risk_share", theme=theme)
    return fig, f"Scatter plot with error bars, scenario '{scenario}', {seeds} runs each. {alt}"


BURNOUT_MEASURES = (
    ("burnout_rate_per_person_year", "burnout events per person-year"),
    ("at_risk_share", "share of person-weeks at risk"),
)


@register(
    "burnout_vs_deadline",
    "Burnout events per person-year (left) and the share of person-weeks at risk (right) against "
    f"the project deadline for three policies; mean of {SEEDS} runs per point, the same seeds "
    "everywhere, with 95% bands clipped at zero (neither can be negative). Burnouts are rare "
    "events, so their intervals are wide.",
)
def burnout_vs_deadline(
    theme: str,
    scenario: str = "default",
    policies: Sequence[str] = ("crunch", "fixed:0.4", "adaptive"),
    deadlines: Sequence[int] = DEADLINES,
    seeds: int = SEEDS,
) -> tuple[Figure, str]:
    from twomountains import plots

    settings = [(("deadline_weeks", d),) for d in deadlines]
    prefetch(run_key(scenario, p, s, o) for p in policies for o in settings for s in range(seeds))
    fig, axes, t = new_figure(theme, ncols=2, width=8.5, height=3.4)
    sentences = []
    for ax, (kpi, label) in zip(axes, BURNOUT_MEASURES, strict=True):
        parts = []
        for i, policy in enumerate(policies):
            series = [_values(scenario, policy, kpi, seeds, o) for o in settings]
            _band(
                ax,
                list(deadlines),
                [interval(v, kpi) for v in series],
                t["colors"][i],
                plots.MARKERS[i % len(plots.MARKERS)],
                policy,
            )
            if not any(any(v) for v in series):
                parts.append(f"{policy} is zero in every run")
            else:
                parts.append(f"{policy} {change_text(series[0], series[-1], kpi)}")
        ax.set_xlabel("deadline (weeks)")
        ax.set_title(f"{label} (mean, 95% CI)", fontsize=9)
        ax.set_ylim(bottom=0.0)
        sentences.append(
            f"{label[0].upper()}{label[1:]} with the {deadlines[0]}-week and with the "
            f"{deadlines[-1]}-week deadline: " + "; ".join(parts) + "."
        )
    handles, labels = axes[0].get_legend_handles_labels()
    legend = fig.legend(
        handles, labels, loc="outside lower center", ncols=len(policies), frameon=False, fontsize=8
    )  # below both panels, clear of the bands
    for text in legend.get_texts():
        text.set_color(t["fg"])
    alt = (
        f"Two line charts against the project deadline, {deadlines[0]} to {deadlines[-1]} weeks "
        f"(scenario '{scenario}', {seeds} runs per point). " + " ".join(sentences)
    )
    return fig, alt


CONTEXTS = ("well_understood", "default", "uncharted")


def _scaled(
    best: float, difference: tuple[float, float, float], top: float
) -> tuple[float, float, float]:
    """A share's mean and paired interval as a fraction of the context's highest mean (a value
    is not negative, so neither is the fraction)."""
    mean, low, high = ((best + d) / top for d in difference)
    return max(0.0, mean), max(0.0, low), max(0.0, high)


def _span(peak: Any) -> tuple[float, float]:
    arms = [peak.best, *peak.ties]
    return min(arms), max(arms)


@register(
    "best_split_by_context",
    f"Value by explore share in three contexts, each scaled to the highest mean in that context "
    f"({len(EXPLORE_SHARES)} shares, 0.05 apart up to {FINE_UNTIL:g}; mean of {SEEDS} runs per point, the "
    "same seeds everywhere). Bands are paired 95% intervals of each share's difference from the "
    "context's best share. Each bar at the bottom spans the shares that cannot be told apart "
    "from the best one (the dot), context by context.",
)
def best_split_by_context(
    theme: str, scenarios: Sequence[str] = CONTEXTS, seeds: int = SEEDS
) -> tuple[Figure, str]:
    from twomountains import plots

    kpi = "value_delivered"
    policies = [_fixed(s) for s in EXPLORE_SHARES]
    prefetch(run_key(n, p, s) for n in scenarios for p in policies for s in range(seeds))
    fig, ax, t = new_figure(theme)
    parts, spans = [], {}
    for i, name in enumerate(scenarios):
        values = {s: _values(name, _fixed(s), kpi, seeds) for s in EXPLORE_SHARES}
        peak = plots.find_peak(values, plots.kpi_bounds(kpi))
        top = peak.mean or 1.0
        rows = [_scaled(peak.mean, peak.differences[s], top) for s in EXPLORE_SHARES]
        colour = t["colors"][i]
        _band(ax, EXPLORE_SHARES, rows, colour, plots.MARKERS[i % len(plots.MARKERS)], name)
        ax.scatter([peak.best], [1.0], s=120, color=colour, zorder=3)
        lo, hi = _span(peak)
        # below the curves, where nothing else is drawn: the shares not told apart from the best
        level = 0.08 + 0.08 * (len(scenarios) - 1 - i)
        ax.plot([lo, hi], [level, level], color=colour, linewidth=5, solid_capstyle="butt")
        ax.plot([peak.best], [level], marker="o", markersize=7, color=colour)
        ax.text(hi + 0.015, level, name, va="center", fontsize=8, color=t["fg"])
        spans[name] = (lo, hi)
        parts.append(f"{name}: {plots.peak_text(peak, 'share')}")
    ax.set_xlabel("explore share S (policy fixed:S)")
    ax.set_ylabel("value / highest mean in that context")
    ax.set_ylim(0.0, 1.05)
    ax.text(
        EXPLORE_SHARES[-1],
        0.08 + 0.08 * len(scenarios),
        "bars: shares not told apart from the best (dot)",
        ha="right",
        fontsize=8,
        color=t["fg"],
    )
    _legend(ax, t, loc="center right", fontsize=8)
    alt = (
        "Line chart of value against the explore share (the share of each project window spent "
        f"experimenting) in {len(scenarios)} contexts, each scaled to its own highest mean "
        f"({seeds} runs per point, shares 0.05 apart up to {FINE_UNTIL:g}). "
        + "; ".join(parts)
        + "."
    )
    if len(scenarios) >= 2:
        first, last = scenarios[0], scenarios[-1]
        (a_lo, a_hi), (b_lo, b_hi) = spans[first], spans[last]
        if b_lo > a_hi:
            verdict = f"the {last} range lies to the right of the {first} range"
        elif b_hi < a_lo:
            verdict = f"the {last} range lies to the left of the {first} range"
        else:
            verdict = "the ranges overlap, so these runs cannot tell the two peaks apart"
        alt += (
            f" Shares that cannot be told apart from the best: {first} {_fmt(a_lo)} to "
            f"{_fmt(a_hi)}, {last} {_fmt(b_lo)} to {_fmt(b_hi)}; {verdict}."
        )
    return fig, alt


@register(
    "replications",
    "How the estimate of mean value settles as replications are added (one seed per "
    "replication; the band is the t-based 95% confidence interval; the axis starts at zero).",
)
def replications(
    theme: str, scenario: str = "default", policy: str = "adaptive", max_reps: int = 30
) -> tuple[Figure, str]:
    from twomountains import plots

    prefetch(run_key(scenario, policy, s) for s in range(max_reps))
    values = _values(scenario, policy, "value_delivered", max_reps)
    ns = list(range(2, max_reps + 1))
    rows = [interval(values[:n], "value_delivered") for n in ns]
    # half-widths before clipping (the band is clipped at zero; the half-width is the spread)
    halves = [(high - low) / 2 for _, low, high in (plots.t_interval(values[:n]) for n in ns)]
    fig, ax, t = new_figure(theme)
    _band(ax, ns, rows, t["colors"][0], ".", "running mean with its 95% interval")
    ax.set_xlabel("number of replications")
    ax.set_ylabel("mean value delivered")
    ax.set_ylim(bottom=0.0)
    _legend(ax, t)
    final = rows[-1][0]
    alt = (
        f"Line chart of the running mean of value delivered (policy {policy}, scenario "
        f"'{scenario}') as replications go from 2 to {max_reps}. The 95% interval half-width "
        f"shrinks from {_fmt(halves[0])} to {_fmt(halves[-1])} around a final mean of "
        f"{_fmt(final)} ({halves[-1] / max(abs(final), 1e-9):.1%} of the mean)."
    )
    return fig, alt
