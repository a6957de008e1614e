"""Model downloads in the background, reported to the UI thread through Qt signals.

Downloads are independent of the inference worker, so they keep going while the user chats. Each runs
through run_job on the manager's own thread pool (the one door for background work), so its outcome
(the file, a pause, a cancel, a UserError in plain words, or a bug logged with its stack) comes back on
the UI thread by the same route as every other job; progress comes through a queued signal.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal, Slot

from app.models import (
    DownloadCancelled,
    DownloadPaused,
    DownloadProgress,
)
from app.models.catalog import Variant
from app.models.partial import delete_partial
from app.models.pull import pull_variant
from app.models.secrets import get_token
from app.ui.jobs import run_job
from app.ui.messages import plain_message

log = logging.getLogger("hearth.ui")

JOIN_TIMEOUT_S = 5.0
# Downloads at the same time, each on a thread of the manager's own pool (they mostly wait on the
# network, and must never hold up the quick jobs on Qt's shared pool).
MAX_DOWNLOADS = 4


@dataclass
class _Task:
    variant: Variant
    endpoint: str | None
    pause: threading.Event = field(default_factory=threading.Event)
    cancel: threading.Event = field(default_factory=threading.Event)
    running: bool = True  # until its outcome is delivered on the UI thread


class DownloadManager(QObject):
    """Start, pause, resume and cancel model downloads; ids are variant ids. Use from the UI thread only."""

    progress = Signal(str, int, int, float, object)  # id, done bytes, total bytes, bytes/s, eta s or None
    finished = Signal(str, str)  # id, path of the file to load
    failed = Signal(str, str)  # id, a message for people
    paused = Signal(str)
    cancelled = Signal(str)

    _progressed = Signal(object, object)  # task, DownloadProgress: emitted on a download thread

    def __init__(self, models_dir: Path, data_root: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._models_dir = models_dir
        self._data_root = data_root
        self._tasks: dict[str, _Task] = {}
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(MAX_DOWNLOADS)
        self._progressed.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)

    def is_running(self, download_id: str) -> bool:
        task = self._tasks.get(download_id)
        return task is not None and task.running

    def start(self, variant: Variant, endpoint: str | None = None) -> str:
        """Start (or resume from its part files) the download of `variant`; returns its id."""
        task = self._tasks.get(variant.id)
        if task is not None and task.running:
            return variant.id
        task = _Task(variant, endpoint)
        self._tasks[variant.id] = task
        run_job(
            lambda: self._download(task),
            lambda path: self._ended(task, "finished", str(path)),
            lambda error: self._stopped(task, error),
            parent=self,
            pool=self._pool,
        )
        return variant.id

    def pause(self, download_id: str) -> None:
        task = self._tasks.get(download_id)
        if task is not None:
            task.pause.set()

    def resume(self, download_id: str) -> None:
        task = self._tasks.get(download_id)
        if task is not None and not task.running:
            self.start(task.variant, task.endpoint)

    def cancel(self, download_id: str) -> None:
        """Stop and delete the partial files; a paused download is cleaned up at once."""
        task = self._tasks.get(download_id)
        if task is None:
            return
        if task.running:
            task.cancel.set()
            return
        del self._tasks[download_id]
        parts = [self._models_dir / name for name in task.variant.files]

        def delete_parts() -> None:
            for part in parts:
                delete_partial(part)

        # Reported only once the parts are gone, so a download started again cannot race the deletion.
        run_job(
            delete_parts,
            lambda _done: self.cancelled.emit(download_id),
            lambda error: self.failed.emit(download_id, plain_message(error)),
            parent=self,
            pool=self._pool,
        )

    def shutdown(self, timeout_s: float = JOIN_TIMEOUT_S) -> None:
        """Pause every download (the parts stay for next time) and wait for the threads to end."""
        for task in self._tasks.values():
            task.pause.set()
        if not self._pool.waitForDone(int(timeout_s * 1000)):
            log.warning("a download did not stop within %.0f s", timeout_s)

    # -- on a download thread --------------------------------------------------------------------

    def _download(self, task: _Task) -> Path:
        def report(progress: DownloadProgress) -> None:
            self._progressed.emit(task, progress)

        paths = pull_variant(
            task.variant,
            models_dir=self._models_dir,
            data_root=self._data_root,
            endpoint=task.endpoint,
            token=get_token(),
            pause=task.pause,
            cancel=task.cancel,
            on_progress=report,
        )
        return paths[0]

    # -- back on the UI thread -------------------------------------------------------------------

    @Slot(object, object)
    def _on_progress(self, task: _Task, progress: DownloadProgress) -> None:
        if self._tasks.get(task.variant.id) is task:
            self.progress.emit(
                task.variant.id,
                progress.done_bytes,
                progress.total_bytes,
                progress.bytes_per_s,
                progress.eta_s,
            )

    def _stopped(self, task: _Task, error: BaseException) -> None:
        # A pause or a cancel is the user's wish, not an error; a bug was logged with its stack by run_job.
        if isinstance(error, DownloadPaused):
            self._ended(task, "paused", "")
        elif isinstance(error, DownloadCancelled):
            self._ended(task, "cancelled", "")
        else:
            self._ended(task, "failed", plain_message(error))

    def _ended(self, task: _Task, kind: str, payload: str) -> None:
        task.running = False
        download_id = task.variant.id
        if self._tasks.get(download_id) is not task:
            return  # from a download that was restarted or cancelled meanwhile
        if kind == "paused":
            self.paused.emit(download_id)
            return
        del self._tasks[download_id]
        if kind == "finished":
            self.finished.emit(download_id, payload)
        elif kind == "failed":
            self.failed.emit(download_id, payload)
        else:
            self.cancelled.emit(download_id)
