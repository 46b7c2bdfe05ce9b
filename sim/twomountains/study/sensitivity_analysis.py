"""Global sensitivity analysis through SALib: Morris elementary effects and Sobol indices.

The parameters to vary come either as ``{name: (low, high)}`` or as SALib's own problem
dictionary, so a problem written for SALib works unchanged:

>>> problem = {"names": ["team_size", "deadline_weeks"], "bounds": [[3, 8], [4.0, 16.0]]}
>>> bounds_and_groups(problem)
({'team_size': (3, 8), 'deadline_weeks': (4.0, 16.0)}, None)
>>> bounds_and_groups({"team_size": (3, 8), "deadline_weeks": (4.0, 16.0)})
({'team_size': (3, 8), 'deadline_weeks': (4.0, 16.0)}, None)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from twomountains.errors import UsageError
from twomountains.study import core, execute
from twomountains.study import design as dsg
from twomountains.study.options import DEFAULTS, ExecutionOptions, PathLike, merge

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

METHODS = ("morris", "sobol")
#: The keys of a SALib problem dictionary this package understands.
SALIB_KEYS = ("num_vars", "names", "bounds", "groups")


def bounds_and_groups(
    problem: Mapping[str, Any],
) -> tuple[dict[str, tuple[float, float]], list[str] | None]:
    """``({name: (low, high)}, groups or None)`` from either form of ``problem``.

    SALib's form is recognised by its ``names`` and ``bounds`` keys; ``num_vars``, when given, must
    match, and ``groups`` (one group name per parameter) makes the indices per group. Distribution
    keys (``dists``) are refused: the package samples uniformly within bounds.
    """
    if not isinstance(problem, Mapping):
        raise UsageError(
            f"problem: got {type(problem).__name__}; allowed: {{name: (low, high)}} or "
            'a SALib problem {"names": [...], "bounds": [[low, high], ...]}'
        )
    if "names" not in problem and "bounds" not in problem:
        bounds = {str(k): v for k, v in problem.items()}
        dsg.check_bounds(bounds)
        return {k: (v[0], v[1]) for k, v in bounds.items()}, None
    unknown = [k for k in problem if k not in SALIB_KEYS]
    if unknown:
        raise UsageError(
            f"problem: got key {unknown[0]!r}; allowed: {', '.join(SALIB_KEYS)} "
            "(values are sampled uniformly within bounds)"
        )
    names, pairs = problem.get("names"), problem.get("bounds")
    if not isinstance(names, list | tuple) or not all(isinstance(n, str) for n in names):
        raise UsageError(f"problem['names']: got {names!r}; allowed: a list of parameter names")
    if not isinstance(pairs, list | tuple) or len(pairs) != len(names):
        raise UsageError(
            f"problem['bounds']: got {pairs!r}; allowed: one [low, high] per name "
            f"({len(names)} names)"
        )
    if len(set(names)) != len(names):
        raise UsageError(f"problem['names']: got {list(names)!r}; allowed: each name once")
    if "num_vars" in problem and problem["num_vars"] != len(names):
        raise UsageError(
            f"problem['num_vars']: got {problem['num_vars']!r}; allowed: {len(names)} "
            "(the number of names)"
        )
    bounds = dict(zip(names, pairs, strict=True))
    dsg.check_bounds(bounds)
    groups = problem.get("groups")
    if groups is not None:
        if (
            not isinstance(groups, list | tuple)
            or len(groups) != len(names)
            or not all(isinstance(g, str) for g in groups)
        ):
            raise UsageError(
                f"problem['groups']: got {groups!r}; allowed: one group name per parameter"
            )
        if len(set(groups)) < 2:
            raise UsageError(
                f"problem['groups']: got {list(groups)!r}; allowed: at least two groups"
            )
        groups = list(groups)
    return {k: (v[0], v[1]) for k, v in bounds.items()}, groups


def salib_problem(
    bounds: Mapping[str, Sequence[float]], groups: Sequence[str] | None = None
) -> dict[str, Any]:
    """The SALib problem dict for ``{name: (low, high)}`` (and optional groups)."""
    problem: dict[str, Any] = {
        "num_vars": len(bounds),
        "names": list(bounds),
        "bounds": [[float(lo), float(hi)] for lo, hi in bounds.values()],
    }
    if groups is not None:
        problem["groups"] = list(groups)
    return problem


def factors(bounds: Mapping[str, Sequence[float]], groups: Sequence[str] | None) -> list[str]:
    """What the indices are computed for: the parameters, or the groups in order of appearance."""
    return list(dict.fromkeys(groups)) if groups is not None else list(bounds)


def sample(
    bounds: Mapping[str, Sequence[float]],
    method: str,
    n: int,
    seed: int,
    num_levels: int = 4,
    groups: Sequence[str] | None = None,
) -> np.ndarray:
    """The SALib sample matrix for ``method`` (deterministic for ``seed``)."""
    problem = salib_problem(bounds, groups)
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
    groups: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Sensitivity indices of outputs ``y`` on sample ``x``: one row per parameter (or group).

    Morris gives ``mu``, ``mu_star``, ``mu_star_conf`` and ``sigma``; Sobol gives ``S1``,
    ``S1_conf``, ``ST`` and ``ST_conf`` (first-order and total indices with bootstrap half-widths).
    With ``groups`` the first column is ``group`` instead of ``parameter`` (Morris with groups
    reports no signed ``mu``).
    """
    import pandas as pd

    problem = salib_problem(bounds, groups)
    if method == "morris":
        from SALib.analyze import morris

        res = morris.analyze(problem, x, y, num_levels=num_levels, conf_level=confidence, seed=seed)
        cols = ["mu", "mu_star", "mu_star_conf", "sigma"]
        if groups is not None:
            cols = ["mu_star", "mu_star_conf", "sigma"]
    else:
        from SALib.analyze import sobol

        res = sobol.analyze(problem, y, calc_second_order=False, conf_level=confidence, seed=seed)
        cols = ["S1", "S1_conf", "ST", "ST_conf"]
    frame = pd.DataFrame({"group" if groups else "parameter": factors(bounds, groups)})
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
    problem: Mapping[str, Any],
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
    backend: str = DEFAULTS.backend,
    jobs: int | None = DEFAULTS.jobs,
    scheduler: Any = DEFAULTS.scheduler,
    out: PathLike | None = DEFAULTS.out,
    overwrite: bool = DEFAULTS.overwrite,
    quiet: bool = DEFAULTS.quiet,
    batch_size: int | None = DEFAULTS.batch_size,
    options: ExecutionOptions | None = None,
) -> pd.DataFrame:
    """Which parameters matter for ``kpi``: Morris screening or Sobol indices, via SALib.

    ``problem`` maps each varied parameter to its ``(low, high)`` bounds, or is SALib's problem
    dictionary ``{"names": [...], "bounds": [[low, high], ...]}`` (``num_vars`` and ``groups``
    allowed; with groups, indices are per group). The other parameters keep their values in
    ``base`` (a Scenario, preset name, dict, or None for the default scenario). SALib draws the
    design (Morris: ``n`` trajectories, ``n * (d + 1)`` points; Sobol: ``n`` a power of two,
    ``n * (d + 2)`` points, d counting groups when given), integer parameters are rounded, and
    each point's output is the mean ``kpi`` over ``reps`` replications with common random
    numbers. Returns one row per parameter (or group) with the indices and their confidence
    half-widths (see :func:`analyze`); ``attrs`` records the method, KPI and run count. ``out``
    keeps the raw runs (resumable, with provenance). Execution keywords or ``options`` as for
    :func:`~twomountains.study.replicate`.
    """
    import numpy as np

    execution = merge(options, locals())
    check_method_n(method, n)
    bounds, groups = bounds_and_groups(problem)
    model = model or execute.run_kpis
    base_dict, scenario = core.resolve_base(base, model)
    dsg.check_names(bounds, base_dict)
    x = sample(bounds, method, n, seed, num_levels, groups)
    points = dsg.scale_unit_samples(x, bounds, base_dict)
    core.validate_points(scenario, points)
    specs = core.resolve_policies(
        [policy if policy is not None else core.default_policy(model)], model
    )
    info: dict[str, Any] = {
        "kind": "sensitivity",
        "method": method,
        "bounds": {k: [v[0], v[1]] for k, v in bounds.items()},
        "n": n,
        "num_levels": num_levels,
        "kpi": kpi,
    }
    if groups is not None:
        info["groups"] = groups
    df = core.run_study(
        base_dict,
        points,
        list(bounds),
        specs,
        reps,
        seed,
        model=model,
        design_info=info,
        execution=execution,
    )
    if kpi not in df.columns:
        allowed = ", ".join(df.columns[list(df.columns).index("seed") + 1 :])
        raise UsageError(f"unknown KPI {kpi!r}; allowed: {allowed}")
    y = df.groupby("point", sort=True)[kpi].mean().to_numpy(dtype=float)
    result = analyze(bounds, method, x, np.asarray(y), seed, num_levels, confidence, groups)
    result.attrs.update({"method": method, "kpi": kpi, "runs": len(df), "points": len(points)})
    return result


def from_results(df: pd.DataFrame, provenance: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Recompute the indices of a stored sensitivity study (the design is redrawn from its seed).

    ``provenance`` defaults to ``df.attrs["provenance"]`` (set by
    :func:`~twomountains.study.load_results`).
    """
    import numpy as np

    if provenance is None:
        provenance = df.attrs.get("provenance")
        if provenance is None:
            raise UsageError("results: no provenance in df.attrs; load the table with load_results")
    info = provenance.get("design", {})
    if info.get("kind") != "sensitivity":
        raise UsageError("results file: not a sensitivity study (its design kind is not recorded)")
    bounds = {k: tuple(v) for k, v in info["bounds"].items()}
    seed = int(provenance["seed"])
    groups = info.get("groups")
    x = sample(bounds, info["method"], info["n"], seed, info["num_levels"], groups)
    y = df.groupby("point", sort=True)[info["kpi"]].mean().to_numpy(dtype=float)
    result = analyze(
        bounds, info["method"], x, np.asarray(y), seed, info["num_levels"], groups=groups
    )
    result.attrs.update({"method": info["method"], "kpi": info["kpi"], "runs": len(df)})
    return result
