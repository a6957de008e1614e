"""MessageText: the read-only text of one message, as tall as its content, that a reply and the user's
message both show. It edits its document in place, so a streaming reply lays out only what changed.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QSizeF, Qt, QUrl, Signal
from PySide6.QtGui import QTextBlockFormat, QTextCursor, QTextOption
from PySide6.QtWidgets import QFrame, QSizePolicy, QTextBrowser, QWidget

from app.render import COPY_SCHEME, Rendered, safe_link
from app.ui.chat_helpers import copy_to_clipboard
from app.ui.message_parts import INTERNAL_SCHEMES

# An invisible character that lets a block be appended with its own formatting (see _append_part).
_SENTINEL = "\u2063"


class MessageText(QTextBrowser):
    """Read-only, selectable message text, exactly as tall as its content (the chat scrolls, not it).

    Links never navigate: hearth-copy:N copies code block N, and an http(s) link is reported through
    `link_activated`. Every other link does nothing, and no resource (image, file) is ever loaded.
    """

    link_activated = Signal(str)
    document_link_activated = Signal(str)  # hearth-passage: / hearth-document:, shown in the app

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        # Long words and URLs wrap instead of being cut off: there is no horizontal scroll bar.
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.viewport().setAutoFillBackground(False)  # the chat's background shows through
        document = self.document()
        document.setUndoRedoEnabled(False)  # nobody edits it; an undo history would only grow
        document.setDocumentMargin(2)
        layout = document.documentLayout()
        layout.documentSizeChanged.connect(self._fit_height)
        self.anchorClicked.connect(self._anchor_clicked)
        self.highlighted.connect(self._anchor_hovered)
        self._parts: list[str] = []
        self._starts: list[int] = []
        self._code_blocks: tuple[str, ...] = ()
        self._fit_height(document.size())

    @property
    def code_blocks(self) -> tuple[str, ...]:
        return self._code_blocks

    def loadResource(self, type: int, name: QUrl | str) -> Any:
        # Never fetch anything to show a message: no remote images, no local files.
        return None

    def show_plain(self, text: str) -> None:
        self._parts, self._starts, self._code_blocks = [], [], ()
        self.document().setPlainText(text)

    def show_rendered(self, rendered: Rendered) -> None:
        """Show `rendered`, laying out again only the parts that differ from what is shown.

        A streaming reply changes only at its end, so each render costs about one paragraph, however
        long the reply already is. Inserted parts look as they would from one setHtml (tests compare).
        """
        self._code_blocks = rendered.code_blocks
        parts = list(rendered.parts)
        keep = 0
        while keep < min(len(parts), len(self._parts)) and parts[keep] == self._parts[keep]:
            keep += 1
        if keep == len(parts) == len(self._parts):
            return
        document = self.document()
        if keep == 0:
            document.clear()
            self._starts = []
        elif keep < len(self._parts):
            self._remove_from(self._starts[keep])
            del self._starts[keep:]
        for index in range(keep, len(parts)):
            self._starts.append(self._append_part(parts[index], first=index == 0))
        self._parts = parts

    def _remove_from(self, position: int) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(position)
        cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        block = cursor.block()
        if block.length() == 1:
            # An empty block left behind (the one Qt keeps after a table) must not keep the removed
            # part's looks, such as a list bullet or a heading's margins.
            text_list = block.textList()
            if text_list is not None:
                text_list.remove(block)
            cursor.setBlockFormat(QTextBlockFormat())

    def _append_part(self, html: str, *, first: bool) -> int:
        """Append one part's HTML; returns the position where it starts."""
        document = self.document()
        if first:
            document.setHtml(html)
            return 0
        cursor = QTextCursor(document)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        start = cursor.position()
        # insertHtml merges the fragment's first block into the block at the cursor, and that block
        # loses its own format (a heading would lose its margins). A leading invisible character
        # takes that place instead, so every block of the part arrives whole; then it is removed.
        if html.startswith("<table"):
            # A table arrives whole anyway (it is a frame, not a block), and the empty block that
            # precedes it in the fragment merges into the block at the cursor, as setHtml has it.
            cursor.insertHtml(html)
            return start
        cursor.insertHtml(f"<span>{_SENTINEL}</span>{html}")
        if document.characterCount() <= start + 1:
            return start  # Qt dropped the fragment (nothing visible in it)
        cursor.setPosition(start)
        cursor.setPosition(start + 1, QTextCursor.MoveMode.KeepAnchor)
        if cursor.selectedText() == _SENTINEL:
            # After a table this leaves the empty block that setHtml leaves there too.
            cursor.removeSelectedText()
        return start

    def _fit_height(self, size: QSizeF) -> None:
        height = math.ceil(size.height()) + 2 * self.frameWidth()
        if (self.minimumHeight(), self.maximumHeight()) != (height, height):
            self.setFixedHeight(height)

    def _anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() == COPY_SCHEME:
            index = url.path()
            if index.isdigit() and int(index) < len(self._code_blocks):
                copy_to_clipboard(self._code_blocks[int(index)])
            return
        if url.scheme() in INTERNAL_SCHEMES:
            self.document_link_activated.emit(url.toString())
            return
        target = safe_link(url.toString())
        if target is not None:
            self.link_activated.emit(target)

    def _anchor_hovered(self, url: QUrl) -> None:
        if url.isEmpty():
            self.setToolTip("")
        elif url.scheme() == COPY_SCHEME:
            self.setToolTip(self.tr("Copy this code"))
        elif url.scheme() in INTERNAL_SCHEMES:
            self.setToolTip(self.tr("Show this passage"))
        else:
            self.setToolTip(safe_link(url.toString()) or "")
