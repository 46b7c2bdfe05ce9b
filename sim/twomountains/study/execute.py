"""Execution backends: run batches of simulation runs serially, on local processes, or on Dask.

This module imports only the standard library at load time, so worker processes that unpickle
:func:`run_batch` start quickly. Every backend hands each finished batch to the same callback with
its batch index, so results never depend on the backend, the worker count or completion order.
"""

from __future__ import annotations

import ast
import itertools
import multiprocessing
import os
import pickle
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from types import FrameType
from typing import Any

from twomountains.errors import UsageError
from twomountains.study.options import BACKENDS

#: A model: ``(scenario as dict, policy spec, seed) -> {kpi: value}``; must be deterministic.
Model = Callable[[dict[str, Any], str, int], Mapping[str, float]]
#: One run inside a batch: (design-point overrides, policy spec, seed).
Run = tuple[dict[str, Any], str, int]
#: A batch: its index and its runs.
Batch = tuple[int, list[Run]]

#: How long to wait for a Dask scheduler before giving up (seconds).
DASK_CONNECT_TIMEOUT = 5
#: A Dask task takes 1/(workers x this) of the batches left (see :func:`dask_group_size`).
DASK_GUIDED_SHARE = 4
#: Dask settings for the workers of a LocalCluster started for a study (advised for any cluster
#: that runs studies: put them in its Dask configuration).
WORKER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.gil.enabled": False,
}


def run_kpis(scenario: dict[str, Any], policy: str, seed: int) -> dict[str, float]:
    """The real model: run Two Mountains once and return its KPIs."""
    import twomountains as tm

    result = tm.run(tm.Scenario.from_dict(scenario), policy, seed=seed)
    return {k: float(v) for k, v in result.kpis.items()}


def run_batch(model: Model, base: dict[str, Any], runs: list[Run]) -> list[dict[str, float]]:
    """Evaluate ``model`` on each run of a batch (in order); executed inside the workers."""
    return [dict(model({**base, **overrides}, policy, seed)) for overrides, policy, seed in runs]


def run_batches(
    model: Model, base: dict[str, Any], batches: list[list[Run]]
) -> list[list[dict[str, float]]]:
    """Evaluate several batches in one task (see :func:`dask_group_size`)."""
    return [run_batch(model, base, runs) for runs in batches]


