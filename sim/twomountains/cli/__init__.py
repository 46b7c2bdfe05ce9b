"""The twomountains command line: run the model, run studies, run the class tournament.

Each subcommand lives in its own module exposing ``register(subparsers)``; heavy libraries are imported
inside the handlers so that ``twomountains --help`` stays instant. Every expected error (bad scenario,
bad policy, bad argument, unwritable output) becomes one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from twomountains.errors import TwoMountainsError, UsageError

SUBCOMMAND_MODULES = (
    "twomountains.cli.run",
    "twomountains.cli.study",
    "twomountains.cli.tournament",
    "twomountains.cli.claims",
    "twomountains.cli.records",
    "twomountains.cli.fit",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every available subcommand registered."""
    from twomountains import __version__

    parser = _Parser(prog="twomountains", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"twomountains {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True
    for name in SUBCOMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name == name:  # subcommand not part of this installation
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``twomountains`` console script."""
    try:
        args = build_parser().parse_args(argv)
        return int(args.handler(args) or 0)
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        return 0
    except (TwoMountainsError, OSError) as err:
        print(f"twomountains: error: {err}", file=sys.stderr)
        return 2
    except UnicodeDecodeError as err:  # a file read somewhere without its own message
        print(f"twomountains: error: a file is not UTF-8 text ({err.reason})", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("twomountains: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
