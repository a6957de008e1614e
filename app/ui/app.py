"""Start the desktop app: build the services once, hand them to the window, and tear them down in order."""

from __future__ import annotations

import logging
import os
import sys

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from app.config import Paths, default_paths, load_settings
from app.engine import Engine
from app.logs import setup_logging
from app.store import HistoryStore, StoreError
from app.ui.main_window import MainWindow
from app.ui.resources import app_icon_path
from app.ui.theme import apply_theme, theme_choice
from app.ui.watchdog import install_stall_watchdog
from app.ui.workers import InferenceService


def run_gui(paths: Paths | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Hearth")
    app.setWindowIcon(QIcon(str(app_icon_path())))
    paths = (paths or default_paths()).ensure()
    setup_logging(paths.log_dir)
    settings = load_settings(paths.settings_file)
    apply_theme(app, theme_choice(settings.theme))
    try:
        store = HistoryStore(paths.history_db)
    except StoreError as exc:
        QMessageBox.critical(None, app.tr("Hearth cannot start"), str(exc))
        return 1
    install_stall_watchdog(app)
    inference = InferenceService(Engine(), store)
    window = MainWindow(
        store=store,
        inference=inference,
        settings=settings,
        settings_path=paths.settings_file,
        models_dir=paths.models_dir,
        data_root=paths.root,
    )
    window.show()
    if settings.active_model:
        window.load_model(settings.active_model)
    status = int(app.exec())
    if not inference.shutdown(timeout_ms=2000) and not inference.shutdown(timeout_ms=60_000):
        # Only a model load (which llama.cpp cannot interrupt) outlives this; a QThread destroyed
        # while running aborts the process, so leave without running destructors.
        logging.getLogger("hearth.ui").error("the inference thread did not stop; exiting hard")
        logging.shutdown()
        os._exit(status)
    store.close()
    return status
