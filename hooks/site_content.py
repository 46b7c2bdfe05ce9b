"""MkDocs hook: content that lives outside docs/ or appears as other parts of the project land.

- The notebooks of ``labs/`` are added to the site as pages under ``labs/`` in their learner
  version (no instructor notes; solutions collapsed), made by ``tools/labs.py`` from the single
  source into a temporary folder, so that mkdocs-jupyter executes and renders them and its
  Download button serves that version; nothing is copied into docs/ by hand.
- The nav entry ``Labs: labs/index.md`` is expanded into the overview plus one entry per notebook.
- API reference pages (mkdocstrings) are generated for the package modules that exist, so the strict
  build never points at a module that has not been written yet.
- The classroom hand-out (no solutions, no instructor notes) and the instructor version (solutions
  and notes) of every lab are added under ``downloads/handout/`` and ``downloads/instructor/``.
- Pages owned by other parts of the project (research studies, classics, the in-page explorer) join
  the nav when their files exist.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.site_content")

ROOT = Path(__file__).resolve().parent.parent
LABS_DIR = ROOT / "labs"
LAB_TOOL = ROOT / "tools" / "labs.py"
# The lab pages (and their Download button) are the learner version; these are offered besides.
DOWNLOAD_VERSIONS = ("handout", "instructor")

# (title, module, page file stem). A page is generated only if the module can be imported.
API_PAGES: list[tuple[str, str, str]] = [
    ("twomountains", "twomountains", "twomountains"),
    ("Scenario", "twomountains.scenario", "scenario"),
    ("run and the processes", "twomountains.model", "model"),
    ("Policy contract", "twomountains.contract", "contract"),
    ("Policies", "twomountains.policies", "policies"),
    ("Mechanisms", "twomountains.mechanisms", "mechanisms"),
    ("Books and RunResult", "twomountains.books", "books"),
    ("Entities", "twomountains.entities", "entities"),
    ("Scenario presets", "twomountains.scenarios", "scenarios"),
    ("Studies", "twomountains.study", "study"),
    ("Plots", "twomountains.plots", "plots"),
    ("Classic models", "twomountains.classics", "classics"),
    ("Datasets", "twomountains.datasets", "datasets"),
    ("Tournament", "twomountains.tournament", "tournament"),
]

# Pages written by other parts of the project: (nav title, docs path, section title).
OPTIONAL_PAGES: list[tuple[str, str, str]] = [
    ("Studies", "research/studies.md", "Researchers"),
    ("Classic models", "research/classics.md", "Researchers"),
    ("Performance", "research/performance.md", "Researchers"),
]


def lab_notebooks() -> list[Path]:
    """The lab notebooks, in course order (their file names start with the lab number)."""
    return sorted(LABS_DIR.glob("[0-9]*.ipynb"))


def notebook_title(path: Path) -> str:
    """The first level-1 Markdown heading of a notebook, or its file name."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        source = "".join(cell.get("source", []))
        for line in source.splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return path.stem


