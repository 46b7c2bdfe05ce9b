"""Studies: replications, sweeps and designs run on any backend, optionally checkpointed to disk.

Every study is a list of design points x policies x replications. Replication ``i`` uses seed
``seed + i`` at every design point and for every policy (common random numbers). Runs are numbered
in the order (point, policy, replication), cut into contiguous batches, and the results table keeps
that order whatever the backend.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from twomountains.errors import UsageError
from twomountains.study import design as dsg
from twomountains.study import execute, store
from twomountains.study.options import DEFAULTS, ExecutionOptions, PathLike, merge

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa


def _check_count(name: str, value: Any, minimum: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise UsageError(f"{name}: got {value!r}, allowed: a whole number >= {minimum}")
    return value


def auto_batch_size(total_runs: int) -> int:
    """Runs per batch: about 100 batches per study, between 1 and 50 runs each.

    It depends on the study size only (never on the worker count), so a study resumed with other
    ``jobs`` or another backend cuts the same batches.
    """
    return max(1, min(50, math.ceil(total_runs / 100)))


def _model_id(model: execute.Model) -> str:
    return f"{getattr(model, '__module__', '?')}:{getattr(model, '__qualname__', repr(model))}"


#: Modules whose code determines the real model's results.
CORE_MODULES = ("model", "policies", "scenario", "streams")


def code_fingerprint(model: execute.Model) -> str:
    """SHA-256 of the source files that determine the model's output.

    Part of a study's identity, so a checkpoint written by other model code is never resumed
    (mixing rows from two versions of the model would be silently wrong).
    """
    import hashlib
    import importlib
    import inspect

    modules = [inspect.getmodule(model)]
    if model is execute.run_kpis:
        modules += [importlib.import_module(f"twomountains.{m}") for m in CORE_MODULES]
    digest = hashlib.sha256()
    for module in modules:
        path = inspect.getsourcefile(module) if module is not None else None
        if path:
            digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def resolve_base(scenario: Any, model: execute.Model) -> tuple[dict[str, Any], Any]:
    """``(base dict, Scenario or None)`` for a scenario given as Scenario, preset name, dict or None."""
    if model is execute.run_kpis:
        import twomountains as tm

        if scenario is None:
            sc = tm.Scenario()
        elif isinstance(scenario, str):
            sc = tm.scenarios.load(scenario)
        elif isinstance(scenario, Mapping):
            sc = tm.Scenario().replace(**scenario)
        else:
            sc = scenario
        return dsg.as_dict(sc), sc
    if scenario is None:
        raise UsageError("scenario: a custom model needs its base parameters as a dict")
    return dsg.as_dict(scenario), None


def resolve_policies(policies: Sequence[Any], model: execute.Model) -> list[str]:
    """Policy specs as strings (canonical specs for the real model, which also validates them)."""
    if not policies:
        raise UsageError("policies: got none, allowed: one or more policy specs")
    if model is execute.run_kpis:
        import twomountains as tm

        specs = [tm.policies.spec_of(tm.policies.from_spec(p)) for p in policies]
        for spec in specs:  # workers rebuild policies from specs: each must parse back
            tm.policies.from_spec(spec)
        return specs
    return [str(getattr(p, "spec", p)) for p in policies]


def validate_points(scenario: Any, points: Sequence[Mapping[str, Any]]) -> None:
    """Build every design point's Scenario once so bad values fail before any run starts."""
    if scenario is None:
        return
    for point in points:
        scenario.replace(**point)


