"""Where the user types: Enter sends, Shift+Enter adds a line, and Send turns into Stop while a reply streams.

Esc (stop) is a window shortcut, so it works wherever the focus is.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPlainTextEdit, QPushButton, QWidget


class ComposerInput(QPlainTextEdit):
    submit = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.submit.emit()
            return
        super().keyPressEvent(event)


class Composer(QWidget):
    send_requested = Signal(str)
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._streaming = False
        self.input = ComposerInput(self)
        self.input.setObjectName("composerInput")
        self.input.setAccessibleName(self.tr("Message"))
        self.input.setPlaceholderText(self.tr("Message Hearth…  (Enter to send, Shift+Enter for a new line)"))
        self.input.setTabChangesFocus(True)
        self.input.setFrameShape(QFrame.Shape.NoFrame)  # the style sheet draws one rounded border
        self.input.setFixedHeight(84)
        self.input.submit.connect(self._on_submit)
        self.button = QPushButton(self.tr("Send"), self)
        self.button.setObjectName("sendButton")
        self.button.setAccessibleName(self.tr("Send message"))
        self.button.clicked.connect(self._on_button)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 12)
        layout.addWidget(self.input, 1)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignBottom)

    @property
    def streaming(self) -> bool:
        return self._streaming

    def set_streaming(self, streaming: bool) -> None:
        self._streaming = streaming
        self.button.setText(self.tr("Stop") if streaming else self.tr("Send"))
        self.button.setAccessibleName(self.tr("Stop the reply") if streaming else self.tr("Send message"))
        self.button.setToolTip(self.tr("Stop the reply (Esc)") if streaming else self.tr("Send (Enter)"))

    def _on_submit(self) -> None:
        if self._streaming:
            return  # Enter while a reply streams does nothing; Stop is explicit.
        text = self.input.toPlainText().strip()
        if text:
            # The window clears the box once it has taken the message, so a refused send loses nothing.
            self.send_requested.emit(text)

    def clear(self) -> None:
        self.input.clear()

    def _on_button(self) -> None:
        if self._streaming:
            self.stop_requested.emit()
        else:
            self._on_submit()
