#!/usr/bin/env python3
"""Build the learner, hand-out and instructor versions of the labs from their one source in ``labs/``.

    python tools/labs.py                 write build/labs/{learner,handout,instructor}/*.ipynb
    python tools/labs.py --out DIR       write DIR/learner, DIR/handout and DIR/instructor instead
    python tools/labs.py --check         only validate the sources (exit 1 with one line per problem)

Conventions in a source notebook (``labs/NN-name.ipynb``, stored without outputs):

- An exercise's answer cell is a code cell tagged ``exercise`` that runs as given
  (e.g. ``answer_1 = None  # your code here``); the self-check cell after it says "not answered
  yet" until the learner fills it in.
- Its solution is the markdown cell tagged ``solution`` that follows, collapsed as
  ``<details><summary>Solution</summary> ... </details>``; a fenced ``python`` block in it is the
  solution code. On the site (which renders the learner version) the solution stays collapsed.
- Cells tagged ``instructor`` are notes for instructors: markdown, collapsed as
  ``<details><summary>Instructor note</summary> ... </details>`` (only the instructor version has them).

Three versions, all written without outputs:

- **learner**: for self-paced learners, the lab page and its Download button. No instructor notes;
  each solution stays collapsed under its exercise.
- **handout**: for a classroom, where the instructor decides when to show solutions. No solutions
  and no instructor notes.
- **instructor**: every exercise cell runs its solution (so the self-checks pass when it runs), the
  solutions and the instructor notes are in and opened.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
LABS = ROOT / "labs"
DEFAULT_OUT = ROOT / "build" / "labs"
VERSIONS = ("learner", "handout", "instructor")

_PYTHON_FENCE = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
_DETAILS_OPEN = re.compile(r"^<details>")


class LabSourceError(ValueError):
    """A lab source breaks the conventions above (message names the lab and the cell)."""


def tags(cell: nbformat.NotebookNode) -> set[str]:
    """The cell's metadata tags."""
    return set(cell.get("metadata", {}).get("tags", []))


def solution_code(markdown: str) -> str | None:
    """The code of the fenced ``python`` blocks of a solution cell, or None if it has none."""
    blocks = _PYTHON_FENCE.findall(markdown)
    return "\n".join(block.rstrip("\n") for block in blocks) if blocks else None


def has_outputs(nb: nbformat.NotebookNode) -> bool:
    """True if any code cell carries outputs or an execution count."""
    return any(
        cell.cell_type == "code"
        and (cell.get("outputs") or cell.get("execution_count") is not None)
        for cell in nb.cells
    )


def strip_outputs(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` with no outputs, no execution counts and no execution timing metadata."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
    return nb


def validate(nb: nbformat.NotebookNode, name: str) -> list[str]:
    """Problems with a source notebook's conventions (empty when it is fine)."""
    problems = []
    if has_outputs(nb):
        problems.append(f"{name}: stored with outputs or execution counts (clear them)")
    last_code_index: int | None = None
    paired: set[int] = set()
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            last_code_index = index
        where = f"{name}: cell {index}"
        if "instructor" in tags(cell) and (
            cell.cell_type != "markdown" or not _DETAILS_OPEN.match(cell.source)
        ):
            problems.append(
                f"{where}: an 'instructor' cell must be markdown with a <details> block"
            )
        if "solution" not in tags(cell):
            continue
        if cell.cell_type != "markdown":
            problems.append(f"{where}: a 'solution' cell must be markdown with a <details> block")
            continue
        if not _DETAILS_OPEN.match(cell.source) or "<summary>" not in cell.source:
            problems.append(f"{where}: a 'solution' cell must start with <details><summary>")
        if solution_code(cell.source) is None:
            continue
        if last_code_index is None or "exercise" not in tags(nb.cells[last_code_index]):
            problems.append(f"{where}: solution code needs an 'exercise' code cell before it")
        elif last_code_index in paired:
            problems.append(f"{where}: exercise cell {last_code_index} already has a solution")
        else:
            paired.add(last_code_index)
    for index, cell in enumerate(nb.cells):
        if "exercise" in tags(cell) and index not in paired:
            problems.append(
                f"{name}: exercise cell {index} has no solution cell with code after it"
            )
    return problems


def _without(nb: nbformat.NotebookNode, dropped: set[str]) -> nbformat.NotebookNode:
    out = strip_outputs(nb)
    out.cells = [cell for cell in out.cells if not tags(cell) & dropped]
    return out


def learner_version(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook without instructor notes; solutions stay, collapsed (for self-paced study)."""
    # validate() holds every solution to a closed ``<details>``: it stays collapsed as it is
    return _without(nb, {"instructor"})


def handout_version(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook without solutions and instructor notes (a classroom hand-out)."""
    return _without(nb, {"solution", "instructor"})


def instructor_version(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook with every exercise cell running its solution and the solutions opened."""
    out = strip_outputs(nb)
    last_code: nbformat.NotebookNode | None = None
    for cell in out.cells:
        if cell.cell_type == "code":
            last_code = cell
        if "instructor" in tags(cell):
            cell.source = _DETAILS_OPEN.sub("<details open>", cell.source, count=1)
        if "solution" not in tags(cell):
            continue
        code = solution_code(cell.source)
        if code is not None and last_code is not None:
            last_code.source = code
        cell.source = _DETAILS_OPEN.sub("<details open>", cell.source, count=1)
    return out


MAKERS = {
    "learner": learner_version,
    "handout": handout_version,
    "instructor": instructor_version,
}


def sources(labs_dir: Path = LABS) -> list[Path]:
    """The lab source notebooks, in course order."""
    return sorted(labs_dir.glob("[0-9][0-9]-*.ipynb"))


def build(labs_dir: Path = LABS, out_dir: Path = DEFAULT_OUT) -> list[Path]:
    """Validate every source and write both versions; returns the files written."""
    written = []
    problems = []
    notebooks = {path: nbformat.read(path, as_version=4) for path in sources(labs_dir)}
    for path, nb in notebooks.items():
        problems += validate(nb, path.name)
    if problems:
        raise LabSourceError("\n".join(problems))
    for version in VERSIONS:
        make = MAKERS[version]
        target = out_dir / version
        target.mkdir(parents=True, exist_ok=True)
        for path, nb in notebooks.items():
            nbformat.write(make(nb), target / path.name)
            written.append(target / path.name)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labs", type=Path, default=LABS, help="folder of lab sources")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument("--check", action="store_true", help="only validate the sources")
    args = parser.parse_args(argv)
    try:
        if args.check:
            problems = [
                p
                for path in sources(args.labs)
                for p in validate(nbformat.read(path, 4), path.name)
            ]
            if problems:
                raise LabSourceError("\n".join(problems))
            print(f"{len(sources(args.labs))} lab sources are fine")
        else:
            written = build(args.labs, args.out)
            print(f"wrote {len(written)} notebooks under {args.out}")
    except LabSourceError as err:
        print(err, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
