"""Reading real files of every supported kind into Documents, and refusing bad ones in plain words."""

from __future__ import annotations

import json
import os
import re
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from app.documents import extract as extract_module
from app.documents.document import Document, DocumentError, with_page_markers
from app.documents.extract import (
    SUPPORTED_SUFFIXES,
    ExtractionCancelled,
    extract,
    extract_pasted,
    kind_for,
)
from tests.fixtures.documents import (
    DocxBlock,
    DocxHeading,
    DocxParagraph,
    DocxTable,
    long_pdf_pages,
    write_docx,
    write_encrypted_pdf,
    write_image_only_pdf,
    write_long_pdf,
    write_pdf,
)

_CLASS_NAME = re.compile(r"\b\w*(Error|Exception|Warning)\b|BadZipFile|Traceback|File \"")


def refusal(path: Path) -> str:
    """The message extract gives for `path`, checked to be one plain line that names the file."""
    with pytest.raises(DocumentError) as raised:
        extract(path)
    message = str(raised.value)
    assert_plain(message, path.name)
    return message


def assert_plain(message: str, name: str) -> None:
    assert "\n" not in message
    assert f"“{name}”" in message
    assert not _CLASS_NAME.search(message), message
    assert message.endswith("."), message


def assert_anchors_valid(document: Document) -> None:
    offsets = [anchor.offset for anchor in document.anchors]
    assert offsets == sorted(offsets)
    assert all(0 <= offset < len(document.text) for offset in offsets)


def page_text(document: Document, page: int) -> str:
    """The text from page `page`'s anchor to the next page's anchor."""
    starts = {anchor.page: anchor.offset for anchor in document.anchors if anchor.page is not None}
    later = [offset for number, offset in starts.items() if number is not None and number > page]
    return document.text[starts[page] : min(later, default=len(document.text))]


# PDF -------------------------------------------------------------------------------------------------------


def test_pdf_text_is_found_on_its_page(tmp_path: Path) -> None:
    pages = [
        "Alpha page talks about otters.",
        "Beta page talks about herons.",
        "Gamma page talks about newts.",
    ]
    path = write_pdf(tmp_path / "animals.pdf", pages)

    document = extract(path)

    assert document.name == "animals.pdf"
    assert document.kind == "PDF"
    assert document.mime == "application/pdf"
    assert document.page_count == 3
    assert document.size == path.stat().st_size
    assert [anchor.page for anchor in document.anchors] == [1, 2, 3]
    assert_anchors_valid(document)
    assert "newts" in page_text(document, 3)
    assert "otters" not in page_text(document, 3)
    index = document.text.index("herons")
    assert document.anchor_at(index) == document.anchors[1]
    assert "[Page 3]\nGamma page" in with_page_markers(document)
    assert document.notes == ()


