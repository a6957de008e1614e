"""The conversation: the user's messages, and the model's replies as they stream in.

A reply's markdown is re-rendered on a short timer, never per token, and only that reply's text is
touched: earlier messages cost nothing while a new one streams. Even inside the streaming reply, only
the blocks that changed since the last render are laid out again (see MessageText.show_rendered), so
the cost of a render does not grow with the length of the reply.

Links never open by themselves: an http(s) link emits `link_activated`, and the window decides
(`confirm_and_open` asks first). A link to a cited passage or an attached document (message_parts'
private schemes) emits `document_link_activated`, and the window shows it in the app. Nothing is
ever fetched to display a message.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QSizeF, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QGuiApplication,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QScrollArea,
    QSizePolicy,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.render import COPY_SCHEME, Rendered, render_markdown, safe_link, warm_up
from app.reply_stats import DocumentUse, ReplyStats
from app.store import AttachmentRecord, MessageRecord
from app.ui.attachments import AttachmentStrip, SentAttachment
from app.ui.colours import palette_is_dark, problem_text
from app.ui.message_parts import INTERNAL_SCHEMES, Citations, DocumentsLine, citations_for, linkify_citations
from app.ui.render_labels import render_labels

# Re-render a streaming reply at most this often: smooth to the eye, and cheap at 20-100 tokens/s.
RENDER_INTERVAL_MS = 80
# Lines much longer than this are hard to read; the conversation column stops growing here.
MAX_COLUMN_WIDTH = 820
# An invisible character that lets a block be appended with its own formatting (see _append_part).
_SENTINEL = "\u2063"


def _tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    return QCoreApplication.translate("ChatView", text, disambiguation, n)


def confirm_and_open(parent: QWidget | None, url: str) -> bool:
    """Ask before opening `url` in the browser; only http(s) links are ever opened. Returns whether it was."""
    target = safe_link(url)
    if target is None:
        return False
    host = QUrl(target).host()
    answer = QMessageBox.question(
        parent,
        _tr("Open link?"),
        _tr("This link goes to {host}. Open it in your web browser?\n\n{url}").format(host=host, url=target),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return False
    return QDesktopServices.openUrl(QUrl(target))


def format_stats(status: str, stats: ReplyStats) -> str:
    """The quiet line under a reply: "62.3 tok/s · first token 0.35 s · 812 tokens · done"."""
    locale = QLocale()
    parts: list[str] = []
    rate, ttft, tokens = stats.decode_tok_s, stats.ttft_s, stats.completion_tokens
    if rate is not None and rate > 0:
        parts.append(_tr("{rate} tok/s").format(rate=locale.toString(rate, "f", 1)))
    if ttft is not None and ttft > 0:
        parts.append(_tr("first token {seconds} s").format(seconds=locale.toString(ttft, "f", 2)))
    if tokens is not None and tokens > 0:
        # Two source strings, so English reads right without a translation file and translators still
        # get Qt's plural forms (%n) for each.
        parts.append(_tr("%n token", None, tokens) if tokens == 1 else _tr("%n tokens", None, tokens))
    reason = stats.finish_reason
    if status == "error":
        parts.append(_tr("error"))
    elif status == "stopped" or reason == "cancelled":
        parts.append(_tr("stopped"))
    elif reason == "length":
        parts.append(_tr("hit the length limit"))
    elif status == "done":
        parts.append(_tr("done"))
    return " · ".join(parts)


def _mix(a: QColor, b: QColor, amount: float) -> QColor:
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * amount,
        a.greenF() + (b.greenF() - a.greenF()) * amount,
        a.blueF() + (b.blueF() - a.blueF()) * amount,
    )


def _smaller(widget: QWidget) -> None:
    font = widget.font()
    font.setPointSizeF(max(7.0, font.pointSizeF() * 0.9))
    widget.setFont(font)


def _mute(widget: QWidget, palette: QPalette) -> None:
    """Secondary text in `palette`'s placeholder colour.

    `palette` is the owner's: its changeEvent sees a new palette before its children do, so the
    owner calls this again then (light <-> dark).
    """
    muted = palette.color(QPalette.ColorRole.PlaceholderText)
    own = widget.palette()
    # Labels on the chat's Base background draw with Text, elsewhere with WindowText: set both.
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        own.setColor(role, muted)
    widget.setPalette(own)


def _copy_to_clipboard(text: str) -> None:
    clipboard = QGuiApplication.clipboard()
    clipboard.setText(text)


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
                _copy_to_clipboard(self._code_blocks[int(index)])
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


class _CopyButton(QToolButton):
    """A quiet "Copy" that says "Copied" for a moment, so the click is visibly done."""

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setText(self.tr("Copy"))
        self.setAutoRaise(True)
        self.setAccessibleName(accessible_name)
        self.setToolTip(accessible_name)
        _smaller(self)
        self._reset = QTimer(self)
        self._reset.setSingleShot(True)
        self._reset.setInterval(1500)
        self._reset.timeout.connect(lambda: self.setText(self.tr("Copy")))

    def copy(self, text: str) -> None:
        _copy_to_clipboard(text)
        self.setText(self.tr("Copied"))
        self._reset.start()


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

        self._build_widgets()
        self._build_layout()

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RENDER_INTERVAL_MS)
        self._timer.timeout.connect(self.render_now)

        self.reasoning_toggle.hide()
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

        self.reasoning_view = MessageText(self)
        self.reasoning_view.setAccessibleName(self.tr("Reasoning"))
        self.answer_view = MessageText(self)
        self.answer_view.setAccessibleName(self.tr("Reply"))

        self.dropped_notice = QLabel(self)
        self.dropped_notice.setAccessibleName(self.tr("Note about earlier messages"))
        self.dropped_notice.setWordWrap(True)
        _smaller(self.dropped_notice)

        self.error_label = QLabel(self)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setAccessibleName(self.tr("Problem with this reply"))

        self.stats_label = QLabel(self)
        self.stats_label.setTextFormat(Qt.TextFormat.PlainText)
        self.stats_label.setAccessibleName(self.tr("Reply details"))
        _smaller(self.stats_label)

        self.copy_button = _CopyButton(self.tr("Copy reply"), self)
        self.copy_button.clicked.connect(lambda: self.copy_button.copy(self.answer_text))
        self.regenerate_button = QToolButton(self)
        self.regenerate_button.setText(self.tr("Regenerate"))
        self.regenerate_button.setAutoRaise(True)
        self.regenerate_button.setAccessibleName(self.tr("Regenerate reply"))
        self.regenerate_button.setToolTip(self.tr("Write this reply again"))
        self.regenerate_button.clicked.connect(lambda: self.regenerate_requested.emit(self.message_id))
        _smaller(self.regenerate_button)

        self.documents_line = DocumentsLine(self)
        self.documents_line.link_activated.connect(self.document_link_activated)
        _smaller(self.documents_line)

        for view in (self.reasoning_view, self.answer_view):
            view.link_activated.connect(self.link_activated)
        self.answer_view.document_link_activated.connect(self.document_link_activated)

    def _build_layout(self) -> None:
        reasoning_box = QHBoxLayout()
        reasoning_box.setContentsMargins(14, 0, 0, 0)  # indented under the toggle
        reasoning_box.addWidget(self.reasoning_view)
        footer = QHBoxLayout()
        footer.setContentsMargins(0, 0, 0, 0)
        footer.addWidget(self.stats_label, 1)
        footer.addWidget(self.copy_button)
        footer.addWidget(self.regenerate_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.reasoning_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(reasoning_box)
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
            self.reasoning_toggle.show()
            # Shown while the model thinks, unless the answer has already begun.
            self._set_expanded(not self._answer)
        self._schedule()

    def append_answer(self, text: str) -> None:
        if not text:
            return
        self._answer.append(text)
        self._answer_dirty = True
        if not self._auto_collapsed:
            # The reasoning steps aside once, when the answer starts; the user can open it again.
            self._auto_collapsed = True
            self._set_expanded(False)
        self._schedule()

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
        self.render_now()
        self._auto_collapsed = True
        if not self._answer and self._reasoning:
            self._set_expanded(True)  # all there is to read
            self.render_now()
        self._update_toggle()
        self.stats_label.setText(format_stats(status, stats))
        self.stats_label.setToolTip(self._stats_details(stats))
        self._show_documents(stats)
        self.set_dropped_messages(stats.dropped_messages)
        if status == "error":
            self.error_label.setText(error or self.tr("Something went wrong while writing this reply."))
            self.error_label.show()
        else:
            self.error_label.hide()
        self._update_regenerate()

    def set_regenerate_available(self, available: bool) -> None:
        """Offered only on the conversation's last reply, once it has finished."""
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
        return palette_is_dark(self.palette()) if self._dark is None else self._dark

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
        self.reasoning_view.setVisible(expanded)
        self._update_toggle()

    def _update_toggle(self) -> None:
        expanded = self.reasoning_expanded
        self.reasoning_toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        thinking = self._status == "streaming" and not self._answer
        self.reasoning_toggle.setText(self.tr("Thinking…") if thinking else self.tr("Reasoning"))
        hint = self.tr("Hide reasoning") if expanded else self.tr("Show reasoning")
        self.reasoning_toggle.setToolTip(hint)
        self.reasoning_toggle.setAccessibleDescription(hint)

    def _update_regenerate(self) -> None:
        self.regenerate_button.setVisible(self._regenerate_available and self._status != "streaming")

    def _stats_details(self, stats: ReplyStats) -> str:
        prompt, cached = stats.prompt_tokens, stats.cached_tokens
        if prompt is None:
            return ""
        if cached is not None and cached > 0:
            return self.tr(
                "The question and history took {prompt} tokens ({cached} reused from before)."
            ).format(prompt=prompt, cached=cached)
        return self.tr("The question and history took {prompt} tokens.").format(prompt=prompt)

    def _apply_palette(self) -> None:
        palette = self.palette()
        for widget in (
            self.reasoning_toggle,
            self.dropped_notice,
            self.stats_label,
            self.copy_button,
            self.regenerate_button,
        ):
            _mute(widget, palette)
        # Reasoning reads as secondary: its text is blended part way towards the background.
        muted = _mix(palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base), 0.35)
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


