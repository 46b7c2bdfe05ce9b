"""One simulated team turned into records and summary statistics (runs inside study workers).

:func:`simulate_statistics` is the study model of the fit's reference table and of its
posterior-predictive check: a top-level (picklable) ``(scenario dict, policy, seed) -> {statistic:
value}`` function for :func:`twomountains.study.core.run_study`. The scenario dict carries one
extra key, :data:`RUN_SEED`, the draw's own seed offset, so every prior draw is simulated with its
own random numbers while the study layer still numbers and stores the runs.
"""

from __future__ import annotations

from typing import Any

from twomountains.fit.statistics import statistics

#: Extra key of a reference-table point: the seed offset of that draw's run.
RUN_SEED = "run_seed"


def simulate_statistics(scenario: dict[str, Any], policy: str, seed: int) -> dict[str, float]:
    """Run the traced model once and return the statistics of its exact records."""
    import twomountains as tm

    values = dict(scenario)
    offset = int(values.pop(RUN_SEED, 0))
    result = tm.run(tm.Scenario.from_dict(values), policy, seed=seed + offset, trace=True)
    return statistics(records_of_run(result))


def records_of_run(result: Any) -> Any:
    """Exact records (no noise, nothing missing) of a traced run (``records.from_run``)."""
    from twomountains.records import from_run

    return from_run(result)
