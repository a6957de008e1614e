"""HistoryStore: conversations, messages, branches, attachments and search in one SQLite file.

Every public method is one unit of work with its own Session and transaction, takes and returns
plain data, and may be called from any thread. The file itself (connections, transactions, upgrade
on open) is database.py's; attachments.py and search_hits.py read within the Session given here.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Self, cast

from sqlalchemy import CursorResult, delete, exists, func, select, update

from app.i18n import translate
from app.store import attachments as attachment_rows
from app.store import branches, queries, search_hits, transfer
from app.store.database import Database
from app.store.errors import StoreError
from app.store.records import (
    AttachmentContent,
    AttachmentRecord,
    ChunkHit,
    ChunkRecord,
    ConversationRecord,
    MessageRecord,
    NewAttachment,
    SearchHit,
)
from app.store.schema import ROLES, STATUSES, Conversation, Message, check_choice, utc_now
from app.store.search import fts_any, fts_terms
from app.store.titles import TITLE_MAX, title_from
from app.store.transfer_records import ExportedConversation, ImportedConversation

__all__ = ["TITLE_MAX", "UNSET", "HistoryStore", "title_from"]


class _Unset(Enum):
    UNSET = "unset"


UNSET: Final = _Unset.UNSET


class HistoryStore:
    """The chat history in one SQLite file; see the module docstring for the threading rules."""

    def __init__(self, path: Path) -> None:
        self._db = Database(path)

    @property
    def path(self) -> Path:
        return self._db.path

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release the file. Safe to call twice; the store cannot be used afterwards."""
        self._db.close()

    # -- conversations -----------------------------------------------------------------------

    def create_conversation(
        self,
        title: str = "",
        *,
        model: str | None = None,
        reasoning_effort: str | None = None,
        system_prompt: str | None = None,
    ) -> int:
        now = utc_now()
        row = Conversation(
            title=title,
            created_at=now,
            updated_at=now,
            pinned=False,
            model=model,
            reasoning_effort=reasoning_effort,
            system_prompt=system_prompt,
            settings={},
        )
        with self._db.session(write=True) as s:
            s.add(row)
            s.flush()
            return row.id

    def get_conversation(self, conversation_id: int) -> ConversationRecord | None:
        with self._db.session() as s:
            row = s.execute(queries.CONVERSATION, {"conversation_id": conversation_id}).first()
            return None if row is None else ConversationRecord(**row._mapping)

    def list_conversations(self, limit: int = 200, offset: int = 0) -> list[ConversationRecord]:
        """Pinned first, then the most recently active."""
        with self._db.session() as s:
            rows = s.execute(queries.CONVERSATIONS, {"limit": limit, "offset": offset})
            return [ConversationRecord(**row._mapping) for row in rows]

    def rename_conversation(self, conversation_id: int, title: str) -> None:
        self._update_conversation(conversation_id, {"title": title})

    def retitle(self, conversation_id: int, title: str, *, replacing: str) -> bool:
        """Set the title only if it is still `replacing` (a written title never overrides the user's)."""
        stmt = (
            update(Conversation)
            .where(Conversation.id == conversation_id, Conversation.title == replacing)
            .values(title=title)
        )
        with self._db.session(write=True) as s:
            return cast(CursorResult[Any], s.execute(stmt)).rowcount == 1

    def set_pinned(self, conversation_id: int, pinned: bool) -> None:
        self._update_conversation(conversation_id, {"pinned": pinned})

    def set_conversation_options(
        self,
        conversation_id: int,
        *,
        model: str | _Unset | None = UNSET,
        reasoning_effort: str | _Unset | None = UNSET,
        system_prompt: str | _Unset | None = UNSET,
        settings: dict[str, Any] | _Unset = UNSET,
    ) -> None:
        """Change only the options passed; None clears one."""
        values: dict[str, Any] = {}
        if model is not UNSET:
            values["model"] = model
        if reasoning_effort is not UNSET:
            values["reasoning_effort"] = reasoning_effort
        if system_prompt is not UNSET:
            values["system_prompt"] = system_prompt
        if settings is not UNSET:
            values["settings"] = settings
        if values:
            self._update_conversation(conversation_id, values)

    def _update_conversation(self, conversation_id: int, values: dict[str, Any]) -> None:
        # A missing id is not an error: another thread may just have deleted the conversation.
        stmt = update(Conversation).where(Conversation.id == conversation_id).values(**values)
        with self._db.session(write=True) as s:
            s.execute(stmt)

    def delete_conversation(self, conversation_id: int) -> None:
        """Delete it with its messages and attachments (foreign keys cascade, FTS triggers follow)."""
        with self._db.session(write=True) as s:
            s.execute(delete(Conversation).where(Conversation.id == conversation_id))

    def delete_all_conversations(self) -> int:
        """Delete every conversation and compact the file, so none of their text stays on the disk.
        Returns how many there were."""
        with self._db.session(write=True) as s:
            deleted = s.scalar(select(func.count()).select_from(Conversation)) or 0
            s.execute(delete(Conversation))
        self._db.compact()
        return deleted

    # -- messages ------------------------------------------------------------------------------

    def add_message(
        self,
        conversation_id: int,
        role: str,
        content: str,
        *,
        parent_id: int | None = None,
        reasoning: str = "",
        status: str = "done",
        stats: dict[str, Any] | None = None,
        attachments: Sequence[NewAttachment] = (),
        attachments_from: int | None = None,
    ) -> int:
        """Add a message under `parent_id` (None: a root); a second child of a parent is a branch.

        `attachments_from`: the message also gets copies of that message's attachments (an edited
        question keeps the documents it was asked about).

        Its attachments are stored in the same transaction: a message is never saved without them.
        """
        check_choice("role", role, ROLES)
        check_choice("status", status, STATUSES)
        now = utc_now()
        with self._db.session(write=True) as s:
            conversation = s.get(Conversation, conversation_id)
            if conversation is None:
                raise StoreError(
                    translate("History", "This conversation was deleted, so the message could not be saved.")
                )
            if parent_id is not None:
                owner = s.scalar(select(Message.conversation_id).where(Message.id == parent_id))
                if owner != conversation_id:
                    raise ValueError(f"message {parent_id} is not in conversation {conversation_id}")
            if role == "user" and not conversation.title.strip():
                has_user_message = s.scalar(
                    select(exists().where(Message.conversation_id == conversation_id, Message.role == "user"))
                )
                if not has_user_message:
                    conversation.title = title_from(content)
            conversation.updated_at = now
            row = Message(
                conversation_id=conversation_id,
                parent_id=parent_id,
                role=role,
                content=content,
                reasoning=reasoning,
                created_at=now,
                stats=stats,
                status=status,
            )
            s.add(row)
            s.flush()
            attachment_rows.add(s, row.id, attachments)
            if attachments_from is not None:
                branches.copy_attachments(s, attachments_from, row.id)
            conversation.current_leaf_id = row.id  # the newest message is on screen, at its branch's end
            return row.id

    def update_message(
        self,
        message_id: int,
        *,
        content: str | None = None,
        reasoning: str | None = None,
        status: str | None = None,
        stats: dict[str, Any] | None = None,
        error: str | None = None,
    ) -> None:
        """Change the fields passed (None leaves a field as it is). A missing id is ignored."""
        values: dict[str, Any] = {}
        if content is not None:
            values["content"] = content
        if reasoning is not None:
            values["reasoning"] = reasoning
        if status is not None:
            check_choice("status", status, STATUSES)
            values["status"] = status
        if stats is not None:
            values["stats"] = stats
        if error is not None:
            values["error"] = error
        if not values:
            return
        with self._db.session(write=True) as s:
            s.execute(update(Message).where(Message.id == message_id).values(**values))

    def get_message(self, message_id: int) -> MessageRecord | None:
        with self._db.session() as s:
            row = s.execute(queries.MESSAGE, {"message_id": message_id}).first()
            return None if row is None else MessageRecord(**row._mapping)

    def latest_leaf(self, conversation_id: int, *, below: int | None = None) -> int | None:
        """The newest message with no replies: in the conversation, or under message `below`.

        After picking a sibling in "< 2/3 >", thread(cid, latest_leaf(cid, below=sibling)) shows
        that branch down to its newest end.
        """
        with self._db.session() as s:
            if below is None:
                return s.scalar(queries.LATEST_LEAF, {"conversation_id": conversation_id})
            return s.scalar(queries.LATEST_LEAF_BELOW, {"conversation_id": conversation_id, "below": below})

    def current_leaf(self, conversation_id: int) -> int | None:
        """The end of the branch on screen: the one last added to or chosen, else the newest."""
        with self._db.session() as s:
            return s.scalar(queries.CURRENT_LEAF, {"conversation_id": conversation_id})

    def show_branch(self, message_id: int) -> int | None:
        """Put the branch through `message_id` on screen, down to its newest end; returns that end.

        Remembered across restarts: thread() and the next question follow it. None if the message is gone.
        """
        with self._db.session(write=True) as s:
            conversation_id = s.scalar(select(Message.conversation_id).where(Message.id == message_id))
            if conversation_id is None:
                return None
            leaf_id = s.scalar(
                queries.LATEST_LEAF_BELOW, {"conversation_id": conversation_id, "below": message_id}
            )
            s.execute(
                update(Conversation).where(Conversation.id == conversation_id).values(current_leaf_id=leaf_id)
            )
            return leaf_id

    def thread(self, conversation_id: int, leaf_id: int | None = None) -> list[MessageRecord]:
        """Messages from the root down to `leaf_id` (default: current_leaf), oldest first."""
        with self._db.session() as s:
            if leaf_id is None:
                leaf_id = s.scalar(queries.CURRENT_LEAF, {"conversation_id": conversation_id})
                if leaf_id is None:
                    return []
            rows = s.execute(queries.THREAD, {"conversation_id": conversation_id, "leaf_id": leaf_id})
            return [MessageRecord(**row._mapping) for row in rows]

    def siblings(self, message_id: int) -> list[int]:
        """Ids of the messages sharing this one's parent (itself included), oldest first."""
        with self._db.session() as s:
            return list(s.scalars(queries.SIBLINGS, {"message_id": message_id}))

    def versions(self, conversation_id: int, message_ids: Sequence[int]) -> dict[int, list[int]]:
        """For each of `message_ids` that has siblings (edits, regenerated replies): all, oldest first."""
        with self._db.session() as s:
            return branches.versions(s, conversation_id, message_ids)

    # -- attachments ---------------------------------------------------------------------------

    def attachments_for(self, message_ids: Sequence[int]) -> dict[int, list[AttachmentRecord]]:
        """The attachments of these messages, keyed by message id (messages without any are absent)."""
        with self._db.session() as s:
            return attachment_rows.for_messages(s, message_ids)

    def attachment_content(self, attachment_id: int) -> AttachmentContent | None:
        with self._db.session() as s:
            return attachment_rows.content(s, attachment_id)

    def get_chunk(self, chunk_id: int) -> ChunkRecord | None:
        with self._db.session() as s:
            return attachment_rows.chunk(s, chunk_id)

    def chunks_by_id(self, chunk_ids: Sequence[int]) -> list[ChunkRecord]:
        """These passages, in the order asked (ids no longer stored are skipped)."""
        if not chunk_ids:
            return []
        with self._db.session() as s:
            return attachment_rows.chunks_by_id(s, chunk_ids)

    def chunks_at(self, attachment_id: int, ordinals: Sequence[int]) -> list[ChunkRecord]:
        """Passages of one attachment by position, in document order."""
        with self._db.session() as s:
            return attachment_rows.chunks_at(s, attachment_id, ordinals)

    def first_chunk(
        self, attachment_id: int, *, pages: tuple[int, int] | None = None, heading: str = ""
    ) -> ChunkRecord | None:
        """An attachment's first passage on pages (first, last), else under `heading`, else its first."""
        with self._db.session() as s:
            return attachment_rows.first_chunk(s, attachment_id, pages, heading)

    def best_chunks(
        self, attachment_ids: Sequence[int], words: Sequence[str], limit: int
    ) -> list[ChunkRecord]:
        """Passages of these attachments containing any of `words`, the most relevant first (bm25)."""
        match = fts_any(words)
        if match is None:
            return []
        with self._db.session() as s:
            return attachment_rows.best_chunks(s, attachment_ids, match, limit)

    def chunk_hits(
        self, attachment_ids: Sequence[int], words: Sequence[str], limit: int, snippet_tokens: int = 32
    ) -> list[ChunkHit]:
        """best_chunks, each with a snippet of about `snippet_tokens` words around its matches."""
        match = fts_any(words)
        if match is None:
            return []
        with self._db.session() as s:
            return attachment_rows.best_chunk_hits(s, attachment_ids, match, limit, snippet_tokens)

    # -- search --------------------------------------------------------------------------------

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Conversations whose title alone matches every word of `query` (role "title", leading to the
        first message of the branch on screen), then messages that do, then messages whose attachments
        do. Any text is valid.

        Titles in the sidebar's order, at most half the places when messages match too. Messages best
        first (bm25), unless more than RANKED_MATCHES match or a word of several is in more than
        RANKED_WORD_MATCHES (a very common word): then newest first, which stays fast however many match.
        """
        terms = fts_terms(query)
        if not terms or limit <= 0:
            return []
        with self._db.session() as s:
            return search_hits.find(s, terms, limit)

    # -- whole conversations -------------------------------------------------------------------

    def export_conversations(
        self, conversation_ids: Sequence[int] | None = None
    ) -> list[ExportedConversation]:
        """These conversations (None: all, in the sidebar's order; ids not found are left out), each
        complete: every branch, message and attachment with its text. Read in one transaction, so a
        reply being written meanwhile is either in or out, never half there."""
        with self._db.session() as s:
            return transfer.export(s, conversation_ids)

    def import_conversations(self, conversations: Sequence[ImportedConversation]) -> list[int]:
        """Add these conversations with their branches, attachments and passages; their new ids, in order.

        One write transaction: a failure anywhere leaves the history as it was. The full-text indexes
        fill through their triggers, so the imported text is found at once.
        """
        with self._db.session(write=True) as s:
            return transfer.insert_conversations(s, conversations)
