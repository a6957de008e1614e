"""The reply streaming onto the screen: the question on its way to the worker, the reply being written,
and what each of the worker's signals does to them. The conversation controller owns one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject

from app.documents.document import Document
from app.engine.tools import ToolActivity
from app.reply_stats import DocumentUse, ReplyStats
from app.turn import TurnResult, default_question
from app.ui.attachments import PendingAttachment, SentAttachment
from app.ui.conversation_view import ConversationView, LiveReply
from app.ui.workers import InferenceService


@dataclass(frozen=True)
class Sent:
    """A question on its way to the worker: shown once stored, given back to the composer if it fails."""

    text: str
    documents: tuple[Document, ...]  # read for this question
    draft: tuple[PendingAttachment, ...]  # the composer's chips, to give back
    chips: tuple[SentAttachment, ...]  # what to show on the question once stored


class ReplyFeed(QObject):
    def __init__(
        self,
        view: ConversationView,
        inference: InferenceService,
        *,
        shows: Callable[[int], bool],
        adopt: Callable[[int], None],
        ended: Callable[[TurnResult | None], None],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._view = view
        self._shows = shows  # whether a conversation is the one on screen (or the new one awaited)
        self._adopt = adopt  # a reply started there: its conversation is the one on screen now
        self._ended = ended  # the turn is over (its result, or None when it failed)
        self.sent: Sent | None = None
        self.live: tuple[int, LiveReply] | None = None
        self._streamed: list[str] = []  # the live reply's answer as it came from the worker
        inference.reply_started.connect(self._reply_started)
        inference.reply_event.connect(self._reply_event)
        inference.reply_documents.connect(self._reply_documents)
        inference.reply_tool.connect(self._reply_tool)
        inference.reply_finished.connect(self._reply_finished)
        inference.reply_failed.connect(self._reply_failed)

    def _reply_started(self, conversation_id: int, user_message_id: int, reply_message_id: int) -> None:
        if not self._shows(conversation_id):
            return
        self._adopt(conversation_id)
        if self.sent is not None:
            documents = self.sent.documents
            # As stored: a message of documents alone asks the default question (app.turn).
            text = self.sent.text or (default_question(documents) if documents else "")
            self._view.show_question(user_message_id, text, list(self.sent.chips))
            self.sent = None
        self.live = (reply_message_id, self._view.begin_reply(reply_message_id))
        self._streamed = []
        self._view.conversations_changed()

    def _live_reply(self, reply_message_id: int) -> LiveReply | None:
        if self.live is not None and self.live[0] == reply_message_id:
            return self.live[1]
        return None

    def _reply_event(self, reply_message_id: int, kind: str, text: str) -> None:
        live = self._live_reply(reply_message_id)
        if live is None:
            return
        if kind == "reasoning":
            live.append_reasoning(text)
        else:
            self._streamed.append(text)
            live.append_answer(text)

    def _reply_documents(self, reply_message_id: int, uses: list[DocumentUse]) -> None:
        live = self._live_reply(reply_message_id)
        if live is not None:
            live.set_documents(uses)

    def _reply_tool(self, reply_message_id: int, activity: ToolActivity) -> None:
        live = self._live_reply(reply_message_id)
        if live is not None:
            live.add_activity(activity)

    def _reply_finished(self, result: TurnResult) -> None:
        live = self._live_reply(result.reply_message_id)
        if live is not None:
            # Exactly what was saved on the reply, so it looks the same when the thread is opened again:
            # a loop trimmed to one copy, the model's citations mapped to the pages they name.
            stats = result.reply_stats
            if stats.finish_reason == "repetition" or result.answer != "".join(self._streamed):
                live.replace_text(result.answer, result.reasoning)
            live.finish(result.status, stats)
            if result.stats:
                self._view.set_context_used(stats.context_used)
        self.live = None
        self._view.conversations_changed()
        self._ended(result)

    def _reply_failed(self, conversation_id: int, message: str) -> None:
        if self.live is None and self.sent is not None:
            # Nothing was stored (e.g. no model): give the words and documents back so nothing is lost.
            self._view.restore_draft(self.sent.text, self.sent.draft)
        elif self.live is not None and self._shows(conversation_id):
            self.live[1].finish("error", ReplyStats(), message)
        self.sent = None
        self.live = None
        self._view.show_message(message)
        self._ended(None)
