"""About Hearth: the version, what runs the models, and the licence of everything Hearth ships, with the
gpt-oss licence first. The licence texts are read in the background (resources/licenses/)."""

from __future__ import annotations

import json
import platform
from dataclasses import dataclass
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QSize, Qt, qVersion
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.engine import runtime_description
from app.ui.chat_helpers import note_label
from app.ui.fitted_list import fit_rows_to_width
from app.ui.jobs import run_job
from app.ui.resources import app_icon_path, resources_dir


@dataclass(frozen=True)
class Notice:
    name: str
    version: str
    licence: str
    text: str


def read_notices(folder: Path) -> list[Notice]:
    """The gpt-oss licence, then every bundled component's; runs on a pool thread."""
    notices = [
        Notice("gpt-oss", "", "Apache-2.0", (folder / "gpt-oss.txt").read_text(encoding="utf-8")),
    ]
    for entry in json.loads((folder / "third-party.json").read_text(encoding="utf-8")):
        notices.append(Notice(entry["name"], entry["version"], entry["licence"], entry["text"]))
    return notices


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About Hearth"))
        self.setObjectName("aboutDialog")
        self.notices: list[Notice] = []
        logo = QLabel(self)
        logo.setPixmap(QIcon(str(app_icon_path())).pixmap(QSize(64, 64)))
        name = QLabel(self.tr("Hearth {version}").format(version=__version__), self)
        name.setObjectName("aboutTitle")
        tagline = QLabel(
            self.tr(
                "Private AI chat that runs on your computer. Free software under the Apache License 2.0."
            ),
            self,
        )
        versions = note_label(
            self.tr("Models run with {runtime}.\nQt {qt} (PySide6 {pyside}), Python {python}.").format(
                runtime=runtime_description(),
                qt=qVersion(),
                pyside=pyside_version,
                python=platform.python_version(),
            ),
            self,
        )
        versions.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        heading = QVBoxLayout()
        heading.addWidget(name)
        heading.addWidget(tagline)
        heading.addWidget(versions)
        top = QHBoxLayout()
        top.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(heading, 1)

        licences_label = QLabel(self.tr("Licences of the models and of the software Hearth includes:"), self)
        self.components = QListWidget(self)
        self.components.setObjectName("licenceList")
        self.components.setAccessibleName(self.tr("Included software"))
        self.components.setFixedWidth(270)
        fit_rows_to_width(self.components)
        self.components.currentRowChanged.connect(self._show_notice)
        self.licence_text = QPlainTextEdit(self)
        self.licence_text.setReadOnly(True)
        self.licence_text.setAccessibleName(self.tr("Licence text"))
        licences = QHBoxLayout()
        licences.addWidget(self.components)
        licences.addWidget(self.licence_text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)

        column = QVBoxLayout(self)
        column.addLayout(top)
        column.addSpacing(8)
        column.addWidget(licences_label)
        column.addLayout(licences, 1)
        column.addWidget(buttons)
        self.resize(820, 600)
        folder = resources_dir() / "licenses"
        run_job(lambda: read_notices(folder), self._show_notices, self._unreadable, parent=self)

    def _show_notices(self, notices: list[Notice]) -> None:
        self.notices = notices
        for notice in notices:
            label = f"{notice.name} {notice.version}".strip()
            self.components.addItem(f"{label}  ·  {notice.licence}")
            self.components.item(self.components.count() - 1).setToolTip(f"{label}: {notice.licence}")
        self.components.setCurrentRow(0)

    def _unreadable(self, error: BaseException) -> None:
        self.licence_text.setPlainText(
            self.tr("The licence texts could not be read: {error}").format(error=error)
        )

    def _show_notice(self, row: int) -> None:
        if 0 <= row < len(self.notices):
            self.licence_text.setPlainText(self.notices[row].text)
