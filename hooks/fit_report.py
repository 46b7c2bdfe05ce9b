"""MkDocs hook: the example study report (docs/researchers/example-study-report.md), from a real run.

Once per build the hook writes the package's synthetic team to a temporary folder
(``twomountains.records.synthetic_team``), fits the model to it (``twomountains.fit.fit``) and
compares policies on the fitted team (``twomountains.fit.counterfactuals``), at the small budget of
:data:`STUDY` so that the site builds in minutes. Every number of the report comes from that run.

The run is deterministic given the package's source and :data:`STUDY`, so its results are kept in
``.cache/fit-report/<digest>.json`` (ignored by git), the digest covering every file of
``sim/twomountains``, this hook and :data:`STUDY`: a later build with the same sources reuses it,
and any change to the package runs the study again. ``TWOMOUNTAINS_FIT_REPORT_CACHE=0`` ignores
the cache.

Whole-line directives, expanded before hooks/directives.py (which rejects directive lines it does
not know): ``{{ fit_report_summary() }}``, ``{{ fit_report_question() }}``,
``{{ fit_report_design() }}``, ``{{ fit_report_records() }}``, ``{{ fit_report_parameters() }}``,
``{{ fit_report_statistics() }}``, ``{{ fit_report_results() }}``, ``{{ fit_report_warnings() }}``
and ``{{ fit_report_provenance() }}``. The figure ``fit_report_counterfactuals`` (each policy's
primary and secondary outcome with 95% intervals) is registered with ``figure_registry`` and drawn
by ``{{ figure("fit_report_counterfactuals") }}`` through hooks/directives.py, in the light and
dark palettes.

The hook also publishes the pre-registration template (the part of
docs/researchers/preregistration.md between its ``<!-- template starts -->`` and
``<!-- template ends -->`` markers, headings raised one level) as
``downloads/preregistration-template.md``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
import shlex
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

# Sibling module: MkDocs puts this folder on sys.path only while it imports the hook.
import figure_registry  # isort: skip
import whole_line  # isort: skip

log = logging.getLogger("mkdocs.hooks.fit_report")

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "fit-report"
CACHE_VARIABLE = "TWOMOUNTAINS_FIT_REPORT_CACHE"
REPORT_PAGE = "researchers/example-study-report.md"
TEMPLATE_PAGE = "researchers/preregistration.md"
TEMPLATE_DOWNLOAD = "downloads/preregistration-template.md"

#: The study, fixed before it runs (the report's design section is generated from it).
STUDY: dict[str, Any] = {
    "team_seed": 0,
    "fit_seed": 0,
    # The site's budget; a research fit uses the package's default (see the design section).
    "draws": 1000,
    "jobs": 2,
    "counterfactual_draws": 20,
    "counterfactual_seeds": 5,
    "counterfactual_seed": 0,
    "alternatives": ["fixed:0.2", "adaptive"],
    "primary": "value_delivered",
    "secondary": "at_risk_share",
}


# --- the study (once per build, cached by source digest) ----------------------------------------


def source_digest() -> str:
    """A digest of the package's files, this hook and the study's settings."""
    digest = hashlib.sha256(json.dumps(STUDY, sort_keys=True).encode())
    files = [Path(__file__).resolve()]
    files += sorted(p for p in (ROOT / "sim" / "twomountains").rglob("*") if p.is_file())
    for path in files:
        if "__pycache__" in path.parts or path.suffix == ".pyc":
            continue
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _plain(value: Any) -> Any:
    """JSON-ready copies of numbers (numpy scalars included), mappings and sequences."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, bool | str) or value is None:
        return value
    if hasattr(value, "item"):
        return value.item()
    return value


