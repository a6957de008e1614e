"""Word documents (.docx): paragraphs and tables in reading order, headings as anchors, read as a stream.

The zip is checked before anything in it is unpacked (word_package), and word/document.xml is unpacked
and parsed a slice at a time (word_body) up to the text limit, so a hostile file costs no more time or
memory than a document that fills the limit: 4.5 million one-letter paragraphs, one 2 GiB run and a
deflate bomb are all cut or refused in seconds.
"""

from __future__ import annotations

from typing import Final

from app.documents.formats.common import Extracted, Job, TextBuilder
from app.documents.formats.word_body import Body
from app.documents.formats.word_package import (
    checked_part,
    damaged,
    open_package,
    parse,
    related_part,
    style_names,
)
from app.i18n import Deferred

__all__ = ["damaged", "read_docx"]

# Unpacked XML read at most, text or not: about four times what a document that fills the text limit
# with heavy formatting has, and a second or two of parsing.
MAX_XML_BYTES: Final = 512 * 1024 * 1024


def read_docx(data: bytes, job: Job) -> Extracted:
    with open_package(data, job.name) as package:
        document = related_part(package, "", "/officeDocument", job.name) or "word/document.xml"
        info = checked_part(package, document, job.name)
        styles, default_style = style_names(package, document, job.name)
        builder = TextBuilder(job.max_chars)
        body = Body(builder, styles, default_style)
        size = max(1, info.file_size)
        reported = [0.0]

        def progress(read: int) -> None:
            fraction = read / size
            if fraction - reported[0] >= 0.01:
                reported[0] = fraction
                job.report(fraction)
            else:
                job.check()

        try:
            complete = parse(package, info, body, max_bytes=MAX_XML_BYTES, progress=progress)
        except ValueError as error:
            # Broken XML, a DTD, a part that does not unpack: the document cannot be trusted to be whole.
            raise damaged(job.name) from error
    if not body.is_document:
        raise damaged(job.name)
    if not complete:
        body.cut()
    if body.unreadable:
        note = (
            Deferred.translate("Documents", "1 part of the document could not be read.")
            if body.unreadable == 1
            else Deferred.translate("Documents", "{count} parts of the document could not be read.")
        )
        builder.notes.append(note.format(count=body.unreadable))
    return builder.finish()
