"""Weitzman (1979), "Optimal Search for the Best Alternative", Econometrica 47(3): 641-654.

Pandora faces closed boxes. Opening box ``i`` costs ``c_i`` and reveals a prize ``X_i`` drawn
from a known distribution; she keeps the best prize found (or an outside option) and pays for
every box she opened. Weitzman's rule is optimal: give each box the *reservation value* ``z_i``
that solves ``c_i = E[(X_i - z_i)+]``, open boxes in decreasing order of ``z_i``, and stop as soon
as the best prize in hand is at least every unopened reservation value. Its expected payoff is
``E[max(outside, max_i min(X_i, z_i))]`` (Kleinberg, Waggoner and Weyl 2016), which
:func:`optimal_expected_value` computes by integration, independently of any simulation.

Distributions: :class:`Uniform`, :class:`Normal` and :class:`Discrete` have exact reservation
values. Any other object works if it follows the duck-typed protocol :class:`ValueDistribution`:
``cdf(x)`` and ``rvs(size=..., random_state=...)`` -- which every frozen ``scipy.stats``
distribution does (its ``support()`` is used too when present). Its reservation value is found
numerically (``brentq`` on ``E[(X - z)+] = integral of 1 - F from z to infinity``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal, Protocol, runtime_checkable

import numpy as np
from scipy import integrate, optimize, special, stats

from twomountains.errors import UsageError

__all__ = [
    "Box",
    "Discrete",
    "Normal",
    "SearchStep",
    "SearchValue",
    "Uniform",
    "ValueDistribution",
    "expected_excess",
    "expected_value",
    "explain_search",
    "optimal_expected_value",
    "reservation_value",
]

Policy = Literal["optimal", "all", "one"] | tuple[Literal["k"], int]


@runtime_checkable
class ValueDistribution(Protocol):
    """What a box's value distribution must offer (frozen ``scipy.stats`` objects qualify).

    ``cdf(x)`` returns P(X <= x); ``rvs(size=n, random_state=rng)`` returns ``n`` draws using the
    given ``numpy.random.Generator``. Optionally ``support()`` returns ``(low, high)`` bounds,
    which makes the numeric reservation value faster and more accurate.
    """

    def cdf(self, x: Any) -> Any: ...

    def rvs(self, size: int, random_state: np.random.Generator) -> Any: ...


def _finite(name: str, value: float) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise UsageError(f"{name} must be a finite number; got {value!r}") from None
    if not math.isfinite(x):
        raise UsageError(f"{name} must be a finite number; got {value!r}")
    return x


@dataclass(frozen=True)
class Uniform:
    """Prize uniform on ``[lo, hi]``."""

    lo: float
    hi: float

    def __post_init__(self) -> None:
        lo, hi = _finite("Uniform.lo", self.lo), _finite("Uniform.hi", self.hi)
        if hi <= lo:
            raise UsageError(f"Uniform needs lo < hi; got lo={self.lo!r}, hi={self.hi!r}")

    def cdf(self, x: Any) -> Any:
        return np.clip((np.asarray(x, dtype=float) - self.lo) / (self.hi - self.lo), 0.0, 1.0)

    def rvs(self, size: int, random_state: np.random.Generator) -> np.ndarray:
        return random_state.uniform(self.lo, self.hi, size)

    def support(self) -> tuple[float, float]:
        return float(self.lo), float(self.hi)

    def expected_excess(self, z: float) -> float:
        """E[(X - z)+]: ``(hi - z)^2 / (2 (hi - lo))`` inside the support, linear below it."""
        if z >= self.hi:
            return 0.0
        if z <= self.lo:
            return (self.lo + self.hi) / 2 - z
        return (self.hi - z) ** 2 / (2 * (self.hi - self.lo))

    def reservation_value(self, cost: float) -> float:
        """``hi - sqrt(2 c (hi - lo))`` while that is >= lo, else ``mean - c``."""
        z = self.hi - math.sqrt(2 * cost * (self.hi - self.lo))
        return z if z >= self.lo else (self.lo + self.hi) / 2 - cost


@dataclass(frozen=True)
class Normal:
    """Prize normal with mean ``mu`` and standard deviation ``sigma``."""

    mu: float
    sigma: float

    def __post_init__(self) -> None:
        _finite("Normal.mu", self.mu)
        if _finite("Normal.sigma", self.sigma) <= 0:
            raise UsageError(f"Normal.sigma must be > 0; got {self.sigma!r}")

    def cdf(self, x: Any) -> Any:
        return stats.norm.cdf(x, self.mu, self.sigma)

    def rvs(self, size: int, random_state: np.random.Generator) -> np.ndarray:
        return random_state.normal(self.mu, self.sigma, size)

    def expected_excess(self, z: float) -> float:
        """E[(X - z)+] = sigma (phi(u) - u (1 - Phi(u))) with ``u = (z - mu) / sigma``."""
        return self.sigma * _standard_loss((z - self.mu) / self.sigma)

    def reservation_value(self, cost: float) -> float:
        """Solve the standard normal loss equation ``L(u) = c / sigma`` exactly (``brentq``)."""
        target = cost / self.sigma
        # L(u) decreases from +inf to 0 and L(u) > -u, so the root lies in [-target, hi].
        hi = 1.0
        while _standard_loss(hi) > target:
            hi *= 2
            if hi > 40:  # L(40) underflows: the cost is too small to represent
                raise UsageError(f"cost {cost!r} is too small for Normal(sigma={self.sigma})")
        return self.mu + self.sigma * optimize.brentq(
            lambda u: _standard_loss(u) - target, -target, hi, xtol=1e-14, rtol=1e-14
        )


def _standard_loss(u: float) -> float:
    # scipy.special directly: brentq calls this often and scipy.stats adds overhead per call
    return math.exp(-u * u / 2) / math.sqrt(2 * math.pi) - u * float(special.ndtr(-u))


@dataclass(frozen=True)
class Discrete:
    """Prize taking ``values[i]`` with probability ``probs[i]`` (probabilities sum to 1)."""

    values: Sequence[float]
    probs: Sequence[float]
    _v: np.ndarray = field(init=False, repr=False, compare=False)
    _p: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        v = np.asarray(self.values, dtype=float)
        p = np.asarray(self.probs, dtype=float)
        if v.ndim != 1 or v.size == 0 or v.shape != p.shape:
            raise UsageError(
                "Discrete needs equally long, non-empty values and probs; "
                f"got values={self.values!r}, probs={self.probs!r}"
            )
        if not np.all(np.isfinite(v)) or np.any(p < 0) or not math.isclose(p.sum(), 1.0):
            raise UsageError(
                "Discrete needs finite values and non-negative probs summing to 1; "
                f"got values={self.values!r}, probs={self.probs!r}"
            )
        order = np.argsort(v)
        object.__setattr__(self, "_v", v[order])
        object.__setattr__(self, "_p", p[order] / p.sum())

    def cdf(self, x: Any) -> Any:
        cum = np.concatenate([[0.0], np.cumsum(self._p)])
        return cum[np.searchsorted(self._v, np.asarray(x, dtype=float), side="right")]

    def rvs(self, size: int, random_state: np.random.Generator) -> np.ndarray:
        return random_state.choice(self._v, size=size, p=self._p)

    def support(self) -> tuple[float, float]:
        return float(self._v[0]), float(self._v[-1])

    def expected_excess(self, z: float) -> float:
        """E[(X - z)+] = sum of ``p_i (v_i - z)`` over values above ``z``."""
        return float(np.sum(self._p * np.maximum(self._v - z, 0.0)))

    def reservation_value(self, cost: float) -> float:
        """Exact: E[(X - z)+] is piecewise linear in ``z`` with kinks at the values."""
        excess_at = np.array([self.expected_excess(v) for v in self._v])  # decreasing
        if cost >= excess_at[0]:  # below every value: E[(X - z)+] = E[X] - z
            return float(np.sum(self._p * self._v)) - cost
        j = int(np.flatnonzero(excess_at > cost)[-1]) + 1  # root lies in (v[j-1], v[j]]
        tail_p, tail_pv = self._p[j:].sum(), np.sum(self._p[j:] * self._v[j:])
        return float((tail_pv - cost) / tail_p)


def _check_dist(dist: object, where: str) -> None:
    if not isinstance(dist, ValueDistribution):
        raise UsageError(
            f"{where} must have cdf(x) and rvs(size=, random_state=) methods "
            f"(Uniform, Normal, Discrete or a frozen scipy.stats distribution); got {dist!r}"
        )


def _check_cost(cost: float) -> float:
    c = _finite("cost", cost)
    if c <= 0:
        raise UsageError(f"cost must be > 0 (a free box is simply opened); got {cost!r}")
    return c


def expected_excess(dist: ValueDistribution, z: float) -> float:
    """E[(X - z)+]: exact for the built-in distributions, else by integrating ``1 - F``."""
    exact = getattr(dist, "expected_excess", None)
    if exact is not None:
        return float(exact(z))
    return _numeric_excess(dist, z)


def _numeric_excess(dist: ValueDistribution, z: float) -> float:
    low, high = _support(dist)
    if z >= high:
        return 0.0
    start = max(z, low)
    below = start - z  # below the support 1 - F = 1

    def survival(x: float) -> float:
        return 1.0 - float(dist.cdf(x))

    if math.isfinite(high):
        area = integrate.quad(survival, start, high, limit=500, epsabs=1e-12)[0]
    else:
        area = integrate.quad(survival, start, math.inf, limit=500, epsabs=1e-12)[0]
    return below + area


def _support(dist: object) -> tuple[float, float]:
    support = getattr(dist, "support", None)
    if support is None:
        return -math.inf, math.inf
    low, high = support()
    return float(low), float(high)


def reservation_value(
    cost: float, dist: ValueDistribution, method: Literal["auto", "numeric"] = "auto"
) -> float:
    """The ``z`` solving ``cost = E[(X - z)+]``.

    ``method="auto"`` uses the distribution's exact solution when it has one
    (:class:`Uniform`, :class:`Normal`, :class:`Discrete`); ``"numeric"`` always root-finds.

    Example:
        >>> round(reservation_value(0.02, Uniform(0, 1)), 6)  # 1 - sqrt(2 * 0.02)
        0.8
    """
    cost = _check_cost(cost)
    _check_dist(dist, "dist")
    if method not in ("auto", "numeric"):
        raise UsageError(f"method must be 'auto' or 'numeric'; got {method!r}")
    exact = getattr(dist, "reservation_value", None)
    if method == "auto" and exact is not None:
        return float(exact(cost))

    def gap(z: float) -> float:
        return _numeric_excess(dist, z) - cost

    low, high = _support(dist)
    a = low if math.isfinite(low) else -1.0
    b = high if math.isfinite(high) else 1.0
    step = max(1.0, abs(b - a))
    while gap(a) <= 0:  # E[(X - z)+] grows without bound as z falls
        a -= step
        step *= 2
    step = max(1.0, abs(b - a))
    while gap(b) > 0:
        b += step
        step *= 2
    return float(optimize.brentq(gap, a, b, xtol=1e-12, rtol=1e-12))


@dataclass(frozen=True)
class Box:
    """A closed box: opening it costs ``cost`` and reveals a prize drawn from ``dist``."""

    cost: float
    dist: ValueDistribution
    name: str = ""

    def __post_init__(self) -> None:
        _check_cost(self.cost)
        _check_dist(self.dist, f"Box({self.name or self.cost}).dist")

    @cached_property
    def reservation_value(self) -> float:
        """Weitzman's reservation value of this box (computed once)."""
        return reservation_value(self.cost, self.dist)


