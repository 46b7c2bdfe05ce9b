"""Approximate Bayesian computation with a reference table (numpy; no simulation here).

The reference table holds one simulated run per prior draw: the draw's parameters and the
statistics of its records. :func:`posterior` then

1. projects the statistics onto one summary per parameter, the statistics' quadratic regression
   prediction of that parameter over the table (semi-automatic ABC, Fearnhead & Prangle 2012; see
   :class:`Projection` for why), each standardised by its sd over the table;
2. accepts the ``accept`` share of draws whose summaries lie nearest the observed ones
   (Euclidean distance) and weights them with the Epanechnikov kernel, bandwidth = the distance
   of the first draw rejected;
3. adjusts each accepted draw by a weighted local-linear regression of the parameters on the
   summaries (Beaumont, Zhang & Balding 2002): ``theta* = theta - (s - s_obs) b``. The regression
   runs in the prior's unit-logit coordinates (see :class:`twomountains.fit.parameters.Prior`),
   so an adjusted draw always lies inside its prior range.

Estimates are weighted posterior medians and 95% intervals the 2.5% and 97.5% weighted
quantiles. Sisson, Fan & Beaumont (2018), *Handbook of ABC*, ch. 1 and 3, review the method.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from twomountains.errors import UsageError
from twomountains.fit.parameters import PRIORS

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

#: Default share of the reference table accepted.
ACCEPT = 0.05
#: Fewest draws a posterior rests on, whatever the share.
MIN_ACCEPTED = 50


def prior_draws(params: Sequence[str], n: int, seed: int) -> list[dict[str, float]]:
    """``n`` draws from the prior: a scrambled Latin hypercube (scipy.stats.qmc), seeded."""
    from scipy.stats import qmc

    unit = qmc.LatinHypercube(d=len(params), seed=seed).random(n)
    return [
        {name: float(PRIORS[name].from_unit(float(u))) for name, u in zip(params, row, strict=True)}
        for row in unit
    ]


def to_logits(table: pd.DataFrame, params: Sequence[str]) -> np.ndarray:
    """The parameter columns of ``table`` in unit-logit coordinates (rows x params)."""
    import numpy as np

    return np.column_stack(
        [[PRIORS[p].to_logit(float(v)) for v in table[p].to_numpy()] for p in params]
    )


def usable_statistics(
    table: pd.DataFrame, observed: Mapping[str, float], names: Sequence[str]
) -> list[str]:
    """Statistics observed (not NaN) that vary over the table."""
    import numpy as np

    usable = []
    for name in names:
        value = observed.get(name, float("nan"))
        column = table[name].to_numpy(dtype=float)
        if np.isnan(value) or np.nanstd(column) == 0:
            continue
        usable.append(name)
    return usable


def posterior(
    table: pd.DataFrame,
    observed: Mapping[str, float],
    params: Sequence[str],
    statistic_names: Sequence[str],
    *,
    accept: float = ACCEPT,
) -> pd.DataFrame:
    """Accepted, regression-adjusted draws: one column per parameter, ``weight`` (sums to 1).

    ``table`` holds the parameter and statistic columns of a reference table.
    """
    import numpy as np
    import pandas as pd

    names = usable_statistics(table, observed, statistic_names)
    if not names:
        raise UsageError("records: no summary statistic could be computed; nothing to fit")
    stats = table[names].to_numpy(dtype=float)
    complete = ~np.isnan(stats).any(axis=1)
    stats = stats[complete]
    theta = to_logits(table[complete], params)
    s_obs = np.array([observed[n] for n in names], dtype=float)
    projection = Projection.fit(stats, theta)
    summaries = projection.apply(stats)
    at_observed = projection.apply(s_obs[None, :])
    spread = summaries.std(axis=0)
    z = (summaries - at_observed) / np.where(spread > 0, spread, 1.0)
    distance = np.sqrt((z**2).sum(axis=1))
    n_accept = min(len(distance) - 1, max(MIN_ACCEPTED, round(accept * len(distance))))
    order = np.argsort(distance, kind="stable")
    chosen = order[:n_accept]
    bandwidth = distance[order[n_accept]]  # the first rejected: every accepted weight is > 0
    weights = 1.0 - (distance[chosen] / bandwidth) ** 2 if bandwidth > 0 else np.ones(n_accept)
    weights /= weights.sum()
    adjusted = _local_linear(theta[chosen], z[chosen], weights)
    out = pd.DataFrame(
        {p: [PRIORS[p].from_logit(float(v)) for v in adjusted[:, i]] for i, p in enumerate(params)}
    )
    out["weight"] = weights
    out.attrs["statistics_used"] = names
    return out


class Projection:
    """Semi-automatic summaries (Fearnhead & Prangle 2012): the statistics' best quadratic
    prediction of each parameter, fitted by least squares over the reference table.

    Fifteen statistics, each informative about one or two parameters and noise for the rest,
    make a poor Euclidean distance: with a few thousand draws the nearest ones are near in the
    uninformative statistics too, only by chance. Projecting onto one summary per parameter (its
    regression prediction) keeps what the statistics say about the parameters and drops the rest.

    The features are each statistic on a log-like scale, ``log(1 + s / m)`` with ``m`` its median
    over the table (counts, hours and rates span orders of magnitude across the prior, and the
    parameters are regressed in log-based coordinates), standardised, and their squares.
    """

    def __init__(self, median: np.ndarray, centre: np.ndarray, scale: np.ndarray) -> None:
        self.median, self.centre, self.scale = median, centre, scale
        self.coef: np.ndarray | None = None

    def features(self, stats: np.ndarray) -> np.ndarray:
        import numpy as np

        logged = np.log1p(np.maximum(stats, 0.0) / self.median)
        z = (logged - self.centre) / self.scale
        return np.column_stack([np.ones(len(z)), z, z**2])

    @classmethod
    def fit(cls, stats: np.ndarray, theta: np.ndarray) -> Projection:
        import numpy as np

        positive = np.where(stats > 0, stats, np.nan)
        median = np.nan_to_num(np.nanmedian(positive, axis=0), nan=1.0)
        logged = np.log1p(np.maximum(stats, 0.0) / median)
        sd = logged.std(axis=0)
        projection = cls(median, logged.mean(axis=0), np.where(sd > 0, sd, 1.0))
        x = projection.features(stats)
        ridge = 1e-6 * len(x) * np.eye(x.shape[1])
        ridge[0, 0] = 0.0
        projection.coef = np.linalg.solve(x.T @ x + ridge, x.T @ theta)
        return projection

    def apply(self, stats: np.ndarray) -> np.ndarray:
        assert self.coef is not None
        return self.features(stats) @ self.coef


def _local_linear(theta: np.ndarray, z: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Beaumont et al. (2002): ``theta - z b`` with ``b`` from weighted least squares on ``z``.

    ``z`` are the accepted draws' standardised summaries minus the observed ones, so the
    intercept is the posterior mean at the observed statistics. A tiny ridge keeps collinear
    statistics (shares that add up to one) from making the fit unstable.
    """
    import numpy as np

    design = np.column_stack([np.ones(len(z)), z])
    sw = np.sqrt(weights)[:, None]
    a = design * sw
    ridge = 1e-6 * np.eye(design.shape[1])
    ridge[0, 0] = 0.0
    coef = np.linalg.solve(a.T @ a + ridge, a.T @ (theta * sw))
    return theta - z @ coef[1:]


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The ``q`` quantile of weighted values (midpoint interpolation of the weighted CDF).

    >>> import numpy as np
    >>> weighted_quantile(np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 1.0]), 0.5)
    2.0
    """
    import numpy as np

    keep = weights > 0  # a draw with no weight is no part of the distribution
    order = np.argsort(values[keep], kind="stable")
    v, w = values[keep][order], weights[keep][order]
    cdf = (np.cumsum(w) - 0.5 * w) / w.sum()
    return float(np.interp(q, cdf, v))


def summarize(posterior_draws: pd.DataFrame, params: Sequence[str]) -> dict[str, dict[str, float]]:
    """``{param: {estimate, low, high}}``: weighted median and 2.5%/97.5% weighted quantiles."""
    w = posterior_draws["weight"].to_numpy(dtype=float)
    out = {}
    for p in params:
        v = posterior_draws[p].to_numpy(dtype=float)
        out[p] = {
            "estimate": weighted_quantile(v, w, 0.5),
            "low": weighted_quantile(v, w, 0.025),
            "high": weighted_quantile(v, w, 0.975),
        }
    return out


def prior_share(name: str, low: float, high: float) -> float:
    """Share of the prior's range (on its scale) that the interval ``[low, high]`` spans."""
    prior = PRIORS[name]
    return prior.unit(high) - prior.unit(low)


