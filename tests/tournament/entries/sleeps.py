"""Bad entry: waits forever without using CPU (only the wall-clock limit catches it)."""

import time

NAME = "Sleeper"
AUTHOR = "Bad Example"


class Policy:
    def decide(self, view):
        time.sleep(10_000)
