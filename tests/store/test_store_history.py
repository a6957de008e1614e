"""Conversations, messages, branches and per-conversation settings through HistoryStore."""

from __future__ import annotations

import dataclasses
import sqlite3
from contextlib import closing
from datetime import UTC
from pathlib import Path

import pytest

from app.store import TITLE_MAX, ConversationRecord, HistoryStore, StoreError, title_from


def conversation(store: HistoryStore, conversation_id: int) -> ConversationRecord:
    record = store.get_conversation(conversation_id)
    assert record is not None
    return record


def test_new_conversation_has_defaults_and_aware_timestamps(store: HistoryStore) -> None:
    cid = store.create_conversation(model="gpt-oss-20b", reasoning_effort="low")
    record = conversation(store, cid)
    assert (record.title, record.pinned, record.model, record.reasoning_effort) == (
        "",
        False,
        "gpt-oss-20b",
        "low",
    )
    assert record.system_prompt is None
    assert record.settings == {}
    assert record.created_at.tzinfo is not None
    assert record.created_at.utcoffset() == UTC.utcoffset(None)
    assert record.updated_at == record.created_at
    assert store.get_conversation(cid + 1000) is None


def test_records_are_frozen(store: HistoryStore) -> None:
    cid = store.create_conversation("t")
    record = conversation(store, cid)
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.title = "changed"  # type: ignore[misc]


def test_first_user_message_names_an_untitled_conversation(store: HistoryStore) -> None:
    cid = store.create_conversation()
    store.add_message(cid, "system", "You are terse.")
    assert conversation(store, cid).title == ""
    text = (
        "How do I   make\nsourdough bread at home without a proper starter or any special equipment at all?"
    )
    store.add_message(cid, "user", text)
    store.add_message(cid, "user", "Second question that must not rename it")
    title = conversation(store, cid).title
    assert title == title_from(text)
    assert title.endswith("…")
    assert len(title) <= TITLE_MAX + 1
    assert "\n" not in title
    assert "How do I make sourdough" in title


def test_a_given_title_is_kept(store: HistoryStore) -> None:
    cid = store.create_conversation("My plans")
    store.add_message(cid, "user", "Something else entirely")
    assert conversation(store, cid).title == "My plans"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  short  and\tsweet ", "short and sweet"),
        ("x" * 80, "x" * TITLE_MAX + "…"),
        ("word " * 20, ("word " * 12).strip() + "…"),
        ("", ""),
    ],
)
def test_title_from(text: str, expected: str) -> None:
    assert title_from(text) == expected


def test_list_puts_pinned_first_then_recent_activity(store: HistoryStore) -> None:
    first = store.create_conversation("first")
    second = store.create_conversation("second")
    third = store.create_conversation("third")
    assert [c.id for c in store.list_conversations()] == [third, second, first]

    store.add_message(first, "user", "bump")  # activity moves it to the top
    assert [c.id for c in store.list_conversations()] == [first, third, second]

    store.set_pinned(second, True)
    listed = store.list_conversations()
    assert [c.id for c in listed] == [second, first, third]
    assert [c.pinned for c in listed] == [True, False, False]

    assert [c.id for c in store.list_conversations(limit=2, offset=1)] == [first, third]


def test_rename_and_options_change_only_what_is_passed(store: HistoryStore) -> None:
    cid = store.create_conversation("old", model="m1", reasoning_effort="high", system_prompt="be nice")
    store.rename_conversation(cid, "new")
    store.set_conversation_options(cid, model="m2")
    store.set_conversation_options(cid, system_prompt=None, settings={"temperature": 0.7})
    record = conversation(store, cid)
    assert (record.title, record.model, record.reasoning_effort, record.system_prompt) == (
        "new",
        "m2",
        "high",
        None,
    )
    assert record.settings == {"temperature": 0.7}
    # Missing ids are ignored: another thread may have deleted the conversation.
    store.rename_conversation(cid + 1000, "ghost")


def test_delete_cascades_to_messages_attachments_and_search(store: HistoryStore) -> None:
    cid = store.create_conversation("doomed")
    keep = store.create_conversation("kept")
    mid = store.add_message(cid, "user", "zebra crossing")
    reply = store.add_message(cid, "assistant", "zebras are striped", parent_id=mid)
    store.add_message(keep, "user", "zebra too")
    # The attachments API belongs to the documents feature; plain SQL stands in for it here.
    with closing(sqlite3.connect(store.path)) as raw, raw:
        cursor = raw.execute(
            "INSERT INTO attachments (message_id, name, mime, sha256, size, text) "
            "VALUES (?, 'a.txt', 'text/plain', 'abc', 3, 'abc')",
            (mid,),
        )
        raw.execute(
            "INSERT INTO chunks (attachment_id, ordinal, text) VALUES (?, 0, 'abc')", (cursor.lastrowid,)
        )

    store.delete_conversation(cid)

    assert store.get_conversation(cid) is None
    assert store.get_message(mid) is None
    assert store.get_message(reply) is None
    assert [hit.conversation_id for hit in store.search("zebra")] == [keep]
    with closing(sqlite3.connect(store.path)) as raw:
        counts = raw.execute(
            "SELECT (SELECT count(*) FROM attachments), (SELECT count(*) FROM chunks)"
        ).fetchone()
    assert counts == (0, 0)
    store.delete_conversation(cid)  # deleting twice is harmless


