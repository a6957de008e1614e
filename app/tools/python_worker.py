"""The sandbox's own process: one WebAssembly Python interpreter for one conversation, kept between calls.

The parent (app.tools.python_sandbox) starts it with app.child_process and talks to it over two pipes:
("run", code) in; ("ready",), ("reply", GuestReply), ("timed_out",) or ("failed", why, detail) out.

The interpreter sees one folder of the computer, as /mnt/data, and nothing else: WASI gives it no sockets,
no processes and no path outside the folders it is handed. Its memory is capped by the store (an allocation
past the cap is a MemoryError inside, and the notebook lives on). Its time is capped twice: here an epoch
deadline stops running code at the limit, and the parent ends this whole process if no answer came by then
(code waiting inside the runtime, in a long sleep, never reaches an epoch check).

Cells reach the guest through its standard input: wasmtime can only give a guest a file or this process's
own stdin, so this process's stdin becomes a pipe that a thread fills from the parent's. (Replacing the
guest's fd_read instead does not work: wasmtime's other WASI calls cannot be made on the guest's behalf.)
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import sys
import threading
import time
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from app.tools.python_guest import DRIVER
from app.tools.python_runtime import DamagedRuntime, compile_runtime, engine_config

if TYPE_CHECKING:
    import wasmtime

GUEST_FOLDER: Final = "/mnt/data"
# After the epoch deadline, how long a guest stuck in the runtime may keep this process alive: only when
# the parent, which ends it at the limit, is gone.
ORPHAN_GRACE_S: Final = 10.0
_STDIN: Final = 0


@dataclass(frozen=True)
class WorkerSettings:
    folder: str
    compiled: str  # the machine code (python_runtime.prepare)
    wasm: str  # to compile again if wasmtime refuses the compiled file
    memory_limit_bytes: int
    output_limit: int  # characters, for each of the printed output, the value and the traceback
    time_limit_s: float


@dataclass(frozen=True)
class GuestReply:
    """One cell's answer, as the notebook sent it (checked for shape, nothing else)."""

    stdout: str
    result: str | None
    error: str | None
    truncated: bool
    memory_exceeded: bool
    cell: int  # the number of the cell it answers


class FrameReader:
    """Splits the guest's standard output into answer frames (`<nonce> <length>\\n<data>`) and the bytes
    around them, which a cell wrote to the stream directly; those are kept up to `stray_limit` bytes.

    A "frame" longer than `max_frame` is not the notebook's: its answer is three parts of the output limit
    at most, JSON-escaped (12 bytes at worst for a character)."""

    def __init__(self, nonce: str, stray_limit: int, max_frame: int) -> None:
        self._marker = nonce.encode("ascii") + b" "
        self._max_frame = max_frame
        self._buffer = bytearray()
        self._stray = bytearray()
        self._stray_limit = stray_limit
        self.stray_truncated = False

    def feed(self, data: bytes) -> list[bytes]:
        self._buffer += data
        frames: list[bytes] = []
        while True:
            at = self._buffer.find(self._marker)
            if at < 0:
                self._keep_stray(len(self._buffer) - self._marker_begun())
                return frames
            self._keep_stray(at)
            header_end = len(self._marker) + len(str(self._max_frame)) + 1
            newline = self._buffer.find(b"\n", len(self._marker), header_end)
            if newline < 0 and len(self._buffer) < header_end:
                return frames  # the header is still coming
            digits = bytes(self._buffer[len(self._marker) : newline]) if newline >= 0 else b""
            if not digits.isdigit() or int(digits) > self._max_frame:
                self._keep_stray(1)  # not a frame after all: the marker's first byte is output
                continue
            end = newline + 1 + int(digits)
            if len(self._buffer) < end:
                return frames
            frames.append(bytes(self._buffer[newline + 1 : end]))
            del self._buffer[:end]

    def _marker_begun(self) -> int:
        """How many bytes at the end of the buffer may be the start of a marker split across two writes."""
        for size in range(min(len(self._marker) - 1, len(self._buffer)), 0, -1):
            if self._buffer.endswith(self._marker[:size]):
                return size
        return 0

    def _keep_stray(self, count: int) -> None:
        self.add_stray(bytes(self._buffer[:count]))
        del self._buffer[:count]

    def add_stray(self, data: bytes) -> None:
        room = self._stray_limit - len(self._stray)
        if len(data) > room:
            self.stray_truncated = True
        self._stray += data[: max(0, room)]

    def take_stray(self) -> tuple[str, bool]:
        """The bytes written outside frames since the last call, as text, and whether some were dropped."""
        text = self._stray.decode("utf-8", "replace")
        truncated = self.stray_truncated
        self._stray = bytearray()
        self.stray_truncated = False
        return text, truncated


