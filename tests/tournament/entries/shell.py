"""Bad entry: tries to start a process at import time."""

import os

os.system("echo hello")

NAME = "Shell"
AUTHOR = "Bad Example"


class Policy:
    def decide(self, view):
        return None
