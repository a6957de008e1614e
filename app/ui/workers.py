"""The inference worker: a long-lived thread that owns the Engine and runs one request at a time
(load a model, answer, regenerate), with its results coming back as signals on the UI thread.
Everything else goes through run_job: app.ui.jobs holds the whole background-work contract.

Thread rules that shape this module:
- A queued slot cannot run while the worker thread is busy generating, so cancelling sets a
  `threading.Event` that the engine checks between tokens and inside llama.cpp (see DESIGN.md).
  Each request carries its own event, made when it is asked for: a Stop pressed before the worker
  reaches the request still stops it, and a Stop meant for an earlier reply never reaches a later one.
- PySide runs a lambda or plain function connected to a worker signal on the *worker* thread, even
  with a queued connection; only methods of QObjects living on the UI thread are called there. So
  the service re-emits every worker signal from the UI thread, where any callable is safe.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot

from app.auto_title import write_title
from app.documents.document import Document
from app.engine import Engine, ModelInfo, NoModelLoaded
from app.errors import UserError
from app.presets import ConversationOptions
from app.store import HistoryStore
from app.tools.tool_sessions import ToolSessions
from app.turn import TurnResult, add_question, reply_to
from app.ui.inference_requests import ModelLoad, Question, ReplyDefaults
from app.ui.messages import plain_message
from app.ui.text_coalescer import COALESCE_MS, ReplyEvents

log = logging.getLogger("hearth.ui")


class InferenceWorker(QObject):
    """Owns the Engine on its own thread; its slots run there, one request at a time.

    Connect its signals only to methods of QObjects on the UI thread (or use InferenceService's
    copies of them): a lambda connected here would run on the worker thread.
    """

    loading = Signal(str)  # model path
    loaded = Signal(object)  # ModelInfo
    load_failed = Signal(str)  # plain words
    unloaded = Signal()  # no model is loaded any more (unload, or a failed load replaced it)
    reply_started = Signal(int, int, int)  # conversation id (a new one's, too), user message id, reply id
    reply_event = Signal(int, str, str)  # reply message id, "reasoning" | "answer", new text
    reply_documents = Signal(int, object)  # reply message id, how each attachment is used: list[DocumentUse]
    reply_tool = Signal(int, object)  # reply message id, what one of gpt-oss's tools did: ToolActivity
    reply_finished = Signal(object)  # TurnResult; status "done" or "stopped" (a cancel is no error)
    reply_failed = Signal(int, str)  # conversation id (0: a new one, not created), plain words
    title_written = Signal(int, str)  # conversation id, the title the model wrote after its first reply

    def __init__(
        self,
        engine: Engine,
        store: HistoryStore,
        *,
        coalesce_ms: int = COALESCE_MS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self._engine = engine
        self._store = store
        self._coalesce_s = coalesce_ms / 1000
        self._clock = clock
        self._cancel = threading.Event()  # the running request's
        self._closed = threading.Event()
        # Replaced whole from the UI thread (one reference assignment), read once per reply here.
        self.reply_defaults = ReplyDefaults()
        self.tool_sessions: ToolSessions | None = None  # gpt-oss's tools: none until the window sets them

    def close(self) -> None:
        """Cancel the current reply and refuse requests still queued; used on shutdown. Thread-safe."""
        self._closed.set()
        self._cancel.set()

    # Slots: they run on the worker thread.

    @Slot(str, object)
    def load_model(self, path: str, load: ModelLoad) -> None:
        if self._closed.is_set():
            return
        had_model = self._engine.is_loaded
        self.loading.emit(path)
        try:
            info = self._engine.load(
                path, n_ctx=load.n_ctx, n_threads=load.n_threads, n_gpu_layers=load.n_gpu_layers
            )
        except Exception as exc:
            self._log_if_bug(exc, "loading a model")
            self.load_failed.emit(plain_message(exc))
        else:
            self.loaded.emit(info)
        finally:
            # The engine frees the old model before opening the new one, so a failure can leave none.
            if had_model and not self._engine.is_loaded:
                self.unloaded.emit()

    @Slot(object, object)
    def ask(self, cancel: threading.Event, question: Question) -> None:
        """Store the question and answer it; conversation 0 means a new one, created here."""
        conversation_id = question.conversation_id

        def stored() -> tuple[int, int]:
            # Created only once a model is known to be loaded: a failed send leaves the history as it was.
            target = conversation_id or self._create_conversation(question)
            message_id = add_question(
                self._store, target, question.text, question.documents, replacing=question.replacing
            )
            return target, message_id

        result = self._reply(cancel, conversation_id, stored, question.effort)
        if result is not None and conversation_id == 0 and result.status == "done":
            self._write_title(result.conversation_id, question.title_cancel)

    def _write_title(self, conversation_id: int, cancel: threading.Event) -> None:
        """A new conversation's title, by the model, after its first reply; any next request cancels it."""
        if cancel.is_set() or self._closed.is_set():
            return
        self._cancel = cancel  # shutdown stops it like a reply
        try:
            title = write_title(self._engine, self._store, conversation_id, cancel)
        except Exception as exc:
            # Never shown: the question's first words stay the title, which is all the user loses.
            self._log_if_bug(exc, "writing a title")
            return
        if title is not None:
            self.title_written.emit(conversation_id, title)

    def _create_conversation(self, question: Question) -> int:
        options = question.options or ConversationOptions()
        created = self._store.create_conversation(
            model=self._engine.info.name if self._engine.info else None,
            reasoning_effort=question.effort,
            system_prompt=options.system_prompt or None,
        )
        settings = dict(question.settings)  # the tools' switches, if set in its panel before it existed
        if options.temperature is not None:
            settings["temperature"] = options.temperature
        if settings:
            self._store.set_conversation_options(created, settings=settings)
        return created

    @Slot(object, int, int, str)
    def regenerate(
        self, cancel: threading.Event, conversation_id: int, user_message_id: int, effort: str
    ) -> None:
        self._reply(cancel, conversation_id, lambda: (conversation_id, user_message_id), effort)

    @Slot()
    def unload(self) -> None:
        if self._engine.is_loaded:
            self._engine.unload()
            self.unloaded.emit()

    @Slot()
    def release(self) -> None:
        """Free the model on the thread that used it; runs as the thread finishes."""
        self._engine.unload()

    def _reply(
        self,
        cancel: threading.Event,
        conversation_id: int,
        question: Callable[[], tuple[int, int]],
        effort: str,
    ) -> TurnResult | None:
        """Answer the user message `question()` names as (conversation, message), storing it first for a
        new question; the result, or None when it failed (reported) or was refused."""
        self._cancel = cancel
        if self._closed.is_set():
            return None
        if not self._engine.is_loaded:
            # Checked before anything is stored, so the question is not saved next to a failure.
            self.reply_failed.emit(conversation_id, plain_message(NoModelLoaded()))
            return None
        reply_id = 0

        def started(user_message_id: int, reply_message_id: int) -> None:
            nonlocal reply_id
            reply_id = reply_message_id
            self.reply_started.emit(conversation_id, user_message_id, reply_message_id)

        pieces = ReplyEvents(
            lambda kind, text: self.reply_event.emit(reply_id, kind, text),
            lambda activity: self.reply_tool.emit(reply_id, activity),
            window_s=self._coalesce_s,
            clock=self._clock,
        )
        defaults = self.reply_defaults
        try:
            conversation_id, user_message_id = question()
            result = reply_to(
                self._engine,
                self._store,
                conversation_id,
                user_message_id,
                reasoning_effort=effort,
                max_tokens=defaults.max_tokens,
                top_p=defaults.top_p,
                default_temperature=defaults.temperature,
                thinking=defaults.thinking,
                cancel=cancel,
                on_started=started,
                on_event=pieces,
                on_documents=self.reply_documents.emit,
                tools=self.tool_sessions,
            )
        except Exception as exc:
            self._log_if_bug(exc, "answering")
            pieces.flush()
            self.reply_failed.emit(conversation_id, plain_message(exc))
            return None
        pieces.flush()
        self.reply_finished.emit(result)
        return result

    @staticmethod
    def _log_if_bug(error: Exception, doing: str) -> None:
        if isinstance(error, UserError):
            log.info("%s failed: %s", doing, error)
        else:
            log.error("unexpected error while %s", doing, exc_info=error)