@dataclass(frozen=True)
class SearchValue:
    """Monte Carlo estimate of a policy's expected net payoff.

    Attributes:
        policy: the policy evaluated.
        mean: mean of (best prize kept - costs paid) over the simulations.
        se: standard error of ``mean``.
        mean_opened: average number of boxes opened.
        n_sims: number of simulated searches.
    """

    policy: Policy
    mean: float
    se: float
    mean_opened: float
    n_sims: int


def _check_boxes(boxes: Sequence[Box]) -> list[Box]:
    boxes = list(boxes)
    if not boxes or not all(isinstance(b, Box) for b in boxes):
        raise UsageError(f"boxes must be a non-empty list of Box; got {boxes!r}")
    return boxes


def _order(boxes: list[Box]) -> tuple[np.ndarray, np.ndarray]:
    z = np.array([b.reservation_value for b in boxes])
    order = np.argsort(-z, kind="stable")
    return order, z


def _draw(boxes: list[Box], n_sims: int, rng: np.random.Generator) -> np.ndarray:
    return np.column_stack(
        [np.asarray(b.dist.rvs(size=n_sims, random_state=rng), dtype=float) for b in boxes]
    )


def expected_value(
    boxes: Sequence[Box],
    policy: Policy = "optimal",
    n_sims: int = 100_000,
    seed: int = 0,
    outside: float = 0.0,
) -> SearchValue:
    """Expected net payoff of a search policy, by Monte Carlo.

    Policies: ``"optimal"`` (Weitzman's rule), ``"all"`` (open every box), ``"one"`` (open only
    the box with the highest reservation value) and ``("k", k)`` (open the ``k`` boxes with the
    highest reservation values whatever they reveal). The payoff is the best of ``outside`` and
    the prizes found, minus the costs paid; ``outside=-inf`` forces at least one box open.
    Policies evaluated with the same seed see the same prizes (common random numbers).

    Example:
        >>> boxes = [Box(0.02, Uniform(0, 1)), Box(0.1, Uniform(0, 1))]
        >>> best = expected_value(boxes, "optimal", n_sims=20_000)
        >>> best.mean > expected_value(boxes, "all", n_sims=20_000).mean
        True
    """
    boxes = _check_boxes(boxes)
    if isinstance(n_sims, bool) or not isinstance(n_sims, int) or n_sims < 2:
        raise UsageError(f"n_sims must be an integer >= 2; got {n_sims!r}")
    outside = float(outside)
    order, z = _order(boxes)
    costs = np.array([b.cost for b in boxes])[order]
    prizes = _draw(boxes, n_sims, np.random.default_rng(seed))[:, order]
    z = z[order]

    if policy == "optimal":
        best = np.full(n_sims, outside)
        opened = np.zeros((n_sims, len(boxes)), dtype=bool)
        for i in range(len(boxes)):
            # Boxes are sorted by z, so the best unopened reservation value is z[i].
            go = best < z[i]
            opened[:, i] = go
            best = np.where(go, np.maximum(best, prizes[:, i]), best)
        payoff = best - opened.astype(float) @ costs
        count = opened.sum(axis=1)
    else:
        k = _fixed_count(policy, len(boxes))
        best = np.maximum(outside, prizes[:, :k].max(axis=1))
        payoff = best - costs[:k].sum()
        count = np.full(n_sims, k)
    return SearchValue(
        policy=policy,
        mean=float(payoff.mean()),
        se=float(payoff.std(ddof=1) / math.sqrt(n_sims)),
        mean_opened=float(count.mean()),
        n_sims=n_sims,
    )


