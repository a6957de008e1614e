"""Read-only windows onto what the model was given: a whole document as read, or one cited passage.

They show exactly the extracted text (with "[Page 4]" lines), so the user can check what was sent.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.documents.document import Document, describe, with_page_markers


def _text_view(parent: QWidget, text: str, name: str) -> QPlainTextEdit:
    view = QPlainTextEdit(parent)
    view.setReadOnly(True)
    view.setPlainText(text)
    view.setAccessibleName(name)
    view.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    return view


def _plain_label(parent: QWidget, text: str, name: str) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class DocumentViewer(QDialog):
    """The whole text read from one document, with its facts and notes; `show_page(n)` scrolls to a page."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setWindowTitle(self.tr("{name} — {facts}").format(name=document.name, facts=describe(document)))
        self.resize(720, 640)
        self.heading = _plain_label(self, document.name, self.tr("Document"))
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.facts = _plain_label(self, describe(document), self.tr("About this document"))
        self.notes = _plain_label(self, "\n".join(document.notes), self.tr("Notes about what was read"))
        self.notes.setVisible(bool(document.notes))
        if not document.text.strip():
            shown = self.tr("No text could be read from this document.")
        else:
            shown = with_page_markers(document)
        self.text_view = _text_view(self, shown, self.tr("Text read from {name}").format(name=document.name))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(self.tr("Close"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.facts)
        layout.addWidget(self.notes)
        layout.addWidget(self.text_view, 1)
        layout.addWidget(buttons)

    def show_page(self, page: int) -> bool:
        """Scroll so the "[Page n]" line is at the top; False if the document has no such page."""
        found = self.text_view.document().find(
            f"[Page {page}]", 0, QTextDocument.FindFlag.FindCaseSensitively
        )
        if found.isNull():
            return False
        view = self.text_view
        view.moveCursor(QTextCursor.MoveOperation.End)  # so the page line can end up at the top
        cursor = QTextCursor(found)
        cursor.clearSelection()
        view.setTextCursor(cursor)
        view.ensureCursorVisible()
        return True

    def current_line(self) -> str:
        """The line at the cursor: the "[Page n]" line after show_page(n)."""
        return self.text_view.textCursor().block().text()


class PassageViewer(QDialog):
    """One cited passage: "report.pdf, page 4" and the passage's text, and a way to the whole document."""

    open_document_requested = Signal(int, int)  # attachment id, page (0: none)

    def __init__(
        self,
        name: str,
        page: int | None,
        text: str,
        attachment_id: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.attachment_id = attachment_id
        self.page = page
        where = self.tr("{name}, page {page}").format(name=name, page=page) if page else name
        self.setWindowTitle(where)
        self.resize(600, 420)
        self.heading = _plain_label(self, where, self.tr("Where this passage comes from"))
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.text_view = _text_view(self, text, self.tr("Passage"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(self.tr("Close"))
        self.whole_button = QPushButton(self.tr("Open the whole document"), self)
        self.whole_button.setAccessibleName(self.tr("Open the whole document"))
        self.whole_button.clicked.connect(
            lambda: self.open_document_requested.emit(self.attachment_id, self.page or 0)
        )
        buttons.addButton(self.whole_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.text_view, 1)
        layout.addWidget(buttons)
