"""The conversation: the user's messages, and the model's replies as they stream in.

The messages themselves live in user_message.py and reply_widget.py; this is the scrolling column
that holds them. Links never open by themselves: an http(s) link emits `link_activated`, and the
window decides (chat_helpers.confirm_and_open asks first). A link to a cited passage or an attached
document (message_parts' private schemes) emits `document_link_activated`, and the window shows it in
the app. Nothing is ever fetched to display a message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from app.render import warm_up
from app.reply_stats import ReplyStats
from app.store import AttachmentRecord, MessageRecord
from app.ui.attachments import SentAttachment
from app.ui.chat_helpers import flash, mute
from app.ui.reply_widget import ReplyWidget
from app.ui.user_message import UserMessageWidget

# Lines much longer than this are hard to read; the conversation column stops growing here.
MAX_COLUMN_WIDTH = 820


class ChatView(QScrollArea):
    """The scrolling conversation. The window feeds it; it never talks to the engine or the store.

    Follows the newest text while a reply streams, unless the user has scrolled up to read.
    """

    regenerate_requested = Signal(int)  # the reply's message id
    link_activated = Signal(str)  # an http(s) url; nothing is opened until someone decides to
    document_link_activated = Signal(str)  # a cited passage or a document (message_parts' schemes)
    attachment_open_requested = Signal(object)  # the SentAttachment of a clicked chip

    def __init__(self, parent: QWidget | None = None, *, dark: bool | None = None) -> None:
        super().__init__(parent)
        self._dark = dark
        self._messages: list[UserMessageWidget | ReplyWidget] = []
        self._follow = True
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName(self.tr("Conversation"))
        self.viewport().setBackgroundRole(QPalette.ColorRole.Base)

        page = QWidget(self)
        page.setAutoFillBackground(False)
        self._column = QWidget(page)
        self._column.setMaximumWidth(MAX_COLUMN_WIDTH)
        self._layout = QVBoxLayout(self._column)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(18)
        self.placeholder = QLabel(
            self.tr("Ask anything, or drop a document here. Everything stays on this computer."), self._column
        )
        self.placeholder.setAccessibleName(self.tr("Empty conversation"))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        font = self.placeholder.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.placeholder.setFont(font)
        mute(self.placeholder, self.palette())
        self._layout.addWidget(self.placeholder, 1)
        self._layout.addStretch(0)  # pushes the messages up once there are any (see _show_placeholder)
        outer = QHBoxLayout(page)
        outer.setContentsMargins(24, 20, 24, 20)
        # The column takes all the width up to its maximum; the stretches centre it beyond that.
        outer.addStretch(1)
        outer.addWidget(self._column, 1000)
        outer.addStretch(1)
        self.setWidget(page)

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
    ) -> None:
        """Show a stored thread as it was: questions with their attachments, replies, their reasoning,
        stats and problems. `attachments` is keyed by message id."""
        self.clear()
        for record in records:
            if record.role == "user":
                sent = [SentAttachment.from_record(a) for a in (attachments or {}).get(record.id, ())]
                self.add_user_message(record.id, record.content, sent)
            elif record.role == "assistant":
                reply = self._add_reply(record.id)
                reply.append_reasoning(record.reasoning)
                reply.append_answer(record.content)
                if record.status == "streaming":
                    reply.render_now()
                else:
                    reply.finish(record.status, ReplyStats.from_json(record.stats), record.error)
        self._update_regenerate()
        self.scroll_to_bottom()

    def add_user_message(
        self, message_id: int, text: str, attachments: Sequence[SentAttachment] = ()
    ) -> UserMessageWidget:
        widget = UserMessageWidget(message_id, text, self._column, attachments)
        widget.attachments.open_requested.connect(self.attachment_open_requested)
        self._append(widget)
        self.scroll_to_bottom()  # the user just sent it: show it, even if they had scrolled up
        return widget

    def begin_reply(self, message_id: int) -> ReplyWidget:
        """A new, empty reply at the end; feed it with append_answer / append_reasoning, then finish()."""
        reply = self._add_reply(message_id)
        self._update_regenerate()
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
        self._show_placeholder(True)
        self._follow = True

    def set_dark(self, dark: bool | None) -> None:
        """Force light or dark code colours (None: follow the palette)."""
        self._dark = dark
        for widget in self._messages:
            if isinstance(widget, ReplyWidget):
                widget.set_dark(dark)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            mute(self.placeholder, self.palette())

    @property
    def follows_bottom(self) -> bool:
        """True while new text scrolls into view; False once the user has scrolled up to read."""
        return self._follow

    def message(self, message_id: int) -> UserMessageWidget | ReplyWidget | None:
        return next((m for m in self._messages if m.message_id == message_id), None)

    def focus_message(self, message_id: int) -> None:
        """Scroll to a message (a search hit) and light it up for a moment."""
        widget = self.message(message_id)
        if widget is None:
            return
        self._follow = False  # stay on it, even as late layout changes the range
        # After the pending layout pass, so the widget's place in the column is its final one.
        QTimer.singleShot(0, lambda: self.ensureWidgetVisible(widget, 0, self.viewport().height() // 3))
        flash(widget, self.palette())

    def scroll_to_bottom(self) -> None:
        self._follow = True
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    # -- internals ------------------------------------------------------------------------------------

    def _add_reply(self, message_id: int) -> ReplyWidget:
        reply = ReplyWidget(message_id, self._column, dark=self._dark)
        reply.regenerate_requested.connect(self.regenerate_requested)
        reply.link_activated.connect(self.link_activated)
        reply.document_link_activated.connect(self.document_link_activated)
        self._append(reply)
        return reply

    def _append(self, widget: UserMessageWidget | ReplyWidget) -> None:
        self._show_placeholder(False)
        self._layout.insertWidget(self._layout.count() - 1, widget)  # before the closing stretch
        widget.show()  # now, not when the layout gets round to it, so it can be measured at once
        self._messages.append(widget)

    def _show_placeholder(self, show: bool) -> None:
        # The placeholder takes the free height while it is shown (so it sits in the middle); after
        # that the closing stretch does, so messages start at the top.
        self.placeholder.setVisible(show)
        self._layout.setStretch(self._layout.count() - 1, 0 if show else 1)

    def _update_regenerate(self) -> None:
        last = self._messages[-1] if self._messages else None
        for widget in self._messages:
            if isinstance(widget, ReplyWidget):
                widget.set_regenerate_available(widget is last)

    def _range_changed(self, _minimum: int, maximum: int) -> None:
        if self._follow:
            self.verticalScrollBar().setValue(maximum)

    def _scrolled(self, value: int) -> None:
        # Within a few pixels of the end counts as "at the bottom": text keeps following.
        self._follow = value >= self.verticalScrollBar().maximum() - 8
