"""A tournament entry: copy this file, rename it (e.g. ``ada_lovelace.py``) and change the policy.

Rules of the class tournament (``twomountains tournament``):

* ``NAME`` and ``AUTHOR`` are plain strings at the top level of the file;
* ``Policy`` is a class that can be created without arguments (``Policy()``) and has a method
  ``decide(view)`` returning a :class:`twomountains.policies.Decision`; subclassing a built-in
  policy (``FixedSplit``, ``Adaptive``, ...) is allowed;
* a fresh ``Policy()`` is created for every run, and the ``random`` module is seeded per run, so
  your entry behaves the same every time;
* use only the standard library and ``twomountains``; entries that read or write files, use the
  network, start processes, raise, return an invalid decision, or exceed the time or memory limits
  are disqualified with a one-line reason.

Try it before submitting::

    twomountains tournament my_folder/ --reps 3 --include-builtins
"""

from __future__ import annotations

import dataclasses

from twomountains.policies import Adaptive, Decision, TeamView

NAME = "Steady explorer"
AUTHOR = "Your Name"


class Policy(Adaptive):
    """The adaptive expert, with a firmer cap on hours when the team is tired."""

    def decide(self, view: TeamView) -> Decision:
        decision = super().decide(view)
        tired = any(p.present and p.exhaustion > 0.6 for p in view.people)
        hours = 42.0 if tired else decision.max_weekly_hours
        return dataclasses.replace(decision, max_weekly_hours=hours)
