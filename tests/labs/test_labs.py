"""The labs: stored clean, follow the course conventions, and run in both learner and instructor form.

The site renders (and executes) the source notebooks; the learner version has exactly the source's
code cells, so executing it also executes what the site runs. The instructor version runs every
solution, so its self-checks must all pass.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import nbformat
import pytest
from nbclient import NotebookClient

from twomountains import labs_support

ROOT = Path(__file__).resolve().parents[2]
LABS = sorted((ROOT / "labs").glob("[0-9][0-9]-*.ipynb"))
EXPECTED = [
    "01-first-climb.ipynb",
    "02-experimentation-mountain.ipynb",
    "03-mlops-mountain.ipynb",
    "04-deadlines-and-burnout.ipynb",
    "05-which-mountain-when.ipynb",
    "06-design-your-policy.ipynb",
    "07-research-methods.ipynb",
    "08-the-classics.ipynb",
    "09-when-the-model-disagrees.ipynb",
    "10-fit-the-model-to-a-team.ipynb",
]
TIMEOUT_PER_CELL = 240
CHECK_CALL = re.compile(r"^check\(", re.MULTILINE)
CHECK_KEY = re.compile(r"^check\(\s*\"([^\"]+)\"", re.MULTILINE)
REVEAL_KEY = re.compile(r"^reveal\(\"([^\"]+)\"", re.MULTILINE)
PREDICTION = re.compile(r"^(my_\w+_guess) = None  # replace None with", re.MULTILINE)
# The lab pages are labs/NN-name.html (use_directory_urls is false): this reaches the learners' page.
MATHS_PAGE = "../learners/maths-and-python.html"
IMG = re.compile(r"<img\b[^>]*>")


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("labs_tool", ROOT / "tools" / "labs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


labs_tool = _load_tool()


def _ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


def _text(nb: nbformat.NotebookNode, cell_type: str) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == cell_type)


def _outputs(nb: nbformat.NotebookNode) -> list[dict]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def _printed(nb: nbformat.NotebookNode) -> str:
    return "\n".join(o.get("text", "") for o in _outputs(nb) if o.get("output_type") == "stream")


def _execute(nb: nbformat.NotebookNode, workdir: Path) -> nbformat.NotebookNode:
    client = NotebookClient(
        nb,
        timeout=TIMEOUT_PER_CELL,
        kernel_name="python3",
        resources={"metadata": {"path": str(workdir)}},
    )
    client.execute()
    return nb


def _assert_figures_have_alt_text(nb: nbformat.NotebookNode) -> None:
    for output in _outputs(nb):
        data = output.get("data", {})
        assert "image/png" not in data, (
            "a figure was displayed without alt text (use show(fig, alt))"
        )
        for tag in IMG.findall(data.get("text/html", "")):
            alt = re.search(r'alt="([^"]*)"', tag)
            assert alt and len(alt.group(1)) > 20, f"figure without a real alt text: {tag[:120]}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("labs")
    labs_tool.build(ROOT / "labs", out)
    return out


def test_all_ten_labs_exist() -> None:
    assert [p.name for p in LABS] == EXPECTED


@pytest.mark.parametrize("path", LABS, ids=_ids(LABS))
def test_source_is_stored_clean_and_follows_the_conventions(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert not labs_tool.has_outputs(nb), "clear outputs and execution counts before committing"
    assert labs_tool.validate(nb, path.name) == []
    markdown = _text(nb, "markdown")
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# Lab ")
    for section in [
        "You will learn",
        "Prerequisites",
        "Time:",
        "## Key points",
        "## Further reading",
    ]:
        assert section in markdown, f"missing section {section!r}"
    assert "★" in markdown, "exercises are graded by difficulty with stars"
    setup = nb.cells[1].source
    assert "def show(" in setup, "show is defined inline (runs alone)"
    assert "from twomountains.labs_support import check, reveal" in setup
    code = _text(nb, "code")
    # Self-checks compute the expected answer in the package, never in plain view.
    assert "def check(" not in code and "lambda a:" not in code
    assert all(key in labs_support.exercise_keys() for key in CHECK_KEY.findall(code))
    assert all(key in labs_support.prediction_keys() for key in REVEAL_KEY.findall(code))
    assert "import twomountains as tm" in code
    exercises = [c for c in nb.cells if "exercise" in labs_tool.tags(c)]
    assert len(exercises) >= 3, "at least three exercises"
    assert len(CHECK_CALL.findall(code)) >= len(exercises), "every exercise has a self-check"
    assert any("instructor" in labs_tool.tags(c) for c in nb.cells), "at least one instructor note"
    # Think before you run: a prediction with a default (so the lab runs unattended) before a
    # key run, shown beside the result afterwards; and at least one "pick the closest option".
    predictions = PREDICTION.findall(code)
    assert predictions, "at least one prediction cell"
    for name in predictions:
        assert re.search(rf"^reveal\(\"[^\"]+\", {name}\b", code, re.MULTILINE), name
    assert "Pick the closest option" in markdown
    assert MATHS_PAGE in nb.cells[0].source, "prerequisites link the maths and Python page"
    assert "http://" not in code and "https://" not in code, "labs never download anything"


def test_learner_handout_and_instructor_versions(built: Path) -> None:
    for path in LABS:
        source = nbformat.read(path, as_version=4)
        versions = {
            v: nbformat.read(built / v / path.name, as_version=4) for v in labs_tool.VERSIONS
        }
        learner, instructor = versions["learner"], versions["instructor"]
        for version in versions.values():
            assert not labs_tool.has_outputs(version)
        # Self-paced learners get the source's code, no instructor notes, and collapsed solutions.
        assert not any("instructor" in labs_tool.tags(c) for c in learner.cells)
        solutions = [c for c in learner.cells if "solution" in labs_tool.tags(c)]
        assert solutions and all(c.source.startswith("<details><summary>") for c in solutions)
        assert _text(learner, "code") == _text(source, "code")
        # A classroom hand-out has neither solutions nor instructor notes.
        if "handout" in versions:
            handout = versions["handout"]
            assert not any(labs_tool.tags(c) & {"solution", "instructor"} for c in handout.cells)
            assert "<details" not in _text(handout, "markdown")
            assert _text(handout, "code") == _text(source, "code")
        # Instructors get every exercise cell replaced by its solution, and opened solutions.
        exercises = [c for c in instructor.cells if "exercise" in labs_tool.tags(c)]
        assert exercises and all("your code here" not in c.source for c in exercises)
        opened = [c for c in instructor.cells if labs_tool.tags(c) & {"solution", "instructor"}]
        assert opened and all(c.source.startswith("<details open>") for c in opened)


def test_validate_reports_broken_conventions() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("x = 1", execution_count=3),
        nbformat.v4.new_markdown_cell(
            "<details><summary>Solution</summary>\n\n```python\nx = 2\n```\n"
        ),
        nbformat.v4.new_code_cell("y = None  # your code here", metadata={"tags": ["exercise"]}),
    ]
    nb.cells[1].metadata["tags"] = ["solution"]
    nb.cells.append(nbformat.v4.new_markdown_cell("Note", metadata={"tags": ["instructor"]}))
    problems = labs_tool.validate(nb, "broken.ipynb")
    assert any(
        "cell 3: an 'instructor' cell must be markdown with a <details>" in p for p in problems
    )
    assert any("outputs or execution counts" in p for p in problems)
    assert any("cell 1: solution code needs an 'exercise' code cell" in p for p in problems)
    assert any("exercise cell 2 has no solution" in p for p in problems)
    assert labs_tool.solution_code(nb.cells[1].source) == "x = 2"


@pytest.mark.parametrize("path", LABS, ids=_ids(LABS))
def test_learner_version_runs(path: Path, built: Path, tmp_path: Path) -> None:
    nb = _execute(nbformat.read(built / "learner" / path.name, as_version=4), tmp_path)
    printed = _printed(nb)
    assert "✗" not in printed, "a check failed on the untouched learner notebook"
    assert "not answered yet" in printed
    assert "you did not predict" in printed, "an untouched prediction is shown as such"
    _assert_figures_have_alt_text(nb)
    assert list(tmp_path.iterdir()) == [], "labs must not write into the working directory"


@pytest.mark.parametrize("path", LABS, ids=_ids(LABS))
def test_instructor_version_runs_and_every_check_passes(
    path: Path, built: Path, tmp_path: Path
) -> None:
    nb = _execute(nbformat.read(built / "instructor" / path.name, as_version=4), tmp_path)
    printed = _printed(nb)
    n_checks = len(CHECK_CALL.findall(_text(nb, "code")))
    assert printed.count("✓") == n_checks, printed
    assert "✗" not in printed and "not answered yet" not in printed
    _assert_figures_have_alt_text(nb)
