"""The parent side of the sandbox: run one entry in its own limited subprocess.

Each entry gets one subprocess for all its (scenario, seed) runs, so the start-up cost is paid once:

* ``python -s -P -B runner.py``: no user site-packages, no script folder on ``sys.path``, no
  bytecode written. (``-I`` would also ignore the environment, including the ``PYTHONHASHSEED=0``
  that keeps string hashing -- and so entries iterating over sets -- reproducible; the environment
  is built here from scratch, so ``-E`` adds nothing.)
* a minimal environment (``PATH`` and ``PYTHONHASHSEED`` only), a fresh temporary working folder
  holding only a copy of the entry, its own process group (killed as a whole on timeout);
* OS limits set by the runner before any entry code: CPU seconds, address space, no file growth;
* a wall-clock timeout enforced here;
* when available (root, Linux), a new empty network namespace via ``unshare -n``.

The runner reports through stdout; the parent trusts nothing it prints until :func:`validate`
has checked it.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RUNNER = Path(__file__).with_name("runner.py")
#: KPIs the scorer needs from every run.
REQUIRED_KPIS = ("value_delivered", "at_risk_share")
MB = 1024 * 1024
#: Most bytes kept from a child's stdout (results are well under 1 MB) and stderr (the tail).
MAX_STDOUT = 64 * MB
MAX_STDERR = 64 * 1024


@dataclass(frozen=True)
class Limits:
    """Resource limits for one entry (all of its runs together).

    ``wall_seconds`` defaults to twice the CPU limit plus 10 s, room for start-up and for a
    machine busy with other entries.
    """

    cpu_seconds: float = 60.0
    memory_mb: int = 1024
    wall_seconds: float | None = None
    network_namespace: bool = True

    @property
    def wall(self) -> float:
        """The wall-clock limit in seconds."""
        return self.wall_seconds if self.wall_seconds is not None else 2 * self.cpu_seconds + 10


@dataclass
class Outcome:
    """What came back from one entry: runs on success, else a one-line reason."""

    ok: bool
    kind: str = ""  # failure category: import, missing, raised, invalid, cpu, wall, memory, ...
    reason: str = ""
    name: str = ""
    author: str = ""
    runs: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0


@functools.cache
def network_namespace_available() -> bool:
    """Whether ``unshare -n`` works here (usually only as root on Linux)."""
    tool = shutil.which("unshare")
    if tool is None or not hasattr(os, "geteuid") or os.geteuid() != 0:
        return False
    try:
        probe = subprocess.run([tool, "-n", "true"], capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


def run_in_sandbox(
    task: dict[str, Any],
    limits: Limits,
    entry: Path | None = None,
) -> Outcome:
    """Run ``task`` (scenarios as dicts, seeds, or a ``builtin`` spec) for ``entry`` in a child.

    The child's result is validated against the task: one finite value per KPI needed, for every
    scenario and seed.
    """
    start = time.perf_counter()
    token = secrets.token_hex(16)
    with tempfile.TemporaryDirectory(prefix="tm-entry-") as tmp:
        payload = dict(task, token=token, cpu_seconds=limits.cpu_seconds)
        payload["memory_mb"] = limits.memory_mb
        if entry is not None:
            copy = Path(tmp) / entry.name
            shutil.copyfile(entry, copy)
            payload["entry"] = str(copy)
        cmd = [sys.executable, "-s", "-P", "-B", str(RUNNER)]
        if limits.network_namespace and network_namespace_available():
            cmd = ["unshare", "-n", "--", *cmd]
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONHASHSEED": "0"}
        proc = subprocess.Popen(
            cmd,
            cwd=tmp,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # own process group, so a timeout kills all of it
        )
        readers = [_Reader(proc, proc.stdout, MAX_STDOUT), _Reader(proc, proc.stderr, MAX_STDERR)]
        timed_out = False
        try:
            assert proc.stdin is not None
            with contextlib.suppress(BrokenPipeError):  # a child that died at once
                proc.stdin.write(json.dumps(payload).encode())
                proc.stdin.close()
            proc.wait(timeout=limits.wall)
        except subprocess.TimeoutExpired:
            timed_out = True
        finally:
            _kill_group(proc)  # on timeout, and anything the entry left behind in its group
            proc.wait()
            for reader in readers:
                reader.join()
    out, err = readers[0].data(), readers[1].data()
    if readers[0].overflow:
        outcome = Outcome(False, "output", f"flooded its output (over {MAX_STDOUT // MB} MB)")
    else:
        outcome = _interpret(proc.returncode, out, err, token, timed_out, limits)
    if outcome.ok:
        outcome = validate(outcome, task)
    outcome.seconds = time.perf_counter() - start
    return outcome


class _Reader(threading.Thread):
    """Drains one pipe of the child, keeping at most ``limit`` bytes.

    ``communicate()`` would keep everything, and an entry writing to its pipes in a loop could then
    exhaust the parent's memory. Past the limit, stdout (the result channel) is a flood: the child
    is killed. For stderr only the last ``limit`` bytes are kept, for the diagnosis.
    """

    def __init__(self, proc: subprocess.Popen[bytes], stream: Any, limit: int) -> None:
        super().__init__(daemon=True)
        self.proc, self.stream, self.limit = proc, stream, limit
        self.chunks: list[bytes] = []
        self.size = 0
        self.overflow = False
        self.start()

    def run(self) -> None:
        fd = self.stream.fileno()
        while chunk := os.read(fd, 65536):
            self.chunks.append(chunk)
            self.size += len(chunk)
            if self.size > self.limit:
                if self.stream is self.proc.stdout:
                    self.overflow = True
                    _kill_group(self.proc)
                tail = b"".join(self.chunks)[-self.limit :]
                self.chunks, self.size = [tail], len(tail)
        self.stream.close()

    def data(self) -> bytes:
        return b"".join(self.chunks)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def _interpret(
    code: int, out: bytes, err: bytes, token: str, timed_out: bool, limits: Limits
) -> Outcome:
    if timed_out:
        return Outcome(False, "wall", f"exceeded wall time limit ({limits.wall:g} s)")
    for line in reversed(out.decode("utf-8", "replace").splitlines()):
        if line.startswith(token + " "):
            try:
                data = json.loads(line[len(token) + 1 :])
            except ValueError:
                break
            if data.get("ok"):
                return Outcome(
                    True, name=str(data["name"]), author=str(data["author"]), runs=data["runs"]
                )
            kind, reason = str(data.get("kind", "")), str(data.get("reason", "failed"))
            if kind == "memory":
                reason = f"exceeded memory limit ({limits.memory_mb} MB)"
            return Outcome(False, kind, reason)
    stderr = err.decode("utf-8", "replace")
    if code in (-signal.SIGXCPU, -signal.SIGKILL):  # soft then hard RLIMIT_CPU
        return Outcome(False, "cpu", f"exceeded CPU time limit ({limits.cpu_seconds:g} s)")
    if "MemoryError" in stderr or code in (-signal.SIGSEGV, -signal.SIGABRT):
        return Outcome(False, "memory", f"exceeded memory limit ({limits.memory_mb} MB)")
    last = stderr.strip().splitlines()[-1][:200] if stderr.strip() else ""
    detail = f": {last}" if last else ""
    return Outcome(False, "crashed", f"crashed (exit status {code}) without a result{detail}")


def validate(outcome: Outcome, task: dict[str, Any]) -> Outcome:
    """Check a child's claimed results: every (scenario, seed) once, finite numbers, shares in 0..1."""
    expected = {(s, seed) for s in range(len(task["scenarios"])) for seed in task["seeds"]}
    seen = set()
    try:
        for run in outcome.runs:
            key = (int(run["scenario"]), int(run["seed"]))
            kpis = run["kpis"]
            for name in REQUIRED_KPIS:
                value = kpis[name]
                if not isinstance(value, int | float) or not math.isfinite(value):
                    raise ValueError(f"{name} = {value!r}")
            if not 0 <= kpis["at_risk_share"] <= 1:
                raise ValueError(f"at_risk_share = {kpis['at_risk_share']!r}")
            seen.add(key)
    except (KeyError, TypeError, ValueError) as err:
        return Outcome(False, "crashed", f"returned malformed results ({err})")
    if seen != expected or len(outcome.runs) != len(expected):
        return Outcome(False, "crashed", "returned malformed results (runs missing or repeated)")
    return outcome
