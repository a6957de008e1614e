"""The model's citations of browser pages become Hearth's labels, which the window links."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from hypothesis import given
from hypothesis import strategies as st

from app.documents.retrieval import citation_label
from app.store import HistoryStore
from app.tools import Browser, CitationStream, Place, map_citations
from tests.fixtures.paged import paged_document
from tests.tools.library import (
    LEASE_PAGES,
    allow_past_conversations,
    browser_for,
    call,
    make_library,
    notes_document,
    plain_document,
)

_MARKER = re.compile(r"【[^】]*†[^】]*】")


def _lease_open(store: HistoryStore) -> Browser:
    """A browser that searched (cursor 0) and opened lease.pdf whole (cursor 1, lines 0 to 7)."""
    browser = browser_for(make_library(store))
    call(browser, "browser.search", '{"query": "notice period"}')
    call(browser, "browser.open", '{"id": 0}')
    return browser


def test_a_line_and_a_span_become_page_labels(store: HistoryStore) -> None:
    browser = _lease_open(store)
    # L3 is on page 2; L1-L3 spans pages 1 and 2; L0 is the marker line of page 1.
    assert browser.map_citations("You may leave early【1†L3】.") == "You may leave early [lease.pdf p. 2]."
    assert browser.map_citations("It runs two years【1†L1-L3】") == "It runs two years [lease.pdf pp. 1-2]"
    assert browser.map_citations("Start【1†L0】 and end【1†L7-L6】.") == (
        "Start [lease.pdf p. 1] and end [lease.pdf p. 3]."
    )
    # Lines of a search results page cite the result they belong to.
    assert browser.map_citations("Three months【0†L3-L4】.") == "Three months [lease.pdf p. 2]."
    # The label is exactly the one retrieval gives passages, which the window links.
    assert browser.map_citations("【1†L3】") == f"[{citation_label('lease.pdf', 2)}]"


def test_the_places_cited_are_listed_once_each_for_linking(store: HistoryStore) -> None:
    browser = _lease_open(store)
    question = next(m for m in store.thread(store.list_conversations()[0].id) if m.role == "user")
    [record] = store.attachments_for([question.id])[question.id]
    places = browser.cited_places("a【1†L3】 b【1†L1-L4】 c【0†L3】 d【9†L1】 e【1†L7】")
    assert [(p.name, p.attachment_id, p.page) for p in places] == [
        ("lease.pdf", record.id, 2),
        ("lease.pdf", record.id, 1),
        ("lease.pdf", record.id, 3),
    ]


def test_citations_that_cannot_be_mapped_are_removed(store: HistoryStore) -> None:
    browser = _lease_open(store)
    assert browser.map_citations("Rent is due monthly【7†L3】.") == "Rent is due monthly."
    assert browser.map_citations("Past the end【1†L80-L90】, made up【1†lease.pdf】【x†y】.") == (
        "Past the end, made up."
    )
    # The blank line between results shows nothing; brackets without a dagger are the answer's own.
    assert browser.map_citations("a【0†L1】 b 【note】") == "a b 【note】"
    # A stray bracket before a citation goes with it; an answer cut mid-citation loses the stub.
    assert browser.map_citations("x 【see 【1†L3】 y") == "x [lease.pdf p. 2] y"
    assert browser.map_citations("Three months【1†L3") == "Three months"


def test_the_same_page_cited_twice_in_a_row_is_labelled_once(store: HistoryStore) -> None:
    browser = _lease_open(store)
    assert browser.map_citations("Notice【1†L3】【1†L4】【0†L3】.") == "Notice [lease.pdf p. 2]."
    assert browser.map_citations("A【1†L1】 B【1†L1】") == "A [lease.pdf p. 1] B [lease.pdf p. 1]"


def test_documents_without_pages_cite_their_section_or_their_name(store: HistoryStore) -> None:
    library = make_library(
        store, notes_document(), plain_document("todo.txt", "Buy boxes.\nCall the bank.\n")
    )
    browser = browser_for(library)
    call(browser, "browser.open", '"notes.md"')
    call(browser, "browser.open", '"todo.txt"')
    # notes.md: L0 is before the first section, L1-L3 "Intro", L4-L6 "Deposit".
    assert browser.map_citations("a【0†L0】 b【0†L3】 c【0†L5-L6】 d【0†L2-L5】 e【1†L1】") == (
        "a [notes.md] b [notes.md § Intro] c [notes.md § Deposit] d [notes.md] e [todo.txt]"
    )
    assert citation_label("notes.md", None, "Intro") == "notes.md § Intro"


def test_past_conversations_are_cited_by_their_title(store: HistoryStore) -> None:
    library = make_library(store)
    allow_past_conversations(library)
    browser = browser_for(library)
    searched = call(browser, "browser.search", '{"query": "Lisbon weather"}')
    assert "【0†Holiday plans†past conversation】" in searched.text
    assert searched.activity.summary == (
        "Searched the documents and past conversations for “Lisbon weather”: 1 result"
    )
    opened = call(browser, "browser.open", '{"id": 0}')
    assert opened.text.endswith(
        "L0: [User]\nL1: Where should we go in May?\nL2: \n"
        "L3: [Assistant]\nL4: Lisbon has mild weather in May."
    )
    assert opened.activity.summary == "Opened the past conversation “Holiday plans”"
    assert browser.map_citations("Lisbon【1†L4】.") == "Lisbon [conversation “Holiday plans”]."


def test_a_citation_split_across_pieces_is_mapped_whole(store: HistoryStore) -> None:
    browser = _lease_open(store)
    stream = browser.citation_stream()
    pieces = ["Three months", "【", "1†L", "3", "】", " notice.", " Deposit【1†L6", "-L7】", " done【9"]
    shown = [stream.feed(piece) for piece in pieces]
    assert shown[:5] == ["Three months", "", "", "", " [lease.pdf p. 2]"]
    assert "".join(shown) + stream.finish() == (
        "Three months [lease.pdf p. 2] notice. Deposit [lease.pdf p. 3] done"
    )


def test_labels_cannot_bring_back_the_marks(store: HistoryStore) -> None:
    odd = paged_document("a【1†L1】b.pdf", LEASE_PAGES)
    browser = browser_for(make_library(store, odd))
    call(browser, "browser.open", '"a【1†L1】b.pdf"')
    assert browser.map_citations("x【0†L1】") == "x [a〖1‡L1〗b.pdf p. 1]"


# -- properties ---------------------------------------------------------------------------------------

_PAGES: dict[int, Sequence[Place | None]] = {
    0: [None, Place("r.pdf", attachment_id=1, page=1), Place("r.pdf", attachment_id=1, page=2)],
    1: [Place("notes.md", attachment_id=2, heading="A"), Place("Trip", conversation_id=4)],
}


def _lookup(cursor: int) -> Sequence[Place | None] | None:
    return _PAGES.get(cursor)


_PIECE = st.sampled_from(
    [
        "【",
        "】",
        "†",
        "L",
        "-",
        "0",
        "1",
        "2",
        "9",
        " ",
        "a",
        "\n",
        "(",
        "【0†L1】",
        "【1†L0-L1】",
        "【0†L2",
        "〗",
    ]
)


@given(st.text() | st.lists(_PIECE, max_size=40).map("".join))
def test_mapping_never_raises_and_never_leaves_a_marker(text: str) -> None:
    mapped = map_citations(text, _lookup)
    assert _MARKER.search(mapped) is None


@given(st.lists(_PIECE, max_size=40).map("".join), st.lists(st.integers(0, 60), max_size=8))
def test_streaming_gives_the_same_text_as_mapping_the_whole(text: str, cuts: list[int]) -> None:
    stream = CitationStream(_lookup)
    bounds = sorted({0, len(text), *(min(c, len(text)) for c in cuts)})
    pieces = [stream.feed(text[a:b]) for a, b in itertools.pairwise(bounds)]
    assert "".join(pieces) + stream.finish() == map_citations(text, _lookup)
