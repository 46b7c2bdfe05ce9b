"""Provenance, checkpoints, resume (in-process and after a real SIGKILL of the CLI)."""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from pandas.testing import assert_frame_equal

import twomountains as tm
from twomountains.errors import UsageError
from twomountains.study import load_provenance, load_results, replicate, sweep, to_csv
from twomountains.study.reference import normal_model

BASE = {"mu": 3.0, "sigma": 1.0, "shift": 0.0}
CALLS: list[int] = []
FAIL_AFTER: list[int] = []


def flaky_model(scenario, policy, seed):
    """normal_model that raises once FAIL_AFTER calls have been made (simulates a crash)."""
    if FAIL_AFTER and len(CALLS) >= FAIL_AFTER[0]:
        raise RuntimeError("simulated crash")
    CALLS.append(seed)
    return normal_model(scenario, policy, seed)


def test_provenance_round_trips(tmp_path):
    sc = tm.Scenario().replace(horizon_weeks=13)
    out = tmp_path / "r.parquet"
    before = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    df = sweep(
        sc, {"team_size": [3, 4]}, ["fixed:0.5"], reps=2, seed=11, jobs=2, out=out, quiet=True
    )
    loaded = load_results(out)
    prov = loaded.attrs["provenance"]
    assert prov == load_provenance(out) == df.attrs["provenance"]
    assert_frame_equal(loaded, df)
    assert prov["scenario"] == sc.to_dict()
    assert prov["policies"] == ["fixed:0.5"]
    assert prov["design"] == {"kind": "factorial", "fixed": {}, "grid": {"team_size": [3, 4]}}
    assert (prov["seed"], prov["reps"], prov["runs"]) == (11, 2, 4)
    assert prov["package_version"] == tm.__version__
    assert prov["git_commit"] is None or len(prov["git_commit"]) == 40
    assert (prov["backend"], prov["jobs"]) == ("processes", 2)
    assert prov["python"] == sys.version.split()[0]
    start = datetime.datetime.fromisoformat(prov["start_time"])
    end = datetime.datetime.fromisoformat(prov["end_time"])
    assert before <= start <= end
    assert not (tmp_path / "r.parquet.partial").exists()
    assert pq.ParquetFile(out).metadata.num_row_groups == 1  # chunks merged, not one group each
    to_csv(df, tmp_path / "r.csv")
    assert (
        (tmp_path / "r.csv")
        .read_text()
        .splitlines()[0]
        .startswith("point,team_size,policy,rep,seed,")
    )


def test_interrupted_study_resumes_without_recomputing(tmp_path):
    out = tmp_path / "s.parquet"
    args = (BASE, {"mu": [1.0, 2.0, 3.0]}, ["a", "b"], 4)
    opts = {"model": flaky_model, "backend": "serial", "batch_size": 1, "quiet": True}
    CALLS.clear()
    FAIL_AFTER[:] = [7]
    with pytest.raises(RuntimeError, match="simulated crash"):
        sweep(*args, out=out, **opts)
    assert not out.exists()
    chunks = sorted((tmp_path / "s.parquet.partial").glob("chunk-*.parquet"))
    assert len(chunks) == 7
    with pytest.raises(UsageError, match="unfinished study"):
        load_results(tmp_path / "s.parquet.partial")
    with pytest.raises(UsageError, match="checkpointed next to it"):
        load_results(out)
    CALLS.clear()
    FAIL_AFTER.clear()
    resumed = sweep(*args, out=out, **opts)
    assert len(CALLS) == 24 - 7  # only the missing runs were computed
    fresh = sweep(*args, model=normal_model, backend="serial", quiet=True)
    assert_frame_equal(resumed, fresh)
    assert load_provenance(out)["resumed_runs"] == 7
    CALLS.clear()
    again = sweep(*args, out=out, **opts)  # finished: loaded, nothing rerun
    assert CALLS == []
    assert_frame_equal(again, resumed)


def test_different_study_at_same_output_needs_overwrite(tmp_path):
    out = tmp_path / "x.parquet"
    opts = {"model": normal_model, "backend": "serial", "quiet": True}
    replicate(BASE, "a", reps=3, out=out, **opts)
    with pytest.raises(UsageError, match="holds other results"):
        replicate(BASE, "a", reps=4, out=out, **opts)
    df = replicate(BASE, "a", reps=4, out=out, overwrite=True, **opts)
    assert len(df) == 4 and load_provenance(out)["reps"] == 4


def test_unwritable_output_and_foreign_files(tmp_path):
    opts = {"model": normal_model, "backend": "serial", "quiet": True}
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(UsageError, match="is a file, not a folder"):
        replicate(BASE, "a", reps=2, out=blocker / "x.parquet", **opts)
    foreign = tmp_path / "foreign.parquet"
    pq.write_table(pq.read_table(_write_plain(tmp_path)), foreign)
    with pytest.raises(UsageError, match="no twomountains provenance"):
        load_results(foreign)
    with pytest.raises(UsageError, match="holds other results"):
        replicate(BASE, "a", reps=2, out=foreign, **opts)


def _write_plain(tmp_path: Path) -> Path:
    import pyarrow as pa

    path = tmp_path / "plain.parquet"
    pq.write_table(pa.table({"a": [1, 2]}), path)
    return path


