"""Bad entry: imports a module that does not exist."""

import no_such_module_for_tournament  # noqa: F401

NAME = "Missing import"
AUTHOR = "Bad Example"


class Policy:
    def decide(self, view):
        return None