def dask_group_size(remaining: int | None, workers: int) -> int:
    """Batches for the next Dask task: guided self-scheduling over the batches still to submit.

    Dask spends some milliseconds on every task (scheduling, serialising, reporting back), which
    was 5-10% of a 500-run study of one-year runs on two cores when each batch was its own task.
    Big groups first and single batches at the end keep the task count low and the workers
    finishing together.

    >>> [dask_group_size(n, 2) for n in (100, 50, 20, 7)]
    [12, 6, 2, 1]
    >>> dask_group_size(100, 64), dask_group_size(None, 2)
    (1, 1)
    """
    if not remaining:
        return 1
    return max(1, remaining // (workers * DASK_GUIDED_SHARE))


def default_jobs() -> int:
    """Worker count used when none is given: every core."""
    return os.cpu_count() or 1


def check_backend(backend: str, jobs: int | None, scheduler: Any) -> int:
    """Validate backend arguments and return the worker count to use."""
    if backend not in BACKENDS:
        raise UsageError(f"backend: got {backend!r}, allowed: {', '.join(BACKENDS)}")
    if jobs is not None and (not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1):
        raise UsageError(f"jobs: got {jobs!r}, allowed: a whole number >= 1")
    if scheduler is not None and backend != "dask":
        raise UsageError(f"scheduler: given with backend {backend!r}; it needs backend 'dask'")
    return jobs if jobs is not None else default_jobs()


#: The line a script needs so that worker processes can import it without running its study.
MAIN_GUARD = 'if __name__ == "__main__":'


def workers_cannot_start() -> str | None:
    """Why local worker processes would fail here, or None when they can start.

    Worker processes are started by spawning a fresh interpreter (forkserver or spawn), which first
    re-runs the top level of the script that started the study (``__main__``). Two situations break
    that, and both used to end in a ``BrokenProcessPool`` traceback after the script's own output
    had been printed once per worker:

    * the study is called from the script's top level, outside an ``if __name__ == "__main__":``
      block, so each worker would start the same study again while it is still starting up;
    * the script came from standard input (``python < script.py``): workers cannot re-read it.

    Interactive sessions, notebooks and ``python -c`` have no script to re-run and are fine.
    """
    main = sys.modules.get("__main__")
    if getattr(multiprocessing.current_process(), "_inheriting", False):
        return "this process is a worker still starting up"
    path = getattr(main, "__file__", None)
    if main is None or path is None:
        return None
    if getattr(getattr(main, "__spec__", None), "name", None) is None and not os.path.isfile(path):
        return f"the script was read from {path} and worker processes cannot read it again"
    frame = _main_module_frame(main.__dict__)
    if frame is None or _inside_main_guard(frame):
        return None
    return (
        f"{os.path.basename(frame.f_code.co_filename)} line {frame.f_lineno} starts the study "
        f"outside {MAIN_GUARD!r}, so each worker process would start it again"
    )


def _main_module_frame(main_globals: dict[str, Any]) -> FrameType | None:
    """The frame running the top level of ``__main__`` (if the study was called from it)."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        if frame.f_globals is main_globals and frame.f_code.co_name == "<module>":
            return frame
        frame = frame.f_back
    return None


def _inside_main_guard(frame: FrameType) -> bool:
    """Whether the top-level line ``frame`` is executing lies inside ``if __name__ == "__main__":``."""
    try:
        with open(frame.f_code.co_filename, encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return True  # cannot tell: do not second-guess the script
    line = frame.f_lineno
    return any(
        isinstance(node, ast.If)
        and _is_main_test(node.test)
        and node.lineno <= line <= (node.end_lineno or node.lineno)
        for node in tree.body
    )


def _is_main_test(test: ast.expr) -> bool:
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return False
    if not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, test.comparators[0]]
    names = [s for s in sides if isinstance(s, ast.Name) and s.id == "__name__"]
    texts = [s for s in sides if isinstance(s, ast.Constant) and s.value == "__main__"]
    return len(names) == 1 and len(texts) == 1


def local_backend(backend: str, scheduler: Any = None) -> str:
    """The backend to use: ``backend``, or ``"serial"`` (with a warning) when workers cannot start.

    Only the ``processes`` backend falls back: its results are identical row for row on every
    backend, so running serially changes the speed, never a number. A Dask LocalCluster started
    from such a script is refused instead (one line naming the guard), since Dask was asked for
    by name.
    """
    if backend == "serial" or scheduler is not None:
        return backend
    reason = workers_cannot_start()
    if reason is None:
        return backend
    if backend == "dask":
        raise UsageError(
            f"backend 'dask': {reason}; put the script's code under {MAIN_GUARD} "
            "or pass a running cluster as scheduler"
        )
    warnings.warn(
        f"twomountains.study: ran serially: {reason}. For parallel runs put the script's code "
        f"under {MAIN_GUARD} (backend='serial' silences this warning).",
        RuntimeWarning,
        stacklevel=_stacklevel_outside_package(),
    )
    return "serial"


def _stacklevel_outside_package() -> int:
    """The ``stacklevel`` that points a warning at the caller's own line, outside this package."""
    frame = sys._getframe(1)
    level = 1
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(package):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    return level


def execute(
    model: Model,
    base: dict[str, Any],
    batches: Iterable[Batch],
    on_result: Callable[[int, list[dict[str, float]]], None],
    *,
    backend: str = "processes",
    jobs: int = 1,
    scheduler: Any = None,
    count: int | None = None,
) -> dict[str, Any]:
    """Run every batch and call ``on_result(index, kpis)`` in the calling thread as each finishes.

    At most a few batches (or, on Dask, groups of batches) per worker are in flight, so memory stays
    flat however long the study. ``count``, the number of batches if known, sizes Dask's groups.
    Returns facts about the execution for the provenance record (backend, jobs, scheduler).
    Local workers that could not start (see :func:`local_backend`) make it run serially.
    """
    backend = local_backend(backend, scheduler)
    if backend == "serial":
        for index, runs in batches:
            on_result(index, run_batch(model, base, runs))
        return {"backend": "serial", "jobs": 1}
    if backend == "processes":
        _run_processes(model, base, iter(batches), on_result, jobs)
        return {"backend": "processes", "jobs": jobs}
    address = _run_dask(model, base, iter(batches), on_result, jobs, scheduler, count)
    return {"backend": "dask", "jobs": jobs, "scheduler": address}


def _process_context() -> multiprocessing.context.BaseContext:
    # Fork is unsafe once threads exist (tqdm, Dask, BLAS): use forkserver where the platform has
    # it, preloading the package so each worker starts warm, and spawn elsewhere.
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["twomountains.study.execute"])
        return ctx
    return multiprocessing.get_context("spawn")


