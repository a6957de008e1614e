"""Where the user types: Enter sends, Shift+Enter adds a line, and Send turns into Stop while a reply streams.

Documents join the next message as chips above the box: from the Attach button, a pasted or dropped
file, or a long pasted text the user chose to attach. Each is read in the background; a message is
sent only once every chip is ready, so nothing goes out that the user has not seen.

Esc (stop) is a window shortcut, so it works wherever the focus is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final, Literal

from PySide6.QtCore import QMimeData, Qt, QThreadPool, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.documents.document import MAX_FILE_BYTES, Document
from app.i18n import format_number
from app.ui.attachments import FAILED, READING, AttachmentStrip, PendingAttachment
from app.ui.file_drops import local_files
from app.ui.icons import themed_icon
from app.ui.shortcuts import keys_for
from app.units import format_bytes

# A paste longer than this is probably a document: the user is offered to attach it instead.
LONG_PASTE_CHARS: Final = 4000

PasteChoice = Literal["attach", "paste", "cancel"]


# Documents read at the same time; more wait their turn. Two keep a 2-core laptop responsive.
READERS_AT_ONCE = 2


class ComposerInput(QPlainTextEdit):
    submit = Signal()
    files_pasted = Signal(list)  # list[str]: files pasted or dropped into the box
    long_text_pasted = Signal(str)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.submit.emit()
            return
        super().keyPressEvent(event)

    # Paste and drop both come through these two (QTextEdit's drop calls insertFromMimeData).

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        if source.hasUrls() and any(url.isLocalFile() for url in source.urls()):
            return True
        return super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        files = local_files(source.urls()) if source.hasUrls() else []
        if files:
            self.files_pasted.emit(files)
            return
        if source.hasText() and len(source.text()) > LONG_PASTE_CHARS:
            self.long_text_pasted.emit(source.text())
            return
        super().insertFromMimeData(source)


class Composer(QWidget):
    send_requested = Signal(str, object)  # text (may be empty with documents), list[Document]
    stop_requested = Signal()
    refused = Signal(str)  # why the message was not sent, in plain words (the window shows it)
    files_offered = Signal(list)  # list[str]: files pasted or dropped here; the window routes them

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._streaming = False
        # Documents are read on threads of their own (each mostly waits on a child process), so
        # reading several never holds up the quick jobs on Qt's shared pool.
        self.reading_pool = QThreadPool(self)
        self.reading_pool.setMaxThreadCount(READERS_AT_ONCE)
        # Injectable for tests: how the user picks files, and what a long paste becomes.
        self.choose_files: Callable[[], Sequence[str]] = self._ask_for_files
        self.paste_choice: Callable[[str], PasteChoice] = self._ask_about_paste
        self.input = ComposerInput(self)
        self.input.setObjectName("composerInput")
        self.input.setAccessibleName(self.tr("Message"))
        self.input.setPlaceholderText(
            self.tr("Message Hearth…  ({send} to send, {new_line} for a new line)").format(
                send=keys_for("send"), new_line=keys_for("new_line")
            )
        )
        self.input.setTabChangesFocus(True)
        self.input.setFrameShape(QFrame.Shape.NoFrame)  # the style sheet draws one rounded border
        self.input.setFixedHeight(84)
        self.input.submit.connect(self._on_submit)
        self.input.files_pasted.connect(self.files_offered)
        self.input.long_text_pasted.connect(self._long_paste)
        self.attachments = AttachmentStrip(removable=True, parent=self)
        self.attach_button = QPushButton(themed_icon("attach"), self.tr("Attach…"), self)
        self.attach_button.setObjectName("attachButton")
        self.attach_button.setAccessibleName(self.tr("Attach documents"))
        self.attach_button.setToolTip(self.limits_text())
        self.attach_button.clicked.connect(self.choose_and_attach)
        self.button = QPushButton(
            themed_icon("send", role=QPalette.ColorRole.HighlightedText), self.tr("Send"), self
        )
        self.button.setObjectName("sendButton")
        self.button.setAccessibleName(self.tr("Send message"))
        self.button.clicked.connect(self._on_button)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.attach_button, 0, Qt.AlignmentFlag.AlignBottom)
        row.addWidget(self.input, 1)
        row.addWidget(self.button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 12)
        layout.setSpacing(6)
        layout.addWidget(self.attachments)
        layout.addLayout(row)

    def limits_text(self) -> str:
        return self.tr(
            "Attach documents: PDF, Word, text, Markdown, code, CSV, HTML. Up to {size} per file."
        ).format(size=format_bytes(MAX_FILE_BYTES))

    @property
    def streaming(self) -> bool:
        return self._streaming

    def set_streaming(self, streaming: bool) -> None:
        self._streaming = streaming
        self.button.setText(self.tr("Stop") if streaming else self.tr("Send"))
        self.button.setIcon(
            themed_icon("stop" if streaming else "send", role=QPalette.ColorRole.HighlightedText)
        )
        self.button.setAccessibleName(self.tr("Stop the reply") if streaming else self.tr("Send message"))
        self.button.setToolTip(
            self.tr("Stop the reply ({keys})").format(keys=keys_for("stop"))
            if streaming
            else self.tr("Send ({keys})").format(keys=keys_for("send"))
        )

    # -- attachments ---------------------------------------------------------------------------------

    def attach_files(self, paths: Sequence[str | Path]) -> list[PendingAttachment]:
        """Start reading each file into a chip above the box."""
        return [self._attach(PendingAttachment.from_path(Path(path))) for path in paths]

    def attach_text(self, text: str) -> PendingAttachment:
        return self._attach(PendingAttachment.from_text(text))

    def restore(self, text: str, pending: Sequence[PendingAttachment]) -> None:
        """Put back a message that could not be sent (no model, …), chips included."""
        self.input.setPlainText(text)
        for attachment in pending:
            self.attachments.add_pending(attachment)

    def _attach(self, pending: PendingAttachment) -> PendingAttachment:
        self.attachments.add_pending(pending)
        pending.start(self.reading_pool)
        return pending

    def choose_and_attach(self) -> None:
        paths = self.choose_files()
        if paths:
            self.attach_files(paths)

    def _ask_for_files(self) -> Sequence[str]:
        from app.documents.extract import SUPPORTED_SUFFIXES  # the readers' modules load on first use

        patterns = " ".join(f"*{suffix}" for suffix in sorted(SUPPORTED_SUFFIXES))
        limit = self.tr("up to {size} each").format(size=format_bytes(MAX_FILE_BYTES))
        paths, _filter = QFileDialog.getOpenFileNames(
            self,
            self.tr("Attach documents ({limit})").format(limit=limit),
            str(Path.home()),
            self.tr("Documents ({patterns});;All files (*)").format(patterns=patterns),
        )
        return paths

    def _long_paste(self, text: str) -> None:
        choice = self.paste_choice(text)
        if choice == "attach":
            self.attach_text(text)
        elif choice == "paste":
            self.input.insertPlainText(text)

    def _ask_about_paste(self, text: str) -> PasteChoice:
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("Long text pasted"))
        box.setText(
            self.tr(
                "You pasted {count} characters. Attach it as a document, or paste it into the message?"
            ).format(count=format_number(len(text)))
        )
        attach = box.addButton(self.tr("Attach as a document"), QMessageBox.ButtonRole.AcceptRole)
        paste = box.addButton(self.tr("Paste as text"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(attach)
        box.exec()
        clicked = box.clickedButton()
        return "attach" if clicked is attach else "paste" if clicked is paste else "cancel"

    # -- sending ---------------------------------------------------------------------------------

    def _on_submit(self) -> None:
        if self._streaming:
            return  # Enter while a reply streams does nothing; Stop is explicit.
        text = self.input.toPlainText().strip()
        pending = self.attachments.pending
        if not text and not pending:
            return
        for attachment in pending:
            if attachment.state == READING:
                self.refused.emit(self.tr("Wait until {name} has been read.").format(name=attachment.name))
                return
        for attachment in pending:
            if attachment.state == FAILED:
                self.refused.emit(
                    self.tr("Remove “{name}” (it could not be read) before sending.").format(
                        name=attachment.name
                    )
                )
                return
        documents: list[Document] = [a.document for a in pending if a.document is not None]
        # The window clears the box once it has taken the message, so a refused send loses nothing.
        self.send_requested.emit(text, documents)

    def clear(self) -> tuple[PendingAttachment, ...]:
        """Empty the box and the chips; returns the attachments taken (to put back if sending fails)."""
        self.input.clear()
        return self.attachments.take_all()

    def _on_button(self) -> None:
        if self._streaming:
            self.stop_requested.emit()
        else:
            self._on_submit()
