"""What the browser may read: the documents attached to a conversation and, if the user allows it, their
other conversations. Nothing else: no file on the disk, nothing on the network.

The browser reads through the small Sources protocol, so the rules about what is in reach live in one
place (StoreSources) and the browser's page logic can be tested on any history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol

from app.store import (
    AttachmentContent,
    AttachmentRecord,
    ChunkHit,
    HistoryStore,
    MessageRecord,
    SearchHit,
)

# The conversation setting (in ConversationRecord.settings) that lets the browser search the user's
# other conversations. Off unless the user turns it on: those may hold things unrelated to this one.
PAST_CONVERSATIONS_SETTING: Final = "browser_past_conversations"


def past_conversations_allowed(settings: dict[str, Any]) -> bool:
    """Whether a conversation's settings let the browser read the user's other conversations."""
    return settings.get(PAST_CONVERSATIONS_SETTING) is True


@dataclass(frozen=True)
class PastConversation:
    """Another conversation as the browser shows it: the branch through the message that was found."""

    conversation_id: int
    title: str
    messages: tuple[MessageRecord, ...]


class Sources(Protocol):
    """What one reply's browser can reach."""

    @property
    def documents(self) -> Sequence[AttachmentRecord]:
        """The attachments in play, in the order they were attached."""
        ...

    @property
    def past_conversations(self) -> bool:
        """Whether the user lets the browser search their other conversations."""
        ...

    def passages(self, words: Sequence[str], limit: int) -> list[ChunkHit]:
        """Passages of the documents holding any of `words`, the most relevant first."""
        ...

    def content(self, attachment_id: int) -> AttachmentContent | None:
        """A document's whole text; None for one that is not in play (or was deleted)."""
        ...

    def conversations(self, query: str, limit: int) -> list[SearchHit]:
        """Messages of other conversations matching `query`; empty when they are not allowed."""
        ...

    def conversation(self, conversation_id: int, message_id: int | None) -> PastConversation | None:
        """Another conversation: the branch through `message_id` (None: the branch on screen); None when
        not allowed or gone."""
        ...


class StoreSources:
    """Sources read from the history: the `documents` in play in conversation `conversation_id` (the
    caller's records: the turn has them already), and the other conversations when `past_conversations`
    is set. Every read is one store call, so it is safe on any thread."""

    def __init__(
        self,
        store: HistoryStore,
        conversation_id: int,
        documents: Sequence[AttachmentRecord],
        *,
        past_conversations: bool = False,
    ) -> None:
        self._store = store
        self._conversation_id = conversation_id
        self._past_conversations = past_conversations
        unique = {a.id: a for a in documents}
        self._documents = tuple(sorted(unique.values(), key=lambda a: a.id))
        self._ids = frozenset(unique)

    @classmethod
    def for_conversation(cls, store: HistoryStore, conversation_id: int) -> StoreSources:
        """The documents attached on the branch on screen, and the conversation's own setting for the
        user's other conversations."""
        thread = store.thread(conversation_id)
        attached = store.attachments_for([m.id for m in thread if m.role == "user"])
        record = store.get_conversation(conversation_id)
        return cls(
            store,
            conversation_id,
            [a for items in attached.values() for a in items],
            past_conversations=record is not None and past_conversations_allowed(record.settings),
        )

    @property
    def documents(self) -> Sequence[AttachmentRecord]:
        return self._documents

    @property
    def past_conversations(self) -> bool:
        return self._past_conversations

    def passages(self, words: Sequence[str], limit: int) -> list[ChunkHit]:
        if not self._ids:
            return []
        return self._store.chunk_hits(sorted(self._ids), words, limit)

    def content(self, attachment_id: int) -> AttachmentContent | None:
        if attachment_id not in self._ids:
            return None
        return self._store.attachment_content(attachment_id)

    def conversations(self, query: str, limit: int) -> list[SearchHit]:
        if not self._past_conversations or limit <= 0:
            return []
        # Asks for a few more: hits in this very conversation are left out, it is not a "past" one.
        hits = self._store.search(query, limit + 10)
        return [h for h in hits if h.conversation_id != self._conversation_id][:limit]

    def conversation(self, conversation_id: int, message_id: int | None) -> PastConversation | None:
        if not self._past_conversations or conversation_id == self._conversation_id:
            return None
        record = self._store.get_conversation(conversation_id)
        if record is None:
            return None
        messages: list[MessageRecord] = []
        if message_id is not None:
            leaf = self._store.latest_leaf(conversation_id, below=message_id)
            messages = self._store.thread(conversation_id, leaf) if leaf is not None else []
        if not messages:  # no message named, or it was deleted meanwhile
            messages = self._store.thread(conversation_id)
        return PastConversation(conversation_id, record.title, tuple(messages))
