"""The conversation panel: instructions for the model (its system prompt), reasoning effort and
temperature for this conversation, filled from a preset or saved as one, and the switches of gpt-oss's
tools (app.ui.tool_switches). Changes apply from the next question on; the line above the chat shows the
instructions in force."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.config import REASONING_EFFORTS, TEMPERATURE_RANGE
from app.presets import (
    BUILTIN_PRESETS,
    INSTRUCTIONS_MAX,
    ConversationOptions,
    Preset,
    load_presets,
    save_preset,
    shown_name,
)
from app.ui.chat_helpers import mute, smaller
from app.ui.jobs import run_job
from app.ui.tool_switches import ToolOffer, ToolSwitches, ToolSwitchesBox

if TYPE_CHECKING:
    from app.ui.conversation_controller import ConversationController
    from app.ui.window_tools import WindowTools


class ConversationPanel(QDialog):
    save_preset_requested = Signal(object)  # Preset

    def __init__(
        self,
        presets: Sequence[Preset],
        options: ConversationOptions,
        parent: QWidget | None = None,
        *,
        offer: ToolOffer | None = None,
        switches: ToolSwitches | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Conversation settings"))
        self.setMinimumWidth(520)
        self._presets = list(presets)

        self.preset = QComboBox(self)
        self.preset.setAccessibleName(self.tr("Start from a preset"))
        self.preset.addItem(self.tr("Choose a preset…"), None)
        for preset in self._presets:
            self.preset.addItem(shown_name(preset), preset.name)
        self.preset.activated.connect(self._preset_chosen)

        self.instructions = QPlainTextEdit(self)
        self.instructions.setAccessibleName(self.tr("Instructions for the model"))
        self.instructions.setPlaceholderText(
            self.tr("For example: You are a patient teacher. Explain things simply, with an example.")
        )
        self.instructions.setToolTip(
            self.tr("Sent to the model before the conversation, as its instructions")
        )
        self.instructions.setMinimumHeight(140)

        self.effort = QComboBox(self)
        self.effort.setAccessibleName(self.tr("Reasoning effort"))
        self.effort.setToolTip(self.tr("How long gpt-oss thinks before it answers; other models ignore it"))
        self.effort.addItem(self.tr("As set above the chat"), None)
        for effort, label in zip(
            REASONING_EFFORTS, (self.tr("Low"), self.tr("Medium"), self.tr("High")), strict=True
        ):
            self.effort.addItem(label, effort)

        temperature_row = self._build_temperature()
        self.tools = ToolSwitchesBox(offer or ToolOffer(), switches or ToolSwitches(), self)

        note = QLabel(self.tr("Changes apply from the next question on."), self)
        smaller(note)
        mute(note, self.palette())

        self.save_preset_button = QPushButton(self.tr("Save as preset…"), self)
        self.save_preset_button.setToolTip(self.tr("Keep these settings to start other conversations with"))
        self.save_preset_button.clicked.connect(self._save_as_preset)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.addButton(self.save_preset_button, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.tr("Preset"), self.preset)
        form.addRow(self.tr("Instructions"), self.instructions)
        form.addRow(self.tr("Reasoning effort"), self.effort)
        form.addRow(self.tr("Temperature"), temperature_row)
        form.addRow(self.tr("Tools"), self.tools)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.set_options(options)

    def _build_temperature(self) -> QHBoxLayout:
        self.default_temperature = QCheckBox(self.tr("Use the model's default"), self)
        self.temperature = QDoubleSpinBox(self)
        self.temperature.setAccessibleName(self.tr("Temperature"))
        self.temperature.setToolTip(self.tr("Lower is more focused and repeatable, higher more varied"))
        self.temperature.setRange(*TEMPERATURE_RANGE)
        self.temperature.setSingleStep(0.1)
        self.temperature.setDecimals(2)
        self.default_temperature.toggled.connect(lambda on: self.temperature.setEnabled(not on))
        row = QHBoxLayout()
        row.addWidget(self.temperature)
        row.addWidget(self.default_temperature)
        row.addStretch(1)
        return row

    def set_options(self, options: ConversationOptions) -> None:
        self.instructions.setPlainText(options.system_prompt)
        self.effort.setCurrentIndex(max(0, self.effort.findData(options.reasoning_effort)))
        self.default_temperature.setChecked(options.temperature is None)
        self.temperature.setEnabled(options.temperature is not None)
        if options.temperature is not None:
            self.temperature.setValue(options.temperature)
        else:
            self.temperature.setValue(1.0)

    def tool_switches(self) -> ToolSwitches:
        return self.tools.switches()

    def options(self) -> ConversationOptions:
        effort = self.effort.currentData()
        return ConversationOptions(
            system_prompt=self.instructions.toPlainText().strip()[:INSTRUCTIONS_MAX],
            reasoning_effort=effort if isinstance(effort, str) else None,
            temperature=None if self.default_temperature.isChecked() else round(self.temperature.value(), 2),
        )

    def _preset_chosen(self, index: int) -> None:
        name = self.preset.itemData(index)
        preset = next((p for p in self._presets if p.name == name), None)
        if preset is not None:
            self.set_options(ConversationOptions.from_preset(preset))

    def _save_as_preset(self) -> None:
        name, accepted = QInputDialog.getText(self, self.tr("Save as preset"), self.tr("Name of the preset:"))
        if accepted and name.strip():
            options = self.options()
            preset = Preset(
                name.strip(), options.system_prompt, options.reasoning_effort, options.temperature
            )
            self.save_preset_requested.emit(preset)


class InstructionsLine(QWidget):
    """A quiet line above the chat with the instructions in force; a click opens the panel."""

    edit_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setAccessibleName(self.tr("Instructions for the model"))
        smaller(self.label)
        mute(self.label, self.palette())
        self.edit = QPushButton(self.tr("Change…"), self)
        self.edit.setFlat(True)
        self.edit.setAccessibleName(self.tr("Change the conversation's settings"))
        self.edit.clicked.connect(self.edit_requested)
        smaller(self.edit)
        row = QHBoxLayout(self)
        row.setContentsMargins(24, 4, 24, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.edit)
        self._full = ""
        self.hide()

    def show_options(self, options: ConversationOptions) -> None:
        text = " ".join(options.system_prompt.split())
        if not text:
            self.hide()
            return
        self._full = self.tr("Instructions: {text}").format(text=text)
        self.label.setToolTip(options.system_prompt)
        self._elide()
        self.show()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        # One line whatever the width: the whole text is in the tooltip and the panel.
        width = max(40, self.label.width())
        self.label.setText(
            self.label.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width)
        )


class ConversationSettings(QObject):
    """Opens the panel for the conversation on screen, keeps the presets (read and saved by jobs), and
    starts a conversation from a preset in one click."""

    presets_changed = Signal(list)  # list[Preset]

    def __init__(
        self,
        controller: ConversationController,
        presets_path: Path,
        window: QWidget,
        show_problem: Callable[[BaseException], None],
        *,
        tools: WindowTools | None = None,
    ) -> None:
        super().__init__(window)
        self._controller = controller
        self._tools = tools  # gpt-oss's: None offers none
        self._path = presets_path
        self._window = window
        self._show_problem = show_problem
        self.presets: list[Preset] = list(BUILTIN_PRESETS)
        self.panel: ConversationPanel | None = None
        path = presets_path
        run_job(lambda: load_presets(path), self._set_presets, self._show_problem, parent=self)

    def open_panel(self) -> ConversationPanel:
        if self.panel is not None:
            self.panel.close()
        controller, tools = self._controller, self._tools
        model_can = tools is not None and controller.model_can_use_tools
        offer = ToolOffer(
            model_can=model_can,
            python_installed=model_can and tools is not None and tools.python_available(),
            python_explained=tools is not None and tools.python_explained,
        )
        panel = self.panel = ConversationPanel(
            self.presets, controller.options, self._window, offer=offer, switches=controller.tool_switches
        )
        panel.save_preset_requested.connect(self.save_preset)
        panel.accepted.connect(lambda: self._apply(panel))
        if tools is not None:
            panel.tools.python_explained.connect(tools.remember_python_explained)
        panel.open()
        return panel

    def _apply(self, panel: ConversationPanel) -> None:
        was, switches = self._controller.tool_switches, panel.tool_switches()
        self._controller.set_options(panel.options(), switches)
        if switches.python and not was.python and self._tools is not None:
            self._tools.prepare_python()

    def start_from(self, name: str) -> None:
        preset = next((p for p in self.presets if p.name == name), None)
        if preset is not None:
            self._controller.new_conversation(ConversationOptions.from_preset(preset))

    def save_preset(self, preset: Preset) -> None:
        path = self._path
        run_job(lambda: save_preset(path, preset), self._set_presets, self._show_problem, parent=self)

    def _set_presets(self, presets: list[Preset]) -> None:
        self.presets = presets
        self.presets_changed.emit(presets)
