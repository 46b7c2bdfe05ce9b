"""The course site: strict build, offline and private, accessible, navigable, links intact.

Runs against a fresh ``mkdocs build --strict`` (labs executed) served on 127.0.0.1; see conftest.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import warnings
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import nbformat
import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_NB_ALT = "No description has been provided for this image"
# The build log's lines from the lab kernels' tornado logger (ipykernel sets its format).
KERNEL_TORNADO_ERROR = "ERROR:tornado."
LABS = sorted(p.name for p in (ROOT / "labs").glob("[0-9]*.ipynb"))


def _same_origin(url: str, base: str) -> bool:
    return url.startswith(base) or url.startswith(("data:", "blob:"))


# --- the build -----------------------------------------------------------------------------------


def test_strict_build_has_no_warnings(built_site: tuple[Path, str]) -> None:
    _, log = built_site
    if not log:
        pytest.skip("testing a prebuilt site (TWOMOUNTAINS_SITE_DIR): no build log")
    # The lab kernels share the build's stderr, and ipykernel now and then logs one of its ZMQ
    # socket races there ("Uncaught exception in ZMQStream callback": seen once in CI,
    # not reproduced in 46 kernel runs here). A cell error fails the build itself and the page
    # tests check that each lab shows executed output, so such a line is shown, not failed on.
    lines = log.splitlines()
    kernel_errors = [line for line in lines if line.startswith(KERNEL_TORNADO_ERROR)]
    problems = [
        line
        for line in lines
        if line.startswith(("WARNING", "ERROR")) and not line.startswith(KERNEL_TORNADO_ERROR)
    ]
    assert not problems, "\n".join(problems)
    if kernel_errors:
        warnings.warn("lab kernels logged: " + "; ".join(kernel_errors), stacklevel=1)


def test_every_lab_is_a_page_with_its_notebook(site_dir: Path) -> None:
    assert LABS, "no lab notebooks in labs/"
    for name in LABS:
        stem = name.removesuffix(".ipynb")
        html = (site_dir / "labs" / f"{stem}.html").read_text(encoding="utf-8")
        assert 'class="jupyter-wrapper"' in html, f"{name} was not rendered by mkdocs-jupyter"
        assert "jp-OutputArea-output" in html, f"{name} shows no executed output"
        assert (site_dir / "labs" / name).is_file(), f"{name} is not offered for download"


def test_a_lab_links_to_the_labs_it_builds_on_as_pages(site_dir: Path) -> None:
    # in Jupyter a lab links to "01-first-climb.ipynb"; on the site that must open the lab's page
    linked = 0
    for name in LABS:
        html = (site_dir / "labs" / f"{name.removesuffix('.ipynb')}.html").read_text("utf-8")
        for other in LABS:
            if other != name:
                assert f'href="{other}"' not in html, f"{name} links to the download of {other}"
                linked += f'href="{other.removesuffix(".ipynb")}.html"' in html
    assert linked >= len(LABS) - 1  # every lab but the first names a prerequisite


def _tags(cell: Any) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _count(nb: Any, tag: str) -> int:
    return sum(tag in _tags(c) for c in nb.cells)


def test_lab_versions_learner_handout_instructor(site_dir: Path) -> None:
    """The page's download is the learner version; the hand-out and instructor version besides.

    All three come from the same build (labs/ may have been edited since), so they are compared
    with one another: the instructor version holds every solution and note of the source.
    """
    for name in LABS:
        learner = nbformat.read(site_dir / "labs" / name, as_version=4)
        handout = nbformat.read(site_dir / "downloads" / "handout" / name, as_version=4)
        instructor = nbformat.read(site_dir / "downloads" / "instructor" / name, as_version=4)
        for nb in (learner, handout, instructor):
            nbformat.validate(nb)
        assert _count(learner, "instructor") == 0, name
        assert _count(learner, "solution") == _count(instructor, "solution") > 0, name
        collapsed = [
            c.source.startswith("<details>") for c in learner.cells if "solution" in _tags(c)
        ]
        assert all(collapsed), f"{name}: a solution is not collapsed in the learner version"
        assert _count(handout, "instructor") == _count(handout, "solution") == 0, name
        assert _count(instructor, "instructor") > 0, name


def _plain(html_text: str) -> str:
    import html

    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", html_text)).split())


def test_lab_pages_show_no_instructor_notes_and_keep_solutions_collapsed(site_dir: Path) -> None:
    checked = 0
    for name in LABS:
        page = (site_dir / "labs" / f"{name.removesuffix('.ipynb')}.html").read_text("utf-8")
        text = _plain(page)
        assert "Instructor note" not in text, name
        assert "<details open" not in page, f"{name}: an open <details> on the learners' page"
        # the notes as this build had them (the instructor version keeps them all)
        notes = nbformat.read(site_dir / "downloads" / "instructor" / name, as_version=4)
        for cell in notes.cells:
            if "instructor" not in _tags(cell):
                continue
            body = re.sub(r"<summary>.*?</summary>|</?details[^>]*>", " ", cell.source)
            # runs of plain words (no Markdown markup), long enough to be the note's own
            for phrase in re.findall(r"[A-Za-z][A-Za-z ,]{40,}", body)[:5]:
                assert " ".join(phrase.split()) not in text, f"{name}: note text {phrase!r}"
                checked += 1
    assert checked, "no instructor-note text to look for"


def test_instructor_pages_link_the_handout_and_the_instructor_version(site_dir: Path) -> None:
    hrefs = set()
    for html in (site_dir / "instructors").rglob("*.html"):
        parser = _Anchors()
        parser.feed(html.read_text(encoding="utf-8"))
        base = html.parent.relative_to(site_dir).as_posix()
        hrefs |= {os.path.normpath(f"{base}/{h}") for h in parser.hrefs if "://" not in h}
    for name in LABS:
        for version in ("handout", "instructor"):
            assert f"downloads/{version}/{name}" in hrefs, f"no link to the {version} of {name}"


def test_sitemap_lists_every_page(site_dir: Path, sitemap_paths: list[str]) -> None:
    built = {
        p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html") if p.name != "404.html"
    }
    assert set(sitemap_paths) == built


def test_figures_are_generated_in_both_palettes(site_dir: Path) -> None:
    figures = sorted((site_dir / "figures").glob("*.png"))
    stems = Counter(p.name.rsplit("-", 1)[0] for p in figures)
    assert stems, "no generated figures"
    assert all(count == 2 for count in stems.values()), stems
    for p in figures:
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", p


def unbroken(html: str) -> str:
    """The page without the identifiers' break points and unbreakable parts (site_content.py)."""
    html = html.replace("<wbr>", "")
    return re.sub(r'<span class="tm-nobr">([^<]*)</span>', r"\1", html)


