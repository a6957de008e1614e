"""Hearth's JSON export: lossless through export, import and export again; damaged files change nothing."""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.documents.document import Anchor, Document
from app.documents.retrieval import chunk_label, to_new_attachment
from app.reply_stats import DocumentUse, Passage, ReplyStats
from app.store import (
    ROLES,
    HistoryStore,
    ImportedConversation,
    ImportedMessage,
)
from app.transfer import TransferError, export, import_file
from app.transfer.hearth_json import FORMAT_NAME, FORMAT_VERSION
from tests.transfer.helpers import shape, snapshot

PAGES = ["The lease starts in March and runs two years.", "The termination fee is three months of rent."]


def paged_document() -> Document:
    text, anchors = "", []
    for number, page in enumerate(PAGES, 1):
        anchors.append(Anchor(len(text), number))
        text += page + "\n\n"
    return Document(
        name="lease.pdf",
        kind="PDF",
        mime="application/pdf",
        size=4321,
        sha256="cd" * 32,
        text=text,
        anchors=tuple(anchors),
        page_count=2,
        notes=("Page 3 is a scanned image.",),
    )


def build_history(store: HistoryStore) -> tuple[int, int]:
    """A conversation with a document, a cited passage, reasoning, stats, a regenerated reply, an edited
    question and an older branch on screen; and a second, plain one."""
    cid = store.create_conversation(model="tiny.gguf", reasoning_effort="high", system_prompt="Cite pages.")
    store.set_pinned(cid, True)
    store.set_conversation_options(cid, settings={"temperature": 0.7})
    question = store.add_message(
        cid, "user", "What is the fee?", attachments=[to_new_attachment(paged_document())]
    )
    [attachment] = store.attachments_for([question])[question]
    [chunk] = store.best_chunks([attachment.id], ["termination"], 1)
    stats = ReplyStats(
        prompt_tokens=120,
        completion_tokens=9,
        ttft_s=0.4,
        decode_tok_s=31.5,
        finish_reason="stop",
        documents=(
            DocumentUse(
                attachment.id, "lease.pdf", "passages", 1, 2, (Passage(chunk.id, chunk_label(chunk), 2),)
            ),
        ),
    )
    answer = store.add_message(
        cid,
        "assistant",
        "Three months of rent [lease.pdf p. 2].",
        parent_id=question,
        reasoning="Page 2 has the fee.",
        stats=stats.to_json(),
    )
    store.add_message(cid, "assistant", "Regenerated: three months.", parent_id=question, status="stopped")
    edit = store.add_message(cid, "user", "What is the deposit?")
    failed = store.add_message(cid, "assistant", "", parent_id=edit, status="error")
    store.update_message(failed, error="The model ran out of memory.")
    store.show_branch(answer)
    other = store.create_conversation("Plain chat")
    store.add_message(other, "user", "Hello\nthere")
    return cid, answer


def test_export_import_export_is_lossless(store: HistoryStore, tmp_path: Path) -> None:
    build_history(store)
    file = tmp_path / "hearth.json"
    file.write_text(export(store, None, "json"), encoding="utf-8")
    document = json.loads(file.read_text(encoding="utf-8"))
    assert (document["format"], document["version"]) == (FORMAT_NAME, FORMAT_VERSION)
    assert document["app_version"] and document["exported_at"]

    with HistoryStore(tmp_path / "copy.sqlite3") as copy:
        summary = import_file(copy, file)
        assert summary.describe() == "Imported 2 conversations (6 messages) from hearth.json."
        assert shape(copy.export_conversations()) == shape(store.export_conversations())
        # Again, from the copy: the same file but for the ids.
        again = tmp_path / "again.json"
        again.write_text(export(copy, None, "json"), encoding="utf-8")
        with HistoryStore(tmp_path / "third.sqlite3") as third:
            import_file(third, again)
            assert shape(third.export_conversations()) == shape(store.export_conversations())

        # The document's passages were cut again and indexed: found by search, cited by the reply.
        [hit] = [h for h in copy.search("termination") if h.role == "attachment"]
        [conversation] = copy.export_conversations([hit.conversation_id])
        reply = conversation.thread_on_screen()[-1].record
        assert reply.stats is not None
        [use] = reply.stats["documents"]
        cited = copy.get_chunk(use["passages"][0]["chunk_id"])
        assert cited is not None and cited.page == 2 and "termination fee" in cited.text
        assert [c.id for c in copy.best_chunks([use["attachment_id"]], ["termination"], 5)] == [cited.id]


