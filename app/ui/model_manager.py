"""The model manager: the catalogue with how well each model fits, downloads, and the installed models.

All disk work (scan, import, delete) runs through run_job; downloads belong to the DownloadManager, which
outlives this dialog so they continue while it is closed.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.models.catalog import CatalogCache, Variant, cache_path, recommended_variant
from app.models.hardware import HardwareInfo, assess_fit, detect_hardware
from app.models.library import InstalledModel, delete_model, import_model, scan
from app.models.partial import part_path
from app.models.secrets import set_token
from app.ui.colours import notice_style
from app.ui.downloads import DownloadManager
from app.ui.jobs import Job, run_job
from app.ui.messages import plain_message
from app.ui.model_rows import InstalledRow, VariantRow
from app.units import format_bytes


@dataclass(frozen=True)
class _Catalogue:
    variants: list[Variant]
    hardware: HardwareInfo
    earlier_parts: dict[str, int | None]  # variant id: bytes left by an earlier download, if any


def _earlier_part(models_dir: Path, variant: Variant) -> int | None:
    try:
        return part_path(models_dir / variant.files[0]).stat().st_size
    except FileNotFoundError:
        return None


class ModelManagerDialog(QDialog):
    use_model_requested = Signal(str)  # path of the model to load
    installed_changed = Signal()  # the installed list was re-read
    catalogue_shown = Signal()  # the catalogue's rows are in place

    def __init__(
        self,
        *,
        models_dir: Path,
        data_root: Path,
        downloads: DownloadManager,
        n_ctx: int,
        variants: Sequence[Variant] | None = None,
        endpoint: str | None = None,
        welcome: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Models"))
        self.resize(760, 640)
        self._models_dir = models_dir
        self._downloads = downloads
        self._data_root = data_root
        self._n_ctx = n_ctx
        self._hardware: HardwareInfo | None = None  # measured with the catalogue, off the UI thread
        self._rows: dict[str, VariantRow] = {}
        self._welcome_shown = welcome
        self.installed_rows: list[InstalledRow] = []

        self._build()

        downloads.progress.connect(self._progress)
        downloads.finished.connect(self._finished)
        downloads.failed.connect(self._failed)
        downloads.paused.connect(self._paused)
        downloads.cancelled.connect(self._cancelled)

        self.set_catalogue(variants, endpoint if endpoint is not None else os.environ.get("HF_ENDPOINT"))
        self.refresh_installed()

    def _build(self) -> None:
        self.welcome = QLabel(self)
        self.welcome.setWordWrap(True)
        self.welcome.setAccessibleName(self.tr("Welcome"))
        self.welcome.setStyleSheet("font-size: 15px; padding: 8px")
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setAccessibleName(self.tr("Problem"))
        self.message.setStyleSheet(f"{notice_style(self.palette())} padding: 6px")
        self.message.hide()

        self._catalogue = QVBoxLayout()
        self._installed = QVBoxLayout()
        self.no_models = QLabel(self.tr("No models installed yet."), self)
        self.import_button = QPushButton(self.tr("Import a .gguf…"), self)
        self.import_button.setAccessibleName(self.tr("Import a GGUF model file"))
        self.import_button.setToolTip(
            self.tr("Copy a .gguf model you already have into Hearth's models folder")
        )
        self.import_button.clicked.connect(self.choose_import)
        self.token_button = QPushButton(self.tr("Hugging Face token…"), self)
        self.token_button.setAccessibleName(self.tr("Set the Hugging Face token for gated models"))
        self.token_button.setToolTip(self.tr("Only needed for models whose owners require you to sign in"))
        self.token_button.clicked.connect(self.ask_token)

        content = QWidget(self)
        column = QVBoxLayout(content)
        heading = QLabel(self.tr("Available to download"), content)
        heading.setStyleSheet("font-weight: bold; font-size: 14px")
        column.addWidget(heading)
        column.addLayout(self._catalogue)
        installed_heading = QLabel(self.tr("Installed"), content)
        installed_heading.setStyleSheet("font-weight: bold; font-size: 14px")
        column.addWidget(installed_heading)
        column.addWidget(self.no_models)
        column.addLayout(self._installed)
        actions = QHBoxLayout()
        actions.addWidget(self.import_button)
        actions.addWidget(self.token_button)
        actions.addStretch(1)
        column.addLayout(actions)
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.addWidget(self.welcome)
        layout.addWidget(self.message)
        layout.addWidget(scroll, 1)

    # -- catalogue --------------------------------------------------------------------------------

    def set_catalogue(self, variants: Sequence[Variant] | None, endpoint: str | None) -> Job:
        """Show these variants (None: the catalogue), downloaded from `endpoint` (None: the real Hub).

        The catalogue file, this computer's memory and disk, and parts left by earlier downloads are
        read by a job; `catalogue_shown` is emitted once the rows are in place.
        """
        self._endpoint = endpoint or None
        models_dir, data_root = self._models_dir, self._data_root

        def measure() -> _Catalogue:
            chosen = (
                list(variants) if variants is not None else CatalogCache(cache_path(data_root)).variants()
            )
            earlier = {v.id: _earlier_part(models_dir, v) for v in chosen}
            return _Catalogue(chosen, detect_hardware(models_dir), earlier)

        return run_job(measure, self._show_catalogue, self._show_error, parent=self)

    def set_context_length(self, n_ctx: int) -> None:
        """Judge the fit at another context length (Settings changed it): the cache grows with it."""
        if n_ctx == self._n_ctx:
            return
        self._n_ctx = n_ctx
        if self._rows:
            self.set_catalogue([row.variant for row in self._rows.values()], self._endpoint)

    def _show_catalogue(self, catalogue: _Catalogue) -> None:
        self._hardware = catalogue.hardware
        for row in self._rows.values():
            self._catalogue.removeWidget(row)
            row.deleteLater()
        self._rows = {}
        for variant in catalogue.variants:
            row = VariantRow(variant, assess_fit(variant, catalogue.hardware, self._n_ctx), self)
            row.download.clicked.connect(lambda _=False, v=variant: self.start_download(v))
            row.pause.clicked.connect(lambda _=False, i=variant.id: self._downloads.pause(i))
            row.resume.clicked.connect(lambda _=False, i=variant.id: self._resume(i))
            row.cancel.clicked.connect(lambda _=False, i=variant.id: self._downloads.cancel(i))
            if self._downloads.is_running(variant.id):
                row.set_state("starting")
            else:
                self._show_earlier_part(row, catalogue.earlier_parts[variant.id])
            self._catalogue.addWidget(row)
            row.show()  # the layout would only show it on the next event-loop pass
            self._rows[variant.id] = row
        self.set_welcome(self._welcome_shown)
        self.catalogue_shown.emit()

    def _show_earlier_part(self, row: VariantRow, done: int | None) -> None:
        """A download stopped in an earlier session (paused, crashed, offline): say Download resumes it."""
        if done is None:
            return
        total = row.variant.file_sizes[0] if row.variant.file_sizes else None
        if total:
            text = self.tr("{done} of {total} was downloaded earlier; click Download to go on from there.")
        else:
            text = self.tr("{done} was downloaded earlier; click Download to go on from there.")
        row.status.setText(text.format(done=format_bytes(done), total=format_bytes(total or 0)))
        row.status.show()

    def row(self, variant_id: str) -> VariantRow:
        return self._rows[variant_id]

    def rows(self) -> list[VariantRow]:
        return list(self._rows.values())

    def set_welcome(self, shown: bool) -> None:
        self._welcome_shown = shown
        self.welcome.setVisible(shown and self._hardware is not None)
        if self._hardware is None:
            return  # said once the catalogue is shown: it names this computer's memory
        variants = [row.variant for row in self._rows.values()]
        best = next((v for v in variants if v.recommended), None) or recommended_variant()
        name = best.label
        size = format_bytes(best.size_bytes) if best.size_bytes else self.tr("size unknown")
        self.welcome.setText(
            self.tr(
                "Welcome to Hearth. Your computer has {memory} of memory; we recommend {name} "
                "({size} download). Download it below, or import a .gguf model you already have."
            ).format(memory=format_bytes(self._hardware.total_ram), name=name, size=size)
        )

    def start_download(self, variant: Variant) -> None:
        self.message.hide()
        self._downloads.start(variant, self._endpoint)
        self.row(variant.id).set_state("starting", self.tr("Starting…"))

    def _resume(self, variant_id: str) -> None:
        self._downloads.resume(variant_id)
        self._rows[variant_id].set_state("starting", self.tr("Resuming…"))

    def _progress(self, variant_id: str, done: int, total: int, speed: float, eta: object) -> None:
        row = self._rows.get(variant_id)
        if row is not None:
            row.show_progress(done, total, speed, eta if isinstance(eta, (int, float)) else None)

    def _finished(self, variant_id: str, path: str) -> None:
        row = self._rows.get(variant_id)
        if row is not None:
            row.set_state("idle", self.tr("Downloaded and verified."))
        self.refresh_installed()

    def _failed(self, variant_id: str, message: str) -> None:
        row = self._rows.get(variant_id)
        if row is not None:
            row.set_state("idle", message)
        self.show_message(message)

    def _paused(self, variant_id: str) -> None:
        row = self._rows.get(variant_id)
        if row is not None:
            row.set_state("paused", self.tr("Paused. Resume continues where it stopped."))

    def _cancelled(self, variant_id: str) -> None:
        row = self._rows.get(variant_id)
        if row is not None:
            row.set_state("idle", self.tr("Download cancelled."))

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    # -- installed ----------------------------------------------------------------------------------

    def refresh_installed(self) -> None:
        models_dir = self._models_dir
        run_job(lambda: scan(models_dir), self._show_installed, self._show_error, parent=self)

    def _show_installed(self, models: list[InstalledModel]) -> None:
        for old in self.installed_rows:
            self._installed.removeWidget(old)
            old.deleteLater()
        self.installed_rows = []
        for model in models:
            row = InstalledRow(model, self)
            row.use.clicked.connect(lambda _=False, m=model: self.use_model_requested.emit(str(m.path)))
            row.delete.clicked.connect(lambda _=False, m=model: self.delete(m))
            self._installed.addWidget(row)
            row.show()
            self.installed_rows.append(row)
        self.no_models.setVisible(not models)
        self.installed_changed.emit()

    def confirm_delete(self, model: InstalledModel) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Delete model"),
            self.tr("Delete {name} ({size})? This cannot be undone.").format(
                name=model.name, size=format_bytes(model.size_bytes)
            ),
        )
        return answer == QMessageBox.StandardButton.Yes

    def delete(self, model: InstalledModel) -> None:
        if not self.confirm_delete(model):
            return
        run_job(lambda: delete_model(model), self._after_change, self._change_failed, parent=self)

    def choose_import(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Import a model"), str(Path.home()), self.tr("GGUF models (*.gguf)")
        )
        if path:
            self.import_file(Path(path))

    def ask_token(self) -> None:
        token, accepted = QInputDialog.getText(
            self,
            self.tr("Hugging Face token"),
            self.tr("Paste a read token from your Hugging Face account settings:"),
            QLineEdit.EchoMode.Password,
        )
        if accepted and token.strip():
            self.save_token(token.strip())

    def save_token(self, token: str) -> Job:
        # A keyring call can wait seconds on the desktop's secret service (or its unlock prompt).
        return run_job(lambda: set_token(token), self._token_saved, self._show_error, parent=self)

    def _token_saved(self, where: str) -> None:
        if where == "keyring":
            self.show_message(self.tr("The token is saved in this computer's keyring."))
        else:
            self.show_message(
                self.tr("This computer has no keyring, so the token is kept only until Hearth closes.")
            )

    def import_file(self, path: Path) -> None:
        models_dir = self._models_dir
        run_job(
            lambda: import_model(path, models_dir),
            self._after_change,
            self._change_failed,
            parent=self,
        )

    def _after_change(self, _result: object) -> None:
        self.refresh_installed()

    def _change_failed(self, error: BaseException) -> None:
        # A model that could not be deleted or imported may still have changed the folder.
        self._show_error(error)
        self.refresh_installed()

    def _show_error(self, error: BaseException) -> None:
        self.show_message(plain_message(error))
