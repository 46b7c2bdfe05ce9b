"""The explorer's build hook without a browser: manifest contents and the no-npm fallback."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

import twomountains as tm
from twomountains.policies import BUILTIN_SPECS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def hook() -> ModuleType:
    spec = importlib.util.spec_from_file_location("explorer_hook", ROOT / "hooks" / "explorer.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_manifest_describes_every_parameter_and_policy(hook: ModuleType) -> None:
    manifest = hook.base_manifest()
    assert [p["name"] for p in manifest["parameters"]] == [p.name for p in tm.Scenario.parameters()]
    team = next(p for p in manifest["parameters"] if p["name"] == "team_size")
    assert (team["kind"], team["default"], team["low"], team["high"]) == ("int", 6, 1, 100)
    assert manifest["policies"] == BUILTIN_SPECS
    assert manifest["kpi_names"] == list(tm.KPI_NAMES)
    json.dumps(manifest)  # the page reads it as JSON


def test_without_npm_the_site_builds_and_the_manifest_says_why(
    hook: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hook, "CACHE", tmp_path / "cache")  # nothing cached from earlier builds
    monkeypatch.setattr(hook.shutil, "which", lambda name: None)
    config: Any = SimpleNamespace(site_dir=str(tmp_path / "site"))
    hook.on_post_build(config)
    manifest = json.loads((tmp_path / "site" / "explorer" / "manifest.json").read_text())
    assert manifest["available"] is False
    assert "npm was not found" in manifest["reason"]
    assert len(manifest["parameters"]) == len(tm.Scenario.parameters())
    assert not (tmp_path / "site" / "explorer" / "pyodide").exists()


def test_a_failing_tool_is_reported_with_its_command(hook: ModuleType) -> None:
    with pytest.raises(hook.Unavailable, match=r"testing: `false` failed"):
        hook._tool("false", what="testing")
    with pytest.raises(hook.Unavailable, match="no-such-tool-xyz was not found"):
        hook._tool("no-such-tool-xyz", what="testing")


def test_the_pinned_pyodide_version_is_the_one_installed(hook: ModuleType) -> None:
    package = hook.CACHE / f"npm-pyodide-{hook.PYODIDE_VERSION}" / "node_modules" / "pyodide"
    if not (package / "package.json").is_file():
        pytest.skip("Pyodide has not been installed by a site build on this machine")
    assert hook.npm_pyodide() == package
    assert json.loads((package / "package.json").read_text())["version"] == hook.PYODIDE_VERSION


def test_every_kpi_has_a_label_in_the_explorer() -> None:
    """Labels come from a mapping (so "mlops_hours" reads "MLOps hours"), one per KPI."""
    import re

    import twomountains as tm

    script = (ROOT / "docs" / "explorer" / "explorer.js").read_text(encoding="utf-8")
    block = script.split("const KPI_LABELS = {", 1)[1].split("};", 1)[0]
    labels = dict(re.findall(r"^\s*(\w+): \"([^\"]+)\",", block, flags=re.MULTILINE))
    assert set(tm.KPI_NAMES) <= set(labels), set(tm.KPI_NAMES) - set(labels)
    assert labels["mlops_hours"] == "MLOps hours"
