"""Start the desktop app: build the services once, hand them to the window, and tear them down in order."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QThreadPool
from PySide6.QtGui import QFileOpenEvent, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from app.config import Paths, default_paths, load_settings
from app.engine import Engine
from app.logs import setup_logging
from app.store import HistoryStore, StoreError
from app.ui.error_hooks import install_error_hooks
from app.ui.main_window import MainWindow
from app.ui.resources import app_icon_path
from app.ui.theme import apply_theme
from app.ui.translation import install_language
from app.ui.watchdog import install_stall_watchdog
from app.ui.workers import InferenceService


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


def run_gui(paths: Paths | None = None, files: Sequence[Path] = ()) -> int:
    """Open the window; `files` (from the desktop's "Open with") are handled as if dropped on it."""
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Hearth")
    # Desktops match the window to hearth.desktop by this name (its icon in the dock, "Open with").
    QGuiApplication.setDesktopFileName("hearth")
    app.setWindowIcon(QIcon(str(app_icon_path())))
    paths = (paths or default_paths()).ensure()
    setup_logging(paths.log_dir)
    settings = load_settings(paths.settings_file)
    apply_theme(app, settings.theme)
    language = install_language(app, settings.language)  # before any widget takes its words
    try:
        store = HistoryStore(paths.history_db)
    except StoreError as exc:
        QMessageBox.critical(None, app.tr("Hearth cannot start"), str(exc))
        return 1
    watchdog = install_stall_watchdog(app)
    inference = InferenceService(Engine(), store)
    window = MainWindow(
        store=store,
        inference=inference,
        settings=settings,
        settings_path=paths.settings_file,
        models_dir=paths.models_dir,
        data_root=paths.root,
        language=language,
    )
    restore_hooks = install_error_hooks(window.banner.show_problem, window)
    window.show()
    app.installEventFilter(_FileOpenRelay(window))
    # A model given to open wins over the last used one.
    window.start(load_last_model=not any(f.suffix.lower() == ".gguf" for f in files))
    if files:
        window.files_dropped([str(f.absolute()) for f in files])
    status = int(app.exec())
    restore_hooks()
    watchdog.stop()  # the application may outlive the window (tests, or a later window)
    watchdog.deleteLater()
    if not inference.shutdown(timeout_ms=2000) and not inference.shutdown(timeout_ms=60_000):
        # Only a model load (which llama.cpp cannot interrupt) outlives this; a QThread destroyed
        # while running aborts the process, so leave without running destructors.
        logging.getLogger("hearth.ui").error("the inference thread did not stop; exiting hard")
        logging.shutdown()
        os._exit(status)
    # Jobs still running (a delete carried out as the window closed) finish before the file closes.
    QThreadPool.globalInstance().waitForDone()
    store.close()
    return status
