"""Attachments stored with their message, their passages indexed, ranked and deleted with the conversation."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from app.store import HistoryStore, NewAttachment, NewChunk, migrate
from app.store.migrations import SCHEMA_VERSION
from app.store.search import SNIPPET_END, SNIPPET_START


def attachment(name: str, pages: list[str], **extra: object) -> NewAttachment:
    text, anchors = "", []
    for number, page in enumerate(pages, start=1):
        anchors.append((len(text), number, ""))
        text += page + "\n"
    chunks = tuple(NewChunk(i, page, page=i + 1) for i, page in enumerate(pages))
    fields: dict[str, object] = {
        "name": name,
        "kind": "PDF",
        "mime": "application/pdf",
        "size": 1234,
        "sha256": "ab" * 32,
        "text": text,
        "anchors": tuple(anchors),
        "page_count": len(pages),
        "notes": ("Page 2 has no text (scanned images?).",),
        "chunks": chunks,
    }
    fields.update(extra)
    return NewAttachment(**fields)  # type: ignore[arg-type]


PAGES = [
    "The lease starts in March and runs for two years.",
    "",
    "The termination fee is three months of rent, payable on notice.",
    "Pets are allowed with a deposit. The garden is shared.",
]


def test_a_message_and_its_attachments_are_stored_together(store: HistoryStore) -> None:
    conversation = store.create_conversation()
    message = store.add_message(
        conversation, "user", "What is the fee?", attachments=[attachment("lease.pdf", PAGES)]
    )
    found = store.attachments_for([message])
    assert list(found) == [message]
    [record] = found[message]
    assert (record.name, record.kind, record.page_count, record.chunk_count) == ("lease.pdf", "PDF", 4, 4)
    assert record.notes == ("Page 2 has no text (scanned images?).",)
    assert record.chars == len("\n".join(PAGES)) + 1
    content = store.attachment_content(record.id)
    assert content is not None
    assert content.text.startswith("The lease starts")
    assert content.anchors[2] == (content.text.index("The termination"), 3, "")
    assert store.attachments_for([]) == {}


def test_the_best_passage_is_the_page_with_the_answer(store: HistoryStore) -> None:
    conversation = store.create_conversation()
    message = store.add_message(conversation, "user", "q", attachments=[attachment("lease.pdf", PAGES)])
    [record] = store.attachments_for([message])[message]
    best = store.best_chunks([record.id], ["termination", "fees"], limit=3)
    # Porter stemming: "fees" finds "fee".
    assert best[0].page == 3
    assert best[0].attachment_name == "lease.pdf"
    assert store.get_chunk(best[0].id) == best[0]
    assert [c.page for c in store.chunks_at(record.id, [0, 3])] == [1, 4]
    # In the order asked, skipping ids that are not there.
    assert [c.page for c in store.chunks_by_id([best[0].id, 10_000, best[0].id - 2])] == [3, 1]
    # Operators and quotes typed by the user are only text.
    assert store.best_chunks([record.id], ['"', "NEAR(", "*", "NOT", "OR"], limit=3) == []
    assert store.best_chunks([record.id], [], limit=3) == []


def test_retrieval_only_looks_at_the_attachments_asked_for(store: HistoryStore) -> None:
    one = store.create_conversation()
    two = store.create_conversation()
    first = store.add_message(one, "user", "q", attachments=[attachment("lease.pdf", PAGES)])
    second = store.add_message(
        two, "user", "q", attachments=[attachment("other.pdf", ["termination of a contract"])]
    )
    [mine] = store.attachments_for([first])[first]
    [theirs] = store.attachments_for([second])[second]
    assert {c.attachment_id for c in store.best_chunks([mine.id], ["termination"], 10)} == {mine.id}
    assert {c.attachment_id for c in store.best_chunks([theirs.id], ["termination"], 10)} == {theirs.id}


def test_deleting_the_conversation_deletes_attachments_and_their_index(
    store: HistoryStore, tmp_path: Path
) -> None:
    conversation = store.create_conversation()
    message = store.add_message(conversation, "user", "q", attachments=[attachment("lease.pdf", PAGES)])
    [record] = store.attachments_for([message])[message]
    store.delete_conversation(conversation)
    assert store.attachment_content(record.id) is None
    assert store.best_chunks([record.id], ["termination"], 5) == []
    with closing(sqlite3.connect(store.path)) as raw:
        assert raw.execute("SELECT count(*) FROM chunks").fetchone()[0] == 0
        raw.execute("INSERT INTO chunks_fts (chunks_fts) VALUES ('integrity-check')")


def test_a_failed_write_stores_neither_message_nor_attachment(store: HistoryStore) -> None:
    conversation = store.create_conversation()
    duplicate = attachment("lease.pdf", PAGES, chunks=(NewChunk(0, "a"), NewChunk(0, "b")))
    with pytest.raises(Exception, match="UNIQUE"):
        store.add_message(conversation, "user", "q", attachments=[duplicate])
    assert store.thread(conversation) == []


def test_attachments_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    with HistoryStore(path) as store:
        conversation = store.create_conversation()
        message = store.add_message(conversation, "user", "q", attachments=[attachment("lease.pdf", PAGES)])
    with HistoryStore(path) as store:
        [record] = store.attachments_for([message])[message]
        assert record.name == "lease.pdf"
        assert store.best_chunks([record.id], ["pets"], 1)[0].page == 4


def test_upgrade_from_version_3_indexes_existing_chunks(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    with closing(sqlite3.connect(path)) as raw:
        raw.isolation_level = None
        migrate(raw, target=3)
        raw.execute("INSERT INTO conversations (id, created_at, updated_at) VALUES (1, 't', 't')")
        raw.execute(
            "INSERT INTO messages (id, conversation_id, role, content, created_at) "
            "VALUES (1, 1, 'user', 'q', 't')"
        )
        raw.execute(
            "INSERT INTO attachments (id, message_id, name, mime, sha256, size, text) "
            "VALUES (1, 1, 'old.txt', 'text/plain', 'x', 3, 'harbour lanterns')"
        )
        raw.execute("INSERT INTO chunks (attachment_id, ordinal, text) VALUES (1, 0, 'harbour lanterns')")
    with HistoryStore(path) as store:
        [record] = store.attachments_for([1])[1]
        # Rows from before details existed still read as something sensible.
        assert (record.kind, record.page_count, record.notes) == ("text/plain", None, ())
        assert [c.text for c in store.best_chunks([1], ["lantern"], 5)] == ["harbour lanterns"]
    assert SCHEMA_VERSION >= 4


def test_history_search_finds_words_inside_attachments(store: HistoryStore) -> None:
    conversation = store.create_conversation("Flat hunting")
    message = store.add_message(
        conversation, "user", "Is this lease fair?", attachments=[attachment("lease.pdf", PAGES)]
    )
    store.add_message(conversation, "assistant", "The garden sounds nice.", parent_id=message)
    hits = store.search("termination")
    assert [(h.message_id, h.role, h.conversation_title) for h in hits] == [
        (message, "attachment", "Flat hunting")
    ]
    assert hits[0].snippet.startswith(f"lease.pdf: The {SNIPPET_START}termination{SNIPPET_END} fee")
    # A word in a message and in its attachment: the message first, the attachment not listed twice.
    assert [(h.role) for h in store.search("garden")] == ["assistant", "attachment"]
    assert [(h.role) for h in store.search("lease")] == ["user"]


def test_an_edit_copies_the_attachments_of_the_question_it_replaces(store: HistoryStore) -> None:
    cid = store.create_conversation()
    asked = store.add_message(cid, "user", "What is the fee?", attachments=[attachment("lease.pdf", PAGES)])
    edited = store.add_message(cid, "user", "And the deposit?", attachments_from=asked)
    original = store.attachments_for([asked])[asked][0]
    (copy,) = store.attachments_for([edited])[edited]
    assert copy.id != original.id
    assert (copy.name, copy.kind, copy.size, copy.sha256, copy.chunk_count, copy.chars) == (
        original.name,
        original.kind,
        original.size,
        original.sha256,
        original.chunk_count,
        original.chars,
    )
    content = store.attachment_content(copy.id)
    assert content is not None and content.text == store.attachment_content(original.id).text  # type: ignore[union-attr]
    assert store.versions(cid, [asked, edited]) == {asked: [asked, edited], edited: [asked, edited]}
    assert store.versions(cid, [asked + 1000]) == {}
    # The copy's passages are searchable like the original's: both questions are found through them.
    found = {hit.message_id for hit in store.search("termination")}
    assert {asked, edited} <= found
