"""The conversation on screen and its turns: which conversation is open, sending, regenerating, stopping,
and the reply streaming in.

The controller holds the state and the rules; the view (the main window's widgets, or a stand-in in
the tests) only shows what it is told, through the small ConversationView protocol. Everything slow
happens elsewhere: a turn on the inference worker (a new conversation is created there too, so a
failed send leaves the history as it was), reads of the history through run_job.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QObject

from app.documents.document import Document
from app.reply_stats import DocumentUse, ReplyStats
from app.store import AttachmentRecord, HistoryStore, MessageRecord
from app.turn import TurnResult, default_question
from app.ui.attachments import PendingAttachment, SentAttachment
from app.ui.jobs import run_job
from app.ui.workers import InferenceService

# A thread of messages, and the attachments of its user messages by message id.
Thread = tuple[list[MessageRecord], dict[int, list[AttachmentRecord]]]


def load_thread(store: HistoryStore, conversation_id: int, until: int | None = None) -> Thread:
    """The conversation's current branch (up to message `until`) with its attachments; off the UI thread."""
    thread = store.thread(conversation_id, until)
    return thread, store.attachments_for([m.id for m in thread if m.role == "user"])


class LiveReply(Protocol):
    """A reply being shown as it streams in (ReplyWidget in the window)."""

    def append_reasoning(self, text: str) -> None: ...
    def append_answer(self, text: str) -> None: ...
    def set_documents(self, uses: Sequence[DocumentUse]) -> None: ...
    def finish(self, status: str, stats: ReplyStats, error: str | None = None) -> None: ...


class ConversationView(Protocol):
    """What the controller asks of the screen; every call comes on the UI thread."""

    def current_effort(self) -> str: ...
    def set_effort(self, effort: str) -> None: ...
    def clear_thread(self) -> None: ...
    def show_thread(
        self, thread: list[MessageRecord], attachments: dict[int, list[AttachmentRecord]]
    ) -> None: ...
    def show_question(self, message_id: int, text: str, attachments: list[SentAttachment]) -> None: ...
    def focus_message(self, message_id: int) -> None: ...
    def begin_reply(self, reply_message_id: int) -> LiveReply: ...
    def take_draft(self) -> tuple[PendingAttachment, ...]: ...
    def restore_draft(self, text: str, attachments: tuple[PendingAttachment, ...]) -> None: ...
    def set_streaming(self, streaming: bool) -> None: ...
    def set_context_used(self, tokens: int) -> None: ...
    def show_message(self, text: str) -> None: ...
    def show_problem(self, error: BaseException) -> None: ...
    def hide_message(self) -> None: ...
    def conversations_changed(self) -> None: ...


@dataclass(frozen=True)
class _Sent:
    """A question on its way to the worker: shown once stored, given back to the composer if it fails."""

    text: str
    documents: tuple[Document, ...]
    attachments: tuple[PendingAttachment, ...]  # the chips, to give back


