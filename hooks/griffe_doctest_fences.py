"""Griffe extension for the API pages: show doctest examples as code.

The package's docstrings keep runnable ``>>>`` examples in their description (where ``--doctest-modules``
finds them). Outside a Google-style ``Examples:`` section Markdown would read ``>>>`` as nested
quotes and ``[...]`` outputs as links, so each unindented doctest block is wrapped in a ``pycon``
code fence before rendering, and Sphinx roles such as ``:class:`Policy``` become inline code.
The docstrings themselves are not changed.
"""

from __future__ import annotations

import re
from typing import Any

import griffe


def fence_doctests(text: str) -> str:
    """Wrap every top-level run of doctest lines (prompt, continuation, output) in a code fence."""
    out: list[str] = []
    in_block = False
    for line in text.splitlines():
        if not in_block and line.startswith(">>>"):
            out.append("```pycon")
            in_block = True
        elif in_block and not line.strip():
            out.append("```")
            in_block = False
        out.append(line)
    if in_block:
        out.append("```")
    return "\n".join(out)


SPHINX_ROLE = re.compile(r":(?:class|func|meth|mod|attr|data|exc|obj):`~?([^`]+)`")


class DoctestFences(griffe.Extension):
    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            text = SPHINX_ROLE.sub(r"``\1``", obj.docstring.value)
            obj.docstring.value = fence_doctests(text) if ">>>" in text else text
