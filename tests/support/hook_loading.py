"""Load one of the site's MkDocs hooks (hooks/*.py) by path, as MkDocs does, for unit tests.

On the test path through ``pythonpath`` in pyproject.toml (with ``--import-mode=importlib`` test
folders are not), so a test module reads ``from hook_loading import load_hook``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

HOOKS = Path(__file__).resolve().parents[2] / "hooks"


def load_hook(name: str) -> ModuleType:
    """A fresh copy of ``hooks/<name>.py``, registered in sys.modules as ``site_hook_<name>``."""
    sys.path.insert(0, str(HOOKS))  # the hooks import their siblings, as under MkDocs
    try:
        spec = importlib.util.spec_from_file_location(f"site_hook_{name}", HOOKS / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # as MkDocs does (dataclasses look the module up)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(HOOKS))
