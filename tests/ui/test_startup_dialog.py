"""A window that cannot start says why in a dialog, never in a traceback: the real entry point in a child
process (with a timer that reads and answers the dialog), and run_gui in this process for a bug."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.config import Paths
from app.engine import Engine
from app.logs import LOG_FILE_NAME
from app.store import HistoryStore
from app.ui.main_window import MainWindow
from app.ui.translation import install_language
from app.ui.workers import InferenceService

# The child makes the QApplication before Hearth does, so a timer can answer the modal dialog the way a
# person would (OK); then it starts Hearth through the launcher, as the installed `hearth` does.
ANSWER_AND_LAUNCH = textwrap.dedent(
    """
    import json, sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    qt = QApplication(["hearth"])
    shown = []

    def answer():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            shown.append([box.windowTitle(), box.text()])
            box.button(QMessageBox.StandardButton.Ok).click()

    timer = QTimer()
    timer.timeout.connect(answer)
    timer.start(20)
    import app.__main__
    status = app.__main__.launch()
    print(json.dumps(shown))
    sys.exit(status)
    """
)


def start_window(env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], list[list[str]]]:
    """Run the window's start in a child; its result and the dialogs it showed, as (title, text)."""
    done = subprocess.run(
        [sys.executable, "-c", ANSWER_AND_LAUNCH],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONUTF8": "1", **env},
        check=False,
    )
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return done, json.loads(done.stdout.splitlines()[-1]) if done.stdout else []


def test_a_data_folder_that_is_a_file_gets_a_dialog_naming_it_and_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("", encoding="utf-8")
    done, dialogs = start_window({"HEARTH_HOME": str(blocker)})
    assert done.returncode == 1
    [(title, text)] = dialogs
    assert title == "Hearth cannot start"
    assert text.startswith(
        f"Hearth cannot use its data folder “{blocker}”. “{blocker}” is a file, not a folder."
    )
    assert "allowed to write to it" in text and "HEARTH_HOME" in text
    # No log can be opened in a file, so the one line on stderr is the record.
    [line] = done.stderr.splitlines()
    assert line.startswith(f"hearth: error: cannot use the data folder {blocker} (")


def test_a_damaged_history_gets_a_dialog_and_goes_in_the_log(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "history.sqlite3").write_bytes(b"not a database, " * 512)
    done, dialogs = start_window({"HEARTH_HOME": str(home)})
    assert done.returncode == 1
    [(_title, text)] = dialogs
    assert (
        text == f"The file {home / 'history.sqlite3'} is not a Hearth history, or it is too damaged to open."
    )
    assert f"ERROR hearth.startup [MainThread] Hearth cannot start: {text}" in log_text(home)
    assert done.stderr == "", "the log holds it; the terminal is left alone"


def test_no_window_system_is_one_line_and_logged_instead_of_a_crash(tmp_path: Path) -> None:
    home = tmp_path / "home"
    done = subprocess.run(
        [sys.executable, "-m", "app"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "nonexistent", "HEARTH_HOME": str(home)},
        check=False,
    )
    assert done.returncode == 1, "a status of its own, not Qt's abort (-6)"
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line == (
        "hearth: error: Hearth cannot open its window: no window system could be started "
        f'(Could not find the Qt platform plugin "nonexistent" in ""); the details are in {log_file(home)}'
    )
    logged = log_text(home)
    assert "CRITICAL hearth.ui [MainThread] no window system could be started" in logged
    assert "no Qt platform plugin could be initialized" in logged


def log_file(home: Path) -> Path:
    return home / "logs" / LOG_FILE_NAME


def log_text(home: Path) -> str:
    return log_file(home).read_text(encoding="utf-8")


@pytest.fixture
def dialogs(qtbot: QtBot, themed_app: None) -> Iterator[list[tuple[str, str]]]:
    """Every start-up dialog shown during the test, as (title, text), each answered with OK."""
    shown: list[tuple[str, str]] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            shown.append((box.windowTitle(), box.text()))
            box.button(QMessageBox.StandardButton.Ok).click()

    timer = QTimer()
    timer.timeout.connect(answer)
    timer.start(10)
    yield shown
    timer.stop()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    install_language(app, "en")  # run_gui followed the system's language


def test_a_bug_while_the_window_is_made_is_logged_with_its_stack_and_shown_politely(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dialogs: list[tuple[str, str]]
) -> None:
    from app.ui import app as window_app

    made: list[object] = []

    class RecordedStore(HistoryStore):
        def __init__(self, path: Path) -> None:
            super().__init__(path)
            made.append(self)

    class RecordedInference(InferenceService):
        def __init__(self, engine: Engine, store: HistoryStore) -> None:
            super().__init__(engine, store)
            made.append(self)

    def broken(*_args: object, **_kwargs: object) -> MainWindow:
        raise RuntimeError("a bug while making the window")

    monkeypatch.setattr(window_app, "HistoryStore", RecordedStore)
    monkeypatch.setattr(window_app, "InferenceService", RecordedInference)
    monkeypatch.setattr(window_app, "MainWindow", broken)
    home = tmp_path / "home"
    assert window_app.run_gui(Paths(home)) == 1
    assert dialogs == [
        (
            "Hearth cannot start",
            "Hearth could not start because of an unexpected problem. "
            f"The details are in the log file “{log_file(home)}”.",
        )
    ]
    logged = log_text(home)
    assert "CRITICAL hearth.startup [MainThread] Hearth could not start" in logged
    assert (
        "Traceback (most recent call last)" in logged
        and "RuntimeError: a bug while making the window" in logged
    )
    # What was made before the bug is undone: the inference thread has stopped, the history is closed.
    store, inference = made
    assert isinstance(store, HistoryStore) and isinstance(inference, InferenceService)
    assert inference.shutdown(timeout_ms=0)
    with pytest.raises(RuntimeError, match="closed"):
        store.list_conversations()


def test_a_data_folder_problem_in_this_process_shows_the_same_dialog(
    tmp_path: Path, dialogs: list[tuple[str, str]]
) -> None:
    from app.ui.app import run_gui

    blocker = tmp_path / "notes.txt"
    blocker.write_text("", encoding="utf-8")
    assert run_gui(Paths(blocker / "Hearth")) == 1
    [(title, text)] = dialogs
    assert title == "Hearth cannot start"
    assert f"“{blocker}” is a file, not a folder." in text