def test_the_branch_on_screen_survives(store: HistoryStore, tmp_path: Path) -> None:
    cid, _answer = build_history(store)
    file = tmp_path / "one.json"
    file.write_text(export(store, [cid], "json"), encoding="utf-8")
    with HistoryStore(tmp_path / "copy.sqlite3") as copy:
        [new_id] = import_file(copy, file).conversation_ids
        assert [m.content for m in copy.thread(new_id)] == [m.content for m in store.thread(cid)]
        assert copy.thread(new_id)[-1].content == "Three months of rent [lease.pdf p. 2]."


# -- generated histories -----------------------------------------------------------------------------

TEXT = st.text(
    alphabet=st.characters(blacklist_characters="\x02\x03", blacklist_categories=["Cs"]), max_size=40
)
T0 = datetime(2020, 1, 1, tzinfo=UTC)


@st.composite
def conversations(draw: st.DrawFn) -> ImportedConversation:
    count = draw(st.integers(0, 8))
    messages = []
    for n in range(count):
        parent = draw(st.one_of(st.none(), st.integers(0, n - 1))) if n else None
        messages.append(
            ImportedMessage(
                source_id=n,
                parent_source_id=parent,
                role=draw(st.sampled_from(ROLES)),
                content=draw(TEXT),
                created_at=T0 + timedelta(seconds=n, microseconds=draw(st.integers(0, 999_999))),
                reasoning=draw(TEXT),
                status=draw(st.sampled_from(("done", "stopped", "error"))),
                stats=draw(
                    st.one_of(st.none(), st.fixed_dictionaries({"completion_tokens": st.integers(0, 99)}))
                ),
                error=draw(st.one_of(st.none(), TEXT)),
            )
        )
    return ImportedConversation(
        title=draw(TEXT.filter(str.strip)),
        created_at=T0,
        updated_at=T0 + timedelta(days=draw(st.integers(0, 99))),
        messages=tuple(messages),
        pinned=draw(st.booleans()),
        model=draw(st.one_of(st.none(), TEXT)),
        system_prompt=draw(st.one_of(st.none(), TEXT)),
        settings=draw(st.dictionaries(st.text(max_size=5), st.integers(), max_size=2)),
        current_leaf_source_id=draw(st.one_of(st.none(), st.integers(0, max(count - 1, 0))))
        if count
        else None,
    )


