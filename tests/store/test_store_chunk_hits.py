"""Passages found with a snippet around their matches, for the browser tool's results page."""

from __future__ import annotations

from app.store import HistoryStore, NewAttachment, NewChunk
from app.store.search import SNIPPET_END, SNIPPET_START


def _attachment(name: str, passages: list[str]) -> NewAttachment:
    text = "\n".join(passages)
    return NewAttachment(
        name=name,
        kind="PDF",
        mime="application/pdf",
        size=len(text),
        sha256="cd" * 32,
        text=text,
        anchors=tuple((text.index(p), i + 1, "") for i, p in enumerate(passages)),
        page_count=len(passages),
        chunks=tuple(NewChunk(i, p, page=i + 1) for i, p in enumerate(passages)),
    )


LEASE = [
    "The lease starts in March and runs for two years.",
    "The tenant may end the lease with a notice period of three months, given in writing. "
    + "Other filler words follow here so the snippet has something to leave out. " * 6,
    "Pets are allowed with a deposit.",
]


def test_hits_come_best_first_with_the_matched_words_marked(store: HistoryStore) -> None:
    conversation = store.create_conversation()
    message = store.add_message(conversation, "user", "q", attachments=[_attachment("lease.pdf", LEASE)])
    [record] = store.attachments_for([message])[message]
    hits = store.chunk_hits([record.id], ["notice", "periods"], limit=5)
    assert [hit.chunk.page for hit in hits] == [2]
    [hit] = hits
    assert hit.chunk == store.get_chunk(hit.chunk.id)
    # Porter stemming: "periods" finds "period"; both words are marked, the long tail is cut.
    assert f"{SNIPPET_START}notice{SNIPPET_END} {SNIPPET_START}period{SNIPPET_END}" in hit.snippet
    assert hit.snippet.endswith("…")
    assert len(hit.snippet) < len(hit.chunk.text)


def test_hits_stay_within_the_attachments_asked_for_and_within_the_limit(store: HistoryStore) -> None:
    conversation = store.create_conversation()
    message = store.add_message(
        conversation,
        "user",
        "q",
        attachments=[_attachment("lease.pdf", LEASE), _attachment("other.pdf", ["The lease of the boat."])],
    )
    lease, other = store.attachments_for([message])[message]
    assert {h.chunk.attachment_name for h in store.chunk_hits([other.id], ["lease"], limit=5)} == {
        "other.pdf"
    }
    assert len(store.chunk_hits([lease.id, other.id], ["lease"], limit=2)) == 2
    assert store.chunk_hits([lease.id], ["lease"], limit=0) == []
    assert store.chunk_hits([], ["lease"], limit=5) == []
    # Operators typed by the model are only text; a snippet length FTS5 would refuse is clamped.
    assert store.chunk_hits([lease.id], ['"', "NEAR(", "*", "NOT"], limit=3) == []
    assert len(store.chunk_hits([lease.id], ["lease"], limit=5, snippet_tokens=1000)) == 2
    assert len(store.chunk_hits([lease.id], ["lease"], limit=5, snippet_tokens=-3)) == 2
