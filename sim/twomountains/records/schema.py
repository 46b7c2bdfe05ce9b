"""The team records format: every file, column, unit and allowed value, in one place.

The tables are described here as plain data (:data:`TABLES`, :data:`TEAM_KEYS`); the pandera
schemas (:func:`pandera_schema`), the machine-readable export in ``records/schema/`` and the
researchers' page are all made from these descriptions, so they cannot drift apart.
pandera is imported only inside :func:`pandera_schema` and :func:`export`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The format's version, written to ``team.toml`` as ``records_version``.
RECORDS_VERSION = 1

#: Activity columns of ``hours.csv``, in file order.
HOUR_COLUMNS: tuple[str, ...] = (
    "explore",
    "build",
    "platform",
    "maintenance",
    "incidents",
    "other",
)

#: The model's activity behind each column of ``hours.csv``.
MODEL_ACTIVITY: dict[str, str] = {
    "explore": "exploration",
    "build": "build",
    "platform": "platform",
    "maintenance": "maintenance",
    "incidents": "incidents",
    "other": "switching",
}

#: At most this many hours in one person-week row of ``hours.csv`` (all activities together).
MAX_WEEK_HOURS = 100.0

PROJECT_OUTCOMES: tuple[str, ...] = ("shipped", "abandoned", "cancelled", "open")
LEFT_REASONS: tuple[str, ...] = ("quit", "burnout")

#: Where the machine-readable schema ships (one JSON file per table, written by :func:`export`).
SCHEMA_DIR = Path(__file__).with_name("schema")


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a records table.

    ``kind`` is ``str``, ``int``, ``float`` or ``bool``; ``low``/``high`` bound numbers
    (inclusive unless ``low_open``); ``allowed`` lists the values of an enumerated column.
    """

    name: str
    kind: str
    unit: str
    description: str
    nullable: bool = False
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    allowed: tuple[str, ...] = ()

    def allowed_text(self) -> str:
        """What a value may be, in the words of an error message (``allowed: ...``)."""
        if self.allowed:
            text = " | ".join(self.allowed)
        elif self.kind == "bool":
            text = "true | false"
        elif self.kind == "str":
            text = "a non-empty text id"
        else:
            noun = "an integer" if self.kind == "int" else "a number"
            if self.low is not None and self.high is not None:
                text = f"{noun} from {_num(self.low)} to {_num(self.high)}"
            elif self.low is not None:
                text = f"{noun} {'>' if self.low_open else '>='} {_num(self.low)}"
            else:
                text = noun
        return f"{text} or empty" if self.nullable else text


@dataclass(frozen=True)
class TableSpec:
    """One CSV file of a records directory."""

    name: str
    description: str
    columns: tuple[ColumnSpec, ...]
    key: tuple[str, ...]  # columns that identify a row (unique)

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> ColumnSpec:
        return next(c for c in self.columns if c.name == name)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


_PERSON = ColumnSpec("person", "str", "-", "Pseudonymous person id (never a name or e-mail)")
_HOURS = tuple(
    ColumnSpec(name, "float", "hours", f"Hours on {name} in the week", low=0.0, high=MAX_WEEK_HOURS)
    for name in HOUR_COLUMNS
)

TABLES: dict[str, TableSpec] = {
    "people": TableSpec(
        "people",
        "Who was in the team, when they joined and when and why they left.",
        (
            _PERSON,
            ColumnSpec(
                "joined_week",
                "int",
                "week",
                "First week in the team (1 = there from the start)",
                low=1,
            ),  # noqa: E501
            ColumnSpec(
                "left_week",
                "int",
                "week",
                "Last week in the team; empty while still in it",
                nullable=True,
                low=1,
            ),  # noqa: E501
            ColumnSpec(
                "left_reason",
                "str",
                "-",
                "Why they left; empty while still in the team",
                nullable=True,
                allowed=LEFT_REASONS,
            ),  # noqa: E501
        ),
        ("person",),
    ),
    "hours": TableSpec(
        "hours",
        "Hours per person and week by activity; a week not recorded (or on leave) has no row.",
        (
            _PERSON,
            ColumnSpec("week", "int", "week", "Week number, 1 to `weeks` in team.toml", low=1),
            *_HOURS,
        ),
        ("person", "week"),
    ),
    "projects": TableSpec(
        "projects",
        "Projects (ideas the team was asked to explore and build) with their outcome.",
        (
            ColumnSpec("project", "str", "-", "Project id"),
            ColumnSpec(
                "arrival_week",
                "float",
                "week",
                "When it arrived (weeks since the start; week w covers (w-1, w])",
                low=0,
            ),  # noqa: E501
            ColumnSpec(
                "deadline_week",
                "float",
                "week",
                "Its deadline, if it had one",
                nullable=True,
                low=0,
            ),  # noqa: E501
            ColumnSpec("outcome", "str", "-", "What became of it", allowed=PROJECT_OUTCOMES),
            ColumnSpec(
                "outcome_week",
                "float",
                "week",
                "When the outcome happened; empty iff open",
                nullable=True,
                low=0,
            ),  # noqa: E501
        ),
        ("project",),
    ),
    "incidents": TableSpec(
        "incidents",
        "Production incidents the team handled.",
        (
            ColumnSpec("incident", "str", "-", "Incident id"),
            ColumnSpec(
                "week", "float", "week", "When someone took it (weeks since the start)", low=0
            ),  # noqa: E501
            ColumnSpec(
                "repair_hours",
                "float",
                "hours",
                "Hours spent repairing it, if logged",
                nullable=True,
                low=0,
                low_open=True,
            ),  # noqa: E501
            ColumnSpec("paged", "bool", "-", "Whether it was handled outside working hours"),
        ),
        ("incident",),
    ),
    "burnout": TableSpec(
        "burnout",
        "Burnout survey scores: Copenhagen Burnout Inventory, work-related burnout scale.",
        (
            _PERSON,
            ColumnSpec("week", "int", "week", "Week of the survey, 1 to `weeks`", low=1),
            ColumnSpec(
                "cbi_work",
                "float",
                "score 0-100",
                "CBI work-related burnout score (mean of the scale's items, 0-100; 50 or more is high)",
                low=0,
                high=100,
            ),  # noqa: E501
        ),
        ("person", "week"),
    ),
}


