"""Where results come from: the git commit of the package's source checkout (standard library only).

>>> isinstance(source_commit(), str)
True
"""

from __future__ import annotations

import subprocess
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def git(*args: str) -> str | None:
    """Output of ``git ARGS`` run in the package's folder, or None if git or the checkout is missing."""
    try:
        done = subprocess.run(
            ["git", "-C", str(PACKAGE_DIR), *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def source_commit() -> str:
    """The short commit of the checkout, with "+changes" when the package has uncommitted edits."""
    head = git("rev-parse", "--short=12", "HEAD")
    if not head:
        return "unknown (not a git checkout)"
    dirty = git("status", "--porcelain", "--", ".")
    return head + ("+changes" if dirty else "")
