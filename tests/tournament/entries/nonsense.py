"""Bad entry: returns something that is not a decision."""

NAME = "Nonsense"
AUTHOR = "Bad Example"


class Policy:
    def decide(self, view):
        return 42
