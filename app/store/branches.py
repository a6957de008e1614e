"""Branches of a conversation: which messages are versions of one another, and what an edited question
takes over from the version it replaces.

Functions take the caller's Session, so HistoryStore keeps one transaction per public call.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import insert, literal, select
from sqlalchemy.orm import Session

from app.store.schema import Attachment, Chunk, Message


def versions(session: Session, conversation_id: int, message_ids: Sequence[int]) -> dict[int, list[int]]:
    """For each of `message_ids` that has siblings (edits, regenerated replies): all of them, oldest first.

    One pass over the conversation's (id, parent) pairs, a few bytes a message, instead of a query
    per message of a long thread.
    """
    rows = session.execute(
        select(Message.id, Message.parent_id)
        .where(Message.conversation_id == conversation_id)
        .order_by(Message.id)
    )
    children: dict[int | None, list[int]] = defaultdict(list)
    parent_of: dict[int, int | None] = {}
    for message_id, parent_id in rows:
        children[parent_id].append(message_id)
        parent_of[message_id] = parent_id
    found: dict[int, list[int]] = {}
    for message_id in message_ids:
        if message_id in parent_of and len(siblings := children[parent_of[message_id]]) > 1:
            found[message_id] = siblings
    return found


def copy_attachments(session: Session, source_id: int, target_id: int) -> None:
    """Give message `target_id` copies of `source_id`'s attachments with their passages (an edited
    question keeps the documents it was asked about). The full-text triggers index the copies."""
    sources = session.execute(select(Attachment.id).where(Attachment.message_id == source_id)).scalars().all()
    for source in sources:
        copied = session.execute(
            insert(Attachment)
            .from_select(
                ["message_id", "name", "mime", "sha256", "size", "text", "pages", "details"],
                select(
                    literal(target_id),
                    Attachment.name,
                    Attachment.mime,
                    Attachment.sha256,
                    Attachment.size,
                    Attachment.text,
                    Attachment.pages,
                    Attachment.details,
                ).where(Attachment.id == source),
            )
            .returning(Attachment.id)
        ).scalar_one()
        session.execute(
            insert(Chunk).from_select(
                ["attachment_id", "ordinal", "page", "text", "heading"],
                select(literal(copied), Chunk.ordinal, Chunk.page, Chunk.text, Chunk.heading).where(
                    Chunk.attachment_id == source
                ),
            )
        )