def run_study(
    base: dict[str, Any],
    points: Sequence[dict[str, Any]],
    param_names: Sequence[str],
    policies: Sequence[str],
    reps: int,
    seed: int,
    *,
    model: execute.Model,
    design_info: dict[str, Any],
    execution: ExecutionOptions = DEFAULTS,
    progress_label: str = "runs",
) -> pd.DataFrame:
    """Run points x policies x replications and return the results table (see module docstring).

    With ``execution.out`` the table is also stored as Parquet with provenance; finished batches
    are checkpointed so that calling again with the same study and ``out`` resumes (reporting how
    many runs it reuses, unless quiet), and a finished ``out`` of the same study is simply loaded.
    """
    import pyarrow as pa

    reps = _check_count("reps", reps, 1)
    seed = _check_count("seed", seed, 0)
    backend, scheduler, out = execution.backend, execution.scheduler, execution.out
    quiet = execution.quiet
    workers = execute.check_backend(backend, execution.jobs, scheduler)
    total = len(points) * len(policies) * reps
    size = auto_batch_size(total) if execution.batch_size is None else execution.batch_size
    n_batches = math.ceil(total / size)
    study = {
        "scenario": base,
        "policies": list(policies),
        "design": design_info,
        "points": [dict(p) for p in points],
        "seed": seed,
        "reps": reps,
        "batch_size": size,
        "model": _model_id(model),
        "code": code_fingerprint(model),
    }
    param_types = {n: _arrow_type(base[n]) for n in param_names}

    def runs_of(index: int) -> list[execute.Run]:
        runs = []
        for r in range(index * size, min(total, (index + 1) * size)):
            cell, rep = divmod(r, reps)
            point, pol = divmod(cell, len(policies))
            runs.append((points[point], policies[pol], seed + rep))
        return runs

    checkpoint = (
        store.Checkpoint(out, _jsonable(study), execution.overwrite) if out is not None else None
    )
    if checkpoint is not None and checkpoint.finished():
        _report(quiet, f"{checkpoint.out} already holds this study: loaded its {total} runs")
        return store.load_results(checkpoint.out)
    in_memory: dict[int, pa.Table] = {}
    kpi_names: list[str] = []
    if checkpoint is not None and checkpoint.done:
        kpi_names = _kpis_of(checkpoint.read_chunk(min(checkpoint.done)).schema)

    def to_table(index: int, kpis: list[dict[str, float]]) -> pa.Table:
        if not kpi_names:
            kpi_names.extend(kpis[0])
        for row in kpis:
            if list(row) != kpi_names:
                raise ValueError(f"model returned KPIs {list(row)}, expected {kpi_names}")
        first = index * size
        cells = [divmod(r, reps) for r in range(first, first + len(kpis))]
        point_idx = [c // len(policies) for c, _ in cells]
        columns: dict[str, pa.Array] = {"point": pa.array(point_idx, pa.int64())}
        for name in param_names:
            columns[name] = pa.array([points[p][name] for p in point_idx], param_types[name])
        columns["policy"] = pa.array([policies[c % len(policies)] for c, _ in cells], pa.string())
        columns["rep"] = pa.array([rep for _, rep in cells], pa.int64())
        columns["seed"] = pa.array([seed + rep for _, rep in cells], pa.int64())
        for kpi in kpi_names:
            columns[kpi] = pa.array([row[kpi] for row in kpis], pa.float64())
        return pa.table(columns)

    done_before = set(checkpoint.done) if checkpoint is not None else set()
    resumed_runs = sum(len(runs_of(i)) for i in done_before)
    if resumed_runs:
        _report(
            quiet,
            f"resuming {out}: reusing {resumed_runs} of {total} runs already done, "
            f"running {total - resumed_runs}",
        )
    progress = _progress(total, resumed_runs, quiet, progress_label)

    def on_result(index: int, kpis: list[dict[str, float]]) -> None:
        table = to_table(index, kpis)
        if checkpoint is not None:
            checkpoint.write_chunk(index, table)
        else:
            in_memory[index] = table
        progress.update(len(kpis))

    pending: Iterator[execute.Batch] = (
        (i, runs_of(i)) for i in range(n_batches) if i not in done_before
    )
    env = store.environment() if checkpoint is not None else {}
    try:
        facts = execute.execute(
            model,
            base,
            pending,
            on_result,
            backend=backend,
            jobs=workers,
            scheduler=scheduler,
            count=n_batches - len(done_before),
        )
    except BaseException:
        if checkpoint is not None:
            checkpoint.discard_if_empty()
        raise
    finally:
        progress.close()
    if checkpoint is None:
        return pa.concat_tables([in_memory[i] for i in range(n_batches)]).to_pandas()
    provenance = {
        **_jsonable(study),
        "study_hash": checkpoint.hash,
        **env,
        **facts,
        "start_time": checkpoint.start_time,
        "end_time": store.now_utc(),
        "runs": total,
        "resumed_runs": resumed_runs,
        "resumed_batches": len(done_before),
    }
    checkpoint.finalize(n_batches, provenance)
    return store.load_results(checkpoint.out)


def _report(quiet: bool, message: str) -> None:
    """A one-line note on standard error (where the progress bar also goes), unless quiet."""
    if not quiet:
        print(f"twomountains.study: {message}", file=sys.stderr)


def _arrow_type(value: Any) -> pa.DataType:
    import pyarrow as pa

    if isinstance(value, bool):
        return pa.bool_()
    return pa.int64() if isinstance(value, int) else pa.float64()


def _kpis_of(schema: pa.Schema) -> list[str]:
    names = list(schema.names)
    return names[names.index("seed") + 1 :]


def _jsonable(obj: Any) -> Any:
    """Plain JSON types (tuples become lists), so hashes and manifests agree after a round trip."""
    if isinstance(obj, Mapping):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    return obj


def _progress(total: int, initial: int, quiet: bool, label: str) -> Any:
    from tqdm.auto import tqdm

    # disable=None hides the bar when stderr is not a terminal (logs, CI).
    return tqdm(total=total, initial=initial, unit=label, disable=True if quiet else None)


def default_policy(model: execute.Model) -> str:
    if model is execute.run_kpis:
        import twomountains as tm

        return str(tm.policies.DEFAULT_SPEC)
    return ""


def replicate(
    scenario: Any = None,
    policy: Any = None,
    reps: int = 10,
    seed: int = 0,
    *,
    model: execute.Model | None = None,
    backend: str = DEFAULTS.backend,
    jobs: int | None = DEFAULTS.jobs,
    scheduler: Any = DEFAULTS.scheduler,
    out: PathLike | None = DEFAULTS.out,
    overwrite: bool = DEFAULTS.overwrite,
    quiet: bool = DEFAULTS.quiet,
    batch_size: int | None = DEFAULTS.batch_size,
    options: ExecutionOptions | None = None,
) -> pd.DataFrame:
    """Run one scenario and policy ``reps`` times (seeds ``seed``, ``seed + 1``, ...).

    Returns a tidy DataFrame, one row per replication: ``point`` (always 0), ``policy``, ``rep``,
    ``seed`` and every KPI. ``scenario`` is a Scenario, a preset name, a dict of overrides or None
    (the default scenario). Pass the result to :func:`summarize` for means and intervals.

    ``backend`` is ``"serial"``, ``"processes"`` (``jobs`` workers, default every core) or
    ``"dask"`` (``scheduler`` = a Client, an address, or None for a LocalCluster). ``out`` stores the
    table as Parquet with provenance and makes the study resumable (missing folders are created);
    ``overwrite`` replaces a different study stored at ``out``; ``quiet`` hides the progress bar
    and the resume report; ``batch_size`` sets the runs per batch. The same settings can come as
    one :class:`~twomountains.study.ExecutionOptions` in ``options`` (then leave these keywords
    out). ``model`` replaces the simulation by any deterministic
    ``(scenario_dict, policy, seed) -> {kpi: value}`` function.

    The ``processes`` backend starts worker processes that import the calling script again: in a
    script, call studies under ``if __name__ == "__main__":``. Without that guard (or from
    standard input) the study runs serially, with the same results, and warns.
    """
    execution = merge(options, locals())
    model = model or execute.run_kpis
    base, _ = resolve_base(scenario, model)
    (pol,) = resolve_policies([policy if policy is not None else default_policy(model)], model)
    return run_study(
        base,
        [{}],
        [],
        [pol],
        reps,
        seed,
        model=model,
        design_info={"kind": "replicate"},
        execution=execution,
    )


def sweep(
    base: Any = None,
    grid: Mapping[str, Any] | None = None,
    policies: Sequence[Any] | None = None,
    reps: int = 10,
    seed: int = 0,
    *,
    design: Sequence[Mapping[str, Any]] | pd.DataFrame | None = None,
    model: execute.Model | None = None,
    backend: str = DEFAULTS.backend,
    jobs: int | None = DEFAULTS.jobs,
    scheduler: Any = DEFAULTS.scheduler,
    out: PathLike | None = DEFAULTS.out,
    overwrite: bool = DEFAULTS.overwrite,
    quiet: bool = DEFAULTS.quiet,
    batch_size: int | None = DEFAULTS.batch_size,
    options: ExecutionOptions | None = None,
) -> pd.DataFrame:
    """A full-factorial sweep (``grid``) or an explicit ``design`` (e.g. :func:`lhs`), per policy.

    In ``grid`` a scalar fixes a parameter for the whole study and a list sweeps it; every
    combination of swept values is a design point. ``design`` is a list of ``{parameter: value}``
    rows (or a DataFrame), evaluated after the fixed overrides of ``grid``. Each point is run for
    every policy in ``policies`` (default: the default policy) and ``reps`` replications with common
    random numbers. Returns one row per (point, policy, replication): ``point``, the varied
    parameters, ``policy``, ``rep``, ``seed`` and every KPI, sorted in that order. The execution and
    storage options (keywords or ``options``) are those of :func:`replicate`.
    """
    execution = merge(options, locals())
    model = model or execute.run_kpis
    base_dict, scenario = resolve_base(base, model)
    fixed, points = dsg.factorial(grid or {}, base_dict)
    names = [n for n in (grid or {}) if n not in fixed]
    if design is not None:
        if names:
            raise UsageError("sweep: give swept lists in grid or a design, not both")
        rows = design.to_dict("records") if hasattr(design, "to_dict") else design
        names, points = dsg.normalize_points(rows, base_dict)
    if scenario is not None and fixed:
        scenario = scenario.replace(**fixed)
    base_dict = {**base_dict, **fixed}
    validate_points(scenario, points)
    specs = resolve_policies(list(policies) if policies else [default_policy(model)], model)
    info: dict[str, Any] = {"kind": "design" if design is not None else "factorial", "fixed": fixed}
    if design is None:
        info["grid"] = {n: list(dict.fromkeys(p[n] for p in points)) for n in names}
    return run_study(
        base_dict,
        points,
        names,
        specs,
        reps,
        seed,
        model=model,
        design_info=info,
        execution=execution,
    )


def choose_replications(
    scenario: Any = None,
    policy: Any = None,
    *,
    kpis: Sequence[str] | None = None,
    target: float = 0.05,
    confidence: float = 0.95,
    min_reps: int = 3,
    max_reps: int = 200,
    look_ahead: int = 5,
    seed: int = 0,
    model: execute.Model | None = None,
    backend: str = DEFAULTS.backend,
    jobs: int | None = DEFAULTS.jobs,
    scheduler: Any = DEFAULTS.scheduler,
    quiet: bool = DEFAULTS.quiet,
    batch_size: int | None = DEFAULTS.batch_size,
    options: ExecutionOptions | None = None,
) -> pd.DataFrame:
    """How many replications bring each KPI's relative half-width within ``target``.

    Replications are run in growing blocks (seeds ``seed + i`` as in :func:`replicate`) until every
    KPI is settled by the sequential rule of Hoad, Robinson & Davies (2010) -- relative half-width
    at most ``target`` at n and for the ``look_ahead`` replications after -- or ``max_reps`` is
    reached. Returns one row per KPI: ``kpi``, ``replications`` (None if not reached within
    ``max_reps``), the ``mean`` and ``rel_half_width`` at that n, and ``reps_run``. The number of
    replications for the study is the largest ``replications`` of the KPIs you care about.
    Execution keywords or ``options`` as for :func:`replicate`; nothing is stored (no ``out``).
    """
    import pandas as pd

    from twomountains.study import stats

    if not (isinstance(target, int | float) and 0 < target < 1):
        raise UsageError(f"target: got {target!r}, allowed: a relative half-width between 0 and 1")
    _check_count("min_reps", min_reps, 2)
    _check_count("max_reps", max_reps, min_reps + look_ahead)
    execution = merge(options, locals())
    if execution.out is not None:
        raise UsageError(
            f"out: got {execution.out!r}; allowed: None (choosing replications stores nothing)"
        )
    model = model or execute.run_kpis
    parts: list[pd.DataFrame] = []
    done = 0
    block = min_reps + look_ahead
    answer: dict[str, int | None] = {}
    while True:
        block = min(block, max_reps - done)
        parts.append(
            replicate(
                scenario,
                policy,
                block,
                seed + done,
                model=model,
                options=execution,
            )
        )
        done += block
        df = pd.concat(parts, ignore_index=True)
        names = list(kpis) if kpis is not None else stats.kpi_columns(df)
        answer = {
            k: stats.replications_needed(
                df[k].tolist(), target, confidence, min_reps=min_reps, look_ahead=look_ahead
            )
            for k in names
        }
        if all(v is not None for v in answer.values()) or done >= max_reps:
            break
        block = done  # double the total each round
    rows = []
    for kpi, n in answer.items():
        rel = stats.relative_half_widths(df[kpi].tolist(), confidence)
        at = n if n is not None else done
        rows.append(
            {
                "kpi": kpi,
                "replications": n,
                "mean": float(df[kpi].iloc[:at].mean()),
                "rel_half_width": rel[at - 1],
                "reps_run": done,
            }
        )
    return pd.DataFrame(rows)
