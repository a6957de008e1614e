"""A small library for browser tests: a history with real attached documents, and a way to call the tool."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

from app.documents.document import Anchor, Document
from app.documents.retrieval import to_new_attachment
from app.engine.tools import ToolCall, ToolResult
from app.store import HistoryStore
from app.tools import PAST_CONVERSATIONS_SETTING, Browser, StoreSources
from tests.fixtures.paged import paged_document

LEASE_PAGES = [
    "The lease starts in March and runs for two years.",
    "The tenant may end the lease with a notice period of three months, given in writing to the "
    "landlord at the address above.",
    "Pets are allowed with a deposit of 【500】 pounds.\nThe garden is shared.",
]

NOTES_TEXT = (
    "Shopping list for the move.\nIntro\nWe move on Friday.\nDeposit\nThe deposit comes back in May.\n"
)


def notes_document() -> Document:
    """A document without pages: a text before the first heading, then two sections."""
    text = NOTES_TEXT
    return Document(
        name="notes.md",
        kind="Markdown",
        mime="text/markdown",
        size=len(text),
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        text=text,
        anchors=(
            Anchor(text.index("Intro"), heading="Intro"),
            Anchor(text.index("Deposit"), heading="Deposit"),
        ),
    )


def plain_document(name: str, text: str) -> Document:
    return Document(
        name=name,
        kind="Plain text",
        mime="text/plain",
        size=len(text),
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        text=text,
    )


@dataclass(frozen=True)
class Library:
    store: HistoryStore
    conversation_id: int
    past_conversation_id: int


def make_library(store: HistoryStore, *documents: Document) -> Library:
    """A past conversation about a holiday, then a conversation with `documents` (default: the lease)
    attached to its first question."""
    past = store.create_conversation("Holiday plans")
    question = store.add_message(past, "user", "Where should we go in May?")
    store.add_message(past, "assistant", "Lisbon has mild weather in May.", parent_id=question)
    conversation = store.create_conversation("Flat")
    attached = documents or (paged_document("lease.pdf", LEASE_PAGES),)
    store.add_message(
        conversation, "user", "Can I leave early?", attachments=[to_new_attachment(d) for d in attached]
    )
    return Library(store, conversation, past)


def allow_past_conversations(library: Library, allowed: bool = True) -> None:
    library.store.set_conversation_options(
        library.conversation_id, settings={PAST_CONVERSATIONS_SETTING: allowed}
    )


def browser_for(library: Library) -> Browser:
    return Browser(StoreSources.for_conversation(library.store, library.conversation_id))


def call(browser: Browser, recipient: str, arguments: str = "") -> ToolResult:
    return browser.run(ToolCall(recipient, "analysis", "json", arguments), threading.Event())
