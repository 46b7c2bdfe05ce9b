"""How a study executes: one options object shared by every study function.

:func:`~twomountains.study.replicate`, :func:`~twomountains.study.sweep`,
:func:`~twomountains.study.sensitivity` and :func:`~twomountains.study.choose_replications` take
the same execution keywords (``backend``, ``jobs``, ``scheduler``, ``out``, ``overwrite``,
``quiet``, ``batch_size``). They gather them into one :class:`ExecutionOptions`, which validates
them once and carries them to the runner. A script that runs several studies the same way can
build the object once and pass it as ``options=``:

>>> from twomountains.study import ExecutionOptions
>>> laptop = ExecutionOptions(jobs=2, quiet=True)
>>> laptop.replace(out="results/a.parquet").out
'results/a.parquet'
>>> ExecutionOptions(backend="threads")
Traceback (most recent call last):
...
twomountains.errors.UsageError: backend: got 'threads', allowed: serial, processes, dask
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from twomountains.errors import UsageError

#: The execution backends (see :mod:`twomountains.study.execute`).
BACKENDS = ("serial", "processes", "dask")

#: An output path given to a study function.
PathLike = str | os.PathLike[str]


@dataclass(frozen=True)
class ExecutionOptions:
    """Where and how a study's runs execute, and where its results are stored.

    Attributes:
        backend: ``"serial"``, ``"processes"`` (local worker processes) or ``"dask"``.
        jobs: worker count (default: every core); with Dask, the size of a LocalCluster.
        scheduler: with ``backend="dask"``: a ``distributed.Client``, a scheduler address, or None
            for a LocalCluster of ``jobs`` workers.
        out: Parquet file for the results with provenance; makes the study resumable. Missing
            parent folders are created.
        overwrite: replace a different study stored at ``out``.
        quiet: no progress bar and no resume report.
        batch_size: runs per batch (default: about 100 batches per study, 1 to 50 runs each).
    """

    backend: str = "processes"
    jobs: int | None = None
    scheduler: Any = None
    out: PathLike | None = None
    overwrite: bool = False
    quiet: bool = False
    batch_size: int | None = None

    def __post_init__(self) -> None:
        if self.backend not in BACKENDS:
            raise UsageError(f"backend: got {self.backend!r}, allowed: {', '.join(BACKENDS)}")
        for name in ("jobs", "batch_size"):
            value = getattr(self, name)
            if value is not None and not _is_count(value):
                raise UsageError(f"{name}: got {value!r}, allowed: a whole number >= 1")
        if self.scheduler is not None and self.backend != "dask":
            raise UsageError(
                f"scheduler: given with backend {self.backend!r}; it needs backend 'dask'"
            )
        for name in ("overwrite", "quiet"):
            if not isinstance(getattr(self, name), bool):
                raise UsageError(f"{name}: got {getattr(self, name)!r}, allowed: True or False")

    def replace(self, **changes: Any) -> ExecutionOptions:
        """A copy with some options changed (validated again)."""
        return dataclasses.replace(self, **changes)


#: The defaults, which the study functions' keyword defaults repeat (a test keeps them equal).
DEFAULTS = ExecutionOptions()
#: The execution keywords, in the order of :class:`ExecutionOptions`.
NAMES = tuple(f.name for f in dataclasses.fields(ExecutionOptions))


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def merge(options: ExecutionOptions | None, arguments: Mapping[str, Any]) -> ExecutionOptions:
    """One :class:`ExecutionOptions` from a study function's ``options`` and its keywords.

    ``arguments`` is the study function's ``locals()``: only the execution keywords (:data:`NAMES`)
    it holds are read, so every study function gathers its keywords the same way, including one
    that takes only some of them. Without ``options`` the keywords build it. With ``options``,
    every keyword must be left at its default: giving the same setting twice would leave a reader
    guessing which one applies.
    """
    keywords = {name: arguments[name] for name in NAMES if name in arguments}
    if options is None:
        return ExecutionOptions(**keywords)
    if not isinstance(options, ExecutionOptions):
        raise UsageError(
            f"options: got {type(options).__name__}, allowed: a study.ExecutionOptions"
        )
    clashes = [k for k, v in keywords.items() if v != getattr(DEFAULTS, k)]
    if clashes:
        raise UsageError(
            f"{clashes[0]}: given both as a keyword and in options; allowed: one of them "
            f"(e.g. options.replace({clashes[0]}=...))"
        )
    return options
