"""Attachments as the user sees them: chips that say what a file is (or why it cannot be used).

A `PendingAttachment` is a file or a pasted text on its way into the next message. It is read off
the UI thread (app.ui.jobs), with progress for big files; removing its chip cancels the read. A
`SentAttachment` is what a sent message's chip shows, from a Document just sent or from the store.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from PySide6.QtCore import QEvent, QObject, Qt, QThreadPool, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from app.documents.document import Document, describe
from app.documents.isolation import read_document
from app.documents.retrieval import document_from
from app.errors import UserError
from app.store import AttachmentRecord
from app.ui.colours import problem_text
from app.ui.flow_layout import FlowLayout
from app.ui.jobs import run_job

# Reads one document: (progress callback, cancel event) -> Document, raising DocumentError.
Reader = Callable[[Callable[[float], None], threading.Event], Document]

READING: Final = "reading"
READY: Final = "ready"
FAILED: Final = "failed"
CANCELLED: Final = "cancelled"


def read_file(path: Path) -> Reader:
    def read(progress: Callable[[float], None], cancel: threading.Event) -> Document:
        # PDF and Word files (and big ones) are read in a child process: see app.documents.isolation.
        return read_document(path, progress=progress, cancel=cancel)

    return read


def read_pasted(text: str) -> Reader:
    def read(_progress: Callable[[float], None], _cancel: threading.Event) -> Document:
        from app.documents.extract import extract_pasted

        return extract_pasted(text)

    return read


class PendingAttachment(QObject):
    """One file (or pasted text) being read for the next message: reading, then ready or failed.

    Has no Qt parent on purpose: the background read keeps it alive until its result is delivered.
    """

    changed = Signal()
    _progressed = Signal(float)  # emitted on the reading thread; delivered on this object's thread

    def __init__(self, name: str, reader: Reader) -> None:
        super().__init__()
        self.name = name
        self.state: str = READING
        self.progress = 0.0
        self.document: Document | None = None
        self.error = ""
        self._reader = reader
        self._cancel = threading.Event()
        self._progressed.connect(self._on_progress)

    @classmethod
    def from_path(cls, path: Path) -> PendingAttachment:
        return cls(path.name, read_file(path))

    @classmethod
    def from_text(cls, text: str, name: str = "Pasted text.txt") -> PendingAttachment:
        return cls(name, read_pasted(text))

    def start(self, pool: QThreadPool | None = None) -> None:
        """Read it on a thread of `pool`; `changed` fires on progress and at the end.

        Give it a pool of its own (the composer's): a read can wait minutes on a child process, and on
        Qt's shared pool (two threads on a 2-core laptop) two PDFs would hold up every history query.
        """
        last = [-1]

        def progress(fraction: float) -> None:
            percent = int(max(0.0, min(1.0, fraction)) * 100)
            if percent != last[0]:  # about a hundred signals at most, however often it is called
                last[0] = percent
                self._progressed.emit(fraction)

        run_job(lambda: self._reader(progress, self._cancel), self._finished, self._failed, pool=pool)

    def cancel(self) -> None:
        """Stop reading (the chip was removed); nothing more is reported."""
        self._cancel.set()
        if self.state == READING:
            self.state = CANCELLED

    def _on_progress(self, fraction: float) -> None:
        if self.state == READING:
            self.progress = fraction
            self.changed.emit()

    def _finished(self, document: Document) -> None:
        if self.state == READING:
            self.state, self.document = READY, document
            self.changed.emit()

    def _failed(self, error: BaseException) -> None:
        # The file's problem (a UserError) in its own words; a bug in a reader, already logged with its
        # stack by run_job, in a polite line. A cancelled read (the chip is gone) says nothing.
        if self.state != READING:
            return
        self.state = FAILED
        if isinstance(error, UserError):
            self.error = str(error) or self.tr("This file could not be read.")
        else:
            self.error = self.tr("Something went wrong while reading this file; details are in the log.")
        self.changed.emit()


@dataclass(frozen=True)
class SentAttachment:
    """A chip on a sent message: from the Document just sent, or from the store (opened by id)."""

    name: str
    line: str  # "PDF · 2.3 MB · 212 pages"
    notes: tuple[str, ...] = ()
    attachment_id: int | None = None
    document: Document | None = None

    @classmethod
    def from_document(cls, document: Document) -> SentAttachment:
        return cls(document.name, describe(document), document.notes, document=document)

    @classmethod
    def from_record(cls, record: AttachmentRecord) -> SentAttachment:
        facts = document_from(record, text="", anchors=())  # what describe() needs; the text stays stored
        return cls(record.name, describe(facts), tuple(record.notes), attachment_id=record.id)


class AttachmentChip(QFrame):
    """Name on top, the facts (or progress, or the problem) below, ✕ to remove when removable.

    A click (or Enter / Space when focused) asks to open what was read.
    """

    open_requested = Signal()
    remove_requested = Signal()

    _WRAP_WIDTH = 320  # a problem's message wraps at this width

    def __init__(self, name: str, *, removable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentChip")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.setMaximumWidth(380)
        self.name = name
        self.failed = False
        self.name_label = QLabel(name, self)
        self.name_label.setObjectName("attachmentName")
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)
        self.detail = QLabel(self)
        self.detail.setObjectName("attachmentDetail")
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        text = QVBoxLayout()
        text.setContentsMargins(0, 0, 0, 0)
        text.setSpacing(0)
        text.addWidget(self.name_label)
        text.addWidget(self.detail)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 5, 4 if removable else 10, 5)
        row.setSpacing(4)
        row.addLayout(text, 1)
        self.remove_button: QToolButton | None = None
        if removable:
            self.remove_button = QToolButton(self)
            self.remove_button.setText("✕")
            self.remove_button.setAutoRaise(True)
            self.remove_button.setAccessibleName(self.tr("Remove {name}").format(name=name))
            self.remove_button.setToolTip(self.tr("Remove this attachment"))
            self.remove_button.clicked.connect(self.remove_requested)
            row.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        self.setAccessibleName(self.tr("Attachment {name}").format(name=name))
        self._apply_colours()

    def set_name(self, name: str) -> None:
        if name == self.name:
            return
        self.name = name
        self.name_label.setText(name)
        self.setAccessibleName(self.tr("Attachment {name}").format(name=name))
        if self.remove_button is not None:
            self.remove_button.setAccessibleName(self.tr("Remove {name}").format(name=name))

    def set_reading(self, progress: float) -> None:
        self.failed = False
        percent = round(progress * 100)
        line = self.tr("Reading… {percent}%").format(percent=percent) if percent else self.tr("Reading…")
        self._set_detail(line, self.tr("{name} is being read.").format(name=self.name))

    def set_ready(self, line: str, notes: tuple[str, ...] = ()) -> None:
        self.failed = False
        if notes:
            line += " · " + self.tr("see notes")
        tip = "\n".join((self.tr("Click to see the text that was read."), *notes))
        self._set_detail(line, tip)

    def set_failed(self, message: str) -> None:
        self.failed = True
        self._set_detail(message, message)

    def _set_detail(self, line: str, tip: str) -> None:
        # Facts fit on one line; a problem may need two or three, at the chip's full width.
        self.detail.setWordWrap(self.failed)
        wanted = self.detail.fontMetrics().horizontalAdvance(line) + 2
        self.detail.setMinimumWidth(min(wanted, self._WRAP_WIDTH) if self.failed else 0)
        if self.property("failed") != self.failed:
            self.setProperty("failed", self.failed)  # the style sheet draws a red border
            self.style().unpolish(self)
            self.style().polish(self)
        self.detail.setText(line)
        self.setToolTip(f"{self.name}\n{tip}")
        self.setAccessibleDescription(line)
        self._apply_colours()

    def _apply_colours(self) -> None:
        # The window's palette: the style sheet gives the chip its own background colours. The colour
        # is set as a style sheet, not a palette: a theme change re-polishes the label and would
        # put back the palette it had when it was first polished.
        palette = self.window().palette()
        colour = problem_text(palette) if self.failed else palette.color(QPalette.ColorRole.PlaceholderText)
        sheet = f"color: {colour.name()};"
        if self.detail.styleSheet() != sheet:
            self.detail.setStyleSheet(sheet)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._apply_colours()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            event.accept()  # so the release (the click) comes here too
            return
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.open_requested.emit()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.open_requested.emit()
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.remove_button is not None:
            self.remove_requested.emit()
            return
        super().keyPressEvent(event)


class AttachmentStrip(QWidget):
    """Chips in rows that wrap. In the composer they are pending and removable; on a message, not."""

    open_requested = Signal(object)  # the PendingAttachment or SentAttachment behind the chip
    changed = Signal()  # a chip was added, removed or changed state

    def __init__(self, *, removable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._removable = removable
        self._layout = FlowLayout(self)
        self._chips: list[tuple[AttachmentChip, PendingAttachment | SentAttachment]] = []
        self.setAccessibleName(self.tr("Attachments"))
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.hide()

    @property
    def chips(self) -> tuple[AttachmentChip, ...]:
        return tuple(chip for chip, _item in self._chips)

    @property
    def pending(self) -> tuple[PendingAttachment, ...]:
        return tuple(item for _chip, item in self._chips if isinstance(item, PendingAttachment))

    def add_pending(self, pending: PendingAttachment) -> AttachmentChip:
        """Show `pending` (already started or not); its chip follows its state."""
        chip = self._add(pending.name, pending)
        pending.changed.connect(lambda: self._follow(chip, pending))
        self._follow(chip, pending)
        return chip

    def add_sent(self, attachment: SentAttachment) -> AttachmentChip:
        chip = self._add(attachment.name, attachment)
        chip.set_ready(attachment.line, attachment.notes)
        return chip

    def remove(self, chip: AttachmentChip) -> None:
        for index, (shown, item) in enumerate(self._chips):
            if shown is chip:
                del self._chips[index]
                if isinstance(item, PendingAttachment):
                    item.cancel()
                self._layout.removeWidget(chip)
                chip.hide()
                chip.deleteLater()
                self._changed()
                return

    def clear(self) -> None:
        """Remove every chip; reads still running are cancelled."""
        for chip in self.chips:
            self.remove(chip)

    def take_all(self) -> tuple[PendingAttachment, ...]:
        """Remove every chip but keep the pending attachments themselves (a sent message took them)."""
        taken = self.pending
        for chip, _item in self._chips:
            self._layout.removeWidget(chip)
            chip.hide()
            chip.deleteLater()
        self._chips.clear()
        self._changed()
        return taken

    def _add(self, name: str, item: PendingAttachment | SentAttachment) -> AttachmentChip:
        chip = AttachmentChip(name, removable=self._removable, parent=self)
        chip.open_requested.connect(lambda: self.open_requested.emit(item))
        chip.remove_requested.connect(lambda: self.remove(chip))
        self._chips.append((chip, item))
        self._layout.addWidget(chip)
        chip.show()
        self._changed()
        return chip

    def _follow(self, chip: AttachmentChip, pending: PendingAttachment) -> None:
        if not any(shown is chip for shown, _item in self._chips):
            return  # removed, or taken by a sent message
        if pending.state == READY and pending.document is not None:
            # A link is read as the file it leads to, under that file's name (app.documents.source).
            chip.set_name(pending.document.name)
            chip.set_ready(describe(pending.document), pending.document.notes)
        elif pending.state == FAILED:
            chip.set_failed(pending.error)
        elif pending.state == READING:
            chip.set_reading(pending.progress)
        self._layout.invalidate()
        self.changed.emit()

    def _changed(self) -> None:
        self.setVisible(bool(self._chips))
        self._layout.invalidate()
        self.updateGeometry()
        self.changed.emit()
