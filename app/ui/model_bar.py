"""The strip above the chat: the model picker, reasoning effort, the conversation's instructions and
the context meter."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from app.config import REASONING_EFFORTS
from app.engine import ModelInfo
from app.i18n import format_number
from app.models.library import InstalledModel
from app.ui.icons import themed_icon
from app.units import format_bytes

# What an entry of the picker that is not a model does.
MANAGE = "manage"
OPEN_FILE = "open-file"


class ModelPicker(QComboBox):
    """Installed models (name, size, a mark on verified downloads), then "Manage models…" and
    "Open a .gguf file…". Choosing an entry only asks (signals); the window decides what loads."""

    model_chosen = Signal(str)  # the path of a model to load
    manage_requested = Signal()
    open_file_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelPicker")
        self.setAccessibleName(self.tr("Model"))
        self.setToolTip(self.tr("The model that answers. Choose another, or manage your models."))
        self.setMinimumContentsLength(22)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setIconSize(QSize(16, 16))
        self._installed: list[InstalledModel] = []
        self._current: Path | None = None  # the model loaded (or loading) now
        self._current_name = ""
        self.activated.connect(self._chosen)
        self._rebuild()

    @property
    def current_path(self) -> Path | None:
        return self._current

    def lists(self, path: Path) -> bool:
        """Whether `path` is among the installed models offered."""
        return any(m.path == path for m in self._installed)

    def set_installed(self, models: Sequence[InstalledModel]) -> None:
        self._installed = [m for m in models if m.usable]
        self._rebuild()

    def set_current(self, path: Path | None, name: str = "") -> None:
        self._current = path
        self._current_name = name
        self._rebuild()

    def _rebuild(self) -> None:
        self.blockSignals(True)
        self.clear()
        listed = {m.path for m in self._installed}
        if self._current is None:
            self.addItem(self.tr("Choose a model"), None)
        elif self._current not in listed:
            # Opened from elsewhere (a .gguf file outside the models folder): listed while it is loaded.
            self.addItem(themed_icon("file"), self._current_name or self._current.stem, str(self._current))
            self.setItemData(self.count() - 1, str(self._current), Qt.ItemDataRole.ToolTipRole)
        for model in self._installed:
            icon = themed_icon("verified" if model.verified else "file")
            size = format_bytes(model.size_bytes)
            self.addItem(
                icon, self.tr("{name}  ·  {size}").format(name=model.name, size=size), str(model.path)
            )
            tip = (
                self.tr("Verified: the download matched the publisher's checksum.")
                if model.verified
                else self.tr("Added from a file.")
            )
            self.setItemData(self.count() - 1, f"{model.path}\n{tip}", Qt.ItemDataRole.ToolTipRole)
        self.insertSeparator(self.count())
        self.addItem(themed_icon("models"), self.tr("Manage models…"), MANAGE)
        self.addItem(themed_icon("folder"), self.tr("Open a .gguf file…"), OPEN_FILE)
        self.setCurrentIndex(max(0, self.findData(str(self._current)) if self._current else 0))
        self.blockSignals(False)

    def _chosen(self, index: int) -> None:
        choice = self.itemData(index)
        # Whatever was picked, the box shows what is loaded until something else is.
        self._rebuild()
        if choice == MANAGE:
            self.manage_requested.emit()
        elif choice == OPEN_FILE:
            self.open_file_requested.emit()
        elif choice and Path(choice) != self._current:
            self.model_chosen.emit(choice)


class ModelBar(QWidget):
    effort_changed = Signal(str)
    thinking_changed = Signal(bool)  # the Think switch, for a model whose template has one
    settings_requested = Signal()  # the conversation panel: instructions, effort, temperature

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelBar")
        self.picker = ModelPicker(self)
        self.status = QLabel(self)
        self.status.setObjectName("modelStatus")
        self.status.setProperty("muted", True)
        self.loading = QProgressBar(self)
        self.loading.setRange(0, 0)  # an indeterminate "busy" bar
        self.loading.setMaximumWidth(120)
        self.loading.setTextVisible(False)
        self.loading.setAccessibleName(self.tr("Loading model"))
        self.loading.hide()
        self.effort_label = QLabel(self.tr("Reasoning:"), self)
        self.effort = QComboBox(self)
        self.effort.setAccessibleName(self.tr("Reasoning effort"))
        self.effort.setToolTip(self.tr("How long the model thinks before it answers"))
        self.effort_label.setBuddy(self.effort)
        for value, label in zip(
            REASONING_EFFORTS, (self.tr("Low"), self.tr("Medium"), self.tr("High")), strict=True
        ):
            self.effort.addItem(label, value)
        self.effort.currentIndexChanged.connect(
            lambda _index: self.effort_changed.emit(self.current_effort())
        )
        self.think = QCheckBox(self.tr("Think"), self)
        self.think.setAccessibleName(self.tr("Think before answering"))
        self.think.setToolTip(
            self.tr("The model thinks before it answers: better answers to hard questions, but slower")
        )
        self.think.toggled.connect(self.thinking_changed)
        self._thinking: bool | None = None  # the user's choice; None: the model's default
        self._switch_default = False  # the loaded model's own position of the switch
        self.settings_button = QPushButton(themed_icon("edit"), self.tr("Instructions…"), self)
        self.settings_button.setAccessibleName(self.tr("Conversation settings"))
        self.settings_button.setToolTip(
            self.tr("Instructions for the model, reasoning effort and temperature for this conversation")
        )
        self.settings_button.clicked.connect(self.settings_requested)
        self.context = QProgressBar(self)
        self.context.setAccessibleName(self.tr("Context used"))
        self.context.setMinimumWidth(150)
        self.context.setMaximumWidth(200)
        self.context.setFormat(self.tr("%v / %m tokens"))
        self.context.setRange(0, 1)
        self.context.setValue(0)
        self.context.setToolTip(self.tr("How much of the model's memory for this conversation is used"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 6)
        layout.setSpacing(8)
        layout.addWidget(self.picker)
        layout.addWidget(self.loading)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addWidget(self.effort_label)
        layout.addWidget(self.effort)
        layout.addWidget(self.think)
        layout.addWidget(self.settings_button)
        layout.addWidget(self.context)
        self.set_model(None)

    def current_effort(self) -> str:
        return str(self.effort.currentData())

    def set_effort(self, effort: str) -> None:
        index = self.effort.findData(effort)
        self.effort.blockSignals(True)
        self.effort.setCurrentIndex(index if index >= 0 else self.effort.findData("medium"))
        self.effort.blockSignals(False)

    def set_loading(self, path: str) -> None:
        self.picker.set_current(Path(path), Path(path).stem)
        self.picker.setEnabled(False)
        self.status.setText(self.tr("Loading…"))
        self.status.show()
        self.loading.show()

    def set_model(self, info: ModelInfo | None) -> None:
        self.loading.hide()
        self.picker.setEnabled(True)
        self.picker.set_current(info.path if info else None, info.name if info else "")
        # Where it runs ("GPU: 24 of 24 layers, Apple M2" / "CPU, 8 threads") and with how much context.
        if info is not None:
            self.status.setText(info.placement)
            self.status.setToolTip(
                self.tr("Runs with a context of {count} tokens").format(count=format_number(info.n_ctx))
            )
        self.status.setVisible(info is not None and bool(info.placement))
        uses_effort = bool(info and info.uses_reasoning_effort)
        self.effort_label.setVisible(uses_effort)
        self.effort.setVisible(uses_effort)
        # A template with a thinking switch (Qwen3) gets it in place of the effort picker.
        self._switch_default = bool(info and info.thinking_default)
        self.think.setVisible(bool(info and info.thinks_by_switch))
        self._show_thinking()
        self.context.setVisible(info is not None)
        if info is not None:
            self.context.setRange(0, info.n_ctx)

    def set_thinking(self, thinking: bool | None) -> None:
        """The user's choice for the Think switch (None: each model's own default)."""
        self._thinking = thinking
        self._show_thinking()

    def _show_thinking(self) -> None:
        self.think.blockSignals(True)
        self.think.setChecked(self._switch_default if self._thinking is None else self._thinking)
        self.think.blockSignals(False)

    def set_context_used(self, tokens: int) -> None:
        self.context.setValue(min(tokens, self.context.maximum()))
