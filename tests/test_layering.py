"""The headless core never imports Qt, so it stays testable and usable without a display."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
CORE_PACKAGES = ["engine", "store", "models", "documents"]
CORE_MODULES = ["config.py", "turn.py", "logs.py"]


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def core_files() -> list[Path]:
    files = [APP / name for name in CORE_MODULES]
    for package in CORE_PACKAGES:
        files.extend(sorted((APP / package).rglob("*.py")))
    return [f for f in files if f.exists()]


@pytest.mark.parametrize("path", core_files(), ids=lambda p: str(p.relative_to(APP)))
def test_core_does_not_import_qt(path: Path) -> None:
    qt = {m for m in imported_modules(path) if m.split(".")[0] in {"PySide6", "PyQt5", "PyQt6", "shiboken6"}}
    assert not qt, f"{path.name} imports {qt}"


def test_sql_lives_only_in_the_store() -> None:
    offenders = []
    for path in APP.rglob("*.py"):
        if "store" in path.relative_to(APP).parts:
            continue
        if {m for m in imported_modules(path) if m.split(".")[0] in {"sqlite3", "sqlalchemy"}}:
            offenders.append(path.name)
    assert offenders == []
