"""MkDocs hook: the calibration page (docs/research/calibration.md), generated from the package.

The model is run against every target of ``twomountains.calibration.TARGETS`` once per build
(``calibration.check(reps=calibration.DEFAULT_REPS)``: each target's preset and policy on seeds
0 .. reps-1, about 40 runs and a few seconds); the tables, the summary sentence and the figure all
come from those rows, so the page can never disagree with the package.

Whole-line directives, expanded before hooks/directives.py (which rejects directive lines it does not
know): ``{{ calibration_summary() }}``, ``{{ calibration_overview() }}``,
``{{ calibration_targets() }}`` (a section and a table per target) and
``{{ calibration_parameters() }}`` (every parameter whose basis is "calibrated", with its target).
The figure ``calibration_targets`` (each target's band and the model's 95% interval) is registered
with ``figure_registry`` and drawn by ``{{ figure("calibration_targets") }}`` through
hooks/directives.py, in the light and dark palettes like every build-time figure.
"""

from __future__ import annotations

import functools
import logging
import re
import time
from collections.abc import Callable
from typing import Any

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

# Sibling module: MkDocs puts this folder on sys.path only while it imports the hook.
import figure_registry  # isort: skip
import whole_line  # isort: skip

log = logging.getLogger("mkdocs.hooks.calibration_page")

CALIBRATED_TO = re.compile(r"Calibrated to target (\w+)")


# --- the runs (once per build) -----------------------------------------------------------------


@functools.cache
def rows() -> tuple[dict[str, Any], ...]:
    """``calibration.check`` at its default replications, memoised for one build."""
    from twomountains import calibration

    started = time.perf_counter()
    result = tuple(calibration.check(reps=calibration.DEFAULT_REPS))
    log.info(
        "calibration: %d targets checked in %.1f s", len(result), time.perf_counter() - started
    )
    return result


def target_of(source: str) -> str | None:
    """The target a parameter was calibrated to, from its source text (None if not calibrated).

    >>> target_of("Calibrated to target maintenance_share (Stripe 2018)")
    'maintenance_share'
    >>> target_of("Pencavel 2014/2015") is None
    True
    """
    found = CALIBRATED_TO.search(source)
    return found[1] if found else None


def calibrated_parameters() -> list[tuple[Any, str]]:
    """(ParamInfo, target name) for every parameter whose basis is "calibrated"; a parameter that
    names a target that does not exist fails the build."""
    from twomountains import Scenario, calibration

    names = {t.name for t in calibration.TARGETS}
    found = []
    for p in Scenario.parameters():
        if p.basis != "calibrated":
            continue
        target = target_of(p.source)
        if target not in names:
            raise PluginError(
                f"parameter {p.name}: source {p.source!r} names no calibration target; "
                f"allowed: 'Calibrated to target NAME' with NAME one of {', '.join(sorted(names))}"
            )
        found.append((p, target))
    return found


# --- formatting --------------------------------------------------------------------------------


def number(x: float) -> str:
    """Three significant digits, as a share or count reads best (0.511, 2.92, 1.37)."""
    return f"{x:.3g}"


def band(row: dict[str, Any]) -> str:
    return f"{number(row['target_low'])} to {number(row['target_high'])}"


def model_cell(row: dict[str, Any]) -> str:
    return f"{number(row['model'])} [{number(row['model_low'])}, {number(row['model_high'])}]"


def within(row: dict[str, Any]) -> str:
    return "yes" if row["within"] else "**no**"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def parameters_text(text: str) -> str:
    """The target's "calibrated" field with parameter names as code."""
    from twomountains import Scenario

    known = {p.name for p in Scenario.parameters()}
    return re.sub(r"\b[a-z][a-z0-9_]*\b", lambda m: f"`{m[0]}`" if m[0] in known else m[0], text)


def interval_method(name: str) -> str:
    from twomountains import calibration

    target = next(t for t in calibration.TARGETS if t.name == name)
    if target.ratio is not None:
        return "pooled over runs; 95% percentile bootstrap interval over runs"
    return "mean of runs; 95% t interval"


# --- directives --------------------------------------------------------------------------------


def calibration_summary() -> str:
    data = rows()
    inside = sum(1 for r in data if r["within"])
    reps = data[0]["reps"] if data else 0
    outside = [r["name"] for r in data if not r["within"]]
    tail = (
        "every one lies within its band."
        if not outside
        else f"outside their band: {', '.join(f'`{n}`' for n in outside)}."
    )
    return (
        f"When this page was built the model was run {reps} times (seeds 0 to {reps - 1}) for "
        f"each preset and policy the targets name. Of {len(data)} targets, {inside} model "
        f"means lie within the target's band; {tail}\n"
    )


