"""Study throughput and memory: serial vs local processes vs a Dask LocalCluster.

    .venv/bin/python benchmarks/bench_study.py            # full (about 2 minutes on 2 cores)
    .venv/bin/python benchmarks/bench_study.py --quick    # smaller studies

Prints: runs per second serially and on ``--jobs`` processes (parallel efficiency = serial time /
(jobs x parallel time), pool start-up included); a 500-run sweep on processes vs on a Dask
LocalCluster (with and without the cluster's start-up); and the peak resident memory of the
study process as a checkpointed study grows (each size in a fresh process).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any

import psutil

import twomountains as tm
from twomountains.study import sweep


def _cpu(proc: psutil.Process, default: float = 0.0) -> float:
    """User + system CPU seconds of ``proc`` (``default`` once it has exited)."""
    try:
        times = proc.cpu_times()
    except psutil.Error:
        return default
    return float(times.user + times.system)


class Measure:
    """Wall time and CPU seconds of this process and all its descendants (workers included).

    Workers exit before the study returns, so a thread samples the process tree every 50 ms and
    keeps each process's last CPU total. The machine may be shared: the load average at the start
    is recorded, and CPU seconds (unlike wall time) are not inflated by other users' work.
    """

    def __enter__(self) -> Measure:
        self.load = os.getloadavg()[0]
        self.last: dict[int, float] = {}
        self.base: dict[int, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.start = time.perf_counter()
        self.thread.start()
        return self

    def _sample(self) -> None:
        me = psutil.Process()
        # CPU already spent by processes that exist now (e.g. a running Dask cluster) is not ours
        self.base = {p.pid: _cpu(p) for p in [me, *me.children(recursive=True)]}
        while True:
            for proc in [me, *me.children(recursive=True)]:
                self.last[proc.pid] = _cpu(proc, self.last.get(proc.pid, 0.0))
            if self.stop.wait(0.05):
                break

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.start
        self.stop.set()
        self.thread.join()
        self.cpu_total = sum(v - self.base.get(pid, 0.0) for pid, v in self.last.items())


def timed(**kwargs: Any) -> Measure:
    """Run a sweep and measure it."""
    with Measure() as m:
        sweep(quiet=True, **kwargs)
    return m


def best(repeats: int, **kwargs: Any) -> Measure:
    """The fastest of ``repeats`` runs (the least disturbed by other load)."""
    return min((timed(**kwargs) for _ in range(repeats)), key=lambda m: m.wall)


def design(runs: int) -> dict[str, Any]:
    """A sweep of ``runs`` runs of the default scenario over five explore shares."""
    policies = [f"fixed:{s}" for s in (0.1, 0.3, 0.5, 0.7, 0.9)]
    return {"base": tm.Scenario(), "policies": policies, "reps": runs // len(policies)}


def throughput(runs: int, jobs: int, repeats: int) -> None:
    sweep(**design(10), backend="processes", jobs=jobs, quiet=True)  # warm file caches
    serial = best(repeats, **design(runs), backend="serial")
    parallel = best(repeats, **design(runs), backend="processes", jobs=jobs)
    for name, m in (("serial", serial), (f"processes:{jobs}", parallel)):
        print(
            f"{name:12} {runs} runs: {m.wall:6.2f} s wall ({runs / m.wall:5.1f} runs/s), "
            f"{m.cpu_total:6.2f} CPU s, load avg at start {m.load:.1f}"
        )
    print(f"parallel efficiency (wall):        {serial.wall / (jobs * parallel.wall):.1%}")
    print(f"parallel efficiency (CPU seconds): {serial.cpu_total / parallel.cpu_total:.1%}")


def dask_overhead(runs: int, jobs: int, pairs: int) -> None:
    """Running a sweep on a Dask LocalCluster vs on local processes, and the cluster's start-up.

    The two backends alternate (and swap order each pair) so a change of machine speed hits both;
    the cluster's start-up and shut-down are one-off costs, timed separately and then once together
    with a sweep that starts its own cluster.
    """
    import statistics

    from distributed import Client

    from twomountains.study.execute import local_cluster

    begin = time.perf_counter()
    cluster = local_cluster(jobs)  # the cluster a study starts for itself
    client = Client(cluster)
    client.wait_for_workers(jobs)
    started = time.perf_counter() - begin
    sweep(**design(10), backend="dask", scheduler=client, quiet=True)  # workers import the model
    walls, cpus = [], []
    for pair in range(pairs):
        order = ("processes", "dask") if pair % 2 == 0 else ("dask", "processes")
        m: dict[str, Measure] = {}
        for backend in order:
            if backend == "dask":
                m[backend] = timed(**design(runs), backend="dask", scheduler=client)
            else:
                m[backend] = timed(**design(runs), backend="processes", jobs=jobs)
        walls.append(m["dask"].wall / m["processes"].wall - 1)
        cpus.append(m["dask"].cpu_total / m["processes"].cpu_total - 1)
        print(
            f"pair {pair + 1}: {runs} runs on processes:{jobs} {m['processes'].wall:6.2f} s, "
            f"on the running Dask cluster {m['dask'].wall:6.2f} s ({walls[-1]:+.1%} wall, "
            f"{cpus[-1]:+.1%} CPU s)"
        )
    begin = time.perf_counter()
    client.close()
    cluster.close()
    closed = time.perf_counter() - begin
    print(
        f"dask overhead on a running cluster, median of {pairs} pairs: "
        f"{statistics.median(walls):+.1%} wall (range {min(walls):+.1%} to {max(walls):+.1%}), "
        f"{statistics.median(cpus):+.1%} CPU seconds"
    )
    print(f"LocalCluster:{jobs} start-up {started:.2f} s, shut-down {closed:.2f} s (one-off)")
    colds = []
    for _ in range(max(1, pairs // 2)):
        processes = timed(**design(runs), backend="processes", jobs=jobs)
        cold = timed(**design(runs), backend="dask", jobs=jobs)
        colds.append(cold.wall / processes.wall - 1)
        print(
            f"sweep that starts and stops its own LocalCluster: {cold.wall:.2f} s vs "
            f"{processes.wall:.2f} s on processes ({colds[-1]:+.1%})"
        )
    print(f"with its own cluster, median of {len(colds)}: {statistics.median(colds):+.1%} wall")


MEMORY_CHILD = """
import json, resource, sys
from twomountains.study import sweep
from twomountains.study.reference import normal_model
runs, out = int(sys.argv[1]), sys.argv[2]
reps = runs // 10
df = sweep({"mu": 1.0, "sigma": 1.0, "shift": 0.0}, {"shift": list(range(10))}, ["p"], reps,
           model=normal_model, jobs=2, out=out, quiet=True)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
