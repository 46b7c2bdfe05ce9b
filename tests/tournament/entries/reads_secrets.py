"""Bad entry: tries to read a file outside its folder (and swallows the refusal)."""

import twomountains as tm

NAME = "Snoop"
AUTHOR = "Bad Example"


class Policy(tm.policies.Adaptive):
    def decide(self, view):
        try:
            with open("/etc/passwd") as fh:
                fh.read()
        except OSError:
            pass  # hiding the refusal does not help: the attempt is recorded
        return super().decide(view)
