"""Bad entry: allocates memory without bound."""

NAME = "Hoarder"
AUTHOR = "Bad Example"

_hoard = []


class Policy:
    def decide(self, view):
        while True:
            _hoard.append(bytearray(10_000_000))
