"""The main window: sidebar, model bar, chat view and composer, wired to the inference service and the store.

The window holds no business logic: a turn is run by the inference worker (app.turn on its own
thread), reads of the history go through background jobs, and the window only moves plain data
between them and the widgets.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QIcon,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.config import Settings, save_settings
from app.documents.document import Document
from app.documents.retrieval import load_document
from app.engine import ModelInfo
from app.logs import current_log_file
from app.models.library import InstalledModel, import_model, scan
from app.reply_stats import DocumentUse, ReplyStats
from app.store import AttachmentRecord, ChunkRecord, ConversationRecord, HistoryStore, MessageRecord
from app.turn import TurnResult, default_question
from app.ui.attachments import PendingAttachment, SentAttachment
from app.ui.banner import ErrorBanner
from app.ui.chat_helpers import confirm_and_open
from app.ui.chat_view import ChatView
from app.ui.composer import Composer
from app.ui.document_viewer import DocumentViewer, PassageViewer
from app.ui.downloads import DownloadManager
from app.ui.file_drops import FileDropFilter, local_files
from app.ui.jobs import run_job
from app.ui.message_parts import parse_link
from app.ui.model_bar import ModelBar
from app.ui.model_manager import ModelManagerDialog
from app.ui.reply_widget import ReplyWidget
from app.ui.resources import app_icon_path
from app.ui.sidebar import Sidebar
from app.ui.workers import InferenceService

log = logging.getLogger("hearth.ui")


class MainWindow(QMainWindow):
    # What was sent until it is stored (shown then), or given back to the composer if it fails.
    _pending_user_text: str | None
    _pending_documents: list[Document]
    _pending_attachments: tuple[PendingAttachment, ...]
    # The last document or passage opened from a chip, a citation or a source (one of each at a time).
    document_viewer: DocumentViewer | None = None
    passage_viewer: PassageViewer | None = None

    def __init__(
        self,
        *,
        store: HistoryStore,
        inference: InferenceService,
        settings: Settings,
        settings_path: Path,
        models_dir: Path | None = None,
        data_root: Path | None = None,
    ) -> None:
        super().__init__()
        self._store = store
        self._inference = inference
        self._settings = settings
        self._settings_path = settings_path
        self._conversation_id: int | None = None
        self._streaming = False
        self._live: tuple[int, ReplyWidget] | None = None
        self._forget_pending()  # the message on its way to the worker: nothing yet
        self._loading_model = False
        # The model manager needs both folders; without them (older callers, some tests) it is off.
        self._models_dir = models_dir
        self._data_root = data_root
        self.downloads: DownloadManager | None = None
        self.model_manager: ModelManagerDialog | None = None

        self.setWindowTitle(self.tr("Hearth"))
        self.setWindowIcon(QIcon(str(app_icon_path())))
        self.resize(1120, 760)
        self.setMinimumSize(720, 480)

        self.sidebar = Sidebar(self)
        self.model_bar = ModelBar(self)
        self.banner = ErrorBanner(self)
        self.banner.open_log_requested.connect(self._open_log)
        self.chat_view = ChatView(self)  # follows the palette, light or dark
        self.composer = Composer(self)
        if models_dir is not None and data_root is not None:
            self._add_model_manager(models_dir, data_root)

        right = QWidget(self)
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.model_bar)
        column.addWidget(self.banner)
        column.addWidget(self.chat_view, 1)
        column.addWidget(self.composer)
        splitter = QSplitter(self)
        splitter.addWidget(self.sidebar)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 860])
        self.setCentralWidget(splitter)

        new_chat = QAction(self.tr("New chat"), self)
        new_chat.setShortcut(QKeySequence.StandardKey.New)
        new_chat.triggered.connect(self.new_chat)
        self.addAction(new_chat)
        stop = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        stop.activated.connect(self.stop_reply)

        self._connect()
        self.refresh_conversations()
        if self.downloads is not None and not settings.active_model:
            self._welcome_if_no_model()

    # -- wiring ------------------------------------------------------------------------------

    def _connect(self) -> None:
        # A .gguf dropped on the window is imported and loaded; other files join the next message.
        self.setAcceptDrops(True)
        self._drops = FileDropFilter(self)
        self._drops.watch(self.chat_view)
        self._drops.dropped.connect(self.files_dropped)
        self.sidebar.new_chat_requested.connect(self.new_chat)
        self.sidebar.conversation_selected.connect(self.open_conversation)
        self.sidebar.rename_requested.connect(self._rename)
        self.sidebar.pin_requested.connect(self._pin)
        self.sidebar.delete_requested.connect(self._delete)
        self.model_bar.choose_model_requested.connect(self.choose_model)
        self.model_bar.effort_changed.connect(self._effort_changed)
        self.composer.send_requested.connect(self.send)
        self.composer.stop_requested.connect(self.stop_reply)
        self.composer.refused.connect(self.banner.show_message)
        self.composer.files_offered.connect(self.files_dropped)
        self.composer.attachments.open_requested.connect(self.open_attachment)
        self.chat_view.regenerate_requested.connect(self.regenerate)
        self.chat_view.link_activated.connect(lambda url: confirm_and_open(self, url))
        self.chat_view.document_link_activated.connect(self.open_document_link)
        self.chat_view.attachment_open_requested.connect(self.open_attachment)
        # The service re-emits the worker's signals on the UI thread, so plain callables are safe here.
        service = self._inference
        service.loading.connect(self._model_loading)
        service.loaded.connect(self._model_loaded)
        service.load_failed.connect(self._model_failed)
        service.unloaded.connect(lambda: self.model_bar.set_model(None))
        service.reply_started.connect(self._reply_started)
        service.reply_event.connect(self._reply_event)
        service.reply_documents.connect(self._reply_documents)
        service.reply_finished.connect(self._reply_finished)
        service.reply_failed.connect(self._reply_failed)

    # -- conversations ---------------------------------------------------------------------------

    @property
    def conversation_id(self) -> int | None:
        return self._conversation_id

    def refresh_conversations(self) -> None:
        run_job(self._store.list_conversations, self._show_conversations, self._show_error, parent=self)

    def _show_conversations(self, records: list[ConversationRecord]) -> None:
        self.sidebar.set_conversations(records, self._conversation_id)

    def new_chat(self) -> None:
        self.stop_reply()
        self._conversation_id = None
        self._live = None
        self.chat_view.clear()
        self.model_bar.set_context_used(0)
        self.refresh_conversations()
        self.composer.input.setFocus()

    def open_conversation(self, conversation_id: int) -> None:
        if conversation_id == self._conversation_id:
            return
        self.stop_reply()  # the stopped reply is still saved by the worker
        self._conversation_id = conversation_id
        self._live = None
        self.chat_view.clear()

        def load() -> tuple[
            ConversationRecord | None, list[MessageRecord], dict[int, list[AttachmentRecord]]
        ]:
            thread = self._store.thread(conversation_id)
            attachments = self._store.attachments_for([m.id for m in thread if m.role == "user"])
            return self._store.get_conversation(conversation_id), thread, attachments

        run_job(
            load, lambda result: self._show_thread(conversation_id, *result), self._show_error, parent=self
        )

    def _show_thread(
        self,
        conversation_id: int,
        conversation: ConversationRecord | None,
        thread: list[MessageRecord],
        attachments: dict[int, list[AttachmentRecord]],
    ) -> None:
        if conversation_id != self._conversation_id:
            return  # the user moved on while this loaded
        self.chat_view.set_thread(thread, attachments)
        if conversation and conversation.reasoning_effort:
            self.model_bar.set_effort(conversation.reasoning_effort)
        last_stats = next((m.stats for m in reversed(thread) if m.stats), None)
        used = ReplyStats.from_json(last_stats).context_used
        self.model_bar.set_context_used(used)
        self.refresh_conversations()

    # History writes run off the UI thread: deleting a conversation cascades through the full-text
    # indexes and can wait on SQLite's busy timeout while a document is being indexed.
    def _write(self, write: Callable[[], object]) -> None:
        run_job(write, lambda _done: self.refresh_conversations(), self._show_error, parent=self)

    def _rename(self, conversation_id: int, title: str) -> None:
        self._write(lambda: self._store.rename_conversation(conversation_id, title))

    def _pin(self, conversation_id: int, pinned: bool) -> None:
        self._write(lambda: self._store.set_pinned(conversation_id, pinned))

    def _delete(self, conversation_id: int) -> None:
        if conversation_id == self._conversation_id:
            self.new_chat()
        self._write(lambda: self._store.delete_conversation(conversation_id))

    def _effort_changed(self, effort: str) -> None:
        conversation_id = self._conversation_id
        if conversation_id is not None:
            self._write(
                lambda: self._store.set_conversation_options(conversation_id, reasoning_effort=effort)
            )

    # -- models --------------------------------------------------------------------------------

    def choose_model(self) -> None:
        start = (
            str(Path(self._settings.active_model).parent) if self._settings.active_model else str(Path.home())
        )
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Choose a model"), start, self.tr("GGUF models (*.gguf);;All files (*)")
        )
        if path:
            self.load_model(path)

    def _add_model_manager(self, models_dir: Path, data_root: Path) -> None:
        self.downloads = DownloadManager(models_dir, data_root, self)
        self.models_button = QPushButton(self.tr("Models…"), self.model_bar)
        self.models_button.setAccessibleName(self.tr("Download, import or remove models"))
        self.models_button.clicked.connect(self._models_clicked)
        bar_layout = self.model_bar.layout()
        assert isinstance(bar_layout, QHBoxLayout)
        bar_layout.insertWidget(bar_layout.indexOf(self.model_bar.choose_button) + 1, self.models_button)

    def _models_clicked(self) -> None:
        self.open_model_manager()

    def _welcome_if_no_model(self) -> None:
        """First run: no active model and none usable in the models folder, so offer the manager."""
        assert self._models_dir is not None
        models_dir = self._models_dir

        def open_if_empty(models: list[InstalledModel]) -> None:
            if not any(m.usable for m in models) and self._inference.model_info is None:
                self.open_model_manager(welcome=True)

        run_job(lambda: scan(models_dir), open_if_empty, self._show_error, parent=self)

    def open_model_manager(self, *, welcome: bool = False) -> ModelManagerDialog | None:
        if self.downloads is None or self._models_dir is None or self._data_root is None:
            return None
        if self.model_manager is None:
            self.model_manager = ModelManagerDialog(
                models_dir=self._models_dir,
                data_root=self._data_root,
                downloads=self.downloads,
                n_ctx=self._settings.n_ctx,
                parent=self,
            )
            self.model_manager.use_model_requested.connect(self._use_model)
        else:
            self.model_manager.refresh_installed()
        self.model_manager.set_welcome(welcome)
        self.model_manager.show()
        self.model_manager.activateWindow()
        return self.model_manager

    @staticmethod
    def _dropped_model(mime: QMimeData) -> Path | None:
        for url in mime.urls():
            if url.isLocalFile() and url.toLocalFile().lower().endswith(".gguf"):
                return Path(url.toLocalFile())
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if self._dropped_model(mime) is not None or local_files(mime.urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        model = self._dropped_model(mime)
        if model is not None:
            event.acceptProposedAction()
            self._import_model(model)
            return
        paths = local_files(mime.urls())
        if paths:
            event.acceptProposedAction()
            self.files_dropped(paths)

    def files_dropped(self, paths: Sequence[str]) -> None:
        """Files dropped or pasted anywhere: a model is imported, anything else joins the next message."""
        models = [p for p in paths if p.lower().endswith(".gguf")]
        if models:
            self._import_model(Path(models[0]))
        others = [p for p in paths if not p.lower().endswith(".gguf")]
        if others:
            self.composer.attach_files(others)

    def _import_model(self, path: Path) -> None:
        models_dir = self._models_dir
        if models_dir is None:
            self.load_model(str(path))
            return
        # Copied into the models folder first (a few GB: off the UI thread), so it stays available.
        run_job(
            lambda: import_model(path, models_dir),
            lambda model: self.load_model(str(model.path)),
            self._show_error,
            parent=self,
        )

    def _use_model(self, path: str) -> None:
        if self.model_manager is not None:
            self.model_manager.hide()
        self.load_model(path)

    def load_model(self, path: str) -> None:
        self.stop_reply()
        self.banner.hide()
        # Known at once, not when the worker gets to it: a send in between must wait for this model.
        self._model_loading(path)
        self._inference.load_model(path, self._settings.n_ctx)

    def _model_loading(self, path: str) -> None:
        self._loading_model = True
        self.model_bar.set_loading(Path(path).name)

    def _model_loaded(self, info: ModelInfo) -> None:
        self._loading_model = False
        self.model_bar.set_model(info)
        self.banner.hide()
        if self._settings.active_model != str(info.path):
            self._settings = self._settings.replace(active_model=str(info.path))
            try:
                save_settings(self._settings_path, self._settings)
            except OSError as exc:
                self._show_error(exc)

    def _model_failed(self, message: str) -> None:
        self._loading_model = False
        self.model_bar.set_model(self._inference.model_info)
        self.banner.show_message(message)

    # -- a turn ----------------------------------------------------------------------------------

    def send(self, text: str, documents: Sequence[Document] = ()) -> None:
        if self._streaming:
            return
        info = self._inference.model_info
        if self._loading_model:
            self.banner.show_message(self.tr("The model is still loading. Send again in a moment."))
            return
        if info is None:
            self.banner.show_message(self.tr("Choose a model first: click “Choose model…” above the chat."))
            return
        effort = self.model_bar.current_effort()
        if self._conversation_id is None:
            self._conversation_id = self._store.create_conversation(model=info.name, reasoning_effort=effort)
        self.banner.hide()
        self._pending_attachments = self.composer.clear()
        self._pending_user_text = text
        self._pending_documents = list(documents)
        self._set_streaming(True)
        self._inference.ask(self._conversation_id, text, effort, self._pending_documents)

    def _forget_pending(self) -> None:
        self._pending_user_text = None
        self._pending_documents = []
        self._pending_attachments = ()

    def regenerate(self, reply_id: int) -> None:
        if self._streaming or self._conversation_id is None or self._inference.model_info is None:
            return
        conversation_id = self._conversation_id
        effort = self.model_bar.current_effort()
        store = self._store
        # Claimed now, so a second click or a send waits while the thread loads off the UI thread.
        self._set_streaming(True)

        def load() -> tuple[int, list[MessageRecord], dict[int, list[AttachmentRecord]]] | None:
            reply = store.get_message(reply_id)
            if reply is None or reply.parent_id is None:
                return None
            thread = store.thread(conversation_id, reply.parent_id)
            return reply.parent_id, thread, store.attachments_for([m.id for m in thread if m.role == "user"])

        def loaded(found: tuple[int, list[MessageRecord], dict[int, list[AttachmentRecord]]] | None) -> None:
            if found is None or conversation_id != self._conversation_id:
                self._set_streaming(False)  # the reply is gone, or the user moved on meanwhile
                return
            question_id, thread, attachments = found
            self.chat_view.set_thread(thread, attachments)
            self._forget_pending()  # a regenerated reply answers a stored question, not a new one
            self._inference.regenerate(conversation_id, question_id, effort)

        def failed(error: BaseException) -> None:
            self._set_streaming(False)
            self._show_error(error)

        run_job(load, loaded, failed, parent=self)

    def stop_reply(self) -> None:
        if self._streaming:
            self._inference.cancel()

    def _set_streaming(self, streaming: bool) -> None:
        self._streaming = streaming
        self.composer.set_streaming(streaming)

    def _reply_started(self, conversation_id: int, user_message_id: int, reply_message_id: int) -> None:
        if conversation_id != self._conversation_id:
            return
        if self._pending_user_text is not None:
            documents = self._pending_documents
            # As stored: a message of documents alone asks the default question (app.turn).
            text = self._pending_user_text or (default_question(documents) if documents else "")
            sent = [SentAttachment.from_document(d) for d in documents]
            self.chat_view.add_user_message(user_message_id, text, sent)
            self._forget_pending()
        self._live = (reply_message_id, self.chat_view.begin_reply(reply_message_id))
        self.refresh_conversations()

    def _reply_event(self, reply_message_id: int, kind: str, text: str) -> None:
        if self._live is None or self._live[0] != reply_message_id:
            return
        widget = self._live[1]
        if kind == "reasoning":
            widget.append_reasoning(text)
        else:
            widget.append_answer(text)

    def _reply_documents(self, reply_message_id: int, uses: list[DocumentUse]) -> None:
        if self._live is not None and self._live[0] == reply_message_id:
            self._live[1].set_documents(uses)

    def _reply_finished(self, result: TurnResult) -> None:
        self._set_streaming(False)
        if self._live is not None and self._live[0] == result.reply_message_id:
            # Exactly what was saved on the reply, so it looks the same when the thread is opened again.
            stats = result.reply_stats
            self._live[1].finish(result.status, stats)
            if result.stats:
                self.model_bar.set_context_used(stats.context_used)
        self._live = None
        self.refresh_conversations()

    def _reply_failed(self, conversation_id: int, message: str) -> None:
        self._set_streaming(False)
        if self._live is None and self._pending_user_text is not None:
            # Nothing was stored (e.g. no model): give the words and documents back so nothing is lost.
            self.composer.restore(self._pending_user_text, self._pending_attachments)
        elif self._live is not None and conversation_id == self._conversation_id:
            self._live[1].finish("error", ReplyStats(), message)
        self._forget_pending()
        self._live = None
        self.banner.show_message(message)

    # -- documents -------------------------------------------------------------------------------

    def open_attachment(self, item: object) -> None:
        """A chip was clicked: show the text read from it (from memory, or loaded from the store)."""
        if isinstance(item, PendingAttachment):
            if item.document is not None:
                self._show_document(item.document)
            elif item.error:
                self.banner.show_message(f"{item.name}: {item.error}")
        elif isinstance(item, SentAttachment):
            if item.document is not None:
                self._show_document(item.document)
            elif item.attachment_id is not None:
                self._load_document(item.attachment_id, None)

    def open_document_link(self, url: str) -> None:
        """A citation or a source was clicked (hearth-passage: / hearth-document:): show it in the app."""
        link = parse_link(url)
        if link is None:
            return
        if link.chunk_id is not None:
            chunk_id = link.chunk_id
            run_job(
                lambda: self._store.get_chunk(chunk_id), self._show_passage, self._show_error, parent=self
            )
        elif link.attachment_id is not None:
            self._load_document(link.attachment_id, link.page)

    def _load_document(self, attachment_id: int, page: int | None) -> None:
        run_job(
            lambda: load_document(self._store, attachment_id),
            lambda document: self._show_document(document, page),
            self._show_error,
            parent=self,
        )

    def _show_document(self, document: Document | None, page: int | None = None) -> None:
        if document is None:
            self.banner.show_message(self.tr("That document is no longer in the history."))
            return
        if self.document_viewer is not None:  # one at a time: the new one replaces it
            self.document_viewer.close()
            self.document_viewer.deleteLater()
        self.document_viewer = DocumentViewer(document, self)
        self.document_viewer.show()
        if page:
            self.document_viewer.show_page(page)

    def _show_passage(self, chunk: ChunkRecord | None) -> None:
        if chunk is None:
            self.banner.show_message(self.tr("That passage is no longer in the history."))
            return
        if self.passage_viewer is not None:
            self.passage_viewer.close()
            self.passage_viewer.deleteLater()
        self.passage_viewer = PassageViewer(
            chunk.attachment_name, chunk.page, chunk.text, chunk.attachment_id, self
        )
        self.passage_viewer.open_document_requested.connect(
            lambda attachment_id, page: self._load_document(attachment_id, page or None)
        )
        self.passage_viewer.show()

    def _show_error(self, error: BaseException) -> None:
        # run_job has already logged a bug with its stack; the user gets plain words either way.
        self.banner.show_problem(error)

    def _open_log(self) -> None:
        log_file = current_log_file()
        if log_file is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_file)))

    # -- closing ---------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        # Documents still being read are stopped: their child processes end now, not when done.
        self.composer.attachments.clear()
        # A reply still streaming is cancelled; the worker saves it as "stopped" before it exits.
        if self.downloads is not None:
            self.downloads.shutdown()  # paused: the part files stay, so the next start resumes them
        if not self._inference.shutdown(timeout_ms=2000):
            log.warning("the inference thread did not stop within 2 s")
        event.accept()
