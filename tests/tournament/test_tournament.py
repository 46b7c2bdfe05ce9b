"""The class tournament end to end: good entries ranked reproducibly, bad ones disqualified.

One tournament over every example entry in ``entries/`` (plus a syntax error and a tricky NAME
written here, since a file that does not parse would break the repository's linters), on short
scenarios with two replications and small limits.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from twomountains.tournament import TEMPLATE_PATH, Limits, report, run_tournament

ENTRIES = Path(__file__).with_name("entries")
GOOD = ("explorer", "handmade", "steady", "template", "tricky_name")
SHORT = {"horizon_weeks": 16}
# CPU limit small for the spinner; wall limit well above it so a busy machine still reports CPU
LIMITS = Limits(cpu_seconds=2, memory_mb=300, wall_seconds=20)

EXPECTED_REASONS = {
    "syntax_error": "import failed (SyntaxError: invalid syntax line 4)",
    "import_error": "import failed (ModuleNotFoundError: No module named "
    "'no_such_module_for_tournament')",
    "no_author": "missing AUTHOR",
    "raises": "raised ValueError: boom in week 2 during decide",
    "nonsense": "invalid decision (decide(): got int; allowed: a Decision)",
    "bad_share": "invalid decision (platform_share: got 2.5; allowed: 0 to 1)",
    "loops": "exceeded CPU time limit (2 s)",
    "sleeps": "exceeded wall time limit (20 s)",
    "memory_hog": "exceeded memory limit (300 MB)",
    "reads_secrets": "forbidden file access (read /etc/passwd)",
    "writes_outside": "forbidden file access (write ../escaped.txt)",
    "network": "forbidden network access (socket.getaddrinfo)",
    "shell": "forbidden process control (os.system)",
    "floods": "flooded its output (over 64 MB)",
}

TRICKY = """
import twomountains as tm

NAME = "<script>alert(1)</script> & $x^$"
AUTHOR = "=HYPERLINK(1)"


class Policy(tm.policies.FixedSplit):
    pass
"""


def make_folder(target: Path, bad: bool) -> Path:
    target.mkdir()
    for path in sorted(ENTRIES.glob("*.py")):
        if bad or path.stem in GOOD:
            shutil.copyfile(path, target / path.name)
    shutil.copyfile(TEMPLATE_PATH, target / "template.py")
    (target / "tricky_name.py").write_text(TRICKY)
    if bad:
        (target / "syntax_error.py").write_text('NAME = "Typo"\nAUTHOR = "Bad Example"\n\nclass:\n')
    return target


@pytest.fixture(scope="module")
def full(tmp_path_factory):
    folder = make_folder(tmp_path_factory.mktemp("class") / "submissions", bad=True)
    result = run_tournament(folder, reps=2, overrides=SHORT, limits=LIMITS, jobs=2, progress=False)
    out = tmp_path_factory.mktemp("out")
    return folder, result, report.write_all(result, out)


def rows(result):
    return {r["entry"]: r for r in result.leaderboard.to_dict("records")}


def test_every_bad_entry_is_disqualified_with_its_reason(full):
    _, result, _ = full
    board = rows(result)
    for entry, reason in EXPECTED_REASONS.items():
        assert board[entry]["status"] == "disqualified", entry
        assert board[entry]["reason"] == reason, entry
    assert set(board) == set(EXPECTED_REASONS) | set(GOOD)


def test_good_entries_are_ranked_and_nothing_escaped(full):
    folder, result, _ = full
    ranked = result.leaderboard[result.leaderboard["status"] == "ranked"]
    assert sorted(ranked["entry"]) == sorted(GOOD)
    assert list(ranked["rank"])[0] == 1
    assert (ranked["score_low"] <= ranked["score"]).all()
    assert (ranked["score"] <= ranked["score_high"]).all()
    assert not (folder.parent / "escaped.txt").exists()
    # the static check names an entry's author even when it never ran
    assert rows(result)["loops"]["author"] == "Bad Example"


def test_rerun_ranks_good_entries_identically_without_the_bad_ones(full, tmp_path):
    _, first, _ = full
    folder = make_folder(tmp_path / "good_only", bad=False)
    again = run_tournament(folder, reps=2, overrides=SHORT, limits=LIMITS, jobs=2, progress=False)
    ranked_first = first.leaderboard[first.leaderboard["status"] == "ranked"]
    assert again.leaderboard.reset_index(drop=True).equals(ranked_first.reset_index(drop=True))


def test_csv_has_the_documented_columns_and_safe_text(full):
    _, result, paths = full
    with open(paths["csv"], newline="") as fh:
        data = list(csv.DictReader(fh))
    assert list(data[0])[: len(report.CSV_BASE_COLUMNS)] == list(report.CSV_BASE_COLUMNS)
    scenario_columns = [f"score_{s}" for s in result.scenarios]
    assert all(c in data[0] for c in scenario_columns)
    tricky = next(r for r in data if r["entry"] == "tricky_name")
    assert tricky["author"] == "'=HYPERLINK(1)"
    assert len(data) == len(result.leaderboard)


def test_html_is_self_contained_and_escapes_entry_text(full):
    _, _, paths = full
    page = paths["html"].read_text()
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page and "src=" not in page and "@import" not in page
    links = re.findall(r'(?:href|src)="([^"]*)"', page)
    assert all(link.startswith(("#", "data:")) for link in links), links
    assert not re.findall(r"url\((?!#)", page)  # only the SVG's own clip paths
    assert page.count('role="img" aria-label="') == 2  # both plots carry alt text
    assert "exceeded CPU time limit" in page


def test_reports_are_identical_for_identical_results(full, tmp_path):
    _, result, paths = full
    again = report.write_all(result, tmp_path)
    assert again["html"].read_bytes() == paths["html"].read_bytes()
    assert again["csv"].read_bytes() == paths["csv"].read_bytes()


def test_terminal_table_lists_ranked_and_disqualified(full):
    _, result, _ = full
    text = report.terminal_table(result)
    assert "Disqualified (14):" in text
    assert "loops (Bad Example): exceeded CPU time limit (2 s)" in text
    for entry in GOOD:
        assert entry in text
