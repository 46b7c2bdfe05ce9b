"""Named scenario presets, shipped as TOML files inside the package.

>>> from twomountains import scenarios
>>> "default" in scenarios.names()
True
>>> scenarios.load("startup_crunch").deadline_weeks < scenarios.load("default").deadline_weeks
True
"""

from __future__ import annotations

import tomllib
from importlib import resources

from twomountains.errors import ScenarioError
from twomountains.scenario import Scenario

_PACKAGE = "twomountains.presets"


def names() -> list[str]:
    """The names of the shipped presets, sorted."""
    return sorted(
        entry.name.removesuffix(".toml")
        for entry in resources.files(_PACKAGE).iterdir()
        if entry.name.endswith(".toml")
    )


def load(name: str) -> Scenario:
    """The preset called ``name`` (see :func:`names`)."""
    return Scenario.from_toml_dict(_read(name))


def describe(name: str) -> str:
    """The one-paragraph description stored with a preset."""
    return str(_read(name).get("description", ""))


def _read(name: str) -> dict[str, object]:
    if name not in names():
        raise ScenarioError(f"scenario: got {name!r}; allowed: one of {', '.join(names())}")
    text = resources.files(_PACKAGE).joinpath(f"{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)
