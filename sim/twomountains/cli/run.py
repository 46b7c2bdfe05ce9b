"""``twomountains run``: simulate one team-year and print its KPIs."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from twomountains.errors import UsageError


def register(subparsers: Any) -> None:
    """Add the ``run`` subcommand."""
    parser = subparsers.add_parser(
        "run",
        help="simulate one team over the horizon and print its KPIs",
        description="Simulate one team over the horizon and print its KPIs.",
    )
    add_scenario_arguments(parser)
    parser.add_argument("--policy", default=None, help="policy spec, e.g. fixed:0.4 or adaptive")
    parser.add_argument("--seed", type=_non_negative_int, default=0, help="random seed (default 0)")
    parser.add_argument("--json", action="store_true", help="print KPIs as JSON")
    parser.set_defaults(handler=handle_run)
    listing = subparsers.add_parser("scenarios", help="list the preset scenarios")
    listing.set_defaults(handler=handle_scenarios)
    params = subparsers.add_parser("params", help="list every scenario parameter")
    params.set_defaults(handler=handle_params)


def add_scenario_arguments(parser: argparse.ArgumentParser) -> None:
    """``--scenario NAME|FILE`` and repeatable ``--set name=value`` (shared by other subcommands)."""
    parser.add_argument(
        "--scenario",
        default="default",
        metavar="NAME|FILE",
        help="a preset name (see `twomountains scenarios`) or a TOML file",
    )
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="change one parameter (repeatable; see `twomountains params`)",
    )


def scenario_from_args(args: argparse.Namespace) -> Any:
    """The scenario named by ``--scenario`` with every ``--set`` applied."""
    from twomountains import Scenario, scenarios

    name = args.scenario
    if name.endswith(".toml") or Path(name).is_file():
        if not Path(name).is_file():
            raise UsageError(f"--scenario: file {name!r} not found")
        scenario = Scenario.from_toml(name)
    else:
        scenario = scenarios.load(name)
    changes = {}
    for item in args.overrides:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--set: got {item!r}; allowed: NAME=VALUE")
        changes[key.strip()] = value.strip()
    return scenario.replace(**changes) if changes else scenario


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"got {text!r}; allowed: a non-negative integer") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"got {text!r}; allowed: a non-negative integer")
    return value


def handle_run(args: argparse.Namespace) -> int:
    """Run once and print the KPI table (or JSON)."""
    import twomountains as tm

    scenario = scenario_from_args(args)
    result = tm.run(scenario, policy=args.policy, seed=args.seed)
    if args.json:
        payload = {
            "scenario": scenario.changes_from_default(),
            "policy": result.policy,
            "seed": result.seed,
            "kpis": result.kpis,
        }
        print(json.dumps(payload, indent=2))
        return 0
    print(f"Two Mountains: scenario {args.scenario}, policy {result.policy}, seed {result.seed}")
    width = max(len(k) for k in result.kpis)
    for key, value in result.kpis.items():
        text = f"{value:,.0f}" if value.is_integer() else f"{value:,.3f}"
        print(f"  {key:<{width}}  {text:>12}")
    return 0


def handle_scenarios(args: argparse.Namespace) -> int:
    """Print the preset names with their descriptions."""
    from twomountains import scenarios

    for name in scenarios.names():
        print(f"{name}\n    {scenarios.describe(name)}")
    return 0


def handle_params(args: argparse.Namespace) -> int:
    """Print every parameter with its default, unit and meaning."""
    from twomountains import Scenario

    for p in Scenario.parameters():
        print(f"{p.name} = {p.default!r}  [{p.unit}]  {p.meaning}")
    return 0
