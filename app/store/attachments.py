"""Attachments and their passages: writing them with their message, reading them back, ranking passages.

Functions take the caller's Session, so HistoryStore keeps one transaction per public call.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from sqlalchemy import Row, bindparam, func, insert, select
from sqlalchemy.orm import Session

from app.store.queries import BEST_CHUNK_HITS, BEST_CHUNKS, CHUNK_COLUMNS
from app.store.records import (
    AnchorRow,
    AttachmentContent,
    AttachmentRecord,
    ChunkHit,
    ChunkRecord,
    NewAttachment,
)
from app.store.schema import Attachment, Chunk, Message

_CHUNK_COUNT: Final = (
    select(func.count()).where(Chunk.attachment_id == Attachment.id).correlate(Attachment).scalar_subquery()
)
_ATTACHMENT_COLUMNS: Final = (
    Attachment.id,
    Attachment.message_id,
    Attachment.name,
    Attachment.mime,
    Attachment.size,
    Attachment.sha256,
    Attachment.details,
    _CHUNK_COUNT.label("chunk_count"),
)


def add(session: Session, message_id: int, attachments: Sequence[NewAttachment]) -> list[int]:
    """Store attachments (and their passages) under a message; their ids, in order."""
    ids: list[int] = []
    for item in attachments:
        row = Attachment(
            message_id=message_id,
            name=item.name,
            mime=item.mime,
            sha256=item.sha256,
            size=item.size,
            text=item.text,
            pages=[list(anchor) for anchor in item.anchors],
            details={
                "kind": item.kind,
                "page_count": item.page_count,
                "notes": list(item.notes),
                # Lets the prompt builder rule out "whole document" without reading megabytes.
                "chars": len(item.text),
            },
        )
        session.add(row)
        session.flush()
        if item.chunks:
            # One executemany: a 300-page PDF is a few hundred rows, a big book some thousands.
            session.execute(
                insert(Chunk),
                [
                    {
                        "attachment_id": row.id,
                        "ordinal": chunk.ordinal,
                        "page": chunk.page,
                        "heading": chunk.heading,
                        "text": chunk.text,
                    }
                    for chunk in item.chunks
                ],
            )
        ids.append(row.id)
    return ids


def _record(row: Row[Any]) -> AttachmentRecord:
    details: dict[str, Any] = row.details or {}
    page_count = details.get("page_count")
    return AttachmentRecord(
        id=row.id,
        message_id=row.message_id,
        name=row.name,
        kind=str(details.get("kind") or row.mime),
        mime=row.mime,
        size=row.size,
        sha256=row.sha256,
        page_count=int(page_count) if page_count is not None else None,
        notes=tuple(str(note) for note in details.get("notes") or ()),
        chunk_count=row.chunk_count,
        chars=int(details.get("chars") or 0),
    )


def for_messages(session: Session, message_ids: Sequence[int]) -> dict[int, list[AttachmentRecord]]:
    found: dict[int, list[AttachmentRecord]] = {}
    if not message_ids:
        return found
    stmt = (
        select(*_ATTACHMENT_COLUMNS)
        .where(Attachment.message_id.in_(bindparam("ids", expanding=True)))
        .order_by(Attachment.id)
    )
    for row in session.execute(stmt, {"ids": list(message_ids)}):
        found.setdefault(row.message_id, []).append(_record(row))
    return found


_CONTENT_COLUMNS: Final = (*_ATTACHMENT_COLUMNS, Attachment.text, Attachment.pages)


def _content(row: Row[Any]) -> AttachmentContent:
    anchors: tuple[AnchorRow, ...] = tuple(
        (int(offset), None if page is None else int(page), str(heading))
        for offset, page, heading in (row.pages or ())
    )
    return AttachmentContent(record=_record(row), text=row.text, anchors=anchors)


def content(session: Session, attachment_id: int) -> AttachmentContent | None:
    row = session.execute(select(*_CONTENT_COLUMNS).where(Attachment.id == attachment_id)).first()
    return None if row is None else _content(row)


# Joins rather than lists of message ids: a long conversation would pass SQLite's limit on parameters.
# Built once: an export of every conversation runs them thousands of times.
_IN_CONVERSATION: Final = Message.conversation_id == bindparam("conversation_id")
_CONTENTS_IN_CONVERSATION: Final = (
    select(*_CONTENT_COLUMNS)
    .join(Message, Message.id == Attachment.message_id)
    .where(_IN_CONVERSATION)
    .order_by(Attachment.id)
)
_CHUNK_IDS_IN_CONVERSATION: Final = (
    select(Chunk.attachment_id, Chunk.id)
    .join(Attachment, Attachment.id == Chunk.attachment_id)
    .join(Message, Message.id == Attachment.message_id)
    .where(_IN_CONVERSATION)
    .order_by(Chunk.attachment_id, Chunk.ordinal)
)


def contents_in_conversation(session: Session, conversation_id: int) -> dict[int, list[AttachmentContent]]:
    """Every attachment of a conversation with its text, keyed by message id, in the order they were added."""
    found: dict[int, list[AttachmentContent]] = {}
    for row in session.execute(_CONTENTS_IN_CONVERSATION, {"conversation_id": conversation_id}):
        found.setdefault(row.message_id, []).append(_content(row))
    return found


def chunk_ids_in_conversation(session: Session, conversation_id: int) -> dict[int, list[int]]:
    """The passage ids of every attachment of a conversation, keyed by attachment id, in document order."""
    found: dict[int, list[int]] = {}
    for attachment_id, chunk_id in session.execute(
        _CHUNK_IDS_IN_CONVERSATION, {"conversation_id": conversation_id}
    ):
        found.setdefault(attachment_id, []).append(chunk_id)
    return found


def chunk(session: Session, chunk_id: int) -> ChunkRecord | None:
    stmt = (
        select(*CHUNK_COLUMNS)
        .join(Attachment, Attachment.id == Chunk.attachment_id)
        .where(Chunk.id == chunk_id)
    )
    row = session.execute(stmt).first()
    return None if row is None else ChunkRecord(**row._mapping)


def chunks_by_id(session: Session, chunk_ids: Sequence[int]) -> list[ChunkRecord]:
    stmt = (
        select(*CHUNK_COLUMNS)
        .join(Attachment, Attachment.id == Chunk.attachment_id)
        .where(Chunk.id.in_(bindparam("ids", expanding=True)))
    )
    found = {row.id: ChunkRecord(**row._mapping) for row in session.execute(stmt, {"ids": list(chunk_ids)})}
    return [found[i] for i in chunk_ids if i in found]


def chunks_at(session: Session, attachment_id: int, ordinals: Sequence[int]) -> list[ChunkRecord]:
    stmt = (
        select(*CHUNK_COLUMNS)
        .join(Attachment, Attachment.id == Chunk.attachment_id)
        .where(Chunk.attachment_id == attachment_id, Chunk.ordinal.in_(bindparam("ordinals", expanding=True)))
        .order_by(Chunk.ordinal)
    )
    return [ChunkRecord(**row._mapping) for row in session.execute(stmt, {"ordinals": list(ordinals)})]


def first_chunk(
    session: Session, attachment_id: int, pages: tuple[int, int] | None, heading: str
) -> ChunkRecord | None:
    """The first passage of an attachment on `pages` (first, last), else under `heading`, else at all."""
    stmt = (
        select(*CHUNK_COLUMNS)
        .join(Attachment, Attachment.id == Chunk.attachment_id)
        .where(Chunk.attachment_id == attachment_id)
    )
    if pages is not None:
        stmt = stmt.where(Chunk.page.between(min(pages), max(pages)))
    elif heading:
        stmt = stmt.where(Chunk.heading == heading)
    row = session.execute(stmt.order_by(Chunk.ordinal).limit(1)).first()
    return None if row is None else ChunkRecord(**row._mapping)


def best_chunks(session: Session, attachment_ids: Sequence[int], match: str, limit: int) -> list[ChunkRecord]:
    """The passages of these attachments that best match an FTS5 expression, best first (bm25)."""
    if not attachment_ids or limit <= 0:
        return []
    rows = session.execute(BEST_CHUNKS, {"match": match, "ids": list(attachment_ids), "limit": limit})
    return [ChunkRecord(**row._mapping) for row in rows]


def best_chunk_hits(
    session: Session, attachment_ids: Sequence[int], match: str, limit: int, snippet_tokens: int
) -> list[ChunkHit]:
    """best_chunks with a snippet of about `snippet_tokens` words around the matches of each."""
    if not attachment_ids or limit <= 0:
        return []
    # FTS5's snippet() takes 1 to 64 tokens and fails the whole query outside that.
    tokens = min(max(snippet_tokens, 1), 64)
    rows = session.execute(
        BEST_CHUNK_HITS, {"match": match, "ids": list(attachment_ids), "limit": limit, "tokens": tokens}
    )
    hits: list[ChunkHit] = []
    for row in rows:
        fields = dict(row._mapping)
        snippet = fields.pop("snippet")
        hits.append(ChunkHit(ChunkRecord(**fields), snippet or ""))
    return hits
