"""The streaming Word reader reads what python-docx reads, and stops where the limits say.

`python_docx_text` is the reader Hearth had before (python-docx on the whole tree), kept here as the
oracle: on ordinary documents the streaming reader must give exactly its text and headings.
"""

from __future__ import annotations

import io
import re
import threading
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.oxml.text.paragraph import CT_P
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.table import Table
from docx.text.paragraph import Paragraph
from hypothesis import given, settings
from hypothesis import strategies as st

from app.documents import extract as extract_module
from app.documents.extract import ExtractionCancelled, extract
from app.documents.formats import word_body
from tests.fixtures.documents import DocxBlock, DocxHeading, DocxParagraph, DocxTable, write_docx
from tests.fixtures.hostile_documents import docx_with_external_entity, write_docx_part

_HEADING = re.compile(r"heading\s*(\d)", re.IGNORECASE)


def python_docx_text(path: Path) -> tuple[str, list[str]]:
    """The text and headings of Hearth's python-docx reader, before the text builder tidied them."""
    document = docx.Document(str(path))
    pieces: list[str] = []
    headings: list[str] = []

    def blocks(parent: BaseOxmlElement) -> list[BaseOxmlElement]:
        found: list[BaseOxmlElement] = []
        for child in parent.iterchildren():
            if isinstance(child, CT_P | CT_Tbl):
                found.append(child)
            elif child.tag == qn("w:sdt") and child.find(qn("w:sdtContent")) is not None:
                found.extend(blocks(child.find(qn("w:sdtContent"))))
        return found

    for element in blocks(document.element.body):
        if isinstance(element, CT_Tbl):
            rows = []
            for row in Table(element, document).rows:
                cells, previous = [], None
                for cell in row.cells:
                    if cell._tc is not previous:
                        previous = cell._tc
                        cells.append(" ".join(cell.text.split()).replace("|", "\\|"))
                if any(cells):
                    rows.append(cells)
            width = max((len(row) for row in rows), default=0)
            for index, row in enumerate(rows):
                pieces.append("| " + " | ".join(row + [""] * (width - len(row))) + " |")
                if index == 0:
                    pieces.append("| " + " | ".join(["---"] * width) + " |")
            continue
        assert isinstance(element, CT_P)
        paragraph = Paragraph(element, document)
        text = paragraph.text.strip()
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        match = _HEADING.match(style)
        level = 1 if style.lower() == "title" else int(match.group(1)) if match else 0
        if level:
            headings.append(" ".join(text.split())[:200])  # as the builder keeps an anchor's heading
            pieces.append("#" * level + " " + " ".join(text.split()))
        else:
            numbered = element.pPr is not None and element.pPr.numPr is not None
            listed = style.lower().startswith("list") or numbered
            pieces.append(("- " if listed else "") + text)
    return "\n".join(pieces), headings


def lines(text: str) -> str:
    """Text compared line by line: the builder's blank lines between blocks are not the point here."""
    return "\n".join(line.rstrip() for line in text.splitlines() if line.strip())


def assert_reads_like_python_docx(path: Path) -> None:
    document = extract(path)
    expected, headings = python_docx_text(path)
    assert lines(document.text) == lines(expected)
    assert [anchor.heading for anchor in document.anchors] == headings


