"""One turn through the real engine into a real history file, including the failure paths."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from app.documents.context import build_prompt
from app.engine import ChatEvent, Engine, PromptError
from app.store import HistoryStore, StoreError
from app.turn import add_question, included, reply_to
from tests.fixtures.tiny_models import TinyModel


@pytest.fixture(scope="module")
def engine(plain_model: TinyModel) -> Iterator[Engine]:
    loaded = Engine()
    loaded.load(plain_model.path, n_ctx=512)
    yield loaded
    loaded.unload()


def test_a_turn_is_stored_as_it_streams(engine: Engine, store: HistoryStore, plain_model: TinyModel) -> None:
    conversation = store.create_conversation(system_prompt="Be brief.")
    seen: list[ChatEvent] = []
    result = reply_to(
        engine, store, conversation, add_question(store, conversation, "Hi!"), on_event=seen.append
    )
    assert result.answer == plain_model.expected_answer
    assert result.status == "done"
    assert seen[-1].kind == "done"
    thread = store.thread(conversation)
    assert [(m.role, m.content, m.status) for m in thread] == [
        ("user", "Hi!", "done"),
        ("assistant", plain_model.expected_answer, "done"),
    ]
    assert thread[1].id == result.reply_message_id
    assert thread[1].stats is not None and thread[1].stats["finish_reason"] == "stop"


def test_cancelled_turn_keeps_the_partial_reply(
    engine: Engine, store: HistoryStore, plain_model: TinyModel
) -> None:
    conversation = store.create_conversation()
    cancel = threading.Event()

    def stop_after_first_word(event: ChatEvent) -> None:
        if event.kind == "answer":
            cancel.set()

    result = reply_to(
        engine,
        store,
        conversation,
        add_question(store, conversation, "Hi!"),
        cancel=cancel,
        on_event=stop_after_first_word,
    )
    assert result.status == "stopped"
    reply = store.get_message(result.reply_message_id)
    assert reply is not None and reply.status == "stopped"
    assert reply.content and plain_model.expected_answer.startswith(reply.content)
    assert reply.content != plain_model.expected_answer


def test_a_failed_turn_is_recorded_and_does_not_poison_the_next(
    engine: Engine, store: HistoryStore, plain_model: TinyModel
) -> None:
    conversation = store.create_conversation()
    reply_to(engine, store, conversation, add_question(store, conversation, "Hi!"))
    with pytest.raises(PromptError, match="too long"):
        reply_to(engine, store, conversation, add_question(store, conversation, "z" * 5000))
    failed = store.thread(conversation)
    assert [(m.role, m.status) for m in failed] == [
        ("user", "done"),
        ("assistant", "done"),
        ("user", "done"),
        ("assistant", "error"),
    ]
    assert failed[-1].error is not None and "too long" in failed[-1].error
    result = reply_to(engine, store, conversation, add_question(store, conversation, "Hello again"))
    assert result.answer == plain_model.expected_answer
    sent = build_prompt(engine, store, included(store.thread(conversation, result.user_message_id)), None)
    assert [m["content"] for m in sent.messages] == ["Hi!", plain_model.expected_answer, "Hello again"]


def test_engine_messages_carry_reasoning_and_system_prompt(engine: Engine, store: HistoryStore) -> None:
    conversation = store.create_conversation()
    question = store.add_message(conversation, "user", "Why?")
    store.add_message(conversation, "assistant", "Because.", parent_id=question, reasoning="Think.")
    assert build_prompt(engine, store, included(store.thread(conversation)), "Be kind.").messages == [
        {"role": "system", "content": "Be kind."},
        {"role": "user", "content": "Why?"},
        {"role": "assistant", "content": "Because.", "reasoning": "Think."},
    ]


def test_regenerating_adds_a_sibling_reply(
    engine: Engine, store: HistoryStore, plain_model: TinyModel
) -> None:
    conversation = store.create_conversation()
    started: list[tuple[int, int]] = []
    first = reply_to(
        engine,
        store,
        conversation,
        add_question(store, conversation, "Hi!"),
        on_started=lambda u, r: started.append((u, r)),
    )
    assert started == [(first.user_message_id, first.reply_message_id)]
    again = reply_to(engine, store, conversation, first.user_message_id)
    assert again.answer == plain_model.expected_answer
    assert store.siblings(again.reply_message_id) == [first.reply_message_id, again.reply_message_id]
    assert [m.id for m in store.thread(conversation)] == [first.user_message_id, again.reply_message_id]


@pytest.mark.parametrize(
    ("stored", "used"), [({"temperature": 0.2}, 0.2), ({"temperature": "hot"}, None), ({}, None)]
)
def test_the_conversations_temperature_is_used_when_valid(
    engine: Engine,
    store: HistoryStore,
    monkeypatch: pytest.MonkeyPatch,
    stored: dict[str, object],
    used: float | None,
) -> None:
    conversation = store.create_conversation()
    store.set_conversation_options(conversation, settings=stored)
    asked: list[float | None] = []
    real_chat = engine.chat

    def chat(*args: object, **kwargs: object) -> Iterator[ChatEvent]:
        asked.append(kwargs.get("temperature"))  # type: ignore[arg-type]
        return real_chat(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "chat", chat)
    reply_to(engine, store, conversation, add_question(store, conversation, "Hi!"))
    assert asked == [used]


def test_an_edit_is_a_sibling_with_the_documents_of_the_question_it_replaces(
    engine: Engine, store: HistoryStore, plain_model: TinyModel
) -> None:
    conversation = store.create_conversation()
    first = add_question(store, conversation, "One")
    reply_to(engine, store, conversation, first)
    edited = add_question(store, conversation, "One, again", replacing=first)
    assert store.siblings(first) == [first, edited]
    assert store.current_leaf(conversation) == edited
    other = store.create_conversation()
    with pytest.raises(StoreError, match="cannot be edited"):
        add_question(store, other, "Nope", replacing=first)
