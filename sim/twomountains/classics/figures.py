"""Redraws of March's (1991) figures 1, 2, 4 and 5.

Each function runs the model (:mod:`twomountains.classics.march1991`) and returns
``(figure, alt_text)``: a matplotlib :class:`~matplotlib.figure.Figure` (not registered with
pyplot, so nothing leaks between calls) and one sentence describing what the plotted data show,
computed from the data. The default replication counts are small so a lab redraws a figure in
seconds; raise ``replications`` towards March's 80 (or more) for smoother curves. Backgrounds
are transparent and colours mid-tone; ``theme`` sets the text colour for light or dark pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np

from twomountains.classics import march1991
from twomountains.errors import UsageError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["figure1", "figure2", "figure4", "figure5"]

Theme = Literal["light", "dark"]

# Mid-tone colours that keep contrast on both white and near-black backgrounds.
COLOURS = ("#3b82c4", "#e07b39", "#3fa66b", "#a66bbf", "#c9a227")
_INK = {"light": "#222222", "dark": "#dddddd"}


def _axes(theme: Theme, title: str, xlabel: str, ylabel: str) -> tuple[Figure, Axes]:
    if theme not in _INK:
        raise UsageError(f"theme must be 'light' or 'dark'; got {theme!r}")
    from matplotlib.figure import Figure

    ink = _INK[theme]
    fig = Figure(figsize=(6.4, 4.2), layout="constrained")
    fig.patch.set_alpha(0.0)
    ax = fig.add_subplot()
    ax.set_facecolor("none")
    ax.set_title(title, color=ink)
    ax.set_xlabel(xlabel, color=ink)
    ax.set_ylabel(ylabel, color=ink)
    ax.tick_params(colors=ink)
    for spine in ax.spines.values():
        spine.set_color(ink)
    ax.grid(alpha=0.3, color="#888888")
    return fig, ax


def _legend(ax: Axes, theme: Theme) -> None:
    legend = ax.legend(frameon=False)
    for text in legend.get_texts():
        text.set_color(_INK[theme])


def figure1(
    p1: Sequence[float] = (0.1, 0.3, 0.5, 0.7, 0.9),
    p2: Sequence[float] = (0.1, 0.5, 0.9),
    replications: int = 40,
    seed: int = 0,
    theme: Theme = "light",
) -> tuple[Figure, str]:
    """Figure 1: equilibrium knowledge of the code against socialization rate ``p1``, one line
    (with 95% intervals) per code learning rate ``p2``."""
    table = march1991.sweep(p1=list(p1), p2=list(p2), replications=replications, seed=seed)
    fig, ax = _axes(
        theme,
        "March (1991) figure 1",
        "socialization rate p1",
        "equilibrium knowledge of the code",
    )
    parts = []
    for colour, (rate, rows) in zip(COLOURS * 3, table.groupby("p2"), strict=False):
        ax.plot(rows["p1"], rows["mean"], marker="o", color=colour, label=f"p2 = {rate:g}")
        ax.fill_between(rows["p1"], rows["ci_low"], rows["ci_high"], color=colour, alpha=0.2)
        first, last = rows.iloc[0], rows.iloc[-1]
        parts.append(
            f"for p2 = {rate:g} it goes from {first['mean']:.2f} at p1 = {first['p1']:g} "
            f"to {last['mean']:.2f} at p1 = {last['p1']:g}"
        )
    _legend(ax, theme)
    alt = (
        f"Equilibrium knowledge of the code against socialization rate ({replications} "
        f"replications per point): {'; '.join(parts)}."
    )
    return fig, alt


def figure2(
    fast: Sequence[int] = (0, 10, 20, 30, 40, 50),
    slow_rate: float = 0.1,
    fast_rate: float = 0.9,
    p2: float = 0.5,
    n: int = 50,
    replications: int = 40,
    seed: int = 0,
    theme: Theme = "light",
) -> tuple[Figure, str]:
    """Figure 2: equilibrium knowledge of a team mixing fast (``fast_rate``) and slow
    (``slow_rate``) learners, against the team's average socialization rate, beside a uniform
    team with that same average rate."""
    averages, mixed, uniform = [], [], []
    for count in fast:
        if not 0 <= count <= n:
            raise UsageError(f"fast must list counts between 0 and n={n}; got {count!r}")
        rates = np.r_[np.full(count, fast_rate), np.full(n - count, slow_rate)]
        average = float(rates.mean())
        averages.append(average)
        run = {"n": n, "replications": replications, "seed": seed}
        mixed.append(march1991.replicate(rates, p2, **run).knowledge.mean())
        uniform.append(march1991.replicate(average, p2, **run).knowledge.mean())
    fig, ax = _axes(
        theme,
        "March (1991) figure 2",
        "average socialization rate p1",
        "equilibrium knowledge of the code",
    )
    ax.plot(
        averages,
        mixed,
        marker="o",
        color=COLOURS[0],
        label=f"mix of {slow_rate:g} and {fast_rate:g}",
    )
    ax.plot(averages, uniform, marker="s", color=COLOURS[1], label="uniform team")
    _legend(ax, theme)
    # Teams of only fast or only slow learners are uniform teams: compare the true mixes.
    mix = [i for i, count in enumerate(fast) if 0 < count < n]
    gaps = np.array(mixed)[mix] - np.array(uniform)[mix]
    if not mix:
        raise UsageError(f"fast must include at least one count strictly between 0 and n={n}")
    best = mix[int(np.argmax(gaps))]
    alt = (
        f"A team mixing learners at p1 = {slow_rate:g} and {fast_rate:g} reaches higher "
        f"equilibrium knowledge than a uniform team with the same average rate in "
        f"{int(np.sum(gaps > 0))} of {len(mix)} mixes, the largest gap being "
        f"{mixed[best] - uniform[best]:.2f} ({mixed[best]:.2f} against {uniform[best]:.2f}) at "
        f"an average of {averages[best]:.2f} ({replications} replications per point)."
    )
    return fig, alt


def figure4(
    p3: Sequence[float] = (0.0, 0.02, 0.05, 0.1, 0.2, 0.3),
    p1: Sequence[float] = (0.1, 0.5, 0.9),
    p2: float = 0.5,
    periods: int = 50,
    replications: int = 40,
    seed: int = 0,
    theme: Theme = "light",
) -> tuple[Figure, str]:
    """Figure 4: knowledge of the code after ``periods`` periods against turnover ``p3``, one
    line per socialization rate ``p1``."""
    table = march1991.sweep(
        p1=list(p1), p2=p2, p3=list(p3), periods=periods, replications=replications, seed=seed
    )
    fig, ax = _axes(
        theme,
        "March (1991) figure 4",
        "turnover p3",
        f"knowledge of the code in period {periods}",
    )
    parts = []
    for colour, (rate, rows) in zip(COLOURS * 3, table.groupby("p1"), strict=False):
        ax.plot(rows["p3"], rows["mean"], marker="o", color=colour, label=f"p1 = {rate:g}")
        ax.fill_between(rows["p3"], rows["ci_low"], rows["ci_high"], color=colour, alpha=0.2)
        top = rows.loc[rows["mean"].idxmax()]
        no_turnover = rows.iloc[0]
        parts.append(
            f"for p1 = {rate:g} it peaks at {top['mean']:.2f} with p3 = {top['p3']:g} "
            f"against {no_turnover['mean']:.2f} at p3 = {no_turnover['p3']:g}"
        )
    _legend(ax, theme)
    alt = (
        f"Knowledge of the code in period {periods} against turnover (p2 = {p2:g}, "
        f"{replications} replications per point): {'; '.join(parts)}."
    )
    return fig, alt


def figure5(
    p4: float = 0.02,
    p3_values: Sequence[float] = (0.0, 0.1),
    p1: float = 0.5,
    p2: float = 0.5,
    periods: int = 100,
    replications: int = 40,
    seed: int = 0,
    theme: Theme = "light",
) -> tuple[Figure, str]:
    """Figure 5: knowledge of the code over time under turbulence ``p4``, without and with
    turnover (one line per value in ``p3_values``)."""
    fig, ax = _axes(
        theme,
        "March (1991) figure 5",
        "period",
        "knowledge of the code",
    )
    time = np.arange(1, periods + 1)
    parts = []
    for colour, p3 in zip(COLOURS, p3_values, strict=False):
        reps = march1991.replicate(
            p1, p2, p3=p3, p4=p4, periods=periods, replications=replications, seed=seed
        )
        curve = reps.trajectory.mean(axis=0)
        ax.plot(time, curve, color=colour, label=f"turnover p3 = {p3:g}")
        peak = int(np.argmax(curve))
        parts.append(
            f"with turnover {p3:g} it peaks at {curve[peak]:.2f} in period {peak + 1} "
            f"and ends at {curve[-1]:.2f}"
        )
    _legend(ax, theme)
    alt = (
        f"Knowledge of the code over {periods} periods with turbulence p4 = {p4:g} "
        f"(p1 = {p1:g}, p2 = {p2:g}, {replications} replications): {'; '.join(parts)}."
    )
    return fig, alt
