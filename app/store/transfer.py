"""Whole conversations out of the history and into it: the reads behind HistoryStore.export_conversations
and the one write transaction behind import_conversations.

Functions take the caller's Session, so HistoryStore keeps one transaction per public call.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from datetime import datetime
from typing import Final, cast

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.orm import Session

from app.reply_stats import remap_document_ids
from app.store import attachments as attachment_rows
from app.store import queries
from app.store.records import ConversationRecord, MessageRecord
from app.store.schema import ROLES, STATUSES, Conversation, Message, check_choice
from app.store.search import without_snippet_marks
from app.store.titles import title_from
from app.store.transfer_records import (
    ExportedAttachment,
    ExportedConversation,
    ExportedMessage,
    ImportedConversation,
    ImportedMessage,
)

_MESSAGES: Final = cast(Table, Message.__table__)

# -- export ------------------------------------------------------------------------------------------


def export(session: Session, conversation_ids: Sequence[int] | None) -> list[ExportedConversation]:
    """These conversations (None: all, in the sidebar's order), complete; ids not found are skipped."""
    if conversation_ids is None:
        rows = session.execute(queries.CONVERSATIONS, {"limit": -1, "offset": 0})  # -1: no limit
        records = [ConversationRecord(**row._mapping) for row in rows]
    else:
        records = []
        for conversation_id in dict.fromkeys(conversation_ids):
            row = session.execute(queries.CONVERSATION, {"conversation_id": conversation_id}).first()
            if row is not None:
                records.append(ConversationRecord(**row._mapping))
    return [_export_one(session, record) for record in records]


def _export_one(session: Session, record: ConversationRecord) -> ExportedConversation:
    leaf = session.scalar(queries.STORED_LEAF, {"conversation_id": record.id})
    contents = attachment_rows.contents_in_conversation(session, record.id)
    chunk_ids = attachment_rows.chunk_ids_in_conversation(session, record.id)
    messages = []
    for row in session.execute(queries.CONVERSATION_MESSAGES, {"conversation_id": record.id}):
        attachments = tuple(
            ExportedAttachment(content, tuple(chunk_ids.get(content.record.id, ())))
            for content in contents.get(row.id, ())
        )
        messages.append(ExportedMessage(MessageRecord(**row._mapping), attachments))
    on_screen = session.scalars(queries.BRANCH_ON_SCREEN, {"conversation_id": record.id})
    return ExportedConversation(record, leaf, tuple(messages), tuple(on_screen))


# -- import ------------------------------------------------------------------------------------------


def insert_conversations(session: Session, conversations: Sequence[ImportedConversation]) -> list[int]:
    """Store these conversations; their new ids, in order. The caller's transaction: all or nothing."""
    # Message ids are given here rather than by SQLite, so each conversation's messages go in with one
    # executemany (a ChatGPT export can hold a hundred thousand) and its replies can name their parents.
    # The write transaction holds the file's lock, so nobody else can take these ids meanwhile.
    next_id = (session.scalar(select(func.max(Message.id))) or 0) + 1
    ids: list[int] = []
    for item in conversations:
        conversation_id, next_id = _insert_conversation(session, item, next_id)
        ids.append(conversation_id)
    return ids


def _insert_conversation(session: Session, item: ImportedConversation, first_id: int) -> tuple[int, int]:
    """Store one conversation whose messages take ids from `first_id`; its id and the next free id."""
    ordered = parents_first(item.messages)
    for message, _parent in ordered:
        check_choice("role", message.role, ROLES)
        check_choice("status", message.status, STATUSES)
    new_ids = {message.source_id: first_id + index for index, (message, _parent) in enumerate(ordered)}
    title = item.title or title_from(next((m.content for m, _p in ordered if m.role == "user"), ""))
    row = Conversation(
        title=without_snippet_marks(title),
        created_at=item.created_at,
        updated_at=item.updated_at,
        pinned=item.pinned,
        model=item.model,
        reasoning_effort=item.reasoning_effort,
        system_prompt=item.system_prompt,
        settings=item.settings,
    )
    session.add(row)
    session.flush()
    if ordered:
        # The table, not the ORM class: a plain executemany, without the ORM's bulk bookkeeping per row.
        session.execute(
            insert(_MESSAGES),
            [
                {
                    "id": new_ids[message.source_id],
                    "conversation_id": row.id,
                    "parent_id": None if parent is None else new_ids[parent],
                    "role": message.role,
                    # Snippets mark matches with these characters; stored text must not fake one.
                    "content": without_snippet_marks(message.content),
                    "reasoning": without_snippet_marks(message.reasoning),
                    "created_at": message.created_at,
                    "stats": message.stats,
                    # Nothing is writing an imported reply, so one cut off mid-stream is simply stopped.
                    "status": "stopped" if message.status == "streaming" else message.status,
                    "error": message.error,
                }
                for message, parent in ordered
            ],
        )
    _insert_attachments(session, row.id, [(new_ids[m.source_id], m) for m, _p in ordered])
    leaf = item.current_leaf_source_id
    row.current_leaf_id = None if leaf is None else new_ids.get(leaf)
    return row.id, first_id + len(ordered)


def _insert_attachments(
    session: Session, conversation_id: int, messages: Sequence[tuple[int, ImportedMessage]]
) -> None:
    """Store the messages' attachments with their passages, then point the replies' stats at them."""
    attachment_ids: dict[int, int] = {}
    cited_passages: dict[int, tuple[int, ...]] = {}  # new attachment id -> the file's passage ids
    for message_id, message in messages:
        if not message.attachments:
            continue
        stored = attachment_rows.add(session, message_id, [a.attachment for a in message.attachments])
        for imported, attachment_id in zip(message.attachments, stored, strict=True):
            if imported.source_id is not None:
                attachment_ids[imported.source_id] = attachment_id
            cited_passages[attachment_id] = imported.source_chunk_ids
    chunk_ids: dict[int, int] = {}
    if any(cited_passages.values()):
        rebuilt = attachment_rows.chunk_ids_in_conversation(session, conversation_id)
        for attachment_id, source_ids in cited_passages.items():
            # By position: the passages are rebuilt from the same text the same way. Should they come
            # out fewer, zip stops and a citation past the end is dropped rather than misdirected.
            chunk_ids.update(zip(source_ids, rebuilt.get(attachment_id, ()), strict=False))
    for message_id, message in messages:
        if message.stats and "documents" in message.stats:
            stats = remap_document_ids(message.stats, attachment_ids, chunk_ids)
            session.execute(update(Message).where(Message.id == message_id).values(stats=stats))


def parents_first(messages: Sequence[ImportedMessage]) -> list[tuple[ImportedMessage, int | None]]:
    """The messages in an order where every parent comes before its replies, each with the parent it gets.

    Oldest first wherever the tree allows, so ids grow with time as the store expects (the newest
    branch ends at the largest id). A parent that is not in the list makes the message a root, and so
    does a parent cycle, which only a hand-edited file can hold: its oldest message becomes the root.
    """
    by_id: dict[int, ImportedMessage] = {}
    for message in messages:
        if message.source_id in by_id:
            raise ValueError(f"message id {message.source_id} appears twice in one conversation")
        by_id[message.source_id] = message
    position = {message.source_id: index for index, message in enumerate(messages)}
    replies: dict[int, list[ImportedMessage]] = {}
    ready: list[tuple[datetime, int]] = []
    for message in messages:
        parent = message.parent_source_id
        if parent is not None and parent in by_id:
            replies.setdefault(parent, []).append(message)
        else:
            ready.append((message.created_at, position[message.source_id]))
    heapq.heapify(ready)
    placed: list[tuple[ImportedMessage, int | None]] = []
    done: set[int] = set()
    rooted: set[int] = set()  # messages whose parent cycle was broken at them
    while len(placed) < len(messages):
        if not ready:
            oldest = min((m for m in messages if m.source_id not in done), key=lambda m: m.created_at)
            rooted.add(oldest.source_id)
            ready.append((oldest.created_at, position[oldest.source_id]))
        _created, index = heapq.heappop(ready)
        message = messages[index]
        if message.source_id in done:
            continue  # a broken cycle's root, reached again through its old parent
        done.add(message.source_id)
        parent = message.parent_source_id
        placed.append((message, parent if parent in by_id and message.source_id not in rooted else None))
        for reply in replies.get(message.source_id, ()):
            if reply.source_id not in done:
                heapq.heappush(ready, (reply.created_at, position[reply.source_id]))
    return placed
