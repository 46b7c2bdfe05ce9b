"""The claims-ledger hook: pages that state a claim's result must agree with the ledger.

A small fake ledger stands in for docs/research/claims-ledger.json, so these tests do not depend
on today's verdicts; the last tests check the real pages and labs against the committed ledger.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from hook_loading import load_hook
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[2]


ledger_hook = load_hook("ledger")


def _test(label, effect, low, high, verdict, metric="value_delivered"):
    return {
        "label": label,
        "metric": metric,
        "effect": effect,
        "low": low,
        "high": high,
        "verdict": verdict,
        "detail": "",
    }


FAKE = {
    "reps": 12,
    "presets": ["default", "crunchy"],
    "claims": [
        {
            "claim": 2,
            "statement": "MLOps hyper-focus ships systems nobody uses.",
            "preset": "default",
            "verdict": "holds",
            "tests": [_test("mirages", 1.5, 1.0, 2.0, "holds", "mirages_shipped")],
        },
        {
            "claim": 2,
            "statement": "MLOps hyper-focus ships systems nobody uses.",
            "preset": "crunchy",
            "verdict": "cannot tell",
            "tests": [_test("mirages", 0.2, -0.1, 0.5, "cannot tell", "mirages_shipped")],
        },
        {
            "claim": 4,
            "statement": "Tighter deadlines fast-track experimentation and raise burnout risk.",
            "preset": "default",
            "verdict": "fails",
            "tests": [
                _test("exploration", 9.3, 5.1, 13.5, "fails", "exploration_per_project"),
                _test("at risk", 0.08, 0.035, 0.125, "holds", "at_risk_share"),
            ],
        },
        {
            "claim": 4,
            "statement": "Tighter deadlines fast-track experimentation and raise burnout risk.",
            "preset": "crunchy",
            "verdict": "holds",
            "tests": [
                _test("exploration", -45.0, -60.0, -30.0, "holds", "exploration_per_project"),
                _test("at risk", 0.13, 0.08, 0.18, "holds", "at_risk_share"),
            ],
        },
    ],
    "provenance": {"twomountains": "0.0.0"},
}


@pytest.fixture
def fake():
    return ledger_hook.Ledger(FAKE)


def _page(uri="modules/04-deadlines-burnout.md"):
    return SimpleNamespace(file=SimpleNamespace(src_uri=uri))


@pytest.fixture
def hook_with_fake(fake, monkeypatch):
    monkeypatch.setitem(ledger_hook._state, "ledger", fake)
    monkeypatch.setitem(ledger_hook._state, "audit", None)
    return ledger_hook


def _marker(claim, preset, verdict, text="prose", test=None):
    extra = f' data-test="{test}"' if test is not None else ""
    return (
        f'<span data-claim="{claim}" data-preset="{preset}" data-verdict="{verdict}"{extra}>'
        f"{text}</span>"
    )


# --- the check -----------------------------------------------------------------------------------


def test_a_page_that_contradicts_the_ledger_fails_the_build(hook_with_fake):
    page = "Deadlines: " + _marker(4, "default", "holds", "tighter deadlines cut exploration")
    with pytest.raises(PluginError, match="claim 4 in 'default': the page says holds, the ledger"):
        hook_with_fake.on_page_markdown(page, _page(), None, None)


def test_a_page_that_matches_the_ledger_passes(hook_with_fake):
    page = (
        "Deadlines: "
        + _marker(4, "default", "fails", "tighter deadlines did not cut exploration")
        + ", but "
        + _marker(4, "default", "holds", "they raised burnout risk", test=2)
        + ".\n"
    )
    assert hook_with_fake.on_page_markdown(page, _page(), None, None) == page


def test_a_test_marker_is_checked_against_that_test(fake):
    wrong = _marker(4, "default", "fails", test=2)
    problems = ledger_hook.check_markdown(wrong, fake, "p.md")
    assert problems == [
        "p.md:1: claim 4 test 2 in 'default': the page says fails, the ledger says holds"
    ]


def test_every_preset_and_lists_of_verdicts(fake):
    assert ledger_hook.check_markdown(
        _marker(4, "every", "holds"), fake, "p.md"
    )  # fails in default
    assert not ledger_hook.check_markdown(_marker(4, "every", "holds", test=2), fake, "p.md")
    assert not ledger_hook.check_markdown(_marker(2, "every", "holds, cannot tell"), fake, "p.md")
    assert ledger_hook.check_markdown(_marker(2, "crunchy", "holds, fails"), fake, "p.md")


@pytest.mark.parametrize(
    ("marker", "message"),
    [
        (_marker(9, "default", "holds"), "claim 9: not in the ledger; allowed: 2, 4"),
        (
            _marker(4, "nowhere", "holds"),
            "no result for preset 'nowhere'; allowed: crunchy, default",
        ),
        (_marker(4, "default", "true"), "data-verdict got 'true'; allowed: holds, fails"),
        (_marker(4, "default", "holds", test=3), "test=3; allowed: 1 to 2"),
        ('<span data-claim="4" data-verdict="holds">x</span>', "data-preset is missing"),
        ('<span data-claim="four" data-preset="default">x</span>', "data-claim: got 'four'"),
    ],
)
def test_bad_markers_are_named_with_what_is_allowed(fake, marker, message):
    (problem,) = ledger_hook.check_markdown("line one\n" + marker, fake, "p.md")
    assert problem.startswith("p.md:2: ") and message in problem


def test_markers_and_directives_in_code_are_left_alone(hook_with_fake):
    page = (
        "Write `" + _marker(4, "default", "holds") + "` or `{{ claim(4, 'nowhere') }}`.\n\n"
        "```html\n" + _marker(4, "default", "holds") + "\n{{ claim(9, 'x') }}\n```\n"
    )
    assert hook_with_fake.on_page_markdown(page, _page(), None, None) == page


# --- the directives ------------------------------------------------------------------------------


def test_the_directive_renders_the_verdict_from_the_ledger(hook_with_fake):
    out = hook_with_fake.on_page_markdown(
        'Claim 4 {{ claim(4, "default") }}; burnout {{ claim(4, "default", test=2) }}.',
        _page(),
        None,
        None,
    )
    assert "<strong>fails</strong> (its tests: 1 holds, 1 fails)" in out
    assert "<strong>holds</strong>: effect +0.080 [+0.035, +0.125]" in out
    assert out.count("([ledger](../research/claims.md#claim-4))") == 2
    # the rendered text is itself marked, and agrees with the ledger
    assert not ledger_hook.check_markdown(out, ledger_hook._state["ledger"], "p.md")


def test_the_directive_follows_a_changed_ledger(monkeypatch):
    changed = json.loads(json.dumps(FAKE))
    changed["claims"][2]["verdict"] = "holds"
    changed["claims"][2]["tests"][0].update(verdict="holds", effect=-9.3, low=-13.5, high=-5.1)
    monkeypatch.setitem(ledger_hook._state, "ledger", ledger_hook.Ledger(changed))
    out = ledger_hook.on_page_markdown(
        '{{ claim(4, "default", test=1, link=False) }}', _page(), None, None
    )
    assert out.endswith("<strong>holds</strong>: effect -9.3 [-13.5, -5.1]</span>")


def test_claim_presets_groups_the_verdicts(hook_with_fake):
    out = hook_with_fake.on_page_markdown("{{ claim_presets(2) }}", _page(), None, None)
    assert out.startswith(
        "<strong>holds</strong> in `default`; <strong>cannot tell</strong> in `crunchy`"
    )


def test_a_directive_for_a_missing_result_fails_the_build(hook_with_fake):
    with pytest.raises(PluginError, match="no result for preset 'elsewhere'"):
        hook_with_fake.on_page_markdown('{{ claim(2, "elsewhere") }}', _page(), None, None)
    with pytest.raises(PluginError, match="cannot parse claim"):
        hook_with_fake.on_page_markdown("{{ claim(2, default) }}", _page(), None, None)


def test_without_a_ledger_marked_pages_fail_and_others_pass(monkeypatch):
    monkeypatch.setitem(ledger_hook._state, "ledger", None)
    monkeypatch.setitem(ledger_hook._state, "audit", None)
    assert ledger_hook.on_page_markdown("plain", _page(), None, None) == "plain"
    with pytest.raises(PluginError, match="claims-ledger.json"):
        ledger_hook.on_page_markdown(_marker(2, "default", "holds"), _page(), None, None)


def test_effects_are_shown_with_one_precision():
    assert ledger_hook.effect_text(_test("x", 325.8, 120.0, 531.0, "holds")) == "+326 [+120, +531]"
    assert (
        ledger_hook.effect_text(_test("x", -0.5, -1.4, 0.4, "cannot tell"))
        == "-0.50 [-1.40, +0.40]"
    )


# --- notebooks -----------------------------------------------------------------------------------


def _notebook(tmp_path, *sources):
    nb = {
        "cells": [{"cell_type": "markdown", "metadata": {}, "source": s} for s in sources],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = tmp_path / "09-test.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def test_a_lab_cell_that_contradicts_the_ledger_is_reported(tmp_path, fake):
    path = _notebook(tmp_path, "## Key points\n", "- " + _marker(2, "crunchy", "holds"))
    (problem,) = ledger_hook.check_notebook(path, fake)
    assert problem.startswith("09-test.ipynb cell 1:1: claim 2 in 'crunchy'")


def test_a_lab_cell_cannot_use_the_expanding_directive(tmp_path, fake):
    path = _notebook(tmp_path, 'Claim 2 {{ claim(2, "default") }}')
    (problem,) = ledger_hook.check_notebook(path, fake)
    assert "not expanded in a notebook" in problem


def test_labs_are_checked_when_the_site_is_built(tmp_path, monkeypatch):
    ledger_file = tmp_path / "claims-ledger.json"
    ledger_file.write_text(json.dumps(FAKE), encoding="utf-8")
    labs = tmp_path / "labs"
    labs.mkdir()
    _notebook(labs, _marker(4, "crunchy", "fails"))
    monkeypatch.setattr(ledger_hook, "LEDGER_PATH", ledger_file)
    monkeypatch.setattr(ledger_hook, "AUDIT_PATH", tmp_path / "none.json")
    monkeypatch.setattr(ledger_hook, "LABS_DIR", labs)
    monkeypatch.setattr(ledger_hook, "_check_statements", lambda ledger: [])
    with pytest.raises(PluginError, match="The labs contradict the claims ledger"):
        ledger_hook.on_files([], None)


# --- figures ---------------------------------------------------------------------------------------


def test_the_ledger_figure_and_its_alt_text_come_from_the_ledger(tmp_path, monkeypatch):
    ledger_file = tmp_path / "claims-ledger.json"
    ledger_file.write_text(json.dumps(FAKE), encoding="utf-8")
    monkeypatch.setattr(ledger_hook, "LEDGER_PATH", ledger_file)
    for theme in ("light", "dark"):
        fig, alt = ledger_hook.claims_ledger_figure(theme)
        ledger_hook.figure_registry.close(fig)
    assert alt.startswith("Grid of 3 panels")
    assert "Claim 2, mirages: holds in default; cannot tell in crunchy" in alt
    assert "Claim 4, exploration: holds in crunchy; fails in default" in alt


# --- the real pages against the committed ledger ----------------------------------------------


def test_the_course_pages_and_labs_agree_with_the_committed_ledger():
    ledger = ledger_hook.Ledger.load()
    audit = ledger_hook._maybe(ledger_hook.load_audit)
    problems = []
    for path in sorted((ROOT / "docs").rglob("*.md")):
        uri = path.relative_to(ROOT / "docs").as_posix()
        text = path.read_text(encoding="utf-8")
        if uri == ledger_hook.AUDIT_PAGE and audit is None:
            continue
        expanded = ledger_hook.expand(text, ledger, audit, uri)
        problems += ledger_hook.check_markdown(expanded, ledger, uri)
    for nb in sorted((ROOT / "labs").glob("[0-9]*.ipynb")):
        problems += ledger_hook.check_notebook(nb, ledger)
    assert not problems, "\n".join(problems)


# --- the audit page ------------------------------------------------------------------------------


def _index(name, mu_star, sigma=0.1):
    return {
        "parameter": name,
        "mu": -mu_star,
        "mu_star": mu_star,
        "mu_star_conf": 0.1,
        "sigma": sigma,
    }


FAKE_AUDIT = {
    "preset": "default",
    "reps": 4,
    "trajectories": 2,
    "points": 8,
    "runs": 100,
    "range": "0.5x to 2x the default, clipped, log scale",
    "parameters": [
        {"name": "deadline_weeks", "default": 10.0, "low": 5.0, "high": 20.0, "integer": False},
        {"name": "pitch_noise", "default": 4.0, "low": 2.0, "high": 8.0, "integer": False},
    ],
    "not_screened": ["repair_hours"],
    "claims": [
        {
            "claim": 2,
            "statement": "MLOps hyper-focus ships systems nobody uses.",
            "verdict": "holds",
            "primary": 0,
            "tests": [
                {
                    **_test("mirages", 1.5, 1.0, 2.0, "holds", "mirages_shipped"),
                    "noise": 0.5,
                    "seeds_only": _index("(seeds only)", 0.5),
                    "effect_range": [0.5, 2.5],
                    "verdicts_seen": {"holds": 5, "fails": 0, "cannot tell": 3},
                    "indices": [_index("deadline_weeks", 2.0), _index("pitch_noise", 0.25)],
                    "depends_on": ["deadline_weeks"],
                }
            ],
        }
    ],
    "provenance": {"commit": "abc123", "date": "2026-12-02 05:00 UTC"},
}


def test_the_audit_page_says_what_each_effect_depends_on():
    summary = ledger_hook.audit_summary(FAKE_AUDIT, page_uri=ledger_hook.AUDIT_PAGE)
    assert "| mirages | +1.50 [+1.00, +2.00] | 0.500 | `deadline_weeks` |" in summary
    tables = ledger_hook.audit_tables(FAKE_AUDIT, page_uri=ledger_hook.AUDIT_PAGE)
    assert "| [`deadline_weeks`](../researchers/model.md#33-input-parameters) | 2.00 |" in tables
    assert "| `(seeds only)` | 0.500 |" in tables and "(the noise line)" in tables
    assert "5 holds, 3 cannot tell" in tables
    provenance = ledger_hook.audit_provenance(FAKE_AUDIT, page_uri=ledger_hook.AUDIT_PAGE)
    assert "| commit | abc123 |" in provenance and "| date | 2026-12-02 05:00 UTC |" in provenance
    assert "`repair_hours`" in ledger_hook.audit_parameters(FAKE_AUDIT, page_uri="x")


def test_the_audit_figure_and_its_alt_text_come_from_the_audit(tmp_path, monkeypatch):
    audit_file = tmp_path / "claims-audit.json"
    audit_file.write_text(json.dumps(FAKE_AUDIT), encoding="utf-8")
    monkeypatch.setattr(ledger_hook, "AUDIT_PATH", audit_file)
    fig, alt = ledger_hook.claims_audit_figure("dark")
    ledger_hook.figure_registry.close(fig)
    assert "Heat map of 2 calibration choices (rows) by 1 claim tests" in alt
    assert "1 of 2 parameters above the seeds alone; largest deadline_weeks (4.0)" in alt
