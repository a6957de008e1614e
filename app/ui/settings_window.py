"""The Settings window (Ctrl+,): sections on the left, their page on the right, OK / Cancel / Apply.

It only gathers values: `applied` carries the new Settings, and the window's SettingsController
saves them and puts them into effect (the theme at once, a new context length by reloading the model).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.config import Settings
from app.engine import ModelInfo
from app.ui.fitted_list import fit_rows_to_width
from app.ui.settings_model_page import ModelPage
from app.ui.settings_pages import AppearancePage, LanguagePage
from app.ui.settings_privacy_page import DataFolders, DeleteAll, PrivacyPage

SECTIONS = ("model", "appearance", "privacy", "language")


class SettingsWindow(QDialog):
    # The new Settings. Its active_model is the one at opening: the receiver keeps its own, which a
    # model loading meanwhile may have changed.
    applied = Signal(object)

    def __init__(
        self,
        settings: Settings,
        *,
        model: ModelInfo | None,
        running_language: str,
        folders: DataFolders,
        delete_all: DeleteAll,
        show_problem: Callable[[BaseException], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.setObjectName("settingsWindow")
        self._settings = settings
        self.model_page = ModelPage(settings, model, self)
        self.appearance_page = AppearancePage(settings, self)
        self.privacy_page = PrivacyPage(folders, delete_all, show_problem, self)
        self.language_page = LanguagePage(settings, running_language, self)

        self.sections = QListWidget(self)
        self.sections.setObjectName("settingsSections")
        self.sections.setAccessibleName(self.tr("Settings sections"))
        self.sections.setFixedWidth(190)
        fit_rows_to_width(self.sections)
        self.pages = QStackedWidget(self)
        for title, page in (
            (self.tr("Model"), self.model_page),
            (self.tr("Appearance"), self.appearance_page),
            (self.tr("Privacy and data"), self.privacy_page),
            (self.tr("Language"), self.language_page),
        ):
            self.sections.addItem(title)
            layout = page.layout()
            if layout is not None:
                layout.setContentsMargins(0, 0, 0, 0)  # the window's margins are enough
            self.pages.addWidget(page)
        self.page_title = QLabel(self)
        self.page_title.setObjectName("pageTitle")
        self.sections.currentRowChanged.connect(self._show_page)
        self.sections.setCurrentRow(0)

        self.button_box = buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.Apply,
            self,
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setToolTip(
            self.tr("Use the changed settings and close")
        )
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setToolTip(
            self.tr("Close without changing anything")
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.apply_button = buttons.button(QDialogButtonBox.StandardButton.Apply)
        self.apply_button.setToolTip(self.tr("Use the changed settings now and keep this window open"))
        self.apply_button.clicked.connect(self.apply)

        shown = QVBoxLayout()
        shown.addWidget(self.page_title)
        shown.addWidget(self.pages, 1)
        body = QHBoxLayout()
        body.setSpacing(16)
        body.addWidget(self.sections)
        body.addLayout(shown, 1)
        column = QVBoxLayout(self)
        column.addLayout(body, 1)
        column.addWidget(buttons)
        self.resize(760, 540)
        self.sections.setFocus()  # keyboard users start at the sections, arrows move between them

    def _show_page(self, row: int) -> None:
        self.pages.setCurrentIndex(row)
        item = self.sections.item(row)
        self.page_title.setText(item.text() if item else "")

    def show_section(self, name: str) -> None:
        self.sections.setCurrentRow(SECTIONS.index(name))

    def values(self) -> Settings:
        """The settings as the pages now show them."""
        settings = self._settings
        for page in (self.model_page, self.appearance_page, self.language_page):
            settings = page.apply_to(settings)
        return settings

    def apply(self) -> None:
        changed = self.values()
        if changed != self._settings:
            self._settings = changed
            self.applied.emit(changed)

    def accept(self) -> None:
        self.apply()
        super().accept()
