"""``twomountains claims``: the claims ledger (each essay claim as a paired comparison)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from twomountains.cli.output import check_writable, write_json
from twomountains.errors import UsageError


def register(subparsers: Any) -> None:
    """Add the ``claims`` subcommand."""
    from twomountains import audit
    from twomountains.claims import DEFAULT_REPS

    parser = subparsers.add_parser(
        "claims",
        help="test the essay's claims under common random numbers",
        description=(
            "Test the essay's six claims, each a paired comparison under common random numbers, "
            "and print each claim's effect, 95% interval and verdict (holds, fails, cannot tell). "
            "With --audit, screen which calibration choices each claim's effects depend on "
            "(Morris screening, each parameter from half to twice its default)."
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
        default=None,
        help=(
            f"paired replications per arm (default {DEFAULT_REPS}; "
            f"with --audit {audit.DEFAULT_REPS})"
        ),
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
    parser.add_argument(
        "--audit",
        action="store_true",
        help="run the assumption audit (Morris screening of each claim's effects) instead",
    )
    parser.add_argument(
        "--trajectories",
        type=int,
        default=None,
        help=f"Morris trajectories, with --audit (default {audit.DEFAULT_TRAJECTORIES})",
    )
    parser.add_argument(
        "--params",
        default=None,
        metavar="A,B,...",
        help="calibration choices to screen, with --audit (default: the audit's chosen dozen)",
    )
    parser.add_argument(
        "--out", default=None, metavar="FILE", help="also write the JSON to FILE (atomically)"
    )
    parser.add_argument("--json", action="store_true", help="print the ledger as JSON")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(handler=handle_claims)


def handle_claims(args: argparse.Namespace) -> int:
    from twomountains import claims, scenarios

    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs: got {args.jobs}; allowed: a positive integer")
    check_writable(args.out, "--out")
    if args.audit:
        return _audit(args)
    for option in ("trajectories", "params"):
        if getattr(args, option) is not None:
            raise UsageError(f"--{option}: got {getattr(args, option)}; allowed: only with --audit")
    presets = scenarios.names() if args.preset == "all" else [args.preset]
    ledger = claims.run_ledger(
        presets,
        reps=claims.DEFAULT_REPS if args.reps is None else args.reps,
        backend=args.backend,
        jobs=args.jobs,
        quiet=args.quiet or args.json,
    )
    return _emit(ledger, args, claims.format_ledger)


def _audit(args: argparse.Namespace) -> int:
    from twomountains import audit

    if args.preset == "all":
        raise UsageError("--preset: got 'all'; allowed: one preset with --audit")
    params = None
    if args.params is not None:
        params = [name.strip() for name in args.params.split(",") if name.strip()]
    result = audit.run_audit(
        args.preset,
        params,
        trajectories=audit.DEFAULT_TRAJECTORIES if args.trajectories is None else args.trajectories,
        reps=audit.DEFAULT_REPS if args.reps is None else args.reps,
        backend=args.backend,
        jobs=args.jobs,
        quiet=args.quiet or args.json,
    )
    return _emit(result, args, audit.format_audit)


def _emit(result: dict[str, Any], args: argparse.Namespace, text: Callable[[Any], str]) -> int:
    """Write ``result`` to ``--out`` if given, then print it as JSON (``--json``) or as ``text``."""
    if args.out is not None:
        write_json(result, args.out)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(text(result))
    return 0
