"""ORM mapping of the history tables, used for queries only.

The tables themselves, their indexes, the FTS5 index and its triggers are created by the numbered
SQL in migrations.py, never by `create_all`: a migration must keep building exactly the schema it
built when it shipped, while these classes follow the newest one. A test checks the two agree.
There are no relationship() attributes on purpose: records cross threads as plain data, and lazy
loading would tie them to a session.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy import ForeignKey, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

ROLES: Final = ("system", "user", "assistant")
STATUSES: Final = ("streaming", "done", "stopped", "error")


def utc_now() -> datetime:
    return datetime.now(UTC)


def check_choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    """Refuse a role or status the table's CHECK constraint would, with the allowed values named."""
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}; got {value!r}")


class UtcTimestamp(TypeDecorator[datetime]):
    """Aware datetimes stored as fixed-width ISO-8601 UTC text, so text order is time order."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(UTC).isoformat(timespec="microseconds")

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        parsed = datetime.fromisoformat(str(value))
        # Rows written by hand or by another tool may lack an offset; the store only writes UTC.
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


class JsonText(TypeDecorator[Any]):
    """JSON kept as readable UTF-8 text; SQL NULL stays None."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else json.loads(value)


class Base(DeclarativeBase):
    pass


class Conversation(Base):
    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcTimestamp)
    updated_at: Mapped[datetime] = mapped_column(UtcTimestamp)
    pinned: Mapped[bool] = mapped_column(default=False)
    system_prompt: Mapped[str | None] = mapped_column(Text)
    model: Mapped[str | None] = mapped_column(Text)
    reasoning_effort: Mapped[str | None] = mapped_column(Text)
    settings: Mapped[dict[str, Any]] = mapped_column(JsonText, default=dict)
    # The end of the branch on screen; None: the newest one.
    # use_alter: messages refer to conversations too; the cycle is fine, the migrations create both.
    current_leaf_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL", use_alter=True)
    )


class Message(Base):
    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    # Branches: an edit or a regenerated reply is a new sibling under the same parent.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(Text)
    content: Mapped[str] = mapped_column(Text, default="")
    reasoning: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcTimestamp)
    stats: Mapped[dict[str, Any] | None] = mapped_column(JsonText)
    status: Mapped[str] = mapped_column(Text, default="done")
    error: Mapped[str | None] = mapped_column(Text)


class Attachment(Base):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(Text)
    mime: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(Text)
    size: Mapped[int]
    text: Mapped[str] = mapped_column(Text, default="")
    # [[offset, page or null, heading], ...]: where each page or section starts in `text`.
    pages: Mapped[list[Any] | None] = mapped_column(JsonText)
    details: Mapped[dict[str, Any]] = mapped_column(JsonText, default=dict)


class Chunk(Base):
    __tablename__ = "chunks"

    id: Mapped[int] = mapped_column(primary_key=True)
    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachments.id", ondelete="CASCADE"))
    ordinal: Mapped[int]
    page: Mapped[int | None]
    text: Mapped[str] = mapped_column(Text)
    heading: Mapped[str] = mapped_column(Text, default="")
