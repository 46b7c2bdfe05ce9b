"""``twomountains tournament``: bad input gives one line and exit 2; a small run writes its files."""

from __future__ import annotations

import re
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


def test_three_replications_warn_that_entries_cannot_be_separated(tmp_path):
    # the docs' trial setting: with three seeds nearly every entry ties with the leader
    folder = tmp_path / "subs"
    folder.mkdir()
    for name in ("steady", "explorer", "handmade"):
        shutil.copyfile(ENTRIES / f"{name}.py", folder / f"{name}.py")
    out = tmp_path / "results"
    proc = subprocess.run(
        [
            sys.executable, "-m", "twomountains", "tournament", str(folder),
            "--reps", "3", "--scenario", "default", "--set", "horizon_weeks=26",
            "--include-builtins", "--out", str(out), "--jobs", "2", "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    warning = re.search(
        r"Warning: (\d+) of (\d+) entries are tied with the leader: 3 replications cannot "
        r"separate them\. .*about (\d+) replications would separate half of them "
        r"\(80% power; --reps (\d+)\)\.",
        proc.stdout,
    )
    assert warning, proc.stdout
    tied, others, suggested, option = (int(g) for g in warning.groups())
    assert others == 8 and 2 * tied > others
    assert suggested == option > 3
    assert proc.stderr.count("twomountains: warning: ") == 1
    assert "<strong>Warning:</strong>" in (out / "leaderboard.html").read_text()


def test_scenario_file_that_is_not_utf8_is_one_line(capsys, folder, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"team_size = 4 # \xff\n")
    err = one_line_error(capsys, ["tournament", str(folder), "--scenario", str(bad)])
    assert "is not UTF-8 text" in err
