"""Bad entry: tries to phone home."""

import socket

import twomountains as tm

NAME = "Phone home"
AUTHOR = "Bad Example"


class Policy(tm.policies.Adaptive):
    def decide(self, view):
        socket.create_connection(("192.0.2.1", 80), timeout=1).close()
        return super().decide(view)
