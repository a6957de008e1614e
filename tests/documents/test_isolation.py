"""Reading documents in a child process: the same results and plain errors, cancel, and a dying reader."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest

from app.documents import isolation
from app.documents.document import Document, DocumentError
from app.documents.extract import ExtractionCancelled, extract
from app.documents.isolation import extract_in_child, read_document
from tests.fixtures.child_readers import die_at_once, fail_with_a_bug
from tests.fixtures.documents import write_encrypted_pdf, write_long_pdf, write_pdf

MARKER = "The ferry leaves at noon from the north pier."


def test_a_child_reads_exactly_what_the_app_would(tmp_path: Path) -> None:
    path = write_long_pdf(tmp_path / "timetable.pdf", page_count=12, marker_page=7, marker=MARKER)
    fractions: list[float] = []
    document = extract_in_child(path, progress=fractions.append)
    assert document == extract(path)
    assert document.page_count == 12 and MARKER in document.text
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(fractions) >= 12
    assert multiprocessing.active_children() == []


def test_the_childs_plain_words_reach_the_user(tmp_path: Path) -> None:
    path = write_encrypted_pdf(tmp_path / "locked.pdf", ["secret"])
    with pytest.raises(DocumentError) as in_child:
        extract_in_child(path)
    with pytest.raises(DocumentError) as here:
        extract(path)
    assert str(in_child.value) == str(here.value)
    assert "password" in str(in_child.value)


def test_cancel_stops_the_child_at_once(tmp_path: Path) -> None:
    path = write_long_pdf(tmp_path / "long.pdf", page_count=150, marker_page=3, marker=MARKER)
    cancel = threading.Event()
    with pytest.raises(ExtractionCancelled, match=r"^Reading “long\.pdf” was cancelled\.$"):
        extract_in_child(path, progress=lambda _fraction: cancel.set(), cancel=cancel)
    assert multiprocessing.active_children() == []


def test_a_reader_that_dies_is_a_plain_message(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "crash.pdf", ["page"])
    with pytest.raises(DocumentError) as caught:
        extract_in_child(path, entry=die_at_once)
    assert str(caught.value) == (
        "“crash.pdf” could not be read: the reader stopped unexpectedly. The file may be damaged."
    )


def test_a_bug_in_the_reader_is_not_disguised_as_the_files_fault(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "fine.pdf", ["page"])
    with pytest.raises(RuntimeError, match="ValueError: a bug in a reader"):
        extract_in_child(path, entry=fail_with_a_bug)


def test_small_text_is_read_here_and_pdfs_and_big_files_in_a_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    children: list[str] = []

    def in_child(path: Path, **_options: object) -> Document:
        children.append(path.name)
        return extract(path)

    monkeypatch.setattr(isolation, "extract_in_child", in_child)
    small = tmp_path / "small.txt"
    small.write_text("A short note.\n", encoding="utf-8")
    big = tmp_path / "big.txt"
    big.write_text("A long line of words.\n" * 50_000, encoding="utf-8")  # 1.1 MB
    pdf = write_pdf(tmp_path / "one.pdf", ["one page"])
    for path in (small, big, pdf):
        assert read_document(path).name == path.name
    assert children == ["big.txt", "one.pdf"]
    with pytest.raises(DocumentError, match="could not be found"):
        read_document(tmp_path / "missing.txt")