def run_study() -> dict[str, Any]:
    """Generate the synthetic team, fit it and compare policies on it; plain JSON values only."""
    import tomllib

    import twomountains as tm
    from twomountains import fit, provenance, records

    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="twomountains-fit-report-") as tmp:
        folder = Path(tmp) / "synthetic-team"
        started = time.perf_counter()
        records.synthetic_team(folder, seed=STUDY["team_seed"])
        truth = tomllib.loads((folder / "truth.toml").read_text(encoding="utf-8"))
        team = records.load(folder)
        timings["records"] = time.perf_counter() - started
        started = time.perf_counter()
        result = fit.fit(team, draws=STUDY["draws"], seed=STUDY["fit_seed"], **_execution())
        timings["fit"] = time.perf_counter() - started
        started = time.perf_counter()
        team_policy = result.policy
        policies = [team_policy, *[p for p in STUDY["alternatives"] if p != team_policy]]
        compared = fit.counterfactuals(
            result,
            policies,
            draws=STUDY["counterfactual_draws"],
            seeds=STUDY["counterfactual_seeds"],
            seed=STUDY["counterfactual_seed"],
            kpis=(STUDY["primary"], STUDY["secondary"]),
            **_execution(),
        )
        timings["counterfactuals"] = time.perf_counter() - started
    summary, differences = _comparison(compared, policies)
    return _plain(
        {
            "study": STUDY,
            "team": {
                "name": team.team,
                "weeks": team.weeks,
                "contracted_hours_per_week": team.contracted_hours_per_week,
                "policy": team_policy,
                "people": len(team.people),
                "hours_rows": len(team.hours),
                "projects": len(team.projects),
                "incidents": len(team.incidents),
                "burnout_rows": len(team.burnout),
            },
            "truth": {name: truth[name] for name in result.params},
            "params": result.params,
            "priors": {name: fit.PRIORS[name].as_dict() for name in result.params},
            "statistics": result.statistics,
            "warnings": list(result.warnings),
            "provenance": result.provenance,
            "policies": policies,
            "summary": summary,
            "differences": differences,
            "timings": timings,
            "version": tm.__version__,
            "commit": provenance.source_commit(),
        }
    )


def _execution() -> dict[str, Any]:
    from twomountains.study.options import ExecutionOptions

    return {"execution": ExecutionOptions(backend="processes", jobs=STUDY["jobs"], quiet=True)}


def _comparison(compared: Any, policies: Sequence[str]) -> tuple[list[Any], list[Any]]:
    """(each policy's KPIs, each alternative's paired difference from the team's policy), from
    the table of ``fit.counterfactuals``."""
    summary, differences = [], []
    for row in compared.to_dict("records"):
        summary.append({k: row[k] for k in ("policy", "kpi", "mean", "low", "high")})
        if row["policy"] != policies[0]:
            differences.append(
                {
                    "policy": row["policy"],
                    "kpi": row["kpi"],
                    "mean": row["difference"],
                    "low": row["difference_low"],
                    "high": row["difference_high"],
                }
            )
    return summary, differences


@functools.cache
def report() -> dict[str, Any]:
    """The study's results: from the cache when the sources are unchanged, else run now."""
    use_cache = os.environ.get(CACHE_VARIABLE, "1") != "0"
    path = CACHE / f"{source_digest()}.json"
    if use_cache and path.is_file():
        data = json.loads(path.read_text(encoding="utf-8"))
        data["digest"], data["cached"] = path.stem, True
        log.info("fit report: reusing %s", path.relative_to(ROOT))
        return dict(data)
    started = time.perf_counter()
    data = run_study()
    data["digest"] = path.stem
    log.info("fit report: study run in %.1f s", time.perf_counter() - started)
    if use_cache:
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".tmp")
        partial.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        partial.replace(path)  # whole or not at all
    data["cached"] = False
    return data


# --- formatting ----------------------------------------------------------------------------------


def number(x: float) -> str:
    """Three significant digits, thousands separated (0.0123, 4.56, 1,230)."""
    if x != 0 and abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.3g}"


def signed(x: float) -> str:
    return ("+" if x > 0 else "") + number(x)


def interval(low: float, high: float) -> str:
    return f"{number(low)} to {number(high)}"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


#: The outcomes' names in words (a KPI not listed is named by its identifier, spaced).
KPI_WORDS = {
    "value_delivered": "value delivered",
    "at_risk_share": "share of person-weeks at burnout risk",
}


def _kpi_label(kpi: str) -> str:
    return KPI_WORDS.get(kpi, kpi.replace("_", " "))


