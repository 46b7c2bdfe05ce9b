"""Bad entry: loops forever (burns CPU)."""

NAME = "Spinner"
AUTHOR = "Bad Example"


class Policy:
    def decide(self, view):
        while True:
            pass
