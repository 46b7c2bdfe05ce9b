"""The researchers' pages on fitting a team: the fit page's commands run, the pre-registration
template is published, and the example study report shows a real run's numbers.

The page tests read a built site (the session's strict build, or ``TWOMOUNTAINS_SITE_DIR``); the
others load hooks/fit_report.py directly or run the commands of docs/researchers/fit-a-team.md.
"""

from __future__ import annotations

import html as html_lib
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from hook_loading import load_hook

from twomountains import cli

ROOT = Path(__file__).resolve().parents[2]
FIT_PAGE = ROOT / "docs" / "researchers" / "fit-a-team.md"
TEMPLATE_SECTIONS = (
    "Question",
    "Hypotheses",
    "Records and their period",
    "Exclusions and missing records",
    "The model and the parameters fitted",
    "Summary statistics",
    "Policies compared",
    "Primary outcome",
    "Decision rule",
    "Replications, draws and seeds",
    "Checks before reading the results",
    "What would change the plan",
    "Deviations log",
)
REPORT_SECTIONS = (
    "1-question",
    "2-design",
    "3-the-records",
    "4-fitted-parameters",
    "5-diagnostics-statistics-observed-and-fitted",
    "6-results-the-policies-compared",
    "7-limitations",
    "8-provenance",
)
# The budget the fit page's fit commands are run with here (the page shows the research default).
TEST_BUDGET = ["--draws", "120", "--jobs", "1"]


def _page(site_dir: Path, path: str) -> str:
    text = (site_dir / path).read_text(encoding="utf-8")
    text = text.replace("<wbr>", "")  # break points in identifiers (hooks/site_content.py)
    return re.sub(r'<span class="tm-nobr">([^<]*)</span>', r"\1", text)


