"""Run the examples in the study modules' docstrings."""

from __future__ import annotations

import doctest

import pytest

from twomountains import plots
from twomountains.study import design, stats


@pytest.mark.parametrize("module", [design, stats, plots])
def test_module_doctests(module):
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0