def test_parameter_table_lists_every_scenario_parameter(site_dir: Path) -> None:
    import twomountains as tm

    html = (site_dir / "researchers" / "model.html").read_text(encoding="utf-8")
    html = unbroken(html)  # break points in identifiers (hooks/site_content.py)
    for p in tm.Scenario.parameters():
        assert f"<code>{p.name}</code>" in html, f"parameter {p.name} missing from the table"


def test_cli_reference_lists_every_subcommand(site_dir: Path) -> None:
    from twomountains.cli import build_parser

    html = (site_dir / "reference" / "cli.html").read_text(encoding="utf-8")
    parser = build_parser()
    (subparsers,) = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    for name in subparsers.choices:
        assert f"<code>twomountains {name}</code>" in html, f"subcommand {name} not documented"


# --- in the browser ------------------------------------------------------------------------------


@pytest.mark.browser
def test_every_page_loads_without_console_errors(page_reports: dict[str, Any]) -> None:
    problems = {
        path: r.console_errors or f"HTTP {r.status}"
        for path, r in page_reports.items()
        if r.console_errors or r.status != 200
    }
    assert not problems, json.dumps(problems, indent=1)


@pytest.mark.browser
def test_no_request_leaves_the_site(page_reports: dict[str, Any], server: str) -> None:
    outside = {
        path: [u for u in r.requests if not _same_origin(u, server)]
        for path, r in page_reports.items()
    }
    outside = {k: v for k, v in outside.items() if v}
    assert not outside, json.dumps(outside, indent=1)
    assert sum(len(r.requests) for r in page_reports.values()) > len(page_reports)


