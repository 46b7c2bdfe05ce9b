"""Unit tests of the site's MkDocs hooks (no build needed)."""

from __future__ import annotations

import pytest
from hook_loading import load_hook

directives = load_hook("directives")
fences = load_hook("griffe_doctest_fences")


def test_directive_lines_parse_with_literal_arguments() -> None:
    text = 'intro\n{{ figure("pareto", seeds=3, caption="A b") }}\n{{ labs_section(5, 6) }}\n'
    calls = [call for _, call in directives.find_calls(text, "page.md")]
    assert [c.name for c in calls] == ["figure", "labs_section"]
    assert calls[0].args == ("pareto",)
    assert calls[0].options == {"seeds": 3, "caption": "A b"}
    assert calls[1].args == (5, 6)


def test_directive_must_be_a_whole_line() -> None:
    assert directives.find_calls('see {{ figure("x") }} inline\n', "page.md") == []


def test_bad_directive_arguments_fail_with_the_page_name() -> None:
    from mkdocs.exceptions import PluginError

    with pytest.raises(PluginError, match="page.md: cannot parse directive figure"):
        directives.find_calls("{{ figure(name) }}\n", "page.md")


def test_lab_time_is_read_from_the_introduction() -> None:
    found = directives.LAB_TIME.search("**Time:** about 45 minutes (20 reading, 25 exercises)")
    assert found is not None and found[1] == "45"
    assert directives.LAB_TIME.search("Time flies") is None


def test_doctest_blocks_are_fenced_and_prose_is_not() -> None:
    text = "Summary.\n\n>>> 1 + 1\n2\n\nMore prose.\n    >>> indented stays\n"
    out = fences.fence_doctests(text)
    assert out.splitlines()[2:6] == ["```pycon", ">>> 1 + 1", "2", "```"]
    assert "    >>> indented stays" in out
    assert out.count("```") == 2


def test_sphinx_roles_become_inline_code() -> None:
    assert fences.SPHINX_ROLE.sub(r"``\1``", "see :func:`run` and :class:`~x.Policy`") == (
        "see ``run`` and ``x.Policy``"
    )
