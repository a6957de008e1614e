"""Hostile documents (Hearth issue 14) read through the real reader child: a plain refusal, or a read that
says it was cut, and never more memory than a modest limit allows.

Each file of the corpus is read under MODEST_LIMIT, far below the reader's real limit and below what the
old reader took for any of them (3 to 12 GB): a reader that held a whole file's XML or text would end in
"too large to read with the memory available" instead of the outcome the test expects. Times are not
asserted here; bench/hostile_documents_bench.py measures them on the full-size files.
"""

from __future__ import annotations

import multiprocessing
import re
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from app.child_process import start_child, stop_child
from app.documents.document import Document, DocumentError
from app.documents.isolation import extract_in_child
from tests.fixtures.hostile_documents import (
    SMALL_HOSTILE_FILES,
    docx_with_external_entity,
    killed_by_the_system,
    report_memory_limit,
    write_corpus,
)

MODEST_LIMIT = 512 * 1024**2
_CUT = re.compile(r"^Only the first ([\d,]+) characters \(about ([\d,]+) pages?\) are included\.$")


def cut_where_it_ends(document: Document) -> None:
    """The one note is the usual one for a cut text, and its count is the text's own."""
    assert len(document.notes) == 1, document.notes
    match = _CUT.match(document.notes[0])
    assert match, document.notes[0]
    assert int(match.group(1).replace(",", "")) == len(document.text) - 1


def cut_at_the_limit(document: Document) -> None:
    assert document.notes == ("Only the first 5,000,000 characters (about 2,500 pages) are included.",)
    assert len(document.text) <= 5_000_001


def whole(text: str) -> Callable[[Document], None]:
    def check(document: Document) -> None:
        assert document.text == text
        assert document.notes == ()

    return check


def cut_at_the_last_word(document: Document) -> None:
    cut_where_it_ends(document)
    assert document.text == "Start.\n"


def rows_counted(document: Document) -> None:
    assert document.notes == ("Only the first 20,000 of 300,000 rows are included.",)
    assert "| 20000 | item 20000 |" in document.text and "| 20001 |" not in document.text


UNPACKS_TO_MORE = "would unpack to far more than Hearth can read, so it was not opened."
# What each file of the corpus becomes: a document checked by a function, or one plain sentence.
READS: dict[str, Callable[[Document], None]] = {
    "tiny-paragraphs.docx": cut_where_it_ends,
    "giant-run.docx": cut_at_the_limit,
    "huge-table.docx": cut_where_it_ends,
    "bookmarks.docx": cut_at_the_last_word,
    "deep-controls.docx": whole("Deep.\n"),
    "markup.html": cut_where_it_ends,
    "prose.html": cut_at_the_limit,
    "deep-divs.html": whole("deep\n"),
    "rows.csv": rows_counted,
}
REFUSALS: dict[str, str] = {
    "empty-paragraphs.docx": "is empty: it has no text to read.",
    "bzip2-bomb.docx": "is damaged or is not a Word document.",
    "many-entries.docx": UNPACKS_TO_MORE,
    "huge-parts.docx": UNPACKS_TO_MORE,
    "billion-laughs.docx": "is damaged or is not a Word document.",
    "empty-pages.pdf": (
        "has no text layer: it looks like scanned images, and Hearth cannot read text in images yet."
    ),
}
# Zlib packs spaces about a thousandfold, right at the ratio past which no part is unpacked.
EITHER = "whitespace-bomb.docx"
_STARTS = {"tiny-paragraphs.docx": "a\n\na\n", "huge-table.docx": "| cell |  |\n| --- | --- |\n| cell |  |"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    write_corpus(folder)
    return folder


def test_every_file_of_the_corpus_has_an_expected_outcome() -> None:
    assert sorted([*READS, *REFUSALS, EITHER]) == sorted(hostile.name for hostile in SMALL_HOSTILE_FILES)


@pytest.mark.parametrize("name", sorted(READS))
def test_a_hostile_file_is_read_and_says_where_it_was_cut(corpus: Path, name: str) -> None:
    document = extract_in_child(corpus / name, memory_limit=MODEST_LIMIT)
    READS[name](document)
    assert document.text.startswith(_STARTS.get(name, document.text[:1]))
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_a_hostile_file_is_refused_in_plain_words(corpus: Path, name: str) -> None:
    with pytest.raises(DocumentError) as raised:
        extract_in_child(corpus / name, memory_limit=MODEST_LIMIT)
    assert str(raised.value) == f"“{name}” {REFUSALS[name]}"
    assert multiprocessing.active_children() == []


def test_a_deflate_bomb_of_spaces_is_refused_by_its_ratio_or_read_through(corpus: Path) -> None:
    path = corpus / EITHER
    with zipfile.ZipFile(path) as package:
        part = package.getinfo("word/document.xml")
    if part.file_size > 1000 * part.compress_size:
        with pytest.raises(DocumentError, match=UNPACKS_TO_MORE):
            extract_in_child(path, memory_limit=MODEST_LIMIT)
    else:
        assert extract_in_child(path, memory_limit=MODEST_LIMIT).text == "Start.\n"


def test_an_entity_naming_a_file_never_reaches_the_text(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("swordfish")
    with pytest.raises(DocumentError, match="damaged or is not a Word document"):
        extract_in_child(docx_with_external_entity(tmp_path / "xxe.docx", secret))


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS does not enforce a process's memory limit")
def test_a_file_that_needs_more_memory_than_the_limit_is_too_large_to_read(tmp_path: Path) -> None:
    # Five million empty lists: 15 MB of JSON, some 400 MB as Python objects.
    path = tmp_path / "lists.json"
    path.write_text("[" + ",".join(["[]"] * 5_000_000) + "]")
    with pytest.raises(DocumentError) as raised:
        extract_in_child(path, memory_limit=300 * 1024**2)
    assert str(raised.value) == "“lists.json” is too large to read with the memory available."
    assert multiprocessing.active_children() == []


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is how Linux and macOS end a process for memory")
def test_a_reader_the_system_kills_is_too_large_to_read(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(DocumentError) as raised:
        extract_in_child(path, entry=killed_by_the_system)
    assert str(raised.value) == "“report.pdf” is too large to read with the memory available."


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS is the limit Linux enforces")
def test_a_child_started_with_a_memory_limit_runs_under_it() -> None:
    child, receiver = start_child(report_memory_limit, (), "hearth-limit-probe", memory_limit=700 * 1024**2)
    try:
        soft, _hard = receiver.recv()
    finally:
        receiver.close()
        stop_child(child, grace_s=5.0)
    assert soft == 700 * 1024**2
