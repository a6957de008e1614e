"""What every format reader shares: progress and cancelling, and a text builder that keeps anchors honest.

Readers may run in a child process, which has no translator: what they say for the user (errors, notes)
is a Deferred, put into words by the process that shows it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from app.documents.document import Anchor, DocumentError
from app.i18n import Deferred


class ExtractionCancelled(DocumentError):
    """The user stopped the reading; the caller drops the attachment rather than showing an error."""


@dataclass
class Job:
    """The file being read, and the caller's progress callback and cancel flag."""

    name: str
    max_chars: int
    progress: Callable[[float], None] | None = None
    cancel: threading.Event | None = None
    _last: float = field(default=0.0, init=False)

    def check(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise ExtractionCancelled(
                Deferred.translate("Documents", "Reading “{name}” was cancelled.").format(name=self.name)
            )

    def report(self, fraction: float) -> None:
        """Checks for cancelling too, so every loop that reports progress can be stopped."""
        self.check()
        # A progress bar that jumps back looks broken, whatever the reader's estimate did.
        fraction = min(1.0, max(self._last, fraction))
        self._last = fraction
        if self.progress is not None:
            self.progress(fraction)


@dataclass(frozen=True)
class Extracted:
    text: str
    anchors: tuple[Anchor, ...]
    notes: tuple[Deferred, ...]
    page_count: int | None = None


# Controls that mean nothing in text; form feed (a page break in old text files) becomes a line break.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Lone surrogates (from JSON escapes or broken UTF-16) cannot be encoded again, and would break saving.
_SURROGATES = re.compile(r"[\ud800-\udfff]")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
_BLANK_RUNS = re.compile(r"\n{4,}")
_MAX_NEWLINES = 3  # two blank lines


# Anything normalize would change; most pieces have none, and one search is cheaper than five rewrites.
_UNTIDY = re.compile(r"[\r\f\x00-\x08\x0b\x0e-\x1f\x7f\ud800-\udfff]|[ \t]\n|\n{4}")


def normalize(text: str) -> str:
    if not _UNTIDY.search(text):
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = _CONTROLS.sub("", text)
    text = _SURROGATES.sub("\ufffd", text)
    text = _TRAILING_SPACE.sub("\n", text)
    return _BLANK_RUNS.sub("\n" * _MAX_NEWLINES, text)


def cut_note(max_chars: int) -> Deferred:
    pages = max(1, round(max_chars / 2000))  # about 2,000 characters on a page of prose
    if pages == 1:
        note = Deferred.translate(
            "Documents", "Only the first {chars} characters (about 1 page) are included."
        )
    else:
        note = Deferred.translate(
            "Documents", "Only the first {chars} characters (about {pages} pages) are included."
        )
    return note.format(chars=max_chars, pages=pages)


@dataclass
class TextBuilder:
    """Collects a document's text piece by piece, normalized, with anchors at true offsets, up to a limit.

    Readers stop early once `full` is true, so a huge file costs no more than the part that is kept.
    """

    max_chars: int
    notes: list[Deferred] = field(default_factory=list)
    full: bool = field(default=False, init=False)
    _parts: list[str] = field(default_factory=list, init=False)
    _anchors: list[Anchor] = field(default_factory=list, init=False)
    _length: int = field(default=0, init=False)
    # How many newlines the text ends with, to keep blank runs short across pieces.
    _newlines: int = field(default=0, init=False)

    @property
    def length(self) -> int:
        return self._length

    @property
    def at_line_start(self) -> bool:
        return self._newlines > 0

    def anchor(self, *, page: int | None = None, heading: str = "", offset: int | None = None) -> None:
        if self.full:
            return
        heading = " ".join(normalize(heading).split())[:200]
        self._anchors.append(Anchor(self._length if offset is None else offset, page=page, heading=heading))

    def add(self, piece: str, *, force: bool = False, whole: bool = False) -> None:
        """`force` adds past the limit: for the few characters that close what was cut (a code fence).

        `whole` drops a piece that does not fit rather than cutting it: half a table row is no use.
        """
        if (self.full and not force) or not piece:
            return
        piece = normalize(piece)
        if self._length == 0 or self._newlines:
            piece = piece.lstrip("\n") if self._length == 0 else self._trim_leading_newlines(piece)
        if not piece:
            return
        room = self.max_chars - self._length
        if len(piece) > room and not force:
            piece = "" if whole else _cut(piece, room)
            self.full = True
            self.notes.append(cut_note(self.max_chars))
        self._parts.append(piece)
        self._length += len(piece)
        stripped = piece.rstrip("\n")
        self._newlines = len(piece) - len(stripped) + (self._newlines if not stripped else 0)

    def stop(self) -> None:
        """Ends the text before the limit (a reader that has read as much of a file as it will): the notes
        say how much is kept, as they do for a text cut at the limit."""
        if not self.full:
            self.full = True
            self.notes.append(cut_note(max(1, self._length - self._newlines)))

    def line_break(self, count: int = 1) -> None:
        """Ends the current line (count=1) or paragraph (count=2), without piling up blank lines."""
        if self._length and self._newlines < count:
            self.add("\n" * (count - self._newlines))

    def _trim_leading_newlines(self, piece: str) -> str:
        stripped = piece.lstrip("\n")
        leading = len(piece) - len(stripped)
        keep = max(0, min(leading, _MAX_NEWLINES - self._newlines))
        return "\n" * keep + stripped

    def finish(self, page_count: int | None = None) -> Extracted:
        text = "".join(self._parts).rstrip()
        if not text:
            return Extracted("", (), tuple(self.notes), page_count)
        text += "\n"
        # An anchor for empty trailing pages would point past the end; the final newline stands in for them.
        last = len(text) - 1
        anchors = tuple(
            sorted(
                (a if a.offset <= last else Anchor(last, a.page, a.heading) for a in self._anchors),
                key=lambda a: a.offset,
            )
        )
        return Extracted(text, anchors, tuple(self.notes), page_count)


def _cut(piece: str, room: int) -> str:
    """Cuts at a space or line break near the limit, so the last word is not chopped in half."""
    if room <= 0:
        return ""
    head = piece[:room]
    boundary = max(head.rfind("\n"), head.rfind(" "))
    return head[: boundary + 1] if boundary >= room - 200 and boundary > 0 else head
