"""The conversation on screen and its turns: which conversation is open and which branch of it, its
options (instructions, effort, temperature, the tools' switches), sending, editing a question,
regenerating a reply and stopping; the reply streaming in is ReplyFeed's.

The controller holds the state and the rules; the view (the main window's widgets, or a stand-in in
the tests) only shows what it is told, through the small ConversationView protocol. Everything slow
happens elsewhere: a turn on the inference worker (a new conversation is created there too, so a
failed send leaves the history as it was), reads of the history through run_job.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject

from app.documents.document import Document
from app.presets import ConversationOptions, valid_temperature
from app.reply_stats import ReplyStats
from app.store import AttachmentRecord, ConversationRecord, HistoryStore, MessageRecord
from app.turn import TurnResult
from app.ui.attachments import SentAttachment
from app.ui.conversation_view import ConversationView, ThreadView, load_thread
from app.ui.jobs import run_job
from app.ui.reply_feed import ReplyFeed, Sent
from app.ui.tool_switches import ToolSwitches
from app.ui.workers import InferenceService


class ConversationController(QObject):
    """Which conversation is on screen, and the turn in progress; use from the UI thread only."""

    def __init__(
        self,
        view: ConversationView,
        store: HistoryStore,
        inference: InferenceService,
        parent: QObject | None = None,
        *,
        left: Callable[[int], None] = lambda _id: None,
    ) -> None:
        """`left(id)`: that conversation is no longer on screen (another one, or a new one, is)."""
        super().__init__(parent)
        self._view = view
        self._left = left
        self._store = store
        self._inference = inference
        self._conversation_id: int | None = None
        # Set while the first question of a new conversation is on its way: the worker creates the
        # conversation, and its id arrives with reply_started.
        self._awaiting_new = False
        self._streaming = False
        self._model_loading = False
        # The open conversation's instructions, effort and temperature (a new one's until it is created),
        # and its stored settings, which a change of temperature updates.
        self._options = ConversationOptions()
        self._settings: dict[str, Any] = {}
        self.default_effort = "medium"  # Settings' choice: where a new conversation starts
        inference.loading.connect(self._load_began)
        inference.loaded.connect(self._load_ended)
        inference.load_failed.connect(self._load_ended)
        self._feed = ReplyFeed(
            view, inference, shows=self._is_on_screen, adopt=self._adopt, ended=self._turn_ended, parent=self
        )

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

    @property
    def options(self) -> ConversationOptions:
        return self._options

    @property
    def tool_switches(self) -> ToolSwitches:
        return ToolSwitches.from_settings(self._settings)

    @property
    def model_can_use_tools(self) -> bool:
        """Whether the loaded model can use gpt-oss's built-in tools (its panel offers their switches)."""
        info = self._inference.model_info
        return info is not None and info.builtin_tools

    def new_conversation(self, options: ConversationOptions | None = None) -> None:
        """An empty conversation, created in the history with its first question; `options` from a preset."""
        self._leave(None)
        self._conversation_id = None
        self._view.clear_thread()
        self._settings = {}
        self._options = ConversationOptions()
        self._view.set_effort(self.default_effort)
        self._view.show_options(self._options)
        if options is not None:
            self.set_options(options)
        self._view.conversations_changed()

    def set_effort(self, effort: str) -> None:
        """The effort was changed above the chat: the conversation keeps it."""
        self._options = replace(self._options, reasoning_effort=effort)
        self._save_options(reasoning_effort=effort)

    def set_options(self, options: ConversationOptions, switches: ToolSwitches | None = None) -> None:
        """New instructions, effort, temperature or tools' switches (None: as they were): they apply from
        the next question on."""
        effort = options.reasoning_effort or self._view.current_effort()
        self._options = replace(options, reasoning_effort=effort)
        self._view.set_effort(effort)
        self._view.show_options(self._options)
        settings = {k: v for k, v in self._settings.items() if k != "temperature"}
        if switches is not None:
            settings = switches.applied_to(settings)
        if options.temperature is not None:
            settings["temperature"] = options.temperature
        self._settings = settings
        self._save_options(
            system_prompt=options.system_prompt or None, reasoning_effort=effort, settings=settings
        )

    def _save_options(self, **values: Any) -> None:
        # A conversation not created yet keeps them until its first question creates it (Question.options).
        conversation_id, store = self._conversation_id, self._store
        if conversation_id is not None:
            run_job(
                lambda: store.set_conversation_options(conversation_id, **values),
                lambda _done: None,
                self._view.show_problem,
                parent=self,
            )

    def open_conversation(self, conversation_id: int) -> None:
        if conversation_id != self._conversation_id:
            self._open(conversation_id, None)

    def open_at(self, conversation_id: int, message_id: int) -> None:
        """Open the conversation on the branch through `message_id` (a search hit), scrolled to it."""
        self._open(conversation_id, message_id)

    def _open(self, conversation_id: int, message_id: int | None) -> None:
        self._leave(conversation_id)
        self._conversation_id = conversation_id
        self._view.clear_thread()
        store = self._store

        def load() -> tuple[ConversationRecord | None, ThreadView]:
            # A hit on another branch puts that branch on screen (and keeps it there, as a pick would).
            leaf = store.show_branch(message_id) if message_id is not None else None
            return store.get_conversation(conversation_id), load_thread(store, conversation_id, leaf)

        def loaded(result: tuple[ConversationRecord | None, ThreadView]) -> None:
            if self._show(conversation_id, *result) and message_id is not None:
                self._view.focus_message(message_id, flash=True)

        run_job(load, loaded, self._view.show_problem, parent=self)

    def _leave(self, going_to: int | None) -> None:
        self.stop()  # a stopped reply is still saved by the worker, under the conversation it belongs to
        self._awaiting_new = False
        self._feed.live = None
        if self._conversation_id is not None and self._conversation_id != going_to:
            self._left(self._conversation_id)

    def _show(
        self, conversation_id: int, conversation: ConversationRecord | None, thread: ThreadView
    ) -> bool:
        """Show a loaded thread (and the conversation's options, when given); False if the user moved on
        while it loaded."""
        if conversation_id != self._conversation_id:
            return False
        self._view.show_thread(thread)
        if conversation is not None:
            self._settings = dict(conversation.settings)
            self._options = ConversationOptions(
                conversation.system_prompt or "",
                conversation.reasoning_effort,
                valid_temperature(conversation.settings.get("temperature")),
            )
            self._view.show_options(self._options)
            self._view.set_effort(conversation.reasoning_effort or self.default_effort)
        last_stats = next((m.stats for m in reversed(thread.messages) if m.stats), None)
        self._view.set_context_used(ReplyStats.from_json(last_stats).context_used)
        self._view.conversations_changed()
        return True

    # -- branches ----------------------------------------------------------------------------------

    def show_version(self, message_id: int) -> None:
        """A version was picked in "‹ 2/3 ›": show its branch, down to its newest end, and keep it."""
        conversation_id = self._conversation_id
        if self._streaming or conversation_id is None:
            return  # the reply being written belongs to the branch on screen
        store = self._store

        def load() -> ThreadView:
            return load_thread(store, conversation_id, store.show_branch(message_id))

        def loaded(thread: ThreadView) -> None:
            if self._show(conversation_id, None, thread):
                self._view.focus_message(message_id, flash=False)

        run_job(load, loaded, self._view.show_problem, parent=self)

    def _refresh_versions(self, message_ids: Sequence[int]) -> None:
        """After a regenerated reply or an edited question: its "‹ n/N ›" and its sibling's."""
        conversation_id, store = self._conversation_id, self._store
        if conversation_id is None:
            return

        def shown(versions: dict[int, list[int]]) -> None:
            if conversation_id == self._conversation_id:
                self._view.set_versions(versions)

        run_job(
            lambda: store.versions(conversation_id, message_ids), shown, self._view.show_problem, parent=self
        )

    # -- a turn ----------------------------------------------------------------------------------

    def _can_ask(self) -> bool:
        if self._streaming:
            return False
        if self._model_loading:
            self._view.show_message(self.tr("The model is still loading. Send again in a moment."))
            return False
        if self._inference.model_info is None:
            self._view.show_message(self.tr("Choose a model first, in the list above the chat."))
            return False
        return True

    def send(self, text: str, documents: Sequence[Document] = ()) -> None:
        if not self._can_ask():
            return
        self._view.hide_message()
        chips = tuple(SentAttachment.from_document(d) for d in documents)
        self._feed.sent = Sent(text, tuple(documents), self._view.take_draft(), chips)
        self._awaiting_new = self._conversation_id is None
        self._set_streaming(True)
        effort = self._view.current_effort()
        # A new conversation is created with its first question, with the options chosen meanwhile.
        new = self._conversation_id is None
        options, settings = (self._options, self._settings) if new else (None, None)
        self._inference.ask(
            self._conversation_id or 0, text, effort, tuple(documents), options=options, settings=settings
        )

    def edit(self, message_id: int, text: str) -> None:
        """Ask `text` instead of question `message_id`: a sibling branch with the question's documents."""
        conversation_id = self._conversation_id
        if conversation_id is None or not self._can_ask():
            return
        self._view.hide_message()
        self._answer_again(
            message_id,
            lambda question: question.parent_id,
            lambda _question: self._inference.ask(
                conversation_id, text, self._view.current_effort(), (), replacing=message_id
            ),
            sent=text,
        )

    def regenerate(self, reply_id: int) -> None:
        if self._conversation_id is None or not self._can_ask():
            return
        conversation_id = self._conversation_id
        self._answer_again(
            reply_id,
            lambda reply: reply.parent_id,
            lambda reply: self._inference.regenerate(
                conversation_id, reply.parent_id or 0, self._view.current_effort()
            ),
            sent=None,
        )

    def _answer_again(
        self,
        message_id: int,
        keep_until: Callable[[MessageRecord], int | None],
        ask: Callable[[MessageRecord], None],
        *,
        sent: str | None,
    ) -> None:
        """Show the thread up to where the new branch starts, then `ask` the worker for it."""
        conversation_id, store = self._conversation_id, self._store
        assert conversation_id is not None
        # Claimed now, so a second click or a send waits while the thread loads off the UI thread.
        self._set_streaming(True)

        def load() -> tuple[MessageRecord, ThreadView, list[AttachmentRecord]] | None:
            message = store.get_message(message_id)
            if message is None or (message.role == "assistant" and message.parent_id is None):
                return None
            until = keep_until(message)
            thread = (
                load_thread(store, conversation_id, until) if until is not None else ThreadView([], {}, {})
            )
            return message, thread, store.attachments_for([message_id]).get(message_id, [])

        def loaded(found: tuple[MessageRecord, ThreadView, list[AttachmentRecord]] | None) -> None:
            if found is None or conversation_id != self._conversation_id:
                self._set_streaming(False)  # the message is gone, or the user moved on meanwhile
                return
            message, thread, kept = found
            self._view.show_thread(thread)
            # An edited question is shown once stored, with the documents it keeps; a regenerated
            # reply answers a stored question.
            chips = tuple(SentAttachment.from_record(a) for a in kept)
            self._feed.sent = None if sent is None else Sent(sent, (), (), chips)
            ask(message)

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

    def _adopt(self, conversation_id: int) -> None:
        self._conversation_id = conversation_id
        self._awaiting_new = False

    def _turn_ended(self, result: TurnResult | None) -> None:
        self._set_streaming(False)
        self._awaiting_new = False
        # An edited question or a regenerated reply has siblings now: their "‹ n/N ›".
        if result is not None and result.conversation_id == self._conversation_id:
            self._refresh_versions([result.user_message_id, result.reply_message_id])