def test_delete_all_leaves_none_of_the_text_on_the_disk(store: HistoryStore) -> None:
    secret = "quokka-" * 200  # distinctive bytes to look for in the file
    for n in range(3):
        cid = store.create_conversation(f"chat {n}")
        store.add_message(cid, "user", f"{secret} {n}")
    assert store.delete_all_conversations() == 3
    assert store.list_conversations() == []
    assert store.search("quokka") == []
    files = [store.path, store.path.with_name(store.path.name + "-wal")]
    assert not any(b"quokka-quokka" in f.read_bytes() for f in files if f.exists())
    assert store.delete_all_conversations() == 0
    cid = store.create_conversation("after")  # the store goes on working
    assert conversation(store, cid).title == "after"


def test_add_message_checks_its_arguments(store: HistoryStore) -> None:
    cid = store.create_conversation()
    other = store.create_conversation()
    foreign = store.add_message(other, "user", "elsewhere")
    with pytest.raises(ValueError, match="role"):
        store.add_message(cid, "robot", "hi")
    with pytest.raises(ValueError, match="status"):
        store.add_message(cid, "user", "hi", status="pending")
    with pytest.raises(ValueError, match="not in conversation"):
        store.add_message(cid, "assistant", "hi", parent_id=foreign)
    with pytest.raises(StoreError, match="deleted"):
        store.add_message(cid + 1000, "user", "hi")


def test_update_message_changes_only_given_fields(store: HistoryStore) -> None:
    cid = store.create_conversation()
    mid = store.add_message(cid, "assistant", "draft", reasoning="hmm", status="streaming")
    store.update_message(mid, content="final", status="error", error="Out of memory")
    store.update_message(mid, stats={"completion_tokens": 12, "decode_tok_s": 31.5, "finish_reason": "stop"})
    record = store.get_message(mid)
    assert record is not None
    assert (record.content, record.reasoning, record.status, record.error) == (
        "final",
        "hmm",
        "error",
        "Out of memory",
    )
    assert record.stats == {"completion_tokens": 12, "decode_tok_s": 31.5, "finish_reason": "stop"}
    with pytest.raises(ValueError, match="status"):
        store.update_message(mid, status="weird")
    store.update_message(mid + 1000, content="nobody")  # ignored
    store.update_message(mid)  # nothing to do


def test_regenerate_and_edit_make_branches(store: HistoryStore) -> None:
    cid = store.create_conversation()
    question = store.add_message(cid, "user", "Name a colour")
    red = store.add_message(cid, "assistant", "Red", parent_id=question)
    follow_up = store.add_message(cid, "user", "Another?", parent_id=red)
    blue = store.add_message(cid, "assistant", "Blue", parent_id=follow_up)
    green = store.add_message(cid, "assistant", "Green", parent_id=question)  # regenerate

    assert store.siblings(red) == [red, green]
    assert store.siblings(green) == [red, green]
    assert [m.content for m in store.thread(cid)] == ["Name a colour", "Green"]
    assert [m.id for m in store.thread(cid, blue)] == [question, red, follow_up, blue]
    assert [m.id for m in store.thread(cid, red)] == [question, red]
    # Navigating to the older sibling shows its branch down to its newest end.
    assert store.latest_leaf(cid, below=red) == blue
    assert store.latest_leaf(cid) == green

    edited = store.add_message(cid, "user", "Name a fruit")  # edit of the root question
    assert store.siblings(question) == [question, edited]
    assert [m.id for m in store.thread(cid)] == [edited]
    assert store.thread(cid)[0].parent_id is None


def test_the_branch_on_screen_is_remembered_and_continued(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    with HistoryStore(path) as store:
        cid = store.create_conversation()
        question = store.add_message(cid, "user", "Name a colour")
        red = store.add_message(cid, "assistant", "Red", parent_id=question)
        follow_up = store.add_message(cid, "user", "Another?", parent_id=red)
        blue = store.add_message(cid, "assistant", "Blue", parent_id=follow_up)
        green = store.add_message(cid, "assistant", "Green", parent_id=question)  # regenerate
        assert store.current_leaf(cid) == green, "a new message is on screen"
        # The user goes back to the first answer: its branch is shown down to its newest end.
        assert store.show_branch(red) == blue
        assert store.current_leaf(cid) == blue
    with HistoryStore(path) as store:  # a restart shows the same branch, not the newest one
        assert [m.id for m in store.thread(cid)] == [question, red, follow_up, blue]
        assert store.latest_leaf(cid) == green
        assert store.show_branch(green) == green
        assert [m.content for m in store.thread(cid)] == ["Name a colour", "Green"]
        assert store.show_branch(blue + 1000) is None
        assert store.current_leaf(cid) == green


def test_a_conversation_without_a_chosen_branch_shows_the_newest(store: HistoryStore) -> None:
    cid = store.create_conversation()
    assert store.current_leaf(cid) is None
    assert store.current_leaf(cid + 1000) is None
    first = store.add_message(cid, "user", "Hi")
    with closing(sqlite3.connect(store.path)) as raw:  # as a conversation from before version 6 reads
        raw.execute("UPDATE conversations SET current_leaf_id = NULL")
        raw.commit()
    assert store.current_leaf(cid) == first
    assert [m.id for m in store.thread(cid)] == [first]


def test_thread_edges(store: HistoryStore) -> None:
    cid = store.create_conversation()
    other = store.create_conversation()
    foreign = store.add_message(other, "user", "not here")
    assert store.thread(cid) == []
    assert store.latest_leaf(cid) is None
    assert store.thread(cid, foreign) == []
    assert store.siblings(foreign + 1000) == []


def test_close_is_idempotent_and_final(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "nested" / "folder" / "history.db")
    store.close()
    store.close()
    with pytest.raises(RuntimeError, match="closed"):
        store.list_conversations()


def test_store_package_does_not_import_qt() -> None:
    package = Path(__file__).resolve().parents[2] / "app" / "store"
    for source in package.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert "PySide" not in text
        assert "PyQt" not in text, source.name
