"""Plain, frozen records of whole conversations going out of the history (export) and into it (import).

Exported records carry the store's ids, so a file can say which message answers which and which
passages a reply cited; imported ones carry the ids of the file they came from ("source" ids), which
the store maps to the new rows' ids. Both are safe to pass between threads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.store.records import AttachmentContent, ConversationRecord, MessageRecord, NewAttachment


@dataclass(frozen=True)
class ExportedAttachment:
    content: AttachmentContent
    # Its passages' ids in document order. A reply's stats cite passages by id; an import rebuilds the
    # passages from the text and maps each of these ids to the passage at the same position.
    chunk_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class ExportedMessage:
    record: MessageRecord
    attachments: tuple[ExportedAttachment, ...] = ()


@dataclass(frozen=True)
class ExportedConversation:
    record: ConversationRecord
    # The end of the branch on screen as stored: None means the newest branch.
    current_leaf_id: int | None
    # Every message of every branch, in the order they were written.
    messages: tuple[ExportedMessage, ...]
    # The ids of the branch on screen, root first: what a document made for reading shows.
    on_screen: tuple[int, ...] = ()

    def thread_on_screen(self) -> list[ExportedMessage]:
        by_id = {message.record.id: message for message in self.messages}
        return [by_id[message_id] for message_id in self.on_screen if message_id in by_id]


@dataclass(frozen=True)
class ImportedAttachment:
    attachment: NewAttachment  # with its passages, which make it searchable and citable at once
    source_id: int | None = None
    # The passage ids the file's stats cite, in document order (see ExportedAttachment.chunk_ids).
    source_chunk_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class ImportedMessage:
    source_id: int  # unique within its conversation
    parent_source_id: int | None  # None, or an id missing from the conversation: a root
    role: str
    content: str
    created_at: datetime
    reasoning: str = ""
    status: str = "done"  # "streaming" is stored as "stopped": nothing is writing this reply
    stats: dict[str, Any] | None = None
    error: str | None = None
    attachments: tuple[ImportedAttachment, ...] = ()


@dataclass(frozen=True)
class ImportedConversation:
    title: str  # empty: made from the first question, as for a new conversation
    created_at: datetime
    updated_at: datetime
    messages: tuple[ImportedMessage, ...]
    pinned: bool = False
    model: str | None = None
    reasoning_effort: str | None = None
    system_prompt: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    current_leaf_source_id: int | None = None  # None, or an id not imported: the newest branch
