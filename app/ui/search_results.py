"""Search results in the sidebar: grouped by conversation, each hit a snippet with the matched words in
bold. Enter or a click opens the conversation at that message."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QWidget

from app.store import SNIPPET_END, SNIPPET_START, SearchHit

_HIT_ROLE = Qt.ItemDataRole.UserRole  # (conversation id, message id)
# Horizontal padding and border of a hit's row in base.qss, with room to spare.
_ROW_PADDING = 24
_SPACES = re.compile(r"\s+")
_MARKED = re.compile(re.escape(SNIPPET_START) + "(.*?)" + re.escape(SNIPPET_END), re.DOTALL)


def snippet_html(snippet: str) -> str:
    """The store's snippet as safe rich text: everything escaped, the marked words in bold.

    A marker without its pair (a stray control character in stored text) is dropped, never shown.
    """
    parts: list[str] = []
    last = 0
    for match in _MARKED.finditer(snippet):
        parts.append(_plain(snippet[last : match.start()]))
        parts.append(f"<b>{_plain(match.group(1))}</b>")
        last = match.end()
    parts.append(_plain(snippet[last:]))
    return "".join(parts)


def _plain(text: str) -> str:
    # Line breaks and runs of spaces become one space: a snippet is one flowing line.
    flat = _SPACES.sub(" ", text.replace(SNIPPET_START, "").replace(SNIPPET_END, ""))
    return html.escape(flat)


class SearchResults(QListWidget):
    hit_chosen = Signal(int, int)  # conversation id, message id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchResults")
        self.setAccessibleName(self.tr("Search results"))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWordWrap(True)
        self.itemClicked.connect(self._chosen)
        self.itemActivated.connect(self._chosen)
        self.query = ""

    def show_hits(self, query: str, hits: Sequence[SearchHit]) -> None:
        """One heading per conversation, in the order its best hit came, then its hits."""
        self.query = query
        self.clear()
        by_conversation: dict[int, list[SearchHit]] = {}
        for hit in hits:
            by_conversation.setdefault(hit.conversation_id, []).append(hit)
        if not hits:
            empty = QListWidgetItem(self.tr("Nothing found for “{query}”.").format(query=query))
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addItem(empty)
            return
        for conversation_hits in by_conversation.values():
            title = conversation_hits[0].conversation_title or self.tr("New chat")
            heading = QListWidgetItem(title)
            heading.setFlags(Qt.ItemFlag.NoItemFlags)
            heading.setToolTip(title)
            font = heading.font()
            font.setBold(True)
            heading.setFont(font)
            self.addItem(heading)
            for hit in conversation_hits:
                self._add_hit(hit)
        self._fit_rows()
        first = next((self.item(r) for r in range(self.count()) if self.item(r).data(_HIT_ROLE)), None)
        if first is not None:
            self.setCurrentItem(first)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_rows()

    def _fit_rows(self) -> None:
        # A wrapped label's height depends on the width it gets: set each row's from the list's width,
        # less the row's padding and selection band (base.qss), so no line is cut off.
        width = self.viewport().width() - _ROW_PADDING
        for row in range(self.count()):
            item = self.item(row)
            label = self.itemWidget(item)
            if isinstance(label, QLabel):
                item.setSizeHint(QSize(width, label.heightForWidth(width) + _ROW_PADDING // 2))

    def _add_hit(self, hit: SearchHit) -> None:
        item = QListWidgetItem()
        item.setData(_HIT_ROLE, (hit.conversation_id, hit.message_id))
        who = self.tr("You") if hit.role == "user" else self.tr("Hearth")
        label = QLabel(f"<span style='opacity:0.7'>{who}:</span> {snippet_html(hit.snippet)}")
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        label.setContentsMargins(14, 2, 4, 2)
        label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{who}: {_plain(hit.snippet)}")
        self.addItem(item)
        self.setItemWidget(item, label)

    def hits(self) -> list[tuple[int, int]]:
        """(conversation id, message id) of each hit, in display order."""
        items = (self.item(row) for row in range(self.count()))
        return [tuple(item.data(_HIT_ROLE)) for item in items if item.data(_HIT_ROLE)]

    def snippet_texts(self) -> list[str]:
        items = (self.item(row) for row in range(self.count()))
        widgets = (self.itemWidget(item) for item in items if item.data(_HIT_ROLE))
        return [w.text() for w in widgets if isinstance(w, QLabel)]

    def choose_current(self) -> None:
        item = self.currentItem()
        if item is not None:
            self._chosen(item)

    def _chosen(self, item: QListWidgetItem) -> None:
        hit = item.data(_HIT_ROLE)
        if hit:
            conversation_id, message_id = hit
            self.hit_chosen.emit(int(conversation_id), int(message_id))
