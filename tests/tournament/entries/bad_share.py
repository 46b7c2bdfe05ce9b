"""Bad entry: returns a Decision with an impossible platform share."""

from twomountains.policies import Decision

NAME = "Overinvestor"
AUTHOR = "Bad Example"


class Policy:
    def decide(self, view):
        return Decision(platform_share=2.5)
