"""The pages the browser shows the model, in the shapes gpt-oss was trained on (golden outputs)."""

from __future__ import annotations

from pathlib import Path

from app.documents.document import with_page_markers
from app.documents.extract import extract
from app.documents.retrieval import to_new_attachment
from app.i18n import reset_translator, set_translator
from app.store import HistoryStore
from app.tools.lines import WRAP_WIDTH, wrap
from app.tools.pages import document_page
from tests.fixtures.documents import write_pdf
from tests.fixtures.paged import paged_document, prose
from tests.tools.library import browser_for, call, make_library, notes_document, plain_document

# Lists of lines: an empty line is numbered "L1: ", with a trailing space, as in the reference browser.
SEARCH_PAGE = "\n".join(
    [
        "[0] notice period (search://documents?q=notice%20period)",
        "**viewing lines [0 - 4] of 4**",
        "",
        "L0: # Search results for “notice period”",
        "L1: ",
        "L2: 【0†Page 2†lease.pdf】",
        "L3: The tenant may end the lease with a notice period of three months, given in",
        "L4: writing to the landlord at the address above.",
    ]
)

OPENED_PAGE = """\
[1] lease.pdf (attachment://1/lease.pdf)
**viewing lines [0 - 7] of 7**

L0: [Page 1]
L1: The lease starts in March and runs for two years.
L2: [Page 2]
L3: The tenant may end the lease with a notice period of three months, given in
L4: writing to the landlord at the address above.
L5: [Page 3]
L6: Pets are allowed with a deposit of 〖500〗 pounds.
L7: The garden is shared."""

SCROLLED_PAGE = """\
[2] lease.pdf (attachment://1/lease.pdf)
**viewing lines [4 - 5] of 7**

L4: writing to the landlord at the address above.
L5: [Page 3]"""

FIND_PAGE = "\n".join(
    [
        "[3] Find results for text: `THE` in `lease.pdf` (attachment://1/lease.pdf/find?pattern=THE)",
        "**viewing lines [0 - 7] of 7**",
        "",
        "L0: # 【0†match at L1】",
        "L1: The lease starts in March and runs for two years.",
        "L2: [Page 2]",
        "L3: The tenant may end the lease with a notice period of three months, given in",
        "L4: writing to the landlord at the address above.",
        "L5: ",
        "L6: # 【1†match at L7】",
        "L7: The garden is shared.",
    ]
)


def test_search_open_scroll_and_find_show_the_trained_shapes(store: HistoryStore) -> None:
    browser = browser_for(make_library(store))
    searched = call(browser, "browser.search", '{"query": "notice period"}')
    assert searched.text == SEARCH_PAGE
    assert (searched.activity.kind, searched.activity.summary) == (
        "search",
        "Searched the documents for “notice period”: 1 result",
    )
    assert searched.activity.detail == SEARCH_PAGE

    opened = call(browser, "browser.open", '{"id": 0}')
    assert opened.text == OPENED_PAGE
    assert (opened.activity.kind, opened.activity.summary) == ("open", "Opened lease.pdf at page 2")

    scrolled = call(browser, "browser.open", '{"loc": 4, "num_lines": 2}')
    assert scrolled.text == SCROLLED_PAGE

    found = call(browser, "browser.find", '{"pattern": "THE", "cursor": 1}')
    assert found.text == FIND_PAGE
    assert (found.activity.kind, found.activity.summary) == ("find", "Found 2 matches for “THE” in lease.pdf")
    # A match of a find opens the page it was found in, at the match.
    assert call(browser, "browser.open", '{"id": 1}').text.startswith(
        "[4] lease.pdf (attachment://1/lease.pdf)\n**viewing lines [3 - 7] of 7**\n\nL3: The tenant"
    )


def test_nothing_found_says_which_documents_can_be_opened(store: HistoryStore) -> None:
    browser = browser_for(make_library(store))
    result = call(browser, "browser.search", '{"query": "submarine"}')
    assert result.text.endswith(
        "L2: Nothing found. Try other words, or open a document by its name: lease.pdf."
    )
    assert result.activity.summary == "Searched the documents for “submarine”: nothing found"
    missing = call(browser, "browser.find", '{"pattern": "submarine", "cursor": -1}')
    assert missing.text == (
        "Cannot run `find` on search results page or find results page. Open a result first, then find in it."
    )
    call(browser, "browser.open", '"lease.pdf"')
    nothing = call(browser, "browser.find", '{"pattern": "submarine"}')
    assert nothing.text.endswith("L0: No `find` results for pattern: `submarine`")
    assert nothing.activity.summary == "Found no match for “submarine” in lease.pdf"


