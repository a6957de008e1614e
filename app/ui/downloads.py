"""Model downloads in the background, one thread each, reported to the UI thread through Qt signals.

Downloads are independent of the inference worker, so they keep going while the user chats. Each
thread only emits `_event` on the manager (a UI-thread object) through a queued connection; the
manager turns that into its public signals on the UI thread.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot

from app.errors import UserError
from app.models import (
    DownloadCancelled,
    DownloadPaused,
    DownloadProgress,
)
from app.models.catalog import CatalogCache, CatalogError, Variant, cache_path
from app.models.download import delete_partial
from app.models.pull import pull_variant
from app.models.secrets import get_token
from app.ui.messages import SOMETHING_WENT_WRONG

log = logging.getLogger("hearth.ui")

JOIN_TIMEOUT_S = 5.0


@dataclass
class _Task:
    variant: Variant
    endpoint: str | None
    pause: threading.Event = field(default_factory=threading.Event)
    cancel: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self.thread is not None and self.thread.is_alive()


def _tr(text: str) -> str:
    return QCoreApplication.translate("DownloadManager", text)


class DownloadManager(QObject):
    """Start, pause, resume and cancel model downloads; ids are variant ids. Use from the UI thread only."""

    progress = Signal(str, int, int, float, object)  # id, done bytes, total bytes, bytes/s, eta s or None
    finished = Signal(str, str)  # id, path of the file to load
    failed = Signal(str, str)  # id, a message for people
    paused = Signal(str)
    cancelled = Signal(str)

    _event = Signal(object, str, object)  # task, kind, payload: emitted on download threads

    def __init__(self, models_dir: Path, data_root: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._models_dir = models_dir
        self._data_root = data_root
        self._tasks: dict[str, _Task] = {}
        self._event.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def is_running(self, download_id: str) -> bool:
        task = self._tasks.get(download_id)
        return task is not None and task.running

    def start(self, variant: Variant | str, endpoint: str | None = None) -> str:
        """Start (or resume from its part files) the download of `variant`; returns its id."""
        if isinstance(variant, str):
            found = next(
                (v for v in CatalogCache(cache_path(self._data_root)).variants() if v.id == variant), None
            )
            if found is None:
                raise CatalogError(f"“{variant}” is not in the catalogue")
            variant = found
        task = self._tasks.get(variant.id)
        if task is not None and task.running:
            return variant.id
        task = _Task(variant, endpoint)
        self._tasks[variant.id] = task
        task.thread = threading.Thread(
            target=self._run, args=(task,), name=f"hearth-download-{variant.id}", daemon=True
        )
        task.thread.start()
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
        for name in task.variant.files:
            delete_partial(self._models_dir / name)
        del self._tasks[download_id]
        self.cancelled.emit(download_id)

    def shutdown(self, timeout_s: float = JOIN_TIMEOUT_S) -> None:
        """Pause every download (the parts stay for next time) and wait for the threads to end."""
        for task in self._tasks.values():
            task.pause.set()
        for task in self._tasks.values():
            if task.thread is not None:
                task.thread.join(timeout_s)
                if task.thread.is_alive():
                    log.warning("the download of %s did not stop within %.0f s", task.variant.id, timeout_s)

    # -- on the download thread ----------------------------------------------------------------

    def _run(self, task: _Task) -> None:
        try:
            path = self._download(task)
        except DownloadPaused:
            self._event.emit(task, "paused", None)
        except DownloadCancelled:
            self._event.emit(task, "cancelled", None)
        except UserError as exc:
            self._event.emit(task, "failed", str(exc))
        except Exception:
            log.exception("the download of %s failed", task.variant.id)
            self._event.emit(task, "failed", _tr(SOMETHING_WENT_WRONG))
        else:
            self._event.emit(task, "finished", str(path))

    def _download(self, task: _Task) -> Path:
        def report(progress: DownloadProgress) -> None:
            self._event.emit(task, "progress", progress)

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

    @Slot(object, str, object)
    def _deliver(self, task: _Task, kind: str, payload: object) -> None:
        download_id = task.variant.id
        if self._tasks.get(download_id) is not task:
            return  # from a download that was restarted or cancelled meanwhile
        if kind == "progress":
            assert isinstance(payload, DownloadProgress)
            self.progress.emit(
                download_id, payload.done_bytes, payload.total_bytes, payload.bytes_per_s, payload.eta_s
            )
            return
        if task.thread is not None:
            task.thread.join(JOIN_TIMEOUT_S)  # it has just emitted its last event
        if kind == "finished":
            self._tasks.pop(download_id, None)
            self.finished.emit(download_id, str(payload))
        elif kind == "failed":
            self._tasks.pop(download_id, None)
            self.failed.emit(download_id, str(payload))
        elif kind == "paused":
            self.paused.emit(download_id)
        elif kind == "cancelled":
            self._tasks.pop(download_id, None)
            self.cancelled.emit(download_id)
