"""The list of conversations: newest first, pinned on top, with New chat, rename, pin and delete."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.store import ConversationRecord

_ID_ROLE = Qt.ItemDataRole.UserRole
_PINNED_ROLE = Qt.ItemDataRole.UserRole + 1


class Sidebar(QWidget):
    conversation_selected = Signal(int)
    new_chat_requested = Signal()
    rename_requested = Signal(int, str)
    pin_requested = Signal(int, bool)
    delete_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.new_chat_button = QPushButton(self.tr("+  New chat"), self)
        self.new_chat_button.setAccessibleName(self.tr("New chat"))
        self.new_chat_button.setToolTip(self.tr("Start a new conversation (Ctrl+N)"))
        self.new_chat_button.clicked.connect(self.new_chat_requested)
        self.list = QListWidget(self)
        self.list.setObjectName("conversationList")
        self.list.setAccessibleName(self.tr("Conversations"))
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._show_menu)
        self.list.itemClicked.connect(self._on_clicked)
        self.list.itemActivated.connect(self._on_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 8)
        layout.addWidget(self.new_chat_button)
        layout.addWidget(self.list, 1)
        self.setMinimumWidth(200)

    def set_conversations(self, records: Sequence[ConversationRecord], current_id: int | None) -> None:
        """Show `records` (already in display order) and select `current_id`, without emitting a selection."""
        self.list.blockSignals(True)
        self.list.clear()
        for record in records:
            title = record.title or self.tr("New chat")
            item = QListWidgetItem(("📌 " if record.pinned else "") + title)
            item.setData(_ID_ROLE, record.id)
            item.setData(_PINNED_ROLE, record.pinned)
            item.setToolTip(record.title)
            self.list.addItem(item)
            if record.id == current_id:
                item.setSelected(True)
                self.list.setCurrentItem(item)
        if current_id is None:
            self.list.clearSelection()
        self.list.blockSignals(False)

    def conversation_ids(self) -> list[int]:
        return [int(self.list.item(row).data(_ID_ROLE)) for row in range(self.list.count())]

    def _on_clicked(self, item: QListWidgetItem) -> None:
        self.conversation_selected.emit(int(item.data(_ID_ROLE)))

    def _show_menu(self, position: QPoint) -> None:
        item = self.list.itemAt(position)
        if item is None:
            return
        conversation_id = int(item.data(_ID_ROLE))
        pinned = bool(item.data(_PINNED_ROLE))
        menu = QMenu(self)
        rename = QAction(self.tr("Rename…"), menu)
        rename.triggered.connect(lambda: self._rename(conversation_id, item.toolTip()))
        pin = QAction(self.tr("Unpin") if pinned else self.tr("Pin to top"), menu)
        pin.triggered.connect(lambda: self.pin_requested.emit(conversation_id, not pinned))
        delete = QAction(self.tr("Delete…"), menu)
        delete.triggered.connect(lambda: self._delete(conversation_id, item.toolTip()))
        menu.addActions([rename, pin, delete])
        menu.popup(self.list.viewport().mapToGlobal(position))

    def _rename(self, conversation_id: int, title: str) -> None:
        new_title, accepted = QInputDialog.getText(
            self, self.tr("Rename conversation"), self.tr("Title:"), text=title
        )
        if accepted and new_title.strip():
            self.rename_requested.emit(conversation_id, new_title.strip())

    def _delete(self, conversation_id: int, title: str) -> None:
        answer = QMessageBox.question(
            self,
            self.tr("Delete conversation"),
            self.tr("Delete “{title}” and all its messages? This cannot be undone.").format(
                title=title or self.tr("New chat")
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_requested.emit(conversation_id)
