"""ReplyWidget: one of the model's replies, as it streams in.

A reply's markdown is re-rendered on a short timer, never per token, and only that reply's text is
touched: earlier messages cost nothing while a new one streams. Even inside the streaming reply, only
the blocks that changed since the last render are laid out again (see MessageText.show_rendered), so
the cost of a render does not grow with the length of the reply.

The Thinking section holds the reasoning text and, under it, a row for each use of gpt-oss's tools
(app.ui.tool_activity). The answer is shown through a CitationStream: the model's raw citations of the
pages it read (`【3†L4-L5】`) never show; the stored answer, with them mapped to `[lease.pdf p. 4]`,
takes the streamed one's place when the reply is finished (app.ui.reply_feed).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from app.render import render_markdown
from app.reply_stats import DocumentUse, ReplyStats
from app.tools import CitationStream
from app.turn import finish_note
from app.ui.branch_navigator import BranchNavigator
from app.ui.chat_helpers import CopyButton, format_stats, mix, mute, quiet_icon, smaller, stats_details
from app.ui.colours import problem_text, renders_dark
from app.ui.message_parts import Citations, DocumentsLine, citations_for, linkify_citations
from app.ui.message_text import MessageText
from app.ui.render_labels import render_labels
from app.ui.tool_activity import Activity, ActivityList, thinking_title

# Re-render a streaming reply at most this often: smooth to the eye, and cheap at 20-100 tokens/s.
RENDER_INTERVAL_MS = 80


class ReplyWidget(QWidget):
    """One assistant reply: an optional reasoning section, the answer, and a quiet line of stats.

    Feed it with append_reasoning / append_answer while it streams; finish() ends it. Text is
    rendered on a single-shot timer (RENDER_INTERVAL_MS), so appending is cheap however often it
    happens. `render_count` counts renders, for tests and benchmarks.
    """

    regenerate_requested = Signal(int)
    link_activated = Signal(str)
    document_link_activated = Signal(str)

    def __init__(self, message_id: int, parent: QWidget | None = None, *, dark: bool | None = None) -> None:
        super().__init__(parent)
        self.message_id = message_id
        self.render_count = 0
        self._citations = Citations({}, {})
        self._dark = dark
        self._answer: list[str] = []
        self._reasoning: list[str] = []
        self._answer_dirty = False
        self._reasoning_dirty = False
        self._status = "streaming"
        self._auto_collapsed = False
        self._regenerate_available = False
        self._expanded = False
        self._citation_stream = _unmapped_citations()

        self._build_widgets()
        self._build_layout()

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RENDER_INTERVAL_MS)
        self._timer.timeout.connect(self.render_now)

        self.reasoning_toggle.hide()
        self.thinking_box.hide()
        self.reasoning_view.hide()
        self.answer_view.hide()
        self.dropped_notice.hide()
        self.error_label.hide()
        self.regenerate_button.hide()
        self.copy_button.hide()  # until there is an answer to copy
        self._apply_palette()
        self._update_toggle()
        self.stats_label.setText(self.tr("Writing…"))

    def _build_widgets(self) -> None:
        self.reasoning_toggle = QToolButton(self)
        # Not checkable: Fusion draws a checked tool button sunken, which looks like a stuck button.
        self.reasoning_toggle.setAutoRaise(True)
        self.reasoning_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.reasoning_toggle.setAccessibleName(self.tr("Show or hide the model's reasoning"))
        self.reasoning_toggle.clicked.connect(lambda: self.set_reasoning_expanded(not self._expanded))

        self.thinking_box = QWidget(self)
        self.reasoning_view = MessageText(self.thinking_box)
        self.reasoning_view.setAccessibleName(self.tr("Reasoning"))
        self.activities = ActivityList(self.thinking_box)
        self.answer_view = MessageText(self)
        self.answer_view.setAccessibleName(self.tr("Reply"))

        self.dropped_notice = QLabel(self)
        self.dropped_notice.setAccessibleName(self.tr("Note about earlier messages"))
        self.dropped_notice.setWordWrap(True)
        smaller(self.dropped_notice)

        self.error_label = QLabel(self)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setAccessibleName(self.tr("Problem with this reply"))

        self.stats_label = QLabel(self)
        self.stats_label.setTextFormat(Qt.TextFormat.PlainText)
        self.stats_label.setAccessibleName(self.tr("Reply details"))
        smaller(self.stats_label)

        self.copy_button = CopyButton(self.tr("Copy reply"), self)
        self.copy_button.clicked.connect(lambda: self.copy_button.copy(self.answer_text))
        self.regenerate_button = QToolButton(self)
        self.regenerate_button.setText(self.tr("Regenerate"))
        quiet_icon(self.regenerate_button, "regenerate")
        self.regenerate_button.setAccessibleName(self.tr("Regenerate reply"))
        self.regenerate_button.setToolTip(self.tr("Write this reply again"))
        self.regenerate_button.clicked.connect(lambda: self.regenerate_requested.emit(self.message_id))
        smaller(self.regenerate_button)

        self.navigator = BranchNavigator(self)
        self.navigator.setAccessibleName(self.tr("Other versions of this reply"))

        self.documents_line = DocumentsLine(self)
        self.documents_line.link_activated.connect(self.document_link_activated)
        smaller(self.documents_line)

        for view in (self.reasoning_view, self.answer_view):
            view.link_activated.connect(self.link_activated)
        self.answer_view.document_link_activated.connect(self.document_link_activated)

    def _build_layout(self) -> None:
        thinking = QVBoxLayout(self.thinking_box)
        thinking.setContentsMargins(14, 0, 0, 4)  # indented under the toggle
        thinking.setSpacing(6)
        thinking.addWidget(self.reasoning_view)
        thinking.addWidget(self.activities)
        footer = QHBoxLayout()
        footer.setContentsMargins(0, 0, 0, 0)
        footer.addWidget(self.stats_label, 1)
        footer.addWidget(self.navigator)
        footer.addWidget(self.copy_button)
        footer.addWidget(self.regenerate_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.reasoning_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.thinking_box)
        layout.addWidget(self.answer_view)
        layout.addWidget(self.documents_line)
        layout.addWidget(self.dropped_notice)
        layout.addWidget(self.error_label)
        layout.addLayout(footer)

    # -- streaming --------------------------------------------------------------------------------

    @property
    def answer_text(self) -> str:
        if len(self._answer) > 1:
            self._answer[:] = ["".join(self._answer)]
        return self._answer[0] if self._answer else ""

    @property
    def reasoning_text(self) -> str:
        if len(self._reasoning) > 1:
            self._reasoning[:] = ["".join(self._reasoning)]
        return self._reasoning[0] if self._reasoning else ""

    @property
    def status(self) -> str:
        return self._status

    @property
    def reasoning_expanded(self) -> bool:
        return self._expanded

    def append_reasoning(self, text: str) -> None:
        if not text:
            return
        first = not self._reasoning
        self._reasoning.append(text)
        self._reasoning_dirty = True
        if first:
            self._thinking_began()
        self._schedule()

    def add_activity(self, activity: Activity) -> None:
        """A tool use, as a row in the Thinking section (which shows, even before any reasoning text)."""
        first = not self.activities.rows
        self.activities.add(activity)
        if first and not self._reasoning:
            self._thinking_began()
        self._update_toggle()

    def _thinking_began(self) -> None:
        self.reasoning_toggle.show()
        # Shown while the model thinks, unless the answer has already begun.
        self._set_expanded(not self._answer)

    def append_answer(self, text: str) -> None:
        if not text:
            return
        if not self._auto_collapsed:
            # The reasoning steps aside once, when the answer starts; the user can open it again.
            self._auto_collapsed = True
            self._set_expanded(False)
        # A citation is held back until it is complete, then shown as its label (or dropped).
        shown = self._citation_stream.feed(text)
        if shown:
            self._answer.append(shown)
            self._answer_dirty = True
            self._schedule()

    def replace_text(self, answer: str, reasoning: str) -> None:
        """What was saved in place of what streamed in (a loop trimmed to one copy, citations mapped)."""
        stream = _unmapped_citations()
        answer = stream.feed(answer) + stream.finish()
        self._citation_stream = _unmapped_citations()
        self._answer, self._reasoning = [answer] if answer else [], [reasoning] if reasoning else []
        self._rerender()
        self._set_expanded(self._expanded)

    def set_dropped_messages(self, count: int) -> None:
        if count > 0:
            text = (
                self.tr("Dropped %n earlier message to fit", None, count)
                if count == 1
                else self.tr("Dropped %n earlier messages to fit", None, count)
            )
            self.dropped_notice.setText(text)
            self.dropped_notice.setToolTip(
                self.tr("The conversation was too long for the model, so it did not see the oldest messages.")
            )
        self.dropped_notice.setVisible(count > 0)

    def finish(self, status: str, stats: ReplyStats, error: str | None = None) -> None:
        """The reply is complete: render it fully and show why it ended."""
        self._status = status
        self._timer.stop()
        rest = self._citation_stream.finish()
        if rest:
            self._answer.append(rest)
            self._answer_dirty = True
        self.render_now()
        self._auto_collapsed = True
        if stats.tools:
            # What was saved: the same rows when the conversation is opened again.
            self.activities.set_activities(stats.tools)
        has_thinking = bool(self._reasoning or self.activities.rows)
        self.reasoning_toggle.setVisible(has_thinking)
        if not self._answer and has_thinking:
            self._set_expanded(True)  # all there is to read
            self.render_now()
        self._update_toggle()
        self.stats_label.setText(format_stats(status, stats))
        self.stats_label.setToolTip(stats_details(stats))
        self._show_documents(stats)
        self.set_dropped_messages(stats.dropped_messages)
        if status == "error":
            self.error_label.setText(error or self.tr("Something went wrong while writing this reply."))
            self.error_label.show()
        elif (note := finish_note(stats.finish_reason)) is not None:
            self.error_label.setText(note)  # a loop, or tools used past their bounds
            self.error_label.show()
        else:
            self.error_label.hide()
        self._update_regenerate()

    def set_regenerate_available(self, available: bool) -> None:
        """Offered on every finished reply while no other reply is being written."""
        self._regenerate_available = available
        self._update_regenerate()

    def set_reasoning_expanded(self, expanded: bool) -> None:
        """Open or close the reasoning section (what a click on its toggle does)."""
        self._set_expanded(expanded)
        if expanded:
            self.render_now()

    def set_documents(self, uses: Sequence[DocumentUse]) -> None:
        """How the attachments are used, known as the reply starts: shown before its first word."""
        self._show_documents(ReplyStats(documents=tuple(uses)))

    def _show_documents(self, stats: ReplyStats) -> None:
        self.documents_line.set_stats(stats)
        citations = citations_for(stats)
        if citations != self._citations:
            self._citations = citations  # the answer's citations become links: render it again
            self._answer_dirty = bool(self._answer)
            self.render_now()

    def render_now(self) -> None:
        """Render what changed since the last render (the timer calls this while streaming)."""
        # Collapsed reasoning is rendered when it is opened, not while it is hidden.
        reasoning_due = self._reasoning_dirty and self._expanded
        if not (self._answer_dirty or reasoning_due):
            return
        self.render_count += 1
        dark, labels = self.is_dark(), render_labels()
        if self._answer_dirty:
            self._answer_dirty = False
            rendered = render_markdown(self.answer_text, dark=dark, labels=labels)
            self.answer_view.show_rendered(linkify_citations(rendered, self._citations))
            self.answer_view.setVisible(bool(self._answer))
            self.copy_button.setVisible(bool(self._answer))
        if reasoning_due:
            self._reasoning_dirty = False
            self.reasoning_view.show_rendered(render_markdown(self.reasoning_text, dark=dark, labels=labels))

    def is_dark(self) -> bool:
        return renders_dark(self.palette(), self._dark)

    def set_dark(self, dark: bool | None) -> None:
        """Force the code colours light or dark; None follows the palette."""
        self._dark = dark
        self._rerender()

    # -- internals --------------------------------------------------------------------------------

    def _schedule(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def _rerender(self) -> None:
        self._answer_dirty = bool(self._answer)
        self._reasoning_dirty = bool(self._reasoning)
        self.render_now()

    def _set_expanded(self, expanded: bool) -> None:
        self._expanded = expanded
        self.thinking_box.setVisible(expanded)
        self.reasoning_view.setVisible(expanded and bool(self._reasoning))
        self._update_toggle()

    def _update_toggle(self) -> None:
        expanded = self.reasoning_expanded
        self.reasoning_toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        # Working until the answer begins (its first words may be a citation, held back a moment).
        working = self._status == "streaming" and not (self._answer or self._auto_collapsed)
        self.reasoning_toggle.setText(thinking_title(working, [row.kind for row in self.activities.rows]))
        hint = self.tr("Hide reasoning") if expanded else self.tr("Show reasoning")
        self.reasoning_toggle.setToolTip(hint)
        self.reasoning_toggle.setAccessibleDescription(hint)

    def _update_regenerate(self) -> None:
        self.regenerate_button.setVisible(self._regenerate_available and self._status != "streaming")

    def _apply_palette(self) -> None:
        palette = self.palette()
        for widget in (
            self.reasoning_toggle,
            self.dropped_notice,
            self.stats_label,
            self.copy_button,
            self.regenerate_button,
        ):
            mute(widget, palette)
        self.activities.apply_palette(palette)
        # Reasoning reads as secondary: its text is blended part way towards the background.
        muted = mix(palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base), 0.35)
        reasoning = self.reasoning_view.palette()
        reasoning.setColor(QPalette.ColorRole.Text, muted)
        self.reasoning_view.setPalette(reasoning)
        error = self.error_label.palette()
        red = problem_text(palette)
        for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text):
            error.setColor(role, red)
        self.error_label.setPalette(error)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            # Light <-> dark: code colours are part of the rendered HTML, so render again.
            self._apply_palette()
            if self._dark is None:
                self._rerender()


def _unmapped_citations() -> CitationStream:
    """Citations of pages this widget cannot look up are dropped as they stream in: a live reply's are
    mapped on the worker's thread before they get here, and a stored one's were mapped when saved."""
    return CitationStream(lambda _cursor: None)
