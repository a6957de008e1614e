"""The user's settings while the window is open: one current copy, saved in the background in order, and
a signal that says what changed so each part of the window can put it into effect."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal

from app.config import Settings, save_settings
from app.ui.jobs import run_job

# Settings that take effect only when the model is loaded again.
LOAD_FIELDS = frozenset({"n_ctx", "n_threads", "n_gpu_layers"})


def changed_fields(old: Settings, new: Settings) -> frozenset[str]:
    return frozenset(
        f.name for f in dataclasses.fields(Settings) if getattr(old, f.name) != getattr(new, f.name)
    )


class SettingsController(QObject):
    changed = Signal(object, object)  # the old Settings, the new

    def __init__(
        self,
        settings: Settings,
        path: Path,
        show_problem: Callable[[BaseException], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._path = path
        self._show_problem = show_problem
        # One save at a time, in the order asked: two quick changes never land the older one last.
        self._saves = QThreadPool(self)
        self._saves.setMaxThreadCount(1)

    @property
    def settings(self) -> Settings:
        return self._settings

    @property
    def path(self) -> Path:
        return self._path

    def update(self, **changes: Any) -> None:
        self.replace(self._settings.replace(**changes))

    def replace(self, new: Settings) -> None:
        """Make `new` the settings: saved (atomically, off the UI thread), then `changed` is emitted."""
        old = self._settings
        if new == old:
            return
        self._settings = new
        path = self._path
        run_job(
            lambda: save_settings(path, new),
            lambda _saved: None,
            self._show_problem,
            parent=self,
            pool=self._saves,
        )
        self.changed.emit(old, new)

    def wait_for_saves(self) -> None:
        """Block until every save asked for is written; for closing (and tests)."""
        self._saves.waitForDone()
