"""Standard figures: readable in both themes, alt text computed from the data."""

from __future__ import annotations

import pandas as pd
import pytest

import twomountains as tm
from twomountains import plots
from twomountains.errors import UsageError


def contrast(a: str, b: str) -> float:
    la, lb = sorted((plots.relative_luminance(a), plots.relative_luminance(b)))
    return (lb + 0.05) / (la + 0.05)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_palette_and_text_have_enough_contrast(theme):
    colours = plots.THEMES[theme]
    assert contrast(colours["ink"], colours["background"]) >= 7  # body text, WCAG AAA
    assert contrast(colours["muted"], colours["background"]) >= 4.5
    for colour in plots.PALETTE:
        assert contrast(colour, colours["background"]) >= 3, colour  # graphics, WCAG 1.4.11


def results(means: dict[tuple[str, float], float]) -> pd.DataFrame:
    """A results table with two replications per cell at mean +- 1."""
    rows = []
    for (policy, deadline), mean in means.items():
        for rep, delta in enumerate((-1.0, 1.0)):
            rows.append(
                {
                    "point": 0,
                    "deadline_weeks": deadline,
                    "policy": policy,
                    "rep": rep,
                    "seed": rep,
                    "value_delivered": mean + delta,
                    "burnout_rate_per_person_year": mean / 10 + delta / 10,
                }
            )
    return pd.DataFrame(rows)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_value_vs_explore_alt_names_best_and_worst_share(theme):
    df = results(
        {
            ("fixed:0.2", 8.0): 5.0,
            ("fixed:0.5", 8.0): 9.0,
            ("fixed:0.8", 8.0): 2.0,
            ("crunch", 8.0): 50.0,
        }
    )
    fig, alt = plots.value_vs_explore(df, theme=theme)
    assert fig.get_facecolor()[:3] == pytest.approx(
        tuple(int(plots.THEMES[theme]["background"][i : i + 2], 16) / 255 for i in (1, 3, 5))
    )
    # t(0.975, 1) * sd(=sqrt 2) / sqrt 2 = 12.7: interval 9 +- 12.7, clipped at zero (a value
    # is not negative); the same seeds in every arm, so the shares are compared run by run
    assert alt.startswith(
        "For value delivered, the highest mean is at explore share 0.5 (9, 95% CI 0 to 21.7); "
        "each of the other 2 is lower (paired 95% intervals of the difference exclude zero)"
    )
    assert "lowest at share 0.8 (2)" in alt and "over 3 shares" in alt
    assert fig.axes[0].get_ylim()[0] == 0.0


def test_intervals_are_clipped_to_what_is_possible():
    assert plots.kpi_bounds("at_risk_share") == (0.0, 1.0)
    assert plots.kpi_bounds("burnout_rate_per_person_year") == (0.0, None)
    assert plots.kpi_bounds("value_delivered") == (0.0, None)
    mean, low, high = plots.t_interval([0.0, 0.0, 0.0, 1.0], bounds=plots.kpi_bounds("x_share"))
    assert (mean, low) == (0.25, 0.0) and high == 1.0  # 0.25 +- 0.80 without the bounds
    df = pd.DataFrame({"g": [1, 1, 1], "seed": [0, 1, 2], "burnout_events": [0.0, 0.0, 3.0]})
    agg = plots.mean_ci(df, ["g"], "burnout_events")
    assert agg.loc[0, "low"] == 0.0 and agg.loc[0, "high"] > 1.0
    unclipped = plots.mean_ci(df, ["g"], "burnout_events", bounds=(None, None))
    assert unclipped.loc[0, "low"] < 0.0


def test_peak_names_the_arms_it_cannot_tell_apart():
    values = {0.0: [1.0, 2.0, 3.0], 0.1: [5.0, 6.0, 7.5], 0.2: [5.0, 6.5, 7.0]}
    peak = plots.find_peak(values)
    assert peak.best == 0.1 and peak.ties == (0.2,)
    assert peak.differences[0.0][2] < 0  # the paired interval of 0.0 - 0.1 excludes zero
    text = plots.peak_text(peak, "explore share")
    assert "cannot be told apart from explore share 0.2" in text
    clear = plots.find_peak({"a": [1.0, 2.0, 3.0], "b": [3.0, 4.1, 4.9]})
    assert clear.ties == () and "each of the other 1 is lower" in plots.peak_text(clear, "policy")
    with pytest.raises(UsageError, match="arm 'b' has 2 runs"):
        plots.paired_differences({"a": [1.0, 2.0, 3.0], "b": [1.0, 2.0]}, "a")