def verdict_sentence(policy: str, team_policy: str, low: float, high: float) -> str:
    """The decision rule's verdict in words.

    >>> verdict_sentence("a", "b", -1.0, 2.0)
    'the study cannot tell whether `a` is better or worse than `b`'
    """
    found = decision(low, high)
    if found == "cannot tell":
        return f"the study cannot tell whether `{policy}` is better or worse than `{team_policy}`"
    return f"`{policy}` is **{found}** than `{team_policy}`"


def _prior_text(prior: Mapping[str, Any]) -> str:
    return f"{interval(prior['low'], prior['high'])} ({prior['scale']})"


def _inside(truth: float, fitted: Mapping[str, float]) -> bool:
    return fitted["low"] <= truth <= fitted["high"]


def decision(low: float, high: float) -> str:
    """The pre-stated rule on a paired difference's 95% interval.

    >>> decision(1.0, 3.0), decision(-3.0, -1.0), decision(-1.0, 2.0)
    ('better', 'worse', 'cannot tell')
    """
    if low > 0:
        return "better"
    if high < 0:
        return "worse"
    return "cannot tell"


def reproduce_commands(data: Mapping[str, Any]) -> list[str]:
    """The commands that repeat this study from a clone at the report's commit."""
    study = data["study"]
    compare = " ".join(f"--compare {shlex.quote(p)}" for p in data["policies"][1:])
    fit = (
        f"twomountains fit synthetic-team --draws {study['draws']} --seed {study['fit_seed']} "
        f"--jobs {study['jobs']}"
    )
    return [
        f"twomountains datasets synthetic-team synthetic-team --seed {study['team_seed']}",
        "twomountains validate-records synthetic-team",
        f"{fit} --json --out synthetic-team-fit.json",
        f"{fit} {compare} --compare-draws {study['counterfactual_draws']} "
        f"--compare-seeds {study['counterfactual_seeds']}",
    ]


# --- directives ----------------------------------------------------------------------------------


def fit_report_summary() -> str:
    data = report()
    params = data["params"]
    inside = sum(_inside(data["truth"][n], params[n]) for n in params)
    primary = data["study"]["primary"]
    verdicts = [
        f"{verdict_sentence(d['policy'], data['team']['policy'], d['low'], d['high'])} "
        f"(paired difference {signed(d['mean'])}, 95% interval "
        f"{signed(d['low'])} to {signed(d['high'])})"
        for d in data["differences"]
        if d["kpi"] == primary
    ]
    return (
        '!!! abstract "Summary"\n'
        f"    The synthetic team's {data['team']['weeks']} weeks of records were fitted with "
        f"{data['study']['draws']:,} simulated draws. The true value lies inside its 95% "
        f"interval for {inside} of {len(params)} fitted parameters. On the fitted team, by the "
        f"decision rule on {_kpi_label(primary)}: " + "; ".join(verdicts) + ".\n"
    )


def fit_report_question() -> str:
    data = report()
    team_policy = data["team"]["policy"]
    alternatives = " or ".join(f"`{p}`" for p in data["policies"][1:])
    return (
        f"The team follows `{team_policy}`. Had it followed {alternatives} instead over the same "
        f"period, would it have delivered more value ({_kpi_label(data['study']['primary'])}), "
        f"and at what cost in burnout risk ({_kpi_label(data['study']['secondary'])})? The model "
        "is fitted to the team's records first, so that the comparison is made for a team like "
        "this one rather than for the preset's made-up team.\n"
    )


