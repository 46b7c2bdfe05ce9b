"""Corrupted records: every problem is found and named by file, line and column (exit 2)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from twomountains.cli import main
from twomountains.records import RecordsError, load, validate


def set_cell(folder: Path, file: str, line: int, column: str, value: str) -> None:
    """Set one cell of a CSV (``line`` counts the header as line 1)."""
    rows = list(csv.reader(io.StringIO((folder / file).read_text())))
    rows[line - 1][rows[0].index(column)] = value
    _write_rows(folder / file, rows)


def _write_rows(path: Path, rows: list[list[str]]) -> None:
    path.write_text("".join(",".join(r) + "\n" for r in rows))


def rename_column(folder: Path, file: str, old: str, new: str) -> None:
    rows = list(csv.reader(io.StringIO((folder / file).read_text())))
    rows[0][rows[0].index(old)] = new
    _write_rows(folder / file, rows)


def drop_column(folder: Path, file: str, column: str) -> None:
    rows = list(csv.reader(io.StringIO((folder / file).read_text())))
    at = rows[0].index(column)
    _write_rows(folder / file, [r[:at] + r[at + 1 :] for r in rows])


def append_copy_of_line(folder: Path, file: str, line: int) -> int:
    lines = (folder / file).read_text().splitlines(keepends=True)
    lines.append(lines[line - 1])
    (folder / file).write_text("".join(lines))
    return len(lines)


def shipped_project_line(folder: Path) -> int:
    rows = list(csv.reader(io.StringIO((folder / "projects.csv").read_text())))
    return next(i for i, r in enumerate(rows, 1) if r[3] in ("shipped", "abandoned"))


def remove_key(folder: Path, key: str) -> None:
    text = (folder / "team.toml").read_text().splitlines(keepends=True)
    (folder / "team.toml").write_text("".join(t for t in text if not t.startswith(key)))


def insert_bad_byte(folder: Path, file: str, line: int) -> None:
    data = (folder / file).read_bytes().split(b"\n")
    data[line - 1] = data[line - 1].replace(b"p", b"p\xff", 1)
    (folder / file).write_bytes(b"\n".join(data))


Corruption = Callable[[Path], object]

# (id, corruption, expected problems as (file, line, column), a word of the message)
CASES: list[tuple[str, Corruption, set[tuple[str, int | None, str | None]], str]] = [
    ("bad number", lambda d: set_cell(d, "hours.csv", 2, "build", "abc"),
     {("hours.csv", 2, "build")}, "build: got abc; allowed: a number from 0 to 100"),
    ("negative hours", lambda d: set_cell(d, "hours.csv", 3, "explore", "-2"),
     {("hours.csv", 3, "explore")}, "explore: got -2; allowed: a number from 0 to 100"),
    ("unknown activity column", lambda d: rename_column(d, "hours.csv", "other", "meetings"),
     {("hours.csv", 1, "meetings"), ("hours.csv", 1, "other")}, "unknown column: got meetings"),
    ("missing column", lambda d: drop_column(d, "incidents.csv", "paged"),
     {("incidents.csv", 1, "paged")}, "missing column paged"),
    ("unknown person", lambda d: set_cell(d, "hours.csv", 4, "person", "zz99"),
     {("hours.csv", 4, "person")}, "person: got zz99; allowed: a person listed in people.csv"),
    ("duplicate person-week", lambda d: append_copy_of_line(d, "hours.csv", 2),
     {("hours.csv", "last", "person+week")}, "duplicate person+week"),
    ("outcome_week on an open project",
     lambda d: set_cell(d, "projects.csv", shipped_project_line(d), "outcome", "open"),
     {("projects.csv", "shipped", "outcome_week")}, "allowed: empty while the outcome is open"),
    ("bad outcome", lambda d: set_cell(d, "projects.csv", 2, "outcome", "done"),
     {("projects.csv", 2, "outcome")}, "outcome: got done; allowed: shipped | abandoned"),
    ("week beyond the records", lambda d: set_cell(d, "burnout.csv", 5, "week", "200"),
     {("burnout.csv", 5, "week")}, "week: got 200; allowed: at most weeks = 104"),
    ("missing team.toml key", lambda d: remove_key(d, "weeks"),
     {("team.toml", None, "weeks")}, "weeks: missing; allowed: an integer"),
    ("wrong records_version", lambda d: (d / "team.toml").write_text(
        (d / "team.toml").read_text().replace("records_version = 1", "records_version = 2")),
     {("team.toml", 2, "records_version")}, "records_version: got 2; allowed: 1"),
    ("non-UTF-8 bytes", lambda d: insert_bad_byte(d, "burnout.csv", 3),
     {("burnout.csv", 3, None)}, "not UTF-8 text: got byte 0xff"),
    ("empty file", lambda d: (d / "people.csv").write_text(""),
     {("people.csv", None, None)}, "file is empty"),
    ("missing file", lambda d: (d / "incidents.csv").unlink(),
     {("incidents.csv", None, None)}, "file missing"),
]  # fmt: skip


def _expected(folder: Path, places: set[tuple[str, object, str | None]]) -> set[tuple]:
    """Resolve the symbolic lines ("last", "shipped") of a case in ``folder`` after corruption."""
    resolved = set()
    for file, line, column in places:
        if line == "last":
            line = len((folder / file).read_text().splitlines())
        elif line == "shipped":
            rows = list(csv.reader(io.StringIO((folder / file).read_text())))
            line = next(i for i, r in enumerate(rows, 1) if r[3] == "open")
        resolved.add((file, line, column))
    return resolved


@pytest.mark.parametrize(("case", "corrupt", "places", "words"), CASES, ids=[c[0] for c in CASES])
def test_each_problem_names_file_line_and_column(
    team_copy: Path,
    case: str,
    corrupt: Corruption,
    places: set,
    words: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    corrupt(team_copy)
    problems = validate(team_copy)
    assert {(p.file, p.row, p.column) for p in problems} == _expected(team_copy, places)
    assert any(words in p.message for p in problems), [str(p) for p in problems]
    with pytest.raises(RecordsError) as raised:
        load(team_copy)
    assert raised.value.problems == problems
    assert main(["validate-records", str(team_copy)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[: len(problems)] == [str(p) for p in problems]  # one line each, then a summary
    assert len(err) == len(problems) + 1 and "Traceback" not in "\n".join(err)


def test_every_problem_is_reported_not_just_the_first(team_copy: Path) -> None:
    set_cell(team_copy, "hours.csv", 2, "build", "abc")
    set_cell(team_copy, "hours.csv", 7, "explore", "-1")
    set_cell(team_copy, "people.csv", 2, "left_reason", "fired")
    set_cell(team_copy, "burnout.csv", 3, "cbi_work", "140")
    found = {(p.file, p.row, p.column) for p in validate(team_copy)}
    assert {
        ("people.csv", 2, "left_reason"),
        ("hours.csv", 2, "build"),
        ("hours.csv", 7, "explore"),
        ("burnout.csv", 3, "cbi_work"),
    } <= found


def test_the_command_line_prints_no_traceback(team_copy: Path) -> None:
    insert_bad_byte(team_copy, "hours.csv", 5)
    set_cell(team_copy, "projects.csv", 2, "outcome", "done")
    done = subprocess.run(
        [sys.executable, "-m", "twomountains", "validate-records", str(team_copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "hours.csv:5:-: not UTF-8 text" in done.stderr
    assert "projects.csv:2:outcome: outcome: got done" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_valid_records_print_ok(synthetic_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate-records", str(synthetic_dir)]) == 0
    assert capsys.readouterr().out.startswith("ok: 6 files, ")


def test_a_missing_folder_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate-records", str(tmp_path / "nowhere")]) == 2
    assert "records folder does not exist" in capsys.readouterr().err


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)  # noqa: E501
@given(
    line=st.integers(min_value=2, max_value=400),
    column=st.sampled_from(["explore", "build", "platform", "maintenance", "incidents", "other"]),
    text=st.text(alphabet="abcxyz%-", min_size=1, max_size=6),  # never a number
)
def test_any_non_number_in_an_hours_cell_is_one_problem_there(
    team_copy: Path, line: int, column: str, text: str
) -> None:
    original = (team_copy / "hours.csv").read_text()
    try:
        set_cell(team_copy, "hours.csv", line, column, text)
        problems = validate(team_copy)
        assert [(p.row, p.column) for p in problems] == [(line, column)]
        assert problems[0].message == f"{column}: got {text}; allowed: a number from 0 to 100"
    finally:
        (team_copy / "hours.csv").write_text(original)
