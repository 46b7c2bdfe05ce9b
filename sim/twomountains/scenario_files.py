"""Scenario files: reading a scenario from TOML with one-line errors, and writing a commented one.

A scenario file is flat TOML, ``name = value`` per parameter; parameters it leaves out keep their
defaults, and the descriptive keys ``name`` and ``description`` are ignored by the model.
:func:`commented_toml` writes every parameter with its meaning, unit, allowed range and source as
comments, which is what ``twomountains scenarios --show NAME`` prints:

>>> from twomountains import Scenario
>>> text = commented_toml(Scenario().replace(team_size=4), name="small")
>>> print(text.splitlines()[text.splitlines().index("team_size = 4  # changed; default 6") - 2])
# Number of people in the team [people]; allowed: an integer from 1 to 100
>>> Scenario.from_toml_dict(__import__("tomllib").loads(text)).team_size
4

Standard library only (the explorer runs it in the browser).
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path

from twomountains.errors import ScenarioError
from twomountains.scenario import ParamInfo, Scenario


def looks_like_file(text: str) -> bool:
    """Whether ``--scenario TEXT`` names a file rather than a preset (``.toml``, a path, a file)."""
    return text.endswith(".toml") or "/" in text or os.sep in text or Path(text).is_file()


def read(path: str | os.PathLike[str], option: str = "scenario file") -> Scenario:
    """The scenario in the TOML file at ``path``.

    Every problem is a :class:`ScenarioError` whose message is one line naming the file: missing,
    unreadable, not UTF-8, not TOML, or holding an unknown or out-of-range parameter.
    """
    where = str(path)
    if not Path(path).exists():
        raise ScenarioError(f"{option}: {where!r} not found")
    if Path(path).is_dir():
        raise ScenarioError(f"{option}: {where!r} is a folder, not a TOML file")
    try:
        raw = Path(path).read_bytes()
    except OSError as err:
        raise ScenarioError(f"{option}: cannot read {where!r}: {err.strerror or err}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ScenarioError(
            f"{option}: {where!r} is not UTF-8 text (byte 0x{raw[err.start]:02x} at offset "
            f"{err.start}); save it as UTF-8"
        ) from None
    try:
        data = tomllib.loads(text.removeprefix("\ufeff"))  # a byte-order mark is not TOML
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"{option}: {where!r} is not valid TOML ({err})") from None
    try:
        return Scenario.from_toml_dict(data)
    except ScenarioError as err:
        raise ScenarioError(f"{option} {where!r}: {err}") from None
    except (TypeError, ValueError) as err:  # e.g. a table where a number belongs
        raise ScenarioError(f"{option} {where!r}: {err}") from None


def load(text: str, option: str = "--scenario") -> Scenario:
    """A preset by name, or the scenario file ``text`` (see :func:`looks_like_file`)."""
    from twomountains import scenarios

    if looks_like_file(text):
        return read(text, option)
    return scenarios.load(text)


def allowed(param: ParamInfo) -> str:
    """The allowed values of a parameter, in words (as error messages say them)."""
    if param.kind == "bool":
        return "true or false"
    noun = "an integer" if param.kind == "int" else "a number"
    return f"{noun} from {_number(param.low)} to {_number(param.high)}"


def _number(x: float | None) -> str:
    if x is None:
        return "any"
    return str(int(x)) if float(x).is_integer() else repr(x)


def toml_value(value: int | float | bool | str) -> str:
    """One TOML value: ``true``/``false``, an integer, a float that stays a float, or a string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    return repr(value)


def commented_toml(
    scenario: Scenario, name: str | None = None, description: str | None = None
) -> str:
    """``scenario`` as a TOML file listing every parameter, commented, grouped as in the docs.

    Parameters that differ from the defaults are marked ``# changed; default X``. The text reads
    back identically with ``Scenario.from_toml``.
    """
    lines = [
        "# A Two Mountains scenario file (TOML). Every parameter is listed with its meaning, unit,",
        "# allowed values and source; a file may list only the parameters it changes, the others",
        "# keep their defaults. Use it with:  twomountains run --scenario THIS_FILE.toml",
        "# or in Python:  tm.Scenario.from_toml('THIS_FILE.toml')",
    ]
    if name is not None:
        lines.append(f"name = {toml_value(name)}")
    if description:
        lines.append(f"description = {toml_value(description)}")
    group = None
    for param in Scenario.parameters():
        if param.group != group:
            group = param.group
            lines += ["", f"# ---- {group or 'other'} " + "-" * max(4, 92 - len(group or "other"))]
        value = getattr(scenario, param.name)
        lines.append(f"# {param.meaning} [{param.unit}]; allowed: {allowed(param)}")
        lines.append(f"# source: {param.source}")
        changed = (
            "" if value == param.default else f"  # changed; default {toml_value(param.default)}"
        )
        lines.append(f"{param.name} = {toml_value(value)}{changed}")
    return "\n".join(lines) + "\n"
