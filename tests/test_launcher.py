"""The launcher runs multiprocessing.freeze_support() before anything heavy is imported, and hands files
given on the command line (the desktop's "Open with", a double-clicked .gguf) to the window."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app import cli
from app.config import Paths
from app.ui.main_window import MainWindow
from app.ui.watchdog import StallWatchdog

HEAVY = ("app.cli", "PySide6", "llama_cpp", "sqlalchemy", "numpy")


def run_python(code: str) -> str:
    command = [sys.executable, "-c", code]
    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=60)
    return done.stdout


def test_importing_the_launcher_loads_nothing_heavy() -> None:
    loaded = json.loads(run_python("import app.__main__, json, sys; print(json.dumps(list(sys.modules)))"))
    assert [name for name in loaded if name.startswith(HEAVY)] == []


def test_freeze_support_runs_before_the_cli_is_imported() -> None:
    code = f"""
import json, multiprocessing, sys
seen = []
heavy = {HEAVY!r}
multiprocessing.freeze_support = lambda: seen.append(sorted(m for m in sys.modules if m.startswith(heavy)))
sys.argv = ["hearth", "--version"]
import app.__main__
try:
    app.__main__.launch()
except SystemExit:
    pass
print(json.dumps([seen, "app.cli" in sys.modules]))
"""
    seen, cli_loaded_after = json.loads(run_python(code).splitlines()[-1])
    assert seen == [[]], "freeze_support ran once, with nothing heavy imported yet"
    assert cli_loaded_after


def test_the_installed_command_goes_through_the_launcher() -> None:
    from importlib.metadata import entry_points

    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "hearth"]
    assert script.value == "app.__main__:launch"


def test_file_arguments_open_the_window_with_them(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[list[Path]] = []
    import app.ui.app

    def run_gui(files: list[Path]) -> int:
        opened.append(files)
        return 0

    monkeypatch.setattr(app.ui.app, "run_gui", run_gui)
    assert cli.main(["model.gguf", "/home/ada/notes.txt"]) == 0
    assert cli.main([]) == 0
    assert opened == [[Path("model.gguf"), Path("/home/ada/notes.txt")], []]


def running_app() -> QCoreApplication:
    app = QCoreApplication.instance()
    assert app is not None
    return app


@pytest.mark.runs_the_app
def test_the_window_receives_command_line_files_and_macos_file_open_events(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, themed_app: None
) -> None:
    from app.ui.app import run_gui

    received: list[list[str]] = []

    def record(_window: MainWindow, paths: list[str]) -> None:
        received.append(list(paths))
        if len(received) == 1:  # as macOS delivers a double-clicked file to a running app
            QCoreApplication.sendEvent(running_app(), QFileOpenEvent("/models/other.gguf"))
        else:
            QTimer.singleShot(0, QCoreApplication.quit)

    monkeypatch.setattr(MainWindow, "files_dropped", record)
    monkeypatch.chdir(tmp_path)
    try:
        assert run_gui(Paths(tmp_path / "home"), files=[Path("model.gguf")]) == 0
    finally:  # the window, and the Models window it opens on a first run
        QApplication.closeAllWindows()
    assert received == [[str(tmp_path / "model.gguf")], ["/models/other.gguf"]]
    # Nothing of the window's keeps running in the application it leaves behind.
    watchdogs = running_app().findChildren(StallWatchdog)
    assert not any(timer.isActive() for watchdog in watchdogs for timer in watchdog.findChildren(QTimer))


def test_ctrl_c_while_starting_ends_quietly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import app.__main__

    def interrupted() -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "main", interrupted)
    assert app.__main__.launch() == 130
    assert capsys.readouterr() == ("", "")


def test_an_error_nothing_caught_is_logged_with_its_stack_and_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], hearth_home: Path
) -> None:
    import app.__main__
    from app.logs import close_logging

    def broken() -> int:
        raise LookupError("a bug\nover two lines")

    close_logging()  # as in a fresh process: the launcher opens the log itself
    monkeypatch.setattr(cli, "main", broken)
    assert app.__main__.launch() == 1
    log_file = hearth_home / "logs" / "hearth.log"
    assert capsys.readouterr().err == (
        "hearth: error: Hearth could not start because of an unexpected problem "
        f"(LookupError: a bug over two lines); the details are in {log_file}\n"
    )
    logged = log_file.read_text(encoding="utf-8")
    assert "CRITICAL hearth.startup [MainThread] Hearth could not start" in logged
    assert "Traceback (most recent call last)" in logged and "LookupError: a bug" in logged
