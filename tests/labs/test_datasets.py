"""The churn-study dataset really hides the three traps its DGP documents, and is reproducible."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from twomountains.datasets import (
    DGP,
    FEATURE_EFFECT,
    churn_study,
    churn_study_truth,
    describe_dgp,
)
from twomountains.errors import UsageError

N = 20_000


@pytest.fixture(scope="module")
def big() -> pd.DataFrame:
    return churn_study(N, seed=3, reveal=True)


def _ols_coefficient(frame: pd.DataFrame, target: str, columns: list[str]) -> np.ndarray:
    design = np.column_stack([np.ones(len(frame))] + [frame[c].to_numpy(float) for c in columns])
    return np.linalg.lstsq(design, frame[target].to_numpy(float), rcond=None)[0]


def test_same_seed_same_table_and_different_seed_differs() -> None:
    pd.testing.assert_frame_equal(churn_study(500, seed=7), churn_study(500, seed=7))
    assert not churn_study(500, seed=7).equals(churn_study(500, seed=8))


def test_columns_and_types() -> None:
    frame = churn_study(300, seed=0)
    assert list(frame.columns) == [
        "customer_id",
        "tenure_months",
        "plan",
        "income_k",
        "uses_feature",
        "opened_email",
        "satisfaction",
        "retained",
    ]
    assert frame["customer_id"].is_unique
    assert set(frame["plan"]) <= {"basic", "pro"}
    assert frame["tenure_months"].between(1, 72).all()
    observed = frame["satisfaction"].dropna()
    assert observed.between(1, 10).all() and (observed == observed.round()).all()
    # The survey went out by email: answers exist exactly for those who opened it.
    assert (frame["satisfaction"].notna() == frame["opened_email"].astype(bool)).all()
    assert "income_k_true" not in frame.columns


def test_confounder_makes_naive_feature_effect_a_mirage(big: pd.DataFrame) -> None:
    rates = big.groupby("uses_feature")["retained"].mean()
    naive = rates[1] - rates[0]
    adjusted = _ols_coefficient(big, "retained", ["uses_feature", "tenure_months"])[1]
    assert naive > 3 * FEATURE_EFFECT
    assert abs(adjusted - FEATURE_EFFECT) < 0.02
    # Tenure is the common cause: it drives both feature use and retention.
    assert big["tenure_months"].corr(big["uses_feature"]) > 0.3
    assert big["tenure_months"].corr(big["retained"]) > 0.2


def test_selection_bias_in_the_survey_and_its_correction(big: pd.DataFrame) -> None:
    truth = big["satisfaction_true"].mean()
    respondents = big[big["opened_email"] == 1]
    assert respondents["satisfaction"].mean() - truth > 0.3
    assert respondents["retained"].mean() > big["retained"].mean() + 0.1
    weights = big["retained"].value_counts(normalize=True)
    reweighted = (weights * respondents.groupby("retained")["satisfaction"].mean()).sum()
    assert abs(reweighted - truth) < 0.05


def test_income_is_missing_not_at_random(big: pd.DataFrame) -> None:
    missing = big["income_k"].isna()
    assert 0.15 < missing.mean() < 0.45
    # Missingness depends on the value that is missing ...
    assert (
        big.loc[missing, "income_k_true"].mean() < 0.8 * big.loc[~missing, "income_k_true"].mean()
    )
    assert big["income_k"].mean() > big["income_k_true"].mean() + 3
    # ... and not on what we can see, so no observed column could explain it away.
    for column in ["tenure_months", "uses_feature", "retained", "opened_email"]:
        assert abs(np.corrcoef(missing, big[column])[0, 1]) < 0.03, column


def test_truth_matches_the_revealed_sample() -> None:
    truth = churn_study_truth(1000, seed=2)
    frame = churn_study(1000, seed=2, reveal=True)
    assert truth["feature_effect"] == FEATURE_EFFECT
    assert truth["mean_income_k"] == pytest.approx(frame["income_k_true"].mean())
    assert truth["mean_satisfaction"] == pytest.approx(frame["satisfaction_true"].mean())
    assert truth["retention_rate"] == pytest.approx(frame["retained"].mean())
    assert truth["income_missing_share"] == pytest.approx(frame["income_k"].isna().mean())
    assert truth["surveyed_share"] == pytest.approx(frame["opened_email"].mean())


def test_dgp_text_documents_every_column_and_trap() -> None:
    assert describe_dgp() == DGP
    for word in ["tenure_months", "uses_feature", "income_k", "opened_email", "satisfaction"]:
        assert word in DGP
    for trap in ["selection bias", "missing not at random", "confound"]:
        assert trap in DGP


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"n": 10}, "n"), ({"n": 2.5}, "n"), ({"n": True}, "n"), ({"seed": -1}, "seed")],
)
def test_bad_arguments_name_the_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(UsageError, match=rf"^{field}: got .*allowed"):
        churn_study(**kwargs)  # type: ignore[arg-type]
