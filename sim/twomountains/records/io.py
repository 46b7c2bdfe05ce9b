"""Loading (validated) and writing a records directory."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from twomountains.records.schema import RECORDS_VERSION, TABLES, ColumnSpec
from twomountains.records.team import RecordsError, TeamRecords

#: Decimals written per column kind: hours to 0.01 h (36 s), fractional weeks to 1e-4 week (the
#: model's event times), CBI scores to 0.01 point.
DECIMALS: dict[str, int] = {"hours": 2, "week": 4, "score 0-100": 2}


def load(path: str | Path) -> TeamRecords:
    """The records in ``path``, validated; raises :class:`RecordsError` listing every problem.

    >>> import tempfile, twomountains as tm
    >>> from twomountains.records import from_run
    >>> folder = write(from_run(tm.run(seed=0, trace=True)), tempfile.mkdtemp() + "/team")
    >>> load(folder).hours.dtypes["week"]
    dtype('int64')
    >>> (folder / "team.toml").write_text("records_version = 2\\n")
    20
    >>> try:
    ...     load(folder)
    ... except RecordsError as err:
    ...     print(err.problems[0], len(err.problems))
    team.toml:-:team: team: missing; allowed: a non-empty string 4
    """
    from twomountains.records.validate import check

    problems, records = check(path)
    if records is None:
        raise RecordsError(str(path), problems)
    return records


def write(records: TeamRecords, out_dir: str | Path) -> Path:
    """Write ``records`` as a records directory (made if needed) and return its path.

    Columns are in the format's order, floats rounded (:data:`DECIMALS`), empty cells empty,
    booleans ``true``/``false``, so that ``load(write(records))`` gives the same records back.

    >>> import tempfile, twomountains as tm
    >>> from twomountains.records import from_run
    >>> folder = write(from_run(tm.run(seed=0, trace=True)), tempfile.mkdtemp() + "/team")
    >>> print((folder / "people.csv").read_text().splitlines()[0])
    person,joined_week,left_week,left_reason
    >>> load(folder).people.equals(load(write(load(folder), folder)).people)
    True
    """
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "team.toml").write_text(team_toml(records), encoding="utf-8")
    for name, spec in TABLES.items():
        frame = records.table(name)
        formatters = [_formatter(c) for c in spec.columns]
        columns = [frame[c.name].tolist() for c in spec.columns]
        lines = [",".join(spec.column_names)]
        for values in zip(*columns, strict=True):
            lines.append(",".join(f(v) for f, v in zip(formatters, values, strict=True)))
        (folder / spec.file).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def team_toml(records: TeamRecords) -> str:
    """The text of ``team.toml`` for ``records``."""
    from twomountains.scenario_files import toml_value

    lines = [
        "# Team records (see the Two Mountains researchers' page 'Team records')",
        f"records_version = {RECORDS_VERSION}",
        f"team = {toml_value(records.team)}",
        f"weeks = {records.weeks}",
        f"contracted_hours_per_week = {toml_value(float(records.contracted_hours_per_week))}",
    ]
    if records.policy:
        lines.append(f"policy = {toml_value(records.policy)}")
    return "\n".join(lines) + "\n"


def _formatter(column: ColumnSpec) -> Any:
    if column.kind == "bool":
        return lambda v: "" if _empty(v) else ("true" if v else "false")
    if column.kind == "int":
        return lambda v: "" if _empty(v) else str(int(v))
    if column.kind == "float":
        decimals = DECIMALS.get(column.unit, 4)
        return lambda v: "" if _empty(v) else _number(v, decimals)
    return lambda v: "" if _empty(v) else _quote(str(v))


def _number(value: float, decimals: int) -> str:
    x = round(float(value), decimals) + 0.0  # no "-0.0"
    return str(int(x)) if x.is_integer() else repr(x)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or _is_na(value)


def _is_na(value: Any) -> bool:
    import pandas as pd

    return value is pd.NA


def _quote(text: str) -> str:
    if any(ch in text for ch in ',"\n\r') or text != text.strip():
        return '"' + text.replace('"', '""') + '"'
    return text