_WORDS = st.text(alphabet="abcdefgh |\t", min_size=1, max_size=30).filter(str.strip)
_BLOCKS = st.lists(
    st.one_of(
        st.builds(DocxHeading, _WORDS, st.integers(0, 4)),
        st.builds(DocxParagraph, _WORDS, st.sampled_from([None, "List Bullet", "List Number", "Quote"])),
        st.builds(DocxTable, st.lists(st.lists(_WORDS, min_size=1, max_size=4), min_size=1, max_size=4)),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=40)
@given(blocks=_BLOCKS)
def test_any_ordinary_document_reads_as_python_docx_reads_it(
    tmp_path_factory: pytest.TempPathFactory, blocks: list[DocxBlock]
) -> None:
    path = write_docx(tmp_path_factory.mktemp("word") / "any.docx", blocks)
    assert_reads_like_python_docx(path)


def test_merged_cells_are_read_once_per_row(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for row, values in zip(
        table.rows, [["Region", "Q1", "Q2"], ["North", "1", "2"], ["", "3", "4"]], strict=True
    ):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    table.cell(0, 1).merge(table.cell(0, 2))  # a header spanning two columns
    table.cell(1, 0).merge(table.cell(2, 0))  # a region spanning two rows
    path = tmp_path / "merged.docx"
    document.save(str(path))
    assert_reads_like_python_docx(path)
    text = extract(path).text
    assert "| Region | Q1 Q2 |  |" in text
    assert "| North | 3 | 4 |" in text  # the merged cell is read in the row it continues into


def test_runs_links_breaks_and_content_controls(tmp_path: Path) -> None:
    body = [
        b'<w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t>Plan</w:t></w:r></w:p>',
        b"<w:p><w:r><w:t>one</w:t><w:tab/><w:t>two</w:t><w:br/><w:t>three</w:t>"
        b'<w:br w:type="page"/><w:noBreakHyphen/></w:r>'
        b'<w:hyperlink r:id="rId9"><w:r><w:t xml:space="preserve"> linked </w:t></w:r></w:hyperlink>'
        b"<w:r><w:drawing><w:t>inside a drawing</w:t></w:drawing></w:r></w:p>",
        b"<w:sdt><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>In a control.</w:t></w:r></w:p>"
        b"<w:sdt><w:sdtContent><w:p><w:r><w:t>Deeper.</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        b"</w:sdtContent></w:sdt>",
        b'<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
        b"<w:r><w:t>Numbered.</w:t></w:r></w:p>",
        b"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>outer</w:t></w:r></w:p>"
        b"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>nested</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
        b"</w:tc></w:tr></w:tbl>",
    ]
    path = write_docx_part(tmp_path / "runs.docx", body)
    assert_reads_like_python_docx(path)
    document = extract(path)
    assert document.text.startswith("## Plan\n\none\ttwo\nthree- linked\n\nIn a control.\n\nDeeper.")
    assert "- Numbered." in document.text
    assert "nested" not in document.text and "drawing" not in document.text


def test_styles_are_found_by_their_id_through_the_relationships(tmp_path: Path) -> None:
    """Word in German names its heading style "berschrift1"; its name is still "heading 1"."""
    good = write_docx(tmp_path / "good.docx", [DocxParagraph("x")])
    styles = (
        b'<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="http://schemas.openxmlformats.org/'
        b'wordprocessingml/2006/main"><w:style w:type="paragraph" w:default="1" w:styleId="Standard">'
        b'<w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="berschrift1">'
        b'<w:name w:val="heading 1"/></w:style></w:styles>'
    )
    path = tmp_path / "german.docx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b'Target="styles.xml"', b'Target="formats/mine.xml"')
            if item.filename == "word/document.xml":
                data = data.replace(
                    b"<w:body>",
                    b'<w:body><w:p><w:pPr><w:pStyle w:val="berschrift1"/></w:pPr>'
                    b"<w:r><w:t>Einleitung</w:t></w:r></w:p>",
                )
            target.writestr(item, data)
        target.writestr("word/formats/mine.xml", styles)
    document = extract(path)
    assert document.text.startswith("# Einleitung\n")
    assert [anchor.heading for anchor in document.anchors] == ["Einleitung"]


def test_a_zip_that_is_no_word_document_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "sheet.docx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("word/document.xml", b"<workbook><sheet>1</sheet></workbook>")
    with pytest.raises(extract_module.DocumentError, match=r"^“sheet\.docx” is damaged or is not a Word"):
        extract(path)


def test_an_entity_naming_a_file_is_refused_unread(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the password is swordfish")
    path = docx_with_external_entity(tmp_path / "xxe.docx", secret)
    with pytest.raises(extract_module.DocumentError) as refused:
        extract(path)
    assert str(refused.value) == "“xxe.docx” is damaged or is not a Word document."


def test_the_text_limit_cuts_a_long_document_as_it_streams(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(extract_module, "MAX_TEXT_CHARS", 1000)
    path = write_docx(
        tmp_path / "long.docx", [DocxParagraph(f"Paragraph {n} of many words.") for n in range(300)]
    )
    document = extract(path)
    assert len(document.text) <= 1001
    assert document.notes == ("Only the first 1,000 characters (about 1 page) are included.",)


def test_a_paragraph_or_element_count_past_its_cap_stops_the_reading_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_docx(tmp_path / "many.docx", [DocxParagraph(f"Line {n}.") for n in range(50)])
    monkeypatch.setattr(word_body, "MAX_BLOCKS", 10)
    document = extract(path)
    assert "Line 9." in document.text and "Line 10." not in document.text
    assert document.notes == (
        f"Only the first {len(document.text) - 1} characters (about 1 page) are included.",
    )
    monkeypatch.setattr(word_body, "MAX_BLOCKS", 1000)
    monkeypatch.setattr(word_body, "MAX_ELEMENTS", 40)
    document = extract(path)
    assert "Line 0." in document.text and "Line 49." not in document.text
    assert len(document.notes) == 1 and document.notes[0].startswith("Only the first")


def test_progress_rises_and_cancel_stops_a_word_document(tmp_path: Path) -> None:
    blocks = [DocxParagraph(f"Paragraph {n} " + "word " * 40) for n in range(3000)]
    path = write_docx(tmp_path / "big.docx", blocks)
    seen: list[float] = []
    extract(path, progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) > 10
    cancel = threading.Event()
    with pytest.raises(ExtractionCancelled):
        extract(path, progress=lambda fraction: cancel.set() if fraction > 0.2 else None, cancel=cancel)


def test_a_document_part_named_otherwise_is_found(tmp_path: Path) -> None:
    good = write_docx(tmp_path / "good.docx", [DocxParagraph("Found by its relationship.")])
    path = tmp_path / "renamed.docx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            name = item.filename
            if name == "_rels/.rels":
                data = data.replace(b'Target="word/document.xml"', b'Target="/word/main.xml"')
            name = {
                "word/document.xml": "word/main.xml",
                "word/_rels/document.xml.rels": "word/_rels/main.xml.rels",
            }.get(name, name)
            target.writestr(name, data)
    assert "Found by its relationship." in extract(path).text
    buffer = io.BytesIO(path.read_bytes())
    assert "word/document.xml" not in zipfile.ZipFile(buffer).namelist()
