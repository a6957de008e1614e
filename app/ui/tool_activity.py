"""What gpt-oss's tools did while a reply was written: quiet rows in its Thinking section.

One row per tool use ("Searched the documents for “notice period”: 7 results", "Ran Python, 0.3 s"),
with an icon for its kind. A click, Enter or Space opens the row to its detail: the results page, the
page read, the code and its output. The detail is what a tool produced from the user's documents or the
model's code, so it is only ever shown as plain text, never as HTML.

Rows come from the worker's "tool" events while the reply streams (app.engine.tools.ToolActivity) and
from the reply's stored stats when a conversation is opened (app.reply_stats.ToolUse): both have the
same four fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, Protocol

from PySide6.QtCore import QCoreApplication, QRect, Qt, Signal
from PySide6.QtGui import (
    QFocusEvent,
    QFontDatabase,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.i18n import format_number
from app.ui.chat_helpers import mute, smaller
from app.ui.icons import themed_icon


class Activity(Protocol):
    """A tool use as a row shows it: ToolActivity while streaming, ToolUse once stored."""

    @property
    def kind(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def detail(self) -> str: ...
    @property
    def seconds(self) -> float: ...


# A line icon per kind; kinds this version does not know (a newer Hearth's) get the note's.
ICONS: Final = {"search": "search", "find": "search", "open": "file", "python": "code"}
NOTE_ICON: Final = "info"
# Rows that say why a call was not answered, or that the tools' bounds were reached: notes, not steps.
NOTE_KINDS: Final = frozenset({"refused", "limit"})
BROWSER_KINDS: Final = frozenset({"search", "open", "find"})
ICON_SIZE: Final = 14
# An opened detail shows this many lines at most; longer ones scroll inside it.
DETAIL_LINES: Final = 14


class _Icon(QWidget):
    """A line icon painted on demand, so it follows the theme without being made again."""

    def __init__(self, name: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.name = name
        self._icon = themed_icon(name, role=QPalette.ColorRole.PlaceholderText)
        self.setFixedSize(ICON_SIZE, ICON_SIZE)

    def set_name(self, name: str) -> None:
        if name != self.name:
            self.name = name
            self._icon = themed_icon(name, role=QPalette.ColorRole.PlaceholderText)
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        self._icon.paint(painter, QRect(0, 0, self.width(), self.height()))
        painter.end()


class DetailView(QPlainTextEdit):
    """A tool's detail: plain text in a fixed-width font, selectable, as tall as it is up to a limit."""

    def __init__(self, text: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        # Plain text whatever it holds: a page of a document may contain <b> or <script>.
        self.setPlainText(text)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        smaller(self)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(self.tr("Details of this step"))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        # The plain text layout measures the document in lines (wrapped lines included).
        lines = int(self.document().documentLayout().documentSize().height()) or 1
        shown = min(max(lines, 1), DETAIL_LINES)
        margins = self.contentsMargins()
        frame = 2 * self.frameWidth() + margins.top() + margins.bottom()
        height = shown * self.fontMetrics().lineSpacing() + frame + 2 * int(self.document().documentMargin())
        if height != self.height():
            self.setFixedHeight(height)


class ActivityRow(QWidget):
    """One tool use: its icon and line; a click, Enter or Space opens it to its detail (if it has one)."""

    toggled = Signal(bool)

    def __init__(self, activity: Activity, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = activity.kind
        self.summary = activity.summary
        self.detail = activity.detail
        self.is_note = activity.kind in NOTE_KINDS or activity.kind not in ICONS
        self._expanded = False
        self.detail_view: DetailView | None = None  # made when first opened

        self.arrow = _Icon("chevron-right", self)
        self.arrow.setVisible(bool(self.detail))
        self.icon = _Icon(NOTE_ICON if self.is_note else ICONS[activity.kind], self)
        self.label = QLabel(activity.summary, self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        smaller(self.label)
        if self.is_note:
            font = self.label.font()
            font.setItalic(True)
            self.label.setFont(font)
        mute(self.label, self.palette())

        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.setSpacing(6)
        header.addWidget(self.arrow, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.label, 1)
        if not self.detail:
            # Lined up with the rows that have an arrow.
            header.setContentsMargins(ICON_SIZE + 6, 0, 0, 0)
            self.arrow.hide()
        self._column = QVBoxLayout(self)
        self._column.setContentsMargins(0, 1, 0, 1)
        self._column.setSpacing(4)
        self._column.addLayout(header)

        self.setAccessibleName(activity.summary)
        if self.detail:
            self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._update_hint()

    @property
    def expanded(self) -> bool:
        return self._expanded

    def set_expanded(self, expanded: bool) -> None:
        """Open the row to its detail, or close it again; a row without a detail stays as it is."""
        if not self.detail or expanded == self._expanded:
            return
        self._expanded = expanded
        if expanded and self.detail_view is None:
            view = self.detail_view = DetailView(self.detail, self)
            view.setContentsMargins(0, 0, 0, 0)
            self._column.addWidget(view)
        if self.detail_view is not None:
            self.detail_view.setVisible(expanded)
        self.arrow.set_name("chevron-down" if expanded else "chevron-right")
        self._update_hint()
        self.toggled.emit(expanded)

    def _update_hint(self) -> None:
        if not self.detail:
            self.setToolTip("")
            return
        hint = self.tr("Hide the details") if self._expanded else self.tr("Show the details")
        self.setToolTip(hint)
        self.setAccessibleDescription(hint)

    def _on_line(self, event: QMouseEvent) -> bool:
        # Only the line opens and closes the row: a click in the opened detail is for selecting text.
        below = event.position().y() > self.label.geometry().bottom() + 2
        return bool(self.detail) and event.button() == Qt.MouseButton.LeftButton and not below

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._on_line(event):
            event.accept()  # so the release comes here too
            return
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._on_line(event):
            self.set_expanded(not self._expanded)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.detail and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.set_expanded(not self._expanded)
            event.accept()
            return
        super().keyPressEvent(event)

    # A keyboard user sees where the focus is: the line is underlined while the row has it.
    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self._underline(True)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self._underline(False)

    def _underline(self, on: bool) -> None:
        font = self.label.font()
        font.setUnderline(on)
        self.label.setFont(font)

    def apply_palette(self, palette: QPalette) -> None:
        mute(self.label, palette)


class ActivityList(QWidget):
    """The rows of one reply's tool uses, in the order they happened."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Steps the model took"))
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self._rows: list[ActivityRow] = []
        self.hide()

    @property
    def rows(self) -> tuple[ActivityRow, ...]:
        return tuple(self._rows)

    def add(self, activity: Activity) -> ActivityRow:
        row = ActivityRow(activity, self)
        self._layout.addWidget(row)
        self._rows.append(row)
        self.show()
        return row

    def set_activities(self, activities: Sequence[Activity]) -> None:
        """Show exactly these rows (a stored reply's), unless they are the ones shown already."""
        shown = [(r.kind, r.summary, r.detail) for r in self._rows]
        if shown == [(a.kind, a.summary, a.detail) for a in activities]:
            return
        self.clear()
        for activity in activities:
            self.add(activity)

    def clear(self) -> None:
        for row in self._rows:
            self._layout.removeWidget(row)
            row.hide()
            row.deleteLater()
        self._rows.clear()
        self.hide()

    def apply_palette(self, palette: QPalette) -> None:
        for row in self._rows:
            row.apply_palette(palette)


# lupdate collects the words only from calls written out with two literal strings.
translate = QCoreApplication.translate


def thinking_title(working: bool, kinds: Sequence[str]) -> str:
    """The Thinking section's title: what the model is doing while it works (after a search,
    "Searching…"), and once it answers, how many steps it took besides reasoning."""
    if working:
        last = kinds[-1] if kinds else ""
        if last in BROWSER_KINDS:
            return translate("ReplyWidget", "Searching…")
        if last == "python":
            return translate("ReplyWidget", "Calculating…")
        return translate("ReplyWidget", "Thinking…")
    if not kinds:
        return translate("ReplyWidget", "Reasoning")
    if len(kinds) == 1:
        return translate("ReplyWidget", "Reasoning · 1 step")
    return translate("ReplyWidget", "Reasoning · {count} steps").format(count=format_number(len(kinds)))
