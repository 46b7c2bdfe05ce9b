"""The live explorer in headless Chromium: same KPIs as CPython, reruns, shared links, offline.

Every test runs with every host but 127.0.0.1 blocked (see ``conftest.watch``) and checks that the
page asked for nothing outside it and logged no error.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import shlex
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

import twomountains as tm
from twomountains.cli import main as cli_main

pytestmark = pytest.mark.browser

EXPLORER = "/explorer/index.html"
STATE = "window.twomountainsExplorer"


def cpython_kpis(result: dict[str, Any]) -> dict[str, float]:
    """KPIs of the same scenario, policy and seed, run by this CPython."""
    scenario = tm.Scenario.from_dict(result["scenario"])
    return tm.run(scenario, policy=result["policy"], seed=result["seed"]).kpis


def assert_same_kpis(page_kpis: dict[str, float], expected: dict[str, float]) -> None:
    assert set(page_kpis) == set(expected) == set(tm.KPI_NAMES)
    for name, value in expected.items():
        # WebAssembly's libm may differ from the host's in the last bit of exp/log.
        assert math.isclose(page_kpis[name], value, rel_tol=1e-9, abs_tol=1e-9), name


def wait_for_runs(page: Any, count: int) -> dict[str, Any]:
    page.wait_for_function(f"{STATE} && ({STATE}.runs >= {count} || {STATE}.error)")
    error = page.evaluate(f"{STATE}.error")
    assert error is None, f"the explorer could not run: {error}"
    return page.evaluate(f"{STATE}.lastResult")


def assert_clean(watch: Any) -> None:
    assert watch.outside() == [], "requests outside 127.0.0.1"
    assert watch.blocked == []
    assert watch.errors == []


def test_default_run_matches_cpython(page: Any, watch: Any, site_url: str) -> None:
    page.goto(site_url + EXPLORER)
    result = wait_for_runs(page, 1)
    assert result["scenario"] == tm.Scenario().to_dict()
    assert result["policy"] == "fixed:0.4"
    assert result["seed"] == 0
    expected = cpython_kpis(result)
    assert_same_kpis(result["kpis"], expected)
    # the full table is collapsed under the headline tiles: its text is there, folded
    shown = page.locator('tr[data-kpi="projects_shipped"] td').first.text_content()
    assert shown == str(int(expected["projects_shipped"]))
    tile = page.locator('.tm-headline [data-kpi="projects_shipped"] dd').inner_text()
    assert tile == shown
    # The three charts, each an image with a text alternative that quotes the data.
    charts = page.locator("svg[role=img]")
    assert charts.count() == 3
    desc = page.locator("svg[role=img] desc").first.text_content() or ""
    assert f"{round(expected['value_delivered']):,}" in desc
    # The worker, the Pyodide files and both wheels came from the site itself.
    fetched = " ".join(watch.requests)
    for name in ("worker.js", "pyodide.asm.wasm", "python_stdlib.zip", "twomountains-", "simpy-"):
        assert name in fetched
    assert_clean(watch)


def test_slider_rerun_updates_result_and_url(page: Any, watch: Any, site_url: str) -> None:
    page.goto(site_url + EXPLORER)
    first = wait_for_runs(page, 1)
    slider = page.locator(".tm-explorer[data-url-state]").get_by_label("Team size")
    slider.focus()
    page.keyboard.press("ArrowRight")  # keyboard use: 6 -> 7 people
    result = wait_for_runs(page, 2)
    assert result["scenario"]["team_size"] == first["scenario"]["team_size"] + 1 == 7
    assert result["kpis"] != first["kpis"]
    assert_same_kpis(result["kpis"], cpython_kpis(result))
    assert parse_qs(urlsplit(page.url).query) == {"team_size": ["7"]}
    assert_clean(watch)


def test_shared_link_restores_settings_and_comparison(page: Any, watch: Any, site_url: str) -> None:
    query = "team_size=4&deadline_weeks=7.5&good_value=12&policy=crunch&seed=3&vs=policy%3Dadaptive"
    page.goto(f"{site_url}{EXPLORER}?{query}")
    result = wait_for_runs(page, 1)
    assert result["policy"] == "crunch" and result["seed"] == 3
    assert result["changes"] == {"team_size": 4, "deadline_weeks": 7.5, "good_value": 12.0}
    assert_same_kpis(result["kpis"], cpython_kpis(result))
    compared = page.evaluate(f"{STATE}.compareResult")
    assert compared["policy"] == "adaptive" and compared["seed"] == 3
    assert compared["changes"] == {}
    assert_same_kpis(compared["kpis"], cpython_kpis(compared))
    # The controls show the restored settings, and the parameter without a slider is listed.
    main = page.locator(".tm-explorer[data-url-state]")
    assert main.get_by_label("Team size").input_value() == "4"
    assert main.get_by_label("Policy").input_value() == "crunch"
    assert "good_value = 12" in main.locator(".tm-extra").inner_text()
    # Comparison: the value chart overlays both runs, the other charts come in pairs.
    assert main.locator("svg[role=img]").count() == 5
    assert page.locator(".tm-line-b").count() == 1
    assert_clean(watch)


def test_copied_command_and_python_give_the_same_kpis(page: Any, watch: Any, site_url: str) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(
        f"{site_url}{EXPLORER}?mirage_share=0.5&candidates_per_project=6&policy=fixed:0.25&seed=5"
    )
    result = wait_for_runs(page, 1)
    page.get_by_role("button", name="Copy command").click()
    command = page.evaluate("navigator.clipboard.readText()")
    argv = shlex.split(command)
    assert argv[:2] == ["twomountains", "run"]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli_main([*argv[1:], "--json"]) in (0, None)
    assert_same_kpis(result["kpis"], json.loads(out.getvalue())["kpis"])
    page.get_by_role("button", name="Copy Python").click()
    snippet = page.evaluate("navigator.clipboard.readText()")
    namespace: dict[str, Any] = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(snippet, namespace)  # the snippet the page offers is meant to be run as is
    assert_same_kpis(result["kpis"], namespace["result"].kpis)
    assert_clean(watch)


def test_compact_embed_runs_on_request(page: Any, watch: Any, site_url: str) -> None:
    page.goto(site_url + "/module.html")
    embed = page.locator(".tm-explorer[data-compact]")
    # the embed builds its controls once the script has run: wait for them rather than race
    expect(embed.get_by_role("slider")).to_have_count(3)  # team_size, deadline_weeks, share
    assert page.evaluate(f"{STATE}.runs") == 0  # no download before the reader asks
    assert not [u for u in watch.requests if "pyodide" in u]
    embed.get_by_label("Weeks to each deadline").fill("6")
    embed.get_by_role("button", name="Run").click()
    result = wait_for_runs(page, 1)
    assert result["policy"] == "crunch" and result["changes"] == {"deadline_weeks": 6.0}
    assert_same_kpis(result["kpis"], cpython_kpis(result))
    link = embed.get_by_role("link", name="Open these settings in the full explorer")
    assert link.get_attribute("href").endswith("explorer/index.html?deadline_weeks=6&policy=crunch")
    assert_clean(watch)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_accessibility_violations(page: Any, watch: Any, site_url: str, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.emulate_media(color_scheme=scheme)
    page.goto(f"{site_url}{EXPLORER}?vs=policy%3Dadaptive")
    wait_for_runs(page, 1)
    expected = "slate" if scheme == "dark" else "default"
    assert page.locator("body").get_attribute("data-md-color-scheme") == expected
    # The explorers only: the rest of the page is the site's, checked by tests/site.
    results = Axe().run(
        page,
        context=".tm-explorer",
        options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}},
    )
    violations = [
        (v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]
    ]
    assert violations == []
    assert_clean(watch)


def test_page_without_runtime_says_so_and_shows_the_command(
    page: Any, watch: Any, bare_site_url: str
) -> None:
    page.goto(f"{bare_site_url}{EXPLORER}?team_size=9")
    status = page.locator(".tm-status").first
    status.get_by_text("The live explorer cannot run here").wait_for()
    assert "TWOMOUNTAINS_EXPLORER=0" in status.inner_text()
    assert "twomountains run --policy fixed:0.4 --seed 0 --set team_size=9" in status.inner_text()
    assert_clean(watch)


def test_results_are_visible_beside_the_controls_on_a_laptop_screen(
    page: Any, watch: Any, site_url: str
) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site_url + EXPLORER)
    wait_for_runs(page, 1)
    assert page.evaluate("window.scrollY") == 0
    main = page.locator(".tm-explorer[data-url-state]")
    seen = {
        "headline": main.locator(".tm-headline"),
        "value chart": main.locator("figure.tm-chart").first,
        "first slider": main.get_by_label("Team size"),
    }
    for what, locator in seen.items():
        box = locator.bounding_box()
        assert box is not None, what
        assert box["y"] >= 0 and box["y"] + box["height"] <= 800, f"{what} is not on screen: {box}"
    # beside: the results start level with the controls, to their right
    controls = main.locator(".tm-controls").bounding_box()
    output = main.locator(".tm-output").bounding_box()
    assert output["x"] >= controls["x"] + controls["width"] - 1
    assert abs(output["y"] - controls["y"]) < 5
    # every measure is a click away, not in the way
    table = main.locator("details.tm-all-kpis")
    assert table.get_attribute("open") is None
    table.locator("summary").click()
    label = main.locator('tr[data-kpi="mlops_hours"] th').inner_text()
    assert label == "MLOps hours"
    assert_clean(watch)


PREDICTION = "/predict.html"
GUESS_KEY = "twomountains:prediction:what-crunch-buys"


def test_prediction_commit_is_stored_and_shown_beside_the_result(
    page: Any, watch: Any, site_url: str
) -> None:
    page.goto(site_url + PREDICTION)
    box = page.locator(".tm-prediction")
    reveal = box.locator(".tm-explorer")
    status = box.locator(".tm-predict-status")
    expect(status).to_contain_text("commit")
    assert reveal.is_hidden()  # no peeking before a guess
    box.get_by_role("button", name="Commit my guess").click()
    expect(status).to_contain_text("Choose one of the answers first")
    assert reveal.is_hidden()
    # by keyboard: focus the first answer, move to the second, commit
    box.get_by_role("radio").first.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    guess = "Fixed split 0.4 (the default)"
    expect(status).to_contain_text(f"Your committed guess: {guess}")
    stored = json.loads(page.evaluate(f"localStorage.getItem({GUESS_KEY!r})"))
    assert stored["option"] == 1 and stored["label"] == guess
    expect(reveal).to_be_visible()
    assert page.evaluate(f"{STATE}.sweeps") == 0  # nothing ran by itself

    reveal.get_by_role("button", name="Run the model and compare with my guess").click()
    page.wait_for_function(f"{STATE}.sweeps >= 1 || {STATE}.error")
    assert page.evaluate(f"{STATE}.error") is None
    sweep = page.evaluate(f"{STATE}.lastSweep")
    # the same runs in CPython: crunch and fixed:0.4, seeds 0-2, mean value delivered
    means = [
        sum(tm.run(tm.Scenario(), policy=policy, seed=s).kpis["value_delivered"] for s in range(3))
        / 3
        for policy in ("crunch", "fixed:0.4")
    ]
    for shown, expected in zip(sweep["stats"], means, strict=True):
        assert math.isclose(shown["mean"], expected, rel_tol=1e-9)
    best = 0 if means[0] > means[1] else 1
    assert sweep["guess"] == 1 and sweep["best"] == best
    labels = ["Crunch", guess]
    assert reveal.locator(".tm-verdict-guess .tm-verdict-main").inner_text() == guess
    assert reveal.locator(".tm-verdict-model .tm-verdict-main").inner_text() == labels[best]
    assert f"Your guess: {guess}" in (reveal.locator("svg desc").text_content() or "")

    # the guess survives a reload
    page.reload()
    expect(status).to_contain_text(f"Your committed guess: {guess}")
    assert box.get_by_role("radio", name=guess).is_checked()
    assert_clean(watch)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_prediction_is_accessible_before_and_after_the_reveal(
    page: Any, watch: Any, site_url: str, scheme: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    def violations() -> list[Any]:
        results = Axe().run(
            page,
            context=".tm-prediction",
            options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}},
        )
        return [
            (v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]
        ]

    page.emulate_media(color_scheme=scheme)
    page.goto(site_url + PREDICTION)
    assert violations() == []
    page.get_by_role("radio", name="Crunch").check()
    page.get_by_role("button", name="Commit my guess").click()
    page.get_by_role("button", name="Run the model and compare with my guess").click()
    page.wait_for_function(f"{STATE}.sweeps >= 1 || {STATE}.error")
    assert violations() == []
    assert_clean(watch)
