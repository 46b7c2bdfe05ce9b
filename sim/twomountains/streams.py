"""Named random streams: one ``random.Random`` per source of randomness.

Each stream is seeded from a hash of (seed, name), so adding a stream never shifts another, and the
same seed gives the same arrivals, candidates and signals under every policy (common random numbers).

>>> a, b = stream(7, "arrivals"), stream(7, "arrivals")
>>> a.random() == b.random()
True
>>> stream(7, "arrivals").random() == stream(7, "incidents").random()
False
"""

from __future__ import annotations

import hashlib
import random


def stream(seed: int, name: str) -> random.Random:
    """A generator for the named source of randomness, independent of every other name."""
    digest = hashlib.sha256(f"twomountains/{seed}/{name}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))
