"""Opening what a conversation refers to: an attachment chip, a cited passage, a listed source.

Each opens in a read-only viewer (one document and one passage at a time); what must come from the
history is loaded through run_job, and a problem goes to the `show_problem` / `show_message` the
window passes in.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from app.documents.document import Document
from app.documents.retrieval import load_document
from app.store import ChunkRecord, HistoryStore
from app.ui.attachments import PendingAttachment, SentAttachment
from app.ui.document_viewer import DocumentViewer, PassageViewer
from app.ui.jobs import run_job
from app.ui.message_parts import parse_link


class DocumentOpener(QObject):
    # The last document or passage opened (one of each at a time: a new one replaces it).
    document_viewer: DocumentViewer | None = None
    passage_viewer: PassageViewer | None = None

    def __init__(
        self,
        store: HistoryStore,
        window: QWidget,
        show_message: Callable[[str], None],
        show_problem: Callable[[BaseException], None],
    ) -> None:
        super().__init__(window)
        self._store = store
        self._window = window
        self._show_message = show_message
        self._show_problem = show_problem

    def open_attachment(self, item: object) -> None:
        """A chip was clicked: show the text read from it (from memory, or loaded from the store)."""
        if isinstance(item, PendingAttachment):
            if item.document is not None:
                self._show_document(item.document)
            elif item.error:
                self._show_message(f"{item.name}: {item.error}")
        elif isinstance(item, SentAttachment):
            if item.document is not None:
                self._show_document(item.document)
            elif item.attachment_id is not None:
                self._load_document(item.attachment_id, None)

    def open_link(self, url: str) -> None:
        """A citation or a source was clicked (hearth-passage: / hearth-document:): show it in the app."""
        link = parse_link(url)
        if link is None:
            return
        if link.chunk_id is not None:
            chunk_id = link.chunk_id
            run_job(
                lambda: self._store.get_chunk(chunk_id), self._show_passage, self._show_problem, parent=self
            )
        elif link.attachment_id is not None:
            self._load_document(link.attachment_id, link.page)

    def _load_document(self, attachment_id: int, page: int | None) -> None:
        run_job(
            lambda: load_document(self._store, attachment_id),
            lambda document: self._show_document(document, page),
            self._show_problem,
            parent=self,
        )

    def _show_document(self, document: Document | None, page: int | None = None) -> None:
        if document is None:
            self._show_message(self.tr("That document is no longer in the history."))
            return
        if self.document_viewer is not None:
            self.document_viewer.close()
            self.document_viewer.deleteLater()
        self.document_viewer = DocumentViewer(document, self._window)
        self.document_viewer.show()
        if page:
            self.document_viewer.show_page(page)

    def _show_passage(self, chunk: ChunkRecord | None) -> None:
        if chunk is None:
            self._show_message(self.tr("That passage is no longer in the history."))
            return
        if self.passage_viewer is not None:
            self.passage_viewer.close()
            self.passage_viewer.deleteLater()
        self.passage_viewer = PassageViewer(
            chunk.attachment_name, chunk.page, chunk.text, chunk.attachment_id, self._window
        )
        self.passage_viewer.open_document_requested.connect(
            lambda attachment_id, page: self._load_document(attachment_id, page or None)
        )
        self.passage_viewer.show()
