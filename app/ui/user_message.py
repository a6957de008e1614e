"""UserMessageWidget: what the user wrote, in a tinted bubble sized to its text, with its attachments."""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QResizeEvent, QTextDocument
from PySide6.QtWidgets import QFrame, QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from app.ui.attachments import AttachmentStrip, SentAttachment
from app.ui.chat_helpers import CopyButton, mix, mute
from app.ui.colours import palette_is_dark
from app.ui.message_text import MessageText


class _Bubble(QFrame):
    """The tinted, rounded background of the user's own messages."""

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        tint = mix(
            base, palette.color(QPalette.ColorRole.Highlight), 0.2 if palette_is_dark(palette) else 0.12
        )
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(tint)
        painter.drawRoundedRect(self.rect(), 12, 12)
        painter.end()


class UserMessageWidget(QWidget):
    """What the user wrote, exactly as written (plain text, never markdown), right-aligned in a bubble,
    with the chips of its attachments above it."""

    _PADDING = 12

    def __init__(
        self,
        message_id: int,
        text: str,
        parent: QWidget | None = None,
        attachments: Sequence[SentAttachment] = (),
    ) -> None:
        super().__init__(parent)
        self.message_id = message_id
        self.text = text
        self.attachments = AttachmentStrip(removable=False, parent=self)
        for attachment in attachments:
            self.attachments.add_sent(attachment)
        self.bubble = _Bubble(self)
        self.bubble.setVisible(bool(text))  # a message may be only its attachments
        self.text_view = MessageText(self.bubble)
        self.text_view.setAccessibleName(self.tr("Your message"))
        self.text_view.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.text_view.show_plain(text)
        self.copy_button = CopyButton(self.tr("Copy your message"), self)
        self.copy_button.clicked.connect(lambda: self.copy_button.copy(self.text))
        mute(self.copy_button, self.palette())

        inside = QVBoxLayout(self.bubble)
        inside.setContentsMargins(self._PADDING, 8, self._PADDING, 8)
        inside.addWidget(self.text_view)
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.attachments, 0, Qt.AlignmentFlag.AlignRight)
        column.addWidget(self.bubble, 0, Qt.AlignmentFlag.AlignRight)
        column.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignRight)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addStretch(1)
        row.addLayout(column)

        # Measures the text's natural width, so a short message gets a small bubble.
        self._measure = QTextDocument(self)
        self._measure.setDocumentMargin(self.text_view.document().documentMargin())
        self._measure.setDefaultTextOption(self.text_view.document().defaultTextOption())
        self._measure.setPlainText(text)
        self._measured_for = -1

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_width()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            mute(self.copy_button, self.palette())

    def _fit_width(self) -> None:
        available = self.width()
        if available == self._measured_for:
            return
        self._measured_for = available
        widest = max(80, int(available * 0.8) - 2 * self._PADDING)
        self._measure.setDefaultFont(self.text_view.font())
        self._measure.setTextWidth(widest)
        # +2: rounding must not make the view wrap a line that the measurement did not.
        self.text_view.setFixedWidth(min(widest, math.ceil(self._measure.idealWidth()) + 2))
