"""Whole-line page directives, ``{{ name() }}`` alone on a line, shared by the page hooks.

Not a hook itself (mkdocs.yml does not list it): the hooks that fill their pages' directives
import it as a sibling module. Each hook runs before hooks/directives.py, which rejects any
directive line left unexpanded.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

WHOLE_LINE = re.compile(r"^\{\{\s*(?P<name>\w+)\(\s*\)\s*\}\}[ \t]*$", re.MULTILINE)


def expand(markdown: str, directives: Mapping[str, Callable[[], str]]) -> str:
    """``markdown`` with each whole-line directive named in ``directives`` replaced by its text;
    other directives (another hook's) are left as they are.

    >>> expand("a\\n{{ hello() }}\\n{{ other() }}", {"hello": lambda: "hi"})
    'a\\nhi\\n{{ other() }}'
    """

    def replace(match: re.Match[str]) -> str:
        directive = directives.get(match["name"])
        return directive() if directive is not None else match[0]

    return WHOLE_LINE.sub(replace, markdown)
