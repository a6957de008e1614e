"""Word documents (.docx) through python-docx: paragraphs and tables in reading order, headings as anchors."""

from __future__ import annotations

import io
import logging
import re

import docx
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.oxml.text.paragraph import CT_P
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.table import Table
from docx.text.paragraph import Paragraph

from app.documents.document import DocumentError
from app.documents.formats.common import Extracted, Job, TextBuilder
from app.i18n import Deferred

_PARAGRAPH, _TABLE, _CONTENT_CONTROL = qn("w:p"), qn("w:tbl"), qn("w:sdt")
_HEADING_LEVEL = re.compile(r"heading\s*(\d)", re.IGNORECASE)
_MAX_CELL_CHARS = 300
_log = logging.getLogger("hearth.documents")


def damaged(name: str) -> DocumentError:
    return DocumentError(
        Deferred.translate("Documents", "“{name}” is damaged or is not a Word document.").format(name=name)
    )


def read_docx(data: bytes, job: Job) -> Extracted:
    try:
        document = docx.Document(io.BytesIO(data))
        body = list(_blocks(document.element.body))
    except MemoryError:
        raise
    except Exception as error:
        # A broken zip, a missing part or bad XML: python-docx raises whatever the broken piece caused.
        raise damaged(job.name) from error
    builder = TextBuilder(job.max_chars)
    unreadable = 0
    for index, element in enumerate(body):
        if index % 200 == 0:
            job.report(index / len(body))
        if builder.full:
            break
        try:
            if isinstance(element, CT_Tbl):
                _add_table(builder, Table(element, document))
            elif isinstance(element, CT_P):
                _add_paragraph(builder, element, Paragraph(element, document))
        except Exception as error:
            # Odd XML in one paragraph or table should not cost the rest of the document.
            _log.warning("part of %s could not be read: %r", job.name, error)
            unreadable += 1
    if unreadable:
        note = (
            Deferred.translate("Documents", "1 part of the document could not be read.")
            if unreadable == 1
            else Deferred.translate("Documents", "{count} parts of the document could not be read.")
        )
        builder.notes.append(note.format(count=unreadable))
    return builder.finish()


def _blocks(body: BaseOxmlElement) -> list[BaseOxmlElement]:
    """Paragraphs and tables in reading order, including those inside content controls."""
    found: list[BaseOxmlElement] = []
    for child in body.iterchildren():
        if child.tag in (_PARAGRAPH, _TABLE):
            found.append(child)
        elif child.tag == _CONTENT_CONTROL:
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                found.extend(_blocks(content))
    return found


def _add_paragraph(builder: TextBuilder, element: CT_P, paragraph: Paragraph) -> None:
    text = paragraph.text.strip()
    if not text:
        return
    style = _style_name(paragraph)
    level = _heading_level(style)
    if level:
        builder.line_break(2)
        builder.anchor(heading=text)
        builder.add("#" * level + " " + " ".join(text.split()))
        builder.line_break(2)
        return
    listed = style.lower().startswith("list") or (element.pPr is not None and element.pPr.numPr is not None)
    builder.add(("- " if listed else "") + text)
    builder.line_break(1 if listed else 2)


def _style_name(paragraph: Paragraph) -> str:
    try:
        return (paragraph.style.name if paragraph.style is not None else "") or ""
    except Exception:
        return ""  # a broken styles part costs the headings' markup, not the text


def _heading_level(style: str) -> int:
    if style.lower() == "title":
        return 1
    match = _HEADING_LEVEL.match(style)
    if match:
        return min(6, max(1, int(match.group(1))))
    return 1 if style.lower().startswith("heading") else 0


def _add_table(builder: TextBuilder, table: Table) -> None:
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            # A merged cell is listed once per grid column it spans; once is enough to read.
            if cell._tc is previous:
                continue
            previous = cell._tc
            text = " ".join(cell.text.split())
            if len(text) > _MAX_CELL_CHARS:
                text = text[: _MAX_CELL_CHARS - 1] + "…"
            cells.append(text.replace("|", "\\|"))
        if any(cells):
            rows.append(cells)
    if not rows:
        return
    width = max(len(row) for row in rows)
    builder.line_break(2)
    for index, row in enumerate(rows):
        builder.add("| " + " | ".join(row + [""] * (width - len(row))) + " |\n")
        if index == 0:
            builder.add("| " + " | ".join(["---"] * width) + " |\n")
    builder.line_break(2)
