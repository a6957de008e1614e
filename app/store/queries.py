"""The store's read queries, built once at import and run with bound parameters.

They select plain columns rather than ORM entities: rows go straight into frozen records without
identity-map bookkeeping, which keeps a long thread or a page of search results cheap.
"""

from __future__ import annotations

from typing import Any, Final, cast

from sqlalchemy import (
    Integer,
    Select,
    bindparam,
    column,
    exists,
    func,
    literal,
    literal_column,
    select,
    table,
)
from sqlalchemy.orm import aliased
from sqlalchemy.sql.expression import CTE, ColumnClause

from app.store.schema import Attachment, Chunk, Conversation, Message
from app.store.search import SNIPPET_ELLIPSIS, SNIPPET_END, SNIPPET_START

# Guards the recursive walks against a parent cycle in a hand-edited file.
_MAX_DEPTH: Final = 100_000
_SNIPPET_TOKENS: Final = 16

# Column names match the record fields, so a row's mapping builds its record.
CONVERSATION_COLUMNS: Final = (
    Conversation.id,
    Conversation.title,
    Conversation.created_at,
    Conversation.updated_at,
    Conversation.pinned,
    Conversation.model,
    Conversation.reasoning_effort,
    Conversation.system_prompt,
    Conversation.settings,
)
MESSAGE_COLUMNS: Final = (
    Message.id,
    Message.conversation_id,
    Message.parent_id,
    Message.role,
    Message.content,
    Message.reasoning,
    Message.created_at,
    Message.status,
    Message.stats,
    Message.error,
)

# Joined with attachments for the name a passage is cited by.
CHUNK_COLUMNS: Final = (
    Chunk.id,
    Chunk.attachment_id,
    Attachment.name.label("attachment_name"),
    Chunk.ordinal,
    Chunk.page,
    Chunk.heading,
    Chunk.text,
)

CONVERSATION: Final = select(*CONVERSATION_COLUMNS).where(Conversation.id == bindparam("conversation_id"))
# As stored: None means the newest branch (CURRENT_LEAF below resolves that).
STORED_LEAF: Final = select(Conversation.current_leaf_id).where(
    Conversation.id == bindparam("conversation_id")
)

# Same order as ix_conversations_listing, so the sidebar is an index walk.
CONVERSATIONS: Final = (
    select(*CONVERSATION_COLUMNS)
    .order_by(Conversation.pinned.desc(), Conversation.updated_at.desc(), Conversation.id.desc())
    .limit(bindparam("limit"))
    .offset(bindparam("offset"))
)

MESSAGE: Final = select(*MESSAGE_COLUMNS).where(Message.id == bindparam("message_id"))

# Every branch of a conversation, in the order the messages were written.
CONVERSATION_MESSAGES: Final = (
    select(*MESSAGE_COLUMNS)
    .where(Message.conversation_id == bindparam("conversation_id"))
    .order_by(Message.id)
)


def _latest_leaf(below: bool) -> Select[int]:
    # Ids grow with time and a reply is always newer than its parent, so the newest message
    # without replies is the end of the most recently extended branch.
    child = aliased(Message)
    cid = bindparam("conversation_id", type_=Integer)
    no_replies = ~exists().where(child.parent_id == Message.id)
    stmt = select(Message.id).where(Message.conversation_id == cid, no_replies)
    if below:
        start = select(Message.id, literal(0).label("depth")).where(
            Message.id == bindparam("below", type_=Integer), Message.conversation_id == cid
        )
        subtree = start.cte("subtree", recursive=True)
        step = select(child.id, subtree.c.depth + 1).where(
            child.parent_id == subtree.c.id, subtree.c.depth < _MAX_DEPTH
        )
        subtree = subtree.union_all(step)
        stmt = stmt.where(Message.id.in_(select(subtree.c.id)))
    return stmt.order_by(Message.id.desc()).limit(1)


LATEST_LEAF: Final = _latest_leaf(below=False)
LATEST_LEAF_BELOW: Final = _latest_leaf(below=True)
# The branch on screen: the one chosen last, or the newest when none is (or it was deleted).
CURRENT_LEAF: Final = select(
    func.coalesce(Conversation.current_leaf_id, LATEST_LEAF.scalar_subquery())
).where(Conversation.id == bindparam("conversation_id", type_=Integer))


def _path_up(leaf: Any) -> CTE:
    """The messages from `leaf` up to its root, each with its distance from the leaf (`depth`)."""
    cid = bindparam("conversation_id", type_=Integer)
    start = select(Message.id, Message.parent_id, literal(0).label("depth")).where(
        Message.id == leaf, Message.conversation_id == cid
    )
    path = start.cte("path", recursive=True)
    parent = aliased(Message)
    step = select(parent.id, parent.parent_id, path.c.depth + 1).where(
        parent.id == path.c.parent_id, parent.conversation_id == cid, path.c.depth < _MAX_DEPTH
    )
    return path.union_all(step)


def _thread() -> Select[Any]:
    path = _path_up(bindparam("leaf_id", type_=Integer))
    return select(*MESSAGE_COLUMNS).join(path, Message.id == path.c.id).order_by(path.c.depth.desc())


THREAD: Final = _thread()
_ON_SCREEN_PATH: Final = _path_up(CURRENT_LEAF.scalar_subquery())
# The ids of the branch on screen, root first (an export shows this branch).
BRANCH_ON_SCREEN: Final = select(_ON_SCREEN_PATH.c.id).order_by(_ON_SCREEN_PATH.c.depth.desc())
# Its first message: where a conversation found by its title opens.
THREAD_ROOT: Final = BRANCH_ON_SCREEN.limit(1)


