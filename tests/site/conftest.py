"""Fixtures for the course-site tests: one strict build, one local server, one browser, one tour.

The site is built once per session with ``mkdocs build --strict`` into a temporary folder and
served on 127.0.0.1 (an ephemeral port) by a ThreadingHTTPServer. Browser tests drive Debian's
Chromium through Playwright; they are skipped, with the reason, when Chromium is not installed.
Every page of the sitemap is visited once (``page_reports``) and what was seen there (console
errors, requests, axe violations, images) is shared by the tests that assert on it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The site_url of mkdocs.yml: the sitemap lists pages under it.
SITE_URL = "http://127.0.0.1:8000/"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Build the site with --strict (notebooks executed, no cache); return (folder, build log).

    ``TWOMOUNTAINS_SITE_DIR=path`` tests an existing build instead (for iterating on these tests;
    the build-log test is then skipped).
    """
    prebuilt = os.environ.get("TWOMOUNTAINS_SITE_DIR")
    if prebuilt:
        return Path(prebuilt), ""
    out = tmp_path_factory.mktemp("site")
    mkdocs = Path(sys.executable).parent / "mkdocs"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", TWOMOUNTAINS_FRESH="1")
    env.pop("TWOMOUNTAINS_NB_CACHE", None)
    proc = subprocess.run(
        [str(mkdocs), "build", "--strict", "--clean", "--site-dir", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    log = proc.stdout + proc.stderr
    if proc.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed (exit {proc.returncode}):\n{log[-6000:]}")
    return out, log


@pytest.fixture(scope="session")
def site_dir(built_site: tuple[Path, str]) -> Path:
    return built_site[0]


@pytest.fixture(scope="session")
def server(site_dir: Path, serve_static: Any) -> Iterator[str]:
    """The built site served over HTTP on 127.0.0.1; yields its base URL (ends with '/')."""
    with serve_static(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def sitemap_paths(site_dir: Path) -> list[str]:
    """Paths (relative to the site root) of every page listed in sitemap.xml."""
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [el.text or "" for el in ET.parse(site_dir / "sitemap.xml").findall(".//s:loc", ns)]
    paths = []
    for loc in locs:
        assert loc.startswith(SITE_URL), f"sitemap entry outside site_url: {loc}"
        paths.append(loc[len(SITE_URL) :])
    return paths


@pytest.fixture
def site_page(chromium_browser: Any) -> Iterator[Any]:
    context = chromium_browser.new_context(
        accept_downloads=True, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    yield page
    context.close()


@dataclass
class PageReport:
    path: str
    status: int | None = None
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    axe_violations: list[dict[str, Any]] = field(default_factory=list)
    images: list[dict[str, str]] = field(default_factory=list)


def _tour(browser: Any, base: str, paths: list[str], scheme: str) -> dict[str, PageReport]:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        color_scheme="dark" if scheme == "slate" else "light",
    )
    page = context.new_page()
    reports: dict[str, PageReport] = {}
    current: list[PageReport] = []
    page.on("request", lambda r: current[-1].requests.append(r.url))
    page.on(
        "console",
        lambda m: current[-1].console_errors.append(m.text) if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: current[-1].console_errors.append(f"uncaught: {e}"))
    for path in paths:
        report = PageReport(path)
        current.append(report)
        response = page.goto(base + path, wait_until="load")
        report.status = response.status if response else None
        page.wait_for_load_state("networkidle")
        results = axe.run(
            page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}}
        )
        report.axe_violations = results.response["violations"]
        report.images = page.eval_on_selector_all(
            "img",
            "els => els.map(e => ({src: e.getAttribute('src') || '', alt: e.getAttribute('alt')}))",
        )
        reports[path] = report
    context.close()
    return reports


@pytest.fixture(scope="module")
def page_reports(
    chromium_browser: Any, server: str, sitemap_paths: list[str]
) -> dict[str, PageReport]:
    """Visit every sitemap page once in the light palette and record what happened."""
    return _tour(chromium_browser, server, sitemap_paths, "default")


def _one_page_per_kind(paths: list[str]) -> list[str]:
    """Home, the first page of each section and each kind of page (module, lab, API, tables)."""
    chosen: dict[str, str] = {}
    for path in paths:
        kind = path.split("/")[0] if "/" in path else path
        if path.startswith("labs/0"):
            kind = "lab"
        chosen.setdefault(kind, path)
    extras = [
        "researchers/model.html",
        "researchers/explorer.html",
        "reference/cli.html",
        "modules/01-two-mountains.html",
        "modules/05-balancing.html",
        "instructors/index.html",
    ]
    return sorted(set(chosen.values()) | {p for p in extras if p in paths})


@pytest.fixture(scope="module")
def dark_page_reports(
    chromium_browser: Any, server: str, sitemap_paths: list[str]
) -> dict[str, PageReport]:
    """One page of each kind with the system preferring dark (Material's slate palette)."""
    return _tour(chromium_browser, server, _one_page_per_kind(sitemap_paths), "slate")
