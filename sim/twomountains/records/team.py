"""The records of one team in memory (:class:`TeamRecords`) and the problems a check can find."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from twomountains.errors import UsageError


@dataclass(frozen=True, eq=False)
class TeamRecords:
    """A team's records: the ``team.toml`` values and the five tables as pandas DataFrames.

    Column dtypes: ids and enumerations ``str``; whole weeks ``int64`` (``left_week``: nullable
    ``Int64``); hours, fractional weeks and scores ``float64`` (empty = NaN); ``paged`` ``bool``.
    Columns are in the order of :data:`twomountains.records.schema.TABLES`.
    """

    team: str
    weeks: int
    contracted_hours_per_week: float
    policy: str | None
    people: Any
    hours: Any
    projects: Any
    incidents: Any
    burnout: Any

    def table(self, name: str) -> Any:
        """One table by its name (``people``, ``hours``, ``projects``, ``incidents``, ``burnout``)."""
        return getattr(self, name)

    def rows(self) -> int:
        """Data rows over all five tables."""
        return sum(
            len(self.table(n)) for n in ("people", "hours", "projects", "incidents", "burnout")
        )


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a records directory.

    ``row`` is the 1-based line in the file (a CSV's header is line 1, its first data row line 2),
    or ``None`` for the whole file; ``column`` is a column (or ``team.toml`` key) or ``None``.

    >>> str(Problem("hours.csv", 3, "build", "build: got -2.0; allowed: a number from 0 to 100"))
    'hours.csv:3:build: build: got -2.0; allowed: a number from 0 to 100'
    >>> str(Problem("people.csv", None, None, "file missing"))
    'people.csv: file missing'
    """

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        place = self.file
        if self.row is not None or self.column is not None:
            place += f":{self.row if self.row is not None else '-'}:{self.column or '-'}"
        return f"{place}: {self.message}"


class RecordsError(UsageError):
    """Records that break the format; ``problems`` lists every problem found (one per line)."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        lines = "\n".join(str(p) for p in problems)
        super().__init__(f"{path}: {len(problems)} problem(s) in the team records:\n{lines}")
