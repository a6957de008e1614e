"""One chat turn, start to finish: store the question, stream the reply, keep every word.

Qt-free so the command line and the GUI's inference worker run exactly the same steps.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from app.documents.context import build_prompt
from app.documents.document import Document
from app.documents.retrieval import to_new_attachment
from app.engine import ChatEvent, ChatStats, Engine
from app.engine.repetition import without_repetition
from app.i18n import translate
from app.presets import valid_temperature
from app.reply_stats import DocumentUse, Passage, ReplyStats, ToolUse
from app.store import HistoryStore, MessageRecord, ReplyRecorder, StoreError
from app.tools.citations import CitationStream
from app.tools.tool_sessions import ToolSessions
from app.tools.toolbox import ConversationTools

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
    # How each attachment of the conversation was given to the model (with the pages its browser
    # cited, for linking their labels).
    documents: tuple[DocumentUse, ...] = ()
    # What each call of the model's built-in tools did, in order.
    tools: tuple[ToolUse, ...] = ()

    @property
    def reply_stats(self) -> ReplyStats:
        """The stats saved with the reply: the engine's figures, the documents' use and the tools'."""
        return _reply_stats(self.stats, self.documents, self.tools)


def _reply_stats(
    stats: ChatStats | None, documents: Sequence[DocumentUse], tools: Sequence[ToolUse] = ()
) -> ReplyStats:
    return ReplyStats(**(stats.as_dict() if stats else {}), documents=tuple(documents), tools=tuple(tools))


def _stored_stats(
    stats: ChatStats | None, documents: Sequence[DocumentUse], tools: Sequence[ToolUse] = ()
) -> dict[str, Any] | None:
    if stats is None and not documents and not tools:
        return None
    return _reply_stats(stats, documents, tools).to_json()


def finish_note(finish_reason: str | None) -> str | None:
    """The line under a reply the model did not end itself, when one is owed; None otherwise."""
    if finish_reason == "repetition":
        return translate("Chat", "Stopped: the model was repeating itself.")
    if finish_reason == "tool_limit":
        return translate("Chat", "Stopped: the model used its tools too many times.")
    return None


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
    tools: ToolSessions | None = None,
) -> TurnResult:
    """Stream a reply to a stored user message into the store; a second reply to the same message is a branch.

    `thinking` turns a model's thinking switch on or off (Engine.chat); None keeps the model's default.
    `on_started(user_message_id, reply_message_id)` runs once the reply exists in the store, before
    the first token, so a window can show where the text will go. Then, if the conversation has
    attachments, `on_documents(reply_message_id, uses)` says how each is given to the model (as saved
    in the reply's stats["documents"]).

    `tools`: what keeps the built-in tools' state between replies (the window keeps one, `hearth ask`
    makes one). With it a model that has built-in tools (gpt-oss) gets those this reply can use
    (app.tools.toolbox.conversation_tools); each call comes to `on_event` as a "tool" event and is saved
    in the reply's stats["tools"], and the browser's citations (【3†L4-L5】) reach `on_event` and the
    history as Hearth's labels ("[report.pdf p. 4]"). Without it, or for other models, no tools at all.
    """
    conversation = store.get_conversation(conversation_id)
    if temperature is None and conversation is not None:
        # The conversation's own, set in its panel or by its preset; else the user's default from
        # Settings; else the model's own.
        temperature = valid_temperature(conversation.settings.get("temperature"))
    if temperature is None:
        temperature = default_temperature
    records = included(store.thread(conversation_id, user_message_id))
    toolbox = None
    if tools is not None:
        questions = [record.id for record in records if record.role == "user"]
        toolbox = tools.for_reply(engine.info, store, conversation_id, questions)
    prompt = build_prompt(
        engine,
        store,
        records,
        conversation.system_prompt if conversation else None,
        reasoning_effort=reasoning_effort,
        max_tokens=max_tokens,
        toolbox=toolbox,
    )
    messages = prompt.messages
    documents = tuple(prompt.uses)
    recorder = ReplyRecorder(store, conversation_id, user_message_id)
    on_started(user_message_id, recorder.message_id)
    if documents:
        # Said before the first token, so the reader knows at once what the answer can draw on.
        on_documents(recorder.message_id, list(documents))
    text = _ReplyText(toolbox)
    stats: ChatStats | None = None
    used: list[ToolUse] = []
    try:
        for raw in engine.chat(
            messages,
            reasoning_effort=reasoning_effort,
            max_tokens=max_tokens,
            temperature=temperature,
            cancel=cancel,
            top_p=top_p,
            thinking=thinking,
            toolbox=toolbox,
        ):
            for event in text.shown(raw):
                if event.kind == "answer":
                    recorder.append_answer(event.text)
                elif event.kind == "reasoning":
                    recorder.append_reasoning(event.text)
                elif event.kind == "tool" and event.activity is not None:
                    activity = event.activity
                    used.append(ToolUse(activity.kind, activity.summary, activity.detail, activity.seconds))
                else:
                    stats = event.stats
                on_event(event)
    except BaseException as exc:
        # Whatever was streamed so far stays; the message says what went wrong.
        status = "stopped" if isinstance(exc, KeyboardInterrupt) else "error"
        try:
            recorder.finish(status, _stored_stats(None, documents, used), error=str(exc))
        except StoreError:
            if not isinstance(exc, StoreError):
                raise
            # The history could not be written a moment ago (a full disk) and still cannot: the reply
            # keeps its last save, which the next start marks 'stopped'. The first failure is the news.
        raise
    status = FINISH_TO_STATUS[stats.finish_reason] if stats else "done"
    answer, reasoning = text.final(recorder.answer, recorder.reasoning)
    if stats is not None and stats.finish_reason == "repetition":
        # One copy of the loop is kept: the reply goes back to the model as history, and a loop left
        # in its context invites the next one.
        answer, reasoning = without_repetition(answer), without_repetition(reasoning)
    if (answer, reasoning) != (recorder.answer, recorder.reasoning):
        recorder.replace(answer=answer, reasoning=reasoning)
    if toolbox is not None:
        documents = _with_cited(documents, toolbox.cited_passages(text.raw_answer, store))
    recorder.finish(status, _stored_stats(stats, documents, used))
    return TurnResult(
        conversation_id=conversation_id,
        user_message_id=user_message_id,
        reply_message_id=recorder.message_id,
        answer=recorder.answer,
        reasoning=recorder.reasoning,
        status=status,
        stats=stats,
        documents=documents,
        tools=tuple(used),
    )


