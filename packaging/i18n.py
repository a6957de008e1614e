"""Hearth's translations: `python packaging/i18n.py update`, then `python packaging/i18n.py compile`.

update   pyside6-lupdate reads every .py file under app/ (the window's tr() calls and the core's translate()
         calls, see app/i18n.py) into resources/i18n/hearth_<language>.ts, the file a translator fills in
         with Qt Linguist. Translations already there are kept; messages gone from the code are dropped.
compile  pyside6-lrelease turns each resources/i18n/*.ts into the .qm beside it, the form the app loads.
         The .qm files are build output, not in git: `make setup`, setup.py (wheels) and freeze.py run it.

Both tools ship inside PySide6, so this runs with any Python that has Hearth's dependencies (a venv's:
nothing needs to be on PATH).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parent.parent
APP: Final = ROOT / "app"
I18N: Final = ROOT / "resources" / "i18n"
# The languages Hearth is translated into (English is the source); app/ui/translation.py lists them too.
LANGUAGES: Final = ("de",)


def tool(name: str) -> Path:
    """Qt's `name` ("lupdate", "lrelease") from the PySide6 that the running Python imports."""
    executable = name + (".exe" if os.name == "nt" else "")
    spec = importlib.util.find_spec("PySide6")  # finds the package without importing Qt
    folders = list(spec.submodule_search_locations or []) if spec else []
    candidates = [Path(folder) / executable for folder in folders]
    # PySide6's own launchers beside the interpreter (a venv's bin or Scripts), should the layout change.
    candidates.append(Path(sys.executable).parent / f"pyside6-{executable}")
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise SystemExit(f"{name} was not found: install PySide6-Essentials for {sys.executable}")


def ts_path(language: str, folder: Path = I18N) -> Path:
    return folder / f"hearth_{language}.ts"


def update(languages: Sequence[str] = LANGUAGES, *, sources: Path = APP, folder: Path = I18N) -> list[Path]:
    """Collect the messages in `sources` into each language's .ts file; returns the files."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for language in languages:
        ts = ts_path(language, folder)
        _run(
            tool("lupdate"),
            "-extensions",
            "py",
            # Line numbers relative to the previous message in the same file: a moved function does
            # not rewrite every location below it.
            "-locations",
            "relative",
            "-no-obsolete",
            "-source-language",
            "en",
            "-target-language",
            language,
            sources,
            "-ts",
            ts,
        )
        written.append(ts)
    return written


def compile_translations(folder: Path = I18N) -> list[Path]:
    """Compile every .ts in `folder` into the .qm beside it; returns the .qm files."""
    compiled = []
    for ts in sorted(folder.glob("*.ts")):
        qm = ts.with_suffix(".qm")
        _run(tool("lrelease"), "-silent", ts, "-qm", qm)
        compiled.append(qm)
    return compiled


def _run(*command: str | Path) -> None:
    subprocess.run([str(part) for part in command], check=True)


def main(argv: Sequence[str]) -> int:
    if list(argv) == ["update"]:
        update()
    elif list(argv) == ["compile"]:
        compile_translations()
    else:
        print("usage: python packaging/i18n.py update|compile", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