def _axe_summary(reports: dict[str, Any]) -> dict[str, list[str]]:
    summary = {}
    for path, r in reports.items():
        if r.axe_violations:
            summary[path] = [
                f"{v['id']} ({len(v['nodes'])}x): {v['nodes'][0]['target']} "
                f"{v['nodes'][0].get('failureSummary', '')[:200]}"
                for v in r.axe_violations
            ]
    return summary


@pytest.mark.browser
def test_axe_finds_no_wcag_a_or_aa_violations(page_reports: dict[str, Any]) -> None:
    summary = _axe_summary(page_reports)
    assert not summary, json.dumps(summary, indent=1)


@pytest.mark.browser
def test_axe_finds_no_violations_in_the_dark_palette(dark_page_reports: dict[str, Any]) -> None:
    summary = _axe_summary(dark_page_reports)
    assert not summary, json.dumps(summary, indent=1)


@pytest.mark.browser
def test_every_image_has_real_alt_text(page_reports: dict[str, Any]) -> None:
    bad = {
        path: [
            img["src"][:80]
            for img in r.images
            if not (img["alt"] or "").strip() or img["alt"].strip() == DEFAULT_NB_ALT
        ]
        for path, r in page_reports.items()
    }
    bad = {k: v for k, v in bad.items() if v}
    assert not bad, json.dumps(bad, indent=1)
    assert any(r.images for r in page_reports.values()), "no images found at all"


def _lab_only_word(site_dir: Path) -> str:
    """A word that the search index holds for lab pages and for no other page.

    Only whole tokens count (split on the index's own separator, as the search engine does): a
    word found inside code such as ``message="IProgress`` is no token of its own. The engine also
    stems words ("interactions" finds "interaction"), so no other page may hold a word that starts
    with the same six letters.
    """
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    separator = index["config"]["separator"]
    words: dict[bool, set[str]] = {True: set(), False: set()}
    for doc in index["docs"]:
        text = re.sub(r"<[^>]+>", " ", doc["title"] + " " + doc["text"]).lower()
        tokens = {t for t in re.split(separator, text) if re.fullmatch(r"[a-z]{9,}", t)}
        words[doc["location"].startswith("labs/0")] |= tokens
    elsewhere = {word[:6] for word in words[False]}
    only = sorted(word for word in words[True] - words[False] if word[:6] not in elsewhere)
    assert only, "no word appears only in labs"
    return only[len(only) // 2]


@pytest.mark.browser
def test_search_finds_a_word_that_appears_only_in_a_lab(
    site_page: Any, server: str, site_dir: Path
) -> None:
    page = site_page
    word = _lab_only_word(site_dir)
    page.goto(server + "index.html")
    page.locator("input.md-search__input").click()
    # the search worker builds its index first (slow on a busy machine): type once it is ready
    meta = page.locator(".md-search-result__meta")
    expect(meta).not_to_contain_text("Initializing", timeout=90000)
    page.locator("input.md-search__input").press_sequentially(word, delay=30)
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=60000)
    hrefs = results.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert hrefs and all("labs/0" in h for h in hrefs), (word, hrefs)


@pytest.mark.browser
def test_navigation_reaches_every_route_and_a_lab(site_page: Any, server: str) -> None:
    page = site_page
    page.goto(server + "index.html")
    for route, target, heading in [
        ("Start the learner route", "learners/index.html", "The learner route"),
        ("Open the instructor guide", "instructors/index.html", "Instructor guide"),
        ("Read the model description", "researchers/index.html", "For researchers"),
    ]:
        page.get_by_role("link", name=route).click()
        page.wait_for_url(server + target)
        assert page.locator("h1").first.inner_text().strip().rstrip("¶") == heading
        page.go_back()
        page.wait_for_url(server + "index.html")
    page.goto(server + "learners/index.html")
    page.locator(".md-footer__link--next").click()
    page.wait_for_url(server + "learners/setup.html")
    page.goto(server + "labs/index.html")
    page.locator("article table a").first.click()
    page.wait_for_url(re.compile(r".*/labs/0\d-[^/]+\.html$"))
    page.locator(".jupyter-wrapper").first.wait_for(state="attached")
    assert page.locator(".jupyter-wrapper").count() == 1