_TextKind = Literal["answer", "reasoning"]


class _ReplyText:
    """A reply's text with the browser's citations mapped, as it streams and once it is complete.

    The engine gives the model's own text; the reader, the window and the history get Hearth's labels
    instead of `【3†L4-L5】` (which only mean something to the model). Without tools the text passes as is.
    """

    def __init__(self, toolbox: ConversationTools | None) -> None:
        self._toolbox = toolbox
        self._streams: dict[_TextKind, CitationStream] = {}
        if toolbox is not None:
            self._streams = {"answer": toolbox.citation_stream(), "reasoning": toolbox.citation_stream()}
        self._raw: dict[_TextKind, list[str]] = {"answer": [], "reasoning": []}

    @property
    def raw_answer(self) -> str:
        return "".join(self._raw["answer"])

    def shown(self, event: ChatEvent) -> list[ChatEvent]:
        """The events to pass on for one from the engine: its text mapped (possibly held back, for a
        citation that is not complete yet); before "done", whatever was held back."""
        if event.kind in ("answer", "reasoning"):
            self._raw[event.kind].append(event.text)
            stream = self._streams.get(event.kind)
            if stream is None:
                return [event]
            mapped = stream.feed(event.text)
            return [replace(event, text=mapped)] if mapped else []
        if event.kind == "done":
            rest = [ChatEvent(kind, stream.finish()) for kind, stream in self._streams.items()]
            return [*(e for e in rest if e.text), event]
        return [event]

    def final(self, answer: str, reasoning: str) -> tuple[str, str]:
        """The complete reply to keep: mapped whole, which is the one to trust (see CitationStream)."""
        if self._toolbox is None:
            return answer, reasoning
        return (
            self._toolbox.map_citations("".join(self._raw["answer"])),
            self._toolbox.map_citations("".join(self._raw["reasoning"])),
        )


def _with_cited(
    documents: Sequence[DocumentUse], cited: Mapping[int, Sequence[Passage]]
) -> tuple[DocumentUse, ...]:
    """The documents' uses with the passages of the pages the answer cites added, for linking their
    labels (each label once). Every attachment the browser could read has a use: both come from the
    branch being answered."""
    updated = []
    for use in documents:
        labels = {passage.label for passage in use.passages}
        extra = tuple(p for p in cited.get(use.attachment_id, ()) if p.label not in labels)
        updated.append(replace(use, passages=use.passages + extra) if extra else use)
    return tuple(updated)
