"""The main window: sidebar, model bar, chat view and composer, wired to the inference service and the store.

The window holds no business logic: the conversation on screen and its turns belong to the
ConversationController (a turn runs on the inference worker), documents and passages open through the
DocumentOpener, and every read or write of the history goes through run_job. The window builds the
widgets, wires them, and handles the models and the sidebar's requests.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtGui import (
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

from app.config import Paths, Settings, save_settings
from app.engine import ModelInfo
from app.logs import current_log_file
from app.models.library import InstalledModel, import_model, scan
from app.store import HistoryStore
from app.ui.banner import ErrorBanner
from app.ui.chat_helpers import confirm_and_open
from app.ui.chat_view import ChatView
from app.ui.composer import Composer
from app.ui.conversation_controller import ConversationController
from app.ui.conversation_panel import ConversationSettings, InstructionsLine
from app.ui.conversation_screen import ConversationScreen
from app.ui.document_opener import DocumentOpener
from app.ui.downloads import DownloadManager
from app.ui.file_drops import FileDropFilter, local_files
from app.ui.jobs import run_job
from app.ui.menus import add_file_menu
from app.ui.model_bar import ModelBar
from app.ui.model_manager import ModelManagerDialog
from app.ui.resources import app_icon_path
from app.ui.sidebar import Sidebar
from app.ui.sidebar_controller import SidebarController
from app.ui.transfer_actions import TransferActions
from app.ui.workers import InferenceService

log = logging.getLogger("hearth.ui")


class MainWindow(QMainWindow):
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
        self.instructions = InstructionsLine(self)
        screen = ConversationScreen(
            chat_view=self.chat_view,
            composer=self.composer,
            model_bar=self.model_bar,
            banner=self.banner,
            instructions=self.instructions,
            conversations_changed=self.refresh_conversations,
        )
        self.conversation = ConversationController(screen, store, inference, self)
        self.conversation_settings = ConversationSettings(
            self.conversation, Paths(settings_path.parent).presets_file, self, self._show_error
        )
        self.conversations = SidebarController(
            self.sidebar,
            store,
            current_id=lambda: self.conversation.conversation_id,
            leave_conversation=lambda _id: self.new_chat(),
            show_problem=self._show_error,
            parent=self,
        )
        self.documents = DocumentOpener(store, self, self.banner.show_message, self._show_error)
        self.transfers = TransferActions(
            store,
            self,
            show_notice=self.banner.show_notice,
            show_problem=self._show_error,
            imported=lambda _summary: self.refresh_conversations(),
        )
        if models_dir is not None and data_root is not None:
            self._add_model_manager(models_dir, data_root)

        right = QWidget(self)
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.model_bar)
        column.addWidget(self.banner)
        column.addWidget(self.instructions)
        column.addWidget(self.chat_view, 1)
        column.addWidget(self.composer)
        splitter = QSplitter(self)
        splitter.addWidget(self.sidebar)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 860])
        self.setCentralWidget(splitter)

        self._add_shortcuts()
        self._connect()
        self.composer.input.setFocus()  # ready to type, rather than in the search field
        self.refresh_conversations()
        if self.downloads is not None and not settings.active_model:
            self._welcome_if_no_model()

    # -- wiring ------------------------------------------------------------------------------

    def _add_shortcuts(self) -> None:
        add_file_menu(
            self,
            new_chat=self.new_chat,
            search=self.sidebar.focus_search,
            import_conversations=self.transfers.choose_import,
            export_all=self.transfers.export_all,
        )
        stop = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        stop.activated.connect(self.stop_reply)

    def _connect(self) -> None:
        # A .gguf dropped on the window is imported and loaded; other files join the next message.
        self.setAcceptDrops(True)
        self._drops = FileDropFilter(self)
        self._drops.watch(self.chat_view)
        self._drops.dropped.connect(self.files_dropped)
        self.sidebar.new_chat_requested.connect(self.new_chat)
        self.sidebar.conversation_selected.connect(self.open_conversation)
        self.sidebar.hit_chosen.connect(self.conversation.open_at)
        self.sidebar.export_requested.connect(lambda cid, title: self.transfers.export([cid], title))
        self.model_bar.choose_model_requested.connect(self.choose_model)
        self.model_bar.effort_changed.connect(self.conversation.set_effort)
        self.composer.send_requested.connect(self.conversation.send)
        self.composer.stop_requested.connect(self.stop_reply)
        self.composer.refused.connect(self.banner.show_message)
        self.composer.files_offered.connect(self.files_dropped)
        self.composer.attachments.open_requested.connect(self.documents.open_attachment)
        self.chat_view.regenerate_requested.connect(self.conversation.regenerate)
        self.chat_view.edit_submitted.connect(self.conversation.edit)
        self.chat_view.sibling_chosen.connect(self.conversation.show_version)
        self.chat_view.preset_chosen.connect(self._start_from_preset)
        self.conversation_settings.presets_changed.connect(
            lambda presets: self.chat_view.set_presets([p.name for p in presets])
        )
        # The built-in presets at once; the user's own join them once presets.json is read.
        self.chat_view.set_presets([p.name for p in self.conversation_settings.presets])
        self.instructions.edit_requested.connect(self.conversation_settings.open_panel)
        self.model_bar.settings_requested.connect(self.conversation_settings.open_panel)
        self.chat_view.link_activated.connect(lambda url: confirm_and_open(self, url))
        self.chat_view.document_link_activated.connect(self.documents.open_link)
        self.chat_view.attachment_open_requested.connect(self.documents.open_attachment)
        # The service re-emits the worker's signals on the UI thread, so plain callables are safe here.
        service = self._inference
        service.loading.connect(self._model_loading)
        service.loaded.connect(self._model_loaded)
        service.load_failed.connect(self._model_failed)
        service.unloaded.connect(lambda: self.model_bar.set_model(None))
        service.title_written.connect(lambda _id, _title: self.refresh_conversations())

    # -- conversations ---------------------------------------------------------------------------

    @property
    def conversation_id(self) -> int | None:
        return self.conversation.conversation_id

    def refresh_conversations(self) -> None:
        self.conversations.refresh()

    def new_chat(self) -> None:
        self.conversation.new_conversation()
        self.composer.input.setFocus()

    def _start_from_preset(self, name: str) -> None:
        self.conversation_settings.start_from(name)
        self.composer.input.setFocus()

    def open_conversation(self, conversation_id: int) -> None:
        self.conversation.open_conversation(conversation_id)

    def stop_reply(self) -> None:
        self.conversation.stop()

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
        self.conversation.model_requested()
        self._model_loading(path)
        self._inference.load_model(path, self._settings.n_ctx)

    def _model_loading(self, path: str) -> None:
        self.model_bar.set_loading(Path(path).name)

    def _model_loaded(self, info: ModelInfo) -> None:
        self.model_bar.set_model(info)
        self.banner.hide()
        if self._settings.active_model != str(info.path):
            self._settings = settings = self._settings.replace(active_model=str(info.path))
            settings_path = self._settings_path
            run_job(
                lambda: save_settings(settings_path, settings),
                lambda _saved: None,
                self._show_error,
                parent=self,
            )

    def _model_failed(self, message: str) -> None:
        self.model_bar.set_model(self._inference.model_info)
        self.banner.show_message(message)

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
        self.conversations.finish()  # deletes not taken back happen now (the app waits for them)
        # A reply still streaming is cancelled; the worker saves it as "stopped" before it exits.
        if self.downloads is not None:
            self.downloads.shutdown()  # paused: the part files stay, so the next start resumes them
        if not self._inference.shutdown(timeout_ms=2000):
            log.warning("the inference thread did not stop within 2 s")
        event.accept()
