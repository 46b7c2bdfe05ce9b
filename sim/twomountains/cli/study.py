"""``twomountains replicate | sweep | sensitivity | plot``: research studies from the shell.

Studies given ``--out PATH`` are checkpointed in ``PATH.partial/`` as they run: running the same
command again resumes where it stopped (saying how many runs it reuses), and ``PATH`` appears only
once the study is complete. Missing folders in ``PATH`` are created.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from twomountains.cli.output import check_writable
from twomountains.errors import UsageError

DEFAULT_KPIS = ("value_delivered", "burnout_rate_per_person_year")
PLOT_KINDS = ("explore", "heatmap", "deadline", "pareto", "weekly", "sensitivity")


def register(subparsers: Any) -> None:
    """Add the study subcommands to the ``twomountains`` parser."""
    rep = subparsers.add_parser(
        "replicate",
        help="replications of one scenario and policy, with 95%% intervals",
        description="Run one scenario and policy --reps times (seeds --seed, --seed+1, ...) and "
        "print mean, 95% t-interval and relative half-width per KPI.",
    )
    _scenario_options(rep)
    rep.add_argument("--policy", default=None, help="policy spec (default fixed:0.4)")
    rep.add_argument("--reps", type=int, default=10, help="replications (default 10)")
    rep.add_argument(
        "--target",
        type=float,
        default=None,
        help="instead of --reps, find how many replications bring each KPI's relative "
        "half-width under TARGET (e.g. 0.05)",
    )
    _study_options(rep)
    rep.set_defaults(handler=_replicate)

    swp = subparsers.add_parser(
        "sweep",
        help="full-factorial sweep over parameters and policies",
        description="Sweep every combination of --param values for every --policy, with "
        "common random numbers across design points.",
    )
    _scenario_options(swp)
    swp.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUES",
        help="swept parameter: name=v1,v2,... or name=lo:hi:step (repeatable)",
    )
    swp.add_argument("--policy", action="append", default=[], help="policy spec (repeatable)")
    swp.add_argument("--reps", type=int, default=10, help="replications per point (default 10)")
    _study_options(swp)
    swp.set_defaults(handler=_sweep)

    sens = subparsers.add_parser(
        "sensitivity",
        help="Morris or Sobol sensitivity indices (SALib)",
        description="Global sensitivity of one KPI to parameters varied within bounds.",
    )
    _scenario_options(sens)
    sens.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=LO:HI",
        help="parameter and its bounds (repeatable, at least two)",
    )
    sens.add_argument("--method", choices=("morris", "sobol"), default="morris")
    sens.add_argument("--n", type=int, default=16, help="trajectories (Morris) or base samples")
    sens.add_argument("--reps", type=int, default=3, help="replications per point (default 3)")
    sens.add_argument("--kpi", default="value_delivered", help="KPI analysed")
    sens.add_argument("--policy", default=None, help="policy spec (default fixed:0.4)")
    _study_options(sens, kpi_option=False)
    sens.set_defaults(handler=_sensitivity)

    plot = subparsers.add_parser(
        "plot",
        help="standard figures from a results file (or from runs, for 'weekly')",
        description="Draw a standard figure and print its alt text.",
    )
    plot.add_argument("kind", choices=PLOT_KINDS)
    plot.add_argument("--results", default=None, help="results file written by a study --out")
    plot.add_argument("--out", required=True, help="image file (.png, .svg or .pdf)")
    plot.add_argument("--theme", choices=("light", "dark"), default="light")
    plot.add_argument("--kpi", default=None, help="KPI shown (default depends on the figure)")
    plot.add_argument("--x", default=None, help="heatmap: parameter on the x axis")
    plot.add_argument("--y", default=None, help="heatmap: parameter on the y axis")
    _scenario_options(plot)
    plot.add_argument("--policy", action="append", default=[], help="weekly: policy (repeatable)")
    plot.add_argument("--seed", type=int, default=0, help="weekly: seed of the run")
    plot.set_defaults(handler=_plot)


def _scenario_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--scenario", default="default", metavar="NAME|FILE", help="preset name or TOML file"
    )
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="fixed override of a scenario parameter (repeatable)",
    )


def _study_options(p: argparse.ArgumentParser, kpi_option: bool = True) -> None:
    p.add_argument("--seed", type=int, default=0, help="base seed (replication i uses seed+i)")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    p.add_argument(
        "--backend",
        choices=("serial", "processes", "dask"),
        default=None,
        help="where runs execute (default: processes; dask when --scheduler is given)",
    )
    p.add_argument("--scheduler", default=None, help="Dask scheduler address, e.g. tcp://host:8786")
    p.add_argument(
        "--out",
        default=None,
        help="results Parquet file (checkpointed, resumable; missing folders are created)",
    )
    p.add_argument("--csv", default=None, help="also export the results table as CSV")
    p.add_argument("--overwrite", action="store_true", help="replace a different study at --out")
    p.add_argument("--quiet", action="store_true", help="no progress bar and no note on resuming")
    p.add_argument(
        "--batch-size",
        type=int,
        default=None,
        help="runs per batch (default: about 100 batches per study)",
    )
    if kpi_option:
        p.add_argument("--kpi", action="append", default=[], help="KPI to print (repeatable)")


def load_scenario(text: str, sets: list[str]) -> Any:
    """A Scenario from a preset name or TOML file, with ``--set`` overrides applied."""
    from twomountains import scenario_files
    from twomountains.study import design

    scenario = scenario_files.load(text)
    overrides = {}
    for item in sets:
        name, value = design.parse_assignment(item, "--set")
        overrides[name] = design.parse_value(value)
    return scenario.replace(**overrides) if overrides else scenario


def _exec_options(args: argparse.Namespace) -> Any:
    from twomountains.study import ExecutionOptions

    check_writable(args.out, "--out")
    check_writable(args.csv, "--csv")
    backend = args.backend or ("dask" if args.scheduler else "processes")
    return ExecutionOptions(
        backend=backend,
        jobs=args.jobs,
        scheduler=args.scheduler,
        out=args.out,
        overwrite=args.overwrite,
        quiet=args.quiet,
        batch_size=args.batch_size,
    )


def _print_summary(df: Any, kpis: list[str]) -> None:
    import pandas as pd

    from twomountains.study import stats

    summary = stats.summarize(df, kpis=kpis)
    shown = [c for c in summary.columns if c not in ("point", "sd", "half_width")]
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(summary[shown].to_string(index=False, float_format=lambda v: f"{v:.4g}"))


def _kpis_to_print(args: argparse.Namespace, df: Any, default: tuple[str, ...] | None) -> list[str]:
    from twomountains.study import stats

    available = stats.kpi_columns(df)
    wanted = list(args.kpi) or (list(default) if default else available)
    for k in wanted:
        if k not in available:
            raise UsageError(f"--kpi: unknown KPI {k!r}; allowed: {', '.join(available)}")
    return wanted


def _finish(args: argparse.Namespace, df: Any) -> None:
    from twomountains.study import store

    if args.csv:
        store.to_csv(df, args.csv)
    if args.out and not args.quiet:
        print(f"results: {args.out} ({len(df)} rows)")


def _replicate(args: argparse.Namespace) -> int:
    from twomountains.study import core

    scenario = load_scenario(args.scenario, args.set)
    options = _exec_options(args)
    if args.target is not None:
        if args.out or args.csv:
            raise UsageError("--target: choosing replications does not write --out/--csv files")
        table = core.choose_replications(
            scenario,
            args.policy,
            kpis=args.kpi or None,
            target=args.target,
            seed=args.seed,
            options=options,
        )
        print(table.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
        return 0
    df = core.replicate(scenario, args.policy, args.reps, args.seed, options=options)
    _print_summary(df, _kpis_to_print(args, df, None))
    _finish(args, df)
    return 0


def _sweep(args: argparse.Namespace) -> int:
    from twomountains.study import core, design

    scenario = load_scenario(args.scenario, args.set)
    grid: dict[str, Any] = {}
    for item in args.param:
        name, values = design.parse_assignment(item, "--param")
        if name in grid:
            raise UsageError(f"--param: {name!r} given twice")
        grid[name] = design.parse_range(name, values)
    if not grid and len(args.policy) < 2:
        raise UsageError("sweep: give at least one --param name=values or two --policy specs")
    options = _exec_options(args)
    df = core.sweep(scenario, grid, args.policy or None, args.reps, args.seed, options=options)
    _print_summary(df, _kpis_to_print(args, df, DEFAULT_KPIS))
    _finish(args, df)
    return 0


def parse_bounds(items: list[str]) -> dict[str, tuple[float, float]]:
    """``name=lo:hi`` items as a bounds dict."""
    from twomountains.study import design

    bounds: dict[str, tuple[float, float]] = {}
    for item in items:
        name, text = design.parse_assignment(item, "--param")
        parts = text.split(":")
        if len(parts) != 2:
            raise UsageError(f"--param {name}: malformed bounds {text!r}, allowed: lo:hi")
        lo, hi = (design.parse_value(p) for p in parts)
        if isinstance(lo, bool) or isinstance(hi, bool) or not lo < hi:
            raise UsageError(f"--param {name}: malformed bounds {text!r}, allowed: lo:hi, lo < hi")
        bounds[name] = (lo, hi)
    return bounds


def _sensitivity(args: argparse.Namespace) -> int:
    from twomountains.study.sensitivity_analysis import sensitivity

    scenario = load_scenario(args.scenario, args.set)
    bounds = parse_bounds(args.param)
    if len(bounds) < 2:
        raise UsageError("sensitivity: give at least two --param name=lo:hi")
    options = _exec_options(args)
    table = sensitivity(
        bounds,
        args.method,
        args.n,
        args.reps,
        base=scenario,
        kpi=args.kpi,
        policy=args.policy,
        seed=args.seed,
        options=options,
    )
    print(table.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    if args.csv:
        from twomountains.study import store

        store.to_csv(table, args.csv)
    return 0


def _plot(args: argparse.Namespace) -> int:
    from twomountains import plots

    check_writable(args.out, "--out")
    if Path(args.out).suffix.lower() not in (".png", ".svg", ".pdf"):
        raise UsageError(f"--out: got {args.out!r}, allowed: a .png, .svg or .pdf file name")
    from twomountains.study import store

    if args.kind == "weekly":
        import twomountains as tm

        scenario = load_scenario(args.scenario, args.set)
        runs = [tm.run(scenario, p, seed=args.seed) for p in (args.policy or [None])]
        fig, alt = plots.weekly(runs, theme=args.theme)
    else:
        if args.results is None:
            raise UsageError(f"plot {args.kind}: --results FILE is required")
        df = store.load_results(args.results)
        kpi = {"kpi": args.kpi} if args.kpi else {}
        if args.kind == "explore":
            fig, alt = plots.value_vs_explore(df, theme=args.theme, **kpi)
        elif args.kind == "heatmap":
            if not (args.x and args.y):
                raise UsageError("plot heatmap: --x and --y parameters are required")
            fig, alt = plots.heatmap(df, args.x, args.y, theme=args.theme, **kpi)
        elif args.kind == "deadline":
            fig, alt = plots.burnout_vs_deadline(df, theme=args.theme, **kpi)
        elif args.kind == "pareto":
            fig, alt = plots.pareto(df, theme=args.theme)
        else:
            from twomountains.study.sensitivity_analysis import from_results

            fig, alt = plots.sensitivity_bars(from_results(df), theme=args.theme)
    store.make_folders(Path(args.out))
    fig.savefig(args.out, dpi=150, bbox_inches="tight", facecolor=fig.get_facecolor())
    print(alt)
    return 0
