"""Output files named on the command line: checked before any run starts."""

from __future__ import annotations

from pathlib import Path

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
