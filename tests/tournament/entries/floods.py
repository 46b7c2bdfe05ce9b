"""Bad entry: writes to the raw output descriptor without end (printing alone is harmless)."""

import os

NAME = "Firehose"
AUTHOR = "Bad Example"


class Policy:
    def decide(self, view):
        print("prints are discarded")
        while True:
            os.write(1, b"x" * 1_000_000)
