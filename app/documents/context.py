"""Putting a conversation's attachments into the prompt: whole when they fit, else the best passages.

The decision is made again for every question, because the room left shrinks as the conversation
grows. Whatever is decided is returned as `uses` and saved with the reply, so the window can say
"Read the whole document" or "Used the 6 most relevant passages of 212". Never a silent cut.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from app.documents.document import with_page_markers
from app.documents.retrieval import (
    MAX_PASSAGES,
    chunk_label,
    document_from,
    question_words,
    spread,
)
from app.engine import Engine, Toolbox, reply_reserve
from app.reply_stats import DocumentUse, Passage, ReplyStats, UseMode
from app.store import AttachmentRecord, ChunkRecord, HistoryStore, MessageRecord

# Template overhead per message and rounding in token counts: a little room so the prompt the
# engine renders is never the one that does not fit.
_SAFETY_TOKENS: Final = 64
# A passage-mode document always gets at least this share of the context, even if older turns
# must be dropped for it (the engine drops them and says so): the question is about the document.
_MIN_PASSAGE_SHARE: Final = 4
# Whole-document candidates are ruled out without tokenizing when even this many characters per
# token could not make them fit (real text runs 3 to 5).
_MAX_CHARS_PER_TOKEN: Final = 8

PASSAGES_INTRO: Final = (
    "Passages from the attached documents, the most relevant to the question. Each starts with its "
    "source in brackets; when you use one, cite it exactly like that, for example [{example}]."
)


@dataclass(frozen=True)
class DocumentPrompt:
    messages: list[dict[str, Any]]
    # One entry per attachment, saved in the reply's stats["documents"].
    uses: list[DocumentUse]


# A document's text and name come from the file, not from the user or from Hearth: nothing in them may
# close the wrapper and open a forged one, or stand on a line of its own as a passage's source label.
# Such look-alikes keep their words for the model but lose their power: "<" of a wrapper tag becomes
# "‹", and a label's brackets become full-width ones.
_WRAPPER_TAG: Final = re.compile(r"<(?=\s*/?\s*document\b)", re.IGNORECASE)
_LABEL_LINE: Final = re.compile(r"^\s*\[([^\[\]\n]{1,300})\]\s*$", re.MULTILINE)


def neutral_text(text: str) -> str:
    """A document's text with nothing in it that could pass for the prompt's own markup. The length is
    kept, character for character, so page anchors into the text still point where they did."""
    unwrapped = _WRAPPER_TAG.sub("‹", text)
    return _LABEL_LINE.sub(lambda line: line.group(0).replace("[", "［").replace("]", "］"), unwrapped)


def _name(record: AttachmentRecord) -> str:
    """The file name as one line, fit for the wrapper's attribute (a name may hold quotes or a newline)."""
    return html.escape(" ".join(record.name.split()), quote=True)


def _wrap_whole(record: AttachmentRecord, text: str) -> str:
    name = _name(record)
    cite = f" Cite pages like [{name} p. 2]." if record.page_count else ""
    return f'<document name="{name}">{cite}\n{text}\n</document>'


def _passage_note(record: AttachmentRecord) -> str:
    return (
        f"(Attached: {_name(record)}. It is too long to include whole; its most relevant passages "
        "are given with each question.)"
    )


def _passages_block(chunks: Sequence[ChunkRecord]) -> str:
    intro = PASSAGES_INTRO.format(example=chunk_label(chunks[0]))
    body = "\n\n".join(f"[{chunk_label(chunk)}]\n{neutral_text(chunk.text)}" for chunk in chunks)
    return f"{intro}\n\n{body}"


