"""Synthetic datasets with documented data-generating processes, for the experimentation labs.

The experimentation mountain is where "mirages" are made: signals that come from how the data
were collected rather than from the world. :func:`churn_study` generates a customer table that
hides three such traps, each with a known answer, so that a learner can check what they caught:

1. **Selection bias**: satisfaction was surveyed by email and only customers who opened the
   email answered; customers who stay open more emails, and they are happier.
2. **Values missing not at random**: income is missing more often when it is low.
3. **A confounder**: long-tenure customers use the new feature more *and* stay more, so the naive
   feature effect on retention is several times its true size.

:data:`DGP` (also :func:`describe_dgp`) states the process exactly and :func:`churn_study_truth`
returns the true quantities for a given ``(n, seed)``. The simulation core never imports this
module; it needs numpy and pandas (the ``research`` extra).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from twomountains.errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DGP", "FEATURE_EFFECT", "churn_study", "churn_study_truth", "describe_dgp"]

#: True effect of using the feature on the probability of retention (a risk difference).
FEATURE_EFFECT = 0.03

_MAX_TENURE = 72
_INCOME_MEDIAN_K = 55.0
_INCOME_SIGMA = 0.5

DGP = f"""\
churn_study(n, seed): one row per customer, drawn independently with numpy's default_rng(seed).

  tenure_months  ~ uniform integer in 1..{_MAX_TENURE}
  plan           = "pro" with probability 0.3, else "basic" (independent of everything else)
  uses_feature   ~ Bernoulli(0.1 + 0.8 * tenure_months / {_MAX_TENURE})
  retained       ~ Bernoulli(0.40 + 0.0065 * tenure_months + 0.05 * [plan == "pro"]
                             + {FEATURE_EFFECT} * uses_feature)
  income_k       ~ LogNormal(log({_INCOME_MEDIAN_K:g}), {_INCOME_SIGMA}) (thousands per year), independent
                   of the rest; it is recorded as missing with probability
                   1 / (1 + exp(1 + 2.5 * log(income_k / {_INCOME_MEDIAN_K:g})))
                   -- the lower the income, the likelier it is missing (missing not at random)
  opened_email   ~ Bernoulli(0.15 + 0.45 * retained)
  satisfaction   = round(clip(5 + 2 * retained + 0.02 * tenure_months + Normal(0, 1.5), 1, 10)),
                   recorded only when opened_email (the survey went out by email)

Traps: (1) selection bias -- survey answers come from email openers, who are mostly retained and
happier, so the respondents' mean satisfaction overstates everyone's; given `retained`, opening is
independent of satisfaction, so reweighting respondents to the population share of `retained`
removes the bias. (2) missing not at random -- the observed incomes overstate the mean income, and
no observed column explains which are missing. (3) confounding -- tenure raises both uses_feature
and retained, so the naive difference in retention between users and non-users (about 0.15)
is several times the true effect ({FEATURE_EFFECT}); comparing within tenure bands, or regressing
retained on uses_feature and tenure_months, recovers it.
"""


def describe_dgp() -> str:
    """The data-generating process of :func:`churn_study`, as text (the same as :data:`DGP`)."""
    return DGP


def _check_args(n: object, seed: object) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 100:
        raise UsageError(f"n: got {n!r}; allowed: an integer >= 100 (number of customers)")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise UsageError(f"seed: got {seed!r}; allowed: an integer >= 0")


def churn_study(n: int = 2000, seed: int = 0, *, reveal: bool = False) -> pd.DataFrame:
    """A customer-retention table that hides selection bias, data missing not at random and a confounder.

    Columns: ``customer_id``, ``tenure_months``, ``plan`` ("basic"/"pro"), ``income_k`` (thousands
    per year, NaN when missing), ``uses_feature`` (0/1), ``opened_email`` (0/1), ``satisfaction``
    (1-10 survey score, NaN when not surveyed) and ``retained`` (0/1, still a customer a year later).
    The process is stated in :data:`DGP`; the true quantities are in :func:`churn_study_truth`.

    Args:
        n: number of customers (>= 100).
        seed: seed of the random generator; the same ``(n, seed)`` gives the same table.
        reveal: also return the hidden columns ``income_k_true`` and ``satisfaction_true``
            (every customer's value, observed or not) -- for instructors and tests.

    Raises:
        UsageError: if ``n`` or ``seed`` is not an allowed integer.

    Example:
        >>> from twomountains.datasets import churn_study
        >>> df = churn_study(n=500, seed=1)
        >>> df.shape
        (500, 8)
    """
    _check_args(n, seed)
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    tenure = rng.integers(1, _MAX_TENURE + 1, size=n)
    pro = rng.random(n) < 0.3
    uses_feature = rng.random(n) < 0.1 + 0.8 * tenure / _MAX_TENURE
    p_retained = 0.40 + 0.0065 * tenure + 0.05 * pro + FEATURE_EFFECT * uses_feature
    retained = rng.random(n) < p_retained

    income = np.exp(np.log(_INCOME_MEDIAN_K) + _INCOME_SIGMA * rng.standard_normal(n))
    p_missing = 1.0 / (1.0 + np.exp(1.0 + 2.5 * np.log(income / _INCOME_MEDIAN_K)))
    income_missing = rng.random(n) < p_missing

    opened = rng.random(n) < 0.15 + 0.45 * retained
    latent = 5.0 + 2.0 * retained + 0.02 * tenure + rng.normal(0.0, 1.5, size=n)
    satisfaction = np.round(np.clip(latent, 1.0, 10.0))

    frame = pd.DataFrame(
        {
            "customer_id": np.arange(1, n + 1),
            "tenure_months": tenure,
            "plan": np.where(pro, "pro", "basic"),
            "income_k": np.where(income_missing, np.nan, np.round(income, 1)),
            "uses_feature": uses_feature.astype(int),
            "opened_email": opened.astype(int),
            "satisfaction": np.where(opened, satisfaction, np.nan),
            "retained": retained.astype(int),
        }
    )
    if reveal:
        frame["income_k_true"] = np.round(income, 1)
        frame["satisfaction_true"] = satisfaction
    return frame


def churn_study_truth(n: int = 2000, seed: int = 0) -> dict[str, float]:
    """The true quantities behind ``churn_study(n, seed)``, for self-checks.

    Returns a dict with:

    - ``feature_effect``: the causal effect of ``uses_feature`` on the probability of retention
      (:data:`FEATURE_EFFECT`, the same for every sample).
    - ``mean_satisfaction``: mean satisfaction of *all* customers in this sample, surveyed or not.
    - ``mean_income_k``: mean income of all customers in this sample, missing or not.
    - ``retention_rate``: share of customers retained in this sample.
    - ``income_missing_share``: share of incomes recorded as missing.
    - ``surveyed_share``: share of customers who answered the survey.
    """
    frame = churn_study(n, seed, reveal=True)
    return {
        "feature_effect": FEATURE_EFFECT,
        "mean_satisfaction": float(frame["satisfaction_true"].mean()),
        "mean_income_k": float(frame["income_k_true"].mean()),
        "retention_rate": float(frame["retained"].mean()),
        "income_missing_share": float(frame["income_k"].isna().mean()),
        "surveyed_share": float(frame["opened_email"].mean()),
    }
