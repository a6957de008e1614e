"""A model caught in a loop, end to end on the real llama.cpp: the guard stops it, the reply is saved with
one copy of the loop, and its stats say why it ended."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.engine import Engine
from app.selftest.tiny_model import PLAIN_CHAT_TEMPLATE, build_vocab, pieces, spm, write_scripted_llama
from app.store import HistoryStore
from app.turn import add_question, reply_to

LOOP = "The answer is that it depends on the weather."


@pytest.fixture(scope="module")
def looping_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """After <|assistant|> it says LOOP, and after the last word the first one again: forever."""
    words = [spm(p) for p in pieces(LOOP)]
    vocab = build_vocab(
        ["<s>", "<|system|>", "<|user|>", "<|assistant|>", "<|end|>"], words, generate_only=()
    )
    path = tmp_path_factory.mktemp("loop") / "loop.gguf"
    script = ["<|assistant|>", *words, words[0]]
    write_scripted_llama(
        path, vocab, script, bos="<s>", eos="<|end|>", add_bos=True, template=PLAIN_CHAT_TEMPLATE
    )
    return path


def test_a_looping_reply_is_stopped_and_saved_once(looping_model: Path, store: HistoryStore) -> None:
    engine = Engine()
    engine.load(looping_model, n_ctx=4096)
    try:
        conversation = store.create_conversation("loop")
        question = add_question(store, conversation, "What will we do tomorrow?", ())
        result = reply_to(engine, store, conversation, question, max_tokens=3000)
    finally:
        engine.unload()
    assert result.stats is not None and result.stats.finish_reason == "repetition"
    assert result.stats.completion_tokens < 600, "stopped long before the length limit"
    assert result.status == "done"
    stored = store.get_message(result.reply_message_id)
    assert stored is not None and stored.content == result.answer
    assert result.answer.count("weather") == 1, "one copy of the loop is kept"
    assert result.answer.startswith("The answer is that it depends on the weather")
    assert stored.stats is not None and stored.stats["finish_reason"] == "repetition"
