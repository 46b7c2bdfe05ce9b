"""The child side of the sandbox: run one entry's simulations and print the results as JSON.

Started by :mod:`twomountains.tournament.sandbox` as ``python -s -P -B runner.py`` with the task as
JSON on stdin. It runs only the standard library and the simulation core. The order matters:

1. set the OS limits (CPU seconds, address space, no file writes, no core dumps) -- done here rather
   than in ``preexec_fn`` because the parent starts children from several threads, where
   ``preexec_fn`` can deadlock;
2. import the simulation core, then install an audit hook (:func:`sys.addaudithook`) that denies
   file writes, reads outside the entry folder and Python's own installation, network, process
   creation and native code;
3. only then import the entry and call it.

The last line on stdout is ``<token> <json>``; the token comes from the parent so that an entry
printing to the real stdout cannot forge a result line by accident.
"""

from __future__ import annotations

import json
import os
import resource
import sys
from pathlib import Path
from typing import Any

MB = 1024 * 1024

# Audit events an entry may never raise, grouped by the disqualification reason they lead to.
_NETWORK_EVENTS = {
    "socket.__new__",
    "socket.connect",
    "socket.bind",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "socket.gethostbyaddr",
    "socket.getnameinfo",
    "socket.sendto",
    "socket.sendmsg",
    "urllib.Request",
    "http.client.connect",
}
_PROCESS_EVENTS = {
    "subprocess.Popen",
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "os.spawn",
    "os.fork",
    "os.forkpty",
    "pty.spawn",
    "os.kill",
    "os.killpg",
    "signal.pthread_kill",
}
_NATIVE_EVENTS = {"ctypes.dlsym", "ctypes.dlsym/handle", "ctypes.call_function", "ctypes.cdata"}
_WRITE_EVENTS = {
    "os.remove",
    "os.rename",
    "os.rmdir",
    "os.mkdir",
    "os.chmod",
    "os.chown",
    "os.symlink",
    "os.link",
    "os.truncate",
    "os.utime",
    "os.setxattr",
    "os.removexattr",
    "shutil.rmtree",
    "shutil.move",
    "shutil.copyfile",
    "shutil.copytree",
    "os.chdir",
}
_READ_EVENTS = {"os.listdir", "os.scandir", "glob.glob"}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


class Violation(PermissionError):
    """Raised into the entry's code when it attempts something forbidden."""


class _Guard:
    """The audit hook: records the first forbidden action and refuses it."""

    def __init__(self, allowed_read: list[str]) -> None:
        self.allowed = tuple(os.path.join(p, "") for p in allowed_read)
        self.first: dict[str, str] | None = None

    def deny(self, kind: str, reason: str) -> None:
        if self.first is None:
            self.first = {"kind": kind, "reason": reason}
        raise Violation(f"tournament sandbox: {reason}")

    def readable(self, path: Any) -> bool:
        if isinstance(path, int):  # an already open descriptor (stdin/stdout)
            return True
        text = os.fsdecode(path)
        full = os.path.realpath(os.path.join(os.getcwd(), text))
        return any(os.path.join(full, "").startswith(root) for root in self.allowed)

    def __call__(self, event: str, args: tuple[Any, ...]) -> None:
        if event == "open":
            path, mode, flags = args
            writing = (mode is not None and any(c in mode for c in "wax+")) or (
                mode is None and bool(flags & _WRITE_FLAGS)
            )
            if writing and not isinstance(path, int):
                self.deny("file", f"forbidden file access (write {os.fsdecode(path)})")
            if not self.readable(path):
                self.deny("file", f"forbidden file access (read {os.fsdecode(path)})")
        elif event in _NETWORK_EVENTS:
            self.deny("network", f"forbidden network access ({event})")
        elif event in _WRITE_EVENTS:
            target = os.fsdecode(args[0]) if args and isinstance(args[0], str | bytes) else "?"
            self.deny("file", f"forbidden file access ({event} {target})")
        elif event in _READ_EVENTS:
            if args and isinstance(args[0], str | bytes) and not self.readable(args[0]):
                self.deny("file", f"forbidden file access (list {os.fsdecode(args[0])})")
        elif event == "sys.addaudithook":
            self.deny("sandbox", "forbidden change to the sandbox (sys.addaudithook)")
        elif event in _PROCESS_EVENTS or event.startswith(("os.exec", "os.spawn")):
            self.deny("process", f"forbidden process control ({event})")
        elif event in _NATIVE_EVENTS or (event == "ctypes.dlopen" and args and args[0]):
            # dlopen(None) is how ``import ctypes`` (and numpy) start; calling code is what is denied
            self.deny("native", f"forbidden native code ({event})")


