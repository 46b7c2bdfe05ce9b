"""Golden regression: the model reproduces the committed runs number for number.

A restructuring must pass this test unchanged. A deliberate change of behaviour regenerates the
golden file (``python tests/core/golden_runs.py``) in the same commit and says so in CHANGELOG.
"""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import pytest

# tests/ is not a package (pytest's importlib mode), so the helper is loaded from its path
_spec = importlib.util.spec_from_file_location(
    "golden_runs", Path(__file__).with_name("golden_runs.py")
)
assert _spec is not None and _spec.loader is not None
golden_runs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(golden_runs)


@pytest.fixture(scope="module")
def stored():
    return golden_runs.load()


def _differences(path: str, want, got, out: list[str]) -> None:
    if isinstance(want, dict):
        if set(want) != set(got):
            out.append(f"{path}: keys {sorted(set(want) ^ set(got))} differ")
        for key in sorted(set(want) & set(got)):
            _differences(f"{path}.{key}", want[key], got[key], out)
    elif isinstance(want, list):
        if len(want) != len(got):
            out.append(f"{path}: length {len(got)}, golden {len(want)}")
            return
        for i, (a, b) in enumerate(zip(want, got, strict=True)):
            _differences(f"{path}[{i}]", a, b, out)
    elif not math.isclose(want, got, rel_tol=1e-10, abs_tol=1e-10):
        out.append(f"{path}: got {got!r}, golden {want!r}")


def test_golden_file_lists_every_case(stored):
    assert sorted(stored) == sorted(label for label, *_ in golden_runs.cases())


@pytest.mark.parametrize(
    ("label", "scenario", "policy", "seed"),
    golden_runs.cases(),
    ids=[case[0] for case in golden_runs.cases()],
)
def test_run_matches_golden(stored, label, scenario, policy, seed):
    out: list[str] = []
    _differences(label, stored[label], golden_runs.record(scenario, policy, seed), out)
    assert not out, "\n".join(out[:20])
