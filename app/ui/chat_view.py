"""The conversation: the user's messages, and the model's replies as they stream in.

The messages themselves live in user_message.py and reply_widget.py; this is the scrolling column
that holds them. Links never open by themselves: an http(s) link emits `link_activated`, and the
window decides (chat_helpers.confirm_and_open asks first). A link to a cited passage or an attached
document (message_parts' private schemes) emits `document_link_activated`, and the window shows it in
the app. Nothing is ever fetched to display a message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.render import Labels, warm_up
from app.reply_stats import ReplyStats
from app.store import AttachmentRecord, MessageRecord
from app.ui.attachments import SentAttachment
from app.ui.chat_helpers import flash as flash_widget
from app.ui.chat_helpers import mute
from app.ui.colours import renders_dark
from app.ui.flow_layout import FlowLayout
from app.ui.render_labels import render_labels
from app.ui.reply_widget import ReplyWidget
from app.ui.thread_pager import ThreadPager
from app.ui.user_message import UserMessageWidget

# Lines much longer than about 90 characters are hard to read, so the conversation column stops
# growing at a width the user chooses in Settings ("full": it never stops).
COLUMN_WIDTHS = {"narrow": 660, "medium": 820, "wide": 1060, "full": 16_777_215}
# The preset buttons wrap within this width, under the centred welcome line.
PRESETS_WIDTH = 560


class ChatView(QScrollArea):
    """The scrolling conversation. The window feeds it; it never talks to the engine or the store.

    Follows the newest text while a reply streams, unless the user has scrolled up to read.
    """

    regenerate_requested = Signal(int)  # the reply's message id
    edit_submitted = Signal(int, str)  # the user message's id, its new text (a new branch)
    sibling_chosen = Signal(int)  # a version picked in "‹ 2/3 ›": show its branch
    preset_chosen = Signal(str)  # a preset's name, from the buttons of an empty conversation
    first_page_ready = Signal()  # the newest messages of a stored thread are shown
    link_activated = Signal(str)  # an http(s) url; nothing is opened until someone decides to
    document_link_activated = Signal(str)  # a cited passage or a document (message_parts' schemes)
    attachment_open_requested = Signal(object)  # the SentAttachment of a clicked chip

    def __init__(self, parent: QWidget | None = None, *, dark: bool | None = None) -> None:
        super().__init__(parent)
        self._dark = dark
        self._messages: list[UserMessageWidget | ReplyWidget] = []
        self._follow = True
        self._busy = False  # a reply is being written: no regenerating or editing meanwhile
        self._siblings: dict[int, Sequence[int]] = {}  # versions of the stored thread's messages
        # While older pages arrive above the reader: the message at the top of the view, and how far
        # below the view's top it was, so it stays where it was seen.
        self._keep_place: tuple[QWidget, int] | None = None
        self._adjusting = False  # the scroll position is being set here, not by the reader
        self._pager = ThreadPager(self, self)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName(self.tr("Conversation"))
        self.viewport().setBackgroundRole(QPalette.ColorRole.Base)

        page = QWidget(self)
        page.setAutoFillBackground(False)
        self._column = QWidget(page)
        self._column.setMaximumWidth(COLUMN_WIDTHS["medium"])
        self._text_scale = 100
        self._base_point_size = self.font().pointSizeF()
        self._layout = QVBoxLayout(self._column)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(18)
        self.welcome = self._build_welcome()
        self._layout.addWidget(self.welcome, 1)
        self._layout.addStretch(0)  # pushes the messages up once there are any (see _show_placeholder)
        outer = QHBoxLayout(page)
        outer.setContentsMargins(24, 20, 24, 20)
        # The column takes all the width up to its maximum; the stretches centre it beyond that.
        outer.addStretch(1)
        outer.addWidget(self._column, 1000)
        outer.addStretch(1)
        self.setWidget(page)
        self._page = page

        bar = self.verticalScrollBar()
        bar.rangeChanged.connect(self._range_changed)
        bar.valueChanged.connect(self._scrolled)
        # Once the window is up, so the first reply's first render does not pay for the setup.
        QTimer.singleShot(0, warm_up)

    # -- what the window calls ----------------------------------------------------------------------

    def set_thread(
        self,
        records: Sequence[MessageRecord],
        attachments: Mapping[int, Sequence[AttachmentRecord]] | None = None,
        siblings: Mapping[int, Sequence[int]] | None = None,
    ) -> None:
        """Show a stored thread as it was: questions with their attachments, replies, their reasoning,
        stats and problems. `attachments` is keyed by message id; `siblings` gives the versions of
        each message that has others (an edit, a regenerated reply), oldest first.

        The newest messages come first and at once; older ones a page at a time as the reader
        scrolls up (ThreadPager), so a long conversation never freezes the window.
        """
        self.clear()
        self._siblings = dict(siblings or {})
        self._show_placeholder(not records)  # not even for a moment while the first page is built
        self._pager.start(records, attachments or {})

    @property
    def loading_older(self) -> bool:
        """Older messages of the thread are on their way onto the screen."""
        return self._pager.busy

    def insert_record(
        self, record: MessageRecord, attachments: Sequence[AttachmentRecord], position: int
    ) -> None:
        """Build the widget of a stored message at `position` among the messages shown (the pager's)."""
        widget: UserMessageWidget | ReplyWidget
        if record.role == "user":
            sent = [SentAttachment.from_record(a) for a in attachments]
            widget = self._user_widget(record.id, record.content, sent)
        elif record.role == "assistant":
            widget = reply = self._reply_widget(record.id)
            reply.append_reasoning(record.reasoning)
            reply.append_answer(record.content)
            if record.status == "streaming" and self._busy:
                reply.render_now()  # it may be the reply being written now; the feed finishes it
            else:
                # With no reply being written, a "streaming" one was cut short: its last save failed
                # (a full disk), and the next start would mark it stopped. Shown so already, with its
                # Regenerate.
                status = "stopped" if record.status == "streaming" else record.status
                reply.finish(status, ReplyStats.from_json(record.stats), record.error)
            reply.set_regenerate_available(not self._busy)
        else:
            return
        if record.id in self._siblings:
            widget.navigator.set_siblings(self._siblings[record.id], record.id)
        self._place(widget, position)

    def render_hints(self) -> tuple[bool, Labels]:
        return renders_dark(self.palette(), self._dark), render_labels()

    def begin_prepend(self) -> None:
        # Older messages arrive above: keep the reader's place, by the message they see at the top. A
        # page that follows another keeps the same one: the layout may not have settled in between.
        if self._keep_place is not None:
            return
        value = self.verticalScrollBar().value()
        top = next((m for m in self._messages if self._top_of(m) + m.height() > value), None)
        self._keep_place = None if top is None else (top, self._top_of(top) - value)

    def _top_of(self, widget: QWidget) -> int:
        """Where `widget` starts in the scrolled page: the scroll bar's units."""
        return widget.mapTo(self._page, QPoint(0, 0)).y()

    def first_page_shown(self) -> None:
        self.scroll_to_bottom()
        self.first_page_ready.emit()

    def set_siblings(self, message_id: int, versions: Sequence[int]) -> None:
        """Show "‹ n/N ›" under the message when it has other versions."""
        self._siblings[message_id] = versions
        widget = self.message(message_id)
        if widget is not None:
            widget.navigator.set_siblings(versions, message_id)

    def set_busy(self, busy: bool) -> None:
        """While a reply is written, no other can be regenerated and no question edited."""
        self._busy = busy
        self._update_actions()

    def add_user_message(
        self, message_id: int, text: str, attachments: Sequence[SentAttachment] = ()
    ) -> UserMessageWidget:
        widget = self._user_widget(message_id, text, attachments)
        self._place(widget)
        self.scroll_to_bottom()  # the user just sent it: show it, even if they had scrolled up
        return widget

    def _user_widget(
        self, message_id: int, text: str, attachments: Sequence[SentAttachment]
    ) -> UserMessageWidget:
        widget = UserMessageWidget(message_id, text, self._column, attachments)
        widget.attachments.open_requested.connect(self.attachment_open_requested)
        widget.edit_submitted.connect(self.edit_submitted)
        widget.navigator.sibling_chosen.connect(self.sibling_chosen)
        widget.edit_button.setVisible(not self._busy)
        return widget

    def begin_reply(self, message_id: int) -> ReplyWidget:
        """A new, empty reply at the end; feed it with append_answer / append_reasoning, then finish()."""
        reply = self._reply_widget(message_id)
        self._place(reply)
        self._update_actions()
        self.scroll_to_bottom()
        return reply

    def reply(self, message_id: int) -> ReplyWidget | None:
        return next(
            (m for m in self._messages if isinstance(m, ReplyWidget) and m.message_id == message_id), None
        )

    @property
    def messages(self) -> tuple[UserMessageWidget | ReplyWidget, ...]:
        return tuple(self._messages)

    def clear(self) -> None:
        for widget in self._messages:
            self._layout.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        self._messages.clear()
        self._pager.reset()
        self._siblings = {}
        self._keep_place = None
        self._show_placeholder(True)
        self._follow = True

    def set_presets(self, names: Sequence[tuple[str, str]]) -> None:
        """One button per preset under the empty conversation: a click starts a chat in that role.
        `names` are (the preset's name, the name shown: a built-in's in the user's language)."""
        while (item := self._preset_buttons.takeAt(0)) is not None:
            widget = item.widget()
            if widget is not None:
                widget.deleteLater()
        for name, shown in names:
            button = QPushButton(shown, self.presets)
            button.setObjectName("presetButton")
            start_as = self.tr("Start a conversation as “{name}”").format(name=shown)
            button.setToolTip(start_as)
            button.setAccessibleName(start_as)
            button.clicked.connect(lambda _checked=False, chosen=name: self.preset_chosen.emit(chosen))
            self._preset_buttons.addWidget(button)

    def preset_buttons(self) -> list[QPushButton]:
        items = (self._preset_buttons.itemAt(i) for i in range(self._preset_buttons.count()))
        return [w for item in items if item is not None and isinstance(w := item.widget(), QPushButton)]

    def set_dark(self, dark: bool | None) -> None:
        """Force light or dark code colours (None: follow the palette)."""
        self._dark = dark
        for widget in self._messages:
            if isinstance(widget, ReplyWidget):
                widget.set_dark(dark)

    def set_chat_width(self, width: str) -> None:
        self._column.setMaximumWidth(COLUMN_WIDTHS.get(width, COLUMN_WIDTHS["medium"]))

    def set_text_scale(self, percent: int) -> None:
        """The messages' text size, in percent of the window's. Widgets that set a size of their own
        (smaller stats lines, the welcome line) keep their proportion to it."""
        if percent == self._text_scale:
            return
        ratio = percent / self._text_scale
        self._text_scale = percent
        for widget in self._column.findChildren(QWidget):
            if widget.testAttribute(Qt.WidgetAttribute.WA_SetFont):
                own = widget.font()
                own.setPointSizeF(own.pointSizeF() * ratio)
                widget.setFont(own)
        font = self._column.font()
        font.setPointSizeF(self._base_point_size * percent / 100)
        self._column.setFont(font)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            mute(self.placeholder, self.palette())
            mute(self.presets_caption, self.palette())

    @property
    def follows_bottom(self) -> bool:
        """True while new text scrolls into view; False once the user has scrolled up to read."""
        return self._follow

    def message(self, message_id: int) -> UserMessageWidget | ReplyWidget | None:
        return next((m for m in self._messages if m.message_id == message_id), None)

    def focus_message(self, message_id: int, *, flash: bool = True) -> None:
        """Scroll to a message (a search hit, a version just picked); `flash` lights it up for a moment."""
        widget = self.message(message_id)
        if widget is None:
            if self._pager.holds(message_id):  # older than the pages shown: bring them first
                self._pager.more(then=lambda: self.focus_message(message_id, flash=flash))
            return
        self._follow = False
        self._keep_place = None  # stay on it, even as late layout changes the range
        # After the pending layout pass, so the widget's place in the column is its final one.
        QTimer.singleShot(0, lambda: self.ensureWidgetVisible(widget, 0, self.viewport().height() // 3))
        if flash:
            flash_widget(widget, self.palette())

    def scroll_to_bottom(self) -> None:
        self._follow = True
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    # -- internals ------------------------------------------------------------------------------------

    def _reply_widget(self, message_id: int) -> ReplyWidget:
        reply = ReplyWidget(message_id, self._column, dark=self._dark)
        reply.regenerate_requested.connect(self.regenerate_requested)
        reply.link_activated.connect(self.link_activated)
        reply.document_link_activated.connect(self.document_link_activated)
        reply.navigator.sibling_chosen.connect(self.sibling_chosen)
        return reply

    def _place(self, widget: UserMessageWidget | ReplyWidget, position: int | None = None) -> None:
        """Put a message at `position` among those shown (None: after the last)."""
        self._show_placeholder(False)
        position = len(self._messages) if position is None else position
        # Messages sit between the welcome and the closing stretch.
        first = self._layout.indexOf(self.welcome) + 1
        self._layout.insertWidget(first + position, widget)
        widget.show()  # now, not when the layout gets round to it, so it can be measured at once
        self._messages.insert(position, widget)

    def _show_placeholder(self, show: bool) -> None:
        # The welcome takes the free height while it is shown (so it sits in the middle); after that
        # the closing stretch does, so messages start at the top.
        self.welcome.setVisible(show)
        self._layout.setStretch(self._layout.count() - 1, 0 if show else 1)

    def _build_welcome(self) -> QWidget:
        """What an empty conversation shows: what Hearth can do, and the presets to start with."""
        welcome = QWidget(self._column)
        self.placeholder = QLabel(
            self.tr("Ask anything, or drop a document here. Everything stays on this computer."), welcome
        )
        self.placeholder.setAccessibleName(self.tr("Empty conversation"))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        font = self.placeholder.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.placeholder.setFont(font)
        mute(self.placeholder, self.palette())
        self.presets_caption = QLabel(self.tr("Or start as:"), welcome)
        self.presets_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        mute(self.presets_caption, self.palette())
        self.presets = QWidget(welcome)
        self.presets.setAccessibleName(self.tr("Start with a preset"))
        self.presets.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.presets.setMaximumWidth(PRESETS_WIDTH)
        self._preset_buttons = FlowLayout(self.presets)
        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(self.presets, 100)
        centred.addStretch(1)
        column = QVBoxLayout(welcome)
        column.setContentsMargins(0, 0, 0, 0)
        column.addStretch(1)
        column.addWidget(self.placeholder)
        column.addSpacing(16)
        column.addWidget(self.presets_caption)
        column.addLayout(centred)
        column.addStretch(1)
        return welcome

    def _update_actions(self) -> None:
        # Any reply can be written again and any question edited, but not while a reply is written.
        for widget in self._messages:
            if isinstance(widget, ReplyWidget):
                widget.set_regenerate_available(not self._busy)
            elif not widget.editing:
                widget.edit_button.setVisible(not self._busy)

    def _range_changed(self, _minimum: int, maximum: int) -> None:
        target = maximum if self._follow else None
        if target is None and self._keep_place is not None:
            widget, offset = self._keep_place
            target = self._top_of(widget) - offset
        if target is not None:
            self._adjusting = True
            self.verticalScrollBar().setValue(target)
            self._adjusting = False

    def _scrolled(self, value: int) -> None:
        bar = self.verticalScrollBar()
        if not self._adjusting:
            self._keep_place = None  # the reader moved: their place is theirs again
        # Within a few pixels of the end counts as "at the bottom": text keeps following.
        self._follow = value >= bar.maximum() - 8
        if value < self.viewport().height() // 2 and self._pager.has_older:
            self._pager.more()  # near the top: the next older page