def test_pdf_sha256_is_of_the_original_bytes(tmp_path: Path) -> None:
    import hashlib

    path = write_pdf(tmp_path / "a.pdf", ["Some text."])
    assert extract(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_long_pdf_marker_is_on_its_page(tmp_path: Path) -> None:
    marker = "The cobalt giraffe sleeps at noon."
    path = write_long_pdf(tmp_path / "long.pdf", page_count=40, marker_page=23, marker=marker)

    document = extract(path)

    assert document.page_count == 40
    assert document.text.count("cobalt giraffe") == 1
    assert document.anchor_at(document.text.index("cobalt giraffe")) == next(
        anchor for anchor in document.anchors if anchor.page == 23
    )
    assert long_pdf_pages(40, 23, marker)[0] != long_pdf_pages(40, 23, marker)[1]


def test_password_protected_pdf_is_refused_plainly(tmp_path: Path) -> None:
    path = write_encrypted_pdf(tmp_path / "report.pdf", ["Confidential numbers."])
    message = refusal(path)
    assert message == (
        "“report.pdf” is protected by a password. Open it, save an unprotected copy, and attach that."
    )


def test_pdf_encrypted_with_an_empty_password_is_read(tmp_path: Path) -> None:
    path = write_encrypted_pdf(tmp_path / "restricted.pdf", ["Readable despite the lock."], password="")
    assert "Readable despite the lock." in extract(path).text


def test_image_only_pdf_has_no_text_layer(tmp_path: Path) -> None:
    message = refusal(write_image_only_pdf(tmp_path / "scan.pdf", page_count=3))
    assert "has no text layer" in message
    assert "scanned images" in message


def test_partly_scanned_pdf_notes_the_pages_without_text(tmp_path: Path) -> None:
    pages = ["One.", "Two.", "", "Four.", "Five.", "", "", "", "Nine."]
    document = extract(write_pdf(tmp_path / "mixed.pdf", pages))

    assert document.notes == ("Pages 3, 6–8 have no text (scanned images?).",)
    assert document.page_count == 9
    assert len(document.anchors) == 9
    assert_anchors_valid(document)
    assert "Nine." in page_text(document, 9)
    assert document.anchor_at(document.text.index("Four.")) == document.anchors[3]


def test_one_blank_page_is_noted_in_the_singular(tmp_path: Path) -> None:
    document = extract(write_pdf(tmp_path / "one.pdf", ["Text.", "", "More text."]))
    assert document.notes == ("Page 2 has no text (scanned image?).",)


def test_trailing_empty_pages_keep_valid_anchors(tmp_path: Path) -> None:
    document = extract(write_pdf(tmp_path / "tail.pdf", ["Only the first page has text.", "", ""]))
    assert_anchors_valid(document)
    assert document.anchor_at(0) == document.anchors[0]


def test_truncated_pdf_is_damaged(tmp_path: Path) -> None:
    good = write_pdf(tmp_path / "good.pdf", ["Some text that will be cut."]).read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(good[: len(good) // 3])
    try:
        document = extract(path)
    except DocumentError as error:
        assert_plain(str(error), "cut.pdf")
    else:  # pypdf may rebuild enough of a cut file to find its first page
        assert document.text.strip()


def test_not_a_pdf_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "fake.pdf"
    path.write_bytes(b"This is just some text pretending to be a PDF.\n" * 20)
    assert refusal(path) == "“fake.pdf” is damaged or not really a PDF."


def test_pdf_progress_rises_to_one_and_cancel_stops(tmp_path: Path) -> None:
    path = write_long_pdf(tmp_path / "long.pdf", page_count=12, marker_page=2, marker="Marker.")
    seen: list[float] = []
    extract(path, progress=seen.append)
    assert seen[0] == 0.0
    assert seen[-1] == 1.0
    assert seen == sorted(seen)
    assert len(seen) >= 12

    cancel = threading.Event()

    def stop_after_three(fraction: float) -> None:
        if fraction >= 3 / 12:
            cancel.set()

    with pytest.raises(ExtractionCancelled) as raised:
        extract(path, progress=stop_after_three, cancel=cancel)
    assert_plain(str(raised.value), "long.pdf")
    assert "cancelled" in str(raised.value)


def test_already_cancelled_reads_nothing(tmp_path: Path) -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(ExtractionCancelled):
        extract(write_pdf(tmp_path / "a.pdf", ["Text."]), cancel=cancel)


# Word ------------------------------------------------------------------------------------------------------


def test_docx_headings_tables_and_order(tmp_path: Path) -> None:
    document = extract(write_docx(tmp_path / "report.docx"))

    assert document.kind == "Word document"
    assert [anchor.heading for anchor in document.anchors] == ["Quarterly report", "Sales", "Outlook"]
    assert_anchors_valid(document)
    text = document.text
    assert text.startswith("# Quarterly report\n")
    assert "## Outlook" in text
    assert "| Region | Revenue |\n| --- | --- |\n| North | 1200 |\n| South | 950 |" in text
    order = ["first quarter", "# Sales", "grew by twelve", "| North", "table above", "## Outlook", "- Hire"]
    positions = [text.index(piece) for piece in order]
    assert positions == sorted(positions)
    assert document.anchor_at(text.index("| South")) == document.anchors[1]
    assert document.text[document.anchors[1].offset :].startswith("# Sales")


def test_docx_merged_and_ragged_tables(tmp_path: Path) -> None:
    blocks: list[DocxBlock] = [
        DocxParagraph("Before."),
        DocxTable([["A", "B", "C"], ["1", "2"], ["x|y", "", "z"]]),
    ]
    document = extract(write_docx(tmp_path / "t.docx", blocks))
    assert "| A | B | C |" in document.text
    assert "| 1 | 2 |  |" in document.text
    assert "x\\|y" in document.text


def test_docx_without_text_is_empty(tmp_path: Path) -> None:
    message = refusal(write_docx(tmp_path / "blank.docx", [DocxParagraph("   ")]))
    assert "is empty" in message


def test_random_bytes_docx_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "junk.docx"
    path.write_bytes(bytes(range(256)) * 10)
    assert refusal(path) == "“junk.docx” is damaged or is not a Word document."


def damaged_docx(tmp_path: Path, name: str, body: Callable[[bytes], bytes | None]) -> Path:
    """A real docx with its word/document.xml changed by `body` (None: left out)."""
    good = write_docx(tmp_path / "good.docx")
    path = tmp_path / name
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data: bytes | None = source.read(item)
            if item.filename == "word/document.xml" and data is not None:
                data = body(data)
            if data is not None:
                target.writestr(item, data)
    return path


def test_docx_without_its_document_part_is_damaged(tmp_path: Path) -> None:
    path = damaged_docx(tmp_path, "broken.docx", lambda _xml: None)
    assert refusal(path) == "“broken.docx” is damaged or is not a Word document."


def test_docx_with_broken_xml_is_damaged(tmp_path: Path) -> None:
    path = damaged_docx(tmp_path, "badxml.docx", lambda xml: xml[: len(xml) // 2])
    assert "damaged" in refusal(path)


def test_old_word_documents_get_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    assert "save it as .docx" in refusal(path)


def test_docx_heading_levels(tmp_path: Path) -> None:
    blocks: list[DocxBlock] = [
        DocxHeading("Top", 1),
        DocxParagraph("a"),
        DocxHeading("Deep", 3),
        DocxParagraph("b"),
    ]
    document = extract(write_docx(tmp_path / "levels.docx", blocks))
    assert "# Top\n" in document.text
    assert "### Deep\n" in document.text


# Text, code, Markdown ------------------------------------------------------------------------------------


def test_utf16_text_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Grüße aus Köln — 東京\nSecond line", encoding="utf-16")
    document = extract(path)
    assert document.text == "Grüße aus Köln — 東京\nSecond line\n"
    assert document.kind == "Text"


def test_utf16_without_a_bom_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_bytes("Plain words exported by an old tool.\r\n".encode("utf-16-le") * 3)
    assert extract(path).text.startswith("Plain words exported by an old tool.\nPlain words")


def test_latin1_text_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "recette.txt"
    text = "La crème brûlée est un dessert français. Il faut des œufs, du sucre et de la crème fraîche.\n" * 5
    path.write_bytes(text.replace("œ", "oe").encode("latin-1"))
    assert "crème brûlée est un dessert français" in extract(path).text


def test_utf8_with_bom_and_crlf_is_normalized(tmp_path: Path) -> None:
    path = tmp_path / "win.txt"
    words = "Some ordinary words. " * 10
    path.write_bytes(f"\ufeff{words}\r\nSecond  \r\n\r\n\r\n\r\n\r\n\r\nThird\x07!\r\n".encode())
    assert extract(path).text == f"{words.rstrip()}\nSecond\n\n\nThird!\n"


def test_binary_renamed_to_txt_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)) * 40)
    message = refusal(path)
    assert message.startswith("“photo.txt” does not look like text")


def test_binary_without_nul_bytes_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(b for b in range(1, 32) if b not in b"\t\n\r") * 200)
    assert "does not look like text" in refusal(path)


def test_empty_and_blank_files_are_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.md"
    blank.write_text("  \n\n\t \n")
    assert refusal(empty) == "“empty.txt” is empty."
    assert "is empty" in refusal(blank)


def test_python_code_is_fenced(tmp_path: Path) -> None:
    path = tmp_path / "tool.py"
    path.write_text("def main() -> None:\n    print('hi')\n")
    document = extract(path)
    assert document.kind == "Python code"
    assert document.text == "```python\ndef main() -> None:\n    print('hi')\n```\n"


def test_code_containing_fences_gets_a_longer_fence(tmp_path: Path) -> None:
    path = tmp_path / "doc.js"
    path.write_text("const s = `\n```\ninside\n```\n`;\n")
    text = extract(path).text
    assert text.startswith("````javascript\n")
    assert text.endswith("\n````\n")


def test_markdown_headings_are_anchors(tmp_path: Path) -> None:
    path = tmp_path / "guide.md"
    path.write_text(
        "Intro line.\n\n# Install\n\nRun it.\n\n```sh\n# not a heading\n```\n\n"
        "## Use it ##\nDone.\n#hashtag\n"
    )
    document = extract(path)
    assert [anchor.heading for anchor in document.anchors] == ["Install", "Use it"]
    assert document.text[document.anchors[0].offset :].startswith("# Install")
    assert document.text[document.anchors[1].offset :].startswith("## Use it")
    assert document.kind == "Markdown"


def test_text_past_the_limit_is_cut_with_a_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract_module, "MAX_TEXT_CHARS", 1000)
    path = tmp_path / "big.txt"
    path.write_text("word " * 5000)
    document = extract(path)
    assert len(document.text) <= 1001
    assert document.notes == ("Only the first 1,000 characters (about 1 page) are included.",)