@pytest.mark.browser
def test_notebook_download_is_a_valid_notebook(
    site_page: Any, server: str, site_dir: Path, tmp_path: Path
) -> None:
    page = site_page
    stem = LABS[0].removesuffix(".ipynb")
    page.goto(f"{server}labs/{stem}.html")
    with page.expect_download() as info:
        page.locator("a.tm-download").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name == LABS[0]
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    # the very file the build made (labs/ may have changed since), and the learner version
    assert path.read_bytes() == (site_dir / "labs" / LABS[0]).read_bytes()
    assert not any("instructor" in _tags(c) for c in nb.cells), "instructor notes downloaded"


# --- links ---------------------------------------------------------------------------------------


def test_linkchecker_finds_no_broken_internal_link(
    server: str, sitemap_paths: list[str], tmp_path: Path
) -> None:
    """LinkChecker over HTTP: every internal link (pages, assets, notebooks, figures) resolves.

    Its AnchorCheck plugin fetches and parses a page once per distinct anchor linked to it (it
    caches by URL including the fragment), which took over ten minutes on this site; anchors are
    checked by the next test instead. ``TWOMOUNTAINS_LINKCHECK_ANCHORS=1`` adds AnchorCheck here.
    """
    exe = Path(sys.executable).parent / "linkchecker"
    if not exe.exists():
        if shutil.which("linkchecker") is None:
            pytest.skip("linkchecker is not installed (pip install linkchecker)")
        exe = Path(shutil.which("linkchecker") or "linkchecker")
    config = "[filtering]\ncheckextern=0\nignore=\n  ^data:\n"
    if os.environ.get("TWOMOUNTAINS_LINKCHECK_ANCHORS") == "1":
        config += "\n[AnchorCheck]\n"
    (tmp_path / "linkcheckerrc").write_text(config, encoding="utf-8")
    proc = subprocess.run(
        [
            str(exe),
            "--config",
            str(tmp_path / "linkcheckerrc"),
            "--no-status",
            "--threads",
            "4",
            server,
        ],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    checked = re.search(r"(\d+) links? in (\d+) URLs? checked", proc.stdout)
    assert checked, proc.stdout[-2000:]
    assert int(checked[2]) >= len(sitemap_paths), "linkchecker did not reach every page"


class _Anchors(HTMLParser):
    """Collects the ids (and names) an HTML page defines and the hrefs it links to."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if values.get(key):
                self.ids.add(str(values[key]))
        if tag == "a" and values.get("href"):
            self.hrefs.append(str(values["href"]))


def test_every_internal_anchor_exists(site_dir: Path) -> None:
    """Every ``page.html#fragment`` link inside the site points at an id that page defines."""
    pages: dict[Path, _Anchors] = {}
    for html in site_dir.rglob("*.html"):
        parser = _Anchors()
        parser.feed(html.read_text(encoding="utf-8"))
        pages[html.resolve()] = parser
    broken, checked = [], 0
    for html, parser in pages.items():
        for href in parser.hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.fragment:
                continue
            target = (html.parent / unquote(parts.path)).resolve() if parts.path else html
            if target.suffix != ".html":
                continue
            checked += 1
            if target not in pages:
                broken.append(f"{html.relative_to(site_dir)}: {href} (no such page)")
            elif unquote(parts.fragment) not in pages[target].ids:
                broken.append(f"{html.relative_to(site_dir)}: {href} (no such anchor)")
    assert checked > len(pages), "too few anchors found: is the site empty?"
    assert not broken, "\n".join(sorted(set(broken))[:100])


# --- layout (1280 px wide, a laptop screen) --------------------------------------------------------


@pytest.mark.browser
def test_notebook_uses_the_whole_content_column(site_page: Any, server: str) -> None:
    page = site_page
    page.goto(f"{server}labs/{LABS[0].removesuffix('.ipynb')}.html")
    sizes = page.evaluate(
        """() => {
        const column = document.querySelector('article.md-content__inner').clientWidth;
        const width = (sel) => [...document.querySelectorAll(sel)].map(
            (e) => e.getBoundingClientRect().width);
        return {column, cells: width('.jupyter-wrapper .jp-Cell'),
                code: width('.jupyter-wrapper .jp-InputArea-editor'),
                images: width('.jupyter-wrapper .jp-OutputArea-output img')};
    }"""
    )
    column = sizes["column"]
    assert column > 600, sizes
    for kind in ("cells", "code", "images"):
        assert sizes[kind], f"no {kind} on the page"
        narrowest = min(sizes[kind])
        assert narrowest >= 0.9 * column, f"{kind}: {narrowest:.0f} of {column} px"


@pytest.mark.browser
def test_identifiers_in_tables_break_only_after_underscores(site_page: Any, server: str) -> None:
    page = site_page
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(server + "researchers/model.html")
    # every line break inside a table's <code> (found from the characters' line boxes)
    bad = page.evaluate(
        """() => {
        const bad = [];
        let codes = 0;
        for (const code of document.querySelectorAll('article table code')) {
            codes += 1;
            const text = code.textContent;
            const range = document.createRange();
            let lastTop = null, offset = 0;
            const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
            const nodes = [];
            while (walker.nextNode()) nodes.push(walker.currentNode);
            for (const node of nodes) {
                for (let i = 0; i < node.length; i++, offset++) {
                    range.setStart(node, i); range.setEnd(node, i + 1);
                    const top = range.getBoundingClientRect().top;
                    if (lastTop !== null && top > lastTop + 2 && text[offset - 1] !== '_')
                        bad.push(text.slice(0, offset) + '|' + text.slice(offset));
                    lastTop = top;
                }
            }
        }
        return {codes, bad};
    }"""
    )
    assert bad["codes"] > 50, bad
    assert bad["bad"] == [], bad["bad"][:10]


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_home_page_picture_cards_and_map(site_page: Any, server: str, scheme: str) -> None:
    page = site_page
    page.emulate_media(color_scheme=scheme)
    page.goto(server + "index.html")
    # the snow caps stand out from the sky around them, by their colour or by their outline
    colours = page.evaluate(
        """() => {
        const fill = (sel, prop) => getComputedStyle(document.querySelector(sel))[prop];
        return {page: getComputedStyle(document.body).backgroundColor,
                sky: fill('.tm-hero-sky', 'fill'), snow: fill('.tm-hero-snow', 'fill'),
                outline: fill('.tm-hero-snow', 'stroke')};
    }"""
    )
    outlined = min(_contrast(colours["outline"], c) for c in (colours["snow"], colours["sky"]))
    assert max(_contrast(colours["snow"], colours["sky"]), outlined) >= 3, colours
    # three route cards side by side at 1280 px, and one below the other on a phone
    cards = page.locator(".tm-routes > ul > li")
    assert cards.count() == 3
    tops = {round(cards.nth(i).bounding_box()["y"]) for i in range(3)}
    assert len(tops) == 1, tops
    page.set_viewport_size({"width": 700, "height": 900})
    lefts = {round(cards.nth(i).bounding_box()["x"]) for i in range(3)}
    assert len(lefts) == 1, lefts
    # no lone "Home" sidebar; the page's own map reaches every section and every module
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not page.locator(".md-sidebar--primary").is_visible()
    nav = page.get_by_role("navigation", name="The whole site")
    for name in ("Learners", "Explorer", "Instructors", "Researchers", "Reference"):
        assert nav.get_by_role("link", name=name, exact=True).count() == 1, name
    assert nav.locator('a[href^="modules/0"]').count() == 6


def _contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two CSS rgb() colours."""

    def luminance(colour: str) -> float:
        r, g, b = (int(v) / 255 for v in re.findall(r"\d+", colour)[:3])
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)
