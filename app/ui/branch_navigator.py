"""The quiet "‹ 2/3 ›" under a message that has siblings (an edited question, a regenerated reply):
it steps to the previous or next version, and the conversation then shows that version's branch."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from app.ui.chat_helpers import mute, smaller


class BranchNavigator(QWidget):
    sibling_chosen = Signal(int)  # the message id of the version to show

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._siblings: tuple[int, ...] = ()
        self._index = 0
        self.previous = QToolButton(self)
        self.previous.setText("‹")
        self.previous.setAutoRaise(True)
        self.previous.setAccessibleName(self.tr("Previous version"))
        self.previous.clicked.connect(lambda: self._step(-1))
        self.position = QLabel(self)
        self.position.setAccessibleName(self.tr("Version"))
        self.next = QToolButton(self)
        self.next.setText("›")
        self.next.setAutoRaise(True)
        self.next.setAccessibleName(self.tr("Next version"))
        self.next.clicked.connect(lambda: self._step(1))
        for part in (self.previous, self.position, self.next):
            smaller(part)
            mute(part, self.palette())
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.previous)
        row.addWidget(self.position, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.next)
        self.hide()

    def set_siblings(self, siblings: Sequence[int], current: int) -> None:
        """The versions in order (oldest first) and the one on screen; hidden when there is only one."""
        self._siblings = tuple(siblings)
        self._index = self._siblings.index(current) if current in self._siblings else 0
        count = len(self._siblings)
        self.position.setText(f"{self._index + 1}/{count}")
        self.setToolTip(self.tr("Version {n} of {count}").format(n=self._index + 1, count=count))
        self.previous.setEnabled(self._index > 0)
        self.next.setEnabled(self._index < count - 1)
        self.setVisible(count > 1)

    def _step(self, delta: int) -> None:
        index = self._index + delta
        if 0 <= index < len(self._siblings):
            self.sibling_chosen.emit(self._siblings[index])