def test_cut_pdf_keeps_anchors_inside_the_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract_module, "MAX_TEXT_CHARS", 4000)
    document = extract(write_long_pdf(tmp_path / "long.pdf", 10, 1, "Marker."))
    assert_anchors_valid(document)
    assert document.page_count == 10
    assert 2 <= len(document.anchors) < 10
    assert any("Only the first 4,000 characters" in note for note in document.notes)


# CSV, JSON, HTML -----------------------------------------------------------------------------------------


def test_csv_becomes_a_markdown_table(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("name;age;city\nAda;36;London\nAlan;41;Wilmslow\n")
    document = extract(path)
    assert document.kind == "CSV table"
    assert document.text == (
        "| name | age | city |\n| --- | --- | --- |\n| Ada | 36 | London |\n| Alan | 41 | Wilmslow |\n"
    )
    assert document.notes == ()


def test_tsv_and_quoted_cells(tmp_path: Path) -> None:
    path = tmp_path / "t.tsv"
    path.write_text('a\tb\n"multi\nline"\tplain\n')
    assert "| multi line | plain |" in extract(path).text


def test_big_csv_is_cut_with_row_counts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.documents.formats import tabular

    monkeypatch.setattr(tabular, "MAX_ROWS", 500)
    path = tmp_path / "big.csv"
    path.write_text("id,value\n" + "".join(f"{i},v{i}\n" for i in range(1, 1201)))
    seen: list[float] = []
    document = extract(path, progress=seen.append)
    assert document.notes == ("Only the first 500 of 1,200 rows are included.",)
    assert "| 500 | v500 |" in document.text
    assert "| 501 |" not in document.text
    assert [anchor.heading for anchor in document.anchors] == ["Rows 1–200", "Rows 201–400", "Rows 401–500"]
    assert document.text[document.anchors[1].offset :].startswith("| id | value |\n| --- | --- |\n| 201 |")
    assert seen == sorted(seen)


def test_csv_cut_by_the_text_limit_counts_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract_module, "MAX_TEXT_CHARS", 2000)
    path = tmp_path / "wide.csv"
    path.write_text("id,value\n" + "".join(f"{i},value number {i}\n" for i in range(1, 301)))
    document = extract(path)
    note = next(note for note in document.notes if "rows" in note)
    kept = int(re.findall(r"first ([\d,]+) of 300 rows", note)[0])
    assert f"| {kept} | value number {kept} |" in document.text
    assert f"| {kept + 1} |" not in document.text