def _fixed_count(policy: object, n_boxes: int) -> int:
    if policy == "all":
        return n_boxes
    if policy == "one":
        return 1
    if (
        isinstance(policy, tuple)
        and len(policy) == 2
        and policy[0] == "k"
        and isinstance(policy[1], int)
        and 1 <= policy[1] <= n_boxes
    ):
        return policy[1]
    raise UsageError(
        f"policy must be 'optimal', 'all', 'one' or ('k', k) with 1 <= k <= {n_boxes}; "
        f"got {policy!r}"
    )


def optimal_expected_value(boxes: Sequence[Box], outside: float = 0.0) -> float:
    """Exact expected payoff of Weitzman's rule: ``E[max(outside, max_i min(X_i, z_i))]``.

    Computed by integrating the distribution of that maximum, ``prod_i P(min(X_i, z_i) <= x)``,
    so it checks the simulation rather than repeating it. Needs a finite ``outside``.

    Example:
        >>> round(optimal_expected_value([Box(0.08, Uniform(0, 1))]), 6)  # 1/2 - c
        0.42
    """
    boxes = _check_boxes(boxes)
    outside = _finite("outside", outside)
    z = np.array([b.reservation_value for b in boxes])

    def below(x: float) -> float:  # P(max_i min(X_i, z_i) <= x)
        return math.prod(
            1.0 if x >= zi else float(b.dist.cdf(x)) for b, zi in zip(boxes, z, strict=True)
        )

    top = float(z.max())
    if top <= outside:
        return outside
    points = sorted({float(v) for v in z if outside < v < top})
    area = integrate.quad(
        lambda x: 1.0 - below(x), outside, top, points=points or None, limit=500, epsabs=1e-12
    )[0]
    return outside + area


