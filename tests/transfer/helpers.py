"""What the transfer tests compare: a history's conversations with every id replaced by its position."""

from __future__ import annotations

from typing import Any

from app.store import ExportedConversation, HistoryStore


def shape(conversations: list[ExportedConversation]) -> list[dict[str, Any]]:
    """Everything an export holds, with message, attachment and passage ids replaced by their positions,
    so two histories holding the same conversations under other ids compare equal."""
    return [_conversation_shape(conversation) for conversation in conversations]


def _conversation_shape(conversation: ExportedConversation) -> dict[str, Any]:
    record = conversation.record
    messages = {m.record.id: n for n, m in enumerate(conversation.messages)}
    attachments: dict[int, int] = {}
    passages: dict[int, int] = {}
    for message in conversation.messages:
        for attachment in message.attachments:
            attachments[attachment.content.record.id] = len(attachments)
            for chunk_id in attachment.chunk_ids:
                passages[chunk_id] = len(passages)
    return {
        "title": record.title,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        "pinned": record.pinned,
        "model": record.model,
        "reasoning_effort": record.reasoning_effort,
        "system_prompt": record.system_prompt,
        "settings": record.settings,
        "current_leaf": None
        if conversation.current_leaf_id is None
        else messages[conversation.current_leaf_id],
        "on_screen": [messages[i] for i in conversation.on_screen],
        "messages": [
            {
                "parent": None if m.record.parent_id is None else messages[m.record.parent_id],
                "role": m.record.role,
                "content": m.record.content,
                "reasoning": m.record.reasoning,
                "created_at": m.record.created_at,
                "status": m.record.status,
                "stats": _stats_shape(m.record.stats, attachments, passages),
                "error": m.record.error,
                "attachments": [
                    {
                        "record": {
                            k: v for k, v in vars(a.content.record).items() if k not in ("id", "message_id")
                        },
                        "text": a.content.text,
                        "anchors": a.content.anchors,
                        "passages": [passages[c] for c in a.chunk_ids],
                    }
                    for a in m.attachments
                ],
            }
            for m in conversation.messages
        ],
    }


def _stats_shape(
    stats: dict[str, Any] | None, attachments: dict[int, int], passages: dict[int, int]
) -> dict[str, Any] | None:
    if stats is None or "documents" not in stats:
        return stats
    documents = [
        {
            **use,
            "attachment_id": attachments[use["attachment_id"]],
            "passages": [{**p, "chunk_id": passages[p["chunk_id"]]} for p in use.get("passages", [])],
        }
        for use in stats["documents"]
    ]
    return {**stats, "documents": documents}


def snapshot(store: HistoryStore) -> list[ExportedConversation]:
    """The whole history, ids and all: equal before and after an import that must change nothing."""
    return store.export_conversations()
