"""Finding the entries in a submissions folder and checking them without running them.

Every ``*.py`` file in the folder (not in sub-folders; names starting with ``_`` or ``.`` are
skipped) is one entry, identified by its file name without ``.py``. The static check parses the file
(never executes it) to catch syntax errors early, to read ``NAME`` and ``AUTHOR`` when they are
plain strings (so even a disqualified entry shows its author), and to flag code worth a human look
before announcing a winner: imports outside a short list of harmless modules and reaching into
Python's internals (``__globals__``, ``__subclasses__``, ...). Flags never disqualify; they are
printed in the leaderboard's ``notes`` column.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

from twomountains.errors import UsageError

#: Largest entry file accepted, in bytes (a policy is a page of code, not a data set).
MAX_ENTRY_BYTES = 1_000_000

#: Modules an entry may import without being flagged for review.
HARMLESS_IMPORTS = frozenset(
    {
        "__future__",
        "bisect",
        "collections",
        "dataclasses",
        "enum",
        "fractions",
        "functools",
        "heapq",
        "itertools",
        "math",
        "operator",
        "random",
        "statistics",
        "typing",
        "twomountains",
        "twomountains.policies",
    }
)
_SUSPICIOUS_ATTRIBUTES = frozenset(
    {
        "__globals__",
        "__subclasses__",
        "__builtins__",
        "__code__",
        "__closure__",
        "__dict__",
        "__import__",
        "f_back",
        "f_globals",
        "gi_frame",
        "TeamModel",
    }
)
_SUSPICIOUS_CALLS = frozenset({"eval", "exec", "compile", "__import__", "setattr", "globals"})


@dataclass
class Entry:
    """One submitted file and what the static check found."""

    id: str  # file name without .py
    path: Path
    name: str = ""  # NAME, when it is a plain string literal
    author: str = ""  # AUTHOR, likewise
    problem: str = ""  # a disqualification found without running the file
    notes: list[str] = field(default_factory=list)  # reasons for a human to read the code


def discover(folder: str | Path) -> list[Entry]:
    """The entries in ``folder``, sorted by id, each statically checked (see the module docs)."""
    root = Path(folder)
    if not root.exists():
        raise UsageError(f"submissions folder: {str(folder)!r} does not exist")
    if not root.is_dir():
        raise UsageError(f"submissions folder: {str(folder)!r} is not a folder")
    paths = sorted(
        p for p in root.glob("*.py") if p.is_file() and not p.name.startswith(("_", "."))
    )
    if not paths:
        raise UsageError(f"submissions folder: no entries (*.py files) in {str(folder)!r}")
    return [check(p) for p in paths]


def check(path: Path) -> Entry:
    """Statically check one entry file (parse only; nothing in it is run)."""
    entry = Entry(id=path.stem, path=path)
    size = path.stat().st_size
    if size > MAX_ENTRY_BYTES:
        entry.problem = f"import failed (file is {size} bytes; allowed: at most {MAX_ENTRY_BYTES})"
        return entry
    try:
        source = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        entry.problem = f"import failed (not UTF-8 text: {err.reason} at byte {err.start})"
        return entry
    try:
        tree = ast.parse(source, filename=path.name)
    except SyntaxError as err:
        entry.problem = f"import failed (SyntaxError: {err.msg} line {err.lineno})"
        return entry
    except ValueError as err:  # e.g. null bytes
        entry.problem = f"import failed ({err})"
        return entry
    entry.name = _string_constant(tree, "NAME")
    entry.author = _string_constant(tree, "AUTHOR")
    entry.notes = review_notes(tree)
    return entry


def _string_constant(tree: ast.Module, name: str) -> str:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            value = node.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                return value.value[:80]
    return ""


def review_notes(tree: ast.AST) -> list[str]:
    """Reasons to read an entry's code before trusting its score (sorted, without repeats)."""
    notes: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            modules = [node.module or "."] if node.level == 0 else ["relative import"]
        else:
            modules = []
        for module in modules:
            if module not in HARMLESS_IMPORTS:
                notes.add(f"imports {module}")
        if isinstance(node, ast.Attribute) and node.attr in _SUSPICIOUS_ATTRIBUTES:
            notes.add(f"uses {node.attr}")
        if isinstance(node, ast.Name) and node.id in _SUSPICIOUS_CALLS:
            notes.add(f"uses {node.id}")
    return sorted(notes)
