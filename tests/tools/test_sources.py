"""What the browser can reach: this conversation's documents, and other conversations only when allowed."""

from __future__ import annotations

from app.documents.retrieval import to_new_attachment
from app.store import HistoryStore
from app.tools import PAST_CONVERSATIONS_SETTING, Browser, StoreSources, past_conversations_allowed
from tests.fixtures.paged import paged_document
from tests.tools.library import allow_past_conversations, browser_for, call, make_library


def test_past_conversations_stay_closed_unless_the_conversation_allows_them(store: HistoryStore) -> None:
    library = make_library(store)
    address = f'{{"id": "conversation://{library.past_conversation_id}"}}'
    for allowed in (None, False):
        if allowed is not None:
            allow_past_conversations(library, allowed)
        browser = browser_for(library)
        searched = call(browser, "browser.search", '{"query": "Lisbon weather"}')
        assert "past conversation" not in searched.text
        assert searched.activity.summary == "Searched the documents for “Lisbon weather”: nothing found"
        assert call(browser, "browser.open", address).text == "That conversation cannot be opened here."

    allow_past_conversations(library)
    browser = browser_for(library)
    assert "【0†Holiday plans†past conversation】" in call(browser, "browser.search", '"Lisbon"').text
    opened = call(browser, "browser.open", address)
    assert opened.text.startswith(f"[1] Holiday plans (conversation://{library.past_conversation_id})")


def test_the_setting_must_be_a_real_yes() -> None:
    assert past_conversations_allowed({PAST_CONVERSATIONS_SETTING: True})
    for value in (False, "true", 1, None):
        assert not past_conversations_allowed({PAST_CONVERSATIONS_SETTING: value})
    assert not past_conversations_allowed({})


def test_this_conversation_is_not_one_of_the_past_ones(store: HistoryStore) -> None:
    library = make_library(store)
    allow_past_conversations(library)
    browser = browser_for(library)
    # "leave early" is this conversation's own question: not listed, and not openable as a past one.
    searched = call(browser, "browser.search", '{"query": "leave early"}')
    assert "past conversation" not in searched.text
    own = f'{{"id": "conversation://{library.conversation_id}"}}'
    assert call(browser, "browser.open", own).text == "That conversation cannot be opened here."


def test_documents_of_other_conversations_are_out_of_reach(store: HistoryStore) -> None:
    library = make_library(store)
    other = store.create_conversation("Other")
    message = store.add_message(
        other, "user", "q", attachments=[to_new_attachment(paged_document("secret.pdf", ["Salary: 90,000."]))]
    )
    [secret] = store.attachments_for([message])[message]
    browser = browser_for(library)
    assert "secret" not in call(browser, "browser.search", '{"query": "salary"}').text
    refused = call(browser, "browser.open", f'{{"id": "attachment://{secret.id}/secret.pdf"}}')
    assert refused.text.startswith("That document is not attached here.")
    assert call(browser, "browser.open", '"secret.pdf"').text.startswith("There is no document `secret.pdf`")
    # The caller decides which documents are in play; those alone are.
    only = Browser(StoreSources(store, other, [secret]))
    assert "【0†Page 1†secret.pdf】" in call(only, "browser.search", '{"query": "salary"}').text


def test_a_conversation_without_documents_has_nothing_to_search(store: HistoryStore) -> None:
    conversation = store.create_conversation()
    store.add_message(conversation, "user", "Hello")
    browser = Browser(StoreSources.for_conversation(store, conversation))
    result = call(browser, "browser.search", '{"query": "lease"}')
    assert result.text == "No documents are attached to this conversation, so there is nothing to search."
    assert result.activity.kind == "refused"
    assert call(browser, "browser.open", '"lease.pdf"').text == (
        "There is no document `lease.pdf` here. No documents are attached to this conversation."
    )