def test_heatmap_alt_names_extreme_cells():
    df = results({("a", 4.0): 1.0, ("a", 8.0): 7.0}).assign(team_size=[3, 3, 5, 5])
    fig, alt = plots.heatmap(df, "deadline_weeks", "team_size", kpi="value_delivered")
    assert alt == (
        "Mean value delivered ranges from 1 at deadline weeks = 4 and team size = 3 "
        "to 7 at deadline weeks = 8 and team size = 5."
    )
    assert len(fig.axes) == 2  # the map and its colour bar
    image = fig.axes[0].images[0]
    for text in fig.axes[0].texts:  # cell labels keep at least 4.5:1 against their cell
        cell = plots.relative_luminance(image.cmap(image.norm(float(text.get_text()))))
        ink = plots.relative_luminance(text.get_color())
        la, lb = sorted((ink, cell))
        assert (lb + 0.05) / (la + 0.05) >= 4.5


def test_burnout_vs_deadline_alt_reports_largest_change():
    df = results(
        {("calm", 4.0): 10.0, ("calm", 8.0): 9.0, ("crunch", 4.0): 30.0, ("crunch", 8.0): 10.0}
    )
    _, alt = plots.burnout_vs_deadline(df)
    # the interval at 8 weeks (1 +- 1.27) is clipped at zero: a rate is not negative
    assert alt == (
        "Across 2 policies, mean burnout rate per person year changes most under crunch: "
        "from 3 (95% CI 1.73 to 4.27) at 4 to 1 (95% CI 0 to 2.27) at 8 deadline weeks; the "
        "paired difference, -2 (95% CI -2 to -2), is more than noise."
    )


def test_pareto_front_and_alt():
    assert plots.pareto_front([(1, 1), (2, 2), (2, 3), (0, 0)]) == [True, True, False, True]
    df = results({("fast", 1.0): 10.0, ("slow", 1.0): 5.0})
    df.loc[df["policy"] == "slow", "burnout_rate_per_person_year"] = [2.0, 2.2]
    _, alt = plots.pareto(df, theme="dark")
    assert alt.startswith(
        "1 of 2 policies are on the value/burnout Pareto front of the means (fast); fast has the "
        "highest mean value (10, 95% CI"
    )
    assert alt.endswith("every other policy's value is lower (paired 95% intervals exclude zero).")


def test_weekly_figure_from_real_runs():
    sc = tm.Scenario().replace(horizon_weeks=20)
    runs = [tm.run(sc, "fixed:0.4", seed=1), tm.run(sc, "crunch", seed=1)]
    fig, alt = plots.weekly(runs, theme="dark")
    assert len(fig.axes) == 3
    peak = max(runs[1].weekly["exhaustion_mean"])
    assert alt.startswith("Over 20 weeks, under fixed:0.4 mean exhaustion peaks at")
    assert f"under crunch mean exhaustion peaks at {peak:.3g}" in alt


def test_sensitivity_bars_for_morris_and_sobol():
    morris = pd.DataFrame(
        {"parameter": ["a", "b", "c"], "mu": [1, 2, 3], "mu_star": [1.0, 5.0, 3.0],
         "mu_star_conf": [0.1, 0.2, 0.3], "sigma": [1, 1, 1]}
    )  # fmt: skip
    morris.attrs["kpi"] = "value_delivered"
    _, alt = plots.sensitivity_bars(morris)
    assert (
        alt == "By mu*, b matters most for value delivered (5 ± 0.2), then c (3), and a least (1)."
    )
    sobol = pd.DataFrame(
        {
            "parameter": ["a", "b"],
            "S1": [0.1, 0.5],
            "S1_conf": [0.01, 0.02],
            "ST": [0.2, 0.6],
            "ST_conf": [0.03, 0.04],
        }
    )
    fig, alt = plots.sensitivity_bars(sobol, theme="dark")
    assert alt.startswith("By total (ST), b matters most") and len(fig.axes[0].patches) == 4


def test_bad_theme_and_missing_columns():
    df = results({("fixed:0.2", 8.0): 5.0, ("fixed:0.5", 8.0): 9.0})
    with pytest.raises(UsageError, match="theme: got 'sepia'"):
        plots.value_vs_explore(df, theme="sepia")
    with pytest.raises(UsageError, match="no column 'team_size'"):
        plots.heatmap(df, "team_size", "deadline_weeks")
    with pytest.raises(UsageError, match="at least two fixed:SHARE"):
        plots.value_vs_explore(df[df["policy"] == "fixed:0.2"])


def test_figures_save_in_both_themes(tmp_path):
    df = results({("fixed:0.2", 4.0): 5.0, ("fixed:0.5", 8.0): 9.0})
    for theme in ("light", "dark"):
        fig, _ = plots.value_vs_explore(df, theme=theme)
        fig.savefig(tmp_path / f"{theme}.png")
        assert (tmp_path / f"{theme}.png").stat().st_size > 1000
