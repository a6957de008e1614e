"""Running a full-text search: the messages, then the attachments' passages, that match FTS5 terms.

search.py turns what people type into those terms; these functions take the caller's Session, so
HistoryStore keeps one transaction per public call.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from app.store import queries, search
from app.store.records import SearchHit


def find(session: Session, terms: Sequence[str], limit: int) -> list[SearchHit]:
    """Messages matching every one of `terms` (from fts_terms), then messages whose attachments match.

    Best first (bm25), unless more than search.RANKED_MATCHES messages match or a term of several is in
    more than search.RANKED_WORD_MATCHES: then newest first.
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