def fit_report_design() -> str:
    data = report()
    study, prov = data["study"], data["provenance"]
    params = ", ".join(f"`{n}`" for n in data["params"])
    rows = [
        ("Records", f"the synthetic team (`twomountains datasets synthetic-team`, seed "
         f"{study['team_seed']}); see [the records](#3-the-records)"),
        ("Model", f"the `{prov.get('preset', 'default')}` preset; every parameter not fitted keeps "
         "its preset value"),
        ("Parameters fitted", f"{params} (the default set)"),
        ("Priors", "uniform over each parameter's range, on the scale shown in section 4"),
        ("Method", "approximate Bayesian computation: rejection and local-linear regression "
         "adjustment on a reference table ([how it works](fit-a-team.md#3-how-the-fit-works-and-why-this-method))"),
        ("Fit budget", f"{study['draws']:,} prior draws, one run each, fit seed {study['fit_seed']}"),
        ("Policies compared", ", ".join(f"`{p}`" for p in data["policies"]) +
         " (the first is the team's own)"),
        ("Counterfactual runs", f"{study['counterfactual_draws']} posterior draws × "
         f"{study['counterfactual_seeds']} seeds per policy, the same draws and seeds for every "
         "policy (common random numbers)"),
        ("Primary outcome", f"`{study['primary']}` ({_kpi_label(study['primary'])})"),
        ("Secondary outcome", f"`{study['secondary']}` ({_kpi_label(study['secondary'])})"),
        ("Decision rule", "a policy is better than the team's if the 95% interval of the paired "
         "difference in the primary outcome (the central 95% of the differences over draws × "
         "seeds) lies above 0, worse if below, otherwise the study cannot tell"),
    ]  # fmt: skip
    lines = ["| Item | Choice |", "|---|---|"]
    lines += [f"| {item} | {_cell(text)} |" for item, text in rows]
    return "\n".join(lines) + "\n"


def fit_report_records() -> str:
    team = report()["team"]
    return (
        f"`{team['name']}`: {team['weeks']} weeks, {team['people']} people over the period "
        f"(contracted {number(team['contracted_hours_per_week'])} hours a week), "
        f"{team['hours_rows']:,} person-weeks of hours, {team['projects']} projects, "
        f"{team['incidents']} incidents and {team['burnout_rows']} burnout scores. "
        "`twomountains validate-records` found no problem. How the synthetic team's records are "
        "measured (noise in self-reported hours, missing weeks, surveys now and then) is "
        "described on [team records](team-records.md).\n"
    )


def fit_report_parameters() -> str:
    data = report()
    lines = [
        "| Parameter | Estimate | 95% interval | Prior range | Truth | Truth inside |",
        "|---|---|---|---|---|---|",
    ]
    for name, fitted in data["params"].items():
        truth = data["truth"][name]
        lines.append(
            f"| `{name}` | {number(fitted['estimate'])} "
            f"| {interval(fitted['low'], fitted['high'])} | {_prior_text(data['priors'][name])} "
            f"| {number(truth)} | {'yes' if _inside(truth, fitted) else '**no**'} |"
        )
    return "\n".join(lines) + "\n"


def fit_report_statistics() -> str:
    lines = [
        "| Statistic | Matched by the fit | Observed | Fitted mean | Fitted 95% range | Inside |",
        "|---|---|---|---|---|---|",
    ]
    for name, s in report()["statistics"].items():
        matched = "yes" if s.get("fitted", True) else "no (checked only)"
        if s["observed"] is None or s["fitted_mean"] is None:
            lines.append(f"| `{name}` | {matched} | not defined for these records | | | |")
            continue
        lines.append(
            f"| `{name}` | {matched} | {number(s['observed'])} | {number(s['fitted_mean'])} "
            f"| {interval(s['fitted_low'], s['fitted_high'])} "
            f"| {'**no**' if s['outside'] else 'yes'} |"
        )
    return "\n".join(lines) + "\n"


