"""The model description and calibration pages: generated from the package, complete, accessible.

Most tests read a built site (the session's strict build, or ``TWOMOUNTAINS_SITE_DIR``); the unit
tests at the end load the hooks directly.
"""

from __future__ import annotations

import html as html_lib
import importlib.metadata
import importlib.util
import platform
import re
from pathlib import Path

import pytest
from hook_loading import load_hook
from mkdocs.exceptions import PluginError

import twomountains as tm
from twomountains import calibration

ROOT = Path(__file__).resolve().parents[2]
DIAGRAM = ROOT / "docs" / "assets" / "process-flow.svg"


def _page(site_dir: Path, path: str) -> str:
    text = (site_dir / path).read_text(encoding="utf-8")
    text = text.replace("<wbr>", "")  # break points in identifiers (hooks/site_content.py)
    return re.sub(r'<span class="tm-nobr">([^<]*)</span>', r"\1", text)


def _cells(row: str) -> list[str]:
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)
    return [html_lib.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells]


def _rows(page: str) -> list[list[str]]:
    return [_cells(row) for row in re.findall(r"<tr>(.*?)</tr>", page, re.DOTALL)]


# --- the model description -----------------------------------------------------------------------


def test_the_versions_shown_are_the_installed_ones(site_dir: Path) -> None:
    page = _page(site_dir, "researchers/model.html")
    shown = {cells[0]: cells[1] for cells in _rows(page) if len(cells) == 3}
    assert shown.get("Python") == platform.python_version()
    for dist in ("simpy", "twomountains", "numpy", "scipy"):
        assert shown.get(dist) == importlib.metadata.version(dist), dist
    assert shown["twomountains"] == tm.__version__


def test_every_switch_is_named_in_the_description_not_only_the_table(site_dir: Path) -> None:
    page = _page(site_dir, "researchers/model.html")
    prose = page.split('id="33-input-parameters"')[0]  # the generated parameter table follows
    switches = [p.name for p in tm.Scenario.parameters() if p.name.startswith("enable_")]
    assert switches
    missing = [name for name in switches if f"<code>{name}</code>" not in prose]
    assert not missing, f"switches not described on the model page: {missing}"


def test_the_parameter_table_says_each_parameters_basis(site_dir: Path) -> None:
    page = _page(site_dir, "researchers/model.html")
    rows = {cells[0]: cells for cells in _rows(page) if len(cells) == 6}
    targets = {t.name for t in calibration.TARGETS}
    for p in tm.Scenario.parameters():
        basis = rows[p.name][-1]
        if p.basis == "calibrated":
            target = basis.removeprefix("calibrated to ").strip()
            assert target in targets, (p.name, basis)
            assert f"Calibrated to target {target}" in p.source
        else:
            assert basis == p.basis, (p.name, basis)


def test_the_diagram_exists_in_both_palettes_with_its_description_as_alt(site_dir: Path) -> None:
    svg = DIAGRAM.read_text(encoding="utf-8")
    assert len(re.findall(r"<text\b", svg)) > 20, "the diagram's words must be real text"
    desc = " ".join(re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.DOTALL)[1].split())  # type: ignore[index]
    page = _page(site_dir, "researchers/model.html")
    images = re.findall(r"<img[^>]*>", page)
    for variant in ("process-flow.svg#only-light", "process-flow-dark.svg#only-dark"):
        (img,) = [i for i in images if variant in i]
        alt = html_lib.unescape(re.search(r'alt="([^"]*)"', img)[1])  # type: ignore[index]
        assert alt == desc
    dark = (site_dir / "assets" / "process-flow-dark.svg").read_text(encoding="utf-8")
    light_colours = set(re.findall(r"#[0-9a-f]{6}", svg.lower()))
    assert light_colours and not light_colours & set(re.findall(r"#[0-9a-f]{6}", dark.lower()))
    assert (site_dir / "assets" / "process-flow.svg").read_text(encoding="utf-8") == svg


