"""The strip above the chat: which model is loaded, a model picker, reasoning effort and the context meter."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from app.config import REASONING_EFFORTS
from app.engine import ModelInfo


class ModelBar(QWidget):
    choose_model_requested = Signal()
    effort_changed = Signal(str)
    settings_requested = Signal()  # the conversation panel: instructions, effort, temperature

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model_name = QLabel(self.tr("No model loaded"), self)
        self.model_name.setObjectName("modelName")
        self.model_name.setAccessibleName(self.tr("Loaded model"))
        self.loading = QProgressBar(self)
        self.loading.setRange(0, 0)  # an indeterminate "busy" bar
        self.loading.setMaximumWidth(120)
        self.loading.setTextVisible(False)
        self.loading.setAccessibleName(self.tr("Loading model"))
        self.loading.hide()
        self.choose_button = QPushButton(self.tr("Choose model…"), self)
        self.choose_button.setAccessibleName(self.tr("Choose a model file"))
        self.choose_button.clicked.connect(self.choose_model_requested)
        self.effort_label = QLabel(self.tr("Reasoning:"), self)
        self.effort = QComboBox(self)
        self.effort.setAccessibleName(self.tr("Reasoning effort"))
        self.effort.setToolTip(self.tr("How long the model thinks before it answers"))
        for value, label in zip(
            REASONING_EFFORTS, (self.tr("Low"), self.tr("Medium"), self.tr("High")), strict=True
        ):
            self.effort.addItem(label, value)
        self.effort.currentIndexChanged.connect(
            lambda _index: self.effort_changed.emit(self.current_effort())
        )
        self.settings_button = QPushButton(self.tr("Instructions…"), self)
        self.settings_button.setAccessibleName(self.tr("Conversation settings"))
        self.settings_button.setToolTip(
            self.tr("Instructions for the model, reasoning effort and temperature for this conversation")
        )
        self.settings_button.clicked.connect(self.settings_requested)
        self.context = QProgressBar(self)
        self.context.setAccessibleName(self.tr("Context used"))
        self.context.setMinimumWidth(170)
        self.context.setMaximumWidth(220)
        self.context.setFormat(self.tr("%v / %m tokens"))
        self.context.setRange(0, 1)
        self.context.setValue(0)
        self.context.setToolTip(self.tr("How much of the model's memory for this conversation is used"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 4)
        layout.addWidget(self.model_name)
        layout.addWidget(self.loading)
        layout.addWidget(self.choose_button)
        layout.addStretch(1)
        layout.addWidget(self.effort_label)
        layout.addWidget(self.effort)
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

    def set_loading(self, name: str) -> None:
        self.model_name.setText(self.tr("Loading {name}…").format(name=name))
        self.loading.show()
        self.choose_button.setEnabled(False)

    def set_model(self, info: ModelInfo | None) -> None:
        self.loading.hide()
        self.choose_button.setEnabled(True)
        self.model_name.setText(info.name if info else self.tr("No model loaded"))
        self.model_name.setToolTip(str(info.path) if info else "")
        uses_effort = bool(info and info.uses_reasoning_effort)
        self.effort_label.setVisible(uses_effort)
        self.effort.setVisible(uses_effort)
        self.context.setVisible(info is not None)
        if info is not None:
            self.context.setRange(0, info.n_ctx)

    def set_context_used(self, tokens: int) -> None:
        self.context.setValue(min(tokens, self.context.maximum()))