def lab_tool() -> Any | None:
    """``tools/labs.py`` (which derives the learner and instructor versions), if present."""
    if not LAB_TOOL.exists():
        return None
    spec = importlib.util.spec_from_file_location("twomountains_lab_tool", LAB_TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def api_pages() -> list[tuple[str, str, str]]:
    return [page for page in API_PAGES if module_exists(page[1])]


def _expand(items: list[Any], docs_dir: Path) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if isinstance(item, dict):
            ((title, value),) = item.items()
            if value == "labs/index.md":
                labs = [{notebook_title(nb): f"labs/{nb.name}"} for nb in lab_notebooks()]
                out.append({title: ["labs/index.md", *labs]})
                continue
            if isinstance(value, list):
                value = _expand(value, docs_dir)
                if title == "Reference":
                    api = [{t: f"reference/api/{stem}.md"} for t, _, stem in api_pages()]
                    if api:
                        value.insert(1, {"API": api})
                for page_title, path, section in OPTIONAL_PAGES:
                    if section == title and (docs_dir / path).exists():
                        value.insert(len(value) - 1, {page_title: path})  # before the last
            out.append({title: value})
        else:
            out.append(item)
    return out


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    docs_dir = Path(config.docs_dir)
    nav = _expand(config.nav or [], docs_dir)
    explorer = sorted((docs_dir / "explorer").glob("*.md"))
    if explorer:
        index = [p for p in explorer if p.name == "index.md"]
        rest = [p for p in explorer if p.name != "index.md"]
        pages = [f"explorer/{p.name}" for p in index + rest]
        nav.insert(2, {"Explorer": pages if len(pages) > 1 else pages[0]})
    config.nav = nav
    return config


# The learner versions the lab pages render; a new folder per build (builds may run side by side).
_learner_dir: Path | None = None


def _fresh_learner_dir() -> Path:
    global _learner_dir
    if _learner_dir is not None:
        shutil.rmtree(_learner_dir, ignore_errors=True)
    _learner_dir = Path(tempfile.mkdtemp(prefix="twomountains-labs-"))
    return _learner_dir


def on_shutdown() -> None:
    if _learner_dir is not None:
        shutil.rmtree(_learner_dir, ignore_errors=True)


# Runs before mkdocs-jupyter's on_files, which wraps notebook files into pages.
@event_priority(100)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    tool = lab_tool()
    if tool is None:
        # Without the tool the pages show the source (instructor notes would be visible).
        log.warning("tools/labs.py is missing: the lab pages render the labs' single source")
        for nb in lab_notebooks():
            path = nb.relative_to(ROOT).as_posix()
            files.append(File(path, str(ROOT), config.site_dir, config.use_directory_urls))
    else:
        import nbformat

        folder = _fresh_learner_dir()
        (folder / "labs").mkdir()
        for nb_path in lab_notebooks():
            nb = nbformat.read(nb_path, as_version=4)
            nbformat.write(tool.learner_version(nb), folder / "labs" / nb_path.name)
            # A plain File (not File.generated): mkdocs-jupyter wraps it, executes the notebook at
            # abs_src_path and copies that file next to the page for the Download button.
            path = f"labs/{nb_path.name}"
            files.append(File(path, str(folder), config.site_dir, config.use_directory_urls))
            for version in DOWNLOAD_VERSIONS:
                content = nbformat.writes(tool.MAKERS[version](nb))
                uri = f"downloads/{version}/{nb_path.name}"
                files.append(File.generated(config, uri, content=content))
    for title, module, stem in api_pages():
        content = f"# {title}\n\n::: {module}\n"
        files.append(File.generated(config, f"reference/api/{stem}.md", content=content))
    return files


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Break points for identifiers in tables; on a lab page, focusable code cells and links to
    other labs that open their pages.

    Notebook code cells scroll sideways, so they must be keyboard-focusable (WCAG 2.1.1); Material
    does this for its own code blocks, mkdocs-jupyter's cells need the same. A lab links to another
    as ``02-experimentation-mountain.ipynb`` (right inside Jupyter); on the site that would be the
    download, so it becomes the other lab's page.
    """
    if page.file.src_uri.endswith(".md"):
        html = TABLE.sub(_identifier_breaks, html)
    if page.file.src_uri.endswith(".ipynb"):
        html = html.replace(
            '<div class="highlight-ipynb', '<div tabindex="0" class="highlight-ipynb'
        )
        html = LAB_LINK.sub(lambda match: _lab_page_link(match, page, files), html)
    return html


TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL)
TABLE_CODE = re.compile(r"<code>([^<]+)</code>")
UNDERSCORE_BREAK = re.compile(r"(?<=[^\W_])_(?=[^\W_])")


WORD = re.compile(r"\S+")


def _unbroken_parts(code: re.Match[str]) -> str:
    """``deadline_weeks`` as parts that never break (not even at a hyphen, as in
    ``explore-then-build``), with a break opportunity after each inner underscore and at spaces
    (a call such as ``simulate(p1, p2)`` may still wrap between its arguments)."""
    parts = UNDERSCORE_BREAK.split(code[1])
    spans = [WORD.sub(lambda word: f'<span class="tm-nobr">{word[0]}</span>', p) for p in parts]
    return "<code>" + "_<wbr>".join(spans) + "</code>"


def _identifier_breaks(table: re.Match[str]) -> str:
    """In a table, let ``deadline_weeks`` break after its underscores only: narrow columns then
    wrap identifiers at their parts, never mid-word or at a hyphen."""
    return TABLE_CODE.sub(_unbroken_parts, table[0])


LAB_LINK = re.compile(r'href="(?P<name>[0-9]{2}-[\w-]+\.ipynb)(?P<anchor>#[^"]*)?"')


def _lab_page_link(match: re.Match[str], page: Page, files: Files) -> str:
    target = files.get_file_from_path(f"labs/{match['name']}")
    if target is None or target is page.file:
        return match[0]
    return f'href="{target.url_relative_to(page.file)}{match["anchor"] or ""}"'
