"""Good entry: the adaptive expert, but nobody is asked for more than 42 hours a week."""

import dataclasses

import twomountains as tm

NAME = "Steady explorer"
AUTHOR = "Ada Lovelace"


class Policy(tm.policies.Adaptive):
    def decide(self, view):
        decision = super().decide(view)
        return dataclasses.replace(decision, max_weekly_hours=42.0)
