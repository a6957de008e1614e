"""Hearth's own resumable download of one model file (or a few shards) from the Hugging Face Hub.

huggingface_hub 2.x's ``hf_hub_download`` neither resumes a file across calls nor can be cancelled, and a
12 GB model over a home connection needs both. So huggingface_hub only gives us the url and the auth
headers; the bytes travel through this stdlib loop:

* data goes into ``<file>.part`` next to a small ``<file>.part.json`` sidecar (url, expected size and sha256,
  the server's ETag), so a later call (even after a crash) can resume with an HTTP Range request;
* sha256 is computed while writing, re-hashing the existing part when resuming;
* connection errors, timeouts and 5xx answers are retried with exponential backoff;
* the finished file is checked (size, sha256) and only then renamed into place.

The Hub's side of the HTTP is in hub_http, the part file and its sidecar in partial, and the errors in
download_errors; this module is the loop that joins them.
"""

from __future__ import annotations

import contextlib
import http.client
import logging
import os
import queue
import shutil
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.i18n import translate
from app.models.download_errors import DownloadCancelled, DownloadError, DownloadPaused
from app.models.hub_http import TransientError, etag_sha256, get_opener, head_request, plain_http_error
from app.models.partial import CHUNK, PartFile, delete_partial
from app.units import format_bytes

log = logging.getLogger("hearth.models")

# Free space a download must leave behind. A disk filled to the last few megabytes breaks more than
# Hearth: the history's SQLite journal, the log and the OS itself (updates, browser caches) then fail to
# write. 1 GiB is room for all of those and under 10% of a gpt-oss-20b download, so it never turns away
# a model that would have fitted comfortably.
DISK_HEADROOM_BYTES = 1024**3
PROGRESS_INTERVAL_S = 0.1


@dataclass(frozen=True)
class DownloadProgress:
    done_bytes: int
    total_bytes: int
    bytes_per_s: float
    eta_s: float | None


ProgressCallback = Callable[[DownloadProgress], None]


def _disk_error(needed: int, free: int) -> DownloadError:
    return DownloadError(
        translate("Downloads", "not enough free disk space: needs {needed}, {free} free").format(
            needed=format_bytes(needed), free=format_bytes(free)
        )
    )


class _Progress:
    """Rate-limits the callback (a UI can't use more than ~10 updates a second) and computes speed/ETA."""

    def __init__(
        self, callback: ProgressCallback | None, clock: Callable[[], float], start_bytes: int
    ) -> None:
        self.callback = callback
        self.clock = clock
        self.start_bytes = start_bytes
        self.start_time = clock()
        self.last_emit: float | None = None

    def update(self, done: int, total: int, *, force: bool = False) -> None:
        if self.callback is None:
            return
        now = self.clock()
        if not force and self.last_emit is not None and now - self.last_emit < PROGRESS_INTERVAL_S:
            return
        self.last_emit = now
        elapsed = now - self.start_time
        # Never negative: a server that ignores Range sends the part back to zero mid-call.
        speed = max(0.0, (done - self.start_bytes) / elapsed) if elapsed > 0 else 0.0
        eta = (total - done) / speed if speed > 0 else None
        self.callback(DownloadProgress(done, total, speed, eta))


