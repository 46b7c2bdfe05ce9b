"""``twomountains fit DIR``: estimate scenario parameters from a team's records (issue 14).

Prints each fitted parameter's estimate and 95% interval with its prior range, each summary
statistic observed against the fitted model, and warnings. ``--compare POLICY`` (repeatable) adds
counterfactuals: every policy on the fitted team, parameter uncertainty carried through, with
differences from the team's own policy. ``--store DIR`` keeps the reference table (checkpointed,
resumable: running the same command again reuses the finished runs).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from twomountains.cli.output import check_writable, write_json
from twomountains.errors import UsageError


def register(subparsers: Any) -> None:
    """Add the ``fit`` subcommand."""
    parser = subparsers.add_parser(
        "fit",
        help="fit scenario parameters to a team's records (ABC), with diagnostics",
        description="Estimate scenario parameters from a team's records by approximate Bayesian "
        "computation: posterior median and 95%% interval per parameter, each summary statistic "
        "observed against the fitted model, warnings for parameters the data do not inform, and "
        "(with --compare) what other policies would have done on the fitted team.",
    )
    parser.add_argument("records", metavar="DIR", help="records folder (see validate-records)")
    parser.add_argument(
        "--param",
        action="append",
        default=None,
        metavar="NAME",
        help="parameter to fit (repeatable; default: the identifiable default set); every other "
        "parameter stays at the preset's value",
    )
    parser.add_argument("--preset", default="default", help="base scenario (default: default)")
    parser.add_argument(
        "--policy",
        default=None,
        help="the team's policy (default: team.toml's policy, else fixed:<observed share>)",
    )
    parser.add_argument("--draws", type=int, default=None, help="prior draws (default 2000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of draws and runs (default 0)")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: all)")
    parser.add_argument(
        "--backend",
        choices=("serial", "processes", "dask"),
        default=None,
        help="where runs execute (default: processes; dask when --scheduler is given)",
    )
    parser.add_argument("--scheduler", default=None, help="Dask scheduler address")
    parser.add_argument(
        "--store", default=None, metavar="DIR", help="keep the reference table here (resumable)"
    )
    parser.add_argument(
        "--overwrite", action="store_true", help="replace a different table in --store"
    )
    parser.add_argument(
        "--compare",
        action="append",
        default=[],
        metavar="POLICY",
        help="also compare this policy with the team's own on the fitted team (repeatable)",
    )
    parser.add_argument(
        "--compare-draws", type=int, default=20, help="posterior draws compared (default 20)"
    )
    parser.add_argument(
        "--compare-seeds", type=int, default=5, help="seeds per draw compared (default 5)"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--out", default=None, metavar="FILE", help="also write the JSON to FILE")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(handler=handle_fit)


def handle_fit(args: argparse.Namespace) -> int:
    """Run the fit (and counterfactuals) and print or write the result."""
    from twomountains import fit as fitting
    from twomountains.fit import parameters
    from twomountains.study import ExecutionOptions

    names = parameters.check_params(args.param)  # a bad name fails before any loading
    check_writable(args.out, "--out")
    if not Path(args.records).is_dir():
        raise UsageError(f"DIR: got {args.records}; allowed: a records folder")
    execution = ExecutionOptions(
        backend=args.backend or ("dask" if args.scheduler else "processes"),
        jobs=args.jobs,
        scheduler=args.scheduler,
        overwrite=args.overwrite,
        quiet=args.quiet,
    )
    kwargs: dict[str, Any] = {} if args.draws is None else {"draws": args.draws}
    result = fitting.fit(
        args.records,
        names,
        preset=args.preset,
        seed=args.seed,
        policy=args.policy,
        store=args.store,
        execution=execution,
        **kwargs,
    )
    data = result.to_dict()
    compared = None
    if args.compare:
        compared = fitting.counterfactuals(
            result,
            args.compare,
            draws=args.compare_draws,
            seeds=args.compare_seeds,
            seed=args.seed,
            execution=execution,
        )
        data["counterfactuals"] = compared.to_dict("records")
    if args.out is not None:
        write_json(data, args.out)
    print(json.dumps(data, indent=2) if args.json else text(result, compared))
    return 0


def text(result: Any, compared: Any = None) -> str:
    """The readable report: parameters, statistics, warnings (and counterfactuals)."""
    from twomountains.fit import PRIORS, STATISTICS

    prov = result.provenance
    lines = [
        f"fitted {prov['team_size']} people over {prov['horizon_weeks']} weeks, policy "
        f"{result.policy}, preset {prov['preset']}: {prov['accepted']} of {prov['draws']} "
        f"prior draws accepted (seed {prov['seed']})",
        "",
        f"{'parameter':26} {'estimate':>9}  {'95% interval':22}  prior range",
    ]
    for name, p in result.params.items():
        prior = PRIORS[name]
        interval = f"[{_num(p['low'])}, {_num(p['high'])}]"
        lines.append(
            f"{name:26} {_num(p['estimate']):>9}  {interval:22}  "
            f"{_num(prior.low)} to {_num(prior.high)} ({prior.scale})"
        )
    lines += ["", f"{'statistic':28} {'observed':>9}  {'fitted mean':>11}  fitted 95% range"]
    for name, s in result.statistics.items():
        if name not in STATISTICS:
            continue
        flag = ("  <- outside" if s["outside"] else "") + ("" if s["fitted"] else "  (not fitted)")
        lines.append(
            f"{name:28} {_num(s['observed']):>9}  {_num(s['fitted_mean']):>11}  "
            f"{_num(s['fitted_low'])} to {_num(s['fitted_high'])}{flag}"
        )
    if result.warnings:
        lines += ["", "warnings:"] + [f"  - {w}" for w in result.warnings]
    if compared is not None:
        lines += ["", f"counterfactuals (difference from {result.policy}, same draws and seeds):"]
        lines.append(f"{'policy':24} {'kpi':18} {'mean':>9}  {'95% interval':22}  difference [95%]")
        for row in compared.itertuples():
            interval = f"[{_num(row.low)}, {_num(row.high)}]"
            lines.append(
                f"{row.policy:24} {row.kpi:18} {_num(row.mean):>9}  {interval:22}  "
                f"{_num(row.difference)} [{_num(row.difference_low)}, {_num(row.difference_high)}]"
            )
    return "\n".join(lines)


def _num(x: float | None) -> str:
    if x is None:
        return "n/a"
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.3g}"
