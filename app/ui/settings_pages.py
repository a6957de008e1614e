"""Settings, Appearance and Language sections: small forms over plain values."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QComboBox, QFormLayout, QSpinBox, QVBoxLayout, QWidget

from app.config import CHAT_WIDTHS, LANGUAGES, TEXT_SCALE_RANGE, THEMES, Settings
from app.ui.chat_helpers import note_label
from app.ui.translation import resolve_language

# Languages by their own names, as every language menu does: a reader of either finds theirs.
LANGUAGE_NAMES = {"en": "English", "de": "Deutsch"}


def _choice_box(parent: QWidget, name: str, choices: Mapping[str, str], current: str) -> QComboBox:
    box = QComboBox(parent)
    box.setAccessibleName(name)
    for value, label in choices.items():
        box.addItem(label, value)
    box.setCurrentIndex(max(0, box.findData(current)))
    return box


class AppearancePage(QWidget):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        labels = (self.tr("Same as the system"), self.tr("Light"), self.tr("Dark"))
        self.theme = _choice_box(
            self, self.tr("Theme"), dict(zip(THEMES, labels, strict=True)), settings.theme
        )
        self.theme.setToolTip(self.tr("Light or dark colours; the system's choice by default"))

        self.text_scale = QSpinBox(self)
        self.text_scale.setRange(*TEXT_SCALE_RANGE)
        self.text_scale.setSingleStep(10)
        self.text_scale.setSuffix(" %")
        self.text_scale.setValue(settings.text_scale)
        self.text_scale.setAccessibleName(self.tr("Text size in the chat"))
        self.text_scale.setToolTip(
            self.tr("How large the messages are, compared with the rest of the window")
        )

        widths = (self.tr("Narrow"), self.tr("Medium"), self.tr("Wide"), self.tr("Full width"))
        self.chat_width = _choice_box(
            self, self.tr("Chat width"), dict(zip(CHAT_WIDTHS, widths, strict=True)), settings.chat_width
        )
        self.chat_width.setToolTip(
            self.tr("How wide the conversation grows in a large window; long lines are harder to read")
        )
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(self.tr("Theme"), self.theme)
        form.addRow(self.tr("Text size in the chat"), self.text_scale)
        form.addRow(self.tr("Chat width"), self.chat_width)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addStretch(1)

    def apply_to(self, settings: Settings) -> Settings:
        return settings.replace(
            theme=self.theme.currentData(),
            text_scale=self.text_scale.value(),
            chat_width=self.chat_width.currentData(),
        )


class LanguagePage(QWidget):
    """`running` is the language on screen now ("en", "de"): a choice that differs takes a restart."""

    def __init__(self, settings: Settings, running: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        system = self.tr("Same as the system ({language})").format(
            language=LANGUAGE_NAMES[resolve_language("system")]
        )
        labels: dict[str, str] = dict(zip(LANGUAGES, (system, *LANGUAGE_NAMES.values()), strict=True))
        self.language = _choice_box(self, self.tr("Language"), labels, settings.language)
        self.language.setToolTip(self.tr("The language of Hearth's menus, buttons and messages"))
        self._running = running
        self.restart_note = note_label(
            self.tr("Hearth will use the new language the next time it starts."), self
        )
        self.language.currentIndexChanged.connect(self._show_note)
        self._show_note()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(self.tr("Language"), self.language)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.restart_note)
        column.addStretch(1)

    def _show_note(self) -> None:
        choice = self.language.currentData()
        self.restart_note.setVisible(resolve_language(choice) != self._running)

    def apply_to(self, settings: Settings) -> Settings:
        return settings.replace(language=self.language.currentData())