def _run_processes(
    model: Model,
    base: dict[str, Any],
    batches: Iterator[Batch],
    on_result: Callable[[int, list[dict[str, float]]], None],
    jobs: int,
) -> None:
    try:
        pickle.dumps(model)
    except (pickle.PicklingError, AttributeError, TypeError) as err:
        raise UsageError(
            f"model {model!r} cannot be sent to worker processes ({err}); "
            "use a module-level function or backend='serial'"
        ) from None
    window = 3 * jobs
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_process_context())
    try:
        in_flight: dict[Future[list[dict[str, float]]], int] = {}
        exhausted = False
        while True:
            while not exhausted and len(in_flight) < window:
                item = next(batches, None)
                if item is None:
                    exhausted = True
                    break
                in_flight[pool.submit(run_batch, model, base, item[1])] = item[0]
            if not in_flight:
                break
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                on_result(in_flight.pop(future), future.result())
    except BrokenProcessPool:
        raise UsageError(
            "a worker process stopped abruptly (out of memory, killed, or it could not import the "
            f"script that started the study: put the script's code under {MAIN_GUARD})"
        ) from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def local_cluster(jobs: int) -> Any:
    """A Dask LocalCluster of ``jobs`` single-threaded worker processes, configured for studies."""
    import logging

    import dask
    from distributed import LocalCluster

    # A worker samples its running task's stack every 10 ms for the dashboard's profile; on a
    # pure-Python model that costs about 15% of the CPU, and nobody looks at it here.
    with dask.config.set(WORKER_CONFIG):
        return LocalCluster(
            n_workers=jobs,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )


def _dask_client(scheduler: Any, jobs: int) -> tuple[Any, list[Any]]:
    """A connected Client and the objects we created (to close afterwards)."""
    from distributed import Client

    if scheduler is None:
        cluster = local_cluster(jobs)
        client = Client(cluster)
        return client, [client, cluster]
    if isinstance(scheduler, Client):
        return scheduler, []
    if not isinstance(scheduler, str):
        raise UsageError(f"scheduler: got {scheduler!r}, allowed: a Dask Client or an address")
    try:
        client = Client(scheduler, timeout=f"{DASK_CONNECT_TIMEOUT}s")
    except (OSError, TimeoutError, ValueError) as err:
        raise UsageError(f"cannot reach Dask scheduler at {scheduler}: {err}") from None
    return client, [client]


def _run_dask(
    model: Model,
    base: dict[str, Any],
    batches: Iterator[Batch],
    on_result: Callable[[int, list[dict[str, float]]], None],
    jobs: int,
    scheduler: Any,
    count: int | None,
) -> str:
    from distributed import as_completed

    client, owned = _dask_client(scheduler, jobs)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})) or jobs)
        remaining = count
        indices_of: dict[Any, list[int]] = {}
        pending = as_completed()

        def submit_next() -> None:
            nonlocal remaining
            chunk = list(itertools.islice(batches, dask_group_size(remaining, workers)))
            if remaining is not None:
                remaining -= len(chunk)
            if chunk:
                runs = [batch_runs for _, batch_runs in chunk]
                future = client.submit(run_batches, model, base, runs, pure=False)
                indices_of[future.key] = [index for index, _ in chunk]
                pending.add(future)

        for _ in range(3 * workers):
            submit_next()
        for future in pending:
            for index, kpis in zip(indices_of.pop(future.key), future.result(), strict=True):
                on_result(index, kpis)
            future.release()
            submit_next()
        return str(client.scheduler.address)
    finally:
        for obj in owned:
            obj.close()
