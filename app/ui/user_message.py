"""UserMessageWidget: what the user wrote, in a tinted bubble sized to its text, with its attachments."""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent, QPalette, QResizeEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.attachments import AttachmentStrip, SentAttachment
from app.ui.branch_navigator import BranchNavigator
from app.ui.chat_helpers import CopyButton, mix, mute, quiet_icon, smaller
from app.ui.colours import palette_is_dark
from app.ui.message_text import MessageText
from app.ui.shortcuts import keys_for


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
    with the chips of its attachments above it, and Copy, Edit and the versions under it.

    Edit turns the bubble into an editor in place: Enter sends the new version (a sibling branch,
    answered anew), Shift+Enter starts a new line, Esc puts the message back as it was.
    """

    edit_submitted = Signal(int, str)  # message id, the new text

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
        self.edit_button = QToolButton(self)
        self.edit_button.setText(self.tr("Edit"))
        quiet_icon(self.edit_button, "edit")
        self.edit_button.setAccessibleName(self.tr("Edit your message"))
        self.edit_button.setToolTip(self.tr("Change this message and get a new answer; the old one is kept"))
        self.edit_button.clicked.connect(self.start_edit)
        smaller(self.edit_button)
        self.navigator = BranchNavigator(self)
        self.navigator.setAccessibleName(self.tr("Other versions of your message"))
        self._build_editor()
        self._mute_actions()

        inside = QVBoxLayout(self.bubble)
        inside.setContentsMargins(self._PADDING, 8, self._PADDING, 8)
        inside.addWidget(self.text_view)
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.attachments, 0, Qt.AlignmentFlag.AlignRight)
        column.addWidget(self.bubble, 0, Qt.AlignmentFlag.AlignRight)
        column.addWidget(self.editor_box)
        actions = QHBoxLayout()
        actions.setContentsMargins(0, 0, 0, 0)
        actions.setSpacing(0)
        actions.addStretch(1)
        actions.addWidget(self.navigator)
        actions.addWidget(self.copy_button)
        actions.addWidget(self.edit_button)
        column.addLayout(actions)
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
            self._mute_actions()

    def _mute_actions(self) -> None:
        for button in (self.copy_button, self.edit_button):
            mute(button, self.palette())

    # -- editing in place --------------------------------------------------------------------------

    def _build_editor(self) -> None:
        self.editor_box = QWidget(self)
        self.editor = QPlainTextEdit(self.editor_box)
        self.editor.setObjectName("composerInput")  # looks like the composer: it is one, for this message
        self.editor.setAccessibleName(self.tr("Edit your message"))
        self.editor.installEventFilter(self)
        self.cancel_edit_button = QPushButton(self.tr("Cancel"), self.editor_box)
        self.cancel_edit_button.setToolTip(
            self.tr("Keep the message as it was ({keys})").format(keys=keys_for("stop"))
        )
        self.cancel_edit_button.clicked.connect(self.cancel_edit)
        self.send_edit_button = QPushButton(self.tr("Send"), self.editor_box)
        self.send_edit_button.setObjectName("sendButton")
        self.send_edit_button.setToolTip(
            self.tr("Send the new version ({keys})").format(keys=keys_for("send"))
        )
        self.send_edit_button.clicked.connect(self.submit_edit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_edit_button)
        buttons.addWidget(self.send_edit_button)
        box = QVBoxLayout(self.editor_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.editor)
        box.addLayout(buttons)
        self.editor_box.hide()

    @property
    def editing(self) -> bool:
        return self.editor_box.isVisible()

    def start_edit(self) -> None:
        self.editor.setPlainText(self.text)
        self.editor.moveCursor(QTextCursor.MoveOperation.End)
        self.bubble.hide()
        self.edit_button.hide()
        self.editor_box.show()
        self.editor.setFocus()

    def cancel_edit(self) -> None:
        self.editor_box.hide()
        self.bubble.setVisible(bool(self.text))
        self.edit_button.show()

    def submit_edit(self) -> None:
        text = self.editor.toPlainText().strip()
        if not text and not self.attachments.chips:
            return  # nothing to ask: the editor stays open
        self.cancel_edit()
        self.edit_submitted.emit(self.message_id, text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.editor and isinstance(event, QKeyEvent):
            key = event.key()
            if event.type() == QEvent.Type.ShortcutOverride and key == Qt.Key.Key_Escape:
                event.accept()  # Esc cancels this edit, rather than stopping a reply (the window's)
                return True
            if event.type() == QEvent.Type.KeyPress:
                if key == Qt.Key.Key_Escape:
                    self.cancel_edit()
                    return True
                shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not shift:
                    self.submit_edit()
                    return True
        return super().eventFilter(watched, event)

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
