"""Team records: the format a real team's data comes in, its checks, and records made from runs.

A records directory holds ``team.toml`` and five CSV files (``people``, ``hours``, ``projects``,
``incidents``, ``burnout``); see the researchers' page "Team records" for every column. pandas is
needed (the ``research`` extra); pandera only when records are validated.

>>> import twomountains as tm
>>> from twomountains import records
>>> r = records.from_run(tm.run(seed=0, trace=True), team="demo")
>>> r.weeks, list(r.hours.columns)[:3]
(52, ['person', 'week', 'explore'])
"""

from __future__ import annotations

from twomountains.records.convert import Measurement, from_run
from twomountains.records.io import load, write
from twomountains.records.synthetic import synthetic_team
from twomountains.records.team import Problem, RecordsError, TeamRecords
from twomountains.records.validate import validate

__all__ = [
    "Measurement",
    "Problem",
    "RecordsError",
    "TeamRecords",
    "from_run",
    "load",
    "synthetic_team",
    "validate",
    "write",
]
