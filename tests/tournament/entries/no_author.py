"""Bad entry: forgets AUTHOR."""

import twomountains as tm

NAME = "Anonymous"


class Policy(tm.policies.Adaptive):
    pass
