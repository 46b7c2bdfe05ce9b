"""Classic models of exploration and exploitation, reproducible from the package.

- :mod:`twomountains.classics.march1991`: March (1991), exploration and exploitation in
  organizational learning.
- :mod:`twomountains.classics.pandora`: Weitzman (1979), optimal search (Pandora's boxes).
- :mod:`twomountains.classics.figures`: redraws of March's figures 1, 2, 4 and 5.

These modules use numpy, scipy and pandas; the simulation core never imports them, and this
package imports its submodules only when they are first used.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["figures", "march1991", "pandora"]


def __getattr__(name: str) -> ModuleType:
    # Lazy submodules keep `import twomountains.classics` free of numpy until a model is used.
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
