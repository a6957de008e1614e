"""`hearth --self-test`: does this installed copy of Hearth work on this machine?

Each check exercises one real part the way the app uses it, on data made on the spot, so it needs no
display, no network and no model download: llama.cpp loads a tiny scripted model and must generate its
exact text; SQLite must find a word through the FTS5 index; a PDF must be read in a child process (the
frozen app's children start through the launcher's freeze_support); markdown with hostile HTML must come
out inert; Qt's offscreen platform must start in a child (a missing plugin aborts the process, so it
cannot be tried in this one); the data folder must take a file. One line per check, exit status 1 if any
failed. Users run it too, and the installers' CI runs it on the installed package.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final, TextIO

from app import __version__
from app.config import Paths

EXIT_OK: Final = 0
EXIT_FAILED: Final = 1


class CheckFailed(Exception):
    """A check found its part broken; str() says what, in plain words."""


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class Context:
    paths: Paths  # the user's real data folder (only the data-folder check writes there)
    scratch: Path  # a temporary folder for the tiny model, PDF and database


Check = Callable[[Context], str]  # returns a short detail on success, raises CheckFailed otherwise


def default_checks() -> list[tuple[str, Check]]:
    # Imported here so `hearth --version` and the window never pay for the checks' imports.
    from app.selftest import checks

    return [
        ("data folder", checks.data_folder),
        ("llama.cpp", checks.llama),
        ("full-text search", checks.full_text_search),
        ("documents", checks.pdf_in_child),
        ("safe markdown", checks.safe_markdown),
        ("python sandbox", checks.python_sandbox),
        ("window system", checks.qt_offscreen),
    ]


def run_checks(checks: list[tuple[str, Check]], paths: Paths) -> list[CheckResult]:
    results = []
    scratch = Path(tempfile.mkdtemp(prefix="hearth-self-test-"))
    try:
        context = Context(paths=paths, scratch=scratch)
        for name, check in checks:
            results.append(_run_one(name, check, context))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return results


def _run_one(name: str, check: Check, context: Context) -> CheckResult:
    started = time.monotonic()
    try:
        detail = check(context)
    except CheckFailed as failure:
        return CheckResult(name, ok=False, detail=str(failure))
    except Exception as error:  # a bug or a broken install: say what it was, with where it happened
        where = traceback.extract_tb(error.__traceback__)[-1]
        return CheckResult(
            name,
            ok=False,
            detail=f"{type(error).__name__}: {error} ({Path(where.filename).name}:{where.lineno})",
        )
    return CheckResult(name, ok=True, detail=f"{detail} ({time.monotonic() - started:.2f} s)")


def report(results: list[CheckResult], out: TextIO) -> int:
    width = max(len(r.name) for r in results)
    for result in results:
        print(f"{'ok' if result.ok else 'FAILED':<6} {result.name:<{width}}  {result.detail}", file=out)
    failed = sum(not r.ok for r in results)
    if failed:
        print(f"{failed} of {len(results)} checks failed.", file=out)
        return EXIT_FAILED
    print(f"All {len(results)} checks passed.", file=out)
    return EXIT_OK


def self_test(paths: Paths, out: TextIO) -> int:
    print(f"Hearth {__version__} self-test (pid {os.getpid()})", file=out)
    return report(run_checks(default_checks(), paths), out)
