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
    message_id: int
    conversation_title: str
    role: str
    # Matched words are wrapped in SNIPPET_START / SNIPPET_END; the text is raw, not HTML.
    snippet: str
    created_at: datetime
