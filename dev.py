#!/usr/bin/env python3
"""Project tasks with no prerequisites beyond Python 3.11+.

    python3 dev.py serve   set up, build the course (labs executed) and serve it on 127.0.0.1:8000
    python3 dev.py test    set up and run the whole test suite (lint, types, unit, labs, browser)
    python3 dev.py build   set up and build the course into site/ without serving

Each command creates a local virtual environment in .venv/ (reused while pyproject.toml is
unchanged) and installs what it needs there.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
CHROMIUM = Path("/usr/lib/chromium/chromium")


def sh(*cmd: str | Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT, env=env)


def setup(extra: str) -> None:
    """Create .venv and install the package with `extra`, unless already done for this pyproject."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an older python3
        sys.exit(f"Python 3.11 or newer is needed (this is {sys.version.split()[0]}).")
    if not PY.exists():
        venv.create(VENV, with_pip=True)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extra.encode()).hexdigest()
    stamp = VENV / f".installed-{extra}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    sh(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    sh(PY, "-m", "pip", "install", "--quiet", "-e", f".[{extra}]")
    sh(PY, "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3")
    stamp.write_text(digest)


def ensure_chromium() -> None:
    """Browser tests use Debian's Chromium; install it when we are allowed to (root with apt)."""
    if CHROMIUM.exists():
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        sh("apt-get", "update", "-qq")
        sh("apt-get", "install", "-y", "-qq", "chromium")
    else:
        print("Chromium not found at /usr/lib/chromium/chromium: browser tests will be skipped.")


def build_site() -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", TWOMOUNTAINS_FRESH="1")
    sh(BIN / "mkdocs", "build", "--strict", "--clean", env=env)


def serve() -> None:
    if not (ROOT / "mkdocs.yml").exists():
        setup("research")
        sh(BIN / "twomountains", "run")
        return
    setup("docs")
    build_site()
    port = os.environ.get("PORT", "8000")
    print(f"Serving the course on http://127.0.0.1:{port}/  (Ctrl+C to stop)", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        sh(PY, "-m", "http.server", port, "--bind", "127.0.0.1", "--directory", "site")


def test() -> None:
    setup("all")
    ensure_chromium()
    linted = ("sim", "tests", "benchmarks", "labs", "tools", "hooks", "dev.py")
    sh(BIN / "ruff", "check", *linted)
    sh(BIN / "ruff", "format", "--check", *linted)
    sh(BIN / "mypy")
    sh(
        BIN / "pytest",
        "--cov=twomountains",
        "--cov-report=term:skip-covered",
        "--cov-report=xml",
        *sys.argv[2:],
    )


def main() -> None:
    tasks = {"serve": serve, "test": test, "build": lambda: (setup("docs"), build_site())}
    if len(sys.argv) < 2 or sys.argv[1] not in tasks:
        sys.exit(__doc__)
    try:
        tasks[sys.argv[1]]()
    except subprocess.CalledProcessError as err:
        sys.exit(err.returncode)


if __name__ == "__main__":
    main()
