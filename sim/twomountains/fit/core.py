"""The fit: records in, a :class:`FitResult` out (see the package docstring for the method)."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from twomountains.errors import UsageError
from twomountains.fit import abc
from twomountains.fit.parameters import PRIORS, check_params
from twomountains.fit.simulate import RUN_SEED, simulate_statistics
from twomountains.fit.statistics import FIT_STATISTICS, STATISTICS, as_floats, statistics

if TYPE_CHECKING:
    import pandas as pd

    from twomountains.study.options import ExecutionOptions

#: Prior draws in the reference table by default (one run each).
DEFAULT_DRAWS = 2000
#: Posterior draws re-simulated for the posterior-predictive check.
CHECK_DRAWS = 20
#: A posterior 95% interval wider than this share of the prior range earns a warning.
UNINFORMED_SHARE = 0.8
#: Below this share of a parameter's prior variance explained by the statistics (R2 over the
#: reference table) the fit also warns: its interval then rests on the regression adjustment's
#: extrapolation, not on the data, and may look narrow when it should not.
UNINFORMED_R2 = 0.5
#: Grid of the explore share of the fallback policy ``fixed:<share>``.
POLICY_STEP = 0.05
#: Seed offset of posterior-predictive runs (never the seeds of the reference table's runs).
CHECK_SEED_OFFSET = 10_000_000
REFERENCE_TABLE = "reference-table.parquet"
PREDICTIVE_CHECK = "posterior-predictive.parquet"


@dataclass(frozen=True)
class FitResult:
    """What a fit found, how well the fitted model reproduces the records, and where it came from.

    Attributes:
        params: ``{name: {"estimate", "low", "high"}}``: posterior median and 95% interval.
        statistics: ``{name: {"observed", "fitted_mean", "fitted_low", "fitted_high",
            "outside", "fitted"}}``: each summary statistic of the records against the
            posterior-predictive mean and 95% range of re-simulated teams; ``outside`` flags an
            observed value outside that range; ``fitted`` says whether the fit matched it.
        warnings: one sentence each (e.g. "the data do not inform quit_rate_per_year ...").
        provenance: package version, source commit, sha256 of each records file, the prior,
            draws, seed, policy, base scenario and backend.
        posterior: the accepted, regression-adjusted draws (one column per parameter) and their
            ``weight`` (summing to one).
        sensitivity: standardised coefficients of each parameter on each statistic over the
            reference table, and each parameter's ``R2`` (see :func:`twomountains.fit.abc.sensitivity`).
        scenario: the base scenario of the fitted team as a dict (fitted values not applied).
        policy: the policy spec the team was simulated under.
    """

    params: dict[str, dict[str, float]]
    statistics: dict[str, dict[str, Any]]
    warnings: list[str]
    provenance: dict[str, Any]
    posterior: pd.DataFrame = field(repr=False)
    sensitivity: pd.DataFrame = field(repr=False)
    scenario: dict[str, Any] = field(repr=False)
    policy: str = ""

    def fitted_scenario(self) -> Any:
        """The base scenario with every fitted parameter at its estimate."""
        import twomountains as tm

        values = {**self.scenario, **{n: p["estimate"] for n, p in self.params.items()}}
        return tm.Scenario.from_dict(values)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON values: params, statistics, warnings, provenance, policy and sensitivity."""
        return {
            "params": self.params,
            "statistics": self.statistics,
            "warnings": list(self.warnings),
            "policy": self.policy,
            "sensitivity": {
                p: {s: _finite(v) for s, v in self.sensitivity[p].items()}
                for p in self.sensitivity.columns
            },
            "provenance": self.provenance,
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as indented JSON."""
        return json.dumps(self.to_dict(), indent=2)


def fit(
    records_or_path: Any,
    params: Sequence[str] | None = None,
    *,
    preset: str = "default",
    draws: int = DEFAULT_DRAWS,
    seed: int = 0,
    accept: float = abc.ACCEPT,
    policy: str | None = None,
    check_draws: int = CHECK_DRAWS,
    store: str | os.PathLike[str] | None = None,
    execution: ExecutionOptions | None = None,
) -> FitResult:
    """Fit ``params`` (default: DEFAULT_PARAMS) to a team's records by ABC (see the package doc).

    ``records_or_path`` is a records folder (loaded and validated: a
    :class:`~twomountains.records.RecordsError` lists every problem) or a ``TeamRecords``.
    Parameters not fitted stay at the ``preset``'s values, so fitting one parameter alone
    assumes the preset is right about the others (the posterior-predictive check shows when it
    is not). ``draws`` prior draws are simulated once each (seed ``seed + i``); ``accept`` is the
    share kept; ``check_draws`` posterior draws are re-simulated for the diagnostics; ``policy``
    overrides the team's policy. ``store`` keeps the reference table and the check as Parquet
    (resumable: a second call with the same arguments reuses them); ``execution`` chooses the
    backend (default: every core, no progress bar).
    """
    import numpy as np

    from twomountains.study.core import run_study
    from twomountains.study.options import ExecutionOptions

    names = check_params(params)
    draws = _count("draws", draws, 2 * abc.MIN_ACCEPTED)
    seed = _count("seed", seed, 0)
    check_draws = _count("check_draws", check_draws, 2)
    if not (isinstance(accept, float) and 0 < accept < 1):
        raise UsageError(f"accept: got {accept!r}; allowed: a share between 0 and 1")
    execution = execution or ExecutionOptions(quiet=True)
    if execution.out is not None:
        raise UsageError("execution.out: got a path; allowed: None (give the fit a store= folder)")
    records, files = _records_and_hashes(records_or_path)
    base, spec = team_scenario(records, preset, policy)
    observed = statistics(records)
    table = reference_table(
        base, names, spec, draws, seed, execution=_stored(execution, store, REFERENCE_TABLE)
    )
    post = abc.posterior(table, observed, names, list(FIT_STATISTICS), accept=accept)
    estimates = abc.summarize(post, names)
    sensitivity = abc.sensitivity(table, names, list(FIT_STATISTICS))
    warnings = [
        w for n, e in estimates.items() if (w := _uninformed(n, e, sensitivity.loc["R2", n]))
    ]
    rng = np.random.default_rng(seed)
    picks = rng.choice(len(post), size=check_draws, replace=True, p=post["weight"].to_numpy())
    points = [
        {**{n: float(post[n].iloc[i]) for n in names}, RUN_SEED: CHECK_SEED_OFFSET + k}
        for k, i in enumerate(picks)
    ]
    check = run_study(
        {**base, RUN_SEED: 0},
        points,
        [*names, RUN_SEED],
        [spec],
        1,
        seed,
        model=simulate_statistics,
        design_info={"kind": "fit posterior-predictive check", "core": _core_fingerprint()},
        execution=_stored(execution, store, PREDICTIVE_CHECK),
        progress_label="checks",
    )
    diagnostics = predictive_check(observed, check)
    warnings += [
        f"the fitted model does not reproduce {n}: observed {d['observed']:.4g}, fitted 95% "
        f"range {d['fitted_low']:.4g} to {d['fitted_high']:.4g}"
        + ("" if d["fitted"] else " (not matched by the fit: measurement noise inflates it)")
        for n, d in diagnostics.items()
        if d["outside"]
    ]
    if policy is None and not getattr(records, "policy", None):
        warnings.append(
            f"team.toml names no policy: the team was simulated under {spec}, from its explore / "
            "(explore + build) hours; a fixed policy's share is of each project's time window, "
            "not of hours, so give the policy the team follows (team.toml or --policy) if known"
        )
    provenance = _provenance(files, names, draws, seed, accept, spec, base, preset, post)
    provenance["backend"] = execution.backend
    provenance["jobs"] = execution.jobs
    return FitResult(
        params=estimates,
        statistics=diagnostics,
        warnings=warnings,
        provenance=provenance,
        posterior=post,
        sensitivity=sensitivity,
        scenario=base,
        policy=spec,
    )


def _uninformed(name: str, estimate: Mapping[str, float], r2: float) -> str | None:
    """The warning for a parameter the data do not inform, or None."""
    share = abc.prior_share(name, estimate["low"], estimate["high"])
    if share > UNINFORMED_SHARE:
        return (
            f"the data do not inform {name}: its 95% interval spans {share:.0%} of the prior range"
        )
    if r2 < UNINFORMED_R2:
        return (
            f"the data do not inform {name}: the statistics explain {max(r2, 0.0):.0%} of its "
            "prior variance, so its interval rests on extrapolation"
        )
    return None


def reference_table(
    base: Mapping[str, Any],
    params: Sequence[str],
    policy: str,
    draws: int,
    seed: int,
    *,
    execution: ExecutionOptions | None = None,
) -> pd.DataFrame:
    """One run per prior draw (draw ``i`` on seed ``seed + i``): parameters and statistics.

    Run through :func:`twomountains.study.core.run_study`, so ``execution`` chooses the backend
    and, with ``out``, checkpoints the table to Parquet with provenance (resumable).
    """
    from twomountains.study.core import run_study
    from twomountains.study.options import ExecutionOptions

    names = check_params(params)
    points = [{**d, RUN_SEED: i} for i, d in enumerate(abc.prior_draws(names, draws, seed))]
    prior = {n: PRIORS[n].as_dict() for n in names}
    return run_study(
        {**base, RUN_SEED: 0},
        points,
        [*names, RUN_SEED],
        [policy],
        1,
        seed,
        model=simulate_statistics,
        design_info={
            "kind": "fit reference table",
            "prior": prior,
            "sampler": "scipy.stats.qmc.LatinHypercube",
            "core": _core_fingerprint(),
        },
        execution=execution or ExecutionOptions(quiet=True),
        progress_label="draws",
    )


def team_scenario(
    records: Any, preset: str = "default", policy: str | None = None
) -> tuple[dict[str, Any], str]:
    """The base scenario dict and policy spec of a team's records.

    The preset, with ``horizon_weeks`` = the recorded weeks, ``team_size`` = the people on the
    team at week 1 and ``base_hours_per_week`` = the contracted hours. The policy is ``policy`` if
    given, else team.toml's ``policy``, else ``fixed:<explore / (explore + build) hours share,
    rounded to 0.05>``.
    """
    import twomountains as tm

    if preset not in tm.scenarios.names():
        raise UsageError(f"preset: got {preset!r}; allowed: {', '.join(tm.scenarios.names())}")
    people = records.people
    joined = as_floats(people["joined_week"])
    left = as_floats(people["left_week"])
    team_size = int(((joined <= 1) & ~(left < 1)).sum())
    if team_size < 1:
        raise UsageError("people.csv: nobody is on the team at week 1; allowed: at least one")
    scenario = tm.scenarios.load(preset).replace(
        horizon_weeks=int(records.weeks),
        team_size=team_size,
        base_hours_per_week=float(records.contracted_hours_per_week),
    )
    spec = policy or getattr(records, "policy", None) or observed_policy(records)
    spec = tm.policies.spec_of(tm.policies.from_spec(spec))
    return scenario.to_dict(), spec


def observed_policy(records: Any) -> str:
    """``fixed:<share>`` from the records' explore / (explore + build) hours, to 0.05."""
    hours = records.hours
    explore = float(as_floats(hours["explore"]).sum())
    build = float(as_floats(hours["build"]).sum())
    share = explore / (explore + build) if explore + build > 0 else 0.4
    rounded = min(1.0, max(0.0, round(share / POLICY_STEP) * POLICY_STEP))
    return f"fixed:{rounded:.2f}"


def predictive_check(
    observed: Mapping[str, float], simulated: pd.DataFrame
) -> dict[str, dict[str, Any]]:
    """Each statistic: observed value against the simulated mean and 2.5%-97.5% range."""
    import numpy as np

    out: dict[str, dict[str, Any]] = {}
    for name in STATISTICS:
        values = simulated[name].to_numpy(dtype=float)
        values = values[~np.isnan(values)]
        obs = float(observed.get(name, float("nan")))
        if not len(values):
            mean = low = high = float("nan")
        else:
            mean = float(values.mean())
            low, high = (float(q) for q in np.quantile(values, [0.025, 0.975]))
        outside = bool(not math.isnan(obs) and len(values) and not (low <= obs <= high))
        out[name] = {
            "observed": _finite(obs),
            "fitted_mean": _finite(mean),
            "fitted_low": _finite(low),
            "fitted_high": _finite(high),
            "outside": outside,
            "fitted": name in FIT_STATISTICS,
        }
    return out


def _finite(x: float) -> float | None:
    """JSON has no NaN: a missing value becomes None."""
    return None if x is None or math.isnan(x) else float(x)


def _count(name: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise UsageError(f"{name}: got {value!r}; allowed: a whole number >= {minimum}")
    return value


def _stored(
    execution: ExecutionOptions, store: str | os.PathLike[str] | None, name: str
) -> ExecutionOptions:
    return execution if store is None else execution.replace(out=str(Path(store) / name))


def _records_and_hashes(records_or_path: Any) -> tuple[Any, dict[str, str]]:
    """The records (loaded and validated when given a folder) and the sha256 of each file."""
    import hashlib

    if not isinstance(records_or_path, str | os.PathLike):
        return records_or_path, {}
    from twomountains import records as records_module

    folder = Path(records_or_path)
    loaded = records_module.load(folder)
    hashes = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file() and p.suffix in (".csv", ".toml") and p.name != "truth.toml"
    }
    return loaded, hashes


def _core_fingerprint() -> str:
    """SHA-256 of the modules that turn a scenario into statistics (model, records, fit)."""
    import hashlib
    import importlib
    import inspect

    modules = ["model", "policies", "scenario", "streams", "books", "mechanisms", "contract"]
    names = [f"twomountains.{m}" for m in modules]
    names += ["twomountains.fit.simulate", "twomountains.fit.statistics"]
    digest = hashlib.sha256()
    files = [Path(inspect.getsourcefile(importlib.import_module(n)) or "") for n in names]
    records = Path(inspect.getsourcefile(importlib.import_module("twomountains.records")) or "")
    files += sorted(records.parent.glob("*.py"))
    for path in files:
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _provenance(
    files: dict[str, str],
    names: Sequence[str],
    draws: int,
    seed: int,
    accept: float,
    spec: str,
    base: dict[str, Any],
    preset: str,
    post: pd.DataFrame,
) -> dict[str, Any]:
    import twomountains
    from twomountains.provenance import source_commit

    return {
        "package_version": twomountains.__version__,
        "source_commit": source_commit(),
        "records_sha256": files,
        "method": "ABC rejection + local-linear regression adjustment (Beaumont et al. 2002)",
        "params": list(names),
        "prior": {n: PRIORS[n].as_dict() for n in names},
        "draws": draws,
        "accepted": len(post),
        "accept_share": accept,
        "statistics_used": list(post.attrs.get("statistics_used", [])),
        "seed": seed,
        "policy": spec,
        "preset": preset,
        "team_size": base["team_size"],
        "horizon_weeks": base["horizon_weeks"],
    }