class _Bubble(QFrame):
    """The tinted, rounded background of the user's own messages."""

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        tint = _mix(
            base, palette.color(QPalette.ColorRole.Highlight), 0.2 if palette_is_dark(palette) else 0.12
        )
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(tint)
        painter.drawRoundedRect(self.rect(), 12, 12)
        painter.end()


class UserMessageWidget(QWidget):
    """What the user wrote, exactly as written (plain text, never markdown), right-aligned in a bubble,
    with the chips of its attachments above it."""

    _PADDING = 12

    def __init__(
        self,
        message_id: int,
        text: str,
        parent: QWidget | None = None,
        attachments: Sequence[SentAttachment] = (),
    ) -> None:
        super().__init__(parent)
        self.message_id = message_id
        self.text = text
        self.attachments = AttachmentStrip(removable=False, parent=self)
        for attachment in attachments:
            self.attachments.add_sent(attachment)
        self.bubble = _Bubble(self)
        self.bubble.setVisible(bool(text))  # a message may be only its attachments
        self.text_view = MessageText(self.bubble)
        self.text_view.setAccessibleName(self.tr("Your message"))
        self.text_view.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.text_view.show_plain(text)
        self.copy_button = _CopyButton(self.tr("Copy your message"), self)
        self.copy_button.clicked.connect(lambda: self.copy_button.copy(self.text))
        _mute(self.copy_button, self.palette())

        inside = QVBoxLayout(self.bubble)
        inside.setContentsMargins(self._PADDING, 8, self._PADDING, 8)
        inside.addWidget(self.text_view)
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.attachments, 0, Qt.AlignmentFlag.AlignRight)
        column.addWidget(self.bubble, 0, Qt.AlignmentFlag.AlignRight)
        column.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignRight)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addStretch(1)
        row.addLayout(column)

        # Measures the text's natural width, so a short message gets a small bubble.
        self._measure = QTextDocument(self)
        self._measure.setDocumentMargin(self.text_view.document().documentMargin())
        self._measure.setDefaultTextOption(self.text_view.document().defaultTextOption())
        self._measure.setPlainText(text)
        self._measured_for = -1

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_width()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            _mute(self.copy_button, self.palette())

    def _fit_width(self) -> None:
        available = self.width()
        if available == self._measured_for:
            return
        self._measured_for = available
        widest = max(80, int(available * 0.8) - 2 * self._PADDING)
        self._measure.setDefaultFont(self.text_view.font())
        self._measure.setTextWidth(widest)
        # +2: rounding must not make the view wrap a line that the measurement did not.
        self.text_view.setFixedWidth(min(widest, math.ceil(self._measure.idealWidth()) + 2))


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
        _mute(self.placeholder, self.palette())
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
            _mute(self.placeholder, self.palette())

    @property
    def follows_bottom(self) -> bool:
        """True while new text scrolls into view; False once the user has scrolled up to read."""
        return self._follow

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
