"""The model manager: the catalogue with how well each model fits, downloads, and the installed models.

All disk work (scan, import, delete) runs through run_job; downloads belong to the DownloadManager, which
outlives this dialog so they continue while it is closed.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.models.catalog import CatalogCache, Variant, cache_path, recommended_variant
from app.models.download import part_path
from app.models.hardware import Fit, HardwareInfo, assess_fit, detect_hardware
from app.models.library import InstalledModel, delete_model, import_model, scan
from app.models.secrets import set_token
from app.ui.colours import notice_style, verdict_colour
from app.ui.downloads import DownloadManager
from app.ui.jobs import Job, run_job
from app.ui.messages import plain_message
from app.units import MB, format_bytes


class VariantRow(QFrame):
    """One catalogue entry: what it is, whether it fits, and its download controls."""

    def __init__(self, variant: Variant, fit: Fit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.variant = variant
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(variant.label, self)
        self.title.setStyleSheet("font-weight: bold")
        self.description = QLabel(variant.description, self)
        self.description.setWordWrap(True)
        size = format_bytes(variant.size_bytes) if variant.size_bytes else self.tr("size unknown")
        self.size_label = QLabel(size, self)
        self.size_label.setAccessibleName(self.tr("Download size"))
        verdicts = {"fits": self.tr("Fits"), "tight": self.tr("Tight"), "won't fit": self.tr("Won't fit")}
        self.badge = QLabel(verdicts[fit.verdict], self)
        self.badge.setAccessibleName(self.tr("How well it fits this computer"))
        self.badge.setAccessibleDescription(fit.explanation)
        self.badge.setToolTip(fit.explanation)
        colour = verdict_colour(fit.verdict, self.palette()).name()
        self.badge.setStyleSheet(f"color: {colour}; font-weight: bold")
        self.download = QPushButton(self.tr("Download"), self)
        self.download.setAccessibleName(self.tr("Download {name}").format(name=variant.label))
        self.pause = QPushButton(self.tr("Pause"), self)
        self.pause.setAccessibleName(self.tr("Pause the download of {name}").format(name=variant.label))
        self.resume = QPushButton(self.tr("Resume"), self)
        self.resume.setAccessibleName(self.tr("Resume the download of {name}").format(name=variant.label))
        self.cancel = QPushButton(self.tr("Cancel"), self)
        self.cancel.setAccessibleName(self.tr("Cancel the download of {name}").format(name=variant.label))
        self.bar = QProgressBar(self)
        self.bar.setAccessibleName(self.tr("Download progress of {name}").format(name=variant.label))
        self.bar.setTextVisible(True)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAccessibleName(self.tr("Download status"))

        grid = QGridLayout(self)
        grid.addWidget(self.title, 0, 0)
        grid.addWidget(self.size_label, 0, 1)
        grid.addWidget(self.badge, 0, 2)
        grid.addWidget(self.description, 1, 0, 1, 3)
        buttons = QHBoxLayout()
        for button in (self.download, self.pause, self.resume, self.cancel):
            buttons.addWidget(button)
        buttons.addStretch(1)
        grid.addLayout(buttons, 2, 0, 1, 3)
        grid.addWidget(self.bar, 3, 0, 1, 3)
        grid.addWidget(self.status, 4, 0, 1, 3)
        grid.setColumnStretch(0, 1)
        self.set_state("idle")

    def set_state(self, state: str, text: str = "") -> None:
        """idle, starting, downloading or paused; `text` goes under the bar."""
        active = state in ("starting", "downloading", "paused")
        self.download.setVisible(not active)
        self.pause.setVisible(state in ("starting", "downloading"))
        self.resume.setVisible(state == "paused")
        self.cancel.setVisible(active)
        self.bar.setVisible(active)
        if state == "starting":
            self.bar.setRange(0, 0)
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def show_progress(self, done: int, total: int, bytes_per_s: float, eta_s: float | None) -> None:
        self.set_state("downloading")
        if total > 0:
            # QProgressBar holds ints: count in KiB so a 60 GB model does not overflow it.
            self.bar.setRange(0, max(1, total // 1024))
            self.bar.setValue(done // 1024)
        parts = [
            self.tr("{done} of {total}").format(done=format_bytes(done), total=format_bytes(total)),
            self.tr("{speed:.1f} MB/s").format(speed=bytes_per_s / MB),
        ]
        if eta_s is not None:
            parts.append(self.tr("{minutes} min left").format(minutes=max(1, round(eta_s / 60))))
        self.bar.setFormat(" · ".join(parts))


class InstalledRow(QFrame):
    def __init__(self, model: InstalledModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.name = QLabel(model.name, self)
        self.name.setToolTip(str(model.path))
        self.size_label = QLabel(format_bytes(model.size_bytes), self)
        if not model.usable:
            state = self.tr("Can't be used: {problem}").format(problem=model.problem)
        elif model.verified:
            state = self.tr("Verified")
        else:
            state = self.tr("Not verified")
        self.state = QLabel(state, self)
        self.state.setAccessibleName(self.tr("Check"))
        self.use = QPushButton(self.tr("Use"), self)
        self.use.setAccessibleName(self.tr("Use {name}").format(name=model.name))
        self.use.setEnabled(model.usable)
        self.delete = QPushButton(self.tr("Delete"), self)
        self.delete.setAccessibleName(self.tr("Delete {name}").format(name=model.name))
        layout = QHBoxLayout(self)
        layout.addWidget(self.name, 1)
        layout.addWidget(self.size_label)
        layout.addWidget(self.state)
        layout.addWidget(self.use)
        layout.addWidget(self.delete)


class ModelManagerDialog(QDialog):
    use_model_requested = Signal(str)  # path of the model to load
    installed_changed = Signal()  # the installed list was re-read

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
        self._n_ctx = n_ctx
        self._hardware: HardwareInfo = detect_hardware(models_dir)
        self._rows: dict[str, VariantRow] = {}
        self._welcome_shown = welcome
        self.installed_rows: list[InstalledRow] = []

        self._build()

        downloads.progress.connect(self._progress)
        downloads.finished.connect(self._finished)
        downloads.failed.connect(self._failed)
        downloads.paused.connect(self._paused)
        downloads.cancelled.connect(self._cancelled)

        if variants is None:
            variants = CatalogCache(cache_path(data_root)).variants()
        self.set_catalogue(variants, endpoint if endpoint is not None else os.environ.get("HF_ENDPOINT"))
        self.set_welcome(welcome)
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

    def set_catalogue(self, variants: Sequence[Variant], endpoint: str | None) -> None:
        """Show these variants, downloaded from `endpoint` (None: the real Hub)."""
        self._endpoint = endpoint or None
        for row in self._rows.values():
            self._catalogue.removeWidget(row)
            row.deleteLater()
        self._rows = {}
        for variant in variants:
            row = VariantRow(variant, assess_fit(variant, self._hardware, self._n_ctx), self)
            row.download.clicked.connect(lambda _=False, v=variant: self.start_download(v))
            row.pause.clicked.connect(lambda _=False, i=variant.id: self._downloads.pause(i))
            row.resume.clicked.connect(lambda _=False, i=variant.id: self._resume(i))
            row.cancel.clicked.connect(lambda _=False, i=variant.id: self._downloads.cancel(i))
            if self._downloads.is_running(variant.id):
                row.set_state("starting")
            else:
                self._show_earlier_part(row)
            self._catalogue.addWidget(row)
            row.show()  # the layout would only show it on the next event-loop pass
            self._rows[variant.id] = row
        self.set_welcome(self._welcome_shown)

    def _show_earlier_part(self, row: VariantRow) -> None:
        """A download stopped in an earlier session (paused, crashed, offline): say Download resumes it."""
        part = part_path(self._models_dir / row.variant.files[0])
        if not part.exists():
            return
        done = part.stat().st_size
        total = row.variant.file_sizes[0] if row.variant.file_sizes else None
        of_total = self.tr(" of {total}").format(total=format_bytes(total)) if total else ""
        row.status.setText(
            self.tr("{done}{of_total} were downloaded earlier; Download continues from there.").format(
                done=format_bytes(done), of_total=of_total
            )
        )
        row.status.show()

    def row(self, variant_id: str) -> VariantRow:
        return self._rows[variant_id]

    def set_welcome(self, shown: bool) -> None:
        variants = [row.variant for row in self._rows.values()]
        best = next((v for v in variants if v.recommended), None) or recommended_variant()
        name = best.label.replace(" (recommended)", "")
        size = format_bytes(best.size_bytes) if best.size_bytes else self.tr("size unknown")
        self.welcome.setText(
            self.tr(
                "Welcome to Hearth. Your computer has {memory} of memory; we recommend {name} "
                "({size} download). Download it below, or import a .gguf model you already have."
            ).format(memory=format_bytes(self._hardware.total_ram), name=name, size=size)
        )
        self._welcome_shown = shown
        self.welcome.setVisible(shown)

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
