"""MessageText: the read-only text of one message, as tall as its content, that a reply and the user's
message both show. It edits its document in place, so a streaming reply lays out only what changed.
"""

from __future__ import annotations

import math
import time
from collections import deque
from typing import Any, ClassVar

from PySide6.QtCore import QSize, QSizeF, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QResizeEvent, QTextBlockFormat, QTextCursor, QTextOption
from PySide6.QtWidgets import QFrame, QSizePolicy, QTextBrowser, QWidget

from app.render import COPY_SCHEME, Rendered, safe_link
from app.ui.chat_helpers import copy_to_clipboard
from app.ui.message_parts import INTERNAL_SCHEMES

# An invisible character that lets a block be appended with its own formatting (see _append_part).
_SENTINEL = "\u2063"
# HTML characters appended in one turn of the event loop (see _append_pending).
SLICE_HTML = 48_000
# A message longer than this is laid out again at a new width in a turn of the event loop of its own.
RELAYOUT_LATER_CHARS = 50_000
# Between two slices of long work on documents the event loop runs for at least this long.
_GAP_MS = 5


class MessageText(QTextBrowser):
    """Read-only, selectable message text, exactly as tall as its content (the chat scrolls, not it).

    Links never navigate: hearth-copy:N copies code block N, and an http(s) link is reported through
    `link_activated`. Every other link does nothing, and no resource (image, file) is ever loaded.
    """

    link_activated = Signal(str)
    document_link_activated = Signal(str)  # hearth-passage: / hearth-document:, shown in the app

    # When the latest long work on a document ended, in any message (see _take_turn).
    _work_ended: ClassVar[float] = 0.0

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
        self._parts: list[str] = []  # shown
        self._starts: list[int] = []
        self._pending: deque[str] = deque()  # to be shown after them
        self._more = QTimer(self)
        self._more.setSingleShot(True)
        self._more.setInterval(0)
        self._more.timeout.connect(self._append_more)
        self._relayout = QTimer(self)
        self._relayout.setSingleShot(True)
        self._relayout.timeout.connect(self._relayout_now)
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
        self._pending.clear()
        self.document().setPlainText(text)

    @property
    def pending_parts(self) -> int:
        """Parts of the latest show_rendered still waiting for a later turn of the event loop."""
        return len(self._pending)

    def show_rendered(self, rendered: Rendered) -> None:
        """Show `rendered`, laying out again only the parts that differ from what is shown.

        A streaming reply changes only at its end, so each render costs about one paragraph, however
        long the reply already is. Inserted parts look as they would from one setHtml (tests compare).
        A long reply appears over several turns of the event loop (see _append_pending).
        """
        self._code_blocks = rendered.code_blocks
        parts = list(rendered.parts)
        keep = 0
        while keep < min(len(parts), len(self._parts)) and parts[keep] == self._parts[keep]:
            keep += 1
        self._pending = deque(parts[keep:])
        if keep == len(self._parts) and not self._pending:
            return
        document = self.document()
        if keep == 0:
            document.clear()
            self._starts = []
        elif keep < len(self._parts):
            self._remove_from(self._starts[keep])
            del self._starts[keep:]
        del self._parts[keep:]
        self._append_pending()

    def _append_pending(self) -> None:
        """Append parts until SLICE_HTML characters of HTML are in; the rest come on later turns.

        QTextDocument parses and lays out about 50 KB of HTML in 30 to 100 ms, and a megabyte-long reply
        has many megabytes, so showing it in one go froze the window for seconds. By size, not time, so
        that what a test sees right after show_rendered does not depend on the machine's speed.
        """
        appended = 0
        while self._pending and appended < SLICE_HTML:
            part = self._pending.popleft()
            self._starts.append(self._append_part(part, first=not self._parts))
            self._parts.append(part)
            appended += len(part)
        if appended >= SLICE_HTML:
            # Lay it out now, in this slice: left to itself, QTextDocument lays a document set whole
            # out later, in steps of up to 200,000 characters, each a stall of its own.
            self.document().documentLayout().documentSize()
            MessageText._work_ended = time.monotonic()
        if self._pending:
            self._more.start(0)

    def _append_more(self) -> None:
        if self._take_turn(self._more):
            self._append_pending()

    @staticmethod
    def _take_turn(timer: QTimer) -> bool:
        """Whether long work on a document may run now; if not, `timer` is started to try again later.

        Every long reply in the chat appends its parts, or lays itself out at a new width, on timers that
        fall due together, and Qt runs all due timers in one turn of the event loop: a page of long
        replies took turns only if each waits until the event loop has had _GAP_MS since the latest.
        """
        if (time.monotonic() - MessageText._work_ended) * 1000 < _GAP_MS:
            timer.start(_GAP_MS)
            return False
        return True

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

    def resizeEvent(self, event: QResizeEvent) -> None:
        old_width, width = event.oldSize().width(), event.size().width()
        if old_width > 0 and old_width != width and self.document().characterCount() > RELAYOUT_LATER_CHARS:
            # QTextEdit lays the whole document out again at the new width, right here (the view is
            # as tall as the document, so all of it is "visible"), and every message in the chat gets
            # its resize in the same turn of the event loop: a few replies of a megabyte froze the
            # window for seconds. A long message waits for a turn of its own instead.
            self._relayout.start(0)
            return
        super().resizeEvent(event)

    def _relayout_now(self) -> None:
        if not self._take_turn(self._relayout):
            return
        # An old width of -1 differs from any width: QTextEdit lays the document out at the viewport's.
        super().resizeEvent(QResizeEvent(self.viewport().size(), QSize(-1, -1)))
        MessageText._work_ended = time.monotonic()

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
