"""Hostile documents (Hearth issue 14): time and peak memory of the reader on each, and what the user reads.

Writes the full-size files of tests.fixtures.hostile_documents (about 350 MB, in a minute or two; --folder
keeps them for the next run) and reads each the way the window does (isolation.read_document), in a fresh
process of its own, so the peak resident memory of that process's reader child is the file's alone
(getrusage of the children, after they are reaped). Goal: every file done within 10 s and under 1 GB,
with a plain message or a read that says it was cut.

    python -m bench.hostile_documents_bench [--folder DIR] [--small] [--only NAME ...]
        [--app-from DIR] [--time-limit S] [--memory-cap BYTES]

--app-from reads with the app package found in DIR instead (an older checkout, for before/after figures);
--memory-cap caps the measuring process and its children (the old reader took 11.5 GB on one file);
--time-limit stops a measurement that takes longer.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.fixtures.hostile_documents import HOSTILE_FILES, SMALL_HOSTILE_FILES, Hostile

GOAL_S = 10.0
GOAL_BYTES = 1_000_000_000
_ROOT = Path(__file__).resolve().parent.parent

# Runs in the measuring process: reads one file the window's way, then reports on its reader child.
_MEASURE = """
import json, resource, sys, time
from pathlib import Path

cap = int(sys.argv[2])
if cap:
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))  # inherited by the reader child
from app.documents.isolation import read_document

started = time.perf_counter()
try:
    document = read_document(Path(sys.argv[1]))
    outcome = f"read {len(document.text):,} characters" + "".join(f"; {note}" for note in document.notes)
except Exception as error:
    outcome = f"{type(error).__name__}: {error}"
elapsed = time.perf_counter() - started
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
peak = children if sys.platform == "darwin" else children * 1024
print(json.dumps({"seconds": elapsed, "peak": peak, "outcome": outcome}))
"""


def measure(path: Path, *, app_from: Path | None, time_limit: float, memory_cap: int) -> dict[str, object]:
    python_path = [str(app_from)] if app_from else []
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join([*python_path, str(_ROOT)]))
    started = time.perf_counter()
    # Its own session, so a measurement that runs out of time is stopped with its reader child; and its
    # own folder, so `python -c` does not put this checkout ahead of --app-from.
    with tempfile.TemporaryDirectory(prefix="hearth-bench-measure-") as folder:
        measuring = subprocess.Popen(
            [sys.executable, "-c", _MEASURE, str(path), str(memory_cap)],
            env=environment,
            cwd=folder,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            stdout, stderr = measuring.communicate(timeout=time_limit)
        except subprocess.TimeoutExpired:
            if sys.platform == "win32":
                measuring.kill()  # its reader child ends when the pipe to it breaks
            else:
                os.killpg(measuring.pid, signal.SIGKILL)
            measuring.communicate()
            return {
                "seconds": time.perf_counter() - started,
                "peak": 0,
                "outcome": f"over {time_limit:.0f} s",
            }
    lines = stdout.strip().splitlines()
    if measuring.returncode != 0 or not lines:
        tail = (stderr.strip().splitlines() or ["no output"])[-1]
        return {"seconds": time.perf_counter() - started, "peak": 0, "outcome": f"crashed: {tail}"}
    result: dict[str, object] = json.loads(lines[-1])
    return result


def report(hostile: Hostile, path: Path, result: dict[str, object]) -> bool:
    seconds = float(str(result["seconds"]))
    peak = int(str(result["peak"]))
    met = seconds <= GOAL_S and 0 < peak <= GOAL_BYTES
    outcome = str(result["outcome"])
    if len(outcome) > 160:
        outcome = outcome[:157] + "…"
    print(
        f"{hostile.name:28} {path.stat().st_size / 1e6:8.2f} MB  {seconds:7.2f} s  "
        f"{peak / 1e6:8.0f} MB peak  {'meets' if met else 'MISSES'} the goal  {outcome}",
        flush=True,
    )
    return met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--folder", type=Path, help="write the files here and keep them (default: a temp folder)"
    )
    parser.add_argument("--small", action="store_true", help="the test suite's small versions")
    parser.add_argument("--only", nargs="*", default=[], help="file names from the corpus")
    parser.add_argument("--app-from", type=Path, help="a folder holding another version's app package")
    parser.add_argument("--time-limit", type=float, default=600.0)
    parser.add_argument("--memory-cap", type=int, default=0, help="RLIMIT_AS for the measurement, in bytes")
    args = parser.parse_args(argv)
    corpus = SMALL_HOSTILE_FILES if args.small else HOSTILE_FILES
    chosen = [hostile for hostile in corpus if not args.only or hostile.name in args.only]
    with tempfile.TemporaryDirectory(prefix="hearth-bench-hostile-") as scratch:
        folder = args.folder or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        print(f"Hostile documents, read the window's way ({'small' if args.small else 'full-size'} files)")
        met = 0
        for hostile in chosen:
            path = folder / hostile.name
            if not path.exists():
                hostile.make(folder, full=not args.small)
            result = measure(
                path, app_from=args.app_from, time_limit=args.time_limit, memory_cap=args.memory_cap
            )
            met += report(hostile, path, result)
        print(f"{met} of {len(chosen)} files meet the goal ({GOAL_S:.0f} s, {GOAL_BYTES / 1e9:.0f} GB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