def fit_report_results() -> str:
    data = report()
    study = data["study"]
    runs = study["counterfactual_draws"] * study["counterfactual_seeds"]
    kpis = (study["primary"], study["secondary"])
    lines = [
        f"Each policy's mean over {runs} runs ({study['counterfactual_draws']} posterior draws × "
        f"{study['counterfactual_seeds']} seeds) and, in brackets, the range of the central 95% "
        "of those runs, which carries both what the records leave uncertain about the team and "
        "the runs' luck:\n",
        "| Policy | " + " | ".join(_kpi_label(k).capitalize() for k in kpis) + " |",
        "|---|" + "---|" * len(kpis),
    ]
    by = {(r["policy"], r["kpi"]): r for r in data["summary"]}
    for policy in data["policies"]:
        cells = [
            f"{number(by[policy, k]['mean'])} ({interval(by[policy, k]['low'], by[policy, k]['high'])})"
            for k in kpis
        ]
        lines.append(f"| `{policy}` | " + " | ".join(cells) + " |")
    team_policy = data["team"]["policy"]
    lines += [
        "",
        f"Paired differences from the team's `{team_policy}` (same draw, same seed), and the "
        "decision rule's verdict on the primary outcome:\n",
        "| Policy | Outcome | Paired difference | 95% interval | Verdict |",
        "|---|---|---|---|---|",
    ]
    for d in data["differences"]:
        verdict = decision(d["low"], d["high"]) if d["kpi"] == study["primary"] else "(secondary)"
        lines.append(
            f"| `{d['policy']}` | {_kpi_label(d['kpi'])} | {signed(d['mean'])} "
            f"| {signed(d['low'])} to {signed(d['high'])} | {verdict} |"
        )
    return "\n".join(lines) + "\n"


def fit_report_warnings() -> str:
    warnings = report()["warnings"]
    if not warnings:
        return (
            "- **Warnings of the fit.** None: every fitted parameter's interval is clearly "
            "narrower than its prior.\n"
        )
    listed = "; ".join(_cell(w) for w in warnings)
    return f"- **Warnings of the fit**, as it printed them: {listed}.\n"


def fit_report_provenance() -> str:
    data = report()
    prov = data["provenance"]
    timings = data["timings"]
    hashes = prov.get("records_sha256") or {}
    rows = [
        ("Run digest", f"`{data['digest']}` (the cache key: package sources, this hook, the study)"),
        ("Package version", f"`{data['version']}`"),
        ("Source commit", f"`{data['commit']}`"),
        ("Team seed", str(data["study"]["team_seed"])),
        ("Fit seed and draws", f"{data['study']['fit_seed']}, {data['study']['draws']:,}"),
        ("Counterfactual draws × seeds", f"{data['study']['counterfactual_draws']} × "
         f"{data['study']['counterfactual_seeds']}"),
        ("Run time", f"records {timings['records']:.1f} s, fit {timings['fit']:.1f} s, "
         f"counterfactuals {timings['counterfactuals']:.1f} s"
         + (" (results reused from an earlier build with identical sources)"
            if data.get("cached") else "")),
    ]  # fmt: skip
    if isinstance(hashes, Mapping):
        rows += [(f"`{name}` (SHA-256)", f"`{digest}`") for name, digest in sorted(hashes.items())]
    lines = ["| Item | Value |", "|---|---|"]
    lines += [f"| {item} | {_cell(value)} |" for item, value in rows]
    commands = "\n".join(reproduce_commands(data))
    return (
        "\n".join(lines)
        + "\n\nTo reproduce the study from a clone at that commit:\n\n```bash\n"
        + commands
        + "\n```\n"
    )


# --- the figure ----------------------------------------------------------------------------------


def _dots(ax: Any, ys: Sequence[int], rows: Sequence[Mapping[str, float]], colour: str) -> None:
    """One dot per row at its mean, with its 95% interval as error bars."""
    for y, row in zip(ys, rows, strict=True):
        ax.errorbar(
            [row["mean"]],
            [y],
            xerr=[[row["mean"] - row["low"]], [row["high"] - row["mean"]]],
            fmt="o",
            color=colour,
            capsize=4,
        )


