"""The reference page of the policy views lists exactly the fields of each view, in order."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from twomountains import policies

PAGE = Path(__file__).resolve().parents[2] / "docs" / "reference" / "views.md"


@pytest.mark.parametrize("view", ["TeamView", "ProjectView", "PersonView", "CandidateView"])
def test_page_lists_every_field_in_order(view):
    text = PAGE.read_text(encoding="utf-8")
    section = text.split(f"## {view}\n", 1)[1].split("\n## ", 1)[0].split(":::", 1)[0]
    listed = re.findall(r"^\| `(\w+)` \|", section, re.M)
    assert tuple(listed) == getattr(policies, view)._fields
    assert f"::: twomountains.policies.{view}\n" in text
