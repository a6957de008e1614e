"""Documents too long for the prompt: cut into overlapping passages, indexed, the best found per question.

A passage never crosses a page or a section, so each has one citation label ("report.pdf p. 4").
The index itself is SQLite FTS5 with bm25, kept by the store (all SQL lives there).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Final

from app.documents.document import Anchor, Document
from app.store import AttachmentRecord, ChunkRecord, HistoryStore, NewAttachment, NewChunk

# About 500 tokens of English (4 characters a token): big enough to hold an answer with its
# context, small enough that several fit next to a long conversation.
CHUNK_CHARS: Final = 2000
# Carried over from the end of the previous passage, so a sentence cut at a boundary is whole in one.
OVERLAP_CHARS: Final = 200
# Enough to hold an answer spread over a few places; more mostly adds noise for a small model.
MAX_PASSAGES: Final = 8

_PARAGRAPH = re.compile(r"\n\s*\n")
_WORD = re.compile(r"\w+", re.UNICODE)
# Words that say nothing about which passage holds the answer. Kept short on purpose: bm25
# already discounts common words; these are the ones that appear in every question.
_STOPWORDS: Final = frozenset(
    """a about above after again all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers him his how i if in into is it its itself just me more
    most my no nor not now of off on once only or other our ours out over own same she should so
    some such than that the their theirs them then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would you
    your yours please tell explain say says said document file attached attachment pdf page pages
    give show find summarise summarize""".split()  # noqa: SIM905 (a word list reads better as prose)
)


def citation_label(name: str, page: int | None, heading: str = "", ordinal: int | None = None) -> str:
    """How a passage is cited in an answer, without brackets: "report.pdf p. 4"."""
    if page is not None:
        return f"{name} p. {page}"
    if heading:
        return f"{name} § {heading}"
    if ordinal is not None:
        return f"{name} part {ordinal + 1}"
    return name


def chunk_label(chunk: ChunkRecord) -> str:
    return citation_label(chunk.attachment_name, chunk.page, chunk.heading, chunk.ordinal)


def _segments(document: Document) -> Iterator[tuple[Anchor | None, str]]:
    """The text split at every page or section start, each piece with its anchor."""
    starts = [a for a in document.anchors if 0 <= a.offset <= len(document.text)]
    if not starts or starts[0].offset > 0:
        yield None, document.text[: starts[0].offset if starts else len(document.text)]
    for index, anchor in enumerate(starts):
        end = starts[index + 1].offset if index + 1 < len(starts) else len(document.text)
        yield anchor, document.text[anchor.offset : end]


def _pieces(text: str) -> Iterator[str]:
    """Paragraphs, with any longer than a passage cut at a sentence end or a space."""
    for raw in _PARAGRAPH.split(text):
        paragraph = raw.strip()
        while len(paragraph) > CHUNK_CHARS:
            cut = max(paragraph.rfind(". ", 0, CHUNK_CHARS), paragraph.rfind("\n", 0, CHUNK_CHARS))
            if cut < CHUNK_CHARS // 2:
                cut = paragraph.rfind(" ", 0, CHUNK_CHARS)
            if cut < CHUNK_CHARS // 2:
                cut = CHUNK_CHARS - 1
            yield paragraph[: cut + 1].strip()
            paragraph = paragraph[cut + 1 :].strip()
        if paragraph:
            yield paragraph


def _overlap(text: str) -> str:
    tail = text[-OVERLAP_CHARS:]
    space = tail.find(" ")
    return tail[space + 1 :] if 0 <= space < len(tail) - 1 else ""


def chunk_document(document: Document) -> list[NewChunk]:
    """The document as passages of about CHUNK_CHARS, overlapping, each within one page or section."""
    chunks: list[NewChunk] = []
    for anchor, text in _segments(document):
        page = anchor.page if anchor else None
        heading = anchor.heading if anchor else ""
        current = ""
        for piece in _pieces(text):
            if current and len(current) + 2 + len(piece) > CHUNK_CHARS:
                chunks.append(NewChunk(len(chunks), current, page, heading))
                lead = _overlap(current)
                current = f"{lead} {piece}" if lead else piece
            else:
                current = f"{current}\n\n{piece}" if current else piece
        if current.strip():
            chunks.append(NewChunk(len(chunks), current, page, heading))
    return chunks


def to_new_attachment(document: Document) -> NewAttachment:
    """What the store keeps of a document: its text and anchors, and its passages for retrieval."""
    return NewAttachment(
        name=document.name,
        kind=document.kind,
        mime=document.mime,
        size=document.size,
        sha256=document.sha256,
        text=document.text,
        anchors=tuple((a.offset, a.page, a.heading) for a in document.anchors),
        page_count=document.page_count,
        notes=document.notes,
        chunks=tuple(chunk_document(document)),
    )


def document_from(
    record: AttachmentRecord, text: str, anchors: Sequence[tuple[int, int | None, str]]
) -> Document:
    return Document(
        name=record.name,
        kind=record.kind,
        mime=record.mime,
        size=record.size,
        sha256=record.sha256,
        text=text,
        anchors=tuple(Anchor(offset, page, heading) for offset, page, heading in anchors),
        page_count=record.page_count,
        notes=record.notes,
    )


def load_document(store: HistoryStore, attachment_id: int) -> Document | None:
    """A stored attachment as the Document it was made from (None if it was deleted)."""
    content = store.attachment_content(attachment_id)
    if content is None:
        return None
    return document_from(content.record, content.text, content.anchors)


def question_words(question: str) -> list[str]:
    """The words of a question worth searching for, in order, without repeats."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(question.lower()):
        if word not in _STOPWORDS and (len(word) > 1 or word.isdigit()):
            seen.setdefault(word)
    return list(seen)


def spread(total: int, count: int) -> list[int]:
    """`count` positions spread evenly over `total` passages, the first always included.

    For a question with nothing to search for ("summarise this"): a sample of the whole document
    is more honest than its first pages only.
    """
    if total <= 0 or count <= 0:
        return []
    if count >= total:
        return list(range(total))
    return sorted({round(i * (total - 1) / max(count - 1, 1)) for i in range(count)})