def download_file(
    url: str,
    dest: Path,
    *,
    expected_size: int | None,
    expected_sha256: str | None,
    headers: Mapping[str, str] | None = None,
    cancel: threading.Event | None = None,
    pause: threading.Event | None = None,
    on_progress: ProgressCallback | None = None,
    retries: int = 5,
    backoff_s: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
    free_disk: Callable[[Path], int] | None = None,
    timeout_s: float = 30.0,
    clock: Callable[[], float] = time.monotonic,
) -> Path:
    """Download ``url`` to ``dest``, resuming a part left by an earlier call; returns ``dest``.

    Raises DownloadPaused / DownloadCancelled when the events are set (checked between 1 MiB chunks), and
    DownloadError with a plain message otherwise. ``retries`` counts consecutive failures without progress.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    sent_headers = dict(headers or {})
    part: PartFile | None = None
    progress: _Progress | None = None
    failures = 0
    while True:
        if cancel is not None and cancel.is_set():
            delete_partial(dest)
            raise DownloadCancelled("download cancelled")
        if pause is not None and pause.is_set():
            raise DownloadPaused("download paused")
        try:
            if part is None:
                part = _prepare(
                    url,
                    dest,
                    sent_headers,
                    expected_size=expected_size,
                    expected_sha256=expected_sha256,
                    timeout_s=timeout_s,
                    free_disk=free_disk,
                )
                progress = _Progress(on_progress, clock, part.size)
            assert progress is not None
            before = part.size
            try:
                _fetch(
                    url,
                    sent_headers,
                    part,
                    timeout_s=timeout_s,
                    cancel=cancel,
                    pause=pause,
                    progress=progress,
                )
            except TransientError:
                if part.size > before:
                    failures = 0
                raise
            break
        except TransientError as exc:
            failures += 1
            if failures > retries:
                raise DownloadError(
                    translate(
                        "Downloads",
                        "The download keeps failing ({problem}). Check the connection; "
                        "it will resume where it stopped.",
                    ).format(problem=exc)
                ) from exc
            delay = backoff_s * 2 ** (failures - 1)
            log.info("download of %s interrupted (%s); retrying in %.1f s", dest.name, exc, delay)
            sleep(delay)
        except DownloadCancelled:
            delete_partial(dest)
            raise
    assert progress is not None
    progress.update(part.size, part.total, force=True)
    if part.size != part.total or (part.sha256 is not None and part.hasher.hexdigest() != part.sha256):
        delete_partial(dest)
        raise DownloadError(
            translate(
                "Downloads",
                "{name}: the downloaded file is damaged (checksum mismatch); it was deleted, "
                "please download it again.",
            ).format(name=dest.name)
        )
    os.replace(part.path, dest)
    part.sidecar.unlink(missing_ok=True)
    return dest


def _prepare(
    url: str,
    dest: Path,
    headers: dict[str, str],
    *,
    expected_size: int | None,
    expected_sha256: str | None,
    timeout_s: float,
    free_disk: Callable[[Path], int] | None,
) -> PartFile:
    """Ask the server what the file is, adopt or restart the part, and make sure it will fit on the disk."""
    remote = head_request(url, headers, timeout_s)
    total = expected_size if expected_size is not None else remote.size
    if total is None:
        raise DownloadError(
            translate("Downloads", "The server did not say how big the file is; it cannot be downloaded.")
        )
    identity = {
        "url": url,
        "expected_size": expected_size,
        "expected_sha256": expected_sha256,
        "etag": remote.etag,
        "size": remote.size,
    }
    sha = expected_sha256.lower() if expected_sha256 else etag_sha256(remote.etag)
    part = PartFile(dest, identity, total, sha)
    part.load()
    if part.size > total:
        part.reset()
    free = free_disk(dest.parent) if free_disk is not None else shutil.disk_usage(dest.parent).free
    needed = total - part.size + DISK_HEADROOM_BYTES
    if free < needed:
        raise _disk_error(needed, free)
    return part


class _HashingThread:
    """sha256 on a thread of its own, fed through a short queue.

    hashlib releases the GIL for large blocks, so hashing overlaps receiving and writing instead of
    adding to them: in series, sha256 (about 1.4 GB/s) held a loopback download to ~600 MB/s, and
    on its own thread the same loop reached ~900 MB/s with a core to spare (P6).
    """

    def __init__(self, hasher: Any) -> None:
        self._hasher = hasher
        self._blocks: queue.Queue[bytes | None] = queue.Queue(maxsize=16)
        self._thread = threading.Thread(target=self._run, name="sha256", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (block := self._blocks.get()) is not None:
            self._hasher.update(block)

    def update(self, block: bytes) -> None:
        self._blocks.put(block)

    def close(self) -> None:
        """Wait until every block given so far is hashed, so the digest matches the part on disk."""
        self._blocks.put(None)
        self._thread.join()


def _fetch(
    url: str,
    headers: dict[str, str],
    part: PartFile,
    *,
    timeout_s: float,
    cancel: threading.Event | None,
    pause: threading.Event | None,
    progress: _Progress,
) -> None:
    """One GET from ``part.size`` to the end; raises TransientError if the connection drops."""
    total = part.total
    if part.size == total:
        return
    request_headers = dict(headers)
    if part.size:
        request_headers["Range"] = f"bytes={part.size}-"
    request = urllib.request.Request(url, headers=request_headers)
    try:
        response = get_opener.open(request, timeout=timeout_s)
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code == 416:
            # The server thinks the part is past the end: what we hold is not its file.
            part.reset()
            raise TransientError("the server rejected the resume point") from exc
        if exc.code >= 500:
            raise TransientError(f"HTTP {exc.code}") from exc
        raise plain_http_error(exc.code, url) from exc
    except (OSError, http.client.HTTPException) as exc:
        raise TransientError(str(exc) or type(exc).__name__) from exc
    with response:
        if part.size and response.status != 206:
            log.info("the server ignored the Range request for %s; starting over", part.path.name)
            part.reset()
        elif part.size and not (response.headers.get("Content-Range") or "").startswith(
            f"bytes {part.size}-"
        ):
            part.reset()
            raise TransientError("the server resumed at the wrong place")
        hashing = _HashingThread(part.hasher)
        with part.path.open("ab") as out, contextlib.closing(hashing):
            while part.size < total:
                if cancel is not None and cancel.is_set():
                    raise DownloadCancelled("download cancelled")
                if pause is not None and pause.is_set():
                    raise DownloadPaused("download paused")
                try:
                    # read1 hands over whatever has arrived, so bytes before a stall still reach the disk.
                    block = response.read1(min(CHUNK, total - part.size))
                except (OSError, http.client.HTTPException) as exc:
                    raise TransientError(str(exc) or type(exc).__name__) from exc
                if not block:
                    raise TransientError("the connection was closed early")
                try:
                    out.write(block)
                except OSError as exc:
                    raise DownloadError(
                        translate("Downloads", "Could not save the download: {reason}").format(
                            reason=exc.strerror or exc
                        )
                    ) from exc
                hashing.update(block)
                part.size += len(block)
                progress.update(part.size, total)


@dataclass(frozen=True)
class DownloadItem:
    url: str
    dest: Path
    expected_size: int | None
    expected_sha256: str | None


def download_files(
    items: Sequence[DownloadItem],
    *,
    on_progress: ProgressCallback | None = None,
    **kwargs: Any,
) -> list[Path]:
    """Download several files (a model's shards) one after the other, each resumable on its own.

    Progress covers all items: sizes not known up front are added as each item starts. ``kwargs`` go to
    download_file (headers, cancel, pause, retries, ...).
    """
    finished = 0
    known = sum(item.expected_size or 0 for item in items)
    paths: list[Path] = []
    for item in items:
        path = download_file(
            item.url,
            item.dest,
            expected_size=item.expected_size,
            expected_sha256=item.expected_sha256,
            on_progress=_overall(on_progress, finished, known, counted=item.expected_size is not None),
            **kwargs,
        )
        size = path.stat().st_size
        if item.expected_size is None:
            known += size
        finished += size
        paths.append(path)
    return paths


def _overall(
    on_progress: ProgressCallback | None, finished: int, known: int, *, counted: bool
) -> ProgressCallback | None:
    """One item's progress as progress over all items; ``counted``: its size is already in ``known``."""
    if on_progress is None:
        return None
    report = on_progress

    def shard_progress(p: DownloadProgress) -> None:
        done = finished + p.done_bytes
        total = known + (0 if counted else p.total_bytes)
        eta = (total - done) / p.bytes_per_s if p.bytes_per_s > 0 else None
        report(DownloadProgress(done, total, p.bytes_per_s, eta))

    return shard_progress
