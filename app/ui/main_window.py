"""The main window: sidebar, model bar, chat view and composer, wired to the inference service and the store.

The window holds no business logic: the conversation on screen and its turns belong to the
ConversationController (a turn runs on the inference worker), documents and passages open through the
DocumentOpener, and every read or write of the history goes through run_job. The window builds the
widgets, wires them, and handles the models and the sidebar's requests.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
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
from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter, QVBoxLayout, QWidget

from app.config import Paths, Settings
from app.diagnostics import diagnostics
from app.logs import current_log_file
from app.presets import shown_name
from app.store import HistoryStore
from app.ui.about_dialog import AboutDialog
from app.ui.banner import ErrorBanner
from app.ui.chat_helpers import confirm_and_open, copy_to_clipboard
from app.ui.chat_view import ChatView
from app.ui.composer import Composer
from app.ui.conversation_controller import ConversationController
from app.ui.conversation_panel import ConversationSettings, InstructionsLine
from app.ui.conversation_screen import ConversationScreen
from app.ui.document_opener import DocumentOpener
from app.ui.downloads import DownloadManager
from app.ui.file_drops import FileDropFilter, local_files
from app.ui.help_window import GuideWindow
from app.ui.inference_requests import ReplyDefaults
from app.ui.jobs import run_job
from app.ui.menus import add_menus
from app.ui.model_bar import ModelBar
from app.ui.model_controller import ModelController
from app.ui.model_manager import ModelManagerDialog
from app.ui.resources import app_icon_path
from app.ui.settings_controller import LOAD_FIELDS, SettingsController, changed_fields
from app.ui.settings_privacy_page import DataFolders
from app.ui.settings_window import SettingsWindow
from app.ui.shortcut_sheet import ShortcutSheet
from app.ui.sidebar import Sidebar
from app.ui.sidebar_controller import SidebarController
from app.ui.theme import apply_theme
from app.ui.transfer_actions import TransferActions
from app.ui.window_tools import WindowTools
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
        language: str = "en",
    ) -> None:
        super().__init__()
        self._store = store
        self._inference = inference
        self._language = language  # the one on screen; a new choice in Settings takes a restart
        self._paths = Paths(data_root or settings_path.parent)
        self.settings = SettingsController(settings, settings_path, self._show_error, self)
        self.settings_window: SettingsWindow | None = None
        self.guide: GuideWindow | None = None

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
        self.tools = WindowTools(self._paths.sandbox_dir, inference, self.settings, self)
        self.conversation = ConversationController(screen, store, inference, self, left=self.tools.left)
        self.conversation_settings = ConversationSettings(
            self.conversation, self._paths.presets_file, self, self._show_error, tools=self.tools
        )
        self.conversations = SidebarController(
            self.sidebar,
            store,
            current_id=lambda: self.conversation.conversation_id,
            leave_conversation=lambda _id: self.new_chat(),
            show_problem=self._show_error,
            deleted=self.tools.deleted,
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
        # The Models window needs both folders; without them (some tests) it is off.
        self.models = ModelController(
            window=self,
            bar=self.model_bar,
            banner=self.banner,
            inference=inference,
            settings=self.settings,
            before_load=self._before_load,
            models_dir=models_dir,
            data_root=data_root if models_dir is not None else None,
        )

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
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)

        self._add_menus()
        self._connect()
        self._use_settings(None, settings)
        self.composer.input.setFocus()  # ready to type, rather than in the search field
        self.refresh_conversations()

    def start(self, *, load_last_model: bool = True) -> None:
        """The window is on screen: load the last used model (or the only one, or welcome a new user)."""
        self.models.start(load_last=load_last_model)

    # -- wiring ------------------------------------------------------------------------------

    def _add_menus(self) -> None:
        add_menus(
            self,
            new_chat=self.new_chat,
            search=self.sidebar.focus_search,
            open_model=self.models.open_file,
            manage_models=self.models.open_manager,
            attach=self.composer.choose_and_attach,
            import_conversations=self.transfers.choose_import,
            export_all=self.transfers.export_all,
            settings=self.open_settings,
            guide=self.open_guide,
            shortcut_sheet=lambda: ShortcutSheet(self).open(),
            diagnostics=self.copy_diagnostics,
            about=lambda: AboutDialog(self).open(),
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
        self.model_bar.effort_changed.connect(self.conversation.set_effort)
        self.model_bar.thinking_changed.connect(lambda on: self.settings.update(thinking=on))
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
            lambda presets: self.chat_view.set_presets([(p.name, shown_name(p)) for p in presets])
        )
        # The built-in presets at once; the user's own join them once presets.json is read.
        self.chat_view.set_presets([(p.name, shown_name(p)) for p in self.conversation_settings.presets])
        self.instructions.edit_requested.connect(self.conversation_settings.open_panel)
        self.model_bar.settings_requested.connect(self.conversation_settings.open_panel)
        self.chat_view.link_activated.connect(lambda url: confirm_and_open(self, url))
        self.chat_view.document_link_activated.connect(self.documents.open_link)
        self.chat_view.attachment_open_requested.connect(self.documents.open_attachment)
        self._inference.title_written.connect(lambda _id, _title: self.refresh_conversations())
        self.settings.changed.connect(self._use_settings)

    # -- settings --------------------------------------------------------------------------------

    def open_settings(self, section: str = "model") -> SettingsWindow:
        """Settings, fresh from the current values (and the loaded model's memory figures)."""
        if self.settings_window is not None:
            self.settings_window.close()
            self.settings_window.deleteLater()
        paths = self._paths
        window = SettingsWindow(
            self.settings.settings,
            model=self._inference.model_info,
            running_language=self._language,
            folders=DataFolders(history=self._store.path.parent, models=paths.models_dir, logs=paths.log_dir),
            delete_all=self.delete_all_conversations,
            show_problem=self._show_error,
            parent=self,
        )
        window.applied.connect(self._settings_applied)
        window.show_section(section)
        window.open()
        self.settings_window = window
        return window

    def _settings_applied(self, new: Settings) -> None:
        # The model may have changed while Settings was open: that one is kept.
        self.settings.replace(new.replace(active_model=self.settings.settings.active_model))

    def _use_settings(self, old: Settings | None, new: Settings) -> None:
        """Put settings into effect: all of them at start (`old` None), then only what changed."""
        changed = changed_fields(old, new) if old is not None else None
        if old is not None and "theme" in (changed or ()):
            app = QApplication.instance()
            if isinstance(app, QApplication):
                apply_theme(app, new.theme)
        self.chat_view.set_text_scale(new.text_scale)
        self.chat_view.set_chat_width(new.chat_width)
        self._inference.set_reply_defaults(
            ReplyDefaults(new.temperature, new.top_p, new.max_tokens, new.thinking)
        )
        self.model_bar.set_thinking(new.thinking)
        self.conversation.default_effort = new.reasoning_effort
        if self.conversation.conversation_id is None and (changed is None or "reasoning_effort" in changed):
            self.model_bar.set_effort(new.reasoning_effort)  # where the next new conversation starts
        if changed is not None and changed & LOAD_FIELDS:
            self.models.reload()

    def delete_all_conversations(
        self, on_done: Callable[[int], None], on_error: Callable[[BaseException], None]
    ) -> None:
        """Delete the whole history (Settings asked, and the user confirmed); a reply stops first."""
        self.stop_reply()
        self.new_chat()
        store, tools = self._store, self.tools

        def done(count: int) -> None:
            self.refresh_conversations()
            on_done(count)

        run_job(lambda: tools.deleted_all(store.delete_all_conversations), done, on_error, parent=self)

    # -- help ------------------------------------------------------------------------------------

    def open_guide(self, topic: str | None = None) -> GuideWindow:
        if self.guide is None:
            self.guide = GuideWindow(self._language, self)
        if topic is not None:
            self.guide.show_topic(topic)
        self.guide.show()
        self.guide.activateWindow()
        return self.guide

    def copy_diagnostics(self) -> None:
        """Help > Copy diagnostics: the text of `hearth doctor`, with the model as it is loaded now."""
        paths, settings, loaded = self._paths, self.settings.settings, self._inference.model_info

        def copied(text: str) -> None:
            copy_to_clipboard(text)
            self.banner.show_notice(self.tr("Diagnostics copied: paste them into your bug report."))

        run_job(lambda: diagnostics(paths, settings, loaded), copied, self._show_error, parent=self)

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

    @property
    def downloads(self) -> DownloadManager | None:
        return self.models.downloads

    @property
    def model_manager(self) -> ModelManagerDialog | None:
        return self.models.manager

    def load_model(self, path: str) -> None:
        self.models.load(path)

    def _before_load(self) -> None:
        self.stop_reply()
        # Known at once, not when the worker gets to it: a send in between must wait for this model.
        self.conversation.model_requested()

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
            self.models.import_model(model)
            return
        paths = local_files(mime.urls())
        if paths:
            event.acceptProposedAction()
            self.files_dropped(paths)

    def files_dropped(self, paths: Sequence[str]) -> None:
        """Files dropped or pasted anywhere: a model is imported, anything else joins the next message."""
        models = [p for p in paths if p.lower().endswith(".gguf")]
        if models:
            self.models.import_model(Path(models[0]))
        others = [p for p in paths if not p.lower().endswith(".gguf")]
        if others:
            self.composer.attach_files(others)

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
        self.models.shutdown()
        if not self._inference.shutdown(timeout_ms=2000):
            log.warning("the inference thread did not stop within 2 s")
        self.tools.close()  # after the worker: a reply running Python is cancelled first
        self.settings.wait_for_saves()
        event.accept()