@settings(max_examples=40)
@given(items=st.lists(conversations(), max_size=3))
def test_any_history_survives_the_round_trip(items: list[ImportedConversation]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        with HistoryStore(root / "a.sqlite3") as original, HistoryStore(root / "b.sqlite3") as copy:
            original.import_conversations(items)
            file = root / "export.json"
            file.write_text(export(original, None, "json"), encoding="utf-8")
            import_file(copy, file)
            assert shape(copy.export_conversations()) == shape(original.export_conversations())


# -- damaged files -----------------------------------------------------------------------------------


def valid_export(store: HistoryStore) -> dict[str, Any]:
    build_history(store)
    data: dict[str, Any] = json.loads(export(store, None, "json"))
    return data


def changed(data: dict[str, Any], path: tuple[str | int, ...], value: object) -> str:
    """`data` as JSON with the value at `path` replaced (or removed when `value` is ...)."""
    copy = json.loads(json.dumps(data))
    target = copy
    for key in path[:-1]:
        target = target[key]
    if value is ...:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return json.dumps(copy)


DAMAGE: list[tuple[str, tuple[str | int, ...], object, str]] = [
    ("wrong format", ("format",), "someone-elses-export", "is not a Hearth export."),
    ("newer version", ("version",), 2, "newer version of Hearth (export version 2"),
    ("version as text", ("version",), "1", "its top level has a “version” that is not a whole number"),
    ("no conversations", ("conversations",), ..., "its top level has no “conversations”"),
    (
        "a role that is a number",
        ("conversations", 1, "messages", 0, "role"),
        5,
        "conversation 2, message 1 has a “role”",
    ),
    (
        "an unknown role",
        ("conversations", 0, "messages", 2, "role"),
        "robot",
        "message 3 has a “role” that is not one of",
    ),
    (
        "a bad date",
        ("conversations", 0, "messages", 1, "created_at"),
        "yesterday",
        "“created_at” that is not a date",
    ),
    (
        "a parent that is text",
        ("conversations", 0, "messages", 1, "parent_id"),
        "1",
        "“parent_id” that is not a whole",
    ),
    (
        "stats that are a list",
        ("conversations", 0, "messages", 1, "stats"),
        [1],
        "“stats” that is not an object",
    ),
    (
        "a message that is a string",
        ("conversations", 0, "messages", 3),
        "hi",
        "message 4 is not a JSON object",
    ),
    (
        "a broken anchor",
        ("conversations", 0, "messages", 0, "attachments", 0, "anchors", 1),
        [5, "two", ""],
        "attachment 1, anchor 2 is not [offset, page, heading]",
    ),
    ("a duplicated id", ("conversations", 0, "messages", 2, "id"), None, "has no “id”"),
]


@pytest.mark.parametrize(("path", "value", "expected"), [d[1:] for d in DAMAGE], ids=[d[0] for d in DAMAGE])
def test_a_damaged_export_changes_nothing(
    store: HistoryStore, tmp_path: Path, path: tuple[str | int, ...], value: object, expected: str
) -> None:
    data = valid_export(store)
    before = snapshot(store)
    file = tmp_path / "damaged.json"
    file.write_text(changed(data, path, value), encoding="utf-8")
    with pytest.raises(TransferError) as raised:
        import_file(store, file)
    assert expected in str(raised.value)
    assert "\n" not in str(raised.value)
    assert snapshot(store) == before


def test_two_messages_with_one_id_are_refused(store: HistoryStore, tmp_path: Path) -> None:
    data = valid_export(store)
    before = snapshot(store)
    messages = data["conversations"][0]["messages"]
    file = tmp_path / "twice.json"
    file.write_text(
        changed(data, ("conversations", 0, "messages", 2, "id"), messages[1]["id"]), encoding="utf-8"
    )
    with pytest.raises(
        TransferError, match=f"conversation 1 has two messages with the id {messages[1]['id']}"
    ):
        import_file(store, file)
    assert snapshot(store) == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("truncated", "twice.json is incomplete: it ends in the middle of its data."),
        (b"", "twice.json is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 3, "twice.json is not a text file"),
        (b"\xff\xfe\x00garbage\x00\xff" * 3, "twice.json is not JSON"),
        (
            b'{"format": "hearth-export", "version": 1, "conversations": [}',
            "stops being valid JSON at line 1",
        ),
        (b"[1, 2, 3]", "twice.json is neither a Hearth export nor a ChatGPT export."),
        (b'"just a string"', "twice.json is neither a Hearth export nor a ChatGPT export."),
    ],
    ids=["truncated", "empty", "binary", "utf-16 garbage", "invalid", "a list of numbers", "a string"],
)
def test_a_file_that_is_not_json_or_not_an_export_changes_nothing(
    store: HistoryStore, tmp_path: Path, content: bytes | str, expected: str
) -> None:
    data = valid_export(store)
    before = snapshot(store)
    file = tmp_path / "twice.json"
    if content == "truncated":
        text = json.dumps(data)
        content = text[: len(text) // 2].encode()
    assert isinstance(content, bytes)
    file.write_bytes(content)
    with pytest.raises(TransferError) as raised:
        import_file(store, file)
    assert expected in str(raised.value)
    assert snapshot(store) == before


def test_missing_optional_fields_take_their_defaults(store: HistoryStore, tmp_path: Path) -> None:
    file = tmp_path / "minimal.json"
    minimal = {
        "format": FORMAT_NAME,
        "version": 1,
        "conversations": [
            {
                "created_at": "2024-05-01T10:00:00",  # no zone: UTC
                "messages": [
                    {"id": 1, "role": "user", "content": "Bonjour", "created_at": "2024-05-01T10:00:00Z"},
                    {
                        "id": 2,
                        "parent_id": 1,
                        "role": "assistant",
                        "content": "Salut",
                        "created_at": "2024-05-01T10:00:05+02:00",
                        "a field from the future": True,
                        "attachments": [{"name": "note.txt", "text": "Some words to find later."}],
                    },
                ],
            }
        ],
    }
    file.write_text(json.dumps(minimal), encoding="utf-8")
    [cid] = import_file(store, file).conversation_ids
    [conversation] = store.export_conversations([cid])
    assert conversation.record.title == "Bonjour" and not conversation.record.pinned
    assert conversation.record.created_at == datetime(2024, 5, 1, 10, tzinfo=UTC)
    assert conversation.record.updated_at == conversation.record.created_at
    reply = conversation.messages[1]
    assert reply.record.created_at == datetime(2024, 5, 1, 8, 0, 5, tzinfo=UTC)
    assert (reply.record.status, reply.record.reasoning, reply.record.stats) == ("done", "", None)
    [attachment] = reply.attachments
    assert (attachment.content.record.mime, attachment.content.record.size) == (
        "application/octet-stream",
        25,
    )
    assert [h.role for h in store.search("words to find")] == ["attachment"]
