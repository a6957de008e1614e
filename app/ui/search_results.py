"""Search results in the sidebar: grouped by conversation, each hit a snippet with the matched words in
bold. Enter or a click opens the conversation at that message."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QSize, Qt, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QResizeEvent, QTextDocument
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from app.store import SearchHit, snippet_runs, without_snippet_marks

_HIT_ROLE = Qt.ItemDataRole.UserRole  # (conversation id, message id)
_HTML_ROLE = Qt.ItemDataRole.UserRole + 1  # the hit's line as safe rich text
# Room around a hit's text: its indent under the heading, and the selection band (base.qss).
_INDENT = 16
_MARGIN = 5
_SPACES = re.compile(r"\s+")


def snippet_html(snippet: str) -> str:
    """The store's snippet as safe rich text: everything escaped, the marked words in bold.

    A marker without its pair (a stray control character in stored text) is dropped, never shown.
    """
    return "".join(
        f"<b>{_plain(text)}</b>" if matched else _plain(text) for text, matched in snippet_runs(snippet)
    )


def _plain(text: str) -> str:
    # Line breaks and runs of spaces become one space: a snippet is one flowing line.
    flat = _SPACES.sub(" ", without_snippet_marks(text))
    return html.escape(flat)


class _HitDelegate(QStyledItemDelegate):
    """Paints a hit's rich text (the matched words in bold) in its row. Only the rows on screen are
    painted, so fifty hits cost a fraction of fifty label widgets: results show at the last keystroke."""

    def __init__(self, view: QListWidget) -> None:
        super().__init__(view)
        self._view = view
        self._documents: dict[str, QTextDocument] = {}  # by HTML; cleared with each new set of hits

    def forget(self) -> None:
        self._documents.clear()

    def _document(self, html_text: str, width: int) -> QTextDocument:
        document = self._documents.get(html_text)
        if document is None:
            document = QTextDocument(self)
            document.setDefaultFont(self._view.font())
            document.setDocumentMargin(0)
            document.setHtml(html_text)
            self._documents[html_text] = document
        if document.textWidth() != width:
            document.setTextWidth(width)
        return document

    def _text_width(self) -> int:
        return max(40, self._view.viewport().width() - _INDENT - 2 * _MARGIN)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        html_text = index.data(_HTML_ROLE)
        if not html_text:
            return super().sizeHint(option, index)
        document = self._document(str(html_text), self._text_width())
        return QSize(self._text_width(), int(document.size().height()) + 2 * _MARGIN)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        html_text = index.data(_HTML_ROLE)
        if not html_text:
            super().paint(painter, option, index)
            return
        text_option = QStyleOptionViewItem(option)
        self.initStyleOption(text_option, index)
        text_option.text = ""  # the background and selection band only; the text is drawn below
        style = self._view.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, text_option, painter, self._view)
        document = self._document(str(html_text), self._text_width())
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(QPalette.ColorRole.Text))
        painter.save()
        painter.translate(QPointF(option.rect.left() + _INDENT + _MARGIN, option.rect.top() + _MARGIN))
        document.documentLayout().draw(painter, context)
        painter.restore()


class SearchResults(QListWidget):
    hit_chosen = Signal(int, int)  # conversation id, message id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchResults")
        self.setAccessibleName(self.tr("Search results"))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWordWrap(True)
        self._delegate = _HitDelegate(self)
        self.setItemDelegate(self._delegate)
        self.itemClicked.connect(self._chosen)
        self.itemActivated.connect(self._chosen)
        self.query = ""

    def show_hits(self, query: str, hits: Sequence[SearchHit]) -> None:
        """One heading per conversation, in the order its best hit came, then its hits."""
        self.query = query
        self.clear()
        self._delegate.forget()
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
        first = next((self.item(r) for r in range(self.count()) if self.item(r).data(_HIT_ROLE)), None)
        if first is not None:
            self.setCurrentItem(first)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.doItemsLayout()  # wrapped text: each row's height follows the width

    def _add_hit(self, hit: SearchHit) -> None:
        item = QListWidgetItem()
        item.setData(_HIT_ROLE, (hit.conversation_id, hit.message_id))
        who = {"user": self.tr("You"), "title": self.tr("Title")}.get(hit.role, self.tr("Hearth"))
        item.setData(
            _HTML_ROLE, f"<span style='color:gray'>{html.escape(who)}:</span> {snippet_html(hit.snippet)}"
        )
        item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{who}: {_plain(hit.snippet)}")
        item.setToolTip(_plain(hit.snippet))
        self.addItem(item)

    def hits(self) -> list[tuple[int, int]]:
        """(conversation id, message id) of each hit, in display order."""
        items = (self.item(row) for row in range(self.count()))
        return [tuple(item.data(_HIT_ROLE)) for item in items if item.data(_HIT_ROLE)]

    def snippet_texts(self) -> list[str]:
        """Each hit's line as the rich text it is drawn from."""
        items = (self.item(row) for row in range(self.count()))
        return [str(item.data(_HTML_ROLE)) for item in items if item.data(_HIT_ROLE)]

    def choose_current(self) -> None:
        item = self.currentItem()
        if item is not None:
            self._chosen(item)

    def _chosen(self, item: QListWidgetItem) -> None:
        hit = item.data(_HIT_ROLE)
        if hit:
            conversation_id, message_id = hit
            self.hit_chosen.emit(int(conversation_id), int(message_id))