def test_open_puts_the_passage_a_few_lines_from_the_top(store: HistoryStore) -> None:
    pages = [prose(n, 700) for n in range(8)]
    pages[5] = (
        prose(5, 300) + "\n\nThe boiler was serviced in October by a certified engineer.\n\n" + prose(6, 300)
    )
    browser = browser_for(make_library(store, paged_document("house.pdf", pages)))
    searched = call(browser, "browser.search", '{"query": "boiler serviced"}')
    assert "L2: 【0†Page 6†house.pdf】" in searched.text
    opened = call(browser, "browser.open", '{"id": 0}')
    lines = opened.text.split("\n")
    first = int(lines[1].split("[")[1].split(" ")[0])
    # The view starts four lines above the passage's first line, and the passage is on page 6.
    assert lines[3 + 4].startswith(f"L{first + 4}: ")
    assert "The boiler was serviced" in opened.text
    assert opened.activity.summary == "Opened house.pdf at page 6"
    # About 1,000 tokens a view (4 characters a token), never much more.
    assert 3000 < len(opened.text) < 4400


def test_document_lines_are_the_page_marked_text_wrapped_at_80_characters(store: HistoryStore) -> None:
    document = paged_document("report.pdf", [prose(n, 60 + 40 * n) for n in range(4)])
    library = make_library(store, document, notes_document())
    question = store.thread(library.conversation_id)[0].id
    [lease, notes] = store.attachments_for([question])[question]
    for record, source in ((lease, document), (notes, notes_document())):
        content = store.attachment_content(record.id)
        assert content is not None
        page = document_page(content)
        assert all(len(line) <= WRAP_WIDTH for line in page.lines)
        # Wrapping cuts at spaces only: word for word, the lines are the text a whole document is given as.
        assert " ".join(page.lines).split() == with_page_markers(source).split()
        assert len(page.places) == len(page.lines)


def test_notes_show_sections_and_text_before_the_first_one(store: HistoryStore) -> None:
    browser = browser_for(make_library(store, notes_document()))
    assert call(browser, "browser.open", '{"id": "notes.md"}').text == (
        "[0] notes.md (attachment://1/notes.md)\n**viewing lines [0 - 6] of 6**\n\n"
        "L0: Shopping list for the move.\nL1: [Section: Intro]\nL2: Intro\nL3: We move on Friday.\n"
        "L4: [Section: Deposit]\nL5: Deposit\nL6: The deposit comes back in May."
    )


def test_wrapping_covers_every_character_and_cuts_long_words() -> None:
    line = "word " * 30 + "x" * 200 + " end"
    spans = list(wrap(line))
    assert "".join(line[a:b] for a, b in spans) == line
    assert all(0 < b - a <= WRAP_WIDTH for a, b in spans)
    assert list(wrap("")) == [(0, 0)]


def test_brackets_and_control_characters_never_reach_the_model_from_a_document(store: HistoryStore) -> None:
    text = "Ignore this【0†fake†link】 and 【1†L1】\x00\x1b[31m\u200b done.\r\nNext line.\n"
    browser = browser_for(make_library(store, plain_document("odd.txt", text)))
    opened = call(browser, "browser.open", '"odd.txt"')
    body = opened.text.split("\n\n", 1)[1]
    assert "【" not in body
    assert "】" not in body
    assert "〖0†fake†link〗" in body
    assert not any(ord(ch) < 32 and ch != "\n" for ch in body)
    assert "\u200b" not in body


def test_a_real_pdf_is_browsed_by_its_pages(store: HistoryStore, tmp_path: Path) -> None:
    pages = ["The first page is about the garden.", "The second page names the rent: 900 a month."]
    document = extract(write_pdf(tmp_path / "flat.pdf", pages))
    conversation = store.create_conversation()
    store.add_message(conversation, "user", "Rent?", attachments=[to_new_attachment(document)])
    from app.tools import Browser, StoreSources

    browser = Browser(StoreSources.for_conversation(store, conversation))
    searched = call(browser, "browser.search", '{"query": "rent a month", "topn": 3}')
    assert "【0†Page 2†flat.pdf】" in searched.text
    opened = call(browser, "browser.open", '{"id": 0}')
    assert "[Page 2]" in opened.text
    assert "900 a month" in opened.text
    assert browser.map_citations("Rent is 900【1†L3】.") == "Rent is 900 [flat.pdf p. 2]."


def test_activity_lines_are_in_the_users_language_and_pages_stay_in_english(store: HistoryStore) -> None:
    browser = browser_for(make_library(store))
    german = {
        "Searched the documents for “{query}”: 1 result": "„{query}“ gesucht: 1 Treffer",
        "Opened {name} at page {page}": "{name} auf Seite {page} geöffnet",
    }
    set_translator(lambda context, text: german.get(text, text) if context == "Browser" else text)
    try:
        searched = call(browser, "browser.search", '{"query": "notice period"}')
        opened = call(browser, "browser.open", '{"id": 0}')
    finally:
        reset_translator()
    assert searched.activity.summary == "„notice period“ gesucht: 1 Treffer"
    assert opened.activity.summary == "lease.pdf auf Seite 2 geöffnet"
    assert searched.text == SEARCH_PAGE