def parse_reply(frame: bytes) -> GuestReply | None:
    """A frame's answer, or None for the readiness frame; a malformed frame reads as an empty answer."""
    try:
        data = json.loads(frame)
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    if data.get("ready") is True:
        return None

    def text(key: str) -> str | None:
        value = data.get(key)
        return value if isinstance(value, str) else None

    return GuestReply(
        stdout=text("stdout") or "",
        result=text("result"),
        error=text("error"),
        truncated=data.get("truncated") is True,
        memory_exceeded=data.get("memory") is True,
        cell=data["cell"] if isinstance(data.get("cell"), int) else -1,
    )


class _Watchdog:
    """Stops a cell at the time limit through the engine's epoch; see the module's docstring."""

    def __init__(self, engine: wasmtime.Engine, limit_s: float) -> None:
        self._engine = engine
        self._limit_s = limit_s
        self._condition = threading.Condition()
        self._cell = 0
        self._running = False
        self.fired = False
        threading.Thread(target=self._watch, name="hearth-python-watchdog", daemon=True).start()

    def started(self) -> None:
        with self._condition:
            self._cell += 1
            self._running = True
            self._condition.notify_all()

    def finished(self) -> bool:
        """The cell answered or the guest ended; returns whether the watchdog had stopped it first."""
        with self._condition:
            self._running = False
            self._condition.notify_all()
            return self.fired

    def _watch(self) -> None:
        with self._condition:
            while True:
                while not self._running:
                    self._condition.wait()
                cell, deadline = self._cell, time.monotonic() + self._limit_s
                while self._running and self._cell == cell and time.monotonic() < deadline:
                    self._condition.wait(deadline - time.monotonic())
                if self._running and self._cell == cell:
                    break
            self.fired = True
            self._engine.increment_epoch()
            if not self._condition.wait_for(lambda: not self._running, ORPHAN_GRACE_S):
                os._exit(1)


class _Guest:
    """The host side of the guest's standard streams."""

    def __init__(self, replies: Connection, frames: FrameReader) -> None:
        self._replies = replies
        self._frames = frames
        self._busy = False  # a cell was handed over and has not answered yet
        self._cell = 0  # the number of the last cell handed over
        self._ready = False
        self.watchdog: _Watchdog | None = None

    def send(self, message: tuple[Any, ...]) -> None:
        try:
            self._replies.send(message)
        except OSError:
            os._exit(0)  # the parent is gone: nobody is waiting for this notebook

    def feed(self, requests: Connection, stdin: int) -> None:
        """Hand each cell the parent sends to the guest's stdin; the parent closing its pipe closes it."""
        while True:
            try:
                _kind, code = requests.recv()
            except (EOFError, OSError):
                break
            body = str(code).encode("utf-8", "replace")
            self._cell += 1
            self._busy = True
            if self.watchdog is not None:
                self.watchdog.started()
            data = memoryview(b"%d %d\n" % (self._cell, len(body)) + body)
            try:
                while data:
                    data = data[os.write(stdin, data) :]
            except OSError:
                break  # the guest is gone; the main thread says why
        os.close(stdin)

    def on_stdout(self, data: bytes) -> None:
        for frame in self._frames.feed(data):
            reply = parse_reply(frame)
            if reply is None:
                if not self._ready:
                    self._ready = True
                    self._frames.take_stray()  # the interpreter's start-up chatter, if any
                    self.send(("ready",))
                continue
            if not self._busy or reply.cell != self._cell:
                # Not an answer to the cell being waited for: forged by a cell (it can read the nonce and
                # the number), or the notebook's own answer to a cell whose forgery came first. Only the
                # first answer with the right number counts, so cells and answers stay in step; a forgery
                # only changes what its own cell reports, which that cell controls anyway.
                continue
            stray, stray_truncated = self._frames.take_stray()
            if stray:
                reply = replace(
                    reply, stdout=reply.stdout + stray, truncated=reply.truncated or stray_truncated
                )
            self._busy = False
            if self.watchdog is not None and self.watchdog.finished():
                # Stopped as it answered: the guest traps any moment now, and "timed_out" is the answer
                # (one answer per cell, or the next call would read this one's).
                continue
            self.send(("reply", reply))

    def on_stderr(self, data: bytes) -> None:
        # A cell's stderr is the notebook's buffer: only the interpreter itself, or a cell writing to the
        # descriptor directly, gets here. Either is output like any other, never a frame.
        self._frames.add_stray(data)


