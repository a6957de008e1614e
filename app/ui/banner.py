"""The line of plain words above the chat when something went wrong (and the way to the log for a bug), or
when something the user asked for finished out of sight."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from app.errors import UserError
from app.ui.colours import notice_style
from app.ui.icons import themed_icon
from app.ui.messages import plain_message


class ErrorBanner(QFrame):
    """A calm, dismissible line: a UserError in its own words; a bug as a polite line with "Open log"."""

    open_log_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorBanner")
        self._restyle()
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Problem"))
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.open_log = QPushButton(self.tr("Open log"), self)
        self.open_log.setAccessibleName(self.tr("Open the log file"))
        self.open_log.clicked.connect(self.open_log_requested)
        close = QToolButton(self)
        close.setIcon(themed_icon("close"))
        close.setToolTip(self.tr("Dismiss"))
        close.setAccessibleName(self.tr("Dismiss"))
        close.setAutoRaise(True)
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.open_log)
        layout.addWidget(close)
        self.hide()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._restyle()  # the theme changed: light or dark notice colours
        super().changeEvent(event)

    def _restyle(self) -> None:
        # The application's palette says light or dark: the banner's own is what this style sheet made
        # of it. Setting the same sheet again would send another PaletteChange, so only a change is set.
        sheet = f"QFrame#errorBanner {{ {notice_style(QGuiApplication.palette())} }}"
        if sheet != self.styleSheet():
            self.setStyleSheet(sheet)

    def show_message(self, text: str) -> None:
        self.message.setAccessibleName(self.tr("Problem"))
        self.message.setText(text)
        self.open_log.hide()
        self.show()

    def show_notice(self, text: str) -> None:
        """A calm line that is no problem at all: something finished (an export, an import)."""
        self.show_message(text)
        self.message.setAccessibleName(self.tr("Notice"))

    def show_problem(self, error: BaseException) -> None:
        """`error` as the user should read it; for a bug (already logged with its stack) a way to the log."""
        self.show_message(plain_message(error))
        self.open_log.setVisible(not isinstance(error, UserError))