class ConversationController(QObject):
    """Which conversation is on screen, and the turn in progress; use from the UI thread only."""

    def __init__(
        self,
        view: ConversationView,
        store: HistoryStore,
        inference: InferenceService,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._view = view
        self._store = store
        self._inference = inference
        self._conversation_id: int | None = None
        # Set while the first question of a new conversation is on its way: the worker creates the
        # conversation, and its id arrives with reply_started.
        self._awaiting_new = False
        self._streaming = False
        self._model_loading = False
        self._sent: _Sent | None = None
        self._live: tuple[int, LiveReply] | None = None
        inference.loading.connect(self._load_began)
        inference.loaded.connect(self._load_ended)
        inference.load_failed.connect(self._load_ended)
        inference.reply_started.connect(self._reply_started)
        inference.reply_event.connect(self._reply_event)
        inference.reply_documents.connect(self._reply_documents)
        inference.reply_finished.connect(self._reply_finished)
        inference.reply_failed.connect(self._reply_failed)

    @property
    def conversation_id(self) -> int | None:
        return self._conversation_id

    def model_requested(self) -> None:
        """A model was asked for: until it is loaded, a send waits instead of going to the previous one.

        Called when the request is made, not when the worker gets to it, so a send in between waits too.
        """
        self._model_loading = True

    def _load_began(self, _path: str) -> None:
        self._model_loading = True

    def _load_ended(self, _outcome: object) -> None:
        self._model_loading = False

    # -- which conversation ----------------------------------------------------------------------

    def new_conversation(self) -> None:
        self._leave()
        self._conversation_id = None
        self._view.clear_thread()
        self._view.conversations_changed()

    def open_conversation(self, conversation_id: int) -> None:
        if conversation_id != self._conversation_id:
            self._open(conversation_id, None)

    def open_at(self, conversation_id: int, message_id: int) -> None:
        """Open the conversation on the branch through `message_id` (a search hit), scrolled to it."""
        self._open(conversation_id, message_id)

    def _open(self, conversation_id: int, message_id: int | None) -> None:
        self._leave()
        self._conversation_id = conversation_id
        self._view.clear_thread()
        store = self._store

        def load() -> tuple[str | None, Thread]:
            # A hit on another branch puts that branch on screen (and keeps it there, as a pick would).
            leaf = store.show_branch(message_id) if message_id is not None else None
            conversation = store.get_conversation(conversation_id)
            effort = conversation.reasoning_effort if conversation else None
            return effort, load_thread(store, conversation_id, leaf)

        def loaded(result: tuple[str | None, Thread]) -> None:
            if self._show(conversation_id, *result) and message_id is not None:
                self._view.focus_message(message_id)

        run_job(load, loaded, self._view.show_problem, parent=self)

    def _leave(self) -> None:
        self.stop()  # a stopped reply is still saved by the worker, under the conversation it belongs to
        self._awaiting_new = False
        self._live = None

    def _show(self, conversation_id: int, effort: str | None, loaded: Thread) -> bool:
        """Show a loaded thread; False if the user moved on while it loaded."""
        if conversation_id != self._conversation_id:
            return False
        thread = loaded[0]
        self._view.show_thread(*loaded)
        if effort:
            self._view.set_effort(effort)
        last_stats = next((m.stats for m in reversed(thread) if m.stats), None)
        self._view.set_context_used(ReplyStats.from_json(last_stats).context_used)
        self._view.conversations_changed()
        return True

    # -- a turn ----------------------------------------------------------------------------------

    def send(self, text: str, documents: Sequence[Document] = ()) -> None:
        if self._streaming:
            return
        if self._model_loading:
            self._view.show_message(self.tr("The model is still loading. Send again in a moment."))
            return
        if self._inference.model_info is None:
            self._view.show_message(self.tr("Choose a model first: click “Choose model…” above the chat."))
            return
        self._view.hide_message()
        self._sent = _Sent(text, tuple(documents), self._view.take_draft())
        self._awaiting_new = self._conversation_id is None
        self._set_streaming(True)
        effort = self._view.current_effort()
        self._inference.ask(self._conversation_id or 0, text, effort, self._sent.documents)

    def regenerate(self, reply_id: int) -> None:
        if self._streaming or self._conversation_id is None or self._inference.model_info is None:
            return
        conversation_id = self._conversation_id
        effort = self._view.current_effort()
        store = self._store
        # Claimed now, so a second click or a send waits while the thread loads off the UI thread.
        self._set_streaming(True)

        def load() -> tuple[int, Thread] | None:
            reply = store.get_message(reply_id)
            if reply is None or reply.parent_id is None:
                return None
            return reply.parent_id, load_thread(store, conversation_id, reply.parent_id)

        def loaded(found: tuple[int, Thread] | None) -> None:
            if found is None or conversation_id != self._conversation_id:
                self._set_streaming(False)  # the reply is gone, or the user moved on meanwhile
                return
            question_id, thread = found
            self._view.show_thread(*thread)
            self._sent = None  # a regenerated reply answers a stored question, not a new one
            self._inference.regenerate(conversation_id, question_id, effort)

        def failed(error: BaseException) -> None:
            self._set_streaming(False)
            self._view.show_problem(error)

        run_job(load, loaded, failed, parent=self)

    def stop(self) -> None:
        if self._streaming:
            self._inference.cancel()

    def _set_streaming(self, streaming: bool) -> None:
        self._streaming = streaming
        self._view.set_streaming(streaming)

    def _is_on_screen(self, conversation_id: int) -> bool:
        return conversation_id == self._conversation_id or (
            self._awaiting_new and self._conversation_id is None
        )

    # -- the worker's signals (on the UI thread) -------------------------------------------------

    def _reply_started(self, conversation_id: int, user_message_id: int, reply_message_id: int) -> None:
        if not self._is_on_screen(conversation_id):
            return
        self._conversation_id = conversation_id
        self._awaiting_new = False
        if self._sent is not None:
            documents = self._sent.documents
            # As stored: a message of documents alone asks the default question (app.turn).
            text = self._sent.text or (default_question(documents) if documents else "")
            self._view.show_question(
                user_message_id, text, [SentAttachment.from_document(d) for d in documents]
            )
            self._sent = None
        self._live = (reply_message_id, self._view.begin_reply(reply_message_id))
        self._view.conversations_changed()

    def _live_reply(self, reply_message_id: int) -> LiveReply | None:
        if self._live is not None and self._live[0] == reply_message_id:
            return self._live[1]
        return None

    def _reply_event(self, reply_message_id: int, kind: str, text: str) -> None:
        live = self._live_reply(reply_message_id)
        if live is None:
            return
        if kind == "reasoning":
            live.append_reasoning(text)
        else:
            live.append_answer(text)

    def _reply_documents(self, reply_message_id: int, uses: list[DocumentUse]) -> None:
        live = self._live_reply(reply_message_id)
        if live is not None:
            live.set_documents(uses)

    def _reply_finished(self, result: TurnResult) -> None:
        self._set_streaming(False)
        live = self._live_reply(result.reply_message_id)
        if live is not None:
            # Exactly what was saved on the reply, so it looks the same when the thread is opened again.
            stats = result.reply_stats
            live.finish(result.status, stats)
            if result.stats:
                self._view.set_context_used(stats.context_used)
        self._live = None
        self._view.conversations_changed()

    def _reply_failed(self, conversation_id: int, message: str) -> None:
        self._set_streaming(False)
        self._awaiting_new = False
        if self._live is None and self._sent is not None:
            # Nothing was stored (e.g. no model): give the words and documents back so nothing is lost.
            self._view.restore_draft(self._sent.text, self._sent.attachments)
        elif self._live is not None and conversation_id == self._conversation_id:
            self._live[1].finish("error", ReplyStats(), message)
        self._sent = None
        self._live = None
        self._view.show_message(message)
