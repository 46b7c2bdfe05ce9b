"""Good entry: a fixed split that explores 60% of every project's window."""

import twomountains as tm

NAME = "Long explorer"
AUTHOR = "Grace Hopper"


class Policy(tm.policies.FixedSplit):
    def __init__(self):
        super().__init__(explore_share=0.6, platform_share=0.2)
