"""Running a full-text search: the conversations found by their title, the messages, then the messages
whose attachments' passages match FTS5 terms.

search.py turns what people type into those terms; these functions take the caller's Session, so
HistoryStore keeps one transaction per public call.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from sqlalchemy.orm import Session

from app.store import queries, search
from app.store.records import SearchHit

# The role of a hit in a conversation's title (messages have theirs, passages "attachment").
TITLE_ROLE: Final = "title"


def find(session: Session, terms: Sequence[str], limit: int) -> list[SearchHit]:
    """Conversations found by their title alone, then messages matching every one of `terms` (from
    fts_terms), then messages whose attachments match.

    Titles come first because a title names the whole conversation, usually what was looked for, but
    take at most half the places when messages match too. A title made from the first question (most
    are) matches where that question does, so a conversation with matching messages gets no title hit
    of its own: its messages lead there already.
    Messages are best first (bm25), unless more than search.RANKED_MATCHES messages match or a term of
    several is in more than search.RANKED_WORD_MATCHES: then newest first.
    """
    match = " ".join(terms)
    # Words first: one very common word settles it before the slower count of the whole.
    ranked = (
        len(terms) == 1 or all(_at_most(session, term, search.RANKED_WORD_MATCHES) for term in terms)
    ) and _at_most(session, match, search.RANKED_MATCHES)
    stmt = queries.SEARCH_RANKED if ranked else queries.SEARCH_NEWEST
    hits = [SearchHit(**row._mapping) for row in session.execute(stmt, {"match": match, "limit": limit})]
    if len(hits) < limit:
        hits += _attachment_hits(session, match, limit - len(hits), {hit.message_id for hit in hits})
    titles = _title_hits(session, match, limit, {hit.conversation_id for hit in hits})
    # A word in many titles must not push every message out: titles get at most half the places
    # when messages can fill the rest.
    titles = titles[: max(limit - len(hits), (limit + 1) // 2)]
    return (titles + hits)[:limit]


def _title_hits(session: Session, match: str, limit: int, found: set[int]) -> list[SearchHit]:
    """A hit per conversation whose title matches and which is not in `found`, leading to the first
    message of its branch on screen. A hit always names a message, so an empty conversation is left out.
    """
    hits: list[SearchHit] = []
    rows = session.execute(queries.SEARCH_TITLES, {"match": match, "limit": limit + len(found)})
    for row in rows:
        if len(hits) == limit:
            break
        if row.conversation_id in found:
            continue
        first = session.scalar(queries.THREAD_ROOT, {"conversation_id": row.conversation_id})
        if first is not None:
            hits.append(SearchHit(message_id=first, role=TITLE_ROLE, **row._mapping))
    return hits


def _at_most(session: Session, match: str, count: int) -> bool:
    """Whether at most `count` messages match; reads no further than one past it."""
    matches = session.scalar(queries.SEARCH_MATCHES, {"match": match, "cap": count + 1})
    return matches is not None and matches <= count


def _attachment_hits(session: Session, match: str, limit: int, seen: set[int]) -> list[SearchHit]:
    # Several passages of one attachment may match; the message they lead to is listed once.
    hits: list[SearchHit] = []
    for row in session.execute(queries.SEARCH_ATTACHMENTS, {"match": match, "limit": limit * 4}):
        if row.message_id not in seen and len(hits) < limit:
            seen.add(row.message_id)
            hits.append(SearchHit(**row._mapping))
    return hits
