"""The Models window's rows: a catalogue entry with its fit and download controls, and an installed model."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from app.engine.base_model import base_model_note
from app.i18n import format_number
from app.models.catalog import Variant
from app.models.hardware import Fit
from app.models.library import InstalledModel
from app.ui.colours import verdict_colour
from app.units import MB, format_bytes


class VariantRow(QFrame):
    """One catalogue entry: what it is, whether it fits, and its download controls."""

    def __init__(self, variant: Variant, fit: Fit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.variant = variant
        self.fit = fit
        self.setFrameShape(QFrame.Shape.StyledPanel)
        title = self.tr("{name} (recommended)") if variant.recommended else "{name}"
        self.title = QLabel(title.format(name=variant.label), self)
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
        self._add_download_controls(variant)

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

    def _add_download_controls(self, variant: Variant) -> None:
        self.download = QPushButton(self.tr("Download"), self)
        self.download.setAccessibleName(self.tr("Download {name}").format(name=variant.label))
        self.download.setToolTip(
            self.tr("Download it once; it is checked when done and works without the internet afterwards")
        )
        self.pause = QPushButton(self.tr("Pause"), self)
        self.pause.setAccessibleName(self.tr("Pause the download of {name}").format(name=variant.label))
        self.pause.setToolTip(self.tr("Stop for now; it goes on from here later, even after quitting"))
        self.resume = QPushButton(self.tr("Resume"), self)
        self.resume.setAccessibleName(self.tr("Resume the download of {name}").format(name=variant.label))
        self.resume.setToolTip(self.tr("Go on from where the download stopped"))
        self.cancel = QPushButton(self.tr("Cancel"), self)
        self.cancel.setAccessibleName(self.tr("Cancel the download of {name}").format(name=variant.label))
        self.cancel.setToolTip(self.tr("Stop and delete what was downloaded so far"))
        self.bar = QProgressBar(self)
        self.bar.setAccessibleName(self.tr("Download progress of {name}").format(name=variant.label))
        self.bar.setTextVisible(True)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAccessibleName(self.tr("Download status"))

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
            self.tr("{speed} MB/s").format(speed=format_number(bytes_per_s / MB, 1)),
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
        if model.usable and model.base_model:
            self.name.setText(self.tr("{name} (base model)").format(name=model.name))
            self.name.setToolTip(f"{model.path}\n{base_model_note()}")
        self.state = QLabel(state, self)
        self.state.setAccessibleName(self.tr("Check"))
        self.use = QPushButton(self.tr("Use"), self)
        self.use.setAccessibleName(self.tr("Use {name}").format(name=model.name))
        self.use.setToolTip(self.tr("Load this model and chat with it"))
        self.use.setEnabled(model.usable)
        self.delete = QPushButton(self.tr("Delete"), self)
        self.delete.setAccessibleName(self.tr("Delete {name}").format(name=model.name))
        self.delete.setToolTip(self.tr("Remove the model's file from this computer"))
        layout = QHBoxLayout(self)
        layout.addWidget(self.name, 1)
        layout.addWidget(self.size_label)
        layout.addWidget(self.state)
        layout.addWidget(self.use)
        layout.addWidget(self.delete)
