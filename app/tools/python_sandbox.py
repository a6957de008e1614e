"""Python for gpt-oss's `python` tool: a notebook in a WebAssembly sandbox, one per conversation.

The code runs in CPython compiled to WebAssembly (app.tools.python_runtime), in a child process of its own
(app.tools.python_worker). It sees one folder, the conversation's, as /mnt/data, and nothing else of the
computer: no other file, no network, no programs. Each call may run `time_limit_s` and the interpreter may
use `memory_limit_bytes`; what a call prints, its value and its traceback are each cut at `output_limit`
characters. Variables and imports stay from one call to the next, like a notebook's.

A call that runs too long, or that the user stops, ends the whole child process (the only stop that also
reaches code waiting inside the runtime, in a long sleep): the notebook starts afresh at the next call,
which says so (SandboxOutcome.session_reset) so the model knows its variables are gone.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import TracebackType
from typing import Any, Final

from app.child_process import SPAWN, start_child, stop_child
from app.tools.python_runtime import (
    SandboxCancelled,
    SandboxUnavailable,
    cannot_start,
    damaged_runtime,
    default_cache_dir,
    prepare,
    runtime_wasm,
)
from app.tools.python_worker import GuestReply, WorkerSettings, worker_main

log = logging.getLogger("hearth.tools")

DEFAULT_TIME_LIMIT_S: Final = 30.0
# The interpreter takes about 10 MB of it; the rest is for the code (a CSV file of tens of MB in pandas-free
# Python is a few hundred MB of objects).
DEFAULT_MEMORY_LIMIT: Final = 512 * 1024 * 1024
DEFAULT_OUTPUT_LIMIT: Final = 4096
# Starting the child takes well under a second, unless wasmtime refuses the compiled file and it compiles
# again (5 to 20 s on 2 cores).
START_LIMIT_S: Final = 300.0
# How long after the time limit the parent waits for the worker's own stop before ending the process.
STOP_GRACE_S: Final = 1.0
_POLL_S: Final = 0.02


@dataclass(frozen=True)
class SandboxOutcome:
    """What one call did. `stdout` holds what it printed (stderr too), `result` the repr of a last bare
    expression, `error` the traceback; each cut at the output limit (`truncated` says so)."""

    stdout: str = ""
    result: str | None = None
    error: str | None = None
    seconds: float = 0.0
    timed_out: bool = False
    memory_exceeded: bool = False
    truncated: bool = False
    cancelled: bool = False
    # The interpreter stopped by itself (os._exit, a crash): the next call starts afresh.
    ended: bool = False
    # This call ran in a fresh notebook because an earlier one was stopped: earlier variables are gone.
    session_reset: bool = False


class PythonSandbox:
    """One conversation's notebook. Thread-safe: calls run one at a time, in the order they come."""

    def __init__(
        self,
        folder: Path,
        *,
        time_limit_s: float = DEFAULT_TIME_LIMIT_S,
        memory_limit_bytes: int = DEFAULT_MEMORY_LIMIT,
        output_limit: int = DEFAULT_OUTPUT_LIMIT,
        cache_dir: Path | None = None,
    ) -> None:
        self.folder = folder
        self.time_limit_s = time_limit_s
        self.memory_limit_bytes = memory_limit_bytes
        self.output_limit = output_limit
        self._cache_dir = cache_dir or default_cache_dir()
        self._lock = threading.Lock()
        self._child: BaseProcess | None = None
        self._requests: Connection | None = None
        self._replies: Connection | None = None
        self._reset_pending = False
        self._closed = False
        self._closing = threading.Event()  # set by close(): a running call stops at once

    @property
    def worker_pid(self) -> int | None:
        """The process the notebook runs in, while it runs (for measurements)."""
        child = self._child
        return child.pid if child is not None and child.is_alive() else None

    def prepare(self, cancel: threading.Event | None = None) -> None:
        """Compile the interpreter if this machine has not yet (5 to 20 s, once): worth doing early."""
        prepare(self._cache_dir, cancel)

    def start(self, cancel: threading.Event | None = None) -> None:
        """Start the notebook now rather than at the first call.

        Raises SandboxUnavailable, or SandboxCancelled when `cancel` is set meanwhile."""
        with self._lock:
            self._ensure_started(cancel)

    def run(self, code: str, cancel: threading.Event) -> SandboxOutcome:
        """Run one cell. Raises SandboxUnavailable when Python cannot run here at all."""
        with self._lock:
            if self._closed:
                raise SandboxUnavailable(cannot_start())
            try:
                self._ensure_started(cancel)
            except SandboxCancelled:
                return SandboxOutcome(cancelled=True)
            reset, self._reset_pending = self._reset_pending, False
            outcome = self._exchange(code, cancel)
            if outcome.timed_out or outcome.cancelled or outcome.ended:
                self._stop(grace_s=0.0)
                self._reset_pending = True
            return replace(outcome, session_reset=reset)

    def close(self) -> None:
        """End the notebook (its folder stays); a call running meanwhile is stopped (cancelled). Later calls
        raise SandboxUnavailable."""
        self._closing.set()
        with self._lock:
            self._closed = True
            self._stop(grace_s=1.0)

    def __enter__(self) -> PythonSandbox:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def _ensure_started(self, cancel: threading.Event | None) -> None:
        if self._child is not None and self._child.is_alive():
            return
        if self._child is not None:  # it died between calls (the system ended it, say)
            self._stop(grace_s=0.0)
            self._reset_pending = True
        compiled = prepare(self._cache_dir, cancel)
        settings = WorkerSettings(
            folder=str(self.folder.resolve()),
            compiled=str(compiled),
            wasm=str(runtime_wasm()),
            memory_limit_bytes=self.memory_limit_bytes,
            output_limit=self.output_limit,
            time_limit_s=self.time_limit_s,
        )
        self.folder.mkdir(parents=True, exist_ok=True)
        requests_out, requests_in = SPAWN.Pipe(duplex=False)
        child, replies = start_child(worker_main, (settings, requests_out), "hearth-python")
        requests_out.close()
        self._child, self._requests, self._replies = child, requests_in, replies
        started = time.monotonic()
        while time.monotonic() - started < START_LIMIT_S:
            if (cancel is not None and cancel.is_set()) or self._closing.is_set():
                self._stop(grace_s=0.0)
                raise SandboxCancelled
            message = self._receive(_POLL_S)
            if message is None:
                continue
            if message[0] == "ready":
                return
            self._stop(grace_s=1.0)
            if message[0] == "failed" and message[1] == "damaged":
                raise SandboxUnavailable(damaged_runtime())
            log.warning("the Python sandbox did not start: %r", message)
            raise SandboxUnavailable(cannot_start())
        self._stop(grace_s=0.0)
        log.warning("the Python sandbox did not start within %s s", START_LIMIT_S)
        raise SandboxUnavailable(cannot_start())

    def _receive(self, timeout: float) -> tuple[Any, ...] | None:
        """The worker's next message, None if none came in `timeout`; ("gone",) when its pipe closed."""
        assert self._replies is not None
        try:
            if not self._replies.poll(timeout):
                return None
            message: tuple[Any, ...] = self._replies.recv()
        except (EOFError, OSError):
            return ("gone",)
        return message

    def _exchange(self, code: str, cancel: threading.Event) -> SandboxOutcome:
        assert self._requests is not None
        started = time.monotonic()
        try:
            self._requests.send(("run", code))
        except OSError:
            return SandboxOutcome(ended=True)
        deadline = started + self.time_limit_s + STOP_GRACE_S
        while True:
            if cancel.is_set() or self._closing.is_set():
                return SandboxOutcome(cancelled=True, seconds=time.monotonic() - started)
            if time.monotonic() > deadline:
                return SandboxOutcome(timed_out=True, seconds=time.monotonic() - started)
            message = self._receive(_POLL_S)
            if message is None:
                continue
            seconds = time.monotonic() - started
            if message[0] == "reply" and isinstance(message[1], GuestReply):
                reply: GuestReply = message[1]
                return SandboxOutcome(
                    stdout=reply.stdout,
                    result=reply.result,
                    error=reply.error,
                    seconds=seconds,
                    memory_exceeded=reply.memory_exceeded,
                    truncated=reply.truncated,
                )
            if message[0] == "timed_out":
                return SandboxOutcome(timed_out=True, seconds=seconds)
            log.warning("the Python sandbox stopped during a call: %r", message)
            return SandboxOutcome(ended=True, seconds=seconds)

    def _stop(self, *, grace_s: float) -> None:
        """End the child: closing its pipe ends the notebook by itself; `grace_s` later it is ended."""
        if self._requests is not None:
            self._requests.close()
        if self._replies is not None:
            self._replies.close()
        if self._child is not None:
            stop_child(self._child, grace_s=grace_s)
        self._child = self._requests = self._replies = None
