"""What a read file becomes: its text, where its pages and sections start, and plain facts about it."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Final

from app.errors import UserError
from app.i18n import Deferred, translate
from app.units import format_bytes

# Limits the user is told about (Attach dialog, chip messages, README). A bigger file is refused
# up front, before it is read, so a 5 GB video dropped by mistake costs nothing.
MAX_FILE_BYTES: Final = 100_000_000  # "100 MB", as file managers count it
# About 2,500 pages of prose: more than any context holds, and still well under a second of
# indexing. Text past it is cut, and the document's notes say so.
MAX_TEXT_CHARS: Final = 5_000_000


class DocumentError(UserError):
    """A file that cannot be used. str(error) is one plain sentence, shown on the attachment's chip.

    Raised with a Deferred message where a reader may be in a child process (app.documents.formats)."""


def too_large_for_memory(name: str) -> DocumentError:
    """For a file whose reading ran out of memory (or past the reader's memory limit)."""
    return DocumentError(
        Deferred.translate("Documents", "“{name}” is too large to read with the memory available.").format(
            name=name
        )
    )


@dataclass(frozen=True)
class Anchor:
    """Where a page or a section starts in Document.text."""

    offset: int
    page: int | None = None  # 1-based, for paginated formats (PDF)
    heading: str = ""  # the section's heading, for formats that have them (docx, markdown, html)


@dataclass(frozen=True)
class Document:
    name: str  # the file name shown to the user and used in citations, e.g. "report.pdf"
    kind: str  # plain words for the type: "PDF", "Word document", "Python code", "CSV table", …
    mime: str
    size: int  # bytes of the original file (UTF-8 bytes for pasted text)
    sha256: str  # of the original bytes
    text: str
    anchors: tuple[Anchor, ...] = ()  # sorted by offset
    page_count: int | None = None
    # Plain sentences about what was left out or could not be read, e.g. "Pages 3 and 7 have no
    # text layer (scanned images?)." Shown with the attachment; never a silent cut.
    notes: tuple[str, ...] = field(default=())

    def anchor_at(self, offset: int) -> Anchor | None:
        """The page or section that the character at `offset` belongs to."""
        index = bisect.bisect_right([a.offset for a in self.anchors], offset) - 1
        return self.anchors[index] if index >= 0 else None


def with_notes(document: Document, notes: Iterable[Deferred]) -> Document:
    """The document with its notes in the user's language (a reader makes them before that is known)."""
    return replace(document, notes=tuple(str(note) for note in notes))


def describe(document: Document) -> str:
    """One line for a chip: "PDF · 2.3 MB · 212 pages"."""
    # The kind is stored in English (extract marks each one for translation) and translated when shown.
    parts = [str(Deferred("Document kinds", document.kind)), format_bytes(document.size)]
    if document.page_count is not None:
        pages = (
            translate("Documents", "1 page")
            if document.page_count == 1
            else translate("Documents", "{count} pages")
        )
        parts.append(pages.format(count=document.page_count))
    return " · ".join(parts)


def with_page_markers(document: Document) -> str:
    """The text with a "[Page 4]" or "[Section: Results]" line where each page or section starts.

    Used to show the user what was extracted, and to give the model whole documents it can cite.
    """
    pieces: list[str] = []
    previous = 0
    for anchor in document.anchors:
        marker = _marker(anchor)
        if not marker:
            continue
        pieces.append(document.text[previous : anchor.offset])
        if pieces[-1] and not pieces[-1].endswith("\n"):
            pieces.append("\n")
        pieces.append(marker + "\n")
        previous = anchor.offset
    pieces.append(document.text[previous:])
    return "".join(pieces)


def _marker(anchor: Anchor) -> str:
    if anchor.page is not None:
        return f"[Page {anchor.page}]"
    if anchor.heading:
        return f"[Section: {anchor.heading}]"
    return ""
