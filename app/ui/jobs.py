"""Short background jobs (a query, an extraction) on Qt's thread pool: one door for all of them.

The result or the error comes back on the thread that started the job, and `on_slow` is called only
for jobs worth a progress indicator, so quick ones never flicker.
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
            elif isinstance(payload, UserError):
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

    Call it from the UI thread. A UserError goes to `on_error`, or to the log when there is none; any
    other exception is a bug, logged with its stack either way, then passed to `on_error` (show
    `plain_message(error)`). `on_slow` is called only if the job is still running after
    `slow_after_ms`. If `parent` is destroyed first, nothing is delivered.
    """
    job = Job(on_done, on_error, on_slow, parent, slow_after_ms)
    (pool or QThreadPool.globalInstance()).start(_JobRunner(fn, job))
    return job
