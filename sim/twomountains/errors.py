"""Exceptions shared by every layer (standard library only)."""

from __future__ import annotations


class TwoMountainsError(Exception):
    """Base class of the package's own errors."""


class ScenarioError(TwoMountainsError, ValueError):
    """A scenario parameter is unknown, of the wrong type, out of range, or inconsistent."""


class PolicyError(TwoMountainsError, ValueError):
    """A policy spec cannot be parsed, or a policy returned an invalid decision."""


class UsageError(TwoMountainsError, ValueError):
    """A command-line or function argument is malformed (message is shown to the user as is)."""
