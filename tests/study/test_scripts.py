"""Studies from plain scripts: the README example as a file, and scripts without the main guard.

Worker processes of the ``processes`` backend import the script that started the study again. A
script that calls a study at its top level (no ``if __name__ == "__main__":``) or comes from
standard input used to print its output once per worker and end in a ``BrokenProcessPool``
traceback; now it runs serially (same results) and warns once, naming the guard to add.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

import twomountains as tm
from twomountains.study import load_provenance
from twomountains.study.execute import MAIN_GUARD

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_example() -> str:
    """The code block of the README's "API in five lines" section."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## The API in five lines") :]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def run_python(tmp_path: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
    )


def test_readme_example_runs_as_a_script_in_parallel(tmp_path):
    code = readme_example()
    assert MAIN_GUARD in code  # the example carries the guard
    # record the execution facts without changing the example: every study it starts stores them
    script = code.replace("reps=30)", 'reps=30, out="results/readme.parquet")')
    assert script != code
    (tmp_path / "script.py").write_text(script, encoding="utf-8")
    proc = run_python(tmp_path, "script.py")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "Warning" not in proc.stderr
    lines = proc.stdout.strip().splitlines()
    value, at_risk = (float(x) for x in lines[0].split())
    assert value > 0 and 0 <= at_risk <= 1
    summary = [line.split() for line in lines if "value_delivered" in line]
    assert len(summary) == 1  # the summary, printed once
    low, high = float(summary[0][-2]), float(summary[0][-1])
    assert low < float(summary[0][-3]) < high
    provenance = load_provenance(tmp_path / "results" / "readme.parquet")  # folder was created
    assert provenance["backend"] == "processes" and provenance["runs"] == 30


UNGUARDED = """
import twomountains as tm

print("top of the script")
df = tm.study.replicate({"horizon_weeks": 8}, "fixed:0.2", reps=4, jobs=2, quiet=True)
df.to_csv("out.csv", index=False)
print("rows", len(df))
"""


def _check_serial_fallback(proc: subprocess.CompletedProcess, tmp_path: Path) -> None:
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("top of the script") == 1  # no worker re-ran the script
    assert "rows 4" in proc.stdout
    assert "Traceback" not in proc.stderr and "BrokenProcessPool" not in proc.stderr
    warning = [line for line in proc.stderr.splitlines() if "RuntimeWarning" in line]
    assert len(warning) == 1 and "ran serially" in warning[0] and MAIN_GUARD in warning[0]
    expected = tm.study.replicate(
        {"horizon_weeks": 8}, "fixed:0.2", reps=4, backend="serial", quiet=True
    )
    written = pd.read_csv(tmp_path / "out.csv")["value_delivered"].tolist()
    assert written == pytest.approx(expected["value_delivered"].tolist(), rel=1e-12)


def test_unguarded_script_file_runs_serially_and_names_the_guard(tmp_path):
    (tmp_path / "unguarded.py").write_text(UNGUARDED, encoding="utf-8")
    proc = run_python(tmp_path, "unguarded.py")
    _check_serial_fallback(proc, tmp_path)
    assert "unguarded.py line 5" in proc.stderr


def test_script_from_standard_input_runs_serially(tmp_path):
    proc = run_python(tmp_path, "-", stdin=UNGUARDED)
    _check_serial_fallback(proc, tmp_path)
    assert "<stdin>" in proc.stderr


def test_study_called_from_a_function_under_the_guard_uses_worker_processes(tmp_path):
    script = textwrap.dedent(
        """
        import twomountains as tm

        def main():
            tm.study.replicate(
                {"horizon_weeks": 8}, None, reps=4, jobs=2, quiet=True, out="r.parquet"
            )

        if "__main__" == __name__:
            main()
        """
    )
    (tmp_path / "guarded.py").write_text(script, encoding="utf-8")
    proc = run_python(tmp_path, "guarded.py")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert load_provenance(tmp_path / "r.parquet")["backend"] == "processes"


def test_dask_local_cluster_from_an_unguarded_script_stops_with_one_line(tmp_path):
    script = UNGUARDED.replace("jobs=2", "jobs=1, backend='dask'")
    (tmp_path / "dask_unguarded.py").write_text(script, encoding="utf-8")
    proc = run_python(tmp_path, "dask_unguarded.py")
    assert proc.returncode == 1
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("twomountains.errors.UsageError: backend 'dask'") and MAIN_GUARD in last
    assert proc.stdout.count("top of the script") == 1
