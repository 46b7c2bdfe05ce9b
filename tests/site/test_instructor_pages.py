"""The instructors' material against the labs and modules it plans for (Markdown sources; no build).

The schedules must give every lab at least 1.5 times the time the lab states (the guide's own
advice), include every module's labs, and have timetables whose clock times add up; each talk must
reuse its module's build-time figures and open with a prediction; the one-day quiz must have 8 to 10
questions with a collapsed answer key.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from hook_loading import load_hook

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PLANNING_FACTOR = 1.5


directives = load_hook("directives")


def _stated_minutes() -> dict[int, int]:
    """Lab number -> the time the lab states in its introduction (as the lab table reads it)."""
    minutes = {}
    for number, notebook, _title in directives._labs():
        stated = directives.lab_minutes(notebook)
        assert stated, f"{notebook.name} states no time in its introduction"
        minutes[number] = stated
    return minutes


def _module_labs() -> dict[int, set[int]]:
    """Module number -> the labs its page links with labs_section(...)."""
    found: dict[int, set[int]] = {}
    for page in sorted((DOCS / "modules").glob("[0-9][0-9]-*.md")):
        module = int(page.name[:2])
        for _, call in directives.find_calls(page.read_text(encoding="utf-8"), page.name):
            if call.name == "labs_section":
                found.setdefault(module, set()).update(call.args)
    return found


def _sections(path: Path) -> dict[str, str]:
    """Second-level heading -> its text, for one Markdown page."""
    parts = re.split(r"^## (.+)$", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return {title.strip(): body for title, body in zip(parts[1::2], parts[2::2], strict=True)}


SCHEDULES = _sections(DOCS / "instructors" / "schedules.md")
PLANS = {
    "One-day workshop": range(1, 6),  # Modules 1 to 5; Module 6 is the follow-up
    "Two-day workshop": range(1, 7),
    "Four-week module": range(1, 7),
}
LAB_SLOT = re.compile(r"\bLab (\d+)(?: or Lab (\d+))? \((\d+) min")


@pytest.mark.parametrize("plan", sorted(PLANS))
def test_every_lab_slot_gives_one_and_a_half_times_the_stated_time(plan: str) -> None:
    stated = _stated_minutes()
    slots = LAB_SLOT.findall(SCHEDULES[plan])
    assert slots, f"{plan}: no 'Lab N (M min)' slots found"
    for first, second, minutes in slots:
        for lab in filter(None, (first, second)):
            needed = math.ceil(PLANNING_FACTOR * stated[int(lab)])
            assert int(minutes) >= needed, (
                f"{plan}: Lab {lab} gets {minutes} min; it states {stated[int(lab)]} min, "
                f"so plan at least {needed}"
            )


@pytest.mark.parametrize("plan", sorted(PLANS))
def test_every_module_in_a_plan_has_its_labs_in_it(plan: str) -> None:
    module_labs = _module_labs()
    mentioned = {int(n) for n in re.findall(r"\bLabs? (\d+)", SCHEDULES[plan])}
    mentioned |= {int(n) for n in re.findall(r"\band (\d+)\b", SCHEDULES[plan])}
    for module in PLANS[plan]:
        missing = module_labs.get(module, set()) - mentioned
        assert not missing, f"{plan}: Module {module}'s labs {sorted(missing)} are not in the plan"


TIMETABLE_ROW = re.compile(r"^\| (\d\d):(\d\d) \| [^|]*?\((\d+) min\)", re.MULTILINE)


@pytest.mark.parametrize("plan", ["One-day workshop", "Two-day workshop"])
def test_timetable_clock_times_add_up(plan: str) -> None:
    for day in re.split(r"\*\*Day \d\*\*", SCHEDULES[plan]):
        rows = [(int(h) * 60 + int(m), int(d)) for h, m, d in TIMETABLE_ROW.findall(day)]
        for (start, duration), (next_start, _) in zip(rows, rows[1:], strict=False):
            assert start + duration == next_start, (
                f"{plan}: a block at {start // 60:02d}:{start % 60:02d} lasts {duration} min "
                f"but the next starts at {next_start // 60:02d}:{next_start % 60:02d}"
            )


TALKS = DOCS / "instructors" / "talks"


@pytest.mark.parametrize("module", range(1, 7))
def test_each_talk_reuses_its_module_figures_after_a_prediction(module: int) -> None:
    talk = (TALKS / f"module-{module}.md").read_text(encoding="utf-8")
    page = next((DOCS / "modules").glob(f"{module:02d}-*.md")).read_text(encoding="utf-8")
    talk_figures = [
        m[0] for m, call in directives.find_calls(talk, "talk") if call.name == "figure"
    ]
    module_figures = {
        m[0] for m, call in directives.find_calls(page, "module") if call.name == "figure"
    }
    assert talk_figures, f"talk {module} shows no build-time figure"
    # The same directive text: the build renders it once and both pages show the same runs.
    assert set(talk_figures) <= module_figures, f"talk {module} draws figures its module does not"
    slides = re.findall(r"^## (.+?) \{ \.tm-slide \}$", talk, flags=re.MULTILINE)
    assert len(slides) >= 5, f"talk {module} has {len(slides)} slides"
    predict = talk.index("## Predict first")
    assert predict < talk.index(talk_figures[0]), (
        f"talk {module} shows a figure before the prediction"
    )


def test_the_one_day_quiz_has_eight_to_ten_questions_and_a_collapsed_key() -> None:
    text = (DOCS / "instructors" / "assessment.md").read_text(encoding="utf-8")
    questions = re.findall(r"^\*\*(\d+)\.\*\* ", text, flags=re.MULTILINE)
    assert 8 <= len(questions) <= 10
    assert questions == [str(i) for i in range(1, len(questions) + 1)]
    key = text[text.index('??? success "Answer key') :]
    answered = re.findall(r"^    \| (\d+) \| ([A-D]) \|", key, flags=re.MULTILINE)
    assert [q for q, _ in answered] == questions
    assert "## Exit ticket" in text


def test_talk_pages_print_one_slide_per_sheet() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "- stylesheets/print.css" in config
    css = (DOCS / "stylesheets" / "print.css").read_text(encoding="utf-8")
    assert re.search(r"@media print\s*\{[^@]*h2\.tm-slide\s*\{\s*break-before:\s*page", css)
