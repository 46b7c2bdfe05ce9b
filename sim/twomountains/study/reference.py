"""Reference models with known answers, for validating the study tooling (and for teaching it).

Each has the model signature ``(scenario dict, policy spec, seed) -> {kpi: value}`` and is a
module-level function, so it runs on every backend.
"""

from __future__ import annotations

import math
import random
from typing import Any


def normal_model(scenario: dict[str, Any], policy: str, seed: int) -> dict[str, float]:
    """``y`` ~ Normal(``mu``, ``sigma``) drawn from ``seed``; its mean is known exactly.

    ``y_shifted`` adds ``shift`` with the same draw, so two scenarios differing only in ``shift``
    have a paired difference with zero variance under common random numbers.
    """
    z = random.Random(seed).gauss(0.0, 1.0)
    y = float(scenario["mu"]) + float(scenario["sigma"]) * z
    return {"y": y, "y_shifted": y + float(scenario.get("shift", 0.0))}


def ishigami_model(scenario: dict[str, Any], policy: str, seed: int) -> dict[str, float]:
    """The Ishigami function of ``x1, x2, x3`` (a=7, b=0.1) plus Normal(0, ``noise``) from ``seed``.

    Its Sobol indices are known: S1 = (0.314, 0.442, 0), ST = (0.558, 0.442, 0.244).
    """
    x1, x2, x3 = (float(scenario[k]) for k in ("x1", "x2", "x3"))
    y = math.sin(x1) + 7.0 * math.sin(x2) ** 2 + 0.1 * x3**4 * math.sin(x1)
    noise = float(scenario.get("noise", 0.0))
    if noise:
        y += noise * random.Random(seed).gauss(0.0, 1.0)
    return {"y": y}
