"""`<think>` models end to end on the real llama.cpp: Qwen3- and DeepSeek-R1-style scripted tiny models
with their families' real chat templates."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest
from llama_cpp import Llama
from llama_cpp.llama_chat_format import Jinja2ChatFormatter
from llama_cpp.llama_types import ChatCompletionRequestMessage

from app.engine import ChatEvent, Engine
from app.selftest.tiny_model import ANSWER, pieces
from tests.engine.test_engine import HELLO, collect
from tests.fixtures.engines import loaded_engine
from tests.fixtures.tiny_models import ThinkModel, build_qwen3_model

TAGS = ("<think>", "</think>")
CHATML = (
    "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


@pytest.fixture(params=["qwen3_model", "deepseek_r1_model"])
def think_model(request: pytest.FixtureRequest) -> ThinkModel:
    model: ThinkModel = request.getfixturevalue(request.param)
    return model


def loaded(model: ThinkModel) -> Iterator[Engine]:
    yield from loaded_engine(model.path, 1024)


@pytest.fixture
def engine(think_model: ThinkModel) -> Iterator[Engine]:
    yield from loaded(think_model)


@pytest.fixture
def qwen3_engine(qwen3_model: ThinkModel) -> Iterator[Engine]:
    yield from loaded(qwen3_model)


def assert_clean_split(events: list[ChatEvent], model: ThinkModel) -> None:
    answer, reasoning, stats = collect(events)
    assert (reasoning, answer) == (model.expected_reasoning, model.expected_answer)
    assert not any(tag in event.text for event in events for tag in TAGS), "no tag reaches the user"
    first_answer = next(i for i, e in enumerate(events) if e.kind == "answer")
    assert all(e.kind == "reasoning" for e in events[:first_answer])
    assert sum(1 for e in events if e.kind == "reasoning") > 1, "the thought streams token by token"
    assert stats.finish_reason == "stop"
    assert stats.completion_tokens == model.completion_tokens


def test_the_scripted_models_write_their_stream(think_model: ThinkModel) -> None:
    # Checked with llama-cpp-python alone, so a fault in the fixture is not taken for one in the engine.
    llm = Llama(model_path=str(think_model.path), n_ctx=512, verbose=False)
    bos, eos = (
        llm.detokenize([token], special=True).decode() for token in (llm.token_bos(), llm.token_eos())
    )
    formatter = Jinja2ChatFormatter(
        template=llm.metadata["tokenizer.chat_template"], bos_token=bos, eos_token=eos
    )
    prompt = formatter(messages=cast("list[ChatCompletionRequestMessage]", HELLO)).prompt
    # DeepSeek-R1's template writes the BOS itself; Qwen3 has none.
    tokens = llm.tokenize(prompt.encode(), add_bos=False, special=True)
    out: list[int] = []
    for token in llm.generate(tokens, temp=0.0, top_k=0, top_p=1.0, min_p=0.0):
        if token == llm.token_eos() or len(out) > 64:
            break
        out.append(token)
    assert llm.detokenize(out, special=True).decode() == think_model.stream
    assert len(out) == think_model.completion_tokens
    llm.close()


def test_reasoning_and_answer_come_out_split_and_clean(engine: Engine, think_model: ThinkModel) -> None:
    info = engine.info
    assert info is not None
    assert info.reasoning_style == "think"
    assert not info.harmony and not info.uses_reasoning_effort
    events = list(engine.chat(HELLO, temperature=0.0))
    assert_clean_split(events, think_model)
    stats = events[-1].stats
    assert stats is not None and stats.prompt_tokens > 0 and stats.cached_tokens == 0


def test_detected_formats(qwen3_engine: Engine, deepseek_r1_model: ThinkModel) -> None:
    qwen3 = qwen3_engine.info
    assert qwen3 is not None
    assert (qwen3.thinks_by_switch, qwen3.thinking_default, qwen3.opens_thought) == (True, True, False)
    r1 = Engine()
    info = r1.load(deepseek_r1_model.path, n_ctx=512)
    assert (info.thinks_by_switch, info.thinking_default, info.opens_thought) == (False, False, True)
    r1.unload()


def test_follow_up_sends_the_answer_back_and_reuses_the_cache(
    engine: Engine, think_model: ThinkModel
) -> None:
    answer, reasoning, first = collect(engine.chat(HELLO))
    history = [
        *HELLO,
        {"role": "assistant", "content": answer, "reasoning": reasoning},
        {"role": "user", "content": "And again?"},
    ]
    events = list(engine.chat(history))
    assert_clean_split(events, think_model)
    second = events[-1].stats
    assert second is not None
    # Both templates drop the old thought, so the new prompt departs from the old reply at its start:
    # Qwen3's prompt is reused whole, DeepSeek-R1's up to the "<think>\n" it opened the reply with.
    opened = 2 if think_model.stream.startswith("The") else 0
    assert second.cached_tokens == first.prompt_tokens - opened > 0


def test_thinking_off_changes_the_prompt_and_the_reply(qwen3_engine: Engine, qwen3_model: ThinkModel) -> None:
    assert qwen3_engine.count_tokens(HELLO, thinking=False) > qwen3_engine.count_tokens(HELLO)
    assert qwen3_engine.count_tokens(HELLO, thinking=True) == qwen3_engine.count_tokens(HELLO)
    # The prompt then ends with an empty, closed thought; the scripted model answers at once, as Qwen3 does.
    answer, reasoning, stats = collect(qwen3_engine.chat(HELLO, thinking=False))
    assert (reasoning, answer) == ("", qwen3_model.expected_answer)
    assert stats.completion_tokens == len(pieces(ANSWER))
    assert_clean_split(list(qwen3_engine.chat(HELLO, thinking=True)), qwen3_model)


def test_thinking_is_ignored_without_a_switch(deepseek_r1_model: ThinkModel) -> None:
    engine = Engine()
    engine.load(deepseek_r1_model.path, n_ctx=512)
    assert engine.count_tokens(HELLO, thinking=False) == engine.count_tokens(HELLO)
    assert_clean_split(list(engine.chat(HELLO, thinking=False)), deepseek_r1_model)
    engine.unload()


def test_cancel_inside_the_thought_leaves_no_answer(engine: Engine, think_model: ThinkModel) -> None:
    cancel = threading.Event()
    events = []
    for event in engine.chat(HELLO, cancel=cancel):
        events.append(event)
        if event.kind == "reasoning":
            cancel.set()
    answer, reasoning, stats = collect(events)
    assert stats.finish_reason == "cancelled"
    assert answer == "", "an unfinished thought is not passed off as the answer"
    assert reasoning and think_model.expected_reasoning.startswith(reasoning)


def test_length_limit_inside_the_thought_leaves_no_answer(engine: Engine, think_model: ThinkModel) -> None:
    answer, reasoning, stats = collect(engine.chat(HELLO, max_tokens=4))
    assert (stats.finish_reason, stats.completion_tokens) == ("length", 4)
    assert answer == ""
    assert reasoning and think_model.expected_reasoning.startswith(reasoning)


@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("think-variants")


def test_tags_typed_as_control_tokens_still_split(variants: Path) -> None:
    model = build_qwen3_model(variants / "control-tags.gguf", tags_are_control=True)
    llm = Llama(model_path=str(model.path), n_ctx=256, verbose=False)
    (think,) = llm.tokenize(b"<think>", add_bos=False, special=True)
    assert llm.detokenize([think], special=False) == b"", "llama.cpp leaves control tokens out of text"
    llm.close()
    engine = Engine()
    engine.load(model.path, n_ctx=512)
    assert_clean_split(list(engine.chat(HELLO)), model)
    engine.unload()


def test_tags_in_the_vocabulary_alone_are_enough(variants: Path) -> None:
    # Like Qwen3's instruct variants: the template never mentions the tags, the vocabulary has them.
    model = build_qwen3_model(variants / "vocab-tags.gguf", template=CHATML)
    engine = Engine()
    info = engine.load(model.path, n_ctx=512)
    assert (info.reasoning_style, info.thinks_by_switch, info.opens_thought) == ("think", False, False)
    assert_clean_split(list(engine.chat(HELLO)), model)
    engine.unload()
