"""`<think>` models through a whole turn: `hearth ask` in a real process, the reply saved in the history."""

from __future__ import annotations

import json
from typing import Any

from app import cli
from app.engine import Engine
from app.store import HistoryStore
from app.turn import add_question, reply_to
from tests.fixtures.cli import hearth
from tests.fixtures.tiny_models import ThinkModel


def ask_json(model: ThinkModel, *extra: str) -> dict[str, Any]:
    result = hearth("ask", "--model", model.path, "--json", *extra)
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_reply_is_stored_without_tags_and_the_conversation_goes_on(
    store: HistoryStore, deepseek_r1_model: ThinkModel
) -> None:
    engine = Engine()
    engine.load(deepseek_r1_model.path, n_ctx=1024)
    conversation = store.create_conversation(model=deepseek_r1_model.path.name)
    first = reply_to(engine, store, conversation, add_question(store, conversation, "hi"))
    second = reply_to(engine, store, conversation, add_question(store, conversation, "and again?"))
    engine.unload()
    expected = (deepseek_r1_model.expected_answer, deepseek_r1_model.expected_reasoning)
    assert [(r.answer, r.reasoning, r.status) for r in (first, second)] == [(*expected, "done")] * 2
    replies = [(m.content, m.reasoning) for m in store.thread(conversation) if m.role == "assistant"]
    assert replies == [expected, expected]
    # The stored reply went back as the template expects: the old thought dropped, the prompt reused.
    assert first.stats is not None and second.stats is not None
    assert second.stats.cached_tokens == first.stats.prompt_tokens - 2


def test_think_flags_reach_the_thinking_switch(qwen3_model: ThinkModel) -> None:
    off = ask_json(qwen3_model, "--no-think", "hi")
    assert (off["reasoning"], off["answer"]) == ("", qwen3_model.expected_answer)
    flags = [
        cli.build_parser().parse_args(["ask", "--model", "m.gguf", *flag, "hi"]).think
        for flag in (["--think"], [])
    ]
    assert flags == [True, None], "without a flag the template keeps its default"
