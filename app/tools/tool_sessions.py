"""What the tools keep between replies: each conversation's Python notebook and its folder.

gpt-oss expects its python tool to be a notebook whose variables stay from one call to the next, and a
drive (/mnt/data) holding the user's files. A ToolSessions keeps one PythonSandbox per conversation, in
the conversation's own folder under the data folder, for as long as its owner wants: the window keeps
one for the app's life and closes a conversation's notebook when another is opened (close) or the
conversation is deleted (discard), and everything when it quits (close_all); `hearth ask` makes one
for its one reply. The folder stays between sessions, with whatever the code wrote in it.

The history keeps an attachment's extracted text, not the file it came from, so the folder holds that
text: under the file's own name when the text is the whole file (its SHA-256 matches the stored one, as
for plain text, Markdown or CSV), else as "name.txt" ("report.pdf.txt").
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import threading
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from app.engine import ModelInfo
from app.store import AttachmentRecord, HistoryStore
from app.tools.python_files import copy_attachments
from app.tools.python_runtime import prepare
from app.tools.python_sandbox import PythonSandbox
from app.tools.python_tool import PythonTool
from app.tools.toolbox import ConversationTools, conversation_tools

log = logging.getLogger("hearth.tools")


class ToolSessions:
    """The python notebooks of one process's conversations, each in `root`/<conversation id>.
    Thread-safe: replies run on a worker thread while the window closes notebooks on its own."""

    def __init__(self, root: Path, *, python_cache: Path | None = None) -> None:
        """`python_cache`: where the compiled interpreter is kept (None: the user's cache folder)."""
        self.root = root
        self._python_cache = python_cache
        self._lock = threading.Lock()
        self._sandboxes: dict[int, PythonSandbox] = {}
        self._copied: dict[int, set[int]] = {}  # attachment ids already in each folder
        self._closing: list[threading.Thread] = []

    def for_reply(
        self,
        info: ModelInfo | None,
        store: HistoryStore,
        conversation_id: int,
        message_ids: Sequence[int] | None = None,
    ) -> ConversationTools | None:
        """The tools of a reply in this conversation (app.tools.toolbox.conversation_tools), python in
        the conversation's notebook."""

        def python_for(conversation: int, documents: Sequence[AttachmentRecord]) -> PythonTool:
            return self.python_tool(store, conversation, documents)

        return conversation_tools(info, store, conversation_id, message_ids, python_for=python_for)

    def folder(self, conversation_id: int) -> Path:
        """The conversation's folder (/mnt/data to its code)."""
        return self.root / str(conversation_id)

    def python_tool(
        self, store: HistoryStore, conversation_id: int, documents: Sequence[AttachmentRecord]
    ) -> PythonTool:
        """The conversation's notebook (started at its first call), its folder holding `documents`."""
        with self._lock:
            sandbox = self._sandboxes.get(conversation_id)
            if sandbox is None:
                sandbox = PythonSandbox(self.folder(conversation_id), cache_dir=self._python_cache)
                self._sandboxes[conversation_id] = sandbox
            copied = self._copied.setdefault(conversation_id, set())
        new = [document for document in documents if document.id not in copied]
        if new:
            try:
                _copy_texts(store, sandbox.folder, new)
            except OSError as error:
                # Python still runs, without the files; the next reply tries again.
                log.warning("could not copy the attachments to the Python folder: %s", error)
            else:
                copied.update(document.id for document in new)
        return PythonTool(sandbox)

    def prepare(self, cancel: threading.Event | None = None) -> None:
        """Compile the interpreter now if this computer has not yet (10 to 20 s, once), rather than at the
        model's first call: worth doing on a thread when the user turns Python on. Raises
        SandboxUnavailable, or SandboxCancelled when `cancel` is set meanwhile."""
        prepare(self._python_cache, cancel)

    def close(self, conversation_id: int) -> None:
        """End the conversation's notebook (its folder stays). Returns at once: a call still running in it
        is stopped and the process ended on a thread of its own."""
        with self._lock:
            sandbox = self._sandboxes.pop(conversation_id, None)
            self._copied.pop(conversation_id, None)
            if sandbox is None:
                return
            closing = threading.Thread(target=sandbox.close, name="hearth-python-close", daemon=True)
            self._closing.append(closing)
        closing.start()

    def discard(self, conversation_id: int) -> None:
        """End the notebook of a deleted conversation and remove its folder, copies of its documents and
        what its code wrote: nothing of it is kept. Waits for the notebook to end."""
        with self._lock:
            sandbox = self._sandboxes.pop(conversation_id, None)
            self._copied.pop(conversation_id, None)
        if sandbox is not None:
            sandbox.close()
        shutil.rmtree(self.folder(conversation_id), ignore_errors=True)

    def close_all(self) -> None:
        """End every notebook and wait for them (quitting)."""
        with self._lock:
            sandboxes = list(self._sandboxes.values())
            closing, self._closing = self._closing, []
            self._sandboxes.clear()
            self._copied.clear()
        for sandbox in sandboxes:
            sandbox.close()
        for thread in closing:
            thread.join()

    def __enter__(self) -> ToolSessions:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close_all()


def _copy_texts(store: HistoryStore, folder: Path, documents: Sequence[AttachmentRecord]) -> None:
    """Each document's text into `folder`, unless a file there holds it already (an earlier session)."""
    files: list[tuple[str, bytes]] = []
    for document in documents:
        content = store.attachment_content(document.id)
        if content is None:  # deleted meanwhile
            continue
        data = content.text.encode("utf-8")
        whole = hashlib.sha256(data).hexdigest() == document.sha256
        files.append((document.name if whole else f"{document.name}.txt", data))
    present = _present(folder, {len(data) for _, data in files})
    copy_attachments(folder, [(name, data) for name, data in files if data not in present])


def _present(folder: Path, sizes: set[int]) -> set[bytes]:
    """The contents of the files directly in `folder` that have one of `sizes` (links are not followed:
    the sandbox's code may have made them)."""
    found: set[bytes] = set()
    if not folder.is_dir():
        return found
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_size in sizes:
                found.add(Path(entry.path).read_bytes())
    return found