def _rows(page: str) -> list[list[str]]:
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", page, re.DOTALL):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)
        rows.append([html_lib.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
    return rows


def _number(text: str) -> float:
    return float(text.replace(",", "").replace("\u2212", "-"))


def page_commands(path: Path = FIT_PAGE) -> list[list[str]]:
    """The ``twomountains ...`` lines of the page's bash blocks, split as a shell would."""
    blocks = re.findall(r"```bash\n(.*?)```", path.read_text(encoding="utf-8"), re.DOTALL)
    lines = [line.strip() for block in blocks for line in block.splitlines()]
    return [shlex.split(line)[1:] for line in lines if line.startswith("twomountains ")]


# --- the commands of the fit page -----------------------------------------------------------------


def test_the_fit_pages_commands_are_real_subcommands() -> None:
    commands = page_commands()
    assert [c[0] for c in commands] == ["datasets", "validate-records", "fit", "fit"]
    parser = cli.build_parser()
    for command in commands:
        parser.parse_args(command)  # a UsageError (one line) on anything unknown


def test_the_fit_pages_commands_run_in_order(tmp_path: Path) -> None:
    """The page's commands, run as shown from a fresh folder (fits at a smaller budget)."""
    outputs = []
    for command in page_commands():
        extra = TEST_BUDGET if command[0] == "fit" else []
        proc = subprocess.run(
            [sys.executable, "-m", "twomountains", *command, *extra],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert proc.returncode == 0, f"{command}: {proc.stderr[-2000:]}"
        outputs.append(proc.stdout)
    assert outputs[1].startswith("ok: ")
    fitted = json.loads((tmp_path / "my-team-fit.json").read_text(encoding="utf-8"))
    assert set(fitted) >= {"params", "statistics", "warnings", "provenance"}
    assert "fixed:0.2" in outputs[3]


# --- the hook's helpers ------------------------------------------------------------------------------


def test_the_template_download_raises_headings_and_keeps_only_the_template() -> None:
    hook = load_hook("fit_report")
    source = (ROOT / "docs" / hook.TEMPLATE_PAGE).read_text(encoding="utf-8")
    text = hook.template_text(source)
    assert text.startswith("---\n\n# Pre-registration: STUDY TITLE")
    headings = re.findall(r"^## \d+\. (.+)$", text, re.MULTILINE)
    assert tuple(headings) == TEMPLATE_SECTIONS
    assert "## References" not in text and "Why pre-register" not in text


def test_the_decision_rule_and_the_reproduce_commands() -> None:
    hook = load_hook("fit_report")
    assert [hook.decision(1, 2), hook.decision(-2, -1), hook.decision(-1, 1)] == [
        "better",
        "worse",
        "cannot tell",
    ]
    data = {"study": hook.STUDY, "policies": ["fixed:0.4", *hook.STUDY["alternatives"]]}
    parser = cli.build_parser()
    for line in hook.reproduce_commands(data):
        parser.parse_args(shlex.split(line)[1:])


# --- the built pages ---------------------------------------------------------------------------------


def test_the_three_pages_are_in_the_researchers_nav(site_dir: Path) -> None:
    page = _page(site_dir, "researchers/index.html")
    for title, path in [
        ("Fit the model to a team", "fit-a-team.html"),
        ("Pre-registration template", "preregistration.html"),
        ("Example study report", "example-study-report.html"),
    ]:
        assert (site_dir / "researchers" / path).is_file(), path
        assert re.search(rf'href="{re.escape(path)}"[^>]*>\s*(<[^>]+>\s*)*{title}', page), title
    model = _page(site_dir, "researchers/model.html")
    assert 'href="example-study-report.html"' in model


def test_the_fit_page_has_its_sections_and_links(site_dir: Path) -> None:
    page = _page(site_dir, "researchers/fit-a-team.html")
    for anchor in (
        "1-the-records-to-collect",
        "2-the-workflow",
        "3-how-the-fit-works-and-why-this-method",
        "4-read-the-diagnostics",
        "5-compare-policies-on-the-fitted-team",
        "6-what-a-fitted-model-can-and-cannot-tell",
        "7-ethics-and-consent",
        "8-plan-then-report",
    ):
        assert f'id="{anchor}"' in page, anchor
    for target in (
        "team-records.html",
        "preregistration.html",
        "example-study-report.html",
        "model.html#34-assumptions",
        "../research/claims.html",
    ):
        assert f'href="{target}' in page, target


def test_the_preregistration_template_is_downloadable(site_dir: Path) -> None:
    page = _page(site_dir, "researchers/preregistration.html")
    assert 'href="../downloads/preregistration-template.md"' in page
    download = (site_dir / "downloads" / "preregistration-template.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## \d+\. (.+)$", download, re.MULTILINE)
    assert tuple(headings) == TEMPLATE_SECTIONS


def _parameters(page: str) -> dict[str, list[str]]:
    return {
        cells[0]: cells
        for cells in _rows(page)
        if len(cells) == 6 and cells[-1] in ("yes", "no") and " to " in cells[2]
    }


def test_the_report_has_every_section_and_the_truth_lies_in_each_interval(site_dir: Path) -> None:
    page = _page(site_dir, "researchers/example-study-report.html")
    for anchor in REPORT_SECTIONS:
        assert f'id="{anchor}"' in page, anchor
    from twomountains.fit import DEFAULT_PARAMS

    rows = _parameters(page)
    assert sorted(rows) == sorted(DEFAULT_PARAMS)
    for name, (_, estimate, interval, _, truth, inside) in rows.items():
        low, high = (_number(x) for x in interval.split(" to "))
        assert low <= _number(estimate) <= high, name
        # the column says what the printed numbers say, and the recovery holds
        assert inside == ("yes" if low <= _number(truth) <= high else "no"), name
        assert inside == "yes", f"{name}: truth {truth} outside {interval}"
    assert "{{" not in page, "a directive was left unexpanded"


def test_the_report_names_a_commit_of_this_repository(site_dir: Path) -> None:
    page = _page(site_dir, "researchers/example-study-report.html")
    cells = {row[0]: row[1] for row in _rows(page) if len(row) == 2}
    commit = cells["Source commit"].removesuffix("+changes")
    assert re.fullmatch(r"[0-9a-f]{12}", commit), cells["Source commit"]
    known = subprocess.run(
        ["git", "-C", str(ROOT), "cat-file", "-e", f"{commit}^{{commit}}"], check=False
    )
    assert known.returncode == 0, f"{commit} is not a commit of this repository"
    import twomountains

    assert cells["Package version"] == twomountains.__version__
    assert "twomountains fit synthetic-team" in re.sub(r"<[^>]+>", "", page)


def test_the_reports_numbers_are_the_runs(site_dir: Path) -> None:
    """Every estimate, interval and truth on the page is the one the hook's run stored."""
    hook = load_hook("fit_report")
    page = _page(site_dir, "researchers/example-study-report.html")
    digest = {row[0]: row[1] for row in _rows(page) if len(row) == 2}["Run digest"].split()[0]
    cached = hook.CACHE / f"{digest}.json"
    if not cached.is_file():
        pytest.skip(f"the run {digest} is not stored here (the site was built elsewhere)")
    data = json.loads(cached.read_text(encoding="utf-8"))
    rows = _parameters(page)
    for name, fitted in data["params"].items():
        _, estimate, interval, _, truth, _ = rows[name]
        assert estimate == hook.number(fitted["estimate"]), name
        assert interval == hook.interval(fitted["low"], fitted["high"]), name
        assert truth == hook.number(data["truth"][name]), name


@pytest.mark.slow
def test_the_stored_run_is_what_the_study_gives_today() -> None:
    """The report's run, repeated: the same records, fit and comparison give the same numbers."""
    hook = load_hook("fit_report")
    cached = hook.CACHE / f"{hook.source_digest()}.json"
    if not cached.is_file():
        pytest.skip("no stored run for today's sources (build the site first)")
    stored = json.loads(cached.read_text(encoding="utf-8"))
    again = json.loads(json.dumps(hook.run_study()))
    for key in ("params", "truth", "statistics", "summary", "differences", "warnings"):
        assert again[key] == stored[key], key


def test_the_fit_pages_python_names_exist() -> None:
    """The page's Python block compiles and calls only names the package has."""
    import importlib

    blocks = re.findall(r"```python\n(.*?)```", FIT_PAGE.read_text(encoding="utf-8"), re.DOTALL)
    assert blocks
    for block in blocks:
        compile(block, "fit-a-team.md", "exec")
        for module, name in re.findall(r"\b(fit|records)\.(\w+)\(", block):
            assert hasattr(importlib.import_module(f"twomountains.{module}"), name), name


def test_the_hooks_doctests_pass() -> None:
    import doctest

    hook = load_hook("fit_report")
    failed, attempted = doctest.testmod(hook, verbose=False)
    assert attempted >= 3 and failed == 0
