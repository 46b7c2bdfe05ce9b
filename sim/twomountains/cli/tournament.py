"""``twomountains tournament SUBMISSIONS_DIR``: run the class tournament and write the leaderboard."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from twomountains.errors import UsageError


def register(subparsers: Any) -> None:
    """Add the ``tournament`` subcommand."""
    p = subparsers.add_parser(
        "tournament",
        help="rank every policy file in a folder on the same scenarios and seeds",
        description="Run each entry (*.py with NAME, AUTHOR and class Policy) of SUBMISSIONS_DIR "
        "in its own limited subprocess on the same scenarios and seeds, then write "
        "leaderboard.csv and leaderboard.html to --out and print the leaderboard.",
    )
    p.add_argument("submissions", nargs="?", metavar="SUBMISSIONS_DIR", help="folder of entries")
    p.add_argument(
        "--scenario",
        action="append",
        default=[],
        metavar="NAME|FILE",
        help="preset name or TOML file (repeatable; default: default, startup_crunch, uncharted)",
    )
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="change a parameter in every scenario, e.g. horizon_weeks=26 (repeatable)",
    )
    p.add_argument("--reps", type=int, default=10, help="replications (seeds) per scenario (10)")
    p.add_argument("--seed", type=int, default=0, help="first seed (replication r uses seed+r)")
    p.add_argument(
        "--include-builtins", action="store_true", help="show the built-in policies as well"
    )
    p.add_argument("--out", default="tournament-results", help="output folder")
    p.add_argument(
        "--time-limit", type=float, default=60.0, help="CPU seconds per entry, all runs (60)"
    )
    p.add_argument(
        "--wall-limit",
        type=float,
        default=None,
        help="wall-clock seconds per entry (default: 2 x time limit + 10)",
    )
    p.add_argument("--memory-limit", type=int, default=1024, help="MB per entry (1024)")
    p.add_argument(
        "--burnout-weight",
        type=float,
        default=1.0,
        help="score lost per unit of at-risk share (1.0); see docs/instructors/tournament.md",
    )
    p.add_argument("--jobs", type=int, default=None, help="entries run at once (default: CPUs)")
    p.add_argument(
        "--no-network-namespace",
        action="store_true",
        help="do not run entries in a separate network namespace even when possible",
    )
    p.add_argument("--quiet", action="store_true", help="no progress output")
    p.add_argument("--template", action="store_true", help="print an example entry file and exit")
    p.set_defaults(handler=handle)


def _positive(option: str, value: float | None, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    if value is None or not value > 0 or value != value:
        raise UsageError(f"{option}: got {value!r}; allowed: a positive number")


def handle(args: argparse.Namespace) -> int:
    """Run the tournament described by the parsed arguments."""
    from twomountains.tournament import TEMPLATE_PATH

    if args.template:
        print(TEMPLATE_PATH.read_text(encoding="utf-8"), end="")
        return 0
    if args.submissions is None:
        raise UsageError("tournament: give SUBMISSIONS_DIR (or --template for an example entry)")
    if not os.path.isdir(args.submissions):
        what = "is not a folder" if os.path.exists(args.submissions) else "does not exist"
        raise UsageError(f"SUBMISSIONS_DIR: {args.submissions!r} {what}")
    if args.reps < 2:
        raise UsageError(f"--reps: got {args.reps}; allowed: an integer of at least 2")
    if args.seed < 0:
        raise UsageError(f"--seed: got {args.seed}; allowed: a non-negative integer")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs: got {args.jobs}; allowed: a positive integer")
    _positive("--time-limit", args.time_limit)
    _positive("--wall-limit", args.wall_limit, allow_none=True)
    if args.memory_limit < 64:
        raise UsageError(f"--memory-limit: got {args.memory_limit}; allowed: at least 64 (MB)")
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out: {args.out!r} exists and is not a folder")

    from twomountains import scenario_files
    from twomountains.study import design
    from twomountains.tournament import (
        DEFAULT_SCENARIOS,
        Limits,
        ScoreRule,
        report,
        run_tournament,
    )

    overrides = {}
    for item in args.set:
        name, value = design.parse_assignment(item, "--set")
        overrides[name] = design.parse_value(value)
    for item in args.scenario:  # one-line errors for bad files before any entry runs
        scenario_files.load(item)
    limits = Limits(
        cpu_seconds=args.time_limit,
        memory_mb=args.memory_limit,
        wall_seconds=args.wall_limit,
        network_namespace=not args.no_network_namespace,
    )
    result = run_tournament(
        args.submissions,
        scenarios=args.scenario or list(DEFAULT_SCENARIOS),
        reps=args.reps,
        seed=args.seed,
        include_builtins=args.include_builtins,
        limits=limits,
        jobs=args.jobs,
        rule=ScoreRule(burnout_weight=args.burnout_weight),
        overrides=overrides,
        progress=not args.quiet,
    )
    paths = report.write_all(result, out)
    print(report.terminal_table(result))
    if result.advice:  # also on stderr, seen when the table is redirected to a file
        print(f"twomountains: warning: {result.advice}", file=sys.stderr)
    print(f"\nwrote {paths['csv']} and {paths['html']} ({result.seconds:.1f} s)")
    return 0
