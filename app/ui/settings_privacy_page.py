"""Settings, Privacy and data section: where everything is kept, the Hugging Face token, and deleting
the whole history. Every keyring call and the deletion run through run_job."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.models.secrets import TokenStorage, clear_token, get_token, set_token
from app.ui.chat_helpers import note_label
from app.ui.icons import themed_icon
from app.ui.jobs import run_job

# delete_all(on_done, on_error): delete every conversation in the background, then report how many.
DeleteAll = Callable[[Callable[[int], None], Callable[[BaseException], None]], None]


@dataclass(frozen=True)
class DataFolders:
    history: Path  # the folder holding the history file
    models: Path
    logs: Path


class PrivacyPage(QWidget):
    """`delete_all(on_done, on_error)` deletes every conversation in the background, then calls
    `on_done(how_many)` or `on_error(error)`; the window owns it, as it must leave the open conversation."""

    def __init__(
        self,
        folders: DataFolders,
        delete_all: DeleteAll,
        show_problem: Callable[[BaseException], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._delete_all = delete_all
        self._show_problem = show_problem
        promise = note_label(
            self.tr(
                "Your conversations and documents stay on this computer. Hearth uses the internet only "
                "to download the models you choose."
            ),
            self,
        )
        promise.setProperty("muted", False)
        places = QFormLayout()
        for label, folder, name in (
            (self.tr("Conversations"), folders.history, self.tr("Show the conversations folder")),
            (self.tr("Models"), folders.models, self.tr("Show the models folder")),
            (self.tr("Logs"), folders.logs, self.tr("Show the logs folder")),
        ):
            places.addRow(label, self._folder_row(folder, name))

        column = QVBoxLayout(self)
        column.addWidget(promise)
        column.addLayout(places)
        column.addWidget(self._token_box())
        column.addWidget(self._history_box())
        column.addStretch(1)
        run_job(get_token, self._show_token_state, self._show_problem, parent=self)

    def _folder_row(self, folder: Path, accessible_name: str) -> QWidget:
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        path = QLabel(str(folder), row)
        path.setToolTip(str(folder))
        path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        path.setMinimumWidth(80)
        show = QPushButton(themed_icon("folder"), self.tr("Show in file manager"), row)
        show.setAccessibleName(accessible_name)
        show.setToolTip(self.tr("Open this folder in your file manager"))
        show.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))))
        layout.addWidget(path, 1)
        layout.addWidget(show)
        return row

    def _token_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Hugging Face token"), self)
        self.token_state = QLabel(self.tr("Checking…"), box)
        self.token = QLineEdit(box)
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText(self.tr("Paste a read token"))
        self.token.setAccessibleName(self.tr("Hugging Face token"))
        self.token.setToolTip(
            self.tr("Only needed for models whose owners ask you to sign in before downloading")
        )
        self.save_token = QPushButton(self.tr("Save token"), box)
        self.save_token.setToolTip(self.tr("Keep the token in this computer's keyring"))
        self.save_token.clicked.connect(self._save_token)
        self.token.textChanged.connect(lambda text: self.save_token.setEnabled(bool(text.strip())))
        self.save_token.setEnabled(False)
        self.remove_token = QPushButton(self.tr("Remove token"), box)
        self.remove_token.setToolTip(self.tr("Forget the saved token"))
        self.remove_token.clicked.connect(self._remove_token)
        self.remove_token.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(self.token, 1)
        row.addWidget(self.save_token)
        row.addWidget(self.remove_token)
        layout = QVBoxLayout(box)
        layout.addWidget(self.token_state)
        layout.addLayout(row)
        return box

    def _history_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("History"), self)
        self.delete_all = QPushButton(themed_icon("delete"), self.tr("Delete all conversations…"), box)
        self.delete_all.setObjectName("dangerButton")
        self.delete_all.setToolTip(self.tr("Delete every conversation and its documents from this computer"))
        self.delete_all.clicked.connect(self._confirm_delete_all)
        self.history_state = note_label("", box)
        self.history_state.hide()
        layout = QVBoxLayout(box)
        row = QHBoxLayout()
        row.addWidget(self.delete_all)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.history_state)
        return box

    # -- the token --------------------------------------------------------------------------------

    def _show_token_state(self, token: str | None) -> None:
        self.token_state.setText(
            self.tr("A token is saved.") if token else self.tr("No token is saved. Most models need none.")
        )
        self.remove_token.setEnabled(bool(token))

    def _save_token(self) -> None:
        token = self.token.text().strip()
        self.save_token.setEnabled(False)
        run_job(lambda: set_token(token), self._token_saved, self._token_failed, parent=self)

    def _token_saved(self, where: TokenStorage) -> None:
        self.token.clear()
        self.remove_token.setEnabled(True)
        if where == "keyring":
            self.token_state.setText(self.tr("The token is saved in this computer's keyring."))
        else:
            self.token_state.setText(
                self.tr("This computer has no keyring, so the token is kept only until Hearth closes.")
            )

    def _token_failed(self, error: BaseException) -> None:
        self.save_token.setEnabled(bool(self.token.text().strip()))
        self._show_problem(error)

    def _remove_token(self) -> None:
        self.remove_token.setEnabled(False)
        run_job(clear_token, lambda _none: self._show_token_state(None), self._show_problem, parent=self)

    # -- the history ------------------------------------------------------------------------------

    def _confirm_delete_all(self) -> None:
        answer = QMessageBox.warning(
            self,
            self.tr("Delete all conversations?"),
            self.tr(
                "Every conversation and every attached document will be deleted from this computer. "
                "This cannot be undone."
            ),
            QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Yes,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.delete_all.setEnabled(False)
        self._delete_all(self._deleted, self._delete_failed)

    def _delete_failed(self, error: BaseException) -> None:
        self.delete_all.setEnabled(True)
        self._show_problem(error)

    def _deleted(self, count: int) -> None:
        self.delete_all.setEnabled(True)
        self.history_state.setText(
            self.tr("Deleted 1 conversation.")
            if count == 1
            else self.tr("Deleted {count} conversations.").format(count=count)
        )
        self.history_state.show()