def _set_limits(cpu_seconds: float, memory_mb: int) -> None:
    cpu = max(1, int(cpu_seconds + 0.999))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 2))  # SIGXCPU, then SIGKILL 2 s later
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * MB, memory_mb * MB))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # no file may grow: writes fail at the OS
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _allowed_read_roots(entry_dir: str) -> list[str]:
    import sysconfig

    roots = {os.path.realpath(entry_dir)}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        roots.add(os.path.realpath(sysconfig.get_paths()[key]))
    for item in sys.path:
        if item and os.path.exists(item):
            roots.add(os.path.realpath(item))
    return sorted(roots)


class _Sink:
    """Where the entry's prints go: nowhere (they must not mix with the result line)."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


def _describe(err: BaseException) -> str:
    message = str(err).splitlines()[0] if str(err) else ""
    return f"{type(err).__name__}: {message}"[:300] if message else type(err).__name__


def _load_entry(path: Path) -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"tournament_entry_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path.name}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(task: dict[str, Any], guard: _Guard) -> dict[str, Any]:
    import random

    import twomountains as tm

    scenarios = [tm.Scenario.from_dict(s) for s in task["scenarios"]]
    name = author = ""
    if task.get("builtin"):
        spec = task["builtin"]
        make = lambda: tm.policies.from_spec(spec)  # noqa: E731
    else:
        try:
            module = _load_entry(Path(task["entry"]))
        except MemoryError:
            return {"ok": False, "kind": "memory", "reason": "exceeded memory limit"}
        except SyntaxError as err:
            detail = f"{type(err).__name__}: {err.msg} line {err.lineno}"
            return {"ok": False, "kind": "import", "reason": f"import failed ({detail})"}
        except BaseException as err:  # noqa: BLE001 - anything an entry raises on import
            return {"ok": False, "kind": "import", "reason": f"import failed ({_describe(err)})"}
        missing = [
            attr
            for attr, kind in (("NAME", str), ("AUTHOR", str), ("Policy", type))
            if not isinstance(getattr(module, attr, None), kind)
        ]
        if missing:
            return {"ok": False, "kind": "missing", "reason": f"missing {'/'.join(missing)}"}
        name, author = str(module.NAME)[:80], str(module.AUTHOR)[:80]
        make = module.Policy
    runs = []
    for index, scenario in enumerate(scenarios):
        for seed in task["seeds"]:
            random.seed(seed)  # entries that use the random module stay reproducible
            stage = "constructing Policy()"
            try:
                policy = make()
                stage = "decide"
                kpis = tm.run(scenario, policy, seed).kpis
            except tm.PolicyError as err:
                return {"ok": False, "kind": "invalid", "reason": f"invalid decision ({err})"}
            except MemoryError:
                return {"ok": False, "kind": "memory", "reason": "exceeded memory limit"}
            except BaseException as err:  # noqa: BLE001 - anything an entry raises
                return {
                    "ok": False,
                    "kind": "raised",
                    "reason": f"raised {_describe(err)} during {stage}",
                }
            runs.append({"scenario": index, "seed": seed, "kpis": kpis})
    return {"ok": True, "name": name, "author": author, "runs": runs}


def main() -> None:
    """Read the task from stdin, run it under the guard and print ``token json``."""
    task = json.loads(sys.stdin.read())
    _set_limits(task["cpu_seconds"], task["memory_mb"])
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the folder holding the package
    sys.dont_write_bytecode = True
    import twomountains  # noqa: F401 - imported before the guard: the core reads its presets

    real_stdout = sys.stdout
    sys.stdout = _Sink()  # type: ignore[assignment]
    guard = _Guard(_allowed_read_roots(os.getcwd()))
    sys.addaudithook(guard)
    try:
        result = _run(task, guard)
    except MemoryError:
        result = {"ok": False, "kind": "memory", "reason": "exceeded memory limit"}
    if guard.first is not None:  # even if the entry caught the refusal and carried on
        result = {"ok": False, **guard.first}
    real_stdout.write(f"\n{task['token']} {json.dumps(result)}\n")
    real_stdout.flush()


if __name__ == "__main__":
    main()
