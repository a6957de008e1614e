"""word/document.xml read as a stream: paragraphs and tables in reading order, headings as anchors.

The parser calls a Body for each tag and each piece of text as it unpacks the part, and nothing of the XML
is kept: a paragraph's text is gathered only up to what the text limit still has room for, a table's rows
only until they would fill it, and the reading stops (Stop) once the limit is reached, or once more
paragraphs or elements have gone by than any real document holds. What is read is what python-docx reads:
runs and hyperlinks' runs of the body's paragraphs (also inside content controls), and tables' cells
(a merged cell once per row).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Final

from app.documents.formats.common import TextBuilder
from app.documents.formats.word_package import NoDoctype, Stop, W

# Paragraphs and table rows read at most: a document that fills the text limit has some 60,000
# paragraphs of 80 characters; this many are read in two or three seconds.
MAX_BLOCKS: Final = 100_000
# Every tag costs two calls into Python, about two seconds a million. Word's own files have some ten
# tags for a run of formatted words: a document that fills the text limit has well under a million.
MAX_ELEMENTS: Final = 2_000_000
# Text past the limit's room is not gathered; a little more is, so that trailing spaces a paragraph's
# strip() drops do not cost its last words.
_SLACK: Final = 4096
_MAX_CELL_CHARS: Final = 300
_MAX_CELL_GATHER: Final = 4096
_HEADING_LEVEL = re.compile(r"heading\s*(\d)", re.IGNORECASE)
_log = logging.getLogger("hearth.documents")

# What an element is to the reader (its "role"), given its parent's role and its own tag.
_ROOT, _DOCUMENT, _BLOCKS, _CONTROL, _PARAGRAPH, _PROPERTIES, _LINK, _RUN, _TEXT = range(9)
_TABLE, _ROW, _ROW_PROPERTIES, _CELL, _CELL_PROPERTIES, _CELL_PARAGRAPH = range(9, 15)
_CHILD_ROLES: Final[dict[int, dict[str, int]]] = {
    _ROOT: {W + "document": _DOCUMENT},
    _DOCUMENT: {W + "body": _BLOCKS},
    _BLOCKS: {W + "p": _PARAGRAPH, W + "tbl": _TABLE, W + "sdt": _CONTROL},
    _CONTROL: {W + "sdtContent": _BLOCKS},
    _PARAGRAPH: {W + "pPr": _PROPERTIES, W + "r": _RUN, W + "hyperlink": _LINK},
    _CELL_PARAGRAPH: {W + "r": _RUN, W + "hyperlink": _LINK},
    _LINK: {W + "r": _RUN},
    _RUN: {W + "t": _TEXT},
    _TABLE: {W + "tr": _ROW},
    _ROW: {W + "trPr": _ROW_PROPERTIES, W + "tc": _CELL},
    _CELL: {W + "tcPr": _CELL_PROPERTIES, W + "p": _CELL_PARAGRAPH},
}
# Indexed by role: one list index and one dict lookup per tag.
_CHILDREN: Final = [_CHILD_ROLES.get(role, {}) for role in range(_CELL_PARAGRAPH + 1)]
# Empty elements of a run that stand for a character (python-docx reads them the same way).
_ATTRIBUTES_READ: Final = frozenset({_RUN, _PROPERTIES, _ROW_PROPERTIES, _CELL_PROPERTIES})
_ENDS_READ: Final = frozenset({_PARAGRAPH, _CELL, _ROW, _TABLE})
_CHARACTERS: Final = {W + "tab": "\t", W + "ptab": "\t", W + "cr": "\n", W + "noBreakHyphen": "-"}
_BREAK: Final = W + "br"
_VAL: Final = W + "val"


@dataclass
class _Gathered:
    """Text gathered up to a cap; what comes after is counted, not kept."""

    cap: int
    parts: list[str] = field(default_factory=list)
    length: int = 0

    @property
    def over(self) -> bool:
        return self.length > self.cap

    def add(self, text: str) -> None:
        if self.length <= self.cap:
            self.parts.append(text[: self.cap + 1 - self.length])
        self.length += len(text)

    def text(self) -> str:
        return "".join(self.parts)


@dataclass
class _Cell:
    text: _Gathered = field(default_factory=lambda: _Gathered(_MAX_CELL_GATHER))
    span: int = 1
    merge: str | None = None  # w:vMerge: "restart", "continue", or None
    paragraphs: int = 0


class Body(NoDoctype):
    """The parser target for word/document.xml. Raises Stop once it has read enough."""

    def __init__(self, builder: TextBuilder, styles: dict[str, str], default_style: str) -> None:
        self.builder = builder
        self.styles = styles
        self.default_style = default_style
        self.is_document = False  # the part's root was a Word document
        self.unreadable = 0  # paragraphs and tables left out because they could not be read
        self._role = _ROOT
        self._roles: list[int] = []  # the roles of the elements around this one
        self._ignored = 0  # depth inside an element whose content is not read
        self._elements = 0
        self._blocks = 0
        # The paragraph being read.
        self._text: _Gathered | None = None
        self._style: str | None = None
        self._numbered = False
        # The top-level table being read: its rows so far, and merged cells' text by grid column.
        self._rows: list[list[str]] = []
        self._rows_length = 0
        self._row: list[str] = []
        self._column = 0
        self._merged: dict[int, str] = {}
        self._cell: _Cell | None = None

    # The parser's calls ------------------------------------------------------------------------------------

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        # Called for every tag of the document, so kept short: most tags are ignored at once.
        self._elements += 1
        if self._elements > MAX_ELEMENTS:
            self._stop()
        if self._ignored:
            self._ignored += 1
            return
        parent = self._role
        role = _CHILDREN[parent].get(tag)
        if role is None:
            self._ignored = 1
            if parent in _ATTRIBUTES_READ:
                self._empty_element(parent, tag, attrib)
            elif parent == _ROOT:
                raise Stop  # not a Word document: is_document stays False
            return
        self._roles.append(parent)
        self._role = role
        if role == _PARAGRAPH:
            self._count_block()
            self._text = _Gathered(max(0, self.builder.max_chars - self.builder.length) + _SLACK)
            self._style, self._numbered = None, False
        elif role == _TABLE:
            self._rows, self._rows_length, self._merged = [], 0, {}
        elif role == _ROW:
            self._count_block()
            self._row, self._column = [], 0
        elif role == _CELL:
            self._cell = _Cell()
        elif role == _CELL_PARAGRAPH and self._cell is not None:
            if self._cell.paragraphs:
                self._cell.text.add("\n")
            self._cell.paragraphs += 1
        elif role == _DOCUMENT:
            self.is_document = True

    def _empty_element(self, parent: int, tag: str, attrib: dict[str, str]) -> None:
        """The few elements whose attributes, not content, are what is read."""
        if parent == _RUN:
            if tag in _CHARACTERS:
                self._gather(_CHARACTERS[tag])
            elif tag == _BREAK and attrib.get(W + "type", "textWrapping") == "textWrapping":
                self._gather("\n")
        elif parent == _PROPERTIES:
            if tag == W + "pStyle":
                self._style = attrib.get(_VAL)
            elif tag == W + "numPr":
                self._numbered = True
        elif parent == _ROW_PROPERTIES:
            if tag == W + "gridBefore":
                self._column = _number(attrib.get(_VAL), 0)
        elif parent == _CELL_PROPERTIES and self._cell is not None:
            if tag == W + "gridSpan":
                self._cell.span = max(1, _number(attrib.get(_VAL), 1))
            elif tag == W + "vMerge":
                self._cell.merge = attrib.get(_VAL, "continue")

    def data(self, text: str) -> None:
        if self._role == _TEXT and not self._ignored:
            self._gather(text)

    def end(self, tag: str) -> None:
        if self._ignored:
            self._ignored -= 1
            return
        role = self._role
        self._role = self._roles.pop()
        if role not in _ENDS_READ:
            return
        try:
            if role == _PARAGRAPH:
                self._end_paragraph()
            elif role == _CELL:
                self._end_cell()
            elif role == _ROW:
                self._end_row()
            else:
                self._end_table()
        except Stop:
            raise
        except Exception as error:
            # Odd XML in one paragraph or table should not cost the rest of the document.
            _log.warning("part of a Word document could not be read: %r", error)
            self.unreadable += 1
            self._text, self._cell, self._rows = None, None, []
        if self.builder.full:
            raise Stop

    def cut(self) -> None:
        """Ends a reading stopped early: what was being read is added, and the notes say the text was cut."""
        if self._text is not None:
            self._end_paragraph()
        if self._rows:
            self._end_table()
        self.builder.stop()

    # Reading ---------------------------------------------------------------------------------------------

    def _gather(self, text: str) -> None:
        if self._cell is not None:
            self._cell.text.add(text)
        elif self._text is not None:
            self._text.add(text)
            if self._text.over:
                # Past the limit's room: this paragraph fills the text, whatever else it holds.
                self._end_paragraph()
                self._stop()

    def _count_block(self) -> None:
        self._blocks += 1
        if self._blocks > MAX_BLOCKS:
            self._stop()

    def _stop(self) -> None:
        self.cut()
        raise Stop

    def _end_paragraph(self) -> None:
        gathered, self._text = self._text, None
        text = gathered.text().strip() if gathered is not None else ""
        if not text:
            return
        style = self.styles.get(self._style, self.default_style) if self._style else self.default_style
        level = _heading_level(style)
        builder = self.builder
        if level:
            builder.line_break(2)
            builder.anchor(heading=text)
            builder.add("#" * level + " " + " ".join(text.split()))
            builder.line_break(2)
            return
        listed = style.lower().startswith("list") or self._numbered
        builder.add(("- " if listed else "") + text)
        builder.line_break(1 if listed else 2)

    def _end_cell(self) -> None:
        cell, self._cell = self._cell, None
        if cell is None:
            return
        if cell.merge == "continue":
            # The text of the cell it continues, as python-docx reads it.
            text = self._merged.get(self._column, "")
        else:
            text = " ".join(cell.text.text().split())
            if len(text) > _MAX_CELL_CHARS:
                text = text[: _MAX_CELL_CHARS - 1] + "…"
            text = text.replace("|", "\\|")
            self._merged[self._column] = text
        self._row.append(text)
        self._column += cell.span

    def _end_row(self) -> None:
        row, self._row = self._row, []
        if not any(row):
            return
        self._rows.append(row)
        self._rows_length += sum(len(cell) + 3 for cell in row)
        if self._rows_length > self.builder.max_chars - self.builder.length:
            self._stop()  # the rows so far fill the text: the rest of the table would be cut anyway

    def _end_table(self) -> None:
        rows, self._rows, self._rows_length = self._rows, [], 0
        if not rows:
            return
        builder = self.builder
        width = max(len(row) for row in rows)
        builder.line_break(2)
        for index, row in enumerate(rows):
            builder.add("| " + " | ".join(row + [""] * (width - len(row))) + " |\n")
            if index == 0:
                builder.add("| " + " | ".join(["---"] * width) + " |\n")
        builder.line_break(2)


def _number(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _heading_level(style: str) -> int:
    if style.lower() == "title":
        return 1
    match = _HEADING_LEVEL.match(style)
    if match:
        return min(6, max(1, int(match.group(1))))
    return 1 if style.lower().startswith("heading") else 0
