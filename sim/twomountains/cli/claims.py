"""``twomountains claims``: the claims ledger (each essay claim as a paired comparison)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from twomountains.errors import UsageError


def register(subparsers: Any) -> None:
    """Add the ``claims`` subcommand."""
    from twomountains.claims import DEFAULT_REPS

    parser = subparsers.add_parser(
        "claims",
        help="test the essay's claims under common random numbers",
        description=(
            "Test the essay's six claims, each a paired comparison under common random numbers, "
            "and print each claim's effect, 95% interval and verdict (holds, fails, cannot tell)."
        ),
    )
    parser.add_argument(
        "--preset",
        default="default",
        metavar="NAME",
        help="a preset (see: twomountains scenarios) or 'all' (default: default)",
    )
    parser.add_argument(
        "--reps",
        type=int,
        default=DEFAULT_REPS,
        help=f"paired replications per arm (default {DEFAULT_REPS})",
    )
    parser.add_argument(
        "--jobs", type=int, default=None, help="worker processes (default: all cores)"
    )
    parser.add_argument(
        "--backend",
        choices=("processes", "serial"),
        default="processes",
        help="where runs execute (default processes)",
    )
    parser.add_argument("--json", action="store_true", help="print the ledger as JSON")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(handler=handle_claims)


def handle_claims(args: argparse.Namespace) -> int:
    from twomountains import claims, scenarios

    presets = scenarios.names() if args.preset == "all" else [args.preset]
    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs: got {args.jobs}; allowed: a positive integer")
    ledger = claims.run_ledger(
        presets,
        reps=args.reps,
        backend=args.backend,
        jobs=args.jobs,
        quiet=args.quiet or args.json,
    )
    if args.json:
        print(json.dumps(ledger, indent=2))
    else:
        print(claims.format_ledger(ledger))
    return 0