class InferenceService(QObject):
    """What the window talks to: a worker thread owning the Engine, and its signals on the UI thread.

    Requests are queued and run one at a time. Signals mirror InferenceWorker's and are emitted on
    the UI thread, so any callable may be connected. Call `shutdown()` before closing the store.
    """

    loading = Signal(str)
    loaded = Signal(object)  # ModelInfo
    load_failed = Signal(str)
    unloaded = Signal()
    reply_started = Signal(int, int, int)
    reply_event = Signal(int, str, str)
    reply_documents = Signal(int, object)
    reply_tool = Signal(int, object)
    reply_finished = Signal(object)  # TurnResult
    reply_failed = Signal(int, str)
    title_written = Signal(int, str)

    # Requests cross to the worker thread as queued signals: its slots then run there, in order.
    _load_requested = Signal(str, object)  # path, ModelLoad
    _ask_requested = Signal(object, object)  # cancel event, Question
    _regenerate_requested = Signal(object, int, int, str)
    _unload_requested = Signal()

    def __init__(self, engine: Engine, store: HistoryStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model_info: ModelInfo | None = None
        self._cancel = threading.Event()  # the latest request's: what Stop sets
        self._title_cancel = threading.Event()  # the title being written, if any: any request stops it
        self._thread = QThread(self)
        self._thread.setObjectName("hearth-inference")
        self._worker = InferenceWorker(engine, store)
        self._worker.moveToThread(self._thread)
        queued = Qt.ConnectionType.QueuedConnection
        self._load_requested.connect(self._worker.load_model, queued)
        self._ask_requested.connect(self._worker.ask, queued)
        self._regenerate_requested.connect(self._worker.regenerate, queued)
        self._unload_requested.connect(self._worker.unload, queued)
        worker = self._worker
        # Receivers are this object's signals and slots; it lives on the UI thread, so they run there.
        worker.loading.connect(self.loading, queued)
        worker.loaded.connect(self._on_loaded, queued)
        worker.load_failed.connect(self.load_failed, queued)
        worker.unloaded.connect(self._on_unloaded, queued)
        worker.reply_started.connect(self.reply_started, queued)
        worker.reply_event.connect(self.reply_event, queued)
        worker.reply_documents.connect(self.reply_documents, queued)
        worker.reply_tool.connect(self.reply_tool, queued)
        worker.reply_finished.connect(self.reply_finished, queued)
        worker.reply_failed.connect(self.reply_failed, queued)
        worker.title_written.connect(self.title_written, queued)
        direct = Qt.ConnectionType.DirectConnection
        # `finished` is emitted on the worker thread as it ends: free the model there, then the worker.
        self._thread.started.connect(_name_python_thread, direct)
        self._thread.finished.connect(worker.release, direct)
        self._thread.finished.connect(worker.deleteLater)
        app = QCoreApplication.instance()
        if app is not None:
            # A safety net: a QThread destroyed while running aborts the whole process.
            app.aboutToQuit.connect(self.shutdown)
        self._thread.start()

    @property
    def worker(self) -> InferenceWorker:
        return self._worker

    @property
    def model_info(self) -> ModelInfo | None:
        return self._model_info

    def load_model(
        self,
        path: str,
        n_ctx: int | Literal["auto"],
        *,
        n_threads: int | None = None,
        n_gpu_layers: int | Literal["auto"] = 0,
    ) -> None:
        self._title_cancel.set()
        self._load_requested.emit(path, ModelLoad(n_ctx, n_threads, n_gpu_layers))

    def set_tool_sessions(self, sessions: ToolSessions) -> None:
        """What keeps gpt-oss's tools between replies (the window's, for its whole life)."""
        self._worker.tool_sessions = sessions

    def set_reply_defaults(self, defaults: ReplyDefaults) -> None:
        """Settings for the replies asked for from now on (a reply already running keeps its own)."""
        self._worker.reply_defaults = defaults

    def ask(
        self,
        conversation_id: int,
        text: str,
        effort: str,
        documents: Sequence[Document] = (),
        *,
        replacing: int | None = None,
        options: ConversationOptions | None = None,
        settings: Mapping[str, Any] | None = None,
    ) -> None:
        """Store the question with its attachments (already read) and answer it.

        Conversation 0 starts a new one on the worker thread, with `options` and `settings`;
        reply_started tells its id. `replacing` makes it an edit of that earlier question: a sibling
        branch that keeps its documents.
        """
        cancel = self._new_request()
        self._title_cancel = threading.Event()
        extra = dict(settings or {})
        question = Question(
            conversation_id, text, effort, tuple(documents), replacing, options, self._title_cancel, extra
        )
        self._ask_requested.emit(cancel, question)

    def regenerate(self, conversation_id: int, user_message_id: int, effort: str) -> None:
        self._regenerate_requested.emit(self._new_request(), conversation_id, user_message_id, effort)

    def _new_request(self) -> threading.Event:
        self._title_cancel.set()  # a title still being written gives way at once
        self._cancel = threading.Event()
        return self._cancel

    def unload(self) -> None:
        self._unload_requested.emit()

    def cancel(self) -> None:
        """Stop the latest reply asked for, even if the worker has not reached it yet.

        Its text is kept with status "stopped". Safe from any thread.
        """
        self._cancel.set()

    @Slot()
    def shutdown(self, timeout_ms: int = 2000) -> bool:
        """Cancel, stop the worker thread and wait for it; True once it has finished.

        A reply in progress stops within a token, so this returns well within the timeout. Only a
        model load cannot be interrupted (llama.cpp offers no way): then it returns False with the
        thread still running; call it again to wait longer. Safe to call twice.
        """
        if self._thread.isFinished() or not self._thread.isRunning():
            return True
        self._worker.close()
        self._thread.quit()
        return bool(self._thread.wait(timeout_ms))

    @Slot(object)
    def _on_loaded(self, info: ModelInfo) -> None:
        self._model_info = info
        self.loaded.emit(info)

    @Slot()
    def _on_unloaded(self) -> None:
        self._model_info = None
        self.unloaded.emit()


def _name_python_thread() -> None:
    # Log lines carry the Python thread name; a QThread would show up as "Dummy-1".
    threading.current_thread().name = "inference"
