"""The window's side of gpt-oss's tools: what keeps them between replies, for the app's whole life.

One ToolSessions (app.tools.tool_sessions) serves every reply the inference worker writes. The window tells
it when a conversation's Python notebook can end: another conversation was opened (its folder stays), the
conversation was deleted (its folder goes too), or the app quits. When the user turns Python on, the
interpreter is compiled in the background (10 to 20 seconds, once per computer), so the model's first
call does not wait for it. The user's settings remember that the one-time explanation of Python was read.
"""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool

from app.tools.python_runtime import SandboxCancelled, SandboxUnavailable
from app.tools.tool_sessions import ToolSessions
from app.tools.toolbox import python_available
from app.ui.jobs import run_job
from app.ui.settings_controller import SettingsController
from app.ui.workers import InferenceService

log = logging.getLogger("hearth.ui")


class WindowTools(QObject):
    def __init__(
        self,
        root: Path,
        inference: InferenceService,
        settings: SettingsController,
        parent: QObject | None = None,
    ) -> None:
        """`root`: the folder that holds a folder per conversation for its Python code."""
        super().__init__(parent)
        self._settings = settings
        self.sessions = ToolSessions(root)
        inference.set_tool_sessions(self.sessions)
        # Compiling takes up to minutes on a slow computer: never on the pool the quick jobs share.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._closing = threading.Event()
        self._preparing = False

    @property
    def python_explained(self) -> bool:
        return self._settings.settings.python_explained

    def remember_python_explained(self) -> None:
        self._settings.update(python_explained=True)

    @staticmethod
    def python_available() -> bool:
        """Whether Python for the sandbox is installed (quick: nothing is started)."""
        return python_available()

    def left(self, conversation_id: int) -> None:
        """Another conversation is on screen: this one's notebook ends (its variables with it)."""
        self.sessions.close(conversation_id)

    def deleted(self, conversation_id: int) -> None:
        """The conversation is gone: its notebook and folder too. Waits: call it off the UI thread."""
        self.sessions.discard(conversation_id)

    def deleted_all(self, delete: Callable[[], int]) -> int:
        """`delete` removes every conversation (and says how many): every notebook and folder goes too.
        Waits: call it off the UI thread."""
        count = delete()
        self.sessions.close_all()
        shutil.rmtree(self.sessions.root, ignore_errors=True)
        return count

    def prepare_python(self) -> None:
        """Python was turned on: compile the interpreter now if this computer has not yet."""
        if self._preparing:
            return
        self._preparing = True
        sessions, closing = self.sessions, self._closing

        def prepare() -> None:
            try:
                sessions.prepare(closing)
            except (SandboxUnavailable, SandboxCancelled) as error:
                # Said where it matters, at the model's call (an activity row); here it is only noted.
                log.info("the Python sandbox was not prepared: %s", error or "cancelled")

        run_job(prepare, self._prepared, lambda _error: self._prepared(None), parent=self, pool=self._pool)

    @property
    def preparing(self) -> bool:
        """The interpreter is being compiled (the user turned Python on a moment ago)."""
        return self._preparing

    def _prepared(self, _result: None) -> None:
        self._preparing = False

    def close(self) -> None:
        """The app quits: a compilation stops, every notebook ends (waits for them)."""
        self._closing.set()
        self._pool.waitForDone()
        self.sessions.close_all()
