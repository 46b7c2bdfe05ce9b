"""The class tournament: rank student policies fairly and safely, and show the result to the room.

:func:`run_tournament` finds the entries in a folder (:mod:`.entries`), runs each in its own limited
subprocess (:mod:`.sandbox`) on the same scenarios and seeds, scores and ranks them with honest
intervals (:mod:`.scoring`), and :mod:`.report` writes the terminal table, ``leaderboard.csv`` and a
self-contained ``leaderboard.html``. An entry is a file with ``NAME``, ``AUTHOR`` and a class
``Policy`` (see :data:`TEMPLATE_PATH`).

Needs the ``research`` extra (numpy, pandas, scipy, matplotlib, tqdm); imported lazily.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from twomountains.errors import UsageError
from twomountains.tournament.entries import Entry, discover
from twomountains.tournament.sandbox import (
    Limits,
    Outcome,
    network_namespace_available,
    run_in_sandbox,
)
from twomountains.tournament.scoring import SUMMARY_COLUMNS, ScoreRule

if TYPE_CHECKING:
    import pandas as pd

    from twomountains.scenario import Scenario

__all__ = [
    "DEFAULT_SCENARIOS",
    "TEMPLATE_PATH",
    "Limits",
    "ScoreRule",
    "TournamentResult",
    "run_tournament",
]

DEFAULT_SCENARIOS = ("default", "startup_crunch", "uncharted")
#: The example entry students copy (also printed by ``twomountains tournament --template``).
TEMPLATE_PATH = Path(__file__).with_name("template.py")
BUILTIN_PREFIX = "builtin:"


@dataclass
class TournamentResult:
    """Everything a report needs.

    ``leaderboard`` has one row per participant: ranked ones first (by rank, score, entry id), then
    disqualified ones (by entry id). ``runs`` has one row per (participant, scenario, seed).
    """

    leaderboard: pd.DataFrame
    runs: pd.DataFrame
    scenarios: list[str]
    references: dict[str, tuple[str, float]]
    reps: int
    seed: int
    rule: ScoreRule
    limits: Limits
    network_isolated: bool
    seconds: float = 0.0
    #: A warning when the replications cannot separate most entries from the leader, with a
    #: suggested replication count (see :func:`.scoring.replication_advice`); None otherwise.
    advice: str | None = None


def run_tournament(
    submissions: str | Path,
    scenarios: Sequence[str | Scenario] = DEFAULT_SCENARIOS,
    reps: int = 10,
    seed: int = 0,
    include_builtins: bool = False,
    limits: Limits | None = None,
    jobs: int | None = None,
    rule: ScoreRule | None = None,
    overrides: Mapping[str, Any] | None = None,
    progress: bool = True,
) -> TournamentResult:
    """Run every entry in ``submissions`` on ``scenarios`` x ``reps`` seeds and rank them.

    ``scenarios`` are preset names, TOML file paths or :class:`~twomountains.Scenario` objects;
    ``overrides`` (e.g. ``{"horizon_weeks": 26}``) are applied to each. Replication ``r`` uses seed
    ``seed + r`` in every scenario, for every participant. The built-in policies always run (the
    score is normalised by the best of them); ``include_builtins`` shows them on the leaderboard.
    ``jobs`` entries run at once (default: the number of CPUs).
    """
    from twomountains import policies

    if isinstance(reps, bool) or not isinstance(reps, int) or reps < 2:
        raise UsageError(f"reps: got {reps!r}; allowed: an integer of at least 2 (for intervals)")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise UsageError(f"seed: got {seed!r}; allowed: a non-negative integer")
    jobs = jobs if jobs is not None else os.cpu_count() or 1
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise UsageError(f"jobs: got {jobs!r}; allowed: a positive integer")
    limits = limits or Limits()
    rule = rule or ScoreRule()
    labels, resolved = resolve_scenarios(scenarios, overrides or {})
    entries = discover(submissions)
    started = time.perf_counter()

    task = {"scenarios": [s.to_dict() for s in resolved], "seeds": list(range(seed, seed + reps))}
    builtins = {BUILTIN_PREFIX + spec: spec for spec in policies.BUILTIN_SPECS}
    outcomes = _run_all(entries, builtins, task, limits, jobs, progress)
    broken = [f"{pid}: {o.reason}" for pid, o in outcomes.items() if pid in builtins and not o.ok]
    if broken:
        raise RuntimeError(f"a built-in policy failed in the sandbox: {broken[0]}")

    table = _assemble(entries, builtins, outcomes, labels, rule, include_builtins)
    return TournamentResult(
        leaderboard=table["leaderboard"],
        runs=table["runs"],
        scenarios=labels,
        references=table["references"],
        reps=reps,
        seed=seed,
        rule=rule,
        limits=limits,
        network_isolated=limits.network_namespace and network_namespace_available(),
        seconds=time.perf_counter() - started,
        advice=table["advice"],
    )


def resolve_scenarios(
    scenarios: Sequence[str | Scenario], overrides: Mapping[str, Any]
) -> tuple[list[str], list[Scenario]]:
    """Labels and :class:`Scenario` objects for presets, TOML files or scenarios."""
    import twomountains as tm

    if isinstance(scenarios, str) or not scenarios:
        raise UsageError(f"scenarios: got {scenarios!r}; allowed: a non-empty list")
    labels: list[str] = []
    resolved: list[Scenario] = []
    for i, item in enumerate(scenarios):
        if isinstance(item, tm.Scenario):
            label, scenario = f"scenario{i + 1}", item
        elif item.endswith(".toml") or os.sep in item:
            if not Path(item).is_file():
                raise UsageError(f"scenario: no such file {item!r}")
            label, scenario = Path(item).stem, tm.Scenario.from_toml(item)
        else:
            label, scenario = item, tm.scenarios.load(item)
        if label in labels:
            raise UsageError(f"scenario: {label!r} given twice")
        labels.append(label)
        resolved.append(scenario.replace(**overrides) if overrides else scenario)
    return labels, resolved


def _run_all(
    entries: list[Entry],
    builtins: Mapping[str, str],
    task: dict[str, Any],
    limits: Limits,
    jobs: int,
    progress: bool,
) -> dict[str, Outcome]:
    outcomes: dict[str, Outcome] = {}
    jobs_to_run: list[tuple[str, dict[str, Any], Path | None]] = [
        (pid, dict(task, builtin=spec), None) for pid, spec in builtins.items()
    ]
    for entry in entries:
        if entry.problem:
            outcomes[entry.id] = Outcome(False, "import", entry.problem)
        else:
            jobs_to_run.append((entry.id, task, entry.path))
    bar = _progress(len(jobs_to_run), progress)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {
            pool.submit(run_in_sandbox, t, limits, path): pid for pid, t, path in jobs_to_run
        }
        for future in as_completed(futures):
            pid = futures[future]
            outcomes[pid] = outcome = future.result()
            bar(pid, outcome)
    return outcomes


def _progress(total: int, enabled: bool) -> Any:
    """A callback reporting each finished participant (tqdm bar, or plain lines without tqdm)."""
    if not enabled:
        return lambda pid, outcome: None
    try:
        from tqdm import tqdm
    except ImportError:
        tqdm = None
    if tqdm is not None:
        bar = tqdm(total=total, desc="tournament", unit="entry", file=sys.stderr)

        def update(pid: str, outcome: Outcome) -> None:
            if not outcome.ok:
                bar.write(f"{pid}: disqualified: {outcome.reason}", file=sys.stderr)
            bar.update(1)
            if bar.n == total:
                bar.close()

        return update
    done = [0]

    def plain(pid: str, outcome: Outcome) -> None:
        done[0] += 1
        status = "ok" if outcome.ok else f"disqualified: {outcome.reason}"
        print(f"[{done[0]}/{total}] {pid}: {status} ({outcome.seconds:.1f} s)", file=sys.stderr)

    return plain


def _assemble(
    entries: list[Entry],
    builtins: Mapping[str, str],
    outcomes: Mapping[str, Outcome],
    labels: list[str],
    rule: ScoreRule,
    include_builtins: bool,
) -> dict[str, Any]:
    import pandas as pd

    from twomountains.tournament import scoring

    shown = [e.id for e in entries] + (list(builtins) if include_builtins else [])
    ok = {pid: o.runs for pid, o in outcomes.items() if o.ok and (pid in shown or pid in builtins)}
    runs = scoring.runs_table(ok, labels)
    refs = scoring.references(runs, list(builtins))
    ranked_ids = [pid for pid in shown if outcomes[pid].ok]
    ranked_runs = runs[runs["participant"].isin(ranked_ids)]
    rows: list[dict[str, Any]] = []
    advice = None
    if ranked_ids:
        per_rep = scoring.per_replication(ranked_runs, refs, rule)
        board = scoring.rank(scoring.summarize(per_rep), per_rep)
        advice = scoring.replication_advice(per_rep, [str(pid) for pid in board.index])
        by_scenario = scoring.per_scenario(ranked_runs, refs, rule).reindex(columns=labels)
        for pid, row in board.iterrows():
            rows.append(
                {
                    **_identity(str(pid), entries, builtins, outcomes),
                    "status": "ranked",
                    "reason": "",
                    **{k: row[k] for k in SUMMARY_COLUMNS},
                    "rank": int(row["rank"]),
                    "tied_with": row["tied_with"],
                    "clearly_ahead": int(row["clearly_ahead"]),
                    **{f"score_{s}": by_scenario.at[pid, s] for s in labels},
                }
            )
    for pid in sorted(pid for pid in shown if not outcomes[pid].ok):
        rows.append(
            {
                **_identity(pid, entries, builtins, outcomes),
                "status": "disqualified",
                "reason": outcomes[pid].reason,
            }
        )
    columns = [
        "entry",
        "name",
        "author",
        "status",
        "reason",
        *SUMMARY_COLUMNS,
        "rank",
        "tied_with",
        "clearly_ahead",
        *[f"score_{s}" for s in labels],
        "notes",
    ]
    leaderboard = pd.DataFrame(rows, columns=columns)
    for column in ("rank", "clearly_ahead"):
        leaderboard[column] = leaderboard[column].astype("Int64")
    return {
        "leaderboard": leaderboard,
        "runs": ranked_runs.reset_index(drop=True),
        "references": refs,
        "advice": advice,
    }


def _identity(
    pid: str, entries: list[Entry], builtins: Mapping[str, str], outcomes: Mapping[str, Outcome]
) -> dict[str, str]:
    if pid in builtins:
        return {
            "entry": pid,
            "name": f"{builtins[pid]} (built-in)",
            "author": "built-in",
            "notes": "",
        }
    entry = next(e for e in entries if e.id == pid)
    outcome = outcomes[pid]
    return {
        "entry": pid,
        "name": outcome.name or entry.name or pid,
        "author": outcome.author or entry.author,
        "notes": "; ".join(entry.notes),
    }