def _stdin_from_a_pipe() -> int:
    """Make this process's standard input the reading end of a new pipe, for the guest to inherit; returns
    the writing end. Windows' runtime reads the standard handle, which os.dup2 leaves alone in a program
    without a console (the frozen app)."""
    reading, writing = os.pipe()
    os.dup2(reading, _STDIN)
    os.close(reading)
    if sys.platform == "win32":
        import ctypes
        import msvcrt

        std_input_handle = -10
        ctypes.windll.kernel32.SetStdHandle(std_input_handle, msvcrt.get_osfhandle(_STDIN))
    return writing


def _load(engine: wasmtime.Engine, settings: WorkerSettings) -> wasmtime.Module:
    """The compiled interpreter; compiled again if wasmtime refuses the cached file (another processor)."""
    import wasmtime

    try:
        return wasmtime.Module.deserialize_file(engine, settings.compiled)
    except (wasmtime.WasmtimeError, OSError):
        with contextlib.suppress(OSError):  # mapped by another Hearth (Windows): it stays, and is skipped
            Path(settings.compiled).unlink(missing_ok=True)
        return compile_runtime(Path(settings.wasm), Path(settings.compiled), engine)


def worker_main(settings: WorkerSettings, requests: Connection, replies: Connection) -> None:
    """The child's whole life: start the notebook, serve cells until the parent closes the pipe."""
    import wasmtime

    engine = wasmtime.Engine(engine_config())
    nonce = secrets.token_hex(16)
    limit = settings.output_limit
    guest = _Guest(replies, FrameReader(nonce, stray_limit=4 * limit, max_frame=40 * limit + 4096))
    try:
        module = _load(engine, settings)
        store = wasmtime.Store(engine)
        store.set_limits(memory_size=settings.memory_limit_bytes)
        store.set_epoch_deadline(1)  # the watchdog's one tick ends a running cell
        wasi = wasmtime.WasiConfig()
        wasi.argv = ["python", "-I", "-S", "-c", DRIVER, nonce, str(settings.output_limit)]
        stdin = _stdin_from_a_pipe()
        wasi.inherit_stdin()
        wasi.stdout_custom = guest.on_stdout
        wasi.stderr_custom = guest.on_stderr
        wasi.preopen_dir(settings.folder, GUEST_FOLDER)
        store.set_wasi(wasi)
        linker = wasmtime.Linker(engine)
        linker.define_wasi()
        start = linker.instantiate(store, module).exports(store)["_start"]
        assert isinstance(start, wasmtime.Func)
    except DamagedRuntime:
        guest.send(("failed", "damaged", ""))
        return
    except (wasmtime.WasmtimeError, OSError) as error:
        guest.send(("failed", "error", f"{type(error).__name__}: {error}"))
        return
    guest.watchdog = _Watchdog(engine, settings.time_limit_s)
    threading.Thread(
        target=guest.feed, args=(requests, stdin), name="hearth-python-cells", daemon=True
    ).start()
    try:
        start(store)
        ending = "the interpreter ended"
    except wasmtime.ExitTrap as error:
        ending = f"the interpreter exited with code {error.code}"
    except wasmtime.Trap as error:
        ending = str(error).splitlines()[0] if str(error) else "trap"
    except wasmtime.WasmtimeError as error:
        ending = str(error).splitlines()[0] if str(error) else "error"
    guest.watchdog.finished()
    if guest.watchdog.fired:
        guest.send(("timed_out",))
    else:
        guest.send(("failed", "ended", ending))
