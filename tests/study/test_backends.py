"""Serial, local processes and Dask give the same rows; common random numbers across points."""

from __future__ import annotations

import inspect
import statistics

import pytest
from pandas.testing import assert_frame_equal

import twomountains as tm
from twomountains.errors import UsageError
from twomountains.study import ExecutionOptions, core, execute, options, replicate, sweep
from twomountains.study.reference import normal_model
from twomountains.study.sensitivity_analysis import sensitivity

SMALL = tm.Scenario().replace(horizon_weeks=26)
GRID = {"team_size": [3, 5], "deadline_weeks": 6.0}
POLICIES = ["fixed:0.3", "adaptive"]


@pytest.fixture(scope="module")
def serial_sweep():
    return sweep(SMALL, GRID, POLICIES, reps=3, seed=7, backend="serial", quiet=True)


def test_results_table_layout_and_order(serial_sweep):
    df = serial_sweep
    assert list(df.columns[:5]) == ["point", "team_size", "policy", "rep", "seed"]
    assert list(df.columns[5:]) == list(tm.KPI_NAMES)
    assert len(df) == 2 * 2 * 3
    assert df["point"].tolist() == [0] * 6 + [1] * 6
    assert df["policy"].tolist()[:6] == ["fixed:0.3"] * 3 + ["adaptive"] * 3
    assert df["seed"].tolist() == [7, 8, 9] * 4  # replication i uses seed + i everywhere (CRN)
    row = df.iloc[4]
    expected = tm.run(SMALL.replace(team_size=3, deadline_weeks=6.0), "adaptive", seed=8).kpis
    assert row[list(tm.KPI_NAMES)].to_dict() == expected


def test_processes_equal_serial_row_for_row(serial_sweep):
    for jobs, batch in ((2, 1), (2, 5), (1, None)):
        df = sweep(SMALL, GRID, POLICIES, reps=3, seed=7, jobs=jobs, batch_size=batch, quiet=True)
        assert_frame_equal(df, serial_sweep)


def test_dask_local_cluster_equals_serial_row_for_row(serial_sweep):
    df = sweep(
        SMALL, GRID, POLICIES, reps=3, seed=7, backend="dask", jobs=2, batch_size=1, quiet=True
    )
    assert_frame_equal(df, serial_sweep)


def test_local_cluster_workers_skip_the_dashboard_profiler():
    # the profiler's 10 ms stack sampling cost about 15% of the CPU on this model (bench_study)
    import dask

    from twomountains.study.execute import WORKER_CONFIG, _dask_client

    client, owned = _dask_client(None, 1)
    try:
        settings = client.run(lambda: {key: dask.config.get(key) for key in WORKER_CONFIG})
        assert list(settings.values()) == [WORKER_CONFIG]
        assert dask.config.get("distributed.worker.profile.enabled") is True  # ours unchanged
    finally:
        for obj in owned:
            obj.close()


def test_dask_accepts_an_existing_client_and_leaves_it_open():
    from distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with cluster, Client(cluster) as client:
        base = {"mu": 1.0, "sigma": 1.0}
        # 40 one-run batches on one worker: the first Dask task carries ten of them
        assert execute.dask_group_size(40, 1) == 10
        df = replicate(
            base,
            "p",
            reps=40,
            model=normal_model,
            backend="dask",
            scheduler=client,
            batch_size=1,
            quiet=True,
        )
        assert client.status == "running"
        serial = replicate(base, "p", reps=40, model=normal_model, backend="serial", quiet=True)
        assert_frame_equal(df, serial)


def test_unreachable_scheduler_is_a_usage_error_naming_the_address():
    with pytest.raises(UsageError, match="tcp://127.0.0.1:9"):
        replicate(SMALL, None, reps=2, backend="dask", scheduler="tcp://127.0.0.1:9", quiet=True)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"backend": "threads"}, "backend: got 'threads'"),
        ({"jobs": 0}, "jobs: got 0"),
        ({"reps": 0}, "reps: got 0"),
        ({"seed": -1}, "seed: got -1"),
        ({"scheduler": "tcp://x:1"}, "needs backend 'dask'"),
    ],
)
def test_bad_execution_arguments(kwargs, fragment):
    args = {"reps": 2, **kwargs}
    with pytest.raises(UsageError, match=fragment):
        replicate(SMALL, None, quiet=True, **args)


def test_bad_scenario_value_and_policy_fail_before_any_run():
    with pytest.raises(tm.ScenarioError, match="team_size"):
        sweep(SMALL, {"team_size": [2, -1]}, reps=1, backend="serial", quiet=True)
    with pytest.raises(tm.PolicyError, match="nonsense"):
        sweep(SMALL, {"team_size": [2]}, ["nonsense"], reps=1, backend="serial", quiet=True)


def test_common_random_numbers_reduce_variance_of_a_paired_difference():
    a = tm.Scenario()
    b = a.replace(deadline_weeks=a.deadline_weeks + 1)
    reps = 20
    crn = sweep(a, {"deadline_weeks": [a.deadline_weeks, b.deadline_weeks]}, reps=reps, quiet=True)
    value = crn.pivot(index="rep", columns="point", values="value_delivered")
    paired = (value[0] - value[1]).tolist()
    other = replicate(b, None, reps=reps, seed=10_000, quiet=True)["value_delivered"]
    independent = (value[0] - other.to_numpy()).tolist()
    assert statistics.variance(paired) < 0.5 * statistics.variance(independent)


def test_study_functions_keep_the_execution_options_defaults():
    # each public study function spells out the execution keywords in its own signature
    # (documented, introspectable) and gathers them into one ExecutionOptions; the repeated
    # defaults must not drift from the options object's
    defaults = ExecutionOptions()
    for function in (replicate, sweep, core.choose_replications, sensitivity):
        params = inspect.signature(function).parameters
        assert params["options"].default is None, function.__name__
        for name in (n for n in options.NAMES if n in params):
            assert params[name].kind is inspect.Parameter.KEYWORD_ONLY, (function.__name__, name)
            assert params[name].default == getattr(defaults, name), (function.__name__, name)
    # only choose_replications leaves storage out (it stores nothing)
    for function in (replicate, sweep, sensitivity):
        assert set(options.NAMES) <= set(inspect.signature(function).parameters)


def test_options_object_is_shared_and_never_given_twice(tmp_path):
    shared = ExecutionOptions(backend="serial", quiet=True, batch_size=2)
    base = {"mu": 1.0, "sigma": 1.0}
    by_object = replicate(base, "p", reps=5, model=normal_model, options=shared)
    by_keywords = replicate(
        base, "p", reps=5, model=normal_model, backend="serial", quiet=True, batch_size=2
    )
    assert_frame_equal(by_object, by_keywords)
    stored = replicate(
        base, "p", reps=5, model=normal_model, options=shared.replace(out=tmp_path / "r.parquet")
    )
    assert stored.attrs["provenance"]["batch_size"] == 2
    with pytest.raises(UsageError, match="jobs: given both as a keyword and in options"):
        replicate(base, "p", reps=5, model=normal_model, options=shared, jobs=2)
    with pytest.raises(UsageError, match="out: got"):
        core.choose_replications(base, "p", model=normal_model, options=shared.replace(out="x"))
    with pytest.raises(UsageError, match="batch_size: got 0"):
        shared.replace(batch_size=0)
