"""PDF files through pypdf: text page by page, an anchor for every page, and plain words for what fails."""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from app.documents.document import DocumentError
from app.documents.formats.common import Extracted, Job, TextBuilder
from app.i18n import Deferred

# pypdf logs every repair it makes to a sloppy file, and every font it half understands, to stderr: noise
# for the user, who gets the DocumentError. What we skip goes to Hearth's own log instead.
logging.getLogger("pypdf").setLevel(logging.CRITICAL)
_log = logging.getLogger("hearth.documents")


def damaged(name: str) -> DocumentError:
    return DocumentError(
        Deferred.translate("Documents", "“{name}” is damaged or not really a PDF.").format(name=name)
    )


def password_protected(name: str) -> DocumentError:
    return DocumentError(
        Deferred.translate(
            "Documents",
            "“{name}” is protected by a password. Open it, save an unprotected copy, and attach that.",
        ).format(name=name)
    )


def read_pdf(data: bytes, job: Job) -> Extracted:
    reader = _open(data, job.name)
    try:
        page_count = len(reader.pages)
    except FileNotDecryptedError:
        raise password_protected(job.name) from None
    except Exception as error:
        raise damaged(job.name) from error
    if page_count == 0:
        raise DocumentError(Deferred.translate("Documents", "“{name}” has no pages.").format(name=job.name))

    builder = TextBuilder(job.max_chars)
    blank: list[int] = []
    failed: list[int] = []
    for number in range(1, page_count + 1):
        job.report((number - 1) / page_count)
        if builder.full:
            break
        builder.anchor(page=number)
        try:
            text = reader.pages[number - 1].extract_text()
        except Exception as error:
            # pypdf raises many kinds of error on broken page content; one bad page should not cost the rest.
            _log.warning("page %d of %s could not be read: %r", number, job.name, error)
            failed.append(number)
            continue
        if text.strip():
            builder.add(text)
            builder.line_break(2)
        else:
            blank.append(number)
    read = len(blank) + len(failed)
    if builder.length == 0:
        if failed and len(failed) == read:
            raise damaged(job.name)
        raise DocumentError(
            Deferred.translate(
                "Documents",
                "“{name}” has no text layer: it looks like scanned images, "
                "and Hearth cannot read text in images yet.",
            ).format(name=job.name)
        )
    if blank:
        note = (
            Deferred.translate("Documents", "Page {pages} has no text (scanned image?).")
            if len(blank) == 1
            else Deferred.translate("Documents", "Pages {pages} have no text (scanned images?).")
        )
        builder.notes.append(note.format(pages=_pages(blank)))
    if failed:
        note = (
            Deferred.translate("Documents", "Page {pages} could not be read.")
            if len(failed) == 1
            else Deferred.translate("Documents", "Pages {pages} could not be read.")
        )
        builder.notes.append(note.format(pages=_pages(failed)))
    return builder.finish(page_count=page_count)


def _open(data: bytes, name: str) -> PdfReader:
    if b"%PDF" not in data[:1024]:
        raise damaged(name)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
    except MemoryError:
        raise
    except Exception as error:
        # pypdf reports a broken file with whatever error the broken part caused; all mean the same here.
        raise damaged(name) from error
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except DependencyError:
            # AES needs the optional `cryptography` package; without it, say what the user can act on.
            raise password_protected(name) from None
        except Exception as error:
            raise damaged(name) from error
        if opened == PasswordType.NOT_DECRYPTED:
            raise password_protected(name)
    return reader


def _pages(numbers: Sequence[int]) -> str:
    """ "3", "3, 7–9": runs of pages shortened, as a person would write them."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    parts = [
        str(run[0]) if len(run) == 1 else f"{run[0]}, {run[1]}" if len(run) == 2 else f"{run[0]}–{run[-1]}"
        for run in runs
    ]
    if len(parts) > 12:
        parts = [*parts[:12], "…"]
    return ", ".join(parts)
