"""MkDocs hook: the live explorer's Python runtime, obtained when the site is built.

The explorer page (``docs/explorer/``) runs the real simulation in the reader's browser with Pyodide.
Everything it needs is served from the site itself, so nothing is fetched from another origin:

* Pyodide comes from the npm package ``pyodide`` at the pinned :data:`PYODIDE_VERSION`, installed
  with ``npm`` into ``.cache/explorer/`` (ignored by git) and reused by later builds; only the files
  the page loads are copied into ``site/explorer/pyodide/``.
* The ``twomountains`` wheel is built from this checkout (``pip wheel --no-deps``) and SimPy's wheel
  (the installed version) is downloaded from PyPI (``pip download --only-binary :all:``); both
  land in ``site/explorer/wheels/``.
* ``site/explorer/manifest.json`` tells the page the wheel names, the Pyodide version, the scenario
  parameters (name, kind, unit, default, range, meaning) for the sliders and the built-in policies.

When npm, PyPI or the wheel build is unavailable the site still builds: the manifest then says
``"available": false`` with the reason, and the page explains how to enable the explorer and shows
the equivalent command to run locally. Set ``TWOMOUNTAINS_EXPLORER=0`` to skip the runtime on
purpose (quicker builds).

The hook also adds the explorer's script and stylesheet to every page, so module pages can embed a
compact explorer with ``<div class="tm-explorer" data-compact ...></div>``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.config.defaults import MkDocsConfig

log = logging.getLogger("mkdocs.hooks.explorer")

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "explorer"
PYODIDE_VERSION = "314.0.7"
# What the page loads: the loader, the Emscripten module, the wasm binary and the standard library.
# The lock file is replaced by a minimal one (no packages) so Pyodide never looks a package up.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
# Sources that go into the twomountains wheel: a change to any of them rebuilds it.
WHEEL_SOURCES = ("pyproject.toml", "README.md", "LICENSE", "LICENSE-content.md")
OUT_DIR = "explorer"
SCRIPT = "explorer/explorer.js"
STYLESHEET = "explorer/explorer.css"
# Tools are given a generous time: the first npm install or pip build fetches from a registry.
TIMEOUT_S = 300


class Unavailable(Exception):
    """The explorer's runtime could not be obtained; the message says why and what to do."""


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Load the explorer's script (an ES module) and stylesheet on every page, for embeds."""
    if STYLESHEET not in config.extra_css:
        config.extra_css.append(STYLESHEET)
    if all(str(s) != SCRIPT for s in config.extra_javascript):
        script = ExtraScriptValue(SCRIPT)
        script.type = "module"
        config.extra_javascript.append(script)
    return config


def on_post_build(config: MkDocsConfig) -> None:
    """Write the manifest and, when possible, the Pyodide files and wheels into the site."""
    out = Path(config.site_dir) / OUT_DIR
    out.mkdir(parents=True, exist_ok=True)
    manifest = base_manifest()
    try:
        if os.environ.get("TWOMOUNTAINS_EXPLORER", "1") == "0":
            raise Unavailable("the site was built with TWOMOUNTAINS_EXPLORER=0")
        manifest.update(install_runtime(out))
        manifest["available"] = True
    except Unavailable as err:
        # Info, not a warning: a site built without npm is a supported outcome (strict builds pass).
        log.info("explorer: in-page runs disabled: %s", err)
        manifest["available"] = False
        manifest["reason"] = str(err)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")


def base_manifest() -> dict[str, Any]:
    """What the page needs even without Pyodide: parameters, policies and KPI names."""
    if str(ROOT / "sim") not in sys.path:
        sys.path.append(str(ROOT / "sim"))  # a build from a checkout without the package installed
    import twomountains as tm
    from twomountains.policies import BUILTIN_SPECS, DEFAULT_SPEC

    return {
        "twomountains_version": tm.__version__,
        "parameters": [p._asdict() for p in tm.Scenario.parameters()],
        "policies": list(BUILTIN_SPECS),
        "default_policy": DEFAULT_SPEC,
        "kpi_names": list(tm.KPI_NAMES),
    }


