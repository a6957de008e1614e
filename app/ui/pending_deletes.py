"""Deleting a conversation with an Undo: it leaves the list at once, and leaves the disk only when the
Undo time is over, or when the window closes (a delete the user did not take back is carried out)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

# Long enough to notice the mistake and reach the button; short enough that the Undo line is not clutter.
UNDO_MS = 8000


class PendingDeletes(QObject):
    changed = Signal()  # the set of conversations waiting to be deleted changed

    def __init__(self, delete: Callable[[int], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._delete = delete  # starts the real delete (a job); called once per conversation
        self._timers: dict[int, QTimer] = {}
        self.last: int | None = None  # the one the Undo line offers

    @property
    def ids(self) -> frozenset[int]:
        return frozenset(self._timers)

    def schedule(self, conversation_id: int) -> None:
        if conversation_id in self._timers:
            return
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(lambda: self._carry_out(conversation_id))
        timer.start(UNDO_MS)
        self._timers[conversation_id] = timer
        self.last = conversation_id
        self.changed.emit()

    def undo(self, conversation_id: int) -> None:
        timer = self._timers.pop(conversation_id, None)
        if timer is not None:
            timer.stop()
            timer.deleteLater()
            if self.last == conversation_id:
                self.last = None
            self.changed.emit()

    def flush(self) -> None:
        """Carry out every delete now (the window is closing)."""
        for conversation_id in list(self._timers):
            self._carry_out(conversation_id)

    def _carry_out(self, conversation_id: int) -> None:
        timer = self._timers.pop(conversation_id, None)
        if timer is None:
            return
        timer.stop()
        timer.deleteLater()
        if self.last == conversation_id:
            self.last = None
        self._delete(conversation_id)
        self.changed.emit()
