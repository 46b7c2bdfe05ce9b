"""``twomountains run``: simulate one team-year and print its KPIs."""

from __future__ import annotations

import argparse
import json
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
    listing = subparsers.add_parser(
        "scenarios",
        help="list the preset scenarios, or print one as a scenario file",
        description="List the preset scenarios with their descriptions. With --show NAME, print "
        "that preset as a commented TOML scenario file to copy and edit.",
    )
    listing.add_argument(
        "--show",
        metavar="NAME",
        default=None,
        help="print preset NAME as a TOML file (every parameter, with meaning, range and source)",
    )
    listing.set_defaults(handler=handle_scenarios)
    params = subparsers.add_parser(
        "params",
        help="list every scenario parameter with its range, group and source",
        description="List every scenario parameter: default, unit, allowed range, group, "
        "meaning and source.",
    )
    params.add_argument("--json", action="store_true", help="print the parameters as JSON")
    params.set_defaults(handler=handle_params)


def add_scenario_arguments(parser: argparse.ArgumentParser) -> None:
    """``--scenario NAME|FILE`` and repeatable ``--set name=value`` (shared by other subcommands)."""
    parser.add_argument(
        "--scenario",
        default="default",
        metavar="NAME|FILE",
        help="a preset name (see: twomountains scenarios) or a TOML scenario file",
    )
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="change one parameter (repeatable; see: twomountains params)",
    )


def scenario_from_args(args: argparse.Namespace) -> Any:
    """The scenario named by ``--scenario`` with every ``--set`` applied."""
    from twomountains import scenario_files

    scenario = scenario_files.load(args.scenario)
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
    """Print the preset names with their descriptions, or one preset as a TOML file."""
    from twomountains import scenario_files, scenarios

    if args.show is not None:
        scenario = scenarios.load(args.show)
        print(
            scenario_files.commented_toml(scenario, args.show, scenarios.describe(args.show)),
            end="",
        )
        return 0
    for name in scenarios.names():
        print(f"{name}\n    {scenarios.describe(name)}")
    print("\n(twomountains scenarios --show NAME prints one as a scenario file to edit)")
    return 0


def handle_params(args: argparse.Namespace) -> int:
    """Print every parameter with its default, unit, range, group, meaning and source."""
    from twomountains import Scenario, scenario_files

    parameters = Scenario.parameters()
    if args.json:
        print(json.dumps([p._asdict() for p in parameters], indent=1))
        return 0
    group = None
    for p in parameters:
        if p.group != group:
            group = p.group
            print(f"{'' if p is parameters[0] else chr(10)}[{group}]")
        default = scenario_files.toml_value(p.default)
        print(f"{p.name} = {default}  ({p.unit}; {scenario_files.allowed(p)})")
        print(f"    {p.meaning}")
        print(f"    source: {p.source}")
    return 0
