"""The golden runs: every preset x built-in policy x 3 seeds, plus edge cases.

``tests/core/test_golden.py`` compares today's model with ``tests/core/golden/runs.json``; a
restructuring must leave every number as it was. A deliberate change of behaviour regenerates the
file (``.venv/bin/python tests/core/golden_runs.py``) in the same commit, and CHANGELOG says why.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any

import twomountains as tm

GOLDEN = Path(__file__).parent / "golden" / "runs.json.gz"
SEEDS = (0, 1, 2)
# Floats are stored to 12 significant digits: identical code gives identical runs, and a change in
# the 12th digit is a real change of behaviour, not rounding noise.
DIGITS = 12


def cases() -> list[tuple[str, tm.Scenario, str, int]]:
    """(label, scenario, policy, seed) for every golden run."""
    out = []
    for preset in tm.scenarios.names():
        scenario = tm.scenarios.load(preset)
        for policy in tm.policies.BUILTIN_SPECS:
            for seed in SEEDS:
                out.append((f"{preset}/{policy}/{seed}", scenario, policy, seed))
    default = tm.scenarios.load("default")
    switches = [
        name for name in (p.name for p in tm.Scenario.parameters()) if name.startswith("enable_")
    ]
    all_off = default.replace(**dict.fromkeys(switches, False))
    out.append(("edge/all-switches-off/adaptive/3", all_off, "adaptive", 3))
    for name in switches:
        out.append(
            (f"edge/{name}-off/fixed:0.4/3", default.replace(**{name: False}), "fixed:0.4", 3)
        )
    out.append(("edge/team-of-1/adaptive/4", default.replace(team_size=1), "adaptive", 4))
    out.append(("edge/team-of-12/crunch/5", default.replace(team_size=12), "crunch", 5))
    out.append(("edge/fixed:0/7", default, "fixed:0", 7))
    out.append(("edge/fixed:1/7", default, "fixed:1", 7))
    return out


def _round(value: Any) -> Any:
    if isinstance(value, float):
        return float(f"{value:.{DIGITS}g}")
    if isinstance(value, list):
        return [_round(v) for v in value]
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    return value


def record(scenario: tm.Scenario, policy: str, seed: int) -> dict[str, Any]:
    result = tm.run(scenario, policy, seed)
    return _round(
        {
            "kpis": result.kpis,
            "weekly": result.weekly,
            "exhaustion_by_person": result.exhaustion_by_person,
        }
    )


def compute() -> dict[str, Any]:
    return {label: record(scenario, policy, seed) for label, scenario, policy, seed in cases()}


def load() -> dict[str, Any]:
    with gzip.open(GOLDEN, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def write(runs: dict[str, Any]) -> None:
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(runs, sort_keys=True, separators=(",", ":"))
    # mtime=0: the same runs give the same bytes, so git sees a change only when a number changes
    with gzip.GzipFile(GOLDEN, "wb", mtime=0) as handle:
        handle.write(text.encode("utf-8"))


def check_switched_off(switches: list[str]) -> int:
    """Compare the stored golden runs with today's model with ``switches`` off: a new mechanism,
    switched off, must reproduce the model before it. Returns the number of runs that differ."""
    stored = load()
    differ = 0
    for label, scenario, policy, seed in cases():
        if label not in stored:  # a case added with the new mechanism
            continue
        off = scenario.replace(**dict.fromkeys(switches, False))
        if record(off, policy, seed) != stored[label]:
            differ += 1
            print(f"differs: {label}", file=sys.stderr)
    return differ


if __name__ == "__main__":
    # python tests/core/golden_runs.py                    regenerate the golden file
    # python tests/core/golden_runs.py --off enable_x ... check new switches off reproduce it
    if len(sys.argv) > 2 and sys.argv[1] == "--off":
        n = check_switched_off(sys.argv[2:])
        print(f"{n} of {len(cases())} golden runs differ with {sys.argv[2:]} off", file=sys.stderr)
        sys.exit(1 if n else 0)
    runs = compute()
    write(runs)
    print(f"wrote {len(runs)} golden runs to {GOLDEN}", file=sys.stderr)
