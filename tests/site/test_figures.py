"""The course's build-time figures (hooks/figure_registry.py): grids, intervals, words.

Unit tests of the registry's helpers and of every figure at a few seeds (no site build needed),
then checks of the figures in a built site (``TWOMOUNTAINS_SITE_DIR`` or the session's build).
"""

from __future__ import annotations

import inspect
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hook_loading import load_hook
from matplotlib.collections import PolyCollection

import twomountains as tm

registry = load_hook("figure_registry")
NUMBER = re.compile(r"\d")


@pytest.fixture(autouse=True)
def _runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unit tests run their few runs in this process, and start from an empty memo."""
    monkeypatch.setenv(registry.JOBS_VARIABLE, "1")
    registry.reset()


# --- helpers -----------------------------------------------------------------------------------


def test_figure_grid_places_an_optimum_to_within_a_twentieth() -> None:
    shares = registry.EXPLORE_SHARES
    assert shares[0] == 0.0 and shares[-1] == 1.0 and list(shares) == sorted(shares)
    # every preset's best split, and the splits not told apart from it, lie below FINE_UNTIL
    for share in (s for s in shares if s < registry.FINE_UNTIL):
        assert registry.grid_step(shares, share) <= 0.05 + 1e-9, share
    assert registry.grid_step(shares, 0.4) == 0.2 and registry.FINE_UNTIL >= 0.2
    assert registry.grid_step((0.0, 0.5), 0.0) == 0.5


def test_figure_intervals_are_clipped_to_what_is_possible() -> None:
    mean, low, high = registry.interval([0.0, 0.0, 0.0, 0.4], "burnout_rate_per_person_year")
    assert mean == pytest.approx(0.1) and low == 0.0 and high > mean
    mean, low, high = registry.interval([1.0, 1.0, 0.9, 0.2], "at_risk_share")
    assert high == 1.0 and 0.0 <= low < mean
    # a KPI without known bounds keeps its interval
    assert registry.interval([-1.0, 1.0], "custom_score")[1] < -1.0


def test_figure_change_text_says_whether_a_change_is_more_than_noise() -> None:
    steady = registry.change_text([1.0, 2.0, 3.0], [2.0, 3.1, 3.9], "incidents")
    assert steady.endswith("is more than noise") and "(95% CI" in steady
    noisy = registry.change_text([1.0, 5.0, 3.0], [4.0, 2.0, 3.5], "incidents")
    assert noisy.endswith("cannot be told from noise")


def test_figure_runs_share_keys_when_an_override_is_the_presets_own_value() -> None:
    own = tm.scenarios.load("default").deadline_weeks
    assert registry.run_key("default", "crunch", 3, [("deadline_weeks", own)]) == (
        "default",
        "crunch",
        3,
        (),
    )
    assert registry.run_key("default", "crunch", 3, [("deadline_weeks", 4)])[3] == (
        ("deadline_weeks", 4),
    )


def test_figure_runs_in_worker_processes_equal_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(registry.JOBS_VARIABLE, "2")
    monkeypatch.setattr(registry, "PARALLEL_FROM", 2)
    keys = [registry.run_key("uncharted", "fixed:0.1", s, [("deadline_weeks", 6)]) for s in (0, 1)]
    try:
        registry.prefetch(keys)
    finally:
        registry.shutdown()
    sc = tm.scenarios.load("uncharted").replace(deadline_weeks=6)
    for key in keys:
        expected = tm.run(sc, "fixed:0.1", seed=key[2]).kpis
        assert registry._KPIS[key]["value_delivered"] == expected["value_delivered"]


def test_figure_jobs_setting_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(registry.JOBS_VARIABLE, "zero")
    with pytest.raises(ValueError, match="TWOMOUNTAINS_FIGURE_JOBS: got 'zero'; allowed"):
        registry.jobs()


def test_figure_waves_run_has_burnouts() -> None:
    seed, counts = registry._burnout_run("startup_crunch", "crunch", registry.BURNOUT_SEEDS)
    assert counts[seed] == max(counts) >= 2  # the heat map shows burnouts, not a flat field


# --- every figure, at a few seeds --------------------------------------------------------------

FEW = {"seeds": 3, "max_reps": 4}


def _draw(name: str, theme: str = "light") -> tuple[Any, str]:
    function = registry.REGISTRY[name].function
    accepted = inspect.signature(function).parameters
    return function(theme=theme, **{k: v for k, v in FEW.items() if k in accepted})


OWN_FIGURES = sorted(
    name
    for name, spec in registry.REGISTRY.items()
    if spec.function.__module__ == registry.__name__
)


def test_figure_registry_holds_the_course_figures() -> None:
    assert {"value_vs_split", "best_split_by_context", "exhaustion_by_person"} <= set(OWN_FIGURES)
    assert len(OWN_FIGURES) == 10


@pytest.mark.parametrize("name", OWN_FIGURES)
def test_figure_alt_text_states_its_data_and_no_band_goes_below_zero(name: str) -> None:
    fig, alt = _draw(name, "dark")
    try:
        assert alt.strip() and len(NUMBER.findall(alt)) >= 3, alt
        # the data it was drawn from: its scenario or policy, and how many runs
        assert re.search(r"scenario '\w+'|contexts", alt), alt
        assert re.search(r"\b\d+ runs|one run each|replications go from", alt), alt
        for ax in fig.axes:
            if ax.get_label() == "<colorbar>":
                continue
            assert ax.get_ylim()[0] >= 0.0, (name, ax.get_ylim())
            for band in ax.collections:  # fill_between bands (scatter markers are not data)
                if isinstance(band, PolyCollection):
                    for path in band.get_paths():
                        if len(path.vertices):
                            assert path.vertices[:, 1].min() >= -1e-9, name
    finally:
        registry.close(fig)


def test_figure_context_peaks_are_stated_with_what_cannot_be_told_apart() -> None:
    fig, alt = _draw("best_split_by_context")
    registry.close(fig)
    for context in registry.CONTEXTS:
        assert f"{context}: the highest mean is at share" in alt
    # each context ends either naming its ties or saying every other share is lower
    assert alt.count("cannot be told apart from share") + alt.count("each of the other") == 3
    assert re.search(r"the ranges overlap|lies to the (right|left) of", alt)


def test_figure_peak_exhaustion_axis_shows_its_whole_range() -> None:
    fig, _ = _draw("deadline_effects")
    try:
        bottom, top = fig.axes[2].get_ylim()
        assert bottom == 0.0 and top >= 1.0
    finally:
        registry.close(fig)


# --- in the built site -------------------------------------------------------------------------


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.images.append({k: v or "" for k, v in attrs})


def _figure_images(site_dir: Path, page: str) -> list[dict[str, str]]:
    parser = _Images()
    parser.feed((site_dir / f"{page}.html").read_text(encoding="utf-8"))
    return [i for i in parser.images if "/figures/" in "/" + i.get("src", "")]


MODULE_PAGES = [
    "modules/01-two-mountains",
    "modules/02-experimentation",
    "modules/03-mlops",
    "modules/04-deadlines-burnout",
    "modules/05-balancing",
    "modules/06-research",
]


@pytest.mark.parametrize("page", MODULE_PAGES)
def test_built_figure_alt_texts_state_data_in_both_palettes(site_dir: Path, page: str) -> None:
    images = _figure_images(site_dir, page)
    assert images, f"{page}: no build-time figures"
    for image in images:
        assert image["alt"].strip() and len(NUMBER.findall(image["alt"])) >= 3, image
        src = image["src"].split("#")[0]
        assert (site_dir / Path(page).parent / src).resolve().is_file(), src
    assert {"#only-light" in i["src"] for i in images} == {True, False}  # both palettes


def test_built_figure_module_5_states_its_peaks_with_their_intervals(site_dir: Path) -> None:
    alts = [i["alt"] for i in _figure_images(site_dir, "modules/05-balancing")]
    context = next(a for a in alts if "contexts" in a)
    assert "95% CI" in context and "peaks at 0.0" not in context
