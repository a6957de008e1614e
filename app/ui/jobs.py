"""Background work in the window: the one contract. Read this before anything in app/ui waits on
something.

The UI thread never waits on the model, the network, the disk, the history, the keyring or a child
process. Work that could wait runs through `run_job(fn, on_done, on_error, parent=self)`:

    run_job(lambda: store.thread(conversation_id), self._show_thread, self.banner.show_problem, parent=self)

- `fn` runs on a pool thread. It touches no widget: it takes plain values (bind them to locals
  before the lambda, not `self.something` that may change meanwhile) and returns plain data.
- `on_done(result)` or `on_error(exception)` then runs on the UI thread, the only route back.
  Check there that the result still matters (the user may have opened another conversation).
- `parent`: when that object is destroyed first, nothing is delivered.
- `on_slow` is called only if the job outlives SLOW_JOB_MS, for a progress indicator that never
  flickers on quick jobs.
- `pool`: Qt's shared pool by default, for quick work (a query, a small write, a keyring call).
  Work that can take minutes runs on its owner's own pool so it never starves the quick ones:
  document reading on the composer's (two at a time), downloads on the download manager's.

Errors. Raise (or let through) an `app.errors.UserError` for a problem the user can act on; its
words are shown as they are. Any other exception is a bug: run_job logs it with its traceback and
passes it on. Show either with `ErrorBanner.show_problem(error)`: the user's words, or "Something
went wrong; details are in the log" with an Open log button (app.ui.messages.plain_message gives
the text alone). A UserError with no `on_error` is logged as a warning. Uncaught exceptions
elsewhere (a slot, any thread) and Qt's own messages are logged by app.ui.error_hooks.

The one other door is the inference worker (app.ui.workers): one long-lived thread that owns the
model, because llama.cpp's state must stay on one thread. Loading a model and answering go through
InferenceService; it reports by signals on the UI thread under the same error rules. Child
processes (a document reader that could hang or crash on a hostile file) are started only through
app.child_process, from inside a job. Nothing in app/ui starts a thread or a process any other way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot

from app.errors import UserError

log = logging.getLogger("hearth.ui")

T = TypeVar("T")
# Anki's threshold: quicker jobs finish before a progress indicator would stop flickering.
SLOW_JOB_MS = 600


class Job(QObject):
    """One short background call. Callbacks and signals arrive on the thread that started it.

    Connect to its signals right after `run_job` returns: nothing is delivered before control goes
    back to the event loop.
    """

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
        self._on_done: Callable[[Any], None] | None = on_done
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
            if ok and self._on_done is not None:
                self._on_done(payload)
            elif self._on_error is not None:
                self._on_error(payload)
            elif isinstance(payload, UserError):
                log.warning("a background job failed: %s", payload)
            self.finished.emit()
        finally:
            # Let go of the callbacks now, while this object is whole: they may hold the last reference
            # to their owner, and an owner freed while this object is being deleted would tell it
            # "destroyed" mid-deletion (a crash).
            self._on_done = self._on_error = self._on_slow = None
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
            if not isinstance(exc, UserError):
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

    Call it from the UI thread; the module docstring is the whole contract. A UserError goes to
    `on_error`, or to the log when there is none; any other exception is a bug, logged with its stack
    either way, then passed to `on_error`. `on_slow` is called only if the job is still running after
    `slow_after_ms`. If `parent` is destroyed first, nothing is delivered.
    """
    job = Job(on_done, on_error, on_slow, parent, slow_after_ms)
    (pool or QThreadPool.globalInstance()).start(_JobRunner(fn, job))
    return job
