"""Output files named on the command line: checked before any run starts."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from twomountains.errors import UsageError


def check_writable(path: str | None, option: str) -> None:
    """Fail early, before any run, on an output that cannot be written (folders are made later).

    ``option`` is the command-line option that named ``path`` (e.g. ``--out``), for the message.
    """
    import os

    from twomountains.study import store

    if path is None:
        return
    target = Path(path)
    if target.is_dir():
        raise UsageError(f"{option}: {path} is a folder, expected a file name")
    try:
        missing = store.missing_folders(target)
    except UsageError as err:
        raise UsageError(f"{option}: {err}") from None
    folder = target.absolute().parent
    if not missing and not os.access(folder, os.W_OK):
        raise UsageError(f"{option}: cannot write {path}: folder {folder} is not writable")


def write_json(data: Any, path: str, option: str = "--out") -> None:
    """Write ``data`` as JSON to a temporary name, then rename it (nothing half-written).

    ``option`` is the command-line option that named ``path``, for the message.
    """
    from twomountains.study import store

    target = Path(path)
    created = store.make_folders(target)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, target)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        store.remove_empty_folders(created)
        raise UsageError(f"{option}: cannot write {path}: {err.strerror or err}") from None
