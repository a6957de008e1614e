"""Background work for the window, through two doors.

- `InferenceService`: a long-lived worker thread that owns the Engine and runs one request at a
  time (load a model, answer, regenerate). Its results come back as signals on the UI thread.
- `run_job`: short jobs (a big query, an extraction) on Qt's thread pool, with the result or error
  delivered on the UI thread and a `slow` signal for jobs worth a progress indicator.

`install_stall_watchdog` logs whenever the UI thread stops answering, so freezes show up in the log
before users report them.

Thread rules that shape this module:
- A queued slot cannot run while the worker thread is busy generating, so cancelling sets a
  `threading.Event` that the engine checks between tokens and inside llama.cpp (see DESIGN.md).
- PySide runs a lambda or plain function connected to a worker signal on the *worker* thread, even
  with a queued connection; only methods of QObjects living on the UI thread are called there. So
  the service re-emits every worker signal from the UI thread, where any callable is safe.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QRunnable,
    Qt,
    QThread,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)

from app.engine import ChatEvent, Engine, EngineError, ModelInfo, NoModelLoaded
from app.store import HistoryStore, StoreError
from app.turn import TurnResult, reply_to, run_turn

log = logging.getLogger("hearth.ui")

T = TypeVar("T")
# run_turn or reply_to with everything but the cancel event and the two callbacks filled in.
TurnRunner = Callable[[threading.Event, Callable[[int, int], None], Callable[[ChatEvent], None]], TurnResult]

# Problems of the user's machine or files, whose messages are written for people. Anything else is
# a bug: it is logged with its stack and the user sees SOMETHING_WENT_WRONG.
KNOWN_ERRORS: tuple[type[Exception], ...] = (EngineError, StoreError)
SOMETHING_WENT_WRONG = "Something went wrong; details are in the log."
# One frame at 60 Hz: joining the pieces that arrive within it costs the reader nothing visible.
COALESCE_MS = 16
# Anki's threshold: quicker jobs finish before a progress indicator would stop flickering.
SLOW_JOB_MS = 600


def plain_message(error: BaseException) -> str:
    """What to show the user for `error`: its own words if it is a known problem, else a polite line."""
    if isinstance(error, KNOWN_ERRORS):
        return str(error)
    return QCoreApplication.translate("Hearth", SOMETHING_WENT_WRONG)


# -- the inference worker ------------------------------------------------------------------------


class TextCoalescer:
    """Joins consecutive pieces of one kind so a fast model sends about one signal per frame.

    The first piece after a quiet spell goes out at once (no added latency when tokens are slow);
    pieces that follow within `window_s` wait for the next piece, a change of kind, or `flush()`.
    """

    def __init__(
        self,
        emit: Callable[[str, str], None],
        *,
        window_s: float = COALESCE_MS / 1000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._emit = emit
        self._window_s = window_s
        self._clock = clock
        self._kind = ""
        self._parts: list[str] = []
        self._last_emit = float("-inf")

    def add(self, kind: str, text: str) -> None:
        if not text:
            return
        if self._parts and kind != self._kind:
            self.flush()
        self._kind = kind
        self._parts.append(text)
        if self._clock() - self._last_emit >= self._window_s:
            self.flush()

    def flush(self) -> None:
        if self._parts:
            text = "".join(self._parts)
            self._parts.clear()
            self._emit(self._kind, text)
            self._last_emit = self._clock()


class InferenceWorker(QObject):
    """Owns the Engine on its own thread; its slots run there, one request at a time.

    Connect its signals only to methods of QObjects on the UI thread (or use InferenceService's
    copies of them): a lambda connected here would run on the worker thread.
    """

    loading = Signal(str)  # model path
    loaded = Signal(object)  # ModelInfo
    load_failed = Signal(str)  # plain words
    unloaded = Signal()  # no model is loaded any more (unload, or a failed load replaced it)
    reply_started = Signal(int, int, int)  # conversation id, user message id, reply message id
    reply_event = Signal(int, str, str)  # reply message id, "reasoning" | "answer", new text
    reply_finished = Signal(object)  # TurnResult; status "done" or "stopped" (a cancel is no error)
    reply_failed = Signal(int, str)  # conversation id, plain words
    busy_changed = Signal(bool)

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
        self._cancel = threading.Event()
        self._closed = threading.Event()
        self._busy = False

    # Thread-safe: these two only touch threading.Events, so any thread may call them.

    def cancel(self) -> None:
        """Stop the reply being generated now, keeping its text; does nothing when idle."""
        self._cancel.set()

    def close(self) -> None:
        """Cancel the current reply and refuse requests still queued; used on shutdown."""
        self._closed.set()
        self._cancel.set()

    # Slots: they run on the worker thread.

    @Slot(str, int)
    def load_model(self, path: str, n_ctx: int) -> None:
        if self._closed.is_set():
            return
        had_model = self._engine.is_loaded
        self._set_busy(True)
        self.loading.emit(path)
        try:
            info = self._engine.load(path, n_ctx=n_ctx)
        except Exception as exc:
            self._log_if_bug(exc, "loading a model")
            self.load_failed.emit(plain_message(exc))
        else:
            self.loaded.emit(info)
        finally:
            # The engine frees the old model before opening the new one, so a failure can leave none.
            if had_model and not self._engine.is_loaded:
                self.unloaded.emit()
            self._set_busy(False)

    @Slot(int, str, str)
    def ask(self, conversation_id: int, text: str, effort: str) -> None:
        self._turn(
            conversation_id,
            lambda cancel, started, event: run_turn(
                self._engine,
                self._store,
                conversation_id,
                text,
                reasoning_effort=effort,
                cancel=cancel,
                on_started=started,
                on_event=event,
            ),
        )

    @Slot(int, int, str)
    def regenerate(self, conversation_id: int, user_message_id: int, effort: str) -> None:
        self._turn(
            conversation_id,
            lambda cancel, started, event: reply_to(
                self._engine,
                self._store,
                conversation_id,
                user_message_id,
                reasoning_effort=effort,
                cancel=cancel,
                on_started=started,
                on_event=event,
            ),
        )

    @Slot()
    def unload(self) -> None:
        if self._engine.is_loaded:
            self._engine.unload()
            self.unloaded.emit()

    @Slot()
    def release(self) -> None:
        """Free the model on the thread that used it; runs as the thread finishes."""
        self._engine.unload()

    def _turn(self, conversation_id: int, run: TurnRunner) -> None:
        if self._closed.is_set():
            return
        # A fresh event per turn, made before anything is visible to the user: a Stop pressed once
        # busy_changed(True) or reply_started arrived always reaches this turn.
        cancel = self._cancel = threading.Event()
        if not self._engine.is_loaded:
            # Checked before anything is stored, so the question is not saved next to a failure.
            self.reply_failed.emit(conversation_id, plain_message(NoModelLoaded()))
            return
        self._set_busy(True)
        reply_id = 0

        def started(user_message_id: int, reply_message_id: int) -> None:
            nonlocal reply_id
            reply_id = reply_message_id
            self.reply_started.emit(conversation_id, user_message_id, reply_message_id)

        pieces = TextCoalescer(
            lambda kind, text: self.reply_event.emit(reply_id, kind, text),
            window_s=self._coalesce_s,
            clock=self._clock,
        )
        try:
            result = run(cancel, started, lambda event: pieces.add(event.kind, event.text))
        except Exception as exc:
            self._log_if_bug(exc, "answering")
            pieces.flush()
            self.reply_failed.emit(conversation_id, plain_message(exc))
        else:
            pieces.flush()
            self.reply_finished.emit(result)
        finally:
            self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)

    @staticmethod
    def _log_if_bug(error: Exception, doing: str) -> None:
        if isinstance(error, KNOWN_ERRORS):
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
    reply_finished = Signal(object)  # TurnResult
    reply_failed = Signal(int, str)
    busy_changed = Signal(bool)

    # Requests cross to the worker thread as queued signals: its slots then run there, in order.
    _load_requested = Signal(str, int)
    _ask_requested = Signal(int, str, str)
    _regenerate_requested = Signal(int, int, str)
    _unload_requested = Signal()

    def __init__(self, engine: Engine, store: HistoryStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._busy = False
        self._model_info: ModelInfo | None = None
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
        worker.reply_finished.connect(self.reply_finished, queued)
        worker.reply_failed.connect(self.reply_failed, queued)
        worker.busy_changed.connect(self._on_busy_changed, queued)
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
    def busy(self) -> bool:
        return self._busy

    @property
    def model_info(self) -> ModelInfo | None:
        return self._model_info

    def load_model(self, path: str, n_ctx: int) -> None:
        self._load_requested.emit(path, n_ctx)

    def ask(self, conversation_id: int, text: str, effort: str) -> None:
        self._ask_requested.emit(conversation_id, text, effort)

    def regenerate(self, conversation_id: int, user_message_id: int, effort: str) -> None:
        self._regenerate_requested.emit(conversation_id, user_message_id, effort)

    def unload(self) -> None:
        self._unload_requested.emit()

    def cancel(self) -> None:
        """Stop the reply in progress; safe from any thread. Its text is kept with status "stopped"."""
        if self._thread.isRunning():
            self._worker.cancel()

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

    @Slot(bool)
    def _on_busy_changed(self, busy: bool) -> None:
        self._busy = busy
        self.busy_changed.emit(busy)


def _name_python_thread() -> None:
    # Log lines carry the Python thread name; a QThread would show up as "Dummy-1".
    threading.current_thread().name = "inference"


# -- short jobs --------------------------------------------------------------------------------------


class Job(QObject):
    """One short background call. Callbacks and signals arrive on the thread that started it.

    Connect to its signals right after `run_job` returns: nothing is delivered before control goes
    back to the event loop.
    """

    slow = Signal()  # the job has run for SLOW_JOB_MS: show a progress indicator now
    finished = Signal()  # after on_done / on_error ran: hide the indicator

    _outcome = Signal(object, bool)  # result or exception, success; emitted on the pool thread

    def __init__(
        self,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None,
        on_slow: Callable[[], None] | None,
        owner: QObject | None,
        slow_after_ms: int,
    ) -> None:
        # Parented to the application, never to `owner`: the pool thread may still emit on this
        # object when the owner goes away, so its life must end on this thread, after delivery.
        super().__init__(QCoreApplication.instance())
        self._on_done = on_done
        self._on_error = on_error
        self._on_slow = on_slow
        self._done = False
        self._abandoned = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._became_slow)
        self._timer.start(slow_after_ms)
        self._outcome.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        if owner is not None:
            owner.destroyed.connect(self._abandon)

    @property
    def done(self) -> bool:
        return self._done

    @Slot()
    def _became_slow(self) -> None:
        if self._abandoned:
            return
        self.slow.emit()
        if self._on_slow is not None:
            self._on_slow()

    @Slot()
    def _abandon(self) -> None:
        # The window that asked is gone: drop the result instead of calling into dead widgets.
        self._abandoned = True
        self._timer.stop()

    @Slot(object, bool)
    def _deliver(self, payload: Any, ok: bool) -> None:
        self._timer.stop()
        self._done = True
        try:
            if self._abandoned:
                return
            if ok:
                self._on_done(payload)
            elif self._on_error is not None:
                self._on_error(payload)
            elif isinstance(payload, KNOWN_ERRORS):
                log.warning("a background job failed: %s", payload)
            self.finished.emit()
        finally:
            self.deleteLater()


class _JobRunner(QRunnable):
    def __init__(self, fn: Callable[[], Any], job: Job) -> None:
        super().__init__()
        self._fn = fn
        self._job = job

    def run(self) -> None:
        try:
            payload, ok = self._fn(), True
        except BaseException as exc:  # delivered to on_error; a worker thread must never die of it
            if not isinstance(exc, KNOWN_ERRORS):
                log.error("unexpected error in a background job", exc_info=exc)
            payload, ok = exc, False
        self._job._outcome.emit(payload, ok)


def run_job(
    fn: Callable[[], T],
    on_done: Callable[[T], None],
    on_error: Callable[[BaseException], None] | None = None,
    *,
    on_slow: Callable[[], None] | None = None,
    parent: QObject | None = None,
    slow_after_ms: int = SLOW_JOB_MS,
    pool: QThreadPool | None = None,
) -> Job:
    """Run `fn` on a pool thread; call `on_done(result)` or `on_error(exception)` on this thread.

    Call it from the UI thread. Known problems (StoreError, EngineError) go to `on_error`, or to the
    log when there is none; any other exception is a bug, logged with its stack either way, then
    passed to `on_error` (show `plain_message(error)`). `on_slow` and `Job.slow` fire only if the job
    is still running after `slow_after_ms`. If `parent` is destroyed first, nothing is delivered.
    """
    job = Job(on_done, on_error, on_slow, parent, slow_after_ms)
    (pool or QThreadPool.globalInstance()).start(_JobRunner(fn, job))
    return job


# -- the main-thread watchdog ----------------------------------------------------------------------


class StallWatchdog(QObject):
    """Measures how late a timer on the UI thread fires: the time the event loop was blocked.

    It notices a stall only once it is over, so it cannot show what blocked; the log line's time
    and the lines before it usually tell. Resolution is `interval_ms`: a benchmark that wants
    stalls of a few milliseconds should pass a small interval.
    """

    stalled = Signal(float)  # milliseconds, for each stall over the threshold

    def __init__(
        self,
        parent: QObject,
        *,
        threshold_ms: float = 200,
        interval_ms: int = 50,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.threshold_ms = threshold_ms
        self.longest_stall_ms = 0.0
        self._interval_ms = interval_ms
        self._clock = clock
        self._last = clock()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.tick)

    def start(self) -> None:
        self._last = self._clock()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def reset(self) -> None:
        """Forget the longest stall, e.g. at the start of a benchmark."""
        self.longest_stall_ms = 0.0
        self._last = self._clock()

    @Slot()
    def tick(self) -> None:
        now = self._clock()
        late_ms = (now - self._last) * 1000 - self._interval_ms
        self._last = now
        self.longest_stall_ms = max(self.longest_stall_ms, late_ms)
        if late_ms > self.threshold_ms:
            log.warning("the window did not respond for %.0f ms", late_ms)
            self.stalled.emit(late_ms)


def install_stall_watchdog(
    app: QCoreApplication,
    threshold_ms: float = 200,
    *,
    interval_ms: int = 50,
    clock: Callable[[], float] = time.monotonic,
) -> StallWatchdog:
    """Start watching the UI thread of `app`; call it on that thread once the app exists."""
    watchdog = StallWatchdog(app, threshold_ms=threshold_ms, interval_ms=interval_ms, clock=clock)
    watchdog.start()
    return watchdog