def test_json_is_pretty_printed(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text('{"name":"Hearth","tags":["offline","chat"],"ünï":1}')
    document = extract(path)
    assert document.text == json.dumps(json.loads(path.read_text()), indent=2, ensure_ascii=False) + "\n"
    assert document.kind == "JSON"


def test_invalid_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "a": 1,\n  "b": \n}\n')
    message = refusal(path)
    assert message.startswith("“broken.json” is not valid JSON (line 4")


def test_deep_json_does_not_crash(tmp_path: Path) -> None:
    for depth in (600, 100_000):
        path = tmp_path / f"deep{depth}.json"
        path.write_text("[" * depth + "]" * depth)
        try:
            document = extract(path)
        except DocumentError as error:
            assert_plain(str(error), path.name)
        else:
            assert document.text.startswith("[")


def test_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text('{"a": 1}\n\n{"b": 2}\n')
    assert extract(path).text == '{\n  "a": 1\n}\n\n{\n  "b": 2\n}\n'
    misnamed = tmp_path / "log.json"
    misnamed.write_text('{"a": 1}\n{"b": 2}\n')
    assert '"b": 2' in extract(misnamed).text


def test_html_text_without_scripts_or_styles(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<!doctype html><html><head><title>My page</title><style>body { color: red }</style>"
        "<script>var leaked = 1;</script></head><body>"
        "<h1>My page</h1><p>First <b>bold</b> paragraph.</p><script>alert(1)</script>"
        "<noscript>Enable JavaScript</noscript><!-- secret comment -->"
        "<h2>Details &amp; more</h2><ul><li>one</li><li>two</li></ul>"
        "<template><p>hidden template</p></template><script/>alert(2)</script>"
        "<h3>End</h3><p>Last<br>line</p><h4>Minor</h4><table><tr><td>a</td><td>b</td></tr></table>"
        "</body></html>"
    )
    document = extract(path)
    text = document.text
    for hidden in ("alert", "color", "leaked", "Enable JavaScript", "secret comment", "hidden template"):
        assert hidden not in text
    assert "First bold paragraph." in text
    assert "- one\n- two" in text
    assert "Last\nline" in text
    assert "a | b" in text
    assert [anchor.heading for anchor in document.anchors] == ["My page", "Details & more", "End"]
    assert text.startswith("# My page\n\nFirst bold paragraph.")
    assert document.text[document.anchors[1].offset :].startswith("## Details & more")
    assert document.kind == "Web page"


