"""The main window's widgets as the ConversationView the conversation controller talks to."""

from __future__ import annotations

from collections.abc import Callable

from app.presets import ConversationOptions
from app.ui.attachments import PendingAttachment, SentAttachment
from app.ui.banner import ErrorBanner
from app.ui.chat_view import ChatView
from app.ui.composer import Composer
from app.ui.conversation_panel import InstructionsLine
from app.ui.conversation_view import ThreadView
from app.ui.model_bar import ModelBar
from app.ui.reply_widget import ReplyWidget


class ConversationScreen:
    """Forwards each request to the widget that shows it; holds no state of its own."""

    def __init__(
        self,
        *,
        chat_view: ChatView,
        composer: Composer,
        model_bar: ModelBar,
        banner: ErrorBanner,
        instructions: InstructionsLine,
        conversations_changed: Callable[[], None],
    ) -> None:
        self._chat_view = chat_view
        self._composer = composer
        self._model_bar = model_bar
        self._banner = banner
        self._instructions = instructions
        self.conversations_changed = conversations_changed

    def current_effort(self) -> str:
        return self._model_bar.current_effort()

    def set_effort(self, effort: str) -> None:
        self._model_bar.set_effort(effort)

    def show_options(self, options: ConversationOptions) -> None:
        self._instructions.show_options(options)

    def clear_thread(self) -> None:
        self._chat_view.clear()
        self._model_bar.set_context_used(0)

    def show_thread(self, thread: ThreadView) -> None:
        self._chat_view.set_thread(thread.messages, thread.attachments, thread.versions)

    def set_versions(self, versions: dict[int, list[int]]) -> None:
        for message_id, siblings in versions.items():
            self._chat_view.set_siblings(message_id, siblings)

    def show_question(self, message_id: int, text: str, attachments: list[SentAttachment]) -> None:
        self._chat_view.add_user_message(message_id, text, attachments)

    def focus_message(self, message_id: int, *, flash: bool) -> None:
        self._chat_view.focus_message(message_id, flash=flash)

    def begin_reply(self, reply_message_id: int) -> ReplyWidget:
        return self._chat_view.begin_reply(reply_message_id)

    def take_draft(self) -> tuple[PendingAttachment, ...]:
        return self._composer.clear()

    def restore_draft(self, text: str, attachments: tuple[PendingAttachment, ...]) -> None:
        self._composer.restore(text, attachments)

    def set_streaming(self, streaming: bool) -> None:
        self._composer.set_streaming(streaming)
        self._chat_view.set_busy(streaming)

    def set_context_used(self, tokens: int) -> None:
        self._model_bar.set_context_used(tokens)

    def show_message(self, text: str) -> None:
        self._banner.show_message(text)

    def show_problem(self, error: BaseException) -> None:
        self._banner.show_problem(error)

    def hide_message(self) -> None:
        self._banner.hide()
