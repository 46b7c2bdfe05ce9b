"""Checking a records directory: every problem, each with its file, line and column.

Reading goes in three steps, so that one bad cell never hides another problem:

1. each file is decoded (UTF-8) and split into rows with the standard ``csv`` module, which keeps
   each row's line number (the header is line 1; quoted line breaks are counted);
2. each cell is parsed to its column's type here, so a bad number is reported once, by name, and the
   column's other values are still checked;
3. the typed tables go through their pandera schemas (``lazy=True``: every failure case, with the
   row it is in), then the rules that span rows or files are checked in plain code.
"""

from __future__ import annotations

import csv
import math
import re
import tomllib
from pathlib import Path
from typing import Any

from twomountains.records.schema import (
    HOUR_COLUMNS,
    MAX_WEEK_HOURS,
    RECORDS_VERSION,
    TABLES,
    TEAM_KEYS,
    ColumnSpec,
    TableSpec,
    pandera_schema,
)
from twomountains.records.team import Problem, TeamRecords

TEAM_FILE = "team.toml"
#: Files in the order problems are reported.
FILES: tuple[str, ...] = (TEAM_FILE, *(spec.file for spec in TABLES.values()))


def validate(path: str | Path) -> list[Problem]:
    """Every problem in the records directory ``path`` (an empty list: the records are valid).

    Never raises for the records' content: a missing, unreadable or non-UTF-8 file is one problem.

    >>> import tempfile, twomountains as tm
    >>> from twomountains.records import from_run, write
    >>> folder = write(from_run(tm.run(seed=0, trace=True)), tempfile.mkdtemp() + "/team")
    >>> validate(folder)
    []
    >>> _ = (folder / "hours.csv").write_text("person,week,explore\\np01,x,1\\n")
    >>> for problem in validate(folder)[:2]:
    ...     print(problem)
    hours.csv:1:build: missing column build; the header must name: person, week, explore, build, platform, maintenance, incidents, other
    hours.csv:1:platform: missing column platform; the header must name: person, week, explore, build, platform, maintenance, incidents, other
    """  # noqa: E501
    return check(path)[0]


def check(path: str | Path) -> tuple[list[Problem], TeamRecords | None]:
    """The problems in ``path`` and, when there are none, the records (used by ``load``)."""
    folder = Path(path)
    if not folder.is_dir():
        what = "records folder does not exist" if not folder.exists() else "is a file"
        message = f"{what}; allowed: a folder holding {', '.join(FILES)}"
        return [Problem(str(path), None, None, message)], None
    problems: list[Problem] = []
    team = _check_team(folder, problems)
    frames: dict[str, Any] = {}
    for name, spec in TABLES.items():
        frames[name] = _read_table(folder, spec, problems)
    _check_across(team, frames, problems)
    problems.sort(key=lambda p: (FILES.index(p.file), p.row or 0, _column_order(p)))
    if problems:
        return problems, None
    records = TeamRecords(
        team=team["team"],
        weeks=team["weeks"],
        contracted_hours_per_week=float(team["contracted_hours_per_week"]),
        policy=team.get("policy"),
        **{name: frame.reset_index(drop=True) for name, frame in frames.items()},
    )
    return [], records


def _column_order(problem: Problem) -> int:
    for spec in TABLES.values():
        if spec.file == problem.file and problem.column in spec.column_names:
            return spec.column_names.index(problem.column)
    return -1


# --- reading files ---------------------------------------------------------------------------------
def _read_text(folder: Path, file: str, problems: list[Problem]) -> str | None:
    path = folder / file
    if not path.is_file():
        problems.append(Problem(file, None, None, "file missing (every records file is required)"))
        return None
    try:
        data = path.read_bytes()
    except OSError as err:
        problems.append(Problem(file, None, None, f"cannot read the file ({err.strerror})"))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        problems.append(
            Problem(
                file,
                line,
                None,
                f"not UTF-8 text: got byte 0x{data[err.start]:02x}; "
                "allowed: UTF-8 (save the file as UTF-8)",
            )  # fmt: skip
        )
        return None
    if text.startswith("\ufeff"):  # a byte-order mark from a spreadsheet is harmless
        text = text[1:]
    if not text.strip():
        problems.append(Problem(file, None, None, "file is empty; allowed: at least a header"))
        return None
    return text


