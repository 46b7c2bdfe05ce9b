"""Results on disk: checkpoint chunks, resume, atomic finalize, Parquet with provenance.

Layout for ``out=PATH``: while a study runs, finished batches are written to ``PATH.partial/`` as
``chunk-NNNNNNNN.parquet`` (each written to a temporary name and renamed, so a chunk is either whole
or absent) next to ``manifest.json``, which identifies the study by a hash. The finished table is
streamed from the chunks to a temporary file that is renamed to ``PATH``; only then is the partial
folder removed. ``PATH`` therefore only ever exists complete, and always carries provenance.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from twomountains.errors import UsageError
from twomountains.provenance import git

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

PROVENANCE_KEY = b"twomountains"
PARTIAL_SUFFIX = ".partial"
MANIFEST = "manifest.json"
ROW_GROUP_ROWS = 65_536
_CHUNK = re.compile(r"^chunk-(\d{8})\.parquet$")


def now_utc() -> str:
    """The current UTC time in ISO 8601 (seconds)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def study_hash(study: dict[str, Any]) -> str:
    """A stable hash of everything that determines a study's rows."""
    text = json.dumps(study, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def git_commit() -> str | None:
    """The commit of the package's source checkout, or None outside a git checkout."""
    commit = git("rev-parse", "HEAD")
    return commit if commit and re.fullmatch(r"[0-9a-f]{40}", commit) else None


def environment() -> dict[str, Any]:
    """Package version, git commit and Python version, for the provenance record."""
    import twomountains

    return {
        "package_version": twomountains.__version__,
        "git_commit": git_commit(),
        "python": sys.version.split()[0],
    }


def partial_dir(out: Path) -> Path:
    """The checkpoint folder of output ``out``."""
    return out.with_name(out.name + PARTIAL_SUFFIX)


def load_provenance(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The provenance stored in a finished results file, without reading its rows.

    It records the study (scenario, policies, design, seeds, replications), the model's code
    fingerprint, the package version and git commit, Python, the backend and the start and end
    times. A :class:`UsageError` names the problem when the file is missing, unreadable, a
    checkpoint folder, or has no provenance.
    """
    import pyarrow.parquet as pq

    path = Path(path)
    if path.name.endswith(PARTIAL_SUFFIX) or (path.is_dir() and (path / MANIFEST).exists()):
        raise UsageError(
            f"{path} is an unfinished study (a checkpoint folder), not results; "
            "rerun the same study with the same output to resume and finish it"
        )
    if not path.is_file():
        hint = (
            " (an unfinished study is checkpointed next to it)"
            if partial_dir(path).exists()
            else ""
        )
        raise UsageError(f"no results file at {path}{hint}")
    if not os.access(path, os.R_OK):
        raise UsageError(f"cannot read {path}: permission denied")
    try:
        meta = pq.read_schema(path).metadata or {}
    except OSError as err:
        raise UsageError(f"cannot read {path}: {err.strerror or err}") from None
    except Exception as err:  # pyarrow raises several types for non-Parquet input
        raise UsageError(f"{path} is not a Parquet results file: {err}") from None
    if PROVENANCE_KEY not in meta:
        raise UsageError(f"{path} has no twomountains provenance; it was not written by a study")
    try:
        provenance: dict[str, Any] = json.loads(meta[PROVENANCE_KEY].decode("utf-8"))
    except ValueError as err:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise UsageError(f"{path}: its twomountains provenance is damaged ({err})") from None
    return provenance


def load_results(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Load a finished results file as a DataFrame, its provenance in ``df.attrs["provenance"]``.

    ``attrs`` is pandas' own place for a table's metadata; :func:`load_provenance` reads the
    provenance alone. Refuses checkpoint folders of unfinished studies and Parquet files without
    provenance.

    It used to return a ``(DataFrame, provenance)`` pair: old code
    ``df, prov = load_results(path)`` becomes ``df = load_results(path)`` and
    ``prov = df.attrs["provenance"]`` (see CHANGELOG.md).
    """
    import pyarrow.parquet as pq

    provenance = load_provenance(path)
    df = pq.read_table(path).to_pandas()
    df.attrs["provenance"] = provenance
    return df


def missing_folders(path: Path) -> list[Path]:
    """The folders above ``path`` that do not exist yet, outermost first.

    A :class:`UsageError` when something that is not a folder stands in the way, or when the
    nearest existing folder is not writable.
    """
    missing: list[Path] = []
    folder = path.absolute().parent
    while not folder.exists():
        missing.insert(0, folder)
        folder = folder.parent
    if not folder.is_dir():
        raise UsageError(f"cannot write {path}: {folder} is a file, not a folder")
    if missing and not os.access(folder, os.W_OK):
        raise UsageError(f"cannot write {path}: folder {folder} is not writable")
    return missing


def make_folders(path: Path) -> list[Path]:
    """Create the missing folders above ``path``; return those created (outermost first)."""
    missing = missing_folders(path)
    try:
        for folder in missing:
            folder.mkdir()
    except OSError as err:
        remove_empty_folders(missing)
        raise UsageError(f"cannot write {path}: {err.strerror or err}") from None
    return missing


def remove_empty_folders(folders: list[Path]) -> None:
    """Remove ``folders`` (innermost first) where they are empty: undo :func:`make_folders`."""
    for folder in reversed(folders):
        try:
            folder.rmdir()
        except OSError:
            return


def to_csv(df: pd.DataFrame, path: str | os.PathLike[str]) -> None:
    """Write a results or summary table as CSV (written to a temporary name, then renamed).

    Missing parent folders are created.
    """
    path = Path(path)
    created = make_folders(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        df.to_csv(tmp, index=False)
        os.replace(tmp, path)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        remove_empty_folders(created)
        raise UsageError(f"cannot write {path}: {err.strerror or err}") from None


class Checkpoint:
    """The on-disk state of one study writing to ``out``."""

    def __init__(self, out: str | os.PathLike[str], study: dict[str, Any], overwrite: bool):
        self.out = Path(out)
        self.partial = partial_dir(self.out)
        self.study = study
        self.hash = study_hash(study)
        self.overwrite = overwrite
        self.start_time = now_utc()
        self.done: set[int] = set()
        self.created = False
        self.created_folders: list[Path] = []

    def finished(self) -> bool:
        """Prepare the output; True when ``out`` already holds this very study (nothing to run).

        Otherwise creates or resumes the checkpoint folder and fills :attr:`done` with the batches
        already on disk. A different study at the same path is an error unless ``overwrite``.
        Missing parent folders of ``out`` are created (and removed again by
        :meth:`discard_if_empty` if the study fails before finishing any batch).
        """
        if self.out.is_dir():
            raise UsageError(f"cannot write output {self.out}: it is a folder")
        self.created_folders = make_folders(self.out)
        if self.out.exists():
            try:
                same = load_provenance(self.out).get("study_hash") == self.hash
            except UsageError:
                same = False
            if same:
                shutil.rmtree(
                    self.partial, ignore_errors=True
                )  # left over from a crash at finalize
                return True
            self._refuse_unless_overwrite(f"{self.out} holds other results")
            self.out.unlink()
        if self.partial.exists():
            manifest = self._read_manifest()
            if manifest.get("study_hash") == self.hash:
                self.start_time = manifest.get("start_time", self.start_time)
                self.done = {
                    int(m.group(1)) for p in self.partial.iterdir() if (m := _CHUNK.match(p.name))
                }
                return False
            self._refuse_unless_overwrite(f"{self.partial} checkpoints a different study")
            shutil.rmtree(self.partial)
        try:
            self.partial.mkdir()
        except OSError as err:
            raise UsageError(f"cannot write output {self.out}: {err.strerror or err}") from None
        self.created = True
        self._atomic_write_text(
            self.partial / MANIFEST,
            json.dumps(
                {"study_hash": self.hash, "start_time": self.start_time, "study": self.study}
            ),
        )
        return False

    def discard_if_empty(self) -> None:
        """Remove the checkpoint folder this session created if no batch finished (a study that
        failed before doing any work, e.g. on an unreachable scheduler, leaves nothing behind)."""
        if self.created and not self.done:
            shutil.rmtree(self.partial, ignore_errors=True)
            remove_empty_folders(self.created_folders)

    def _refuse_unless_overwrite(self, what: str) -> None:
        if not self.overwrite:
            raise UsageError(f"{what}: choose another output, or overwrite (--overwrite)")

    def _read_manifest(self) -> dict[str, Any]:
        try:
            data: dict[str, Any] = json.loads((self.partial / MANIFEST).read_text())
        except (OSError, ValueError):
            return {}
        return data

    def _atomic_write_text(self, path: Path, text: str) -> None:
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        tmp.write_text(text)
        os.replace(tmp, path)

    def chunk_path(self, index: int) -> Path:
        """Where batch ``index`` is stored."""
        return self.partial / f"chunk-{index:08d}.parquet"

    def write_chunk(self, index: int, table: pa.Table) -> None:
        """Store a finished batch atomically (whole or absent, even under SIGKILL)."""
        import pyarrow.parquet as pq

        path = self.chunk_path(index)
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        pq.write_table(table, tmp)
        os.replace(tmp, path)
        self.done.add(index)

    def read_chunk(self, index: int) -> pa.Table:
        """A stored batch."""
        import pyarrow.parquet as pq

        return pq.read_table(self.chunk_path(index))

    def finalize(self, n_batches: int, provenance: dict[str, Any]) -> None:
        """Stream all chunks, in batch order, into ``out`` with provenance; remove the checkpoint."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        missing = [i for i in range(n_batches) if i not in self.done]
        if missing:
            raise RuntimeError(f"cannot finalize {self.out}: batches {missing[:5]} are missing")
        tmp = self.out.with_name(f".{self.out.name}.tmp-{os.getpid()}")
        writer = None
        buffer: list[pa.Table] = []

        def flush() -> None:
            if buffer and writer is not None:
                writer.write_table(pa.concat_tables(buffer))
                buffer.clear()

        try:
            for index in range(n_batches):
                table = self.read_chunk(index)
                if writer is None:
                    meta = dict(table.schema.metadata or {})
                    meta[PROVENANCE_KEY] = json.dumps(provenance).encode()
                    writer = pq.ParquetWriter(tmp, table.schema.with_metadata(meta))
                buffer.append(table)
                # row groups of ~64k rows: few enough for fast reads, small enough for flat memory
                if sum(t.num_rows for t in buffer) >= ROW_GROUP_ROWS:
                    flush()
            flush()
            if writer is not None:
                writer.close()
                writer = None
            os.replace(tmp, self.out)
        finally:
            if writer is not None:
                writer.close()
            tmp.unlink(missing_ok=True)
        shutil.rmtree(self.partial, ignore_errors=True)
