"""Reading a file in a child process, so the window never waits on a reader.

A reader thread in the app's own process shares the interpreter lock with the window: reading a
300-page PDF with pypdf stalled the event loop for 120 to 970 ms at a time on a 2-core machine,
whatever the thread switch interval (garbage collection of the reader's objects adds to it). A child
process has its own interpreter. It also keeps the app safe from a reader that hangs or crashes on a
hostile file: the child is stopped, and the user reads one plain sentence.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Final

from app.child_process import start_child, stop_child
from app.documents.document import Document, DocumentError, with_notes
from app.documents.formats.common import ExtractionCancelled
from app.i18n import translate

# Longer than any real file takes (a 300-page PDF reads in about a second and a half); a file
# that takes longer is treated as one the reader cannot cope with.
TIME_LIMIT_S: Final = 600.0
_POLL_S: Final = 0.05

ChildEntry = Callable[[str, Connection], None]


def _read_in_child(path: str, conn: Connection) -> None:
    """The child's whole life: read the file, send progress, then the Document or the error's words.

    The child has no translator: the notes and the error's message go as they are (Deferred) and are
    put into words by the parent, in the user's language.
    """
    from app.documents.extract import extract_unworded

    try:
        unworded = extract_unworded(Path(path), progress=lambda fraction: conn.send(("progress", fraction)))
        conn.send(("done", unworded))
    except DocumentError as error:
        conn.send(("error", error.args[0] if len(error.args) == 1 else str(error)))
    except BaseException:
        conn.send(("bug", traceback.format_exc()))
    finally:
        conn.close()


def extract_in_child(
    path: Path,
    *,
    progress: Callable[[float], None] | None = None,
    cancel: threading.Event | None = None,
    entry: ChildEntry = _read_in_child,
) -> Document:
    """extract(path) in a child process, with the same results and errors.

    Blocks the calling thread (not the window's) until the child is done; setting `cancel` stops
    the child at once and raises ExtractionCancelled.
    """
    name = path.name
    child, receiver = start_child(entry, (str(path),), "hearth-reader")
    started = time.monotonic()
    answered = False  # the child said its last word and is exiting by itself
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
                raise DocumentError(
                    translate(
                        "Documents",
                        "“{name}” could not be read: the reader stopped unexpectedly. "
                        "The file may be damaged.",
                    ).format(name=name)
                ) from None
            answered = kind != "progress"
            outcome = _handle(kind, payload, progress)
            if outcome is not None:
                return outcome
    finally:
        receiver.close()
        stop_child(child, grace_s=1.0 if answered else 0.0)


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
    try:
        big = path.stat().st_size > IN_PROCESS_BYTES
    except OSError:
        big = False  # extract() says what is wrong with the file, in plain words
    if big or path.suffix.lower() in _CHILD_SUFFIXES:
        return extract_in_child(path, progress=progress, cancel=cancel)
    from app.documents.extract import extract

    return extract(path, progress=progress, cancel=cancel)
