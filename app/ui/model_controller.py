"""Which model answers: the picker's list, loading (the last used one at start), opening a .gguf file,
importing a dropped one, and the Models window with its downloads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QWidget

from app.config import Settings, fit_context
from app.engine import ModelInfo
from app.engine.base_model import base_model_note
from app.models.library import InstalledModel, import_model, scan
from app.ui.banner import ErrorBanner
from app.ui.downloads import DownloadManager
from app.ui.jobs import run_job
from app.ui.model_bar import ModelBar
from app.ui.model_manager import ModelManagerDialog
from app.ui.settings_controller import SettingsController
from app.ui.workers import InferenceService


class ModelController(QObject):
    """`before_load` runs as a load is asked for (the window stops a reply and holds sends until the
    model is there). Without `models_dir` (some tests) there is no Models window and no picker list."""

    def __init__(
        self,
        *,
        window: QWidget,
        bar: ModelBar,
        banner: ErrorBanner,
        inference: InferenceService,
        settings: SettingsController,
        before_load: Callable[[], None],
        models_dir: Path | None,
        data_root: Path | None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._bar = bar
        self._banner = banner
        self._inference = inference
        self._settings = settings
        self._before_load = before_load
        self._models_dir = models_dir
        self._data_root = data_root
        self.downloads: DownloadManager | None = None
        self.manager: ModelManagerDialog | None = None
        if models_dir is not None and data_root is not None:
            self.downloads = DownloadManager(models_dir, data_root, self)
            self.downloads.finished.connect(lambda _id, _path: self.refresh())
        bar.picker.model_chosen.connect(self.load)
        bar.picker.manage_requested.connect(self.open_manager)
        bar.picker.open_file_requested.connect(self.open_file)
        inference.loading.connect(bar.set_loading)
        inference.loaded.connect(self._loaded)
        inference.load_failed.connect(self._failed)
        inference.unloaded.connect(lambda: bar.set_model(None))
        settings.changed.connect(self._settings_changed)

    # -- at start ---------------------------------------------------------------------------------

    def start(self, *, load_last: bool = True) -> None:
        """The window is up: load the last used model, or the only one installed, or welcome a new user
        with the Models window. `load_last=False` when a model was given to open instead."""
        chosen = self._settings.settings.active_model
        if load_last and chosen:
            self.load(chosen)
        if self._models_dir is None:
            return
        models_dir = self._models_dir

        def first_look(models: list[InstalledModel]) -> None:
            self._bar.picker.set_installed(models)
            if not load_last or chosen or self._inference.model_info is not None:
                return
            usable = [m for m in models if m.usable]
            if len(usable) == 1:
                self.load(str(usable[0].path))
            elif not usable:
                self.open_manager(welcome=True)

        run_job(lambda: scan(models_dir), first_look, self._banner.show_problem, parent=self)

    def refresh(self) -> None:
        """Read the models folder again for the picker (after a download, an import, a removal)."""
        if self._models_dir is None:
            return
        models_dir = self._models_dir
        run_job(
            lambda: scan(models_dir), self._bar.picker.set_installed, self._banner.show_problem, parent=self
        )

    # -- loading ----------------------------------------------------------------------------------

    def load(self, path: str) -> None:
        self._before_load()
        self._banner.hide()
        self._bar.set_loading(path)  # at once, not when the worker gets to it
        settings = self._settings.settings
        self._inference.load_model(
            path, settings.n_ctx, n_threads=settings.n_threads, n_gpu_layers=settings.n_gpu_layers
        )

    def reload(self) -> None:
        """Load the model again with changed settings (context length, threads, GPU layers)."""
        info = self._inference.model_info
        if info is not None:
            self.load(str(info.path))

    def _loaded(self, info: ModelInfo) -> None:
        self._bar.set_model(info)
        # It runs, but perhaps not as the user expects: on the CPU after the GPU was tried, or a base
        # model that continues text instead of answering.
        notes = [info.offload_note, base_model_note() if info.base_model else ""]
        if any(notes):
            self._banner.show_notice(" ".join(note for note in notes if note))
        else:
            self._banner.hide()
        self._settings.update(active_model=str(info.path))
        # A model just imported into the folder joins the list. A model already listed needs no new
        # read of the folder, which was read at start and after every change in the Models window.
        if not self._bar.picker.lists(info.path):
            self.refresh()

    def _failed(self, message: str) -> None:
        self._bar.set_model(self._inference.model_info)
        self._banner.show_message(message)

    def open_file(self) -> None:
        chosen = self._settings.settings.active_model
        start = str(Path(chosen).parent) if chosen else str(Path.home())
        path, _filter = QFileDialog.getOpenFileName(
            self._window,
            self.tr("Open a model file"),
            start,
            self.tr("GGUF models (*.gguf);;All files (*)"),
        )
        if path:
            self.load(path)  # where it is; only a dropped file is copied into the models folder

    def import_model(self, path: Path) -> None:
        """A .gguf from elsewhere: copied into the models folder (so it stays available), then loaded."""
        models_dir = self._models_dir
        if models_dir is None:
            self.load(str(path))
            return
        # A few GB: off the UI thread.
        run_job(
            lambda: import_model(path, models_dir),
            lambda model: self.load(str(model.path)),
            self._banner.show_problem,
            parent=self,
        )

    # -- the Models window ------------------------------------------------------------------------

    def open_manager(self, *, welcome: bool = False) -> ModelManagerDialog | None:
        if self.downloads is None or self._models_dir is None or self._data_root is None:
            return None
        if self.manager is None:
            self.manager = ModelManagerDialog(
                models_dir=self._models_dir,
                data_root=self._data_root,
                downloads=self.downloads,
                n_ctx=fit_context(self._settings.settings.n_ctx),
                parent=self._window,
            )
            self.manager.use_model_requested.connect(self._use)
            self.manager.installed_changed.connect(self.refresh)
        else:
            self.manager.refresh_installed()
        self.manager.set_welcome(welcome)
        self.manager.show()
        self.manager.activateWindow()
        return self.manager

    def _settings_changed(self, _old: Settings, new: Settings) -> None:
        if self.manager is not None:
            self.manager.set_context_length(fit_context(new.n_ctx))

    def _use(self, path: str) -> None:
        if self.manager is not None:
            self.manager.hide()
        self.load(path)

    def shutdown(self) -> None:
        if self.downloads is not None:
            self.downloads.shutdown()  # paused: the part files stay, so the next start resumes them
