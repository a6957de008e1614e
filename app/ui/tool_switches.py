"""The conversation panel's switches for gpt-oss's tools: searching the user's past conversations, and
running Python. Both are off unless the user turns them on for a conversation (its stored settings).

They are offered only when the loaded model can use the tools (ModelInfo.builtin_tools); otherwise a short
line says what they need. The Python switch is hidden when Python for the sandbox is not installed. The
first time a user turns Python on, a dialog says what it does, where it runs and within which limits;
Cancel leaves it off, and OK is remembered in the user's settings (Settings.python_explained).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.i18n import format_number
from app.tools import PAST_CONVERSATIONS_SETTING
from app.tools.toolbox import PYTHON_TOOL_SETTING
from app.ui.chat_helpers import note_label

_SWITCH_KEYS: Final = (PAST_CONVERSATIONS_SETTING, PYTHON_TOOL_SETTING)


@dataclass(frozen=True)
class ToolSwitches:
    """A conversation's tool switches, as stored in its settings (a key only while it is on)."""

    past_conversations: bool = False
    python: bool = False

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> ToolSwitches:
        # Only a real `true` turns one on: a damaged or hand-edited value leaves the tool off.
        return cls(
            past_conversations=settings.get(PAST_CONVERSATIONS_SETTING) is True,
            python=settings.get(PYTHON_TOOL_SETTING) is True,
        )

    def applied_to(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        """`settings` with these switches in place of the ones it had; every other key kept."""
        kept = {key: value for key, value in settings.items() if key not in _SWITCH_KEYS}
        if self.past_conversations:
            kept[PAST_CONVERSATIONS_SETTING] = True
        if self.python:
            kept[PYTHON_TOOL_SETTING] = True
        return kept


@dataclass(frozen=True)
class ToolOffer:
    """What the panel can offer: whether the model can use tools, whether Python can run here, and
    whether the user has read what running Python means."""

    model_can: bool = False
    python_installed: bool = False
    python_explained: bool = False


class PythonExplanation(QDialog):
    """Said once, the first time a user turns Python on: what it does, where it runs, its limits."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from app.tools.python_sandbox import DEFAULT_MEMORY_LIMIT, DEFAULT_TIME_LIMIT_S

        self.setWindowTitle(self.tr("Let the model run Python?"))
        seconds = format_number(DEFAULT_TIME_LIMIT_S, 0)
        megabytes = format_number(DEFAULT_MEMORY_LIMIT // (1024 * 1024))
        paragraphs = (
            self.tr(
                "The model can write small Python programs and run them: to calculate, and to read the "
                "files attached to this conversation."
            ),
            self.tr(
                "They run in a sandbox on this computer. The sandbox has no internet and cannot see your "
                "files: only copies of this conversation's attachments."
            ),
            self.tr("Each run may take at most {seconds} seconds and {megabytes} MB of memory.").format(
                seconds=seconds, megabytes=megabytes
            ),
            self.tr("What the model ran, and what came out, is shown under “Reasoning” in its reply."),
        )
        layout = QVBoxLayout(self)
        # One label: wrapped paragraphs in separate labels get uneven gaps from the layout.
        self.words = QLabel("\n\n".join(paragraphs), self)
        self.words.setTextFormat(Qt.TextFormat.PlainText)
        self.words.setWordWrap(True)
        layout.addWidget(self.words)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)

    def text(self) -> str:
        return self.words.text()


class ToolSwitchesBox(QWidget):
    """The switches in the conversation panel, or the line saying what they need."""

    python_explained = Signal()  # the user read the explanation and said OK: do not show it again

    def __init__(self, offer: ToolOffer, switches: ToolSwitches, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._explained = offer.python_explained
        self.explanation: PythonExplanation | None = None
        self.past_conversations = QCheckBox(self.tr("Let the model search your past conversations"), self)
        self.past_conversations.setToolTip(
            self.tr(
                "Besides the attached documents, it may look up what was said in your other conversations"
            )
        )
        self.past_conversations.setChecked(switches.past_conversations)
        self.python = QCheckBox(self.tr("Let the model run Python code"), self)
        self.python.setToolTip(self.tr("To calculate and to read the attached files, in a sandbox"))
        self.python.setChecked(switches.python and offer.python_installed)
        self.python.toggled.connect(self._python_toggled)
        self.needs_gpt_oss = note_label(
            self.tr("The model can search your past conversations and run Python only with gpt-oss."), self
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.past_conversations)
        layout.addWidget(self.python)
        layout.addWidget(self.needs_gpt_oss)
        self.past_conversations.setVisible(offer.model_can)
        self.python.setVisible(offer.model_can and offer.python_installed)
        self.needs_gpt_oss.setVisible(not offer.model_can)
        # A switch that is not offered keeps what the conversation had (it may be used with gpt-oss later).
        self._kept = switches
        self._offer = offer

    def switches(self) -> ToolSwitches:
        """The switches as set; those not offered keep the conversation's."""
        if not self._offer.model_can:
            return self._kept
        python = self.python.isChecked() if self._offer.python_installed else self._kept.python
        return ToolSwitches(self.past_conversations.isChecked(), python)

    def _python_toggled(self, on: bool) -> None:
        if not on or self._explained:
            return
        dialog = self.explanation = PythonExplanation(self.window())
        dialog.accepted.connect(self._explanation_accepted)
        dialog.rejected.connect(lambda: self.python.setChecked(False))
        dialog.open()

    def _explanation_accepted(self) -> None:
        self._explained = True
        self.python_explained.emit()
