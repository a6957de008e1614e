"""The conversations in the sidebar: pinned first, then grouped by when they were last active (Today,
Yesterday, Previous 7 days, Previous 30 days, then by month), titles elided on one line with the whole
title in a tooltip, renamed in place (F2 or the menu), pinned and deleted from a context menu.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from PySide6.QtCore import QDate, QLocale, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QMenu, QWidget

from app.store import ConversationRecord
from app.ui.fitted_list import fit_rows_to_width
from app.ui.icons import themed_icon

_ID_ROLE = Qt.ItemDataRole.UserRole
_PINNED_ROLE = Qt.ItemDataRole.UserRole + 1
_TITLE_ROLE = Qt.ItemDataRole.UserRole + 2  # the stored title ("" for a conversation not yet titled)

# Groups in display order after Pinned; months follow, newest first.
TODAY, YESTERDAY, WEEK, MONTH = "today", "yesterday", "week", "month"


def date_group(active: datetime, today: date) -> str | date:
    """The group a conversation last active at `active` (aware) falls in, seen on local day `today`.

    One of TODAY, YESTERDAY, WEEK (2 to 7 days ago), MONTH (8 to 30 days ago), or else the first day
    of its month, for a "November 2026" heading.
    """
    day = active.astimezone().date()
    age = (today - day).days
    if age <= 0:
        return TODAY
    if age == 1:
        return YESTERDAY
    if age <= 7:
        return WEEK
    if age <= 30:
        return MONTH
    return day.replace(day=1)


class ConversationList(QListWidget):
    conversation_selected = Signal(int)
    rename_requested = Signal(int, str)
    pin_requested = Signal(int, bool)
    delete_requested = Signal(int, str)  # id, title (for the Undo line)
    export_requested = Signal(int, str)  # id, title (for the file's name)
    more_wanted = Signal()  # scrolled near the end: the next page of older conversations

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conversationList")
        self.setAccessibleName(self.tr("Conversations"))
        # One line per title, cut with "…" at the sidebar's edge: never a horizontal scrollbar.
        fit_rows_to_width(self)
        self.setWordWrap(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)  # smooth, and sized in pixels
        self.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)  # F2; the menu too
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._show_menu)
        self.itemClicked.connect(self._on_clicked)
        self.itemActivated.connect(self._on_clicked)
        self.itemChanged.connect(self._on_edited)
        self.verticalScrollBar().valueChanged.connect(self._maybe_more)
        # A page that fits without scrolling would never be scrolled to its end: ask for more then too.
        self.verticalScrollBar().rangeChanged.connect(
            lambda *_: self._maybe_more(self.verticalScrollBar().value())
        )
        self._filling = False

    # -- contents --------------------------------------------------------------------------------

    def set_conversations(
        self, records: Sequence[ConversationRecord], current_id: int | None, today: date | None = None
    ) -> None:
        """Show `records` (pinned first, then newest first) under their headings; select `current_id`.

        Emits no selection and no rename while it fills the list.
        """
        today = today or date.today()
        scroll = self.verticalScrollBar().value()
        self._filling = True
        self.blockSignals(True)
        self.clear()
        heading: object = None
        for record in records:
            group: object = "pinned" if record.pinned else date_group(record.updated_at, today)
            if group != heading:
                heading = group
                self._add_heading(self._heading_text(group))
            self._add_conversation(record, current_id)
        if current_id is None:
            self.clearSelection()
        self.blockSignals(False)
        self.doItemsLayout()  # now, so the scroll range below is this list's
        self._filling = False
        self.verticalScrollBar().setValue(scroll)
        # A page that fits without scrolling would never be scrolled to its end: ask for more now.
        self._maybe_more(self.verticalScrollBar().value())

    def _heading_text(self, group: object) -> str:
        labels = {
            "pinned": self.tr("Pinned"),
            TODAY: self.tr("Today"),
            YESTERDAY: self.tr("Yesterday"),
            WEEK: self.tr("Previous 7 days"),
            MONTH: self.tr("Previous 30 days"),
        }
        if isinstance(group, date):
            month = QDate(group.year, group.month, 1)
            return QLocale().toString(month, "MMMM yyyy")
        return labels[str(group)]

    def _add_heading(self, text: str) -> None:
        item = QListWidgetItem(text)
        item.setFlags(Qt.ItemFlag.NoItemFlags)  # not selectable, not focusable
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 0.85)
        font.setWeight(QFont.Weight.DemiBold)
        item.setFont(font)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
        self.addItem(item)

    def _add_conversation(self, record: ConversationRecord, current_id: int | None) -> None:
        item = QListWidgetItem(record.title or self.tr("New chat"))
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        item.setData(_ID_ROLE, record.id)
        item.setData(_PINNED_ROLE, record.pinned)
        item.setData(_TITLE_ROLE, record.title)
        item.setToolTip(record.title or self.tr("New chat"))
        self.addItem(item)
        if record.id == current_id:
            item.setSelected(True)
            self.setCurrentItem(item)

    def conversation_ids(self) -> list[int]:
        return [int(item.data(_ID_ROLE)) for item in self._conversation_items()]

    def headings(self) -> list[str]:
        return [self.item(row).text() for row in range(self.count()) if self.item(row).data(_ID_ROLE) is None]

    def item_for(self, conversation_id: int) -> QListWidgetItem | None:
        return next((i for i in self._conversation_items() if i.data(_ID_ROLE) == conversation_id), None)

    def _conversation_items(self) -> list[QListWidgetItem]:
        items = (self.item(row) for row in range(self.count()))
        return [item for item in items if item.data(_ID_ROLE) is not None]

    # -- actions ---------------------------------------------------------------------------------

    def start_rename(self, conversation_id: int) -> None:
        item = self.item_for(conversation_id)
        if item is not None:
            self.setCurrentItem(item)
            self.scrollToItem(item)
            self.editItem(item)

    def _on_clicked(self, item: QListWidgetItem) -> None:
        if item.data(_ID_ROLE) is not None:
            self.conversation_selected.emit(int(item.data(_ID_ROLE)))

    def _on_edited(self, item: QListWidgetItem) -> None:
        if self._filling or item.data(_ID_ROLE) is None:
            return
        title = " ".join(item.text().split())
        old = str(item.data(_TITLE_ROLE) or "")
        if not title:  # an empty title is not a title: put the old one back
            self.blockSignals(True)
            item.setText(old or self.tr("New chat"))
            self.blockSignals(False)
            return
        if title != old:
            item.setData(_TITLE_ROLE, title)
            item.setToolTip(title)
            self.rename_requested.emit(int(item.data(_ID_ROLE)), title)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        if (
            item is not None
            and item.data(_ID_ROLE) is not None
            and event.matches(QKeySequence.StandardKey.Delete)
        ):
            self.delete_requested.emit(int(item.data(_ID_ROLE)), str(item.data(_TITLE_ROLE) or ""))
            return
        super().keyPressEvent(event)

    def _show_menu(self, position: QPoint) -> None:
        item = self.itemAt(position)
        if item is None or item.data(_ID_ROLE) is None:
            return
        conversation_id = int(item.data(_ID_ROLE))
        pinned = bool(item.data(_PINNED_ROLE))
        title = str(item.data(_TITLE_ROLE) or "")
        menu = QMenu(self)
        rename = QAction(themed_icon("edit"), self.tr("Rename"), menu)
        rename.setShortcut(QKeySequence(Qt.Key.Key_F2))
        rename.triggered.connect(lambda: self.start_rename(conversation_id))
        pin = QAction(themed_icon("pin"), self.tr("Unpin") if pinned else self.tr("Pin to top"), menu)
        pin.triggered.connect(lambda: self.pin_requested.emit(conversation_id, not pinned))
        delete = QAction(themed_icon("delete"), self.tr("Delete"), menu)
        delete.setShortcut(QKeySequence.StandardKey.Delete)
        delete.triggered.connect(lambda: self.delete_requested.emit(conversation_id, title))
        export = QAction(themed_icon("export"), self.tr("Export…"), menu)
        export.triggered.connect(lambda: self.export_requested.emit(conversation_id, title))
        menu.addActions([rename, pin, export])
        menu.addSeparator()
        menu.addAction(delete)
        menu.popup(self.viewport().mapToGlobal(position))

    def _maybe_more(self, value: int) -> None:
        bar = self.verticalScrollBar()
        if not self._filling and self.count() and value >= bar.maximum() - bar.pageStep() // 2:
            self.more_wanted.emit()
