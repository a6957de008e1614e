"""Start the desktop app.

Until the chat window lands this shows a calm placeholder that tells the user what works today.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from app import __version__


def build_placeholder_window() -> QMainWindow:
    window = QMainWindow()
    window.setWindowTitle(QApplication.translate("Hearth", "Hearth"))
    label = QLabel(
        QApplication.translate(
            "Hearth",
            "<h2>Hearth {version}</h2><p>The chat window is on its way.</p>"
            "<p>You can already chat from a terminal:<br>"
            '<code>hearth ask --model MODEL.gguf "Hello"</code></p>',
        ).format(version=__version__)
    )
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setAccessibleName(QApplication.translate("Hearth", "Welcome message"))
    window.setCentralWidget(label)
    window.resize(720, 480)
    return window


def run_gui() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Hearth")
    window = build_placeholder_window()
    window.show()
    return int(app.exec())
