"""The chat history: SQLite through SQLAlchemy, with no Qt. All SQL in Hearth lives here."""

from __future__ import annotations

from app.store.errors import StoreError
from app.store.history import TITLE_MAX, UNSET, HistoryStore, title_from
from app.store.migrations import SCHEMA_VERSION, migrate
from app.store.recorder import ReplyRecorder
from app.store.records import (
    AnchorRow,
    AttachmentContent,
    AttachmentRecord,
    ChunkHit,
    ChunkRecord,
    ConversationRecord,
    MessageRecord,
    NewAttachment,
    NewChunk,
    SearchHit,
)
from app.store.schema import ROLES, STATUSES
from app.store.search import SNIPPET_END, SNIPPET_START, fts_query, snippet_runs, without_snippet_marks
from app.store.transfer_records import (
    ExportedAttachment,
    ExportedConversation,
    ExportedMessage,
    ImportedAttachment,
    ImportedConversation,
    ImportedMessage,
)

__all__ = [
    "ROLES",
    "SCHEMA_VERSION",
    "SNIPPET_END",
    "SNIPPET_START",
    "STATUSES",
    "TITLE_MAX",
    "UNSET",
    "AnchorRow",
    "AttachmentContent",
    "AttachmentRecord",
    "ChunkHit",
    "ChunkRecord",
    "ConversationRecord",
    "ExportedAttachment",
    "ExportedConversation",
    "ExportedMessage",
    "HistoryStore",
    "ImportedAttachment",
    "ImportedConversation",
    "ImportedMessage",
    "MessageRecord",
    "NewAttachment",
    "NewChunk",
    "ReplyRecorder",
    "SearchHit",
    "StoreError",
    "fts_query",
    "migrate",
    "snippet_runs",
    "title_from",
    "without_snippet_marks",
]
