"""Bad entry: raises inside decide."""

import twomountains as tm

NAME = "Raiser"
AUTHOR = "Bad Example"


class Policy(tm.policies.Adaptive):
    def decide(self, view):
        if view.week > 2:
            raise ValueError("boom in week 2")
        return super().decide(view)
