"""Good entry written from scratch against the protocol (no built-in base class)."""

import random

from twomountains.policies import Decision

NAME = "Coin and calendar"
AUTHOR = "Alan Turing"


class Policy:
    def decide(self, view):
        # uses the random module on purpose: the tournament seeds it, so reruns agree
        share = 0.3 + 0.2 * random.random()
        commit = frozenset(
            p.id
            for p in view.projects
            if p.phase == "exploring"
            and view.week - p.arrival_week >= share * (p.deadline_week - p.arrival_week)
        )
        tired = {p.slot: 40.0 for p in view.people if p.present and p.exhaustion > 0.6}
        return Decision(
            platform_share=0.15,
            max_weekly_hours=45.0,
            commit=commit,
            person_max_weekly_hours=tired,
        )