def test_the_model_page_names_the_generator_and_the_streams(site_dir: Path) -> None:
    page = _page(site_dir, "researchers/model.html")
    assert "Mersenne Twister" in page and "SHA-256" in page
    source = (ROOT / "sim" / "twomountains" / "model.py").read_text(encoding="utf-8")
    for name in re.findall(r'stream\((?:self\.)?seed, "([^"]+)"\)', source):
        assert f"<code>{name}</code>" in page, name


# --- the calibration page -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def calibration_rows() -> list[dict]:
    return calibration.check(reps=calibration.DEFAULT_REPS)


def test_the_calibration_table_lists_every_target_with_the_packages_numbers(
    site_dir: Path, calibration_rows: list[dict]
) -> None:
    page = _page(site_dir, "research/calibration.html")
    overview = {cells[0]: cells for cells in _rows(page) if len(cells) == 5}
    for row in calibration_rows:
        cells = overview[row["name"]]
        assert cells[2] == f"{row['target_low']:.3g} to {row['target_high']:.3g}"
        model = f"{row['model']:.3g} [{row['model_low']:.3g}, {row['model_high']:.3g}]"
        assert cells[3] == model
        assert cells[4] == ("yes" if row["within"] else "no")
        assert f'id="{row["name"]}"' in page, f"no section for target {row['name']}"
    assert set(overview) >= {t.name for t in calibration.TARGETS}


def test_the_calibration_figure_has_both_palettes_and_alt_text_from_the_data(
    site_dir: Path, calibration_rows: list[dict]
) -> None:
    page = _page(site_dir, "research/calibration.html")
    images = [i for i in re.findall(r"<img[^>]*>", page) if "calibration_targets-" in i]
    assert len(images) == 2
    for img in images:
        src = re.search(r'src="([^"#]+)', img)[1]  # type: ignore[index]
        assert (site_dir / "research" / src).resolve().is_file()
        alt = html_lib.unescape(re.search(r'alt="([^"]*)"', img)[1])  # type: ignore[index]
        for row in calibration_rows:
            assert f"{row['name']} {row['model']:.3g} " in alt


# --- the hooks, without a build -------------------------------------------------------------------


def test_the_dark_diagram_refuses_a_colour_without_a_twin() -> None:
    model_page = load_hook("model_page")
    svg = DIAGRAM.read_text(encoding="utf-8")
    assert "#1e2129" in model_page.dark_variant(svg)
    with pytest.raises(PluginError, match="no dark twin"):
        model_page.dark_variant(svg.replace("#5a5a5a", "#123456"))
    with pytest.raises(PluginError, match="use the style sheet"):
        model_page.dark_variant(svg.replace("<rect ", '<rect fill="#000000" ', 1))


def test_constants_and_streams_come_from_the_code() -> None:
    from twomountains import mechanisms

    model_page = load_hook("model_page")
    constants = model_page.all_constants()
    assert constants["MAX_DAY_HOURS"][1] == mechanisms.MAX_DAY_HOURS
    assert model_page.constant("MIN_PLANNING_WEEKS", "page.md") == "0.2"
    assert model_page.clock("START_HOUR", "page.md") == "09:00"
    with pytest.raises(PluginError, match="unknown"):
        model_page.constant("NOT_A_CONSTANT", "page.md")
    assert "signals/<pid>/<i>" in model_page.stream_names()


def test_a_parameter_calibrated_to_an_unknown_target_fails_the_build(monkeypatch) -> None:
    calibration_page = load_hook("calibration_page")
    assert calibration_page.target_of("Calibrated to target burnout_normal (x)") == "burnout_normal"
    assert [t for _, t in calibration_page.calibrated_parameters()]
    fake = tm.Scenario.parameters()[0]._replace(source="Calibrated to target no_such_target")
    monkeypatch.setattr(tm.Scenario, "parameters", classmethod(lambda cls: (fake,)))
    with pytest.raises(PluginError, match="names no calibration target"):
        calibration_page.calibrated_parameters()