def _line_of_key(text: str, key: str) -> int | None:
    match = re.search(rf"^\s*{re.escape(key)}\s*=", text, flags=re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _check_team(folder: Path, problems: list[Problem]) -> dict[str, Any]:
    """``team.toml``'s values; the ones with problems are left out (and reported)."""
    text = _read_text(folder, TEAM_FILE, problems)
    if text is None:
        return {}
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        found = re.search(r"line (\d+)", str(err))
        line = int(found.group(1)) if found else None
        problems.append(Problem(TEAM_FILE, line, None, f"not valid TOML: {err}"))
        return {}
    team: dict[str, Any] = {}
    known = {k.name for k in TEAM_KEYS}
    for key in sorted(set(data) - known):
        problems.append(
            Problem(
                TEAM_FILE,
                _line_of_key(text, key),
                key,
                f"unknown key: got {key}; allowed: {', '.join(sorted(known))}",
            )  # fmt: skip
        )
    for k in TEAM_KEYS:
        if k.name not in data:
            if k.required:
                problems.append(
                    Problem(TEAM_FILE, None, k.name, f"{k.name}: missing; allowed: {k.allowed}")
                )  # noqa: E501
            continue
        value = data[k.name]
        ok = _team_value_ok(k.name, value)
        if ok is not True:
            problems.append(
                Problem(
                    TEAM_FILE,
                    _line_of_key(text, k.name),
                    k.name,
                    ok or f"{k.name}: got {value!r}; allowed: {k.allowed}",
                )  # fmt: skip
            )
        else:
            team[k.name] = value
    return team


def _team_value_ok(name: str, value: Any) -> bool | str:
    """True if ``value`` is allowed for ``name``; False or a message if not."""
    if name == "records_version":
        return type(value) is int and value == RECORDS_VERSION
    if name == "team":
        return isinstance(value, str) and bool(value.strip())
    if name == "weeks":
        return type(value) is int and 1 <= value <= 520
    if name == "contracted_hours_per_week":
        return type(value) in (int, float) and 1 <= value <= 100
    if name == "policy":
        if not isinstance(value, str):
            return False
        from twomountains.errors import PolicyError
        from twomountains.policies import from_spec

        try:
            from_spec(value)
        except PolicyError as err:
            return f"policy: {err}"
        return True
    return False  # pragma: no cover - every key is handled above


def _read_table(folder: Path, spec: TableSpec, problems: list[Problem]) -> Any:
    """The table as a typed DataFrame indexed by line number (``None`` if unreadable)."""
    import pandas as pd

    text = _read_text(folder, spec.file, problems)
    if text is None:
        return None
    reader = csv.reader(text.splitlines(keepends=True))
    header = next(reader)
    width = len(header)
    names = [h.strip() for h in header]
    seen: set[str] = set()
    expected = ", ".join(spec.column_names)
    for name in names:
        if name in seen:
            problems.append(Problem(spec.file, 1, name, f"column {name} appears twice"))
        elif name not in spec.column_names:
            problems.append(
                Problem(
                    spec.file,
                    1,
                    name or None,
                    f"unknown column: got {name or '(empty)'}; allowed: {expected}",
                )  # fmt: skip
            )
        seen.add(name)
    present = [c for c in spec.columns if c.name in names]
    for c in spec.columns:
        if c.name not in names:
            problems.append(
                Problem(
                    spec.file,
                    1,
                    c.name,
                    f"missing column {c.name}; the header must name: {expected}",
                )  # noqa: E501
            )
    position = {c.name: names.index(c.name) for c in present}
    lines: list[int] = []
    cells: dict[str, list[str]] = {c.name: [] for c in present}
    try:
        for fields in reader:
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                continue  # a blank line
            if len(fields) != width:
                problems.append(
                    Problem(
                        spec.file,
                        reader.line_num,
                        None,
                        f"fields: got {len(fields)}; allowed: {width} (one per header column)",
                    )  # fmt: skip
                )
                continue
            lines.append(reader.line_num)
            for c in present:
                cells[c.name].append(fields[position[c.name]].strip())
    except csv.Error as err:
        problems.append(Problem(spec.file, reader.line_num, None, f"not valid CSV: {err}"))
    index = pd.Index(lines, dtype="int64", name="line")
    typed: dict[str, Any] = {}
    bad_cells: set[tuple[int, str]] = set()
    for c in present:
        typed[c.name] = _parse_column(pd, spec, c, cells[c.name], index, problems, bad_cells)
    frame = pd.DataFrame(typed, index=index)
    return _apply_schema(spec, frame, [c.name for c in present], problems, bad_cells)


def _parse_column(
    pd: Any,
    spec: TableSpec,
    column: ColumnSpec,
    raw: list[str],
    index: Any,
    problems: list[Problem],
    bad_cells: set[tuple[int, str]],
) -> Any:
    """One column parsed to its type; an unparsable cell is reported and becomes empty."""
    values: list[Any] = []
    for line, text in zip(index, raw, strict=True):
        if text == "":
            values.append(None)
            continue
        value = _parse_cell(column.kind, text)
        if value is None:
            bad_cells.add((line, column.name))
            problems.append(
                Problem(
                    spec.file,
                    int(line),
                    column.name,
                    f"{column.name}: got {text}; allowed: {column.allowed_text()}",
                )  # fmt: skip
            )
        values.append(value)
    dtype = {"int": "Int64", "float": "float64", "bool": "boolean", "str": "str"}[column.kind]
    return pd.Series(values, index=index, dtype=dtype)


def _parse_cell(kind: str, text: str) -> Any:
    if kind == "str":
        return text
    if kind == "bool":
        return {"true": True, "false": False}.get(text.lower())
    try:
        number = float(text)
    except ValueError:
        return None
    if not math.isfinite(number):
        return None
    if kind == "int":
        return int(number) if number.is_integer() and "." not in text else None
    return number


def _apply_schema(
    spec: TableSpec,
    frame: Any,
    present: list[str],
    problems: list[Problem],
    bad_cells: set[tuple[int, str]],
) -> Any:
    import pandera.pandas as pa

    schema = pandera_schema(spec.name)
    missing = [c for c in spec.column_names if c not in present]
    if missing:
        schema = schema.remove_columns(missing)
        if any(k in missing for k in spec.key):
            schema = _without_unique(schema)
    try:
        return schema.validate(frame, lazy=True)[list(present)]
    except pa.errors.SchemaErrors as err:
        _report_failures(spec, err.failure_cases, problems, bad_cells)
        return frame  # still checked across files (bad cells are empty there)


def _without_unique(schema: Any) -> Any:
    """The schema without its key check (a key column is missing; that is reported already)."""
    import copy

    new = copy.deepcopy(schema)
    new.unique = None
    return new


def _report_failures(
    spec: TableSpec, failures: Any, problems: list[Problem], bad_cells: set[tuple[int, str]]
) -> None:
    """pandera's failure cases as problems: one per cell (or per row, for a duplicate key)."""
    reported: set[tuple[Any, str]] = set()
    key = "+".join(spec.key)
    for case in failures.itertuples(index=False):
        line = None if case.index is None or _is_missing(case.index) else int(case.index)
        check = str(case.check)
        if "uniqueness" in check:
            if line is None or (line, key) in reported:
                continue
            reported.add((line, key))
            problems.append(
                Problem(
                    spec.file,
                    line,
                    key,
                    f"duplicate {key}: an earlier row has the same {' and '.join(spec.key)}; "
                    f"allowed: each {' and '.join(spec.key)} once",
                )  # fmt: skip
            )
            continue
        column = str(case.column)
        if (line, column) in bad_cells or (line, column) in reported:
            continue  # already reported as unparsable (and then left empty)
        reported.add((line, column))
        c = spec.column(column) if column in spec.column_names else None
        allowed = c.allowed_text() if c else "see the records format"
        if _is_missing(case.failure_case):
            message = f"{column}: missing; allowed: {allowed}"
        elif check.startswith(("isin", "in_range", "greater", "less", "str_length")):
            message = f"{column}: got {_show(case.failure_case)}; allowed: {allowed}"
        else:
            message = f"{column}: got {_show(case.failure_case)}; fails {check}"
        problems.append(Problem(spec.file, line, column, message))


def _is_missing(value: Any) -> bool:
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _show(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else str(value)
    return str(value)


# --- rules across rows and files -------------------------------------------------------------------------
def _usable(frame: Any, *columns: str) -> bool:
    return frame is not None and all(c in frame.columns for c in columns)


def _rows(frame: Any, *columns: str) -> Any:
    """(line, values...) for the rows where every one of ``columns`` has a value."""
    for line, *values in zip(frame.index, *(frame[c] for c in columns), strict=True):
        if not any(_is_missing(v) for v in values):
            yield int(line), *values


def _check_across(team: dict[str, Any], frames: dict[str, Any], problems: list[Problem]) -> None:
    weeks = team.get("weeks")
    people, hours = frames["people"], frames["hours"]
    span: dict[str, tuple[int, int | None]] | None = None
    if _usable(people, "person", "joined_week", "left_week", "left_reason"):
        span = _check_people(people, weeks, problems)
    for file, frame in (("hours.csv", hours), ("burnout.csv", frames["burnout"])):
        if _usable(frame, "person", "week"):
            _check_person_weeks(file, frame, weeks, span, problems)
    if _usable(hours, *HOUR_COLUMNS):
        totals = hours[list(HOUR_COLUMNS)].sum(axis=1)
        for line, total in totals[totals > MAX_WEEK_HOURS].items():
            problems.append(
                Problem(
                    "hours.csv",
                    int(line),
                    None,
                    f"total hours: got {_show(round(float(total), 2))}; "
                    f"allowed: at most {MAX_WEEK_HOURS:g} per person-week",
                )  # fmt: skip
            )
    projects = frames["projects"]
    if _usable(projects, "arrival_week", "deadline_week", "outcome", "outcome_week"):
        for line, row in zip(projects.index, projects.to_dict("records"), strict=True):
            _check_project(int(line), row, weeks, problems)
    incidents = frames["incidents"]
    if weeks is not None and _usable(incidents, "week"):
        for line, week in _rows(incidents, "week"):
            if week > weeks:
                problems.append(_beyond("incidents.csv", line, "week", week, weeks))


def _check_people(
    people: Any, weeks: int | None, problems: list[Problem]
) -> dict[str, tuple[int, int | None]]:
    """Check each person's weeks and reason; return their weeks in the team by person."""
    span: dict[str, tuple[int, int | None]] = {}
    file = "people.csv"
    columns = ("person", "joined_week", "left_week", "left_reason")
    for line, person, joined, left, reason in zip(
        people.index, *(people[c] for c in columns), strict=True
    ):
        if _is_missing(person) or _is_missing(joined):
            continue
        left = None if _is_missing(left) else int(left)
        has_reason = not _is_missing(reason)
        span[person] = (int(joined), left)
        if weeks is not None and joined > weeks:
            problems.append(_beyond(file, line, "joined_week", joined, weeks))
        if left is not None and weeks is not None and left > weeks:
            problems.append(_beyond(file, line, "left_week", left, weeks))
        if left is not None and left < joined:
            problems.append(
                Problem(
                    file,
                    int(line),
                    "left_week",
                    f"left_week: got {left}; allowed: joined_week ({joined}) or later",
                )  # fmt: skip
            )
        if (left is None) == has_reason:
            problems.append(
                Problem(
                    file,
                    int(line),
                    "left_reason",
                    f"left_reason: got {reason if has_reason else '(empty)'}; allowed: "
                    "quit | burnout when left_week is given, else empty",
                )  # fmt: skip
            )
    return span


def _check_person_weeks(
    file: str,
    frame: Any,
    weeks: int | None,
    span: dict[str, tuple[int, int | None]] | None,
    problems: list[Problem],
) -> None:
    """Weeks within the records, and persons known in people.csv and in the team that week."""
    for line, person, week in _rows(frame, "person", "week"):
        if weeks is not None and week > weeks:
            problems.append(_beyond(file, line, "week", week, weeks))
        if span is None:
            continue  # people.csv unreadable: reported already
        if person not in span:
            problems.append(
                Problem(
                    file,
                    line,
                    "person",
                    f"person: got {person}; allowed: a person listed in people.csv",
                )  # fmt: skip
            )
            continue
        joined, left = span[person]
        if week < joined or (left is not None and week > left):
            until = f" to {left}" if left is not None else " on"
            problems.append(
                Problem(
                    file,
                    line,
                    "week",
                    f"week: got {week}; allowed: {person}'s weeks in the team "
                    f"({joined}{until}, people.csv)",
                )  # fmt: skip
            )


def _check_project(
    line: int, row: dict[str, Any], weeks: int | None, problems: list[Problem]
) -> None:  # noqa: E501
    arrival, deadline = row["arrival_week"], row["deadline_week"]
    outcome, when = row["outcome"], row["outcome_week"]
    file = "projects.csv"
    if not _is_missing(outcome):
        if outcome == "open" and not _is_missing(when):
            problems.append(
                Problem(
                    file,
                    line,
                    "outcome_week",
                    f"outcome_week: got {_show(when)}; allowed: empty while the outcome is open",
                )  # fmt: skip
            )
        elif outcome != "open" and _is_missing(when):
            problems.append(
                Problem(
                    file,
                    line,
                    "outcome_week",
                    f"outcome_week: missing; allowed: a number when the outcome is {outcome}",
                )  # fmt: skip
            )
    if not _is_missing(arrival):
        for column, value in (("deadline_week", deadline), ("outcome_week", when)):
            if not _is_missing(value) and value < arrival:
                problems.append(
                    Problem(
                        file,
                        line,
                        column,
                        f"{column}: got {_show(value)}; allowed: arrival_week ({_show(arrival)}) or later",
                    )  # noqa: E501
                )
    if weeks is not None:
        for column, value in (("arrival_week", arrival), ("outcome_week", when)):
            if not _is_missing(value) and value > weeks:
                problems.append(_beyond(file, line, column, value, weeks))


def _beyond(file: str, line: Any, column: str, value: Any, weeks: int) -> Problem:
    return Problem(
        file, int(line), column, f"{column}: got {_show(value)}; allowed: at most weeks = {weeks} (team.toml)"
    )  # fmt: skip


__all__ = ["FILES", "TEAM_FILE", "check", "validate"]
