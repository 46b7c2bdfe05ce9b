"""Fixtures for the explorer's browser tests: a small built site, a local server, Chromium.

The small site uses the project's theme settings, stylesheet, the explorer hook and the directives
hook, but only the explorer's own page, a module-like page embedding a compact explorer and a page
opening with a prediction, so these tests neither
depend on nor wait for every lab notebook of the full site.

Every request the browser makes to a host other than 127.0.0.1 is aborted and recorded, so a test
can assert that the explorer fetched nothing from outside the site's origin.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]

CONFIG = """\
site_name: Two Mountains explorer test
site_url: http://127.0.0.1:8000/
use_directory_urls: false
docs_dir: docs
hooks:
  - {hook}
  - {directives}
theme:
  name: material
  font: false
  # As in mkdocs.yml: the tabs and header decide how much of a laptop screen the explorer gets.
  features:
    - navigation.tabs
    - navigation.sections
    - navigation.top
    - navigation.footer
    - navigation.indexes
    - toc.follow
  favicon: assets/favicon.svg
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      primary: custom
      accent: custom
      toggle:
        icon: material/weather-night
        name: Switch to dark mode
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      primary: custom
      accent: custom
      toggle:
        icon: material/weather-sunny
        name: Switch to light mode
extra_css:
  - stylesheets/extra.css
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc
nav:
  - Home: index.md
  - Explorer: explorer/index.md
  - Module: module.md
  - Prediction: predict.md
"""

MODULE_PAGE = """\
# A module page with an embedded explorer

<div class="tm-explorer" data-compact data-params="team_size,deadline_weeks" data-policy="crunch"></div>
"""


PREDICTION_PAGE = """\
# A module page that opens with a prediction

{{ prediction("what-crunch-buys") }}
"""


def build_site(workdir: Path, runtime: bool = True) -> Path:
    """Build the small site in ``workdir`` and return its site folder.

    With ``runtime=False`` the hook is told to leave Pyodide out (as on a machine without npm).
    """
    docs = workdir / "docs"
    shutil.copytree(ROOT / "docs" / "explorer", docs / "explorer")
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets")
    shutil.copytree(ROOT / "docs" / "stylesheets", docs / "stylesheets")
    (docs / "index.md").write_text("# Home\n\nSee the [explorer](explorer/index.md).\n")
    (docs / "module.md").write_text(MODULE_PAGE)
    (docs / "predict.md").write_text(PREDICTION_PAGE)
    config = workdir / "mkdocs.yml"
    hooks = ROOT / "hooks"
    config.write_text(CONFIG.format(hook=hooks / "explorer.py", directives=hooks / "directives.py"))
    site = workdir / "site"
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
        check=True,
        cwd=workdir,
        env={
            **os.environ,
            "NO_MKDOCS_2_WARNING": "1",
            "TWOMOUNTAINS_EXPLORER": "1" if runtime else "0",
        },
    )
    return site


@pytest.fixture(scope="session")
def explorer_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed: the explorer's Python runtime cannot be obtained")
    site = build_site(tmp_path_factory.mktemp("explorer-site"))
    manifest = site / "explorer" / "manifest.json"
    if '"available": true' not in manifest.read_text():
        pytest.fail(f"the explorer runtime was not installed: {manifest.read_text()[-400:]}")
    return site


@pytest.fixture(scope="session")
def site_url(explorer_site: Path, serve_static: Any) -> Iterator[str]:
    with serve_static(explorer_site) as url:
        yield url.rstrip("/")


class Watch:
    """What a page did: every request URL, the ones blocked, console errors and page errors."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.errors: list[str] = []

    def outside(self) -> list[str]:
        return [u for u in self.requests if urlsplit(u).hostname != "127.0.0.1"]


@pytest.fixture()
def page(chromium_browser: Any) -> Iterator[Any]:
    """A fresh page (own context, so nothing is cached between tests), 1280 px wide."""
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(90_000)
    yield page
    context.close()


@pytest.fixture()
def watch(page: Any) -> Watch:
    """Block every host but 127.0.0.1 and record requests and errors of ``page``."""
    seen = Watch()

    def route(route: Any) -> None:
        url = route.request.url
        if urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            seen.blocked.append(url)
            route.abort()

    page.context.route("**/*", route)
    page.on("request", lambda r: seen.requests.append(r.url))
    page.on("console", lambda m: seen.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen.errors.append(str(e)))
    return seen


@pytest.fixture(scope="session")
def bare_site_url(tmp_path_factory: pytest.TempPathFactory, serve_static: Any) -> Iterator[str]:
    """The same small site built without the Python runtime (as on a machine without npm)."""
    with serve_static(build_site(tmp_path_factory.mktemp("explorer-bare"), runtime=False)) as url:
        yield url.rstrip("/")
