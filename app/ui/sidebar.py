"""The sidebar: a search field (Ctrl+K from anywhere), New chat, the conversations or the search results,
and the Undo line after a delete.

It only shows and asks: the window runs the queries (through run_job) and owns pending deletes.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.store import ConversationRecord, SearchHit
from app.ui.conversation_list import ConversationList
from app.ui.icons import themed_icon
from app.ui.search_results import SearchResults
from app.ui.shortcuts import keys_for


class UndoLine(QFrame):
    """ "Deleted “title”. Undo": shown while a delete can still be taken back."""

    undo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("undoLine")
        self.message = QLabel(self)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.undo = QPushButton(self.tr("Undo"), self)
        self.undo.setAccessibleName(self.tr("Undo the delete"))
        self.undo.clicked.connect(self.undo_requested)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 4, 4)
        row.addWidget(self.message, 1)
        row.addWidget(self.undo)
        self.hide()

    def show_deleted(self, title: str) -> None:
        self.message.setText(self.tr("Deleted “{title}”.").format(title=title or self.tr("New chat")))
        self.show()


class Sidebar(QWidget):
    conversation_selected = Signal(int)
    new_chat_requested = Signal()
    rename_requested = Signal(int, str)
    pin_requested = Signal(int, bool)
    delete_requested = Signal(int, str)
    export_requested = Signal(int, str)
    more_wanted = Signal()
    search_changed = Signal(str)  # at each keystroke; "" when the search is left
    hit_chosen = Signal(int, int)  # conversation id, message id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setObjectName("searchField")
        self.search.setPlaceholderText(self.tr("Search ({keys})").format(keys=keys_for("search")))
        self.search.setAccessibleName(self.tr("Search conversations"))
        self.search.setToolTip(self.tr("Find words in titles, messages, reasoning and attached documents"))
        self.search.setClearButtonEnabled(True)
        magnifier = self.search.addAction(
            themed_icon("search", role=QPalette.ColorRole.PlaceholderText),
            QLineEdit.ActionPosition.LeadingPosition,
        )
        # Qt shows the action as a small button inside the field; screen readers read that button.
        for button in self.search.findChildren(QToolButton):
            if button.defaultAction() is magnifier:
                button.setAccessibleName(self.tr("Search"))
        self.search.textChanged.connect(self._typed)
        self.search.installEventFilter(self)
        self._open_when_found = False  # Enter came before the hits for the words typed

        self.new_chat_button = QPushButton(themed_icon("new-chat"), self.tr("New chat"), self)
        self.new_chat_button.setAccessibleName(self.tr("New chat"))
        self.new_chat_button.setToolTip(
            self.tr("Start a new conversation ({keys})").format(keys=keys_for("new_chat"))
        )
        self.new_chat_button.clicked.connect(self.new_chat_requested)

        self.list = ConversationList(self)
        self.list.conversation_selected.connect(self.conversation_selected)
        self.list.rename_requested.connect(self.rename_requested)
        self.list.pin_requested.connect(self.pin_requested)
        self.list.delete_requested.connect(self.delete_requested)
        self.list.export_requested.connect(self.export_requested)
        self.list.more_wanted.connect(self.more_wanted)
        self.results = SearchResults(self)
        self.results.hit_chosen.connect(self.hit_chosen)
        self._pages = QStackedWidget(self)
        self._pages.addWidget(self.list)
        self._pages.addWidget(self.results)
        self.undo_line = UndoLine(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 8)
        layout.addWidget(self.search)
        layout.addWidget(self.new_chat_button)
        layout.addWidget(self._pages, 1)
        layout.addWidget(self.undo_line)
        self.setMinimumWidth(200)

    # -- conversations ---------------------------------------------------------------------------

    def set_conversations(self, records: Sequence[ConversationRecord], current_id: int | None) -> None:
        self.list.set_conversations(records, current_id)

    def conversation_ids(self) -> list[int]:
        return self.list.conversation_ids()

    # -- search ----------------------------------------------------------------------------------

    def search_text(self) -> str:
        return self.search.text().strip()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def show_hits(self, query: str, hits: Sequence[SearchHit]) -> None:
        """Results for `query`, if it is still what the field asks for (an older query's are dropped)."""
        if query == self.search_text():
            self.results.show_hits(query, hits)
            self._pages.setCurrentWidget(self.results)
            if self._open_when_found:
                self._open_when_found = False
                self.results.choose_current()

    @property
    def searching(self) -> bool:
        return self._pages.currentWidget() is self.results

    def leave_search(self) -> None:
        self.search.clear()  # emits search_changed(""): the list comes back
        self._pages.setCurrentWidget(self.list)

    def _typed(self, _text: str) -> None:
        self._open_when_found = False
        # Every keystroke asks at once (results within ~50 ms of the last one); the controller runs
        # one query at a time and skips to the newest words, so fast typing queues nothing.
        if not self.search_text():
            self._pages.setCurrentWidget(self.list)
        self.search_changed.emit(self.search_text())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # From the field: Down goes to the results, Enter opens the highlighted hit, Esc leaves search.
        if watched is self.search and isinstance(event, QKeyEvent):
            key = event.key()
            if (
                event.type() == QEvent.Type.ShortcutOverride
                and key == Qt.Key.Key_Escape
                and self.search.text()
            ):
                event.accept()  # Esc leaves the search here, rather than stopping a reply (the window's)
                return True
            if event.type() != QEvent.Type.KeyPress:
                return super().eventFilter(watched, event)
            if key == Qt.Key.Key_Escape and self.search.text():
                self.leave_search()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.search_text():
                if self.results.query == self.search_text():
                    self.results.choose_current()
                else:  # the hits shown are for older words: open the first of the right ones
                    self._open_when_found = True
                return True
            if key == Qt.Key.Key_Down and self.searching:
                self.results.setFocus()
                return True
        return super().eventFilter(watched, event)
