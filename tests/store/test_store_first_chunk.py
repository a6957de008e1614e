"""The passage a page or section of an attachment begins with, for linking a citation of it."""

from __future__ import annotations

from app.store import HistoryStore, NewAttachment, NewChunk

# (page, heading, text) of each passage, in document order: page 2 has two, page 3 none.
PASSAGES = [
    (1, "", "Cover."),
    (2, "Terms", "The notice period is three months."),
    (2, "Terms", "Notice is given in writing."),
    (4, "Pets", "Pets are allowed with a deposit."),
]


def _attachment(name: str) -> NewAttachment:
    text = "\n".join(passage for _, _, passage in PASSAGES)
    return NewAttachment(
        name=name,
        kind="PDF",
        mime="application/pdf",
        size=len(text),
        sha256="ab" * 32,
        text=text,
        page_count=4,
        chunks=tuple(NewChunk(i, p, page=page, heading=h) for i, (page, h, p) in enumerate(PASSAGES)),
    )


def test_the_first_passage_of_a_page_a_range_or_a_section(store: HistoryStore) -> None:
    conversation = store.create_conversation()
    message = store.add_message(
        conversation, "user", "q", attachments=[_attachment("lease.pdf"), _attachment("other.pdf")]
    )
    lease, other = store.attachments_for([message])[message]

    def text(chunk_page: tuple[int, int] | None = None, heading: str = "") -> str | None:
        chunk = store.first_chunk(lease.id, pages=chunk_page, heading=heading)
        assert chunk is None or chunk.attachment_id == lease.id, "never another attachment's passage"
        return None if chunk is None else chunk.text

    assert text((2, 2)) == "The notice period is three months."
    assert text((3, 4)) == "Pets are allowed with a deposit.", "a range: the first page that has one"
    assert text((4, 2)) == "The notice period is three months.", "either order"
    assert text((3, 3)) is None, "a page without text has no passage"
    assert text(heading="Pets") == "Pets are allowed with a deposit."
    assert text(heading="Nowhere") is None
    assert text() == "Cover."
    assert store.first_chunk(other.id, pages=(2, 2)) != store.first_chunk(lease.id, pages=(2, 2))
    assert store.first_chunk(999) is None
