"""``twomountains tournament``: bad input gives one line and exit 2; a small run writes its files."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from twomountains.cli import main
from twomountains.tournament import TEMPLATE_PATH, entries

ENTRIES = Path(__file__).with_name("entries")


def one_line_error(capsys, argv: list[str]) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("twomountains: error: ")
    assert "Traceback" not in err
    return err


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "subs"
    target.mkdir()
    shutil.copyfile(ENTRIES / "steady.py", target / "steady.py")
    return target


def test_missing_folder(capsys, tmp_path):
    err = one_line_error(capsys, ["tournament", str(tmp_path / "nope")])
    assert "does not exist" in err


def test_no_folder_given(capsys):
    assert "--template" in one_line_error(capsys, ["tournament"])


def test_bad_scenario(capsys, folder):
    err = one_line_error(capsys, ["tournament", str(folder), "--scenario", "mars"])
    assert "'mars'" in err and "allowed" in err


def test_bad_set(capsys, folder):
    err = one_line_error(capsys, ["tournament", str(folder), "--set", "horizon_weeks=0"])
    assert "horizon_weeks" in err


@pytest.mark.parametrize(
    ("option", "value", "named"),
    [
        ("--reps", "1", "--reps"),
        ("--time-limit", "0", "--time-limit"),
        ("--memory-limit", "10", "--memory-limit"),
        ("--jobs", "0", "--jobs"),
        ("--burnout-weight", "-2", "burnout_weight"),
        ("--reps", "many", "--reps"),
    ],
)
def test_bad_numbers(capsys, folder, option, value, named):
    assert named in one_line_error(capsys, ["tournament", str(folder), option, value])


def test_template_is_printed_and_is_a_valid_entry(capsys, tmp_path):
    assert main(["tournament", "--template"]) == 0
    text = capsys.readouterr().out
    assert text == TEMPLATE_PATH.read_text()
    (tmp_path / "mine.py").write_text(text)
    entry = entries.check(tmp_path / "mine.py")
    assert entry.problem == "" and entry.name and entry.author and entry.notes == []


def test_small_tournament_from_the_console_script(folder, tmp_path):
    out = tmp_path / "results"
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from twomountains.cli import main; sys.exit(main())",
            "tournament",
            str(folder),
            "--scenario",
            "default",
            "--set",
            "horizon_weeks=16",
            "--reps",
            "2",
            "--out",
            str(out),
            "--jobs",
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Steady explorer" in proc.stdout
    assert "tournament" in proc.stderr  # progress
    assert (out / "leaderboard.csv").read_text().count("\n") == 2  # header + one entry
    assert (out / "leaderboard.html").exists()
