"""Global sensitivity analysis through SALib: Morris elementary effects and Sobol indices."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from twomountains.errors import UsageError
from twomountains.study import core, execute
from twomountains.study import design as dsg

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

METHODS = ("morris", "sobol")


def salib_problem(bounds: Mapping[str, Sequence[float]]) -> dict[str, Any]:
    """The SALib problem dict for ``{name: (low, high)}``."""
    return {
        "num_vars": len(bounds),
        "names": list(bounds),
        "bounds": [[float(lo), float(hi)] for lo, hi in bounds.values()],
    }


def sample(
    bounds: Mapping[str, Sequence[float]], method: str, n: int, seed: int, num_levels: int = 4
) -> np.ndarray:
    """The SALib sample matrix for ``method`` (deterministic for ``seed``)."""
    problem = salib_problem(bounds)
    if method == "morris":
        from SALib.sample import morris

        return morris.sample(problem, N=n, num_levels=num_levels, seed=seed)
    from SALib.sample import sobol

    return sobol.sample(problem, N=n, calc_second_order=False, seed=seed)


def analyze(
    bounds: Mapping[str, Sequence[float]],
    method: str,
    x: np.ndarray,
    y: np.ndarray,
    seed: int,
    num_levels: int = 4,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Sensitivity indices of outputs ``y`` on sample ``x``: one row per parameter.

    Morris gives ``mu``, ``mu_star``, ``mu_star_conf`` and ``sigma``; Sobol gives ``S1``,
    ``S1_conf``, ``ST`` and ``ST_conf`` (first-order and total indices with bootstrap half-widths).
    """
    import pandas as pd

    problem = salib_problem(bounds)
    if method == "morris":
        from SALib.analyze import morris

        res = morris.analyze(problem, x, y, num_levels=num_levels, conf_level=confidence, seed=seed)
        cols = ["mu", "mu_star", "mu_star_conf", "sigma"]
    else:
        from SALib.analyze import sobol

        res = sobol.analyze(problem, y, calc_second_order=False, conf_level=confidence, seed=seed)
        cols = ["S1", "S1_conf", "ST", "ST_conf"]
    frame = pd.DataFrame({"parameter": problem["names"]})
    for col in cols:
        frame[col] = [float(v) for v in res[col]]
    return frame


def check_method_n(method: str, n: int) -> None:
    """Validate the method name and base sample size."""
    if method not in METHODS:
        raise UsageError(f"method: got {method!r}, allowed: {', '.join(METHODS)}")
    if not isinstance(n, int) or isinstance(n, bool) or n < 2:
        raise UsageError(f"n: got {n!r}, allowed: a whole number >= 2")
    if method == "sobol" and n & (n - 1):
        raise UsageError(f"n: got {n} for Sobol, allowed: a power of two (e.g. 64, 128, 256)")


def sensitivity(
    problem: Mapping[str, Sequence[float]],
    method: str = "morris",
    n: int = 16,
    reps: int = 3,
    *,
    base: Any = None,
    kpi: str = "value_delivered",
    policy: Any = None,
    seed: int = 0,
    num_levels: int = 4,
    confidence: float = 0.95,
    model: execute.Model | None = None,
    backend: str = "processes",
    jobs: int | None = None,
    scheduler: Any = None,
    out: core.PathLike | None = None,
    overwrite: bool = False,
    quiet: bool = False,
) -> pd.DataFrame:
    """Which parameters matter for ``kpi``: Morris screening or Sobol indices, via SALib.

    ``problem`` maps each varied parameter to its ``(low, high)`` bounds; the others keep their
    values in ``base`` (a Scenario, preset name, dict, or None for the default scenario). SALib
    draws the design (Morris: ``n`` trajectories, ``n * (d + 1)`` points; Sobol: ``n`` a power of
    two, ``n * (d + 2)`` points), integer parameters are rounded, and each point's output is the
    mean ``kpi`` over ``reps`` replications with common random numbers. Returns one row per
    parameter with the indices and their confidence half-widths (see :func:`analyze`); ``attrs``
    records the method, KPI and run count. ``out`` keeps the raw runs (resumable, with provenance).
    """
    import numpy as np

    check_method_n(method, n)
    dsg.check_bounds(problem)
    model = model or execute.run_kpis
    base_dict, scenario = core.resolve_base(base, model)
    dsg.check_names(problem, base_dict)
    x = sample(problem, method, n, seed, num_levels)
    points = dsg.scale_unit_samples(x, problem, base_dict)
    core.validate_points(scenario, points)
    specs = core.resolve_policies(
        [policy if policy is not None else core.default_policy(model)], model
    )
    info = {
        "kind": "sensitivity",
        "method": method,
        "bounds": {k: [v[0], v[1]] for k, v in problem.items()},
        "n": n,
        "num_levels": num_levels,
        "kpi": kpi,
    }
    df = core.run_study(
        base_dict,
        points,
        list(problem),
        specs,
        reps,
        seed,
        model=model,
        design_info=info,
        backend=backend,
        jobs=jobs,
        scheduler=scheduler,
        out=out,
        overwrite=overwrite,
        quiet=quiet,
    )
    if kpi not in df.columns:
        allowed = ", ".join(df.columns[list(df.columns).index("seed") + 1 :])
        raise UsageError(f"unknown KPI {kpi!r}; allowed: {allowed}")
    y = df.groupby("point", sort=True)[kpi].mean().to_numpy(dtype=float)
    result = analyze(problem, method, x, np.asarray(y), seed, num_levels, confidence)
    result.attrs.update({"method": method, "kpi": kpi, "runs": len(df), "points": len(points)})
    return result


def from_results(df: pd.DataFrame, provenance: Mapping[str, Any]) -> pd.DataFrame:
    """Recompute the indices of a stored sensitivity study (the design is redrawn from its seed)."""
    import numpy as np

    info = provenance.get("design", {})
    if info.get("kind") != "sensitivity":
        raise UsageError("results file: not a sensitivity study (its design kind is not recorded)")
    bounds = {k: tuple(v) for k, v in info["bounds"].items()}
    seed = int(provenance["seed"])
    x = sample(bounds, info["method"], info["n"], seed, info["num_levels"])
    y = df.groupby("point", sort=True)[info["kpi"]].mean().to_numpy(dtype=float)
    result = analyze(bounds, info["method"], x, np.asarray(y), seed, info["num_levels"])
    result.attrs.update({"method": info["method"], "kpi": info["kpi"], "runs": len(df)})
    return result