def calibration_overview() -> str:
    lines = [
        "| Target | Preset, policy | Target band | Model [95% interval] | Within |",
        "|---|---|---|---|---|",
    ]
    for r in rows():
        lines.append(
            f"| [`{r['name']}`](#{r['name']}) | `{r['preset']}`, `{r['policy']}` | {band(r)} "
            f"| {model_cell(r)} | {within(r)} |"
        )
    return "\n".join(lines) + "\n"


def calibration_targets() -> str:
    parts = []
    for r in rows():
        parts += [
            f"### {r['name']}\n",
            f"{r['description']}.\n",
            "| | |",
            "|---|---|",
            f"| Preset and policy | `{r['preset']}` under `{r['policy']}` |",
            f"| Target band | {band(r)} |",
            f"| Source | {_cell(r['source'])} |",
            f"| Model | {model_cell(r)}: {interval_method(r['name'])}, {r['reps']} runs |",
            f"| Within the band | {within(r)} |",
            f"| Calibrated against it | {parameters_text(_cell(r['calibrated']))} |",
            "",
        ]
    return "\n".join(parts)


def calibration_parameters() -> str:
    lines = [
        "| Parameter | Default | Unit | Calibrated to target | Source |",
        "|---|---|---|---|---|",
    ]
    for p, target in calibrated_parameters():
        lines.append(
            f"| `{p.name}` | {p.default:g} | {_cell(p.unit)} | [`{target}`](#{target}) "
            f"| {_cell(p.source)} |"
        )
    return "\n".join(lines) + "\n"


# --- the figure --------------------------------------------------------------------------------


def _position(value: float, row: dict[str, Any]) -> float:
    """Where ``value`` sits relative to the target band: 0 at its lower edge, 1 at its upper."""
    width = row["target_high"] - row["target_low"]
    return (value - row["target_low"]) / width if width > 0 else 0.0


@figure_registry.register(
    "calibration_targets",
    "Each calibration target's band (shaded, from its lower edge at 0 to its upper edge at 1) and "
    "the model's mean with its 95% interval on the same scale. Runs made when this site was built "
    "(seeds 0 to N-1, N stated beside the figure); the numbers beside each row are in the "
    "target's own units.",
)
def calibration_figure(theme: str) -> tuple[Figure, str]:
    data = list(rows())
    height = 0.9 + 0.42 * len(data)
    fig, ax, t = figure_registry.new_figure(theme, width=8.0, height=height)
    colours = t["colors"]
    ys = list(range(len(data)))[::-1]
    for y, r in zip(ys, data, strict=True):
        ax.add_patch(
            Rectangle((0.0, y - 0.3), 1.0, 0.6, facecolor=t["grid"], edgecolor="none", zorder=1)
        )
        mean, low, high = (_position(r[k], r) for k in ("model", "model_low", "model_high"))
        colour = colours[0] if r["within"] else colours[1]
        marker = "o" if r["within"] else "X"
        ax.errorbar(
            [mean],
            [y],
            xerr=[[mean - low], [high - mean]],
            fmt=marker,
            color=colour,
            markersize=6,
            capsize=3,
            zorder=3,
        )
        ax.annotate(
            f"{model_cell(r)}  (band {band(r)})",
            xy=(1.02, y),
            xycoords=("axes fraction", "data"),
            va="center",
            fontsize=8,
            color=t["fg"],
        )
    ax.set_yticks(ys, [r["name"] for r in data])
    ax.set_xlabel("position in the target band (0 = lower edge, 1 = upper edge)")
    positions = [_position(r[k], r) for r in data for k in ("model_low", "model_high")]
    ax.set_xlim(min(-0.1, *positions) - 0.05, max(1.1, *positions) + 0.05)
    ax.set_ylim(-0.7, len(data) - 0.3)
    ax.grid(axis="y", visible=False)
    inside = sum(1 for r in data if r["within"])
    parts = [
        f"{r['name']} {number(r['model'])} (95% interval {number(r['model_low'])} to "
        f"{number(r['model_high'])}; band {band(r)}; {'within' if r['within'] else 'outside'})"
        for r in data
    ]
    alt = (
        f"Dot plot of {len(data)} calibration targets, each target band drawn from 0 to 1 and the "
        f"model's mean with its 95% interval on that scale ({data[0]['reps']} runs each). "
        f"{inside} of {len(data)} model means lie within their band: " + "; ".join(parts) + "."
    )
    return fig, alt


# --- hook events -------------------------------------------------------------------------------

DIRECTIVES: dict[str, Callable[[], str]] = {
    "calibration_summary": calibration_summary,
    "calibration_overview": calibration_overview,
    "calibration_targets": calibration_targets,
    "calibration_parameters": calibration_parameters,
}


def on_pre_build(config: MkDocsConfig) -> None:
    """Forget the previous build's runs (``mkdocs serve`` rebuilds in-process)."""
    rows.cache_clear()


# Before hooks/directives.py (priority 0), which rejects directive lines it does not know.
@event_priority(50)
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return whole_line.expand(markdown, DIRECTIVES)
