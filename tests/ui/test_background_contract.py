"""The background-work contract (app.ui.jobs) holds in the code: nothing in app/ui starts a thread, a
pool task or a process except through run_job, the inference worker and app.child_process."""

from __future__ import annotations

import ast
from pathlib import Path

import app.ui

UI = Path(app.ui.__file__).parent
# Where each way of starting work is allowed, and why.
ALLOWED = {
    "QThread": {"workers.py"},  # the inference worker's one long-lived thread
    "QThreadPool.start": {"jobs.py"},  # run_job itself
}
FORBIDDEN_MODULES = ("subprocess", "multiprocessing", "concurrent", "_thread", "asyncio")


def violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # Imports only for the type checker start nothing.
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
        for inner in ast.walk(node)
    }
    found = []
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            found += [f"imports {n}" for n in names if n.split(".")[0] in FORBIDDEN_MODULES]
        elif isinstance(node, ast.Call):
            called = ast.unparse(node.func)
            if called in ("threading.Thread", "Thread", "threading.Timer"):
                found.append(f"calls {called}")
            elif called == "QThread" and path.name not in ALLOWED["QThread"]:
                found.append("creates a QThread")
            elif (
                called.endswith(".start")
                and "pool" in called.lower()
                and path.name not in ALLOWED["QThreadPool.start"]
            ):
                found.append(f"calls {called}")
    return sorted(found)


def test_the_window_starts_work_only_through_the_contract() -> None:
    broken = {p.name: v for p in sorted(UI.glob("*.py")) if (v := violations(p))}
    assert broken == {}


def test_the_scan_would_catch_a_raw_thread(tmp_path: Path) -> None:
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text(
        "import threading, subprocess\n"
        "from typing import TYPE_CHECKING\n"
        "from PySide6.QtCore import QThread, QThreadPool\n"
        "if TYPE_CHECKING:\n"
        "    from multiprocessing.connection import Connection\n"
        "threading.Thread(target=print).start()\n"
        "QThread()\n"
        "QThreadPool.globalInstance().start(print)\n",
        encoding="utf-8",
    )
    assert violations(sneaky) == [
        "calls QThreadPool.globalInstance().start",
        "calls threading.Thread",
        "creates a QThread",
        "imports subprocess",
    ]