def _siblings() -> Select[int]:
    me = aliased(Message)
    of_message = me.id == bindparam("message_id", type_=Integer)
    return (
        select(Message.id)
        .where(
            Message.conversation_id == select(me.conversation_id).where(of_message).scalar_subquery(),
            # IS, not =: root messages are siblings too, under a NULL parent.
            Message.parent_id.is_not_distinct_from(select(me.parent_id).where(of_message).scalar_subquery()),
        )
        .order_by(Message.id)
    )


SIBLINGS: Final = _siblings()


_FTS: Final = table("messages_fts", column("rowid", Integer), column("rank"))
_FTS_INDEX: Final[ColumnClause[Any]] = literal_column("messages_fts")


def _search(ranked: bool) -> Select[Any]:
    snippet = func.snippet(_FTS_INDEX, -1, SNIPPET_START, SNIPPET_END, SNIPPET_ELLIPSIS, _SNIPPET_TOKENS)
    # Both orders are ones FTS5 produces itself, so the joins and snippets run for `limit` rows only.
    # rank is bm25 with the column weights configured in the search migration; it scores every
    # match before the first row comes out. Newest first walks the index backwards and stops early.
    order = _FTS.c.rank if ranked else _FTS.c.rowid.desc()
    return (
        select(
            Message.conversation_id,
            Message.id.label("message_id"),
            Conversation.title.label("conversation_title"),
            Message.role,
            snippet.label("snippet"),
            Message.created_at,
        )
        .select_from(_FTS)
        .join(Message, Message.id == _FTS.c.rowid)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(_FTS_INDEX.op("MATCH")(bindparam("match")))
        .order_by(order)
        .limit(bindparam("limit"))
    )


SEARCH_RANKED: Final = _search(ranked=True)
SEARCH_NEWEST: Final = _search(ranked=False)

# How many messages match, counting no further than `cap`: reads rowids only, no scoring.
SEARCH_MATCHES: Final = select(func.count()).select_from(
    select(_FTS.c.rowid).where(_FTS_INDEX.op("MATCH")(bindparam("match"))).limit(bindparam("cap")).subquery()
)


_CHUNKS_FTS: Final = table("chunks_fts", column("rowid", Integer), column("rank"))
_CHUNKS_FTS_INDEX: Final[ColumnClause[Any]] = literal_column("chunks_fts")


def _search_attachments() -> Select[Any]:
    snippet = func.snippet(
        _CHUNKS_FTS_INDEX, 0, SNIPPET_START, SNIPPET_END, SNIPPET_ELLIPSIS, _SNIPPET_TOKENS
    )
    # A hit in an attachment leads to the message it was attached to.
    stmt = (
        select(
            Message.conversation_id,
            Message.id.label("message_id"),
            Conversation.title.label("conversation_title"),
            literal("attachment").label("role"),
            (Attachment.name + literal(": ") + snippet).label("snippet"),
            Message.created_at,
        )
        .select_from(_CHUNKS_FTS)
        .join(Chunk, Chunk.id == _CHUNKS_FTS.c.rowid)
        .join(Attachment, Attachment.id == Chunk.attachment_id)
        .join(Message, Message.id == Attachment.message_id)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(_CHUNKS_FTS_INDEX.op("MATCH")(bindparam("match")))
        .order_by(_CHUNKS_FTS.c.rank)
        .limit(bindparam("limit"))
    )
    return cast(Select[Any], stmt)


SEARCH_ATTACHMENTS: Final = _search_attachments()


_TITLES_FTS: Final = table("conversations_fts", column("rowid", Integer))
_TITLES_FTS_INDEX: Final[ColumnClause[Any]] = literal_column("conversations_fts")

# Conversations whose title matches, in the sidebar's order: bm25 says little about titles of a few
# words, and the sidebar's order is the one people already know. highlight() marks the whole title.
SEARCH_TITLES: Final = (
    select(
        Conversation.id.label("conversation_id"),
        Conversation.title.label("conversation_title"),
        func.highlight(_TITLES_FTS_INDEX, 0, SNIPPET_START, SNIPPET_END).label("snippet"),
        Conversation.created_at,
    )
    .select_from(_TITLES_FTS)
    .join(Conversation, Conversation.id == _TITLES_FTS.c.rowid)
    .where(_TITLES_FTS_INDEX.op("MATCH")(bindparam("match")))
    .order_by(Conversation.pinned.desc(), Conversation.updated_at.desc(), Conversation.id.desc())
    .limit(bindparam("limit"))
)


def _best_chunks(*columns: Any) -> Select[Any]:
    """The passages of some attachments that best match, best first (bm25), with `columns`."""
    return (
        select(*columns)
        .select_from(_CHUNKS_FTS)
        .join(Chunk, Chunk.id == _CHUNKS_FTS.c.rowid)
        .join(Attachment, Attachment.id == Chunk.attachment_id)
        .where(
            _CHUNKS_FTS_INDEX.op("MATCH")(bindparam("match")),
            Chunk.attachment_id.in_(bindparam("ids", expanding=True)),
        )
        .order_by(_CHUNKS_FTS.c.rank)
        .limit(bindparam("limit"))
    )


BEST_CHUNKS: Final = _best_chunks(*CHUNK_COLUMNS)


# The same, each with a snippet around the matched words: the browser tool's results page shows them.
# snippet() runs for the `limit` rows returned only, after FTS5 has ranked the matches.
BEST_CHUNK_HITS: Final = _best_chunks(
    *CHUNK_COLUMNS,
    func.snippet(
        _CHUNKS_FTS_INDEX, 0, SNIPPET_START, SNIPPET_END, SNIPPET_ELLIPSIS, bindparam("tokens")
    ).label("snippet"),
)
