"""What Hearth says about a file it cannot read: what the file is, and what to attach instead."""

from __future__ import annotations

from pathlib import PurePath
from typing import Final

from app.documents.document import DocumentError
from app.i18n import Deferred

# Whole sentences about the file {name}; {supported} is _SUPPORTED_IN_WORDS, a sentence of its own.
_SUPPORTED_IN_WORDS: Final = Deferred.translate(
    "Documents", "Hearth can read PDF, Word (.docx), text, Markdown, CSV, JSON, web pages and source code."
)
_KNOWN_UNSUPPORTED: Final = {
    ".doc": Deferred.translate(
        "Documents",
        "“{name}” is an old-style Word document, which Hearth cannot read. Open it in Word or LibreOffice, "
        "save it as .docx, and attach that.",
    ),
    ".rtf": Deferred.translate(
        "Documents",
        "“{name}” is a rich-text document, which Hearth cannot read. "
        "Save it as .docx or PDF, and attach that.",
    ),
    ".odt": Deferred.translate(
        "Documents",
        "“{name}” is an OpenDocument text, which Hearth cannot read. "
        "Save it as .docx or PDF, and attach that.",
    ),
    ".pages": Deferred.translate(
        "Documents",
        "“{name}” is a Pages document, which Hearth cannot read. Export it as .docx or PDF, and attach that.",
    ),
    **dict.fromkeys(
        (".xlsx", ".xls", ".xlsm", ".ods", ".numbers"),
        Deferred.translate(
            "Documents",
            "“{name}” is a spreadsheet, which Hearth cannot read yet. "
            "Save the sheet as CSV, and attach that.",
        ),
    ),
    **dict.fromkeys(
        (".pptx", ".ppt", ".odp", ".key"),
        Deferred.translate(
            "Documents",
            "“{name}” is a presentation, which Hearth cannot read yet. Export it as PDF, and attach that.",
        ),
    ),
    **dict.fromkeys(
        (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic", ".svg", ".ico"),
        Deferred.translate(
            "Documents", "“{name}” is an image, and Hearth cannot read images yet. {supported}"
        ),
    ),
    **dict.fromkeys(
        (".zip", ".7z", ".rar", ".tar", ".gz", ".tgz", ".bz2", ".xz"),
        Deferred.translate(
            "Documents", "“{name}” is an archive. Unpack it and attach the files inside. {supported}"
        ),
    ),
}


def unsupported(name: str) -> DocumentError:
    """The error for a file whose kind Hearth does not read (a Deferred message: see formats.common)."""
    suffix = PurePath(name).suffix.lower()
    words = _KNOWN_UNSUPPORTED.get(suffix) or Deferred.translate(
        "Documents", "Hearth cannot read {suffix} files like “{name}”. {supported}"
    )
    return DocumentError(words.format(name=name, suffix=suffix, supported=_SUPPORTED_IN_WORDS))