class _Builder:
    def __init__(self, engine: Engine, store: HistoryStore) -> None:
        self.engine = engine
        self.store = store

    def whole_text(self, record: AttachmentRecord, budget: int) -> tuple[str, int] | None:
        """The wrapped whole text and its tokens, or None if it cannot fit in `budget`."""
        if record.chars > budget * _MAX_CHARS_PER_TOKEN:
            return None
        content = self.store.attachment_content(record.id)
        if content is None:
            return None
        # Neutralised before Hearth adds its own page markers ("[Page 2]"), which must stay markers.
        document = document_from(record, neutral_text(content.text), content.anchors)
        text = _wrap_whole(record, with_page_markers(document))
        tokens = self.engine.count_text_tokens(text)
        return (text, tokens) if tokens <= budget else None

    def passages(self, records: Sequence[AttachmentRecord], question: str, budget: int) -> list[ChunkRecord]:
        ids = [r.id for r in records]
        words = question_words(question)
        candidates = self.store.best_chunks(ids, words, MAX_PASSAGES * 2) if words else []
        if not candidates:
            # Nothing to search for ("summarise this") or no match: a sample across each document.
            share = max(1, MAX_PASSAGES // len(records))
            for record in records:
                candidates += self.store.chunks_at(record.id, spread(record.chunk_count, share))
        chosen: list[ChunkRecord] = []
        for chunk in candidates:
            if len(chosen) == MAX_PASSAGES:
                break
            cost = self.engine.count_text_tokens(f"[{chunk_label(chunk)}]\n{neutral_text(chunk.text)}\n\n")
            if cost <= budget:
                chosen.append(chunk)
                budget -= cost
        # Reading order reads better than score order, and keeps a document's pages together.
        order = {record.id: index for index, record in enumerate(records)}
        return sorted(chosen, key=lambda c: (order[c.attachment_id], c.ordinal))


def _earlier_passages(store: HistoryStore, records: Sequence[MessageRecord]) -> dict[int, list[ChunkRecord]]:
    """For each earlier question answered from passages: those passages, as the reply's stats recorded.

    They go back into the question exactly as they were sent, so the model still sees what its earlier
    answers were based on, and the prompt's start is unchanged and reused from the model's cache.
    """
    used: dict[int, list[ChunkRecord]] = {}
    for question, reply in itertools.pairwise(records):
        if question.role == "user" and reply.role == "assistant" and reply.parent_id == question.id:
            ids = ReplyStats.from_json(reply.stats).passage_ids()
            if ids:
                used[question.id] = store.chunks_by_id(ids)
    return used


def _question_text(record: MessageRecord, passages: Sequence[ChunkRecord]) -> str:
    if record.role != "user" or not passages:
        return record.content
    return f"{_passages_block(passages)}\n\nQuestion: {record.content}"


def _system_messages(system_prompt: str | None) -> list[dict[str, Any]]:
    return [{"role": "system", "content": system_prompt}] if system_prompt else []


def engine_message(record: MessageRecord, passages: Sequence[ChunkRecord] = ()) -> dict[str, Any]:
    """A stored message as the engine takes it (a question with the passages it was answered from)."""
    message: dict[str, Any] = {"role": record.role, "content": _question_text(record, passages)}
    if record.role == "assistant" and record.reasoning:
        message["reasoning"] = record.reasoning
    return message


def build_prompt(
    engine: Engine,
    store: HistoryStore,
    records: Sequence[MessageRecord],
    system_prompt: str | None,
    *,
    reasoning_effort: str = "medium",
    max_tokens: int | None = None,
    toolbox: Toolbox | None = None,
) -> DocumentPrompt:
    """Engine messages for `records` (the thread to answer, ending with the question) with attachments.

    `toolbox`: the tools the reply may use; their descriptions take room in the prompt (about a thousand
    tokens for gpt-oss's browser), so documents get that much less.
    """
    head = _system_messages(system_prompt)
    attached = store.attachments_for([r.id for r in records if r.role == "user"])
    if not attached or engine.info is None:
        return DocumentPrompt(head + [engine_message(record) for record in records], [])
    earlier = _earlier_passages(store, records[:-1])
    plain = [engine_message(record, earlier.get(record.id, ())) for record in records]

    builder = _Builder(engine, store)
    n_ctx = engine.info.n_ctx
    budget = (
        n_ctx
        - reply_reserve(n_ctx, max_tokens)
        - engine.count_tokens(head + plain, reasoning_effort, toolbox=toolbox)
        - _SAFETY_TOKENS
    )
    whole: dict[int, str] = {}
    long_ones: list[AttachmentRecord] = []
    # Oldest first: a document already read whole stays whole while it still fits.
    in_order = [a for r in records for a in attached.get(r.id, [])]
    for attachment in in_order:
        found = builder.whole_text(attachment, budget)
        if found is None:
            long_ones.append(attachment)
            budget -= engine.count_text_tokens(_passage_note(attachment))
        else:
            whole[attachment.id], tokens = found
            budget -= tokens

    question = records[-1].content if records else ""
    chunks: list[ChunkRecord] = []
    if long_ones:
        # The block's introduction and the "Question:" label cost tokens too (a few hundred on a
        # byte-level vocabulary), so they come out of the passages' share before any is chosen.
        wrapper = engine.count_text_tokens(f"{PASSAGES_INTRO}\n\nQuestion: ")
        share = max(budget, n_ctx // _MIN_PASSAGE_SHARE) - wrapper
        chunks = builder.passages(long_ones, question, share)

    messages = list(head)
    for index, (record, message) in enumerate(zip(records, plain, strict=True)):
        parts = [whole[a.id] if a.id in whole else _passage_note(a) for a in attached.get(record.id, [])]
        last = index == len(records) - 1
        parts.append(_question_text(record, chunks) if last else message["content"])
        messages.append({**message, "content": "\n\n".join(p for p in parts if p)})

    uses = [
        _use(a, "whole", [])
        if a.id in whole
        else _use(a, "passages", [c for c in chunks if c.attachment_id == a.id])
        for a in in_order
    ]
    return DocumentPrompt(messages, uses)


def _use(record: AttachmentRecord, mode: UseMode, chunks: Sequence[ChunkRecord]) -> DocumentUse:
    return DocumentUse(
        attachment_id=record.id,
        name=record.name,
        mode=mode,
        passages_used=len(chunks),
        passages_total=record.chunk_count if mode == "passages" else 0,
        passages=tuple(Passage(chunk_id=c.id, label=chunk_label(c), page=c.page) for c in chunks),
    )