CLI_ARGS = [
    "sweep",
    "--set", "horizon_weeks=26",
    "--param", "team_size=3:5:1",
    "--policy", "fixed:0.2",
    "--policy", "fixed:0.6",
    "--reps", "12",
    "--jobs", "2",
    "--quiet",
]  # fmt: skip


def _cli(args: list[str], **kwargs) -> subprocess.Popen:
    code = "import sys; from twomountains.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, so the kill reaches its workers too
        **kwargs,
    )


def test_resume_after_sigkill_of_a_cli_study_equals_an_uninterrupted_run(tmp_path):
    out = tmp_path / "killed.parquet"
    partial = tmp_path / "killed.parquet.partial"
    proc = _cli([*CLI_ARGS, "--out", str(out)])
    deadline = time.monotonic() + 120
    while len(list(partial.glob("chunk-*.parquet"))) < 3:
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        assert time.monotonic() < deadline, "study made no progress"
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert not out.exists()
    done_at_kill = len(list(partial.glob("chunk-*.parquet")))
    assert 3 <= done_at_kill < 72  # batch size is 1 run for this 72-run study
    resume = _cli([*CLI_ARGS, "--out", str(out)])
    assert resume.wait(timeout=300) == 0, resume.stderr.read().decode() if resume.stderr else ""
    resumed = load_results(out)
    prov = resumed.attrs.pop("provenance")
    assert prov["resumed_batches"] >= done_at_kill
    assert not partial.exists()
    sc = tm.Scenario().replace(horizon_weeks=26)
    fresh = sweep(
        sc,
        {"team_size": [3, 4, 5]},
        ["fixed:0.2", "fixed:0.6"],
        reps=12,
        backend="serial",
        quiet=True,
    )
    assert_frame_equal(resumed, fresh)


def test_checkpoint_of_other_model_code_is_not_resumed(tmp_path, monkeypatch):
    from twomountains.study import core

    out = tmp_path / "c.parquet"
    opts = {"model": flaky_model, "backend": "serial", "batch_size": 1, "quiet": True}
    CALLS.clear()
    FAIL_AFTER[:] = [2]
    with pytest.raises(RuntimeError):
        replicate(BASE, "a", reps=5, out=out, **opts)
    FAIL_AFTER.clear()
    monkeypatch.setattr(core, "code_fingerprint", lambda model: "edited model code")
    with pytest.raises(UsageError, match="checkpoints a different study"):
        replicate(BASE, "a", reps=5, out=out, **opts)
    assert len(replicate(BASE, "a", reps=5, out=out, overwrite=True, **opts)) == 5


def test_resumed_study_reports_the_runs_it_reuses_unless_quiet(tmp_path, capsys):
    out = tmp_path / "r.parquet"
    opts = {"model": flaky_model, "backend": "serial", "batch_size": 1}
    CALLS.clear()
    FAIL_AFTER[:] = [3]
    with pytest.raises(RuntimeError):
        replicate(BASE, "a", reps=5, out=out, quiet=True, **opts)
    FAIL_AFTER.clear()
    capsys.readouterr()
    replicate(BASE, "a", reps=5, out=out, **opts)
    err = capsys.readouterr().err
    assert f"resuming {out}: reusing 3 of 5 runs already done, running 2" in err
    replicate(BASE, "a", reps=5, out=out, **opts)
    assert "already holds this study: loaded its 5 runs" in capsys.readouterr().err
    replicate(BASE, "a", reps=5, out=out, quiet=True, **opts)
    assert capsys.readouterr().err == ""


def test_missing_output_folders_are_created_and_removed_again_on_early_failure(tmp_path):
    opts = {"model": normal_model, "backend": "serial", "quiet": True}
    out = tmp_path / "results" / "2026" / "x.parquet"
    df = replicate(BASE, "a", reps=2, out=out, **opts)
    assert out.is_file() and len(df) == 2
    with pytest.raises(UsageError, match="cannot reach Dask scheduler"):
        replicate(BASE, "a", reps=2, out=tmp_path / "new" / "deeper" / "y.parquet",
                  model=normal_model, backend="dask", scheduler="tcp://127.0.0.1:9", quiet=True)  # fmt: skip
    assert not (tmp_path / "new").exists()  # nothing half-written
    to_csv(df, tmp_path / "csv" / "x.csv")
    assert (tmp_path / "csv" / "x.csv").read_text().startswith("point,policy,rep,seed,y")


def test_load_results_carries_provenance_in_attrs(tmp_path):
    out = tmp_path / "p.parquet"
    replicate(BASE, "a", reps=3, seed=4, out=out, model=normal_model, backend="serial", quiet=True)
    df = load_results(out)
    assert df.shape == (3, 6)  # the first thing a researcher types now works
    assert df.attrs["provenance"] == load_provenance(out)
    assert (df.attrs["provenance"]["seed"], df.attrs["provenance"]["reps"]) == (4, 3)


def test_unreadable_results_file_is_a_one_line_usage_error(tmp_path, monkeypatch):
    out = tmp_path / "p.parquet"
    replicate(BASE, "a", reps=2, out=out, model=normal_model, backend="serial", quiet=True)
    import os

    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if p == out else real_access(p, mode))
    with pytest.raises(UsageError, match="cannot read .*permission denied"):
        load_results(out)