@dataclass(frozen=True)
class SearchStep:
    """One step of a search explained by :func:`explain_search`.

    Attributes:
        box: index of the box in the caller's list, or ``None`` for the final stop.
        name: the box's name (or ``"box <index>"``), or ``"stop"``.
        reservation_value: reservation value of the box (for a stop: the best unopened one,
            ``-inf`` when every box is open).
        value: prize found in the box (``None`` for a stop).
        best: best prize in hand after this step.
        total_cost: costs paid so far.
        decision: one sentence saying what was done and why.
    """

    box: int | None
    name: str
    reservation_value: float
    value: float | None
    best: float
    total_cost: float
    decision: str


def explain_search(boxes: Sequence[Box], seed: int = 0, outside: float = 0.0) -> list[SearchStep]:
    """Run Weitzman's rule once and narrate it, one :class:`SearchStep` per box opened plus a
    final stop.

    Example:
        >>> steps = explain_search([Box(0.02, Uniform(0, 1), "A"), Box(0.3, Uniform(0, 1), "B")])
        >>> steps[0].name, steps[-1].name
        ('A', 'stop')
    """
    boxes = _check_boxes(boxes)
    best = float(outside)
    order, z = _order(boxes)
    prizes = _draw(boxes, 1, np.random.default_rng(seed))[0]
    steps: list[SearchStep] = []
    paid = 0.0
    for i in (int(j) for j in order):
        name = boxes[i].name or f"box {i}"
        if best >= z[i]:
            steps.append(
                SearchStep(
                    None,
                    "stop",
                    float(z[i]),
                    None,
                    best,
                    paid,
                    f"Stop: the best prize in hand, {best:.3g}, is at least the highest "
                    f"unopened reservation value, {z[i]:.3g} ({name}), so opening more "
                    "cannot pay on average.",
                )
            )
            return steps
        paid += boxes[i].cost
        found = float(prizes[i])
        verdict = "a new best" if found > best else f"no better than {best:.3g}"
        best = max(best, found)
        steps.append(
            SearchStep(
                i,
                name,
                float(z[i]),
                found,
                best,
                paid,
                f"Open {name}: its reservation value {z[i]:.3g} is the highest unopened and "
                f"exceeds the best in hand; paid {boxes[i].cost:.3g} and found {found:.3g}, "
                f"{verdict}.",
            )
        )
    steps.append(
        SearchStep(
            None,
            "stop",
            -math.inf,
            None,
            best,
            paid,
            f"Stop: every box is open; keep {best:.3g} having paid {paid:.3g}.",
        )
    )
    return steps
