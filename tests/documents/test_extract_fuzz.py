"""Whatever bytes a file holds, extract returns a Document or raises DocumentError: never anything else."""

from __future__ import annotations

import functools
import io
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.documents.document import Document, DocumentError
from app.documents.extract import extract
from tests.fixtures.documents import write_docx, write_pdf

SUFFIXES = [".pdf", ".docx", ".txt", ".csv", ".json", ".html", ".md"]
TEXT_SUFFIXES = [".txt", ".csv", ".json", ".html", ".md"]

# A third of the profile's examples per test: the file has many tests, and parsing a PDF is not free.
EXAMPLES = max(20, settings().max_examples // 3)

_VALID_TEXT = {
    ".txt": "Plain notes.\nSecond line with ümlauts and 東京.\n",
    ".csv": 'name,age,"quoted, cell"\nAda,36,"x ""y"""\nAlan,41,z\n',
    ".json": '{"name": "Hearth", "list": [1, 2.5, null, true, {"deep": ["a", "b"]}], "ü": "\\u00fc"}',
    ".html": "<html><head><title>T</title><script>alert(1)</script></head><body><h1>Head</h1>"
    "<p>Para <b>bold</b> &amp; more</p><table><tr><td>a</td></tr></table></body></html>",
    ".md": "# Title\n\nSome text.\n\n```python\n# comment\n```\n\n## Next ##\n- item\n",
}


@functools.cache
def valid_bytes(suffix: str) -> bytes:
    if suffix in _VALID_TEXT:
        return _VALID_TEXT[suffix].encode()
    with tempfile.TemporaryDirectory() as folder:
        if suffix == ".pdf":
            return write_pdf(
                Path(folder) / "seed.pdf", ["First page of text.", "", "Third page."]
            ).read_bytes()
        return write_docx(Path(folder) / "seed.docx").read_bytes()


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """`original` with a few bytes changed, a piece cut out or inserted, or its end cut off."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        operation = draw(st.sampled_from(["flip", "truncate", "delete", "insert"]))
        position = draw(st.integers(0, len(data) - 1))
        if operation == "flip":
            data[position] = draw(st.integers(0, 255))
        elif operation == "truncate":
            del data[position:]
        elif operation == "delete":
            del data[position : position + draw(st.integers(1, 64))]
        else:
            data[position:position] = draw(st.binary(min_size=1, max_size=16))
    return bytes(data)


@st.composite
def docx_with_mutated_xml(draw: st.DrawFn) -> bytes:
    """A well-formed zip whose document.xml is damaged: python-docx gets past the zip and meets bad XML."""
    source = zipfile.ZipFile(io.BytesIO(valid_bytes(".docx")))
    xml = draw(mutated(source.read("word/document.xml")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, xml if item.filename == "word/document.xml" else source.read(item))
    return out.getvalue()


def check(folder: Path, suffix: str, data: bytes) -> None:
    path = folder / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        document = extract(path)
    except DocumentError as error:
        message = str(error)
        assert "\n" not in message
        assert path.name in message
        assert "Traceback" not in message
    else:
        assert isinstance(document, Document)
        assert document.text.strip()
        offsets = [anchor.offset for anchor in document.anchors]
        assert offsets == sorted(offsets)
        assert all(0 <= offset < len(document.text) for offset in offsets)
        assert "\0" not in document.text
        assert "\r" not in document.text


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.mark.parametrize("suffix", SUFFIXES)
@settings(max_examples=EXAMPLES)
@given(data=st.binary(max_size=4096))
def test_random_bytes(folder: Path, suffix: str, data: bytes) -> None:
    check(folder, suffix, data)


@pytest.mark.parametrize("suffix", SUFFIXES)
@settings(max_examples=EXAMPLES)
@given(data=st.data())
def test_mutated_valid_files(folder: Path, suffix: str, data: st.DataObject) -> None:
    check(folder, suffix, data.draw(mutated(valid_bytes(suffix))))


@pytest.mark.parametrize("suffix", TEXT_SUFFIXES)
@settings(max_examples=EXAMPLES)
@given(text=st.text(max_size=2000))
def test_random_text(folder: Path, suffix: str, text: str) -> None:
    check(folder, suffix, text.encode("utf-8", "surrogatepass"))


@settings(max_examples=EXAMPLES)
@given(data=docx_with_mutated_xml())
def test_docx_with_damaged_xml(folder: Path, data: bytes) -> None:
    check(folder, ".docx", data)


@settings(max_examples=EXAMPLES)
@given(
    markup=st.lists(
        st.sampled_from(
            [
                "<script>",
                "</script>",
                "<style>",
                "</style>",
                "<h1>",
                "</h1>",
                "<h2>",
                "<p>",
                "</p>",
                "<title>",
                "</title>",
                "<!--",
                "-->",
                "<![CDATA[",
                "]]>",
                "<pre>",
                "</pre>",
                "<br/>",
                "<script/>",
                "<svg/>",
                "<noscript>",
                "</noscript>",
                "&amp;",
                "&#0;",
                "&#xD800;",
                "<td>",
                "<li>",
                "secret()",
                "words ",
            ]
        ),
        max_size=40,
    )
)
def test_html_tag_soup_never_leaks_script(folder: Path, markup: list[str]) -> None:
    text = "visible " + "".join(markup)
    check(folder, ".html", text.encode())
    # After an opening script tag that nothing closes (and no comment can have swallowed), all is code.
    opened = text.find("<script")
    if opened < 0 or "</script>" in text[opened:] or "<!" in text:
        return
    try:
        document = extract(folder / "fuzz.html")
    except DocumentError:
        return
    assert document.text.count("secret()") <= text[:opened].count("secret()")
