"""The python tool's sandbox: what compiling, starting and calling it costs, and what it adds to an install.

- Compile once: python-3.12.0.wasm to machine code, in a child process, into an empty cache folder (what
  the first use on a machine costs; later starts load the cached file).
- Cold start: a new sandbox until its notebook is ready (child process, runtime, interpreter), and the
  part of it that is importing the worker's modules in a fresh Python.
- First call after start, and a call in a live session (median of many), and starting afresh after a call
  that ran out of time.
- Memory: the worker process's resident memory, idle.
- Install: the files the sandbox adds to the frozen app on this platform, and to its download.
"""

from __future__ import annotations

import lzma
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from app.tools.python_runtime import prepare, runtime_wasm
from app.tools.python_sandbox import PythonSandbox

STARTS = 5
CALLS = 200
NEVER = threading.Event()


def compile_once(cache: Path) -> None:
    started = time.perf_counter()
    compiled = prepare(cache)
    seconds = time.perf_counter() - started
    size = compiled.stat().st_size / 1e6
    print(f"python sandbox: compile once {seconds:.1f} s ({size:.1f} MB of machine code cached)")


def import_cost() -> float:
    """Importing the worker's modules in a fresh Python: the child does this before anything else."""
    script = (
        "import time; t = time.perf_counter(); import app.tools.python_worker; print(time.perf_counter() - t)"
    )
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return float(output.stdout.strip())


def starts(folder: Path, cache: Path) -> None:
    cold, first = [], []
    for _ in range(STARTS):
        with PythonSandbox(folder, cache_dir=cache) as sandbox:
            started = time.perf_counter()
            sandbox.start()
            cold.append(time.perf_counter() - started)
            started = time.perf_counter()
            sandbox.run("print(6 * 7)", NEVER)
            first.append(time.perf_counter() - started)
    imports = statistics.median(import_cost() for _ in range(3))
    print(
        f"python sandbox: cold start {statistics.median(cold):.2f} s (median of {STARTS}; of which importing "
        f"the worker's modules {imports:.2f} s), first call after start "
        f"{statistics.median(first) * 1000:.1f} ms"
    )


def live_calls(folder: Path, cache: Path) -> None:
    with PythonSandbox(folder, cache_dir=cache) as sandbox:
        sandbox.run("import statistics\nvalues = list(range(1000))", NEVER)
        trivial, work = [], []
        for index in range(CALLS):
            started = time.perf_counter()
            sandbox.run(f"x = {index}", NEVER)
            trivial.append(time.perf_counter() - started)
        for _ in range(20):
            started = time.perf_counter()
            sandbox.run("statistics.mean(values), sum(v * v for v in values)", NEVER)
            work.append(time.perf_counter() - started)
        pid = sandbox.worker_pid
        rss = psutil.Process(pid).memory_info().rss / 1e6 if pid is not None else 0.0
    print(
        f"python sandbox: call in a live session {statistics.median(trivial) * 1000:.2f} ms (median of "
        f"{CALLS}), a small computation {statistics.median(work) * 1000:.2f} ms; worker idle {rss:.0f} MB "
        "resident"
    )


def reset_after_timeout(folder: Path, cache: Path) -> None:
    with PythonSandbox(folder, cache_dir=cache, time_limit_s=1.0) as sandbox:
        sandbox.run("1", NEVER)
        started = time.perf_counter()
        stopped = sandbox.run("while True:\n    pass", NEVER)
        stop_seconds = time.perf_counter() - started
        started = time.perf_counter()
        after = sandbox.run("1", NEVER)
        fresh_seconds = time.perf_counter() - started
    assert stopped.timed_out and after.session_reset
    print(
        f"python sandbox: a 1 s time limit stops a busy loop after {stop_seconds:.2f} s; the next call, in a "
        f"fresh notebook, takes {fresh_seconds:.2f} s"
    )


def install_cost() -> None:
    """As the frozen app carries them: the interpreter xz-compressed (installer.spec), wasmtime's library
    stripped on Linux (packaging/freeze.py); the download is about their xz-compressed size."""
    import wasmtime

    library = next(path for path in Path(wasmtime.__file__).parent.rglob("*wasmtime.*") if path.is_file())
    wasm = runtime_wasm()
    shipped_wasm = lzma.compress(wasm.read_bytes(), preset=9)
    with tempfile.TemporaryDirectory() as scratch:
        shipped_library = Path(scratch) / library.name
        if sys.platform.startswith("linux") and shutil.which("strip"):
            subprocess.run(["strip", "--strip-unneeded", "-o", shipped_library, library], check=True)
        else:
            shutil.copyfile(library, shipped_library)
        library_bytes = shipped_library.read_bytes()
    installed = (len(shipped_wasm) + len(library_bytes)) / 1e6
    download = (len(shipped_wasm) + len(lzma.compress(library_bytes, preset=6))) / 1e6
    print(
        f"python sandbox: adds {installed:.1f} MB to the installed app on {sys.platform} (interpreter "
        f"{len(shipped_wasm) / 1e6:.1f} MB compressed, of {wasm.stat().st_size / 1e6:.1f} MB; wasmtime "
        f"{len(library_bytes) / 1e6:.1f} MB, of {library.stat().st_size / 1e6:.1f} MB), about "
        f"{download:.1f} MB to the download; the first use compiles 27 MB into the user's cache"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        folder, cache = root / "conversation", root / "cache"
        folder.mkdir()
        compile_once(cache)
        starts(folder, cache)
        live_calls(folder, cache)
        reset_after_timeout(folder, cache)
    install_cost()


if __name__ == "__main__":
    main()
