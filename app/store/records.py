"""Plain, frozen records the store hands out: safe to pass between threads and to the UI.

Field names equal the column labels in queries.py, which builds them as Record(**row._mapping).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class ConversationRecord:
    id: int
    title: str
    created_at: datetime
    updated_at: datetime
    pinned: bool
    model: str | None
    reasoning_effort: str | None
    system_prompt: str | None
    settings: dict[str, Any]


@dataclass(frozen=True)
class MessageRecord:
    id: int
    conversation_id: int
    parent_id: int | None
    role: str
    content: str
    reasoning: str
    created_at: datetime
    status: str
    stats: dict[str, Any] | None
    error: str | None


@dataclass(frozen=True)
class SearchHit:
    conversation_id: int
    # The message to open: the one that matched, the one the matching attachment belongs to, or, for a
    # match in the conversation's title, the first message of the branch on screen.
    message_id: int
    conversation_title: str
    role: str  # the message's role, "attachment" or "title" (search_hits.TITLE_ROLE)
    # Matched words are wrapped in SNIPPET_START / SNIPPET_END; the text is raw, not HTML.
    snippet: str
    created_at: datetime


# A page or section start in an attachment's text: (offset, page or None, heading).
AnchorRow = tuple[int, int | None, str]


@dataclass(frozen=True)
class NewChunk:
    """A passage of an attachment to index, in document order."""

    ordinal: int
    text: str
    page: int | None = None
    heading: str = ""


@dataclass(frozen=True)
class NewAttachment:
    """An attachment to store with a new message, with its passages for retrieval."""

    name: str
    kind: str
    mime: str
    size: int
    sha256: str
    text: str
    anchors: tuple[AnchorRow, ...] = ()
    page_count: int | None = None
    notes: tuple[str, ...] = ()
    chunks: tuple[NewChunk, ...] = ()


@dataclass(frozen=True)
class AttachmentRecord:
    """A stored attachment without its text, which can be megabytes: see attachment_content."""

    id: int
    message_id: int
    name: str
    kind: str
    mime: str
    size: int
    sha256: str
    page_count: int | None
    notes: tuple[str, ...]
    chunk_count: int
    chars: int  # length of the extracted text


@dataclass(frozen=True)
class AttachmentContent:
    record: AttachmentRecord
    text: str
    anchors: tuple[AnchorRow, ...]


@dataclass(frozen=True)
class ChunkRecord:
    id: int
    attachment_id: int
    attachment_name: str
    ordinal: int
    page: int | None
    heading: str
    text: str


@dataclass(frozen=True)
class ChunkHit:
    """A passage found by a search, with the words around its matches (marked as in SearchHit.snippet)."""

    chunk: ChunkRecord
    snippet: str
