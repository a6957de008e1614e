"""Start the desktop app: build the services once, hand them to the window, and tear them down in order.

A start that fails ends in a dialog in plain words, never in a traceback (app.startup says how each
failure is recorded): the data folder is made ready before Qt starts, so the log is open while Qt starts
and the dialog can say which folder is at fault.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QThreadPool
from PySide6.QtGui import QFileOpenEvent, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from app.config import Paths, Settings, default_paths, load_settings
from app.engine import Engine
from app.errors import UserError
from app.logs import say_on_terminal
from app.startup import EXIT_CANNOT_START, command_line_words, open_data_folder, record_bug, record_problem
from app.store import HistoryStore
from app.ui.error_hooks import install_error_hooks
from app.ui.main_window import MainWindow
from app.ui.resources import app_icon_path
from app.ui.startup_dialog import bug_words, qt_messages_while_starting, show_startup_problem
from app.ui.theme import apply_theme
from app.ui.translation import install_language
from app.ui.watchdog import StallWatchdog, install_stall_watchdog
from app.ui.workers import InferenceService

log = logging.getLogger("hearth.ui")


class _FileOpenRelay(QObject):
    """macOS hands double-clicked files to the running app as FileOpen events, not as arguments."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QFileOpenEvent) and event.file():
            self._window.files_dropped([event.file()])
            return True
        return False


@dataclass(frozen=True)
class _Services:
    """What the open window runs on, torn down by _run when it closes."""

    store: HistoryStore
    inference: InferenceService
    watchdog: StallWatchdog
    restore_hooks: ExitStack


def run_gui(paths: Paths | None = None, files: Sequence[Path] = ()) -> int:
    """Open the window; `files` (from the desktop's "Open with") are handled as if dropped on it.

    Returns the application's exit status, or EXIT_CANNOT_START after a dialog saying why it could not
    start.
    """
    problem: UserError | None = None
    try:
        paths = open_data_folder(paths or default_paths())
    except UserError as error:  # before Qt: a window system that fails too should find the log open
        problem = error
    with qt_messages_while_starting():
        app = QApplication.instance() or QApplication(sys.argv)
        assert isinstance(app, QApplication)
        app.setApplicationName("Hearth")
        # Desktops match the window to hearth.desktop by this name (its icon in the dock, "Open with").
        QGuiApplication.setDesktopFileName("hearth")
        app.setWindowIcon(QIcon(str(app_icon_path())))
        if problem is not None:
            _dress(app, Settings())  # no settings to read: the system's language and look
            return _cannot_start(problem, paths)
        assert paths is not None
        try:
            services = _open_window(app, paths, files)
        except UserError as error:  # the history cannot be opened: damaged, read-only, from a newer Hearth
            return _cannot_start(error, paths)
        except Exception as error:
            bug = record_bug(error, paths)
            if bug.log_file is None:
                say_on_terminal(f"hearth: error: {bug.command_line()}")
            show_startup_problem(bug_words(bug))
            return EXIT_CANNOT_START
        return _run(app, services)


def _dress(app: QApplication, settings: Settings) -> str:
    """The look and the language, before any widget takes its words; returns the language used."""
    apply_theme(app, settings.theme)
    return install_language(app, settings.language)


def _cannot_start(problem: UserError, paths: Paths | None) -> int:
    if record_problem(problem, paths) is None:
        say_on_terminal(f"hearth: error: {command_line_words(problem)}")
    show_startup_problem(str(problem))
    return EXIT_CANNOT_START


def _open_window(app: QApplication, paths: Paths, files: Sequence[Path]) -> _Services:
    """The services and the window on them, shown; whatever was made is undone if a step fails."""
    settings = load_settings(paths.settings_file)
    language = _dress(app, settings)
    with ExitStack() as undo:
        store = HistoryStore(paths.history_db)
        undo.callback(store.close)
        watchdog = install_stall_watchdog(app)
        undo.callback(_remove_watchdog, watchdog)
        inference = InferenceService(Engine(), store)
        # A QThread destroyed while it runs aborts the process: a failed start stops it first.
        undo.callback(inference.shutdown, 60_000)
        window = MainWindow(
            store=store,
            inference=inference,
            settings=settings,
            settings_path=paths.settings_file,
            models_dir=paths.models_dir,
            data_root=paths.root,
            language=language,
        )
        undo.callback(window.deleteLater)
        undo.callback(window.hide)
        hooks = ExitStack()
        hooks.callback(install_error_hooks(window.banner.show_problem, window))
        undo.push(hooks)
        window.show()
        app.installEventFilter(_FileOpenRelay(window))
        # A model given to open wins over the last used one.
        window.start(load_last_model=not any(f.suffix.lower() == ".gguf" for f in files))
        if files:
            window.files_dropped([str(f.absolute()) for f in files])
        undo.pop_all()
    return _Services(store=store, inference=inference, watchdog=watchdog, restore_hooks=hooks)


def _remove_watchdog(watchdog: StallWatchdog) -> None:
    watchdog.stop()  # the application may outlive the window (tests, or a later window)
    watchdog.deleteLater()


def _run(app: QApplication, services: _Services) -> int:
    status = int(app.exec())
    services.restore_hooks.close()
    _remove_watchdog(services.watchdog)
    inference = services.inference
    if not inference.shutdown(timeout_ms=2000) and not inference.shutdown(timeout_ms=60_000):
        # Only a model load (which llama.cpp cannot interrupt) outlives this; a QThread destroyed
        # while running aborts the process, so leave without running destructors.
        log.error("the inference thread did not stop; exiting hard")
        logging.shutdown()
        os._exit(status)
    # Jobs still running (a delete carried out as the window closed) finish before the file closes.
    QThreadPool.globalInstance().waitForDone()
    services.store.close()
    return status
