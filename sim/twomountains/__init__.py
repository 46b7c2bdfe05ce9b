"""Two Mountains: a SimPy simulation of a data-science team balancing experimentation and MLOps.

>>> import twomountains as tm
>>> result = tm.run(tm.scenarios.load("default"), policy="fixed:0.4", seed=0)
>>> sorted(result.kpis)[:3]
['at_risk_share', 'attrition', 'attrition_rate_per_person_year']

The core (this module, ``scenario``, ``model``, ``policies``, ``scenarios``) imports only SimPy and the
standard library, so it also runs in the browser with Pyodide.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from twomountains import policies, scenarios
from twomountains.errors import PolicyError, ScenarioError, UsageError
from twomountains.model import KPI_NAMES, RunResult, run
from twomountains.scenario import ParamInfo, Scenario

__version__ = "0.1.0"

__all__ = [
    "KPI_NAMES",
    "ParamInfo",
    "PolicyError",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "UsageError",
    "__version__",
    "policies",
    "run",
    "scenarios",
]

# Layers around the core load on first use, so `import twomountains` stays light (and Pyodide-safe).
_LAZY = {"study", "plots", "classics", "datasets", "tournament"}


def __getattr__(name: str) -> ModuleType:
    if name in _LAZY:
        return importlib.import_module(f"twomountains.{name}")
    raise AttributeError(f"module 'twomountains' has no attribute {name!r}")
