"""Wall-clock time to execute each lab notebook top to bottom (the budget is 90 s per lab).

    .venv/bin/python benchmarks/bench_labs.py                  the sources in labs/ (what the site runs)
    .venv/bin/python benchmarks/bench_labs.py instructor       the instructor versions (solutions run)
    .venv/bin/python benchmarks/bench_labs.py source 03 07     only labs whose file name starts so

Prints one line per lab: seconds, the slowest cell and its time, and the machine's load average, since
the labs' studies use two worker processes and slow down when other work shares the cores.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
BUDGET_SECONDS = 90.0


def _labs_tool():
    spec = importlib.util.spec_from_file_location("labs_tool", ROOT / "tools" / "labs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cell_seconds(cell: nbformat.NotebookNode) -> float:
    timing = cell.get("metadata", {}).get("execution", {})
    try:
        start = datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))
        end = datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
    except KeyError:
        return 0.0
    return (end - start).total_seconds()


def notebooks(version: str, work: Path) -> list[Path]:
    """The lab files to time: the sources, or a freshly built learner/instructor version."""
    tool = _labs_tool()
    if version == "source":
        return tool.sources()
    if version not in tool.VERSIONS:
        sys.exit(f"version: got {version!r}; allowed: source, {', '.join(tool.VERSIONS)}")
    tool.build(tool.LABS, work)
    return sorted((work / version).glob("*.ipynb"))


def main() -> None:
    version = sys.argv[1] if len(sys.argv) > 1 else "source"
    prefixes = tuple(sys.argv[2:])
    total = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print(f"version: {version}; load average before: {os.getloadavg()[0]:.1f}")
        for path in notebooks(version, work):
            if prefixes and not path.name.startswith(prefixes):
                continue
            nb = nbformat.read(path, as_version=4)
            client = NotebookClient(
                nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": tmp}}
            )
            start = time.perf_counter()
            client.execute()
            seconds = time.perf_counter() - start
            total += seconds
            slowest = max(range(len(nb.cells)), key=lambda i: _cell_seconds(nb.cells[i]))
            flag = "" if seconds < BUDGET_SECONDS else "  OVER BUDGET"
            print(
                f"{path.name:<38} {seconds:6.1f} s   slowest cell {slowest:>2} "
                f"({_cell_seconds(nb.cells[slowest]):5.1f} s)   load {os.getloadavg()[0]:4.1f}{flag}"
            )
    print(f"total {total:.1f} s")


if __name__ == "__main__":
    main()