def sensitivity(
    table: pd.DataFrame, params: Sequence[str], statistic_names: Sequence[str]
) -> pd.DataFrame:
    """Which statistics inform which parameters, measured on a reference table.

    For each parameter (in unit-logit coordinates) a linear regression on all the standardised
    statistics over the table: one row per statistic holding the standardised coefficients
    (a parameter's change in prior standard deviations per standard deviation of the statistic,
    other statistics held fixed), and a last row ``R2``, the share of the parameter's prior
    variance that the statistics explain. A parameter with R2 near 0 is not identifiable from
    these records; one with R2 near 1 is pinned down.
    """
    import numpy as np
    import pandas as pd

    names = [n for n in statistic_names if np.nanstd(table[n].to_numpy(dtype=float)) > 0]
    stats = table[names].to_numpy(dtype=float)
    complete = ~np.isnan(stats).any(axis=1)
    stats = stats[complete]
    z = (stats - stats.mean(axis=0)) / stats.std(axis=0)
    theta = to_logits(table[complete], params)
    theta = (theta - theta.mean(axis=0)) / theta.std(axis=0)
    design = np.column_stack([np.ones(len(z)), z])
    coef, *_ = np.linalg.lstsq(design, theta, rcond=None)
    residual = theta - design @ coef
    r2 = 1.0 - residual.var(axis=0) / theta.var(axis=0)
    out = pd.DataFrame(coef[1:], index=names, columns=list(params))
    out.loc["R2"] = r2
    return out