@figure_registry.register(
    "fit_report_counterfactuals",
    "The policies compared on the fitted synthetic team, on the primary outcome. Left: each "
    "policy's mean with the central 95% of its runs over posterior draws × seeds (the team's own "
    "policy first). Right: each other policy's paired difference from the team's own (same draw, "
    "same seed) with the central 95% of the differences; the decision rule reads whether that "
    "interval lies clear of zero (the dashed line). Made from the study run when this site was "
    "built.",
)
def counterfactuals_figure(theme: str) -> tuple[Figure, str]:
    data = report()
    study, kpi = data["study"], data["study"]["primary"]
    policies = list(data["policies"])
    levels = {r["policy"]: r for r in data["summary"] if r["kpi"] == kpi}
    differences = {d["policy"]: d for d in data["differences"] if d["kpi"] == kpi}
    others = [p for p in policies if p in differences]
    fig, (left, right), t = figure_registry.new_figure(theme, ncols=2, width=8.0, height=2.8)
    ys = list(range(len(policies)))[::-1]
    _dots(left, ys, [levels[p] for p in policies], t["colors"][0])
    left.set_yticks(ys, policies)
    left.set_ylim(-0.5, len(policies) - 0.5)
    left.set_xlim(left=0.0)  # value is not negative: the axis starts at zero
    left.set_xlabel(f"{_kpi_label(kpi)} (mean, 95% interval)")
    _dots(right, ys[1:], [differences[p] for p in others], t["colors"][1])
    right.axvline(0.0, color=t["fg"], linewidth=1, linestyle="--")
    right.set_yticks(ys[1:], [f"{p} − {policies[0]}" for p in others])
    right.set_ylim(-0.5, len(policies) - 0.5)
    right.set_xlabel(f"paired difference in {_kpi_label(kpi)}")
    for ax in (left, right):
        ax.grid(axis="y", visible=False)
    runs = study["counterfactual_draws"] * study["counterfactual_seeds"]
    level_parts = [
        f"{p} {number(levels[p]['mean'])} ({interval(levels[p]['low'], levels[p]['high'])})"
        for p in policies
    ]
    difference_parts = [
        f"{p} minus {policies[0]} {signed(differences[p]['mean'])} "
        f"({signed(differences[p]['low'])} to {signed(differences[p]['high'])}): "
        + verdict_sentence(p, policies[0], differences[p]["low"], differences[p]["high"])
        .replace("`", "")
        .replace("**", "")
        for p in others
    ]
    alt = (
        f"Two dot plots of {_kpi_label(kpi)} on the fitted synthetic team, {runs} runs per "
        f"policy. Left, each policy's mean and 95% interval: " + "; ".join(level_parts) + ". "
        "Right, each paired difference from the team's own policy with its 95% interval and a "
        "line at zero: " + "; ".join(difference_parts) + "."
    )
    return fig, alt


# --- the pre-registration template as a download -------------------------------------------------


def template_text(markdown: str) -> str:
    """The template part of the pre-registration page, headings raised one level.

    >>> template_text("intro\\n<!-- template starts -->\\n## T\\n### 1. Q\\n<!-- template ends -->")
    '# T\\n## 1. Q\\n'
    """
    try:
        body = markdown.split("<!-- template starts -->", 1)[1].split("<!-- template ends -->")[0]
    except IndexError:
        raise PluginError(f"{TEMPLATE_PAGE}: the template markers are missing") from None
    body = re.sub(r"^#(#+ )", r"\1", body.strip(), flags=re.MULTILINE)
    return body + "\n"


# --- hook events ---------------------------------------------------------------------------------

DIRECTIVES: dict[str, Callable[[], str]] = {
    "fit_report_summary": fit_report_summary,
    "fit_report_question": fit_report_question,
    "fit_report_design": fit_report_design,
    "fit_report_records": fit_report_records,
    "fit_report_parameters": fit_report_parameters,
    "fit_report_statistics": fit_report_statistics,
    "fit_report_results": fit_report_results,
    "fit_report_warnings": fit_report_warnings,
    "fit_report_provenance": fit_report_provenance,
}


def on_pre_build(config: MkDocsConfig) -> None:
    """Forget the previous build's study (``mkdocs serve`` rebuilds in-process)."""
    report.cache_clear()


def on_post_build(config: MkDocsConfig) -> None:
    """Publish the pre-registration template as a Markdown file, served as it is (a ``.md`` among
    the docs would be rendered as a page)."""
    source = Path(config.docs_dir) / TEMPLATE_PAGE
    if source.is_file():
        target = Path(config.site_dir) / TEMPLATE_DOWNLOAD
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(template_text(source.read_text(encoding="utf-8")), encoding="utf-8")


# Before hooks/directives.py (priority 0), which rejects directive lines it does not know.
@event_priority(50)
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return whole_line.expand(markdown, DIRECTIVES)
