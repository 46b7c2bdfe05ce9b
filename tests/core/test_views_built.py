"""The model builds policy views with ``tuple.__new__`` for speed: they must still be whole views,
field for field, as the contract's NamedTuples declare them."""

from __future__ import annotations

import math

import twomountains as tm
from twomountains.contract import CandidateView, Decision, PersonView, ProjectView, TeamView


class Recorder:
    """A policy that keeps every view it is shown and decides like ``fixed:0.4``."""

    def __init__(self) -> None:
        self.inner = tm.policies.from_spec("fixed:0.4")
        self.views: list[TeamView] = []

    def decide(self, view: TeamView) -> Decision:
        self.views.append(view)
        return self.inner.decide(view)


def _whole(view: tuple, kind: type) -> None:
    assert type(view) is kind
    assert len(view) == len(kind._fields)  # type: ignore[attr-defined]
    assert kind(*view) == view


def test_views_are_whole_and_consistent() -> None:
    recorder = Recorder()
    tm.run(tm.Scenario().replace(horizon_weeks=12), recorder, seed=2)
    assert recorder.views
    for view in recorder.views:
        _whole(view, TeamView)
        assert isinstance(view.scenario, tm.Scenario) and 0.0 <= view.knowledge <= 1.0
        for person in view.people:
            _whole(person, PersonView)
            assert isinstance(person.slot, int) and isinstance(person.present, bool)
            assert 0.0 <= person.productivity <= 1.0 and person.exhaustion >= 0.0
        for project in view.projects:
            _whole(project, ProjectView)
            assert project.phase in ("exploring", "building", "late")
            assert 0.0 <= project.readiness <= 1.0
            expected = project.deadline_week - view.week
            assert math.isclose(project.weeks_to_deadline, expected, abs_tol=1e-9)
            for candidate in project.candidates:
                _whole(candidate, CandidateView)
                assert candidate.sd >= 0.0 and candidate.signals >= 0
