"""Research tooling: replications, sweeps, designs, sensitivity analysis, parallel and Dask runs.

Everything here needs the ``research`` extra (numpy, pandas, scipy, SALib, pyarrow, tqdm, dask);
those libraries are imported on first use, so ``import twomountains.study`` itself is cheap and
worker processes that only run simulations never load them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from twomountains.study.core import choose_replications, replicate, sweep
    from twomountains.study.design import lhs
    from twomountains.study.options import ExecutionOptions
    from twomountains.study.sensitivity_analysis import sensitivity
    from twomountains.study.stats import summarize
    from twomountains.study.store import load_provenance, load_results, to_csv

_EXPORTS = {
    "replicate": "core",
    "sweep": "core",
    "choose_replications": "core",
    "ExecutionOptions": "options",
    "lhs": "design",
    "sensitivity": "sensitivity_analysis",
    "summarize": "stats",
    "load_provenance": "store",
    "load_results": "store",
    "to_csv": "store",
}

__all__ = [
    "ExecutionOptions",
    "choose_replications",
    "lhs",
    "load_provenance",
    "load_results",
    "replicate",
    "sensitivity",
    "summarize",
    "sweep",
    "to_csv",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"twomountains.study.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'twomountains.study' has no attribute {name!r}")