table_mb = df.memory_usage(deep=True).sum() / 2**20
print(json.dumps({"rows": len(df), "peak_mb": peak, "table_mb": table_mb}))
"""


def memory(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for runs in sizes:
            out = os.path.join(tmp, f"m{runs}.parquet")
            done = subprocess.run(
                [sys.executable, "-c", MEMORY_CHILD, str(runs), out],
                capture_output=True,
                text=True,
                check=True,
            )
            info = json.loads(done.stdout.strip().splitlines()[-1])
            print(
                f"checkpointed study of {info['rows']:>7} runs: peak RSS {info['peak_mb']:6.1f} MB "
                f"(the returned results table itself: {info['table_mb']:5.1f} MB)"
            )


def per_run() -> float:
    """Seconds per run of the default scenario, for scale."""
    start = time.process_time()
    for seed in range(10):
        tm.run(tm.Scenario(), "fixed:0.5", seed=seed)
    return (time.process_time() - start) / 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, jobs={args.jobs}")
    print(f"one run of the default scenario: {per_run() * 1000:.0f} ms")
    repeats = 1 if args.quick else 2
    throughput(100 if args.quick else 300, args.jobs, repeats)
    dask_overhead(100 if args.quick else 500, args.jobs, 2 if args.quick else 6)
    memory([1_000, 10_000] if args.quick else [1_000, 10_000, 100_000])


if __name__ == "__main__":
    main()