@dataclass(frozen=True)
class KeySpec:
    """One key of ``team.toml``."""

    name: str
    kind: str  # int, float or str
    required: bool
    description: str
    allowed: str


TEAM_KEYS: tuple[KeySpec, ...] = (
    KeySpec("records_version", "int", True, "Version of this format", f"{RECORDS_VERSION}"),
    KeySpec("team", "str", True, "A name for the team (not identifying)", "a non-empty string"),
    KeySpec("weeks", "int", True, "Number of recorded weeks", "an integer from 1 to 520"),
    KeySpec(
        "contracted_hours_per_week",
        "float",
        True,
        "Contracted hours per person and week",
        "a number from 1 to 100",
    ),
    KeySpec(
        "policy",
        "str",
        False,
        "The policy the team says it follows, as a policy spec (e.g. fixed:0.4)",
        "a policy spec (see twomountains policies)",
    ),
)


def pandas_dtype(column: ColumnSpec) -> str:
    """The pandas dtype of a column in :class:`~twomountains.records.TeamRecords`.

    >>> pandas_dtype(TABLES["people"].column("left_week"))
    'Int64'
    """
    if column.kind == "int":
        return "Int64" if column.nullable else "int64"
    return {"str": "str", "float": "float64", "bool": "bool"}[column.kind]


def pandera_schema(table: str) -> Any:
    """The pandera ``DataFrameSchema`` of one table (values and uniqueness, one table at a time).

    Cross-row and cross-file rules (a row's total hours, outcome_week empty iff open, persons known
    in people.csv, weeks within team.toml's ``weeks``) are checked in :mod:`.validate`.

    >>> pandera_schema("hours").columns["week"].dtype
    DataType(int64)
    """
    import pandera.pandas as pa

    spec = TABLES[table]
    columns = {}
    for c in spec.columns:
        checks = []
        if c.allowed:
            checks.append(pa.Check.isin(list(c.allowed)))
        if c.low is not None and c.high is not None:
            checks.append(pa.Check.in_range(c.low, c.high))
        elif c.low is not None:
            checks.append(pa.Check.gt(c.low) if c.low_open else pa.Check.ge(c.low))
        if c.kind == "str" and not c.allowed:
            checks.append(pa.Check.str_length(min_value=1))
        columns[c.name] = pa.Column(
            pandas_dtype(c),
            checks=checks,
            nullable=c.nullable,
            coerce=True,
            description=c.description,
        )
    return pa.DataFrameSchema(
        columns,
        name=spec.name,
        description=spec.description,
        strict=True,
        unique=list(spec.key),
        report_duplicates="exclude_first",
    )


def export() -> dict[str, str]:
    """The machine-readable schema: file name -> JSON text (what ships in ``records/schema/``).

    One pandera JSON schema per CSV file, and ``team.json`` for ``team.toml``.

    >>> sorted(export())
    ['burnout.json', 'hours.json', 'incidents.json', 'people.json', 'projects.json', 'team.json']
    """
    files = {}
    for name in TABLES:
        data = json.loads(pandera_schema(name).to_json())
        for column in data["columns"].values():  # "string[pyarrow]" or "str": pandas' choice
            if str(column.get("dtype", "")).startswith("str"):
                column["dtype"] = "str"
        files[f"{name}.json"] = json.dumps(data, indent=2) + "\n"
    team = {
        "file": "team.toml",
        "records_version": RECORDS_VERSION,
        "keys": {
            k.name: {
                "type": k.kind,
                "required": k.required,
                "description": k.description,
                "allowed": k.allowed,
            }
            for k in TEAM_KEYS
        },
        "unknown_keys": "not allowed",
    }
    files["team.json"] = json.dumps(team, indent=2) + "\n"
    return files


def write_export(folder: Path = SCHEMA_DIR) -> list[Path]:
    """Write :func:`export` into ``folder`` (run after changing the format; a test checks it)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in export().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":  # python -m twomountains.records.schema
    for written in write_export():
        print(written)
