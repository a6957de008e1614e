"""What the sidebar asks of the history: the list of conversations (a page more as the user scrolls),
search as they type, rename, pin, and delete with an Undo. Every read and write goes through run_job.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from app.store import ConversationRecord, HistoryStore, SearchHit
from app.ui.jobs import run_job
from app.ui.pending_deletes import PendingDeletes
from app.ui.sidebar import Sidebar

# Conversations listed at first and added per scroll to the end; the listing is an index walk.
PAGE = 200
SEARCH_LIMIT = 50


class SidebarController(QObject):
    def __init__(
        self,
        sidebar: Sidebar,
        store: HistoryStore,
        *,
        current_id: Callable[[], int | None],
        leave_conversation: Callable[[int], None],
        show_problem: Callable[[BaseException], None],
        deleted: Callable[[int], None] = lambda _id: None,
        parent: QObject | None = None,
    ) -> None:
        """`deleted(id)` runs off the UI thread once a conversation is gone from the history."""
        super().__init__(parent)
        self._sidebar = sidebar
        self._deleted = deleted
        self._store = store
        self._current_id = current_id
        self._leave_conversation = leave_conversation  # called before one on screen is deleted
        self._show_problem = show_problem
        self._limit = PAGE
        self._listed = 0  # conversations the last listing returned
        # One search at a time, and only the newest words: typing ahead never queues stale queries.
        self._searching = False
        self._next_query: str | None = None
        self.deletes = PendingDeletes(self._delete_now, self)
        self.deletes.changed.connect(self._deletes_changed)
        sidebar.rename_requested.connect(self.rename)
        sidebar.pin_requested.connect(self.pin)
        sidebar.delete_requested.connect(self.delete)
        sidebar.more_wanted.connect(self._more)
        sidebar.search_changed.connect(self.search)
        sidebar.undo_line.undo_requested.connect(self._undo_last)

    # -- the list --------------------------------------------------------------------------------

    def refresh(self) -> None:
        store, limit = self._store, self._limit
        run_job(lambda: store.list_conversations(limit=limit), self._show, self._show_problem, parent=self)

    def _show(self, records: list[ConversationRecord]) -> None:
        self._listed = len(records)
        hidden = self.deletes.ids
        shown = [r for r in records if r.id not in hidden]
        self._sidebar.set_conversations(shown, self._current_id())

    def _more(self) -> None:
        if self._listed >= self._limit:  # a full page came back: there may be older ones
            self._limit += PAGE
            self.refresh()

    # -- search ----------------------------------------------------------------------------------

    def search(self, query: str) -> None:
        if not query:
            self._next_query = None
            return
        if self._searching:
            self._next_query = query
            return
        self._searching = True
        store = self._store
        run_job(
            lambda: store.search(query, limit=SEARCH_LIMIT),
            lambda hits: self._found(query, hits),
            self._search_failed,
            parent=self,
        )

    def _found(self, query: str, hits: list[SearchHit]) -> None:
        self._searching = False
        hidden = self.deletes.ids
        self._sidebar.show_hits(query, [h for h in hits if h.conversation_id not in hidden])
        self._search_next()

    def _search_failed(self, error: BaseException) -> None:
        self._searching = False
        self._show_problem(error)
        self._search_next()

    def _search_next(self) -> None:
        query, self._next_query = self._next_query, None
        if query:
            self.search(query)

    # -- changes ---------------------------------------------------------------------------------

    def _write(self, write: Callable[[], object]) -> None:
        # Off the UI thread: a delete cascades through the full-text indexes and can wait on SQLite's
        # busy timeout while a document is being indexed.
        run_job(write, lambda _done: self.refresh(), self._show_problem, parent=self)

    def rename(self, conversation_id: int, title: str) -> None:
        self._write(lambda: self._store.rename_conversation(conversation_id, title))

    def pin(self, conversation_id: int, pinned: bool) -> None:
        self._write(lambda: self._store.set_pinned(conversation_id, pinned))

    def delete(self, conversation_id: int, title: str) -> None:
        """Hide it now with an Undo; the history loses it when the Undo time is over."""
        if conversation_id == self._current_id():
            self._leave_conversation(conversation_id)
        self.deletes.schedule(conversation_id)
        self._sidebar.undo_line.show_deleted(title)

    def _undo_last(self) -> None:
        if self.deletes.last is not None:
            self.deletes.undo(self.deletes.last)

    def _delete_now(self, conversation_id: int) -> None:
        store, deleted = self._store, self._deleted

        def delete() -> None:
            store.delete_conversation(conversation_id)
            deleted(conversation_id)  # what else it had: its Python folder

        self._write(delete)

    def _deletes_changed(self) -> None:
        if self.deletes.last is None:
            self._sidebar.undo_line.hide()
        self.refresh()
        if self._sidebar.searching:
            self.search(self._sidebar.search_text())

    def finish(self) -> None:
        """The window is closing: deletes not taken back are carried out now."""
        self.deletes.flush()
