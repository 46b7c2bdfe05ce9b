"""The scenario: every parameter of the model, its unit, default, meaning and source.

A :class:`Scenario` is a frozen dataclass. Each field carries its own metadata (unit, meaning, source,
allowed range, group), which is the single source of truth for validation, for the TOML presets and
for the parameter table in the documentation.

>>> from twomountains import Scenario
>>> sc = Scenario().replace(team_size=4)
>>> sc.team_size
4
>>> Scenario().replace(team_size=0)
Traceback (most recent call last):
...
twomountains.errors.ScenarioError: team_size: got 0; allowed: an integer from 1 to 100
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from twomountains.errors import ScenarioError


class ParamInfo(NamedTuple):
    """Metadata of one scenario parameter (what the parameter table in the docs shows)."""

    name: str
    kind: str  # "int" | "float" | "bool"
    unit: str
    default: int | float | bool
    meaning: str
    source: str
    low: float | None
    high: float | None
    group: str

    @property
    def basis(self) -> str:
        """``"sourced"``, ``"calibrated"``, ``"free choice"`` or ``"switch"`` (see :func:`basis`)."""
        return basis(self)


def _p(
    default: int | float | bool,
    unit: str,
    meaning: str,
    source: str,
    low: float | None = None,
    high: float | None = None,
    group: str = "",
) -> Any:
    return field(
        default=default,
        metadata={
            "unit": unit,
            "meaning": meaning,
            "source": source,
            "low": low,
            "high": high,
            "group": group,
        },
    )


def basis(info: ParamInfo) -> str:
    """Where a parameter's value comes from: ``"sourced"`` (a publication gives the value),
    ``"calibrated"`` (set against a calibration target, see :mod:`twomountains.calibration`),
    ``"free choice"`` (documented, neither sourced nor calibrated) or ``"switch"`` (an ``enable_*``
    mechanism switch, on by default; its source is the mechanism's)."""
    if info.kind == "bool":
        return "switch"
    if info.source.startswith("Calibrated to"):
        return "calibrated"
    if info.source.startswith(CALIBRATION_PREFIX) or "free choice" in info.source.lower():
        return "free choice"
    return "sourced"


def _switch(meaning: str, source: str = "Switch for teaching and verification") -> Any:
    return _p(True, "on/off", meaning, source, group="mechanisms")


CALIBRATION_PREFIX = "Calibration choice"
CALIBRATION = f"{CALIBRATION_PREFIX} (documented, not from a source)"


@dataclass(frozen=True)
class Scenario:
    """Every parameter of the Two Mountains model, with documented defaults.

    Time runs in hours; a week has five 8-hour working days unless overtime is worked. Values are
    in abstract *value units per week* that a deployed system delivers.
    """

    # --- team -----------------------------------------------------------------------------------
    team_size: int = _p(6, "people", "Number of people in the team", "Typical product data-science team", 1, 100, "team")  # fmt: skip
    horizon_weeks: int = _p(52, "weeks", "Simulated period", "One team-year", 1, 520, "team")
    base_hours_per_week: float = _p(40.0, "hours/week", "Contracted hours per person", "Standard full-time week", 8, 60, "team")  # fmt: skip
    skill_sd: float = _p(0.15, "multiplier", "Spread of individual skill around 1.0 (lognormal sd)", CALIBRATION, 0, 1, "team")  # fmt: skip

    # --- projects and candidate framings ------------------------------------------------------------
    project_interval_weeks: float = _p(6.0, "weeks", "Mean time between project arrivals (Poisson)", CALIBRATION, 0.5, 104, "projects")  # fmt: skip
    deadline_weeks: float = _p(10.0, "weeks", "Time from a project's arrival to its deadline", CALIBRATION, 1, 104, "projects")  # fmt: skip
    candidates_per_project: int = _p(4, "framings", "Candidate problem framings per project", CALIBRATION, 1, 20, "projects")  # fmt: skip
    mirage_share: float = _p(0.25, "share", "Chance that a candidate is a mirage (signal from selection bias, leakage or a confounder)", "Kohavi et al. 2009/2013: most ideas fail in controlled tests", 0, 1, "projects")  # fmt: skip
    good_idea_share: float = _p(0.3, "share", "Chance that a real (non-mirage) candidate is a good idea", "Kohavi et al. KDD 2009, 2013: under a third of ideas improve their metric", 0, 1, "projects")  # fmt: skip
    good_value: float = _p(10.0, "value/week", "Mean weekly value of a good idea once deployed", CALIBRATION, 0, 1000, "projects")  # fmt: skip
    ordinary_value: float = _p(3.0, "value/week", "Mean weekly value of an ordinary idea once deployed", CALIBRATION, 0, 1000, "projects")  # fmt: skip
    value_dispersion: float = _p(0.5, "lognormal sd", "Spread of true values within a kind of idea", CALIBRATION, 0, 3, "projects")  # fmt: skip
    pitch_noise: float = _p(4.0, "value/week", "Noise of the initial pitch (apparent value before any experimentation)", CALIBRATION, 0, 100, "projects")  # fmt: skip

    # --- experimentation ------------------------------------------------------------------------------
    signal_noise: float = _p(4.0, "value/week", "Noise sd of one experimental signal on a candidate", "Bayesian normal updating (domain brief)", 0.01, 100, "experimentation")  # fmt: skip
    hours_per_signal: float = _p(16.0, "hours", "Effective exploration hours that yield one signal on a candidate", CALIBRATION, 1, 1000, "experimentation")  # fmt: skip
    mirage_detection_per_hour: float = _p(0.04, "1/hour", "Hazard of exposing a mirage per effective exploration hour on it", CALIBRATION, 0, 1, "experimentation")  # fmt: skip
    fast_track_per_day: float = _p(0.15, "1/day per unit pressure", "Daily hazard, per unit of schedule pressure above 1, that the organisation cuts a project's exploration short and starts building, whatever the policy intends", "Abdel-Hamid & Madnick 1991: under schedule pressure teams cut quality activities first; calibration choice for the rate", 0, 10, "experimentation")  # fmt: skip
    pressure_creativity_loss: float = _p(0.5, "per unit pressure", "Loss of exploration quality per unit of schedule pressure above 1, lasting that day and the next two", "Amabile, Hadley & Kramer 2002 (diary study of 177 people)", 0, 5, "experimentation")  # fmt: skip
    fragmentation_creativity_loss: float = _p(0.2, "share", "Extra loss of exploration quality on a day fragmented by an incident", "Amabile et al. 2002: worse when work is fragmented", 0, 1, "experimentation")  # fmt: skip

    # --- domain knowledge: what exploration teaches the team ---------------------------------------------
    knowledge_per_hour: float = _p(0.002, "knowledge/hour", "Domain knowledge gained per effective exploration hour, with diminishing returns: dK = rate * hours * (1 - K)", "Argote & Epple 1990 (learning curves: knowledge grows with cumulative experience, with diminishing returns); calibration choice for the rate", 0, 1, "knowledge")  # fmt: skip
    knowledge_depreciation_weeks: float = _p(26.0, "weeks", "Time constant of the depreciation of domain knowledge", "Argote, Beckman & Epple 1990; Darr, Argote & Epple 1995: organisational knowledge depreciates, monthly retention 0.75-0.95 (26 weeks is about 0.85)", 1, 10000, "knowledge")  # fmt: skip
    knowledge_exploration_effect: float = _p(1.0, "per unit knowledge", "How much domain knowledge multiplies what an exploration hour teaches (signals and mirage detection): x (1 + effect * K)", "Essay: domain intuition 'dramatically improves your ability to catch errors'; calibration choice", 0, 10, "knowledge")  # fmt: skip
    knowledge_drift_effect: float = _p(0.5, "share per unit knowledge", "Share of drift a system avoids per unit of the domain knowledge it was built with (it generalises)", "Essay: precise domain knowledge 'helps you create a generalizable model'; calibration choice", 0, 1, "knowledge")  # fmt: skip
    knowledge_incident_effect: float = _p(0.5, "share per unit knowledge", "Share of a system's incidents avoided per unit of the domain knowledge it was built with", "Essay: intuition catches 'errors that would come later on'; calibration choice", 0, 1, "knowledge")  # fmt: skip
    insight_weeks: float = _p(6.0, "weeks of value", "Decision value of what a project's exploration teaches, in weeks of the leading framing's true weekly value, scaled by how much was learned about it (1 - posterior sd / prior sd); realised when exploration ends, with or without a system in production", "Value of information (Hubbard 2014, How to Measure Anything); free choice: no published magnitude", 0, 104, "knowledge")  # fmt: skip
    outside_option_value: float = _p(7.0, "value/week", "Weekly value below which a framing is not worth building: what the build's hours would earn elsewhere (the outside option of a no-go decision)", "Calibrated to target production_share (Gartner: about half of projects reach production); the logic from Weitzman 1979", 0, 1000, "knowledge")  # fmt: skip
    initial_knowledge: float = _p(0.3, "knowledge", "Domain knowledge at the start (0 = new domain, 1 = saturated)", CALIBRATION, 0, 0.99, "knowledge")  # fmt: skip

    # --- MLOps: building and the platform ----------------------------------------------------------------
    build_effort_hours: float = _p(1200.0, "hours", "Effort to build the production system of one project with no platform", CALIBRATION, 1, 100000, "mlops")  # fmt: skip
    capability_leverage: float = _p(0.6, "per unit capability", "How much platform capability cuts build effort: effort / (1 + leverage * C)", "Repenning & Sterman 2001 (capability as a stock)", 0, 10, "mlops")  # fmt: skip
    capability_per_hour: float = _p(0.002, "capability/hour", "Capability gained per effective platform hour", CALIBRATION, 0, 1, "mlops")  # fmt: skip
    capability_erosion_weeks: float = _p(52.0, "weeks", "Time constant of capability erosion", "Repenning & Sterman 2001: capability erodes slowly", 1, 10000, "mlops")  # fmt: skip
    capability_ceiling: float = _p(3.0, "capability", "Capability a mature platform approaches (growth slows as it nears it)", "Repenning & Sterman 2001: capability builds with diminishing returns", 0.01, 100, "mlops")  # fmt: skip
    initial_systems: int = _p(4, "systems", "Systems already in production at the start (a team mid-life)", "Calibrated to target maintenance_share (Stripe 2018; initial conditions, STRESS-DES 4.1)", 0, 100, "mlops")  # fmt: skip
    initial_debt: float = _p(6.0, "debt units", "Technical debt at the start (a team mid-life)", "Calibrated to target maintenance_share (Stripe 2018; initial conditions, STRESS-DES 4.1)", 0, 1000, "mlops")  # fmt: skip
    initial_capability: float = _p(0.5, "capability", "Platform capability at the start", CALIBRATION, 0, 100, "mlops")  # fmt: skip
    ops_effort_share: float = _p(0.4, "share", "Share of a build's effort in the infrastructure and monitoring areas of the ML Test Score (the rest is data and model work, done first)", "Breck et al. 2017 (four areas); Sculley et al. 2015: ML code is a small part of a production system; calibration choice", 0.01, 0.99, "mlops")  # fmt: skip
    min_ship_readiness: float = _p(0.25, "share", "Least readiness (ML Test Score, weakest link) at which a system can be deployed at all", "Breck et al. 2017, The ML Test Score", 0, 1, "mlops")  # fmt: skip
    max_late_weeks: float = _p(6.0, "weeks", "Weeks after the deadline when an unfinished project is shipped as is or cancelled", CALIBRATION, 0, 104, "mlops")  # fmt: skip
    late_value_penalty: float = _p(0.3, "share", "Share of weekly value lost by a project shipped after its deadline", CALIBRATION, 0, 1, "mlops")  # fmt: skip

    # --- production: drift, incidents, debt ------------------------------------------------------------
    drift_per_week: float = _p(0.03, "share/week", "Weekly decay of an unmonitored model's value", "Vela et al. 2022: 91% of model/data pairs degrade", 0, 1, "production")  # fmt: skip
    monitoring_effect: float = _p(0.8, "share", "Share of drift removed by a fully ready system's monitoring and retraining", "Breck et al. 2017 (monitoring section)", 0, 1, "production")  # fmt: skip
    incident_base_per_week: float = _p(0.1, "incidents/week", "Incidents per week from sources outside the team's systems", CALIBRATION, 0, 1000, "production")  # fmt: skip
    incident_per_system_week: float = _p(0.25, "incidents/week", "Incidents per week per fully ready deployed system", CALIBRATION, 0, 100, "production")  # fmt: skip
    fragility_incident_factor: float = _p(3.0, "multiplier", "Extra incident rate of a system per unit of missing readiness", "Sculley et al. 2015 (hidden technical debt)", 0, 100, "production")  # fmt: skip
    incident_per_debt_week: float = _p(0.15, "incidents/week", "Incidents per week per unit of technical debt", "Sculley et al. 2015", 0, 100, "production")  # fmt: skip
    capability_incident_effect: float = _p(1.0, "per unit capability", "Incident rate divided by (1 + effect * capability)", "Repenning & Sterman 2001", 0, 100, "production")  # fmt: skip
    urgent_incident_share: float = _p(0.2, "share", "Share of incidents urgent enough to page someone outside working hours (weekdays 09:00-17:00); the rest wait for the next working morning", "Beyer et al. 2016, Site Reliability Engineering, ch. 11: page only for urgent, actionable problems; calibration choice", 0, 1, "production")  # fmt: skip
    repair_hours: float = _p(6.0, "hours", "Mean time to repair an incident (exponential)", CALIBRATION, 0.01, 1000, "production")  # fmt: skip
    debt_per_system: float = _p(0.5, "debt units", "Technical debt added by deploying a fully ready system", "Calibrated to target maintenance_share (Stripe 2018); kinds of debt from Sculley et al. 2015", 0, 100, "production")  # fmt: skip
    fragile_debt: float = _p(1.5, "debt units", "Extra debt per unit of missing readiness when shipping", "Sculley et al. 2015", 0, 100, "production")  # fmt: skip
    debt_interest_hours: float = _p(8.0, "hours/week per debt unit", "Maintenance time that one unit of debt costs the team each week", "Stripe Developer Coefficient 2018: about a third of developer time", 0, 1000, "production")  # fmt: skip
    debt_paydown_per_hour: float = _p(0.001, "debt units/hour", "Debt retired per effective platform hour", "Calibrated to target maintenance_share (Stripe 2018)", 0, 10, "production")  # fmt: skip

    # --- hours, pressure, fatigue, burnout ----------------------------------------------------------------
    concave_from_hours: float = _p(49.0, "hours/week", "Weekly hours up to which output is proportional to hours", "Pencavel 2014/2015", 1, 168, "people")  # fmt: skip
    flat_from_hours: float = _p(63.0, "hours/week", "Weekly hours past which extra hours add no output", "Pencavel 2014/2015", 1, 168, "people")  # fmt: skip
    switching_loss: float = _p(0.17, "share", "Share of project time lost per extra context (project or interruption) in a day", "Tregubov et al. 2017 (Weinberg's 0.20 is the pessimistic case)", 0, 0.5, "people")  # fmt: skip
    fatigue_per_hour: float = _p(0.0105, "exhaustion/hour", "Exhaustion added per hour worked (scaled up by long days and pressure)", "Meijman & Mulder 1998 (effort-recovery); calibrated so a 40 h week settles near 0.45", 0, 1, "people")  # fmt: skip
    recovery_days: float = _p(7.0, "days", "Time constant of recovery from exhaustion", "Meijman & Mulder 1998: dE/dt = a*load - E/tau", 0.1, 365, "people")  # fmt: skip
    long_day_fatigue: float = _p(0.08, "per extra hour", "Extra fatigue per hour beyond 8 in a day", "Pencavel 2015; WHO/ILO 2021 (55 h/week health risk)", 0, 1, "people")  # fmt: skip
    pressure_fatigue: float = _p(0.3, "per unit pressure", "Extra fatigue per unit of schedule pressure above 1", "Abdel-Hamid & Madnick 1991", 0, 10, "people")  # fmt: skip
    latch_exhaustion: float = _p(0.8, "exhaustion", "Exhaustion at which a person stops being willing to work overtime", "Abdel-Hamid & Madnick 1991 (maximum tolerable exhaustion)", 0, 2, "people")  # fmt: skip
    latch_release: float = _p(0.5, "exhaustion", "Exhaustion below which overtime willingness returns", "Abdel-Hamid & Madnick 1991", 0, 2, "people")  # fmt: skip
    risk_exhaustion: float = _p(0.7, "exhaustion", "Exhaustion from which a person-week counts as at burnout risk", "Maslach-style score: at-risk band below the 3.5 cut-off", 0, 2, "people")  # fmt: skip
    burnout_hazard_per_day: float = _p(0.002, "1/day", "Daily chance of burning out at exhaustion 1.0; zero at the risk level, rising linearly with exhaustion", "Calibrated to target burnout_normal (burnout leave is rare); the shape (rising past the risk level, repeating cycles) from Homer 1985", 0, 1, "people")  # fmt: skip
    burnout_leave_weeks: float = _p(20.0, "weeks", "Time off after a burnout", "Wolvetang et al. 2022: stress-related sick leave lasts 101 working days on average (burnout alone 163)", 0, 104, "people")  # fmt: skip
    attrition_after_burnout: float = _p(0.3, "probability", "Chance that a burnt-out person leaves instead of returning", CALIBRATION, 0, 1, "people")  # fmt: skip
    quit_rate_per_year: float = _p(0.13, "1/person-year", "Yearly chance that a person leaves for reasons other than burnout (they are replaced after the hiring delay)", "LinkedIn 2018 talent turnover: 13.2% a year in the technology sector", 0, 2, "people")  # fmt: skip
    hiring_delay_weeks: float = _p(8.0, "weeks", "Time to hire a replacement", CALIBRATION, 0, 104, "people")  # fmt: skip
    onboarding_weeks: float = _p(8.0, "weeks", "Time for a new hire to ramp up from 25% to full productivity", CALIBRATION, 0, 104, "people")  # fmt: skip

    # --- mechanism switches --------------------------------------------------------------------------------
    enable_projects: bool = _switch(
        "Projects arrive (off: the team only runs the platform and incidents)"
    )
    enable_mirages: bool = _switch("Some candidates are mirages")
    enable_incidents: bool = _switch("Incidents interrupt people")
    enable_drift: bool = _switch("Deployed models drift without monitoring")
    enable_debt: bool = _switch("Shipping adds technical debt that charges maintenance time")
    enable_capability: bool = _switch(
        "Platform capability grows with investment, erodes and has effects"
    )
    enable_pressure: bool = _switch(
        "Schedule pressure drives overtime and harms exploration quality"
    )
    enable_overtime: bool = _switch("People may work beyond contracted hours")
    enable_concavity: bool = _switch("Output is concave in weekly hours (Pencavel)")
    enable_switching: bool = _switch("Context switching loses time")
    enable_fatigue: bool = _switch("Exhaustion builds with load and recovers with rest")
    enable_weekends: bool = _switch("Weekends are days of rest (off: seven working days a week)")
    enable_burnout: bool = _switch("Exhaustion can end in burnout leave")
    enable_attrition: bool = _switch(
        "Burnt-out people may leave and be replaced after a hiring delay"
    )
    enable_focused_staffing: bool = _switch(
        "The team staffs projects instead of spreading people round robin: each exploring project "
        "gets the explorers the policy asks for (default: one while something is being built, "
        "everyone when nothing is), the rest build, shared among building projects in "
        "proportion to the hours a week each needs to meet its target",
        "Planning rule (free choice), after earliest-deadline-first scheduling",
    )
    enable_knowledge: bool = _switch(
        "Exploration builds a domain-knowledge stock that depreciates and leaves with people who "
        "quit; it speeds exploration and makes built systems generalise (less drift, fewer "
        "incidents)",
        "Argote & Epple 1990 (organisational learning and forgetting); the essay",
    )
    enable_insight: bool = _switch(
        "Exploration delivers decision value (insight) when it ends, whether or not a system "
        "reaches production",
        "Value of information (Hubbard 2014); the essay: not every model must reach production",
    )
    enable_no_go: bool = _switch(
        "A policy may abandon a project after exploring it (no-go), freeing its people",
        "Weitzman 1979 (stopping with an outside option)",
    )
    enable_fast_tracking: bool = _switch(
        "Schedule pressure cuts exploration short: the organisation commits exploring projects "
        "early, whatever the policy intends",
        "Abdel-Hamid & Madnick 1991 (quality activities cut under schedule pressure)",
    )
    enable_strain_from_hours: bool = _switch(
        "Schedule pressure adds strain only through the hours a person works beyond their "
        "contract, so someone held to contracted hours feels no extra strain (off: everyone "
        "feels the team's pressure whatever their hours)",
        "Effort-recovery theory (Meijman & Mulder 1998): strain follows the effort actually spent",
    )
    enable_weakest_link: bool = _switch(
        "Readiness is the weakest of the four ML Test Score areas (data, model, infrastructure, "
        "monitoring), built in that order, so a half-built system is not half ready (off: "
        "readiness is build progress)",
        "Breck et al. 2017, The ML Test Score (the final score is the minimum over the areas)",
    )
    enable_incident_triage: bool = _switch(
        "Outside working hours only urgent incidents page someone; the rest wait for the next "
        "working morning (off: every incident is handled at once, day or night)",
        "Beyer et al. 2016, Site Reliability Engineering (on-call and paging)",
    )
    enable_turnover: bool = _switch(
        "People also leave for reasons other than burnout and are replaced after the hiring delay",
        "LinkedIn 2018 talent turnover report",
    )
    enable_replanning: bool = _switch(
        "A project that misses its deadline is re-planned to finish by the late limit, so schedule "
        "pressure counts the time to that limit instead of asking for the impossible",
        "Abdel-Hamid & Madnick 1991: managers adjust the schedule once the shortfall is plain",
    )

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            _check_field(f, getattr(self, f.name))
        if self.flat_from_hours < self.concave_from_hours:
            raise ScenarioError(
                f"flat_from_hours: got {self.flat_from_hours}; allowed: at least "
                f"concave_from_hours ({self.concave_from_hours})"
            )
        if self.initial_capability > self.capability_ceiling:
            raise ScenarioError(
                f"initial_capability: got {self.initial_capability}; allowed: at most "
                f"capability_ceiling ({self.capability_ceiling})"
            )
        if self.latch_release > self.latch_exhaustion:
            raise ScenarioError(
                f"latch_release: got {self.latch_release}; allowed: at most "
                f"latch_exhaustion ({self.latch_exhaustion})"
            )

    # --- construction and conversion ---------------------------------------------------------------------
    @classmethod
    def parameters(cls) -> tuple[ParamInfo, ...]:
        """Metadata of every parameter, in declaration order."""
        return tuple(
            ParamInfo(
                name=f.name,
                kind=_KINDS[f.type if isinstance(f.type, str) else f.type.__name__],
                unit=f.metadata["unit"],
                default=f.default,  # type: ignore[arg-type]
                meaning=f.metadata["meaning"],
                source=f.metadata["source"],
                low=f.metadata["low"],
                high=f.metadata["high"],
                group=f.metadata["group"],
            )
            for f in dataclasses.fields(cls)
        )

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> Scenario:
        """Build a scenario from a mapping of parameter names to values (unknown names rejected)."""
        known = {f.name for f in dataclasses.fields(cls)}
        for name in values:
            if name not in known:
                hint = _closest(name, known)
                raise ScenarioError(
                    f"{name}: unknown parameter (got value {values[name]!r}); "
                    f"allowed: one of Scenario.parameters(){hint}"
                )
        return cls(**{k: _coerce(k, v) for k, v in values.items()})

    @classmethod
    def from_toml(cls, path: str | Path) -> Scenario:
        """Read a scenario from a TOML file (flat ``name = value`` pairs; a ``[scenario]`` table also works)."""
        try:
            with open(path, "rb") as fh:
                data = tomllib.load(fh)
        except tomllib.TOMLDecodeError as err:
            raise ScenarioError(f"{path}: not valid TOML ({err})") from None
        except UnicodeDecodeError as err:
            raise ScenarioError(f"{path}: not UTF-8 text ({err.reason})") from None
        except OSError as err:
            raise ScenarioError(f"{path}: cannot read ({err.strerror or err})") from None
        return cls.from_toml_dict(data)

    @classmethod
    def from_toml_dict(cls, data: dict[str, Any]) -> Scenario:
        """Build a scenario from parsed TOML (ignores the descriptive ``name``/``description`` keys)."""
        data = dict(data.get("scenario", data))
        for meta in ("name", "description"):
            data.pop(meta, None)
        return cls.from_dict(data)

    def to_dict(self) -> dict[str, int | float | bool]:
        """The parameters as a plain dictionary."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def to_toml(self) -> str:
        """The scenario as TOML text that :meth:`from_toml` reads back identically."""
        lines = []
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            text = str(value).lower() if isinstance(value, bool) else repr(value)
            lines.append(f"{f.name} = {text}")
        return "\n".join(lines) + "\n"

    def replace(self, **changes: Any) -> Scenario:
        """A copy with some parameters changed (validated like a new scenario)."""
        return Scenario.from_dict({**self.to_dict(), **changes})

    def changes_from_default(self) -> dict[str, int | float | bool]:
        """Only the parameters that differ from :class:`Scenario` defaults."""
        default = Scenario()
        return {k: v for k, v in self.to_dict().items() if getattr(default, k) != v}


_KINDS = {"int": "int", "float": "float", "bool": "bool"}


def _allowed(f: dataclasses.Field[Any]) -> str:
    kind = _KINDS[f.type if isinstance(f.type, str) else f.type.__name__]
    low, high = f.metadata["low"], f.metadata["high"]
    if kind == "bool":
        return "true or false"
    noun = "an integer" if kind == "int" else "a number"
    return f"{noun} from {_fmt(low)} to {_fmt(high)}"


def _fmt(x: float | None) -> str:
    return str(int(x)) if x is not None and float(x).is_integer() else str(x)


def _check_field(f: dataclasses.Field[Any], value: Any) -> None:
    kind = _KINDS[f.type if isinstance(f.type, str) else f.type.__name__]
    ok_type = {
        "bool": isinstance(value, bool),
        "int": isinstance(value, int) and not isinstance(value, bool),
        "float": isinstance(value, int | float) and not isinstance(value, bool),
    }[kind]
    if not ok_type or (kind == "float" and not math.isfinite(value)):
        raise ScenarioError(f"{f.name}: got {value!r}; allowed: {_allowed(f)}")
    if kind != "bool":
        low, high = f.metadata["low"], f.metadata["high"]
        if (low is not None and value < low) or (high is not None and value > high):
            raise ScenarioError(f"{f.name}: got {value!r}; allowed: {_allowed(f)}")


def _coerce(name: str, value: Any) -> Any:
    """Accept ints for float fields and numeric strings from the command line."""
    f = _FIELDS.get(name)
    if f is None:
        return value
    kind = _KINDS[f.type if isinstance(f.type, str) else f.type.__name__]
    if kind == "float" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            if kind == "bool" and text.lower() in {"true", "false", "1", "0", "on", "off"}:
                return text.lower() in {"true", "1", "on"}
            if kind == "int":
                return int(text)
            if kind == "float":
                return float(text)
        except ValueError:
            pass
        raise ScenarioError(f"{name}: got {value!r}; allowed: {_allowed(f)}")
    return value


def _closest(name: str, known: set[str]) -> str:
    import difflib

    match = difflib.get_close_matches(name, sorted(known), n=1)
    return f" (did you mean {match[0]!r}?)" if match else ""


_FIELDS = {f.name: f for f in dataclasses.fields(Scenario)}
