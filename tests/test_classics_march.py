"""March (1991): mechanics, reproducibility, and the paper's qualitative findings."""

from __future__ import annotations

import numpy as np
import pytest

from twomountains.classics import march1991
from twomountains.errors import UsageError

# Mean equilibrium knowledge from Workiewicz's replication of March's Figure 1 with 10,000
# replications per point (github.com/Mac13kW/March_1991_Original, Output/*_i_10000.csv).
REFERENCE = {(0.1, 0.5): 0.954, (0.9, 0.5): 0.742, (0.1, 0.9): 0.972, (0.9, 0.9): 0.728}


def test_same_seed_same_run_and_seeds_differ() -> None:
    a = march1991.simulate(0.3, 0.5, seed=7)
    b = march1991.simulate(0.3, 0.5, seed=7)
    assert a.knowledge == b.knowledge and np.array_equal(a.trajectory, b.trajectory)
    finals = {march1991.simulate(0.3, 0.5, seed=s).knowledge for s in range(10)}
    assert len(finals) > 1


def test_run_to_equilibrium_reports_a_consistent_result() -> None:
    result = march1991.simulate(0.5, 0.5, m=30, seed=2)
    assert result.equilibrium
    assert len(result.trajectory) == result.periods > 0
    assert result.knowledge == result.trajectory[-1]
    # knowledge = (matches - mismatches) / m, so it is a multiple of 1/m in [-1, 1]
    assert -1 <= result.knowledge <= 1
    assert result.knowledge * 30 == pytest.approx(round(result.knowledge * 30))


def test_equilibrium_is_absorbing() -> None:
    settled = march1991.simulate(0.5, 0.9, seed=4)
    longer = march1991.simulate(0.5, 0.9, periods=settled.periods + 40, seed=4)
    assert longer.equilibrium
    assert len(longer.trajectory) == settled.periods + 40
    assert np.all(longer.trajectory[settled.periods - 1 :] == settled.knowledge)


def test_fixed_periods_with_turnover_never_claims_equilibrium() -> None:
    result = march1991.simulate(0.5, 0.5, p3=0.1, periods=30, seed=1)
    assert result.periods == 30 and len(result.trajectory) == 30
    assert not result.equilibrium


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"p1": 0.5, "p2": 1.5}, "p2"),
        ({"p1": -0.1, "p2": 0.5}, "p1"),
        ({"p1": [0.1, 0.9], "p2": 0.5}, "p1"),
        ({"p1": 0.5, "p2": 0.5, "p3": 0.1}, "periods"),
        ({"p1": 0.5, "p2": 0.5, "n": 0}, "n"),
        ({"p1": 0.5, "p2": 0.5, "periods": 2.5}, "periods"),
    ],
)
def test_bad_input_names_the_field(kwargs: dict, field: str) -> None:
    with pytest.raises(UsageError, match=field):
        march1991.simulate(**kwargs)


def test_sweep_table_has_intervals_around_means() -> None:
    table = march1991.sweep(p1=[0.2, 0.8], p2=0.5, replications=12, seed=3)
    assert list(table["p1"]) == [0.2, 0.8]
    assert (table["ci_low"] < table["mean"]).all() and (table["mean"] < table["ci_high"]).all()
    assert (table["share_equilibrium"] == 1.0).all()
    again = march1991.sweep(p1=[0.2, 0.8], p2=0.5, replications=12, seed=3)
    assert table.equals(again)


@pytest.fixture(scope="module")
def figure1_table():
    return march1991.sweep(p1=[0.1, 0.5, 0.9], p2=[0.5, 0.9], replications=150, seed=11)


def test_figure1_matches_the_published_replication(figure1_table) -> None:
    rows = figure1_table.set_index(["p1", "p2"])
    for (p1, p2), expected in REFERENCE.items():
        assert rows.loc[(p1, p2), "mean"] == pytest.approx(expected, abs=0.03)


def test_figure1_knowledge_falls_with_socialization_rate(figure1_table) -> None:
    # (a) with fast code learning, slow socialization keeps diversity the code can learn from
    for _, rows in figure1_table.groupby("p2"):
        means = rows.sort_values("p1")["mean"].to_numpy()
        assert np.all(np.diff(means) < 0)
        slow, fast = rows.iloc[0], rows.iloc[-1]
        assert slow["ci_low"] > fast["ci_high"]


def test_mix_of_fast_and_slow_learners_beats_a_uniform_team() -> None:
    # (b) March's figure 2: same average rate 0.5, half the team at 0.9 and half at 0.1
    rates = np.r_[np.full(25, 0.9), np.full(25, 0.1)]
    mixed = march1991.replicate(rates, 0.5, replications=200, seed=5).interval()
    uniform = march1991.replicate(0.5, 0.5, replications=200, seed=5).interval()
    assert mixed[1] > uniform[2]


def test_moderate_turnover_helps_fast_socializers() -> None:
    # (c) at a fixed horizon, since turnover rules out an equilibrium
    stay = march1991.replicate(0.9, 0.9, periods=50, replications=200, seed=6).interval()
    churn = march1991.replicate(0.9, 0.9, p3=0.1, periods=50, replications=200, seed=6).interval()
    assert churn[1] > stay[2]


def test_turbulence_erodes_knowledge_unless_turnover_renews_beliefs() -> None:
    # (d) March's figure 5
    closed = march1991.replicate(0.5, 0.5, p4=0.02, periods=100, replications=150, seed=8)
    curve = closed.trajectory.mean(axis=0)
    assert curve.max() > 0.5
    assert curve[-1] < curve.max() - 0.4
    renewed = march1991.replicate(0.5, 0.5, p3=0.1, p4=0.02, periods=100, replications=150, seed=8)
    assert renewed.interval()[1] > closed.interval()[2]


def test_figures_draw_and_describe_their_data() -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    from twomountains.classics import figures

    fig, alt = figures.figure1(p1=(0.1, 0.9), p2=(0.9,), replications=6, theme="dark")
    assert isinstance(fig, Figure)
    table = march1991.sweep(p1=[0.1, 0.9], p2=[0.9], replications=6, seed=0)
    assert f"{table['mean'].iloc[0]:.2f} at p1 = 0.1" in alt
    with pytest.raises(UsageError, match="theme"):
        figures.figure5(periods=5, replications=2, theme="sepia")  # type: ignore[arg-type]


def test_docstring_examples_hold() -> None:
    import doctest

    result = doctest.testmod(march1991)
    assert result.attempted > 0 and result.failed == 0
