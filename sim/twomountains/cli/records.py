"""``twomountains validate-records`` and ``twomountains datasets``: team records (issue 14)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from twomountains.errors import UsageError


def register(subparsers: Any) -> None:
    """Add the ``validate-records`` and ``datasets`` subcommands."""
    validate = subparsers.add_parser(
        "validate-records",
        help="check a team's records and report every problem",
        description=(
            "Check a team records folder (team.toml, people.csv, hours.csv, projects.csv, "
            "incidents.csv, burnout.csv) against the records format. Prints 'ok: N files, M rows', "
            "or every problem on its own line as file:line:column: message and exits with status 2."
        ),
    )
    validate.add_argument("directory", metavar="DIR", help="the records folder")
    validate.set_defaults(handler=handle_validate)

    datasets = subparsers.add_parser(
        "datasets",
        help="write example datasets (the synthetic team)",
        description="Write example datasets. The datasets and their options:",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    kinds = datasets.add_subparsers(dest="dataset", metavar="DATASET", parser_class=type(datasets))
    kinds.required = True
    synthetic = kinds.add_parser(
        "synthetic-team",
        help="records of a simulated team with measurement noise, and the true parameters",
        description=(
            "Write the records of the synthetic team (the default preset over 104 weeks with known "
            "parameters, measured with noise and missing weeks), truth.toml with the true values of "
            "the parameters the fit estimates by default, and a README. The same seed always "
            "writes the same files."
        ),
    )
    synthetic.add_argument("out_dir", metavar="OUT_DIR", help="a new or empty folder")
    synthetic.add_argument("--seed", type=int, default=0, help="simulation and measurement seed")
    synthetic.add_argument(
        "--force", action="store_true", help="replace OUT_DIR even if it is not empty"
    )
    synthetic.set_defaults(handler=handle_synthetic_team)
    # `twomountains datasets --help` (and the generated CLI reference) shows each dataset's options
    datasets.epilog = synthetic.format_help()


def _need_research_extra() -> None:
    for module in ("pandas", "pandera"):
        try:
            __import__(module)
        except ModuleNotFoundError:
            raise UsageError(
                f"team records need {module}: pip install 'twomountains[research]'"
            ) from None


def handle_validate(args: argparse.Namespace) -> int:
    _need_research_extra()
    from twomountains.records.validate import FILES, check

    problems, records = check(args.directory)
    if records is None:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(
            f"twomountains: error: {len(problems)} problem(s) in the records in {args.directory}",
            file=sys.stderr,
        )
        return 2
    print(f"ok: {len(FILES)} files, {records.rows()} rows")
    return 0


def handle_synthetic_team(args: argparse.Namespace) -> int:
    _need_research_extra()
    from twomountains.records.synthetic import synthetic_team

    if args.seed < 0:
        raise UsageError(f"--seed: got {args.seed}; allowed: a non-negative integer")
    folder = synthetic_team(args.out_dir, seed=args.seed, force=args.force)
    names = ", ".join(sorted(p.name for p in folder.iterdir()))
    print(f"wrote the synthetic team (seed {args.seed}) to {folder}: {names}")
    return 0
