"""Whole conversations out of the history and back in: complete, in one transaction, ids mapped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.store import (
    ExportedConversation,
    HistoryStore,
    ImportedAttachment,
    ImportedConversation,
    ImportedMessage,
    NewAttachment,
    NewChunk,
)
from app.store.transfer import parents_first

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def message(
    source_id: int, parent: int | None, role: str, content: str, minutes: int, **extra: object
) -> ImportedMessage:
    return ImportedMessage(source_id, parent, role, content, at(minutes), **extra)  # type: ignore[arg-type]


def conversation(*messages: ImportedMessage, **extra: object) -> ImportedConversation:
    fields: dict[str, object] = {"title": "Imported", "created_at": T0, "updated_at": at(60)}
    fields.update(extra)
    return ImportedConversation(messages=messages, **fields)  # type: ignore[arg-type]


def lease(source_id: int | None = None, chunk_ids: tuple[int, ...] = ()) -> ImportedAttachment:
    pages = ["The lease runs two years.", "The termination fee is three months of rent."]
    text = "\n".join(pages) + "\n"
    return ImportedAttachment(
        NewAttachment(
            name="lease.pdf",
            kind="PDF",
            mime="application/pdf",
            size=2048,
            sha256="ab" * 32,
            text=text,
            anchors=((0, 1, ""), (len(pages[0]) + 1, 2, "")),
            page_count=2,
            chunks=(NewChunk(0, pages[0], 1), NewChunk(1, pages[1], 2)),
        ),
        source_id=source_id,
        source_chunk_ids=chunk_ids,
    )


def only(exports: list[ExportedConversation]) -> ExportedConversation:
    [exported] = exports
    return exported


def test_export_holds_every_branch_the_chosen_one_and_attachments(store: HistoryStore) -> None:
    cid = store.create_conversation(
        "Flat", model="gpt-oss-20b", reasoning_effort="high", system_prompt="Be brief"
    )
    store.set_pinned(cid, True)
    store.set_conversation_options(cid, settings={"temperature": 0.5})
    question = store.add_message(cid, "user", "Is it fair?", attachments=[lease().attachment])
    first = store.add_message(
        cid, "assistant", "Yes.", parent_id=question, reasoning="hmm", stats={"ttft_s": 1.0}
    )
    store.add_message(cid, "assistant", "No.", parent_id=question, status="stopped")
    store.show_branch(first)
    other = store.create_conversation("Other")

    exported = only(store.export_conversations([cid]))
    assert exported.record.title == "Flat" and exported.record.pinned
    assert (exported.record.model, exported.record.reasoning_effort, exported.record.system_prompt) == (
        "gpt-oss-20b",
        "high",
        "Be brief",
    )
    assert exported.record.settings == {"temperature": 0.5}
    assert [(m.record.content, m.record.parent_id) for m in exported.messages] == [
        ("Is it fair?", None),
        ("Yes.", question),
        ("No.", question),
    ]
    assert exported.current_leaf_id == first
    assert exported.on_screen == (question, first)
    assert [m.record.content for m in exported.thread_on_screen()] == ["Is it fair?", "Yes."]
    [attachment] = exported.messages[0].attachments
    assert attachment.content.text.startswith("The lease runs")
    assert attachment.content.anchors[1][1] == 2
    assert len(attachment.chunk_ids) == 2
    assert exported.messages[1].record.stats == {"ttft_s": 1.0}

    # None: every conversation, in the sidebar's order (pinned first); unknown ids are left out.
    assert [c.record.id for c in store.export_conversations()] == [cid, other]
    assert [c.record.id for c in store.export_conversations([other, 999, cid, other])] == [other, cid]


def test_import_keeps_everything_and_maps_ids(store: HistoryStore) -> None:
    store.add_message(store.create_conversation("Existing"), "user", "already here")
    item = conversation(
        message(
            10, None, "user", "What about the fee?", 0, attachments=(lease(source_id=7, chunk_ids=(70, 71)),)
        ),
        message(
            11,
            10,
            "assistant",
            "Three months.",
            1,
            reasoning="page 2 says so",
            stats={
                "completion_tokens": 3,
                "future_field": [1],
                "documents": [
                    {
                        "attachment_id": 7,
                        "name": "lease.pdf",
                        "mode": "passages",
                        "passages": [
                            {"chunk_id": 71, "label": "lease.pdf p. 2", "page": 2},
                            {"chunk_id": 999, "label": "not in this file"},
                        ],
                    },
                    {"attachment_id": 8, "name": "elsewhere.pdf", "mode": "whole"},
                ],
            },
        ),
        message(12, 10, "assistant", "Cut off", 2, status="streaming"),
        message(13, 10, "assistant", "Failed", 3, status="error", error="out of memory"),
        pinned=True,
        reasoning_effort="low",
        system_prompt="Cite pages",
        settings={"x": 1},
        current_leaf_source_id=11,
    )
    [cid] = store.import_conversations([item])

    exported = only(store.export_conversations([cid]))
    assert (exported.record.title, exported.record.created_at, exported.record.updated_at) == (
        "Imported",
        T0,
        at(60),
    )
    assert exported.record.pinned and exported.record.system_prompt == "Cite pages"
    assert exported.record.settings == {"x": 1} and exported.record.reasoning_effort == "low"
    question, answer, _cut, failed = exported.messages
    assert [m.record.parent_id for m in exported.messages] == [
        None,
        question.record.id,
        question.record.id,
        question.record.id,
    ]
    assert [m.record.created_at for m in exported.messages] == [at(0), at(1), at(2), at(3)]
    assert [m.record.status for m in exported.messages] == ["done", "done", "stopped", "error"]
    assert failed.record.error == "out of memory"
    assert answer.record.reasoning == "page 2 says so"
    assert exported.current_leaf_id == answer.record.id
    assert [m.record.content for m in exported.thread_on_screen()] == ["What about the fee?", "Three months."]

    # The reply's citation now points at this history's copy of the passage; what it cannot map is gone.
    [attachment] = question.attachments
    assert answer.record.stats is not None
    assert answer.record.stats["future_field"] == [1]
    [use] = answer.record.stats["documents"]
    assert use["attachment_id"] == attachment.content.record.id
    [passage] = use["passages"]
    chunk = store.get_chunk(passage["chunk_id"])
    assert chunk is not None and chunk.text == "The termination fee is three months of rent."

    # Searchable at once: the messages, the reasoning and the document's passages.
    assert [(h.message_id, h.role) for h in store.search("months")] == [
        (answer.record.id, "assistant"),
        (question.record.id, "attachment"),
    ]
    assert [h.role for h in store.search("says")] == ["assistant"]  # in the reasoning


def test_a_parent_missing_from_the_file_makes_a_root_and_an_unknown_leaf_the_newest(
    store: HistoryStore,
) -> None:
    [cid] = store.import_conversations(
        [
            conversation(
                message(1, 404, "user", "orphan", 0),
                message(2, 1, "assistant", "reply", 1),
                current_leaf_source_id=77,
            )
        ]
    )
    exported = only(store.export_conversations([cid]))
    assert [m.record.parent_id for m in exported.messages] == [None, exported.messages[0].record.id]
    assert exported.current_leaf_id is None
    assert [m.content for m in store.thread(cid)] == ["orphan", "reply"]


def test_an_empty_title_is_made_from_the_first_question(store: HistoryStore) -> None:
    [cid] = store.import_conversations(
        [conversation(message(1, None, "user", "How do \x02otters\x03 sleep?", 0), title="")]
    )
    record = store.get_conversation(cid)
    assert record is not None and record.title == "How do otters sleep?"
    # The characters that mark matches in snippets never reach stored text.
    assert store.thread(cid)[0].content == "How do otters sleep?"


def test_a_failure_anywhere_imports_nothing(store: HistoryStore) -> None:
    store.add_message(store.create_conversation("Existing"), "user", "already here")
    before = store.export_conversations()
    good = conversation(message(1, None, "user", "fine", 0))
    with pytest.raises(ValueError, match="role must be one of"):
        store.import_conversations([good, conversation(message(1, None, "robot", "bad", 0))])
    with pytest.raises(ValueError, match="appears twice"):
        store.import_conversations(
            [good, conversation(message(1, None, "user", "a", 0), message(1, None, "user", "b", 1))]
        )
    assert store.export_conversations() == before


def test_ids_follow_time_so_the_newest_branch_is_the_newest_answer(store: HistoryStore) -> None:
    # Listed newest first in the file; without a chosen branch the newest answer is on screen.
    [cid] = store.import_conversations(
        [
            conversation(
                message(3, 1, "assistant", "second answer", 5),
                message(2, 1, "assistant", "first answer", 2),
                message(1, None, "user", "question", 0),
            )
        ]
    )
    assert [m.content for m in store.thread(cid)] == ["question", "second answer"]


def test_parents_first_orders_by_time_within_the_tree_and_breaks_cycles() -> None:
    messages = [
        message(1, 2, "assistant", "reply written before its question (a clock skew)", 0),
        message(2, None, "user", "question", 5),
        message(3, 4, "user", "cycle a", 1),
        message(4, 3, "user", "cycle b", 2),
    ]
    ordered = [(m.source_id, parent) for m, parent in parents_first(messages)]
    assert ordered == [(2, None), (1, 2), (3, None), (4, 3)]


def test_many_conversations_take_distinct_ids(store: HistoryStore) -> None:
    items = [
        conversation(
            message(1, None, "user", f"question {n}", n), message(2, 1, "assistant", f"answer {n}", n)
        )
        for n in range(5)
    ]
    ids = store.import_conversations(items)
    assert len(set(ids)) == 5
    for n, cid in enumerate(ids):
        assert [m.content for m in store.thread(cid)] == [f"question {n}", f"answer {n}"]
