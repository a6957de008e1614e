"""Small pieces the conversation's widgets share: opening a link, the stats line, and palette, font
and clipboard helpers, kept apart so the reply, the user's message and the view can each use them.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QGuiApplication, QPalette
from PySide6.QtWidgets import QLabel, QMessageBox, QSizePolicy, QToolButton, QWidget

from app.i18n import format_number
from app.render import safe_link
from app.reply_stats import ReplyStats
from app.ui.icons import themed_icon

# lupdate collects the words only from calls written out with two literal strings.
translate = QCoreApplication.translate


def confirm_and_open(parent: QWidget | None, url: str) -> bool:
    """Ask before opening `url` in the browser; only http(s) links are ever opened. Returns whether it was."""
    target = safe_link(url)
    if target is None:
        return False
    host = QUrl(target).host()
    answer = QMessageBox.question(
        parent,
        translate("ChatView", "Open link?"),
        translate("ChatView", "This link goes to {host}. Open it in your web browser?\n\n{url}").format(
            host=host, url=target
        ),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return False
    return QDesktopServices.openUrl(QUrl(target))


def format_stats(status: str, stats: ReplyStats) -> str:
    """The quiet line under a reply: "62.3 tok/s · first token 0.35 s · 812 tokens · done"."""
    parts: list[str] = []
    rate, ttft, tokens = stats.decode_tok_s, stats.ttft_s, stats.completion_tokens
    if rate is not None and rate > 0:
        parts.append(translate("ChatView", "{rate} tok/s").format(rate=format_number(rate, 1)))
    if ttft is not None and ttft > 0:
        parts.append(translate("ChatView", "first token {seconds} s").format(seconds=format_number(ttft, 2)))
    if tokens is not None and tokens > 0:
        parts.append(
            translate("ChatView", "1 token")
            if tokens == 1
            else translate("ChatView", "{count} tokens").format(count=format_number(tokens))
        )
    reason = stats.finish_reason
    if status == "error":
        parts.append(translate("ChatView", "error"))
    elif status == "stopped" or reason == "cancelled":
        parts.append(translate("ChatView", "stopped"))
    elif reason == "length":
        parts.append(translate("ChatView", "hit the length limit"))
    elif reason == "repetition":
        parts.append(translate("ChatView", "stopped early"))
    elif status == "done":
        parts.append(translate("ChatView", "done"))
    return " · ".join(parts)


def stats_details(stats: ReplyStats) -> str:
    """The stats line's tooltip: what the question and the history took."""
    prompt, cached = stats.prompt_tokens, stats.cached_tokens
    if prompt is None:
        return ""
    if cached is not None and cached > 0:
        return translate(
            "ReplyWidget", "The question and history took {prompt} tokens ({cached} reused from before)."
        ).format(prompt=prompt, cached=cached)
    return translate("ReplyWidget", "The question and history took {prompt} tokens.").format(prompt=prompt)


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * amount,
        a.greenF() + (b.greenF() - a.greenF()) * amount,
        a.blueF() + (b.blueF() - a.blueF()) * amount,
    )


def smaller(widget: QWidget) -> None:
    font = widget.font()
    font.setPointSizeF(max(7.0, font.pointSizeF() * 0.9))
    widget.setFont(font)


def mute(widget: QWidget, palette: QPalette) -> None:
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


def note_label(text: str, parent: QWidget) -> QLabel:
    """A wrapped line of secondary text (a hint under a setting), muted by the style sheet's
    QLabel[muted="true"] rule, so it follows a theme switch without any code of its own."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setProperty("muted", True)
    # As wide as its column (a form's field column keeps a label to its hint, a few words wide).
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return label


def quiet_icon(button: QToolButton, name: str) -> None:
    """A quiet action (Copy, Edit, Regenerate): flat, with a line icon beside its muted label, in the
    same colour."""
    button.setAutoRaise(True)
    button.setIcon(themed_icon(name, role=QPalette.ColorRole.PlaceholderText))
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)


def copy_to_clipboard(text: str) -> None:
    clipboard = QGuiApplication.clipboard()
    clipboard.setText(text)


class CopyButton(QToolButton):
    """A quiet "Copy" that says "Copied" for a moment, so the click is visibly done."""

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setText(self.tr("Copy"))
        quiet_icon(self, "copy")
        self.setAccessibleName(accessible_name)
        self.setToolTip(accessible_name)
        smaller(self)
        self._reset = QTimer(self)
        self._reset.setSingleShot(True)
        self._reset.setInterval(1500)
        self._reset.timeout.connect(lambda: self.setText(self.tr("Copy")))

    def copy(self, text: str) -> None:
        copy_to_clipboard(text)
        self.setText(self.tr("Copied"))
        self._reset.start()


# Long enough to catch the eye after a jump, short enough not to linger as decoration.
FLASH_MS = 1600


def flash(widget: QWidget, palette: QPalette) -> None:
    """Tint `widget`'s background with the highlight colour for FLASH_MS, then give it back."""
    tint = mix(palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Highlight), 0.18)
    original = QPalette(widget.palette())  # its resolve mask too: inherited roles stay inherited
    widget.setAutoFillBackground(True)
    tinted = QPalette(original)
    tinted.setColor(QPalette.ColorRole.Window, tint)
    widget.setPalette(tinted)
    widget.setProperty("flashed", True)

    def restore() -> None:
        widget.setAutoFillBackground(False)
        widget.setPalette(original)
        widget.setProperty("flashed", False)

    QTimer.singleShot(FLASH_MS, widget, restore)
