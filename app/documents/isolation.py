"""Reading a file in a child process, so the window never waits on a reader.

A reader thread in the app's own process shares the interpreter lock with the window: reading a
300-page PDF with pypdf stalled the event loop for 120 to 970 ms at a time on a 2-core machine,
whatever the thread switch interval (garbage collection of the reader's objects adds to it). A child
process has its own interpreter. It also keeps the app safe from a reader that hangs or crashes on a
hostile file: the child is stopped, and the user reads one plain sentence.

The child also runs under a memory limit (app.child_process.limit_memory), so a file made to exhaust
memory ends in "too large to read with the memory available" instead of slowing the whole machine. The
readers stop at the text limit on their own; the memory limit is there for what they cannot foresee.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Final

from app.child_process import start_child, stop_child
from app.documents.document import Document, DocumentError, too_large_for_memory, with_notes
from app.documents.formats.common import ExtractionCancelled
from app.documents.source import resolve_source
from app.i18n import translate

# Longer than any real file takes (a 300-page PDF reads in about a second and a half); a file
# that takes longer is treated as one the reader cannot cope with.
TIME_LIMIT_S: Final = 600.0
# The reader child's memory, all in (address space, on Linux). Python and the readers take about 60 MB
# (170 MB of address space); the hostile files of issue 14 now peak under 250 MB, and the hungriest real
# file, 90 MB of JSON in small values, at about 830 MB. A file that needs more is "too large to read".
READER_MEMORY_LIMIT: Final = 1024**3
_POLL_S: Final = 0.05
# Windows' code for a process that ended because an allocation failed (STATUS_NO_MEMORY).
_WINDOWS_NO_MEMORY: Final = 0xC0000017

ChildEntry = Callable[[str, Connection], None]


def _read_in_child(path: str, conn: Connection) -> None:
    """The child's whole life: read the file, send progress, then the Document or the error's words.

    The child has no translator: the notes and the error's message go as they are (Deferred) and are
    put into words by the parent, in the user's language.
    """
    from app.documents.extract import extract_unworded

    out_of_memory = False
    try:
        unworded = extract_unworded(Path(path), progress=lambda fraction: conn.send(("progress", fraction)))
        conn.send(("done", unworded))
    except DocumentError as error:
        conn.send(("error", error.args[0] if len(error.args) == 1 else str(error)))
    except MemoryError:
        # Past the memory limit outside a reader (sending a big text, say). Said once the error and
        # what it holds on to are gone, so the words have memory to be sent with.
        out_of_memory = True
    except BaseException:
        conn.send(("bug", traceback.format_exc()))
    if out_of_memory:
        conn.send(("error", too_large_for_memory(Path(path).name).args[0]))
    conn.close()


def extract_in_child(
    path: Path,
    *,
    progress: Callable[[float], None] | None = None,
    cancel: threading.Event | None = None,
    entry: ChildEntry = _read_in_child,
    memory_limit: int | None = READER_MEMORY_LIMIT,
) -> Document:
    """extract(path) in a child process, with the same results and errors.

    Blocks the calling thread (not the window's) until the child is done; setting `cancel` stops
    the child at once and raises ExtractionCancelled. The child may use `memory_limit` bytes at most.
    """
    name = path.name
    child, receiver = start_child(entry, (str(path),), "hearth-reader", memory_limit=memory_limit)
    started = time.monotonic()
    answered = False  # the child said its last word and is exiting by itself
    died = False  # the child ended without a last word
    try:
        while True:
            if cancel is not None and cancel.is_set():
                raise ExtractionCancelled(
                    translate("Documents", "Reading “{name}” was cancelled.").format(name=name)
                )
            if time.monotonic() - started > TIME_LIMIT_S:
                raise DocumentError(
                    translate("Documents", "“{name}” took too long to read; it may be damaged.").format(
                        name=name
                    )
                )
            if not receiver.poll(_POLL_S):
                continue
            try:
                kind, payload = receiver.recv()
            except EOFError:
                died = True
                break
            answered = kind != "progress"
            outcome = _handle(kind, payload, progress)
            if outcome is not None:
                return outcome
    finally:
        receiver.close()
        exit_code = stop_child(child, grace_s=1.0 if answered or died else 0.0)
    raise _death(name, exit_code)


def _death(name: str, exit_code: int | None) -> DocumentError:
    """Plain words for a reader that died without a word: killed for its memory, or crashed."""
    if _killed_for_memory(exit_code):
        return too_large_for_memory(name)
    return DocumentError(
        translate(
            "Documents",
            "“{name}” could not be read: the reader stopped unexpectedly. The file may be damaged.",
        ).format(name=name)
    )


def _killed_for_memory(exit_code: int | None) -> bool:
    """Whether the reader's end looks like a death by memory rather than a crash.

    The memory limit makes allocations fail, which Python reports as MemoryError and the child answers
    in words. Only a process the system itself ends for its memory dies without one: SIGKILL from Linux's
    out-of-memory killer (or macOS's, which does not enforce the limit), STATUS_NO_MEMORY on Windows.
    """
    if exit_code is None:
        return False
    if sys.platform == "win32":
        return exit_code & 0xFFFFFFFF == _WINDOWS_NO_MEMORY
    return exit_code == -signal.SIGKILL


def _handle(kind: str, payload: Any, progress: Callable[[float], None] | None) -> Document | None:
    if kind == "progress":
        if progress is not None:
            progress(float(payload))
        return None
    if kind == "done":
        document, notes = payload
        if isinstance(document, Document):
            return with_notes(document, notes)
    if kind == "error":
        raise DocumentError(payload)  # a Deferred is put into words by str(), in this process
    raise RuntimeError(f"the document reader failed:\n{payload}")


# Below this, a text-like file reads in milliseconds: starting a child (about half a second) would
# cost more than it saves. PDF and Word files always go to a child: their readers are the slow ones.
IN_PROCESS_BYTES: Final = 1_000_000
_CHILD_SUFFIXES: Final = frozenset({".pdf", ".docx"})


def read_document(
    path: Path, *, progress: Callable[[float], None] | None = None, cancel: threading.Event | None = None
) -> Document:
    """extract(path) the way the window wants it: in a child process when the read could be long."""
    real = resolve_source(path).path  # a link named notes.txt may lead to a PDF: its reader is the slow one
    try:
        big = real.stat().st_size > IN_PROCESS_BYTES
    except OSError:
        big = False  # extract() says what is wrong with the file, in plain words
    if big or real.suffix.lower() in _CHILD_SUFFIXES:
        return extract_in_child(path, progress=progress, cancel=cancel)
    from app.documents.extract import extract

    return extract(path, progress=progress, cancel=cancel)
