"""A real chat model end to end: template, tokenizer, cache, documents, stopping, the repetition guard."""

from __future__ import annotations

import threading

import pytest

from app.engine import ChatEvent, ChatStats, Engine
from app.engine.repetition import RepetitionGuard, without_repetition
from app.store import HistoryStore
from app.turn import add_question, reply_to
from tests.fixtures.paged import paged_document, prose

pytestmark = pytest.mark.realmodel


def ask(engine: Engine, messages: list[dict[str, str]], max_tokens: int = 200) -> tuple[str, ChatStats]:
    """The greedy answer and its stats."""
    answer: list[str] = []
    stats: ChatStats | None = None
    for event in engine.chat(messages, max_tokens=max_tokens, temperature=0.0):
        if event.kind == "answer":
            answer.append(event.text)
        elif event.kind == "done":
            stats = event.stats
    assert stats is not None, "every reply ends with a done event"
    return "".join(answer), stats


def guarded(engine: Engine, prompt: str, max_tokens: int) -> tuple[str, RepetitionGuard]:
    """The greedy answer fed to a repetition guard as it streams, and stopped where the guard trips."""
    guard = RepetitionGuard()
    answer: list[str] = []
    for event in engine.chat([{"role": "user", "content": prompt}], max_tokens=max_tokens, temperature=0.0):
        if event.kind == "answer":
            answer.append(event.text)
            if guard.feed(event.text):
                break  # closing the stream stops the model, as a tripped guard will in the engine
    return "".join(answer), guard


def test_a_short_question_gets_a_plain_answer(smol_engine: Engine) -> None:
    messages = [{"role": "user", "content": "What is 2+2?"}]
    answer, stats = ask(smol_engine, messages)
    assert stats.finish_reason == "stop", "the model ends its turn with its own end token"
    assert "4" in answer and " the " in f" {answer.lower()}", answer
    assert "<|im" not in answer, "control tokens are not shown"
    # The template's ChatML markers are one control token each: as text the same prompt takes 76 tokens.
    assert stats.prompt_tokens == smol_engine.count_tokens(messages) < 45


def test_a_follow_up_reads_only_the_new_tokens(smol_engine: Engine) -> None:
    first = [{"role": "user", "content": "Name three primary colours."}]
    answer, before = ask(smol_engine, first)
    assert answer and before.finish_reason == "stop"
    follow_up = [
        *first,
        {"role": "assistant", "content": answer},
        {"role": "user", "content": "Which is warmest?"},
    ]
    _, after = ask(smol_engine, follow_up, max_tokens=40)
    # The first prompt and the reply are still in the cache; only the new question is read.
    assert after.cached_tokens >= before.prompt_tokens + before.completion_tokens - 2
    assert after.prompt_tokens - after.cached_tokens <= 20


SECRET = "The secret harbour code is ZEPHYR."


def test_a_long_document_is_answered_from_its_passages(smol_engine: Engine, store: HistoryStore) -> None:
    pages = [prose(n, 180) for n in range(30)]
    pages[16] += f" {SECRET}"
    conversation = store.create_conversation()
    question = add_question(
        store, conversation, "Which code is the secret harbour code?", [paged_document("report.pdf", pages)]
    )
    result = reply_to(smol_engine, store, conversation, question, max_tokens=60, temperature=0.0)

    [use] = result.documents
    assert use.mode == "passages" and use.passages_total == 30
    assert "report.pdf p. 17" in [passage.label for passage in use.passages]
    assert result.stats is not None and result.stats.prompt_tokens > 500
    # Greedy SmolLM2 reads it out of the passage (the same with 1 or 2 threads and any batch size).
    assert "ZEPHYR" in result.answer, result.answer
    stored = store.get_message(result.reply_message_id)
    assert stored is not None and stored.content == result.answer and stored.status == "done"


def test_stop_mid_reply(smol_engine: Engine, store: HistoryStore) -> None:
    conversation = store.create_conversation()
    question = add_question(store, conversation, "Write a short story about a dragon.")
    cancel = threading.Event()
    pieces = 0

    def stop_after_ten_pieces(event: ChatEvent) -> None:
        nonlocal pieces
        pieces += event.kind == "answer"
        if pieces == 10:
            cancel.set()

    result = reply_to(
        smol_engine,
        store,
        conversation,
        question,
        temperature=0.0,
        cancel=cancel,
        on_event=stop_after_ten_pieces,
    )
    assert result.stats is not None and result.stats.finish_reason == "cancelled"
    assert result.status == "stopped"
    assert 10 <= result.stats.completion_tokens <= 12, "stopped within a token or two"
    stored = store.get_message(result.reply_message_id)
    assert stored is not None and stored.content == result.answer != ""


ORDINARY = [
    "Give me a numbered list of ten tips for better sleep.",
    "Write a Python program that prints a multiplication table.",
    "Write a SQL query that finds the ten biggest customers.",
    "Write a markdown table of 5 countries with capital and population.",
    "What is the difference between weather and climate?",
    "What are the days of the week?",
]


@pytest.mark.parametrize("prompt", ORDINARY)
def test_the_repetition_guard_lets_ordinary_answers_be(smol_engine: Engine, prompt: str) -> None:
    answer, guard = guarded(smol_engine, prompt, max_tokens=400)
    assert not guard.tripped, f"stopped {guard.loop} in: {answer}"
    assert answer.strip()


def test_the_repetition_guard_stops_a_real_loop(smol_engine: Engine) -> None:
    # Greedy SmolLM2 answers this in French and then says "la femme au martyre" for ever.
    answer, guard = guarded(smol_engine, "What is the capital of France?", max_tokens=300)
    assert guard.loop is not None, (
        f"this build of the model did not loop; pick another loop-* sample: {answer}"
    )
    assert len(answer) < 400, "stopped within about a hundred tokens"
    assert len(without_repetition(answer)) <= guard.loop.keep + guard.loop.period
