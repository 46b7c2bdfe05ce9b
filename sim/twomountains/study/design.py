"""Experimental designs: design points as overrides of a base scenario.

A *design point* is a dict ``{parameter: value}`` applied on top of a base scenario. Every value is
coerced to the type of the base scenario's parameter (int, float or bool) so that the same study
always hashes, stores and reruns identically.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from twomountains.errors import UsageError

Scalar = int | float | bool
Point = dict[str, Scalar]


def coerce(name: str, value: Any, like: Scalar) -> Scalar:
    """Convert ``value`` to the type of ``like`` (the base scenario's value of ``name``).

    Integral floats become ints for integer parameters; anything else that would lose information is
    a :class:`UsageError` naming the parameter, the value and the type allowed.

    >>> coerce("team_size", 4.0, 5), coerce("deadline_weeks", 6, 8.0)
    (4, 6.0)
    """
    if isinstance(like, bool):
        if isinstance(value, bool) or value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise UsageError(f"parameter {name!r}: got {value!r}, allowed: true or false")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise UsageError(f"parameter {name!r}: got {value!r}, allowed: a number")
    if isinstance(like, int):
        if not float(value).is_integer():
            raise UsageError(f"parameter {name!r}: got {value!r}, allowed: a whole number")
        return int(value)
    if not math.isfinite(value):
        raise UsageError(f"parameter {name!r}: got {value!r}, allowed: a finite number")
    return float(value)


def check_names(names: Iterable[str], base: Mapping[str, Scalar]) -> None:
    """Raise :class:`UsageError` for any name that is not a parameter of ``base``."""
    for name in names:
        if name not in base:
            allowed = ", ".join(sorted(base))
            raise UsageError(f"unknown parameter {name!r}; allowed: {allowed}")


def factorial(grid: Mapping[str, Any], base: Mapping[str, Scalar]) -> tuple[Point, list[Point]]:
    """Split ``grid`` into fixed overrides (scalars) and the full-factorial list of swept points.

    A scalar value is fixed for the whole study; a list, tuple or range is swept. Points are listed in
    the grid's key order with the last swept parameter varying fastest.

    >>> fixed, points = factorial({"a": 1, "b": [1, 2], "c": [0.5, 1.0]}, {"a": 0, "b": 0, "c": 0.0})
    >>> fixed, points[:2]
    ({'a': 1}, [{'b': 1, 'c': 0.5}, {'b': 1, 'c': 1.0}])
    """
    check_names(grid, base)
    fixed: Point = {}
    swept: dict[str, list[Scalar]] = {}
    for name, values in grid.items():
        if isinstance(values, list | tuple | range):
            if len(values) == 0:
                raise UsageError(f"parameter {name!r}: got an empty list of values")
            swept[name] = [coerce(name, v, base[name]) for v in values]
        else:
            fixed[name] = coerce(name, values, base[name])
    names = list(swept)
    points = [dict(zip(names, combo, strict=True)) for combo in itertools.product(*swept.values())]
    return fixed, points


def normalize_points(
    design: Iterable[Mapping[str, Any]], base: Mapping[str, Scalar]
) -> tuple[list[str], list[Point]]:
    """Validate and coerce an explicit design (rows of ``{parameter: value}``, e.g. from :func:`lhs`).

    Every row must set the same parameters. Returns the parameter names and the coerced points.
    """
    rows = [dict(row) for row in design]
    if not rows:
        raise UsageError("design: got no design points, allowed: at least one")
    names = list(rows[0])
    check_names(names, base)
    points = []
    for i, row in enumerate(rows):
        if list(row) != names:
            raise UsageError(f"design row {i}: sets {sorted(row)}, expected {sorted(names)}")
        points.append({n: coerce(n, row[n], base[n]) for n in names})
    return names, points


def check_bounds(bounds: Mapping[str, Sequence[float]]) -> None:
    """Raise :class:`UsageError` unless every bound is a pair ``(low, high)`` with ``low < high``."""
    if not bounds:
        raise UsageError("bounds: got no parameters, allowed: {name: (low, high), ...}")
    for name, pair in bounds.items():
        ok = (
            isinstance(pair, list | tuple)
            and len(pair) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in pair)
        )
        if not ok or not pair[0] < pair[1]:
            raise UsageError(
                f"bounds of {name!r}: got {pair!r}, allowed: (low, high) with low < high"
            )


def is_integer_parameter(
    name: str, bounds: Sequence[float], base: Mapping[str, Scalar] | None
) -> bool:
    """Whether sampled values of ``name`` must be rounded: the base says int, or both bounds are ints."""
    if base is not None and name in base:
        return isinstance(base[name], int) and not isinstance(base[name], bool)
    return all(isinstance(v, int) for v in bounds)


def scale_unit_samples(
    unit: Any, bounds: Mapping[str, Sequence[float]], base: Mapping[str, Scalar] | None = None
) -> list[Point]:
    """Map samples already scaled to ``bounds`` (rows of an array) to points, rounding integer ones."""
    names = list(bounds)
    integer = {n: is_integer_parameter(n, bounds[n], base) for n in names}
    points: list[Point] = []
    for row in unit:
        point: Point = {}
        for name, x in zip(names, row, strict=True):
            point[name] = int(round(float(x))) if integer[name] else float(x)
        points.append(point)
    return points


def lhs(
    bounds: Mapping[str, Sequence[float]],
    n: int,
    *,
    seed: int = 0,
    base: Mapping[str, Scalar] | Any | None = None,
) -> list[Point]:
    """A Latin hypercube design of ``n`` points inside ``bounds`` (``scipy.stats.qmc``).

    Integer parameters (per ``base``, a Scenario or dict, or when both bounds are ints) are rounded.
    Pass the result as ``design=`` to :func:`twomountains.study.sweep`.

    >>> pts = lhs({"team_size": (2, 10), "deadline_weeks": (4.0, 12.0)}, 4, seed=1)
    >>> len(pts), all(isinstance(p["team_size"], int) for p in pts)
    (4, True)
    """
    from scipy.stats import qmc

    check_bounds(bounds)
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise UsageError(f"n: got {n!r}, allowed: a positive whole number")
    base_dict = as_dict(base) if base is not None else None
    sampler = qmc.LatinHypercube(d=len(bounds), seed=seed)
    lows = [float(b[0]) for b in bounds.values()]
    highs = [float(b[1]) for b in bounds.values()]
    samples = qmc.scale(sampler.random(n), lows, highs)
    return scale_unit_samples(samples, bounds, base_dict)


def as_dict(base: Any) -> dict[str, Scalar]:
    """A base scenario as a plain dict: a Scenario's ``to_dict()``, or a copy of a mapping."""
    if hasattr(base, "to_dict"):
        return dict(base.to_dict())
    if isinstance(base, Mapping):
        return dict(base)
    raise UsageError(f"scenario: got {type(base).__name__}, allowed: a Scenario or a dict")


def parse_value(text: str) -> Scalar:
    """Parse one command-line value: ``true``/``false``, an int, or a float.

    >>> parse_value("4"), parse_value("0.25"), parse_value("true")
    (4, 0.25, True)
    """
    low = text.strip().lower()
    if low in ("true", "false"):
        return low == "true"
    try:
        return int(low)
    except ValueError:
        pass
    try:
        value = float(low)
    except ValueError:
        raise UsageError(f"value {text!r} is not a number or true/false") from None
    if not math.isfinite(value):
        raise UsageError(f"value {text!r} is not a finite number")
    return value


def parse_range(name: str, text: str) -> list[Scalar]:
    """Parse ``v1,v2,...`` or an inclusive ``lo:hi:step`` range for parameter ``name``.

    >>> parse_range("x", "0:1:0.25"), parse_range("n", "2,4,8")
    ([0.0, 0.25, 0.5, 0.75, 1.0], [2, 4, 8])
    """
    if ":" in text:
        parts = text.split(":")
        if len(parts) != 3:
            raise UsageError(f"--param {name}: malformed range {text!r}, allowed: lo:hi:step")
        try:
            lo, hi, step = (parse_value(p) for p in parts)
        except UsageError:
            raise UsageError(
                f"--param {name}: malformed range {text!r}, allowed: lo:hi:step of numbers"
            ) from None
        if not (step > 0 and hi >= lo):
            raise UsageError(
                f"--param {name}: malformed range {text!r}, allowed: lo <= hi and step > 0"
            )
        count = int(math.floor((hi - lo) / step + 1e-9)) + 1
        if count > 100_000:
            raise UsageError(f"--param {name}: range {text!r} has {count} values, allowed: 100000")
        all_int = all(isinstance(v, int) and not isinstance(v, bool) for v in (lo, hi, step))
        if all_int:
            return [int(lo + k * step) for k in range(count)]
        return [round(float(lo + k * step), 12) for k in range(count)]
    values = [v for v in text.split(",") if v.strip()]
    if not values:
        raise UsageError(f"--param {name}: got no values, allowed: v1,v2,... or lo:hi:step")
    return [parse_value(v) for v in values]


def parse_assignment(text: str, option: str) -> tuple[str, str]:
    """Split ``name=value`` given to ``option``; a :class:`UsageError` when it is not of that form."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip() or not value.strip():
        raise UsageError(f"{option}: got {text!r}, allowed: name=value")
    return name.strip(), value.strip()
