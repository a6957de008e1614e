"""The conversation controller without a window: a stand-in view records what it is told, while the
turns run on the real inference worker, a real tiny model and a real history file."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from app.engine import Engine
from app.presets import ConversationOptions
from app.reply_stats import DocumentUse, ReplyStats
from app.store import HistoryStore, MessageRecord
from app.ui.attachments import PendingAttachment, SentAttachment
from app.ui.conversation_controller import ConversationController
from app.ui.conversation_view import ThreadView
from app.ui.tool_activity import Activity
from app.ui.workers import InferenceService
from tests.fixtures.tiny_models import TinyModel, build_random_llama

TIMEOUT_MS = 30_000


class RecordedReply:
    def __init__(self, reply_id: int) -> None:
        self.reply_id = reply_id
        self.reasoning = ""
        self.answer = ""
        self.documents: list[DocumentUse] = []
        self.activities: list[Activity] = []
        self.status = ""
        self.error: str | None = None

    def append_reasoning(self, text: str) -> None:
        self.reasoning += text

    def append_answer(self, text: str) -> None:
        self.answer += text

    def set_documents(self, uses: Sequence[DocumentUse]) -> None:
        self.documents = list(uses)

    def add_activity(self, activity: Activity) -> None:
        self.activities.append(activity)

    def replace_text(self, answer: str, reasoning: str) -> None:
        self.answer, self.reasoning = answer, reasoning

    def finish(self, status: str, stats: ReplyStats, error: str | None = None) -> None:
        self.status, self.error = status, error


class RecordingView:
    """Keeps what a screen would show, and a log of the requests in order."""

    def __init__(self) -> None:
        self.effort = "medium"
        self.calls: list[str] = []
        self.thread: list[MessageRecord] = []
        self.questions: list[tuple[int, str]] = []
        self.replies: list[RecordedReply] = []
        self.draft: tuple[str, tuple[PendingAttachment, ...]] = ("", ())
        self.streaming = False
        self.context_used = -1
        self.message = ""
        self.problems: list[BaseException] = []
        self.versions: dict[int, list[int]] = {}
        self.options = ConversationOptions()

    def current_effort(self) -> str:
        return self.effort

    def set_effort(self, effort: str) -> None:
        self.effort = effort

    def clear_thread(self) -> None:
        self.calls.append("clear")
        self.thread, self.questions, self.replies = [], [], []

    def show_thread(self, thread: ThreadView) -> None:
        self.calls.append("thread")
        self.thread = thread.messages
        self.versions = dict(thread.versions)

    def set_versions(self, versions: dict[int, list[int]]) -> None:
        self.versions.update(versions)

    def show_options(self, options: ConversationOptions) -> None:
        self.options = options

    def show_question(self, message_id: int, text: str, attachments: list[SentAttachment]) -> None:
        self.calls.append("question")
        self.questions.append((message_id, text))

    def focus_message(self, message_id: int, *, flash: bool) -> None:
        self.calls.append(f"focus {message_id}" + (" flash" if flash else ""))

    def begin_reply(self, reply_message_id: int) -> RecordedReply:
        self.calls.append("reply")
        self.replies.append(RecordedReply(reply_message_id))
        return self.replies[-1]

    def take_draft(self) -> tuple[PendingAttachment, ...]:
        return ()

    def restore_draft(self, text: str, attachments: tuple[PendingAttachment, ...]) -> None:
        self.draft = (text, attachments)

    def set_streaming(self, streaming: bool) -> None:
        self.streaming = streaming

    def set_context_used(self, tokens: int) -> None:
        self.context_used = tokens

    def show_message(self, text: str) -> None:
        self.message = text

    def show_problem(self, error: BaseException) -> None:
        self.problems.append(error)

    def hide_message(self) -> None:
        self.message = ""

    def conversations_changed(self) -> None:
        self.calls.append("sidebar")


class Session:
    def __init__(self, qtbot: QtBot, store: HistoryStore) -> None:
        self.qtbot = qtbot
        self.store = store
        self.view = RecordingView()
        self.service = InferenceService(Engine(), store)
        self.controller = ConversationController(self.view, store, self.service)

    def load(self, model: Path, n_ctx: int = 2048) -> None:
        with self.qtbot.waitSignal(self.service.loaded, timeout=TIMEOUT_MS):
            self.service.load_model(str(model), n_ctx)

    def send_and_wait(self, text: str) -> None:
        with self.qtbot.waitSignal(self.service.reply_finished, timeout=TIMEOUT_MS):
            self.controller.send(text)


@pytest.fixture
def session(qtbot: QtBot, store: HistoryStore) -> Iterator[Session]:
    opened = Session(qtbot, store)
    yield opened
    assert opened.service.shutdown()
    QThreadPool.globalInstance().waitForDone()  # jobs still reading the history, before it closes
    opened.qtbot.wait(1)  # and their results delivered while the controller is still there


@pytest.fixture(scope="module")
def endless_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_random_llama(tmp_path_factory.mktemp("endless") / "m.gguf", n_embd=128, n_layer=2, n_ff=256)


def test_the_first_question_creates_the_conversation_on_the_worker(
    session: Session, harmony_model: TinyModel
) -> None:
    session.load(harmony_model.path)
    assert session.controller.conversation_id is None
    session.send_and_wait("Hi there!")
    (conversation,) = session.store.list_conversations()
    assert session.controller.conversation_id == conversation.id
    assert session.service.model_info is not None
    assert conversation.model == session.service.model_info.name
    assert conversation.reasoning_effort == "medium"
    question, reply = session.store.thread(conversation.id)
    assert session.view.questions == [(question.id, "Hi there!")]
    (shown,) = session.view.replies
    assert (shown.reply_id, shown.status) == (reply.id, "done")
    assert (shown.answer, shown.reasoning) == (
        harmony_model.expected_answer,
        harmony_model.expected_reasoning,
    )
    assert not session.view.streaming
    assert session.view.context_used == ReplyStats.from_json(reply.stats).context_used > 0


def test_the_next_question_continues_the_same_conversation(
    session: Session, harmony_model: TinyModel
) -> None:
    session.load(harmony_model.path)
    session.send_and_wait("One")
    session.send_and_wait("Two")
    (conversation,) = session.store.list_conversations()
    assert [m.content for m in session.store.thread(conversation.id) if m.role == "user"] == ["One", "Two"]


def test_without_a_model_nothing_is_sent_or_stored(session: Session) -> None:
    session.controller.send("Hello?")
    assert "Choose a model first" in session.view.message
    assert not session.view.streaming
    assert session.store.list_conversations() == []


def test_a_send_waits_for_a_model_being_loaded(session: Session, harmony_model: TinyModel) -> None:
    session.load(harmony_model.path)
    session.controller.model_requested()
    session.controller.send("Too soon")
    assert "still loading" in session.view.message
    assert session.store.list_conversations() == []


def test_a_failed_first_send_leaves_the_history_as_it_was_and_gives_the_words_back(
    session: Session, harmony_model: TinyModel
) -> None:
    session.load(harmony_model.path)
    # The window still believes a model is loaded when the worker, in order, unloads it first.
    session.service.unload()
    with session.qtbot.waitSignal(session.service.reply_failed, timeout=TIMEOUT_MS) as failed:
        session.controller.send("Lost?")
    assert failed.args is not None and failed.args[0] == 0
    assert session.store.list_conversations() == [], "no empty conversation is left behind"
    assert session.view.draft == ("Lost?", ())
    assert session.view.message and not session.view.streaming
    assert session.controller.conversation_id is None


def test_moving_on_before_the_reply_starts_keeps_it_off_the_new_screen(
    session: Session, endless_model: Path
) -> None:
    session.load(endless_model)
    with session.qtbot.waitSignal(session.service.reply_finished, timeout=TIMEOUT_MS) as finished:
        session.controller.send("Tell me everything")
        session.controller.new_conversation()  # stops the reply; the worker still saves it
    assert finished.args is not None and finished.args[0].status == "stopped"
    assert session.view.replies == [] and session.view.questions == []
    assert session.controller.conversation_id is None
    (kept,) = session.store.list_conversations()
    assert [m.role for m in session.store.thread(kept.id)] == ["user", "assistant"]


def test_stop_before_the_reply_starts_still_shows_the_stopped_reply(
    session: Session, endless_model: Path
) -> None:
    session.load(endless_model)
    with session.qtbot.waitSignal(session.service.reply_finished, timeout=TIMEOUT_MS):
        session.controller.send("Tell me everything")
        session.controller.stop()
    (conversation,) = session.store.list_conversations()
    assert session.controller.conversation_id == conversation.id
    (shown,) = session.view.replies
    assert shown.status == "stopped"
    assert not session.view.streaming


def test_regenerate_shows_the_thread_up_to_the_question_and_answers_again(
    session: Session, harmony_model: TinyModel
) -> None:
    session.load(harmony_model.path)
    session.send_and_wait("Again?")
    first = session.view.replies[0]
    with session.qtbot.waitSignal(session.service.reply_finished, timeout=TIMEOUT_MS) as finished:
        session.controller.regenerate(first.reply_id)
    assert finished.args is not None
    assert [m.role for m in session.view.thread] == ["user"], "the old reply is not on screen"
    second = session.view.replies[-1]
    assert second.reply_id == finished.args[0].reply_message_id != first.reply_id
    assert second.answer == harmony_model.expected_answer
    assert session.view.questions == [(session.view.thread[0].id, "Again?")], "the question is not sent twice"


def test_a_conversation_opened_later_wins_over_one_still_loading(
    session: Session, store: HistoryStore
) -> None:
    first = store.create_conversation("First")
    store.add_message(first, "user", "in the first")
    second = store.create_conversation("Second")
    store.add_message(second, "user", "in the second")
    session.controller.open_conversation(first)
    session.controller.open_conversation(second)
    session.qtbot.waitUntil(lambda: "thread" in session.view.calls, timeout=TIMEOUT_MS)
    QThreadPool.globalInstance().waitForDone()
    session.qtbot.wait(1)  # delivers the first load's result too, had it not been dropped
    assert session.view.calls.count("thread") == 1
    assert [m.content for m in session.view.thread] == ["in the second"]
    assert session.controller.conversation_id == second


def test_a_new_conversation_is_created_with_the_options_chosen_before_its_first_question(
    session: Session, harmony_model: TinyModel
) -> None:
    session.load(harmony_model.path)
    options = ConversationOptions("Answer in French.", "high", 0.4)
    session.controller.new_conversation(options)
    assert session.view.options == options and session.view.effort == "high"
    session.send_and_wait("Bonjour")
    (conversation,) = session.store.list_conversations()
    assert (conversation.system_prompt, conversation.reasoning_effort) == ("Answer in French.", "high")
    assert conversation.settings == {"temperature": 0.4}


def test_changed_options_are_kept_with_the_conversation(session: Session, store: HistoryStore) -> None:
    cid = store.create_conversation("Kept", reasoning_effort="low")
    store.set_conversation_options(cid, settings={"temperature": 0.9, "other": "kept"})
    store.add_message(cid, "user", "hello")
    session.controller.open_conversation(cid)
    session.qtbot.waitUntil(lambda: "thread" in session.view.calls, timeout=TIMEOUT_MS)
    assert session.view.options == ConversationOptions("", "low", 0.9)
    session.controller.set_options(ConversationOptions("Be brief.", None, None))
    assert session.view.options == ConversationOptions("Be brief.", "low", None), "the effort stays"

    def stored() -> bool:
        conversation = store.get_conversation(cid)
        return conversation is not None and conversation.system_prompt == "Be brief."

    session.qtbot.waitUntil(stored, timeout=TIMEOUT_MS)
    conversation = store.get_conversation(cid)
    assert conversation is not None and conversation.settings == {"other": "kept"}
    session.controller.set_effort("high")
    session.qtbot.waitUntil(
        lambda: (c := store.get_conversation(cid)) is not None and c.reasoning_effort == "high",
        timeout=TIMEOUT_MS,
    )


def test_picking_a_version_shows_its_branch_and_keeps_it(session: Session, store: HistoryStore) -> None:
    cid = store.create_conversation("Branches")
    question = store.add_message(cid, "user", "Colour?")
    red = store.add_message(cid, "assistant", "Red", parent_id=question)
    more = store.add_message(cid, "user", "More?", parent_id=red)
    store.add_message(cid, "assistant", "Crimson", parent_id=more)
    green = store.add_message(cid, "assistant", "Green", parent_id=question)
    session.controller.open_conversation(cid)
    session.qtbot.waitUntil(lambda: "thread" in session.view.calls, timeout=TIMEOUT_MS)
    assert [m.content for m in session.view.thread] == ["Colour?", "Green"]
    assert session.view.versions == {green: [red, green]}
    session.controller.show_version(red)
    session.qtbot.waitUntil(lambda: len(session.view.thread) == 4, timeout=TIMEOUT_MS)
    assert [m.content for m in session.view.thread] == ["Colour?", "Red", "More?", "Crimson"]
    assert session.view.calls[-1] == f"focus {red}", "scrolled to it, without the search hit's flash"
    assert store.current_leaf(cid) == session.view.thread[-1].id


def test_an_edit_answers_a_sibling_of_the_question(session: Session, harmony_model: TinyModel) -> None:
    session.load(harmony_model.path)
    session.send_and_wait("Original")
    cid = session.controller.conversation_id
    assert cid is not None
    original = session.view.questions[0][0]
    with session.qtbot.waitSignal(session.service.reply_finished, timeout=TIMEOUT_MS):
        session.controller.edit(original, "Edited")
    edited = session.store.thread(cid)[0]
    assert edited.content == "Edited" and session.store.siblings(original) == [original, edited.id]
    assert session.view.questions[-1] == (edited.id, "Edited")
    session.qtbot.waitUntil(lambda: edited.id in session.view.versions, timeout=TIMEOUT_MS)
    assert session.view.versions[edited.id] == [original, edited.id]