def test_html_title_becomes_the_first_heading(tmp_path: Path) -> None:
    path = tmp_path / "t.htm"
    path.write_text("<title>Shop hours</title><p>Open at nine.</p><h2>Sunday</h2><p>Closed.</p>")
    document = extract(path)
    assert document.text == "# Shop hours\n\nOpen at nine.\n\n## Sunday\n\nClosed.\n"
    assert [anchor.heading for anchor in document.anchors] == ["Shop hours", "Sunday"]


def test_html_unclosed_script_hides_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "evil.html"
    path.write_text("<p>Visible.</p><script>document.write('<p>evil</p>')")
    assert extract(path).text == "Visible.\n"


def test_html_declared_charset(tmp_path: Path) -> None:
    path = tmp_path / "old.html"
    body = '<meta charset="windows-1252"><p>Prix : 5 € — très bon</p>' * 3
    path.write_bytes(body.encode("cp1252"))
    assert "Prix : 5 € — très bon" in extract(path).text


# Limits, missing files, types ----------------------------------------------------------------------------


def test_huge_file_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.pdf"
    with path.open("wb") as file:
        file.truncate(500 * 1024 * 1024)  # sparse: takes no disk space

    def no_reading(self: Path, *args: object, **kwargs: object) -> object:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    monkeypatch.setattr(Path, "read_bytes", no_reading)
    message = refusal(path)
    assert message == "“huge.pdf” is too large (524 MB; Hearth reads files up to 100 MB)."


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_missing_file_folder_and_pipe(tmp_path: Path) -> None:
    assert "could not be found" in refusal(tmp_path / "gone.txt")
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    assert "is a folder" in refusal(folder)
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    assert "is not an ordinary file" in refusal(pipe)


@pytest.mark.parametrize(
    "name", ["setup.exe", "photo.png", "bundle.zip", "sheet.xlsx", "slides.pptx", "x.doc"]
)
def test_unsupported_types_are_refused_with_what_is_supported(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\0\1\2 not really")
    message = refusal(path)
    assert kind_for(name) is None
    if name == "setup.exe":
        assert message == (
            "Hearth cannot read .exe files like “setup.exe”. Hearth can read PDF, Word (.docx), text, "
            "Markdown, CSV, JSON, web pages and source code."
        )


def test_kind_for_and_supported_suffixes() -> None:
    assert kind_for("Report.PDF") == "PDF"
    assert kind_for("a.docx") == "Word document"
    assert kind_for("notes.txt") == "Text"
    assert kind_for("README.md") == "Markdown"
    assert kind_for("main.py") == "Python code"
    assert kind_for("data.csv") == "CSV table"
    assert kind_for("x.json") == "JSON"
    assert kind_for("index.html") == "Web page"
    assert kind_for("Makefile") == "Makefile"
    assert kind_for("LICENSE") == "Text"
    assert kind_for("a.exe") is None
    assert {
        ".pdf",
        ".docx",
        ".txt",
        ".md",
        ".py",
        ".csv",
        ".tsv",
        ".json",
        ".html",
        ".yaml",
    } <= SUPPORTED_SUFFIXES
    assert all(suffix == suffix.lower() and suffix.startswith(".") for suffix in SUPPORTED_SUFFIXES)
    assert all(kind_for("file" + suffix) for suffix in SUPPORTED_SUFFIXES)


def test_pasted_text() -> None:
    document = extract_pasted("Line one\r\nLine two\n")
    assert document.name == "Pasted text.txt"
    assert document.kind == "Text"
    assert document.text == "Line one\nLine two\n"
    assert document.size == len(b"Line one\r\nLine two\n")
    code = extract_pasted("x = 1\n", name="snippet.py")
    assert code.text == "```python\nx = 1\n```\n"
    with pytest.raises(DocumentError) as raised:
        extract_pasted("   \n")
    assert_plain(str(raised.value), "Pasted text.txt")
    assert extract_pasted("Plain words.", name="notes.pdf").kind == "Text"
    assert extract_pasted("Copied\0 from a terminal\r\n").text == "Copied from a terminal\n"
