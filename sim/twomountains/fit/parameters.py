"""The parameters a fit can estimate, the default (identifiable) set and their prior ranges.

Owned by the fit; the synthetic team (``twomountains.records.synthetic``) writes the true values of
exactly the parameters in :data:`DEFAULT_PARAMS` to ``truth.toml``.

Every prior is uniform over a documented plausible range, on a log scale for rates, durations and
costs (a team is as likely to see incidents twice as often as half as often) and on the natural
scale for stocks that may be zero. The fit works in the *unit logit* of a parameter -- its position
in the range, ``(x - low) / (high - low)`` (of ``log x`` on a log scale), through the logit -- so
the regression adjustment can never move a draw outside its prior.

Why these five by default: on the synthetic team's 2,000-draw reference table (104 weeks, six
people, ``fixed:0.4``), the fitted statistics explain 69-91% of each one's prior variance (linear
regression R^2, ``FitResult.sensitivity``). On a 1,000-draw table that adds
``quit_rate_per_year``, each is informed by a statistic that depends on it almost alone (Spearman
correlation): projects arriving per week (``project_interval_weeks``, -0.93), incidents per week
(``incident_per_system_week``, 0.87), mean repair hours (``repair_hours``, 0.99), the maintenance
share of hours (``debt_interest_hours``, 0.90) and the mean CBI work score
(``fatigue_per_hour``, 0.92). Parameters such as ``quit_rate_per_year`` (R^2 0.48 there: two
years of a six-person team hold one or two departures) or ``hiring_delay_weeks`` (R^2 under
0.25) can be fitted on request (``--param``), and the fit warns that the data do not inform them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

#: Parameters fitted when no ``--param`` is given: each is informed by a statistic a team records
#: (project arrivals, incidents per week, repair hours per incident, maintenance share, burnout
#: scores).
DEFAULT_PARAMS: tuple[str, ...] = (
    "project_interval_weeks",
    "incident_per_system_week",
    "repair_hours",
    "debt_interest_hours",
    "fatigue_per_hour",
)

SCALES = ("log", "linear")


@dataclass(frozen=True)
class Prior:
    """A uniform prior over ``[low, high]`` on a ``log`` or ``linear`` scale, with its reason."""

    name: str
    low: float
    high: float
    scale: str
    reason: str

    def unit(self, value: float) -> float:
        """Position of ``value`` in the range, 0 at ``low`` and 1 at ``high`` (on the scale)."""
        if self.scale == "log":
            return math.log(value / self.low) / math.log(self.high / self.low)
        return (value - self.low) / (self.high - self.low)

    def from_unit(self, position: float) -> float:
        """The value at ``position`` (0..1) of the range: the inverse of :meth:`unit`."""
        if self.scale == "log":
            return self.low * (self.high / self.low) ** position
        return self.low + position * (self.high - self.low)

    def to_logit(self, value: float) -> float:
        """The unbounded coordinate the fit's regression works in."""
        u = min(max(self.unit(value), 1e-9), 1 - 1e-9)
        return math.log(u / (1 - u))

    def from_logit(self, z: float) -> float:
        """Inverse of :meth:`to_logit` (always inside the range)."""
        return self.from_unit(1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0)

    def as_dict(self) -> dict[str, object]:
        """The prior as plain JSON values (for provenance)."""
        return {"low": self.low, "high": self.high, "scale": self.scale, "reason": self.reason}


def _prior(name: str, low: float, high: float, scale: str, reason: str) -> Prior:
    return Prior(name, low, high, scale, reason)


#: Every parameter the fit can estimate, with its prior. The synthetic team's true values
#: (project_interval_weeks 5, incident_per_system_week 0.3, repair_hours 5, debt_interest_hours 10,
#: fatigue_per_hour 0.012) lie between 40% and 60% of the way through their ranges.
PRIORS: dict[str, Prior] = {
    p.name: p
    for p in (
        _prior(
            "project_interval_weeks",
            2.0,
            16.0,
            "log",
            "A new project every fortnight (a crunch) to one a quarter and a half (a research lab).",
        ),
        _prior(
            "incident_per_system_week",
            0.05,
            1.5,
            "log",
            "One incident a system every five months to three every two weeks (on-call load "
            "surveys: a few pages a week per team, Beyer et al. 2016, ch. 11).",
        ),
        _prior(
            "repair_hours",
            1.0,
            24.0,
            "log",
            "Mean time to repair from an hour to three working days (DORA 2019: most teams "
            "restore service within a day).",
        ),
        _prior(
            "debt_interest_hours",
            2.0,
            40.0,
            "log",
            "Weekly maintenance per debt unit giving a maintenance share from under 5% to most of "
            "the week (Stripe 2018 reports about a third).",
        ),
        _prior(
            "fatigue_per_hour",
            0.006,
            0.02,
            "log",
            "A 40-hour week settling between exhaustion 0.26 (little strain) and 0.86 (past the "
            "at-risk level 0.7); the default 0.0105 settles near 0.45.",
        ),
        _prior(
            "quit_rate_per_year",
            0.03,
            0.6,
            "log",
            "Yearly turnover from 3% to 60% (LinkedIn 2018: 13% in technology).",
        ),
        _prior(
            "burnout_hazard_per_day",
            0.0005,
            0.01,
            "log",
            "Around the calibrated 0.002: burnout leave from rare to common among the exhausted.",
        ),
        _prior(
            "hiring_delay_weeks",
            2.0,
            26.0,
            "log",
            "Two weeks to half a year to fill a seat.",
        ),
        _prior(
            "deadline_weeks",
            4.0,
            26.0,
            "log",
            "A month to half a year from a project's arrival to its deadline.",
        ),
        _prior(
            "incident_base_per_week",
            0.01,
            1.0,
            "log",
            "Incidents from outside the team's systems: one in two years to one a week.",
        ),
        _prior(
            "initial_debt",
            0.0,
            20.0,
            "linear",
            "No debt to three times the default's 6 units at the start of the records.",
        ),
        _prior(
            "recovery_days",
            2.0,
            21.0,
            "log",
            "Recovery time constant from a weekend to three weeks (Meijman & Mulder 1998).",
        ),
    )
}


def check_params(names: object) -> tuple[str, ...]:
    """The parameter names to fit (default :data:`DEFAULT_PARAMS`), each checked against PRIORS."""
    from twomountains.errors import UsageError

    if names is None:
        return DEFAULT_PARAMS
    if isinstance(names, str):
        names = [names]
    chosen: list[str] = []
    for name in names:  # type: ignore[attr-defined]
        if name not in PRIORS:
            raise UsageError(f"param: got {name!r}; allowed: {', '.join(PRIORS)}")
        if name not in chosen:
            chosen.append(str(name))
    if not chosen:
        raise UsageError(f"param: got none; allowed: one or more of {', '.join(PRIORS)}")
    return tuple(chosen)
