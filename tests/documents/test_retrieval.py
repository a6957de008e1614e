"""Cutting documents into passages, and the words a question is searched by."""

from __future__ import annotations

import itertools
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from app.documents.document import Anchor, Document
from app.documents.retrieval import (
    CHUNK_CHARS,
    OVERLAP_CHARS,
    chunk_document,
    citation_label,
    question_words,
    spread,
    to_new_attachment,
)
from app.reply_stats import DocumentUse
from tests.fixtures.paged import paged_document as paged
from tests.fixtures.paged import prose


def test_passages_stay_on_their_page_and_carry_its_number() -> None:
    document = paged("report.pdf", [prose(n, 900) for n in range(5)])
    chunks = chunk_document(document)
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    for chunk in chunks:
        assert chunk.page is not None
        start = document.anchors[chunk.page - 1].offset
        end = document.anchors[chunk.page].offset if chunk.page < 5 else len(document.text)
        # Every word of a passage comes from its own page (overlap included).
        page_words = set(document.text[start:end].split())
        assert set(chunk.text.split()) <= page_words
    assert {c.page for c in chunks} == {1, 2, 3, 4, 5}


def test_long_pages_are_cut_with_overlap_and_nothing_is_lost() -> None:
    page = prose(3, 2000)  # about 14,000 characters, one paragraph
    chunks = chunk_document(paged("long.pdf", [page]))
    assert len(chunks) > 5
    assert all(len(c.text) <= CHUNK_CHARS + OVERLAP_CHARS + 2 for c in chunks)
    for before, after in itertools.pairwise(chunks):
        # The start of each passage repeats the end of the one before.
        assert after.text.split()[0] in before.text.split()[-40:]
    joined = " ".join(c.text for c in chunks)
    assert set(page.split()) <= set(joined.split())


def test_sections_without_pages_are_cited_by_heading() -> None:
    text = "Intro words here.\n\nResults are good.\n"
    document = Document(
        name="notes.md",
        kind="Markdown",
        mime="text/markdown",
        size=len(text),
        sha256="0" * 64,
        text=text,
        anchors=(Anchor(0, heading="Intro"), Anchor(text.index("Results"), heading="Results")),
    )
    chunks = chunk_document(document)
    assert [(c.heading, c.page) for c in chunks] == [("Intro", None), ("Results", None)]
    assert citation_label("notes.md", None, "Results") == "notes.md § Results"
    assert citation_label("report.pdf", 4) == "report.pdf p. 4"
    assert citation_label("plain.txt", None, "", 2) == "plain.txt part 3"


def test_new_attachment_keeps_text_anchors_and_details() -> None:
    document = paged("a.pdf", ["first page", "second page"])
    new = to_new_attachment(document)
    assert new.text == document.text
    assert new.anchors == ((0, 1, ""), (11, 2, ""))
    assert new.page_count == 2
    assert [c.text for c in new.chunks] == ["first page", "second page"]


@given(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=6000),
    st.lists(st.integers(min_value=0, max_value=6000), max_size=20),
)
def test_chunking_any_text_covers_every_word(text: str, offsets: list[int]) -> None:
    anchors = tuple(
        Anchor(o, page=i + 1) for i, o in enumerate(sorted({o for o in offsets if o <= len(text)}))
    )
    document = Document("x.txt", "Text", "text/plain", len(text), "0" * 64, text, anchors)
    chunks = chunk_document(document)
    covered = set(" ".join(c.text for c in chunks).split())
    # Anchors may split a word in two; every whole word between anchors must survive.
    bounds = [0, *(a.offset for a in anchors), len(text)]
    for start, end in itertools.pairwise(bounds):
        for word in text[start:end].split():
            assert word in covered
    assert all(c.text.strip() for c in chunks)


def test_question_words_drop_filler() -> None:
    assert question_words("What does the contract say about the TERMINATION fee, please?") == [
        "contract",
        "termination",
        "fee",
    ]
    assert question_words("Summarise this document") == []
    assert question_words("Clause 7 and 7 again") == ["clause", "7"]


def test_spread_samples_the_whole_document() -> None:
    assert spread(212, 4) == [0, 70, 141, 211]
    assert spread(3, 8) == [0, 1, 2]
    assert spread(0, 8) == []
    assert spread(10, 1) == [0]


def test_describe_says_which_mode_was_used() -> None:
    assert DocumentUse(1, "a.pdf", "whole").describe() == "Read the whole document: a.pdf"
    use = DocumentUse(2, "r.pdf", "passages", passages_used=6, passages_total=212)
    assert use.describe() == "Used the 6 most relevant passages of 212 from r.pdf"
    one = replace(use, passages_used=1)
    assert one.describe() == "Used the 1 most relevant passage of 212 from r.pdf"
    assert replace(use, passages_used=3, passages_total=3).describe() == "Used all 3 passages of r.pdf"
    assert "No passage" in replace(use, passages_used=0).describe()