def install_runtime(out: Path) -> dict[str, Any]:
    """Copy Pyodide and the two wheels into ``out``; return the manifest entries describing them."""
    pyodide_src = npm_pyodide()
    pyodide_out = out / "pyodide"
    pyodide_out.mkdir(exist_ok=True)
    for name in PYODIDE_FILES:
        shutil.copyfile(pyodide_src / name, pyodide_out / name)
    lock = json.loads((pyodide_src / "pyodide-lock.json").read_text(encoding="utf-8"))
    (pyodide_out / "pyodide-lock.json").write_text(
        json.dumps({"info": lock["info"], "packages": {}}), encoding="utf-8"
    )
    wheels_out = out / "wheels"
    wheels_out.mkdir(exist_ok=True)
    wheels = [own_wheel(), simpy_wheel()]
    for wheel in wheels:
        shutil.copyfile(wheel, wheels_out / wheel.name)
    pyodide_bytes = {p.name: p.stat().st_size for p in sorted(pyodide_out.iterdir())}
    return {
        "pyodide_version": PYODIDE_VERSION,
        "python_version": lock["info"]["python"],
        "wheels": [w.name for w in wheels],
        "bytes": {
            "pyodide": pyodide_bytes,
            "wheels": {w.name: w.stat().st_size for w in wheels},
            "total": sum(pyodide_bytes.values()) + sum(w.stat().st_size for w in wheels),
        },
    }


def _tool(*cmd: str, what: str, cwd: Path | None = None) -> None:
    try:
        subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, text=True, timeout=TIMEOUT_S)
    except FileNotFoundError:
        raise Unavailable(f"{what}: {cmd[0]} was not found") from None
    except subprocess.TimeoutExpired:
        raise Unavailable(f"{what}: `{' '.join(cmd)}` took longer than {TIMEOUT_S} s") from None
    except subprocess.CalledProcessError as err:
        last = (err.stderr or err.stdout or "").strip().splitlines()[-1:] or ["no output"]
        raise Unavailable(f"{what}: `{' '.join(cmd)}` failed ({last[0]})") from None


def npm_pyodide() -> Path:
    """The folder of the pinned npm package ``pyodide``, installed into the cache if missing."""
    prefix = CACHE / f"npm-pyodide-{PYODIDE_VERSION}"
    package = prefix / "node_modules" / "pyodide"
    if not all((package / name).is_file() for name in (*PYODIDE_FILES, "pyodide-lock.json")):
        npm = shutil.which("npm")
        if npm is None:
            raise Unavailable("npm was not found (install Node.js with npm, then rebuild the site)")
        prefix.mkdir(parents=True, exist_ok=True)
        _tool(
            npm, "install", "--no-audit", "--no-fund", "--no-save", "--prefix", str(prefix),
            f"pyodide@{PYODIDE_VERSION}", what="installing Pyodide with npm",
        )  # fmt: skip
    installed = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    if installed != PYODIDE_VERSION:
        raise Unavailable(f"npm installed pyodide {installed}, expected {PYODIDE_VERSION}")
    return package


def _source_digest() -> str:
    digest = hashlib.sha256()
    files = [ROOT / name for name in WHEEL_SOURCES]
    files += sorted(p for p in (ROOT / "sim" / "twomountains").rglob("*") if p.is_file())
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def own_wheel() -> Path:
    """The twomountains wheel built from this checkout (rebuilt whenever a source file changes).

    The build runs on a copy of the sources so that it leaves nothing in the work tree.
    """
    folder = CACHE / f"wheel-{_source_digest()}"
    found = sorted(folder.glob("twomountains-*.whl"))
    if found:
        return found[0]
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        for name in WHEEL_SOURCES:
            if (ROOT / name).is_file():
                shutil.copyfile(ROOT / name, src / name)
        shutil.copytree(
            ROOT / "sim" / "twomountains",
            src / "sim" / "twomountains",
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        )
        built = Path(tmp) / "wheel"
        _tool(
            sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(built),
            str(src), what="building the twomountains wheel",
        )  # fmt: skip
        wheels = sorted(built.glob("twomountains-*.whl"))
        if not wheels:
            raise Unavailable("building the twomountains wheel: pip produced no wheel")
        folder.mkdir(parents=True, exist_ok=True)
        return Path(shutil.copy2(wheels[0], folder / wheels[0].name))


def simpy_wheel() -> Path:
    """SimPy's pure-Python wheel from PyPI, at the version installed with the package."""
    try:
        version = metadata.version("simpy")
    except metadata.PackageNotFoundError:
        raise Unavailable("simpy is not installed in the build environment") from None
    folder = CACHE / "simpy"
    wanted = f"simpy-{version}-py3-none-any.whl"
    if not (folder / wanted).is_file():
        folder.mkdir(parents=True, exist_ok=True)
        _tool(
            sys.executable, "-m", "pip", "download", f"simpy=={version}", "--no-deps",
            "--only-binary", ":all:", "--quiet", "-d", str(folder),
            what="downloading the SimPy wheel",
        )  # fmt: skip
    if not (folder / wanted).is_file():
        raise Unavailable(f"downloading the SimPy wheel: {wanted} was not downloaded")
    return folder / wanted
