"""Bad entry: tries to write a file next to the submissions."""

import twomountains as tm

NAME = "Graffiti"
AUTHOR = "Bad Example"


class Policy(tm.policies.Adaptive):
    def decide(self, view):
        with open("../escaped.txt", "w") as fh:
            fh.write("I was here")
        return super().decide(view)
