"""One chat turn, start to finish: store the question, stream the reply, keep every word.

Qt-free so the command line and the GUI's inference worker run exactly the same steps.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from app.documents.context import build_prompt
from app.documents.document import Document
from app.documents.retrieval import to_new_attachment
from app.engine import ChatEvent, ChatStats, Engine
from app.engine.repetition import without_repetition
from app.i18n import translate
from app.presets import valid_temperature
from app.reply_stats import DocumentUse, ReplyStats
from app.store import HistoryStore, MessageRecord, ReplyRecorder, StoreError

# "tool_limit": the model kept calling tools past the bounds and was stopped; what it wrote is kept.
FINISH_TO_STATUS = {
    "stop": "done",
    "length": "done",
    "cancelled": "stopped",
    "repetition": "done",
    "tool_limit": "done",
}


@dataclass(frozen=True)
class TurnResult:
    conversation_id: int
    user_message_id: int
    reply_message_id: int
    answer: str
    reasoning: str
    status: str
    stats: ChatStats | None
    # How each attachment of the conversation was given to the model.
    documents: tuple[DocumentUse, ...] = ()

    @property
    def reply_stats(self) -> ReplyStats:
        """The stats saved with the reply: the engine's figures and the documents' use."""
        return _reply_stats(self.stats, self.documents)


def _reply_stats(stats: ChatStats | None, documents: Sequence[DocumentUse]) -> ReplyStats:
    return ReplyStats(**(stats.as_dict() if stats else {}), documents=tuple(documents))


def _stored_stats(stats: ChatStats | None, documents: Sequence[DocumentUse]) -> dict[str, Any] | None:
    if stats is None and not documents:
        return None
    return _reply_stats(stats, documents).to_json()


def included(thread: Sequence[MessageRecord]) -> list[MessageRecord]:
    """The messages of a stored thread that go into the prompt.

    An exchange whose reply failed is left out (the question stays visible in the history, but a
    message that was, say, too long must not break every later turn); a stopped reply is kept.
    """
    failed = {
        record.parent_id for record in thread if record.role == "assistant" and record.status == "error"
    }
    return [
        record
        for record in thread
        if not (
            record.id in failed
            or record.status == "error"
            or (record.role == "assistant" and not record.content)
        )
    ]


def default_question(documents: Sequence[Document]) -> str:
    """What a message with attachments and no words asks; stored, so the user sees what was asked."""
    if len(documents) > 1:
        return translate("Chat", "Summarise the attached documents.")
    return translate("Chat", "Summarise the attached document.")


def add_question(
    store: HistoryStore,
    conversation_id: int,
    user_text: str,
    documents: Sequence[Document] = (),
    *,
    replacing: int | None = None,
) -> int:
    """Store the question, with its attachments, at the end of the branch on screen; reply_to answers
    its id. `replacing`: an edit of that earlier question instead, a sibling branch that keeps the
    documents it was asked with.

    The attachments are cut into indexed passages here, so a later question can retrieve them.
    """
    if documents and not user_text.strip():
        user_text = default_question(documents)
    if replacing is None:
        parent_id = _last_reply_on_screen(store, conversation_id)
    else:
        original = store.get_message(replacing)
        if original is None or original.conversation_id != conversation_id or original.role != "user":
            raise StoreError(
                translate("Chat", "That message is no longer in this conversation, so it cannot be edited.")
            )
        parent_id = original.parent_id
    return store.add_message(
        conversation_id,
        "user",
        user_text,
        parent_id=parent_id,
        attachments=[to_new_attachment(document) for document in documents],
        attachments_from=replacing,
    )


def _last_reply_on_screen(store: HistoryStore, conversation_id: int) -> int | None:
    """Where a new question goes: under the end of the branch on screen, its last reply.

    The end can be a question without a reply: another process (the window, a second `hearth ask`) has
    just stored it and is about to answer it, or its answer never started. The new question then goes
    beside it, under the same reply: under it, the new question would sit in another one's turn, and its
    prompt would hold two questions in a row.
    """
    leaf = store.current_leaf(conversation_id)
    if leaf is not None:
        end = store.get_message(leaf)
        if end is not None and end.role == "user":
            return end.parent_id
    return leaf


def reply_to(
    engine: Engine,
    store: HistoryStore,
    conversation_id: int,
    user_message_id: int,
    *,
    reasoning_effort: str = "medium",
    max_tokens: int | None = None,
    temperature: float | None = None,
    top_p: float | None = None,
    default_temperature: float | None = None,
    thinking: bool | None = None,
    cancel: threading.Event | None = None,
    on_started: Callable[[int, int], None] = lambda _user_id, _reply_id: None,
    on_event: Callable[[ChatEvent], None] = lambda _event: None,
    on_documents: Callable[[int, list[DocumentUse]], None] = lambda _reply_id, _uses: None,
) -> TurnResult:
    """Stream a reply to a stored user message into the store; a second reply to the same message is a branch.

    `thinking` turns a model's thinking switch on or off (Engine.chat); None keeps the model's default.
    `on_started(user_message_id, reply_message_id)` runs once the reply exists in the store, before
    the first token, so a window can show where the text will go. Then, if the conversation has
    attachments, `on_documents(reply_message_id, uses)` says how each is given to the model (as saved
    in the reply's stats["documents"]).
    """
    conversation = store.get_conversation(conversation_id)
    if temperature is None and conversation is not None:
        # The conversation's own, set in its panel or by its preset; else the user's default from
        # Settings; else the model's own.
        temperature = valid_temperature(conversation.settings.get("temperature"))
    if temperature is None:
        temperature = default_temperature
    prompt = build_prompt(
        engine,
        store,
        included(store.thread(conversation_id, user_message_id)),
        conversation.system_prompt if conversation else None,
        reasoning_effort=reasoning_effort,
        max_tokens=max_tokens,
    )
    messages = prompt.messages
    documents = tuple(prompt.uses)
    recorder = ReplyRecorder(store, conversation_id, user_message_id)
    on_started(user_message_id, recorder.message_id)
    if documents:
        # Said before the first token, so the reader knows at once what the answer can draw on.
        on_documents(recorder.message_id, list(documents))
    stats: ChatStats | None = None
    try:
        for event in engine.chat(
            messages,
            reasoning_effort=reasoning_effort,
            max_tokens=max_tokens,
            temperature=temperature,
            cancel=cancel,
            top_p=top_p,
            thinking=thinking,
        ):
            if event.kind == "answer":
                recorder.append_answer(event.text)
            elif event.kind == "reasoning":
                recorder.append_reasoning(event.text)
            else:
                stats = event.stats
            on_event(event)
    except BaseException as exc:
        # Whatever was streamed so far stays; the message says what went wrong.
        status = "stopped" if isinstance(exc, KeyboardInterrupt) else "error"
        try:
            recorder.finish(status, _stored_stats(None, documents), error=str(exc))
        except StoreError:
            if not isinstance(exc, StoreError):
                raise
            # The history could not be written a moment ago (a full disk) and still cannot: the reply
            # keeps its last save, which the next start marks 'stopped'. The first failure is the news.
        raise
    status = FINISH_TO_STATUS[stats.finish_reason] if stats else "done"
    if stats is not None and stats.finish_reason == "repetition":
        # One copy of the loop is kept: the reply goes back to the model as history, and a loop left
        # in its context invites the next one.
        recorder.replace(
            answer=without_repetition(recorder.answer), reasoning=without_repetition(recorder.reasoning)
        )
    recorder.finish(status, _stored_stats(stats, documents))
    return TurnResult(
        conversation_id=conversation_id,
        user_message_id=user_message_id,
        reply_message_id=recorder.message_id,
        answer=recorder.answer,
        reasoning=recorder.reasoning,
        status=status,
        stats=stats,
        documents=documents,
    )
