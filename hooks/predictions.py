"""The predictions that open the six module pages: a question, its options, the runs that answer it.

A module page writes ``{{ prediction("explore-share-peak") }}`` (see hooks/directives.py). The page
then shows a small form: the learner chooses an option and commits the guess, which the browser
keeps (localStorage, ``docs/explorer/predict.js``). Committing reveals a compact explorer in sweep
mode (``docs/explorer/explorer.js``): it runs every option's settings for a few seeds with the real
model, in the page, and shows the learner's guess beside what the runs say.

Nothing here states a result: the question is answered by the model run in the reader's browser,
with the spread over seeds shown, so a guess the runs cannot tell apart from the best is said to be
so. Every setting is checked against the package when the site is built (a typo fails the build).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

STORAGE_PREFIX = "twomountains:prediction:"
PICKS = ("highest", "lowest")


class PredictionError(ValueError):
    """A prediction names a setting, KPI, policy or preset the package does not have."""


@dataclass(frozen=True)
class Option:
    """One answer the learner can choose, and the settings that test it.

    ``policy`` replaces the prediction's policy; ``values`` sets scenario parameters; ``scale``
    multiplies parameters' values in the prediction's scenario (the label then shows the result,
    so it stays true if a default changes).
    """

    label: str
    policy: str | None = None
    values: Mapping[str, Any] = field(default_factory=dict)
    scale: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Prediction:
    name: str
    question: str
    measure: str  # a KPI name
    pick: str  # "highest" or "lowest": which option the runs single out
    options: tuple[Option, ...]
    scenario: str = "default"  # a preset of twomountains.scenarios
    policy: str = "fixed:0.4"
    seeds: int = 3
    also: tuple[str, ...] = ()  # more KPIs shown in the reveal's table


def _shares(*shares: float) -> tuple[Option, ...]:
    return tuple(Option(f"{share:g}", policy=f"fixed:{share:g}") for share in shares)


ELEVEN_SHARES = _shares(*(i / 10 for i in range(11)))

PREDICTIONS: dict[str, Prediction] = {
    p.name: p
    for p in [
        Prediction(
            "explore-share-peak",
            question=(
                "A team explores for a share of each project's window, then commits and builds "
                "(the fixed split). From 0 (commit at once) to 1 (explore until the deadline): "
                "at which share does the value delivered in a year peak?"
            ),
            measure="value_delivered",
            pick="highest",
            options=ELEVEN_SHARES,
            also=("projects_shipped", "mirages_shipped"),
        ),
        Prediction(
            "mirages-by-explore-share",
            question=(
                "A mirage is a framing that looks good but is worthless. At which explore share "
                "does the team ship the most mirages in a year?"
            ),
            measure="mirages_shipped",
            pick="highest",
            options=_shares(0, 0.1, 0.2, 0.3, 0.4, 0.6, 0.8),
            also=("projects_shipped", "value_delivered"),
        ),
        Prediction(
            "debt-by-policy",
            question="Which built-in policy ends the year with the most technical debt?",
            measure="tech_debt_final",
            pick="highest",
            options=(
                Option("Fixed split 0.4 (the default)", policy="fixed:0.4"),
                Option("Notebook only", policy="notebook-only"),
                Option("MLOps first", policy="mlops-first"),
                Option("Explore, then build", policy="explore-then-build"),
                Option("Crunch", policy="crunch"),
                Option("Adaptive", policy="adaptive"),
            ),
            also=("incidents", "firefighting_hours", "capability_final"),
        ),
        Prediction(
            "what-crunch-buys",
            question=(
                "Crunch asks for long hours when a deadline looms. Over a year, which delivers "
                "more value: crunch, or the default fixed split?"
            ),
            measure="value_delivered",
            pick="highest",
            options=(
                Option("Crunch", policy="crunch"),
                Option("Fixed split 0.4 (the default)", policy="fixed:0.4"),
            ),
            also=("overtime_hours", "burnout_events", "peak_exhaustion", "deadlines_missed"),
        ),
        Prediction(
            "uncharted-peak",
            question=(
                "In an uncharted domain (unreliable pitches, noisy signals, many mirages), at "
                "which explore share does the value delivered in a year peak?"
            ),
            measure="value_delivered",
            pick="highest",
            options=ELEVEN_SHARES,
            scenario="uncharted",
            also=("projects_shipped", "mirages_shipped"),
        ),
        Prediction(
            "which-assumption",
            question=(
                "A model's results rest on its assumptions. Which one of these changes to the "
                "default scenario costs the most value?"
            ),
            measure="value_delivered",
            pick="lowest",
            options=(
                Option("Twice as many mirages", scale={"mirage_share": 2}),
                Option("Half as many good ideas", scale={"good_idea_share": 0.5}),
                Option("Signals twice as noisy", scale={"signal_noise": 2}),
                Option("Deadlines half as long", scale={"deadline_weeks": 0.5}),
                Option("A third fewer people", scale={"team_size": 2 / 3}),
            ),
            also=("projects_shipped", "mirages_shipped", "deadlines_missed"),
        ),
    ]
}


def get(name: str) -> Prediction:
    if name not in PREDICTIONS:
        raise PredictionError(f"prediction: got {name!r}; allowed: {', '.join(PREDICTIONS)}")
    return PREDICTIONS[name]


def _number_text(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def resolve(prediction: Prediction) -> dict[str, Any]:
    """The runs that answer ``prediction``, checked against the package, as the page needs them.

    Each point holds the option's label, policy and scenario changes from the default (the
    preset's changes plus the option's), exactly what the explorer's worker runs.
    """
    import twomountains as tm
    from twomountains.policies import from_spec

    where = f"prediction {prediction.name!r}"
    kpis = set(tm.KPI_NAMES)
    for kpi in (prediction.measure, *prediction.also):
        if kpi not in kpis:
            raise PredictionError(f"{where}: measure: got {kpi!r}; allowed: {sorted(kpis)}")
    if prediction.pick not in PICKS:
        raise PredictionError(f"{where}: pick: got {prediction.pick!r}; allowed: {PICKS}")
    if prediction.scenario not in tm.scenarios.names():
        raise PredictionError(
            f"{where}: scenario: got {prediction.scenario!r}; "
            f"allowed: {', '.join(tm.scenarios.names())}"
        )
    if not 1 <= prediction.seeds <= 10:
        raise PredictionError(f"{where}: seeds: got {prediction.seeds}; allowed: 1 to 10")
    base = tm.scenarios.load(prediction.scenario)
    points = []
    for option in prediction.options:
        policy = option.policy or prediction.policy
        try:
            from_spec(policy)
            values = dict(option.values)
            notes = []
            for name, factor in option.scale.items():
                old = getattr(base, name)
                new = old * factor
                new = round(new) if isinstance(old, int) else round(new, 6)
                values[name] = new
                notes.append(f"{name} {_number_text(old)} → {_number_text(new)}")
            scenario = base.replace(**values)
        except (tm.ScenarioError, tm.PolicyError, AttributeError, TypeError, ValueError) as err:
            raise PredictionError(f"{where}: option {option.label!r}: {err}") from err
        label = option.label + (f" ({', '.join(notes)})" if notes else "")
        points.append({"label": label, "policy": policy, "values": scenario.changes_from_default()})
    return {
        "name": prediction.name,
        "question": prediction.question,
        "measure": prediction.measure,
        "pick": prediction.pick,
        "seeds": prediction.seeds,
        "also": list(prediction.also),
        "scenario": prediction.scenario,
        "points": points,
        "storage_key": STORAGE_PREFIX + prediction.name,
    }


def html(resolved: Mapping[str, Any]) -> str:
    """The widget: the question as a form of radio buttons, a status line, the hidden reveal.

    Raw HTML (a Markdown page passes it through); ``predict.js`` wires the form and
    ``explorer.js`` the reveal, both loaded on every page by hooks/explorer.py.
    """
    from html import escape

    name = resolved["name"]
    group = f"tm-predict-{name}"
    options = "\n".join(
        f'<label class="tm-predict-option"><input type="radio" name="{group}" value="{i}"> '
        f"<span>{escape(point['label'])}</span></label>"
        for i, point in enumerate(resolved["points"])
    )
    sweep = escape(json.dumps(resolved, ensure_ascii=False), quote=True)
    return (
        f'<div class="tm-prediction" id="predict-{name}" data-storage-key="'
        f'{escape(resolved["storage_key"])}">\n'
        '<form class="tm-predict-form">\n'
        "<fieldset>\n"
        f'<legend><span class="tm-predict-kicker">Predict first.</span> '
        f"{escape(resolved['question'])}</legend>\n"
        f'<div class="tm-predict-options">\n{options}\n</div>\n'
        '<button type="submit" class="md-button md-button--primary">Commit my guess</button>\n'
        "</fieldset>\n"
        "</form>\n"
        '<p class="tm-predict-status" role="status" aria-live="polite">'
        "Committing a guess needs JavaScript: note your answer, then try it in the "
        "live explorer.</p>\n"
        f'<div class="tm-explorer" data-compact data-sweep="{sweep}" hidden></div>\n'
        "</div>\n"
    )
