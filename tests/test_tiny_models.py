"""The tiny model factory, checked against raw llama-cpp-python (not the app's engine)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import cast

import llama_cpp
import pytest
from llama_cpp import Llama
from llama_cpp.llama_chat_format import Jinja2ChatFormatter
from llama_cpp.llama_types import ChatCompletionRequestMessage

from tests.fixtures.tiny_models import (
    GPT_OSS_CHAT_TEMPLATE_PATH,
    HARMONY_ANALYSIS_HEADER,
    HARMONY_FINAL_HEADER,
    TinyModel,
    write_not_a_gguf,
    write_truncated_copy,
)

GREETING: list[dict[str, str]] = [{"role": "user", "content": "Hi!"}]


def load(model: TinyModel) -> Llama:
    return Llama(model_path=str(model.path), n_ctx=1024, verbose=False)


def text(llm: Llama, tokens: Sequence[int]) -> str:
    return llm.detokenize(list(tokens), special=True).decode()


def prompt_tokens(llm: Llama, messages: Sequence[dict[str, str]]) -> list[int]:
    """Render with the GGUF's own template, as the app does, and tokenize with special tokens parsed."""
    formatter = Jinja2ChatFormatter(
        template=llm.metadata["tokenizer.chat_template"],
        eos_token=text(llm, [llm.token_eos()]),
        bos_token=text(llm, [llm.token_bos()]),
    )
    # The gpt-oss template also reads an assistant message's "thinking", unknown to llama_cpp's types.
    typed = cast("list[ChatCompletionRequestMessage]", list(messages))
    prompt = formatter(messages=typed, reasoning_effort="medium").prompt
    tokens: list[int] = llm.tokenize(prompt.encode(), add_bos=True, special=True)
    return tokens


def generate(llm: Llama, tokens: list[int], *, temp: float, max_tokens: int = 64) -> list[int]:
    """Sample with every truncation disabled, until EOS (included) or ``max_tokens``."""
    out: list[int] = []
    for token in llm.generate(tokens, temp=temp, top_k=0, top_p=1.0, min_p=0.0):
        out.append(token)
        if token == llm.token_eos() or len(out) == max_tokens:
            break
    return out


def scripted_stream(model: TinyModel) -> str:
    """Everything a scripted model streams before its EOS, as detokenized with special tokens."""
    if not model.expected_reasoning:
        return model.expected_answer
    return HARMONY_ANALYSIS_HEADER + model.expected_reasoning + HARMONY_FINAL_HEADER + model.expected_answer


def is_eog(llm: Llama, token: int) -> bool:
    return bool(llama_cpp.llama_vocab_is_eog(llama_cpp.llama_model_get_vocab(llm.model), token))


def contains(tokens: Sequence[int], part: Sequence[int]) -> bool:
    return any(list(tokens[i : i + len(part)]) == list(part) for i in range(len(tokens)))


@pytest.mark.parametrize(("temp", "seed"), [(0.0, 0), (1.0, 1), (1.0, 2), (1.0, 3)])
@pytest.mark.parametrize("fixture", ["plain_model", "harmony_model"])
def test_scripted_model_streams_its_script(
    fixture: str, temp: float, seed: int, request: pytest.FixtureRequest
) -> None:
    model: TinyModel = request.getfixturevalue(fixture)
    llm = load(model)
    llm.set_seed(seed)
    out = generate(llm, prompt_tokens(llm, GREETING), temp=temp)
    assert out[-1] == llm.token_eos()
    assert text(llm, out[:-1]) == scripted_stream(model)


def test_plain_answer_round_trips_into_the_next_prompt(plain_model: TinyModel) -> None:
    llm = load(plain_model)
    first = prompt_tokens(llm, GREETING)
    out = generate(llm, first, temp=0.0)
    follow_up = [
        *GREETING,
        {"role": "assistant", "content": plain_model.expected_answer},
        {"role": "user", "content": "Thanks"},
    ]
    second = prompt_tokens(llm, follow_up)
    # The first turn's KV cache (prompt, answer, EOS) is a prefix of the second turn's prompt.
    assert second[: len(first) + len(out)] == first + out
    assert text(llm, second).endswith("<|end|><|user|>Thanks<|end|><|assistant|>")
    assert text(llm, generate(llm, second, temp=0.0)[:-1]) == plain_model.expected_answer


def test_plain_model_metadata(plain_model: TinyModel) -> None:
    llm = load(plain_model)
    assert llm.metadata["llama.context_length"] == str(plain_model.n_ctx_train)
    assert text(llm, [llm.token_bos(), llm.token_eos()]) == "<s><|end|>"
    assert llm.tokenize(b"<|user|>", add_bos=True, special=True)[0] == llm.token_bos()


def test_harmony_end_of_generation_tokens(harmony_model: TinyModel) -> None:
    llm = load(harmony_model)
    assert text(llm, [llm.token_eos()]) == "<|return|>"
    # No BOS is added, as for gpt-oss: its template starts with "<|start|>".
    assert len(llm.tokenize(b"<|start|>", add_bos=True, special=True)) == 1
    eog = {text(llm, [t]) for t in range(llm.n_vocab()) if is_eog(llm, t)}
    # Like gpt-oss in llama.cpp: "<|end|>" closes a message but not the generation.
    assert eog == {"<|return|>", "<|call|>", "<|endoftext|>"}


def test_harmony_follow_up_keeps_answer_tokens_and_drops_reasoning(harmony_model: TinyModel) -> None:
    llm = load(harmony_model)
    out = generate(llm, prompt_tokens(llm, GREETING), temp=0.0)
    answer = out[[text(llm, [t]) for t in out].index("<|channel|>final<|message|>") + 1 : -1]
    assert text(llm, answer) == harmony_model.expected_answer
    follow_up = [
        *GREETING,
        {
            "role": "assistant",
            "content": harmony_model.expected_answer,
            "thinking": harmony_model.expected_reasoning,
        },
        {"role": "user", "content": "Thanks"},
    ]
    second = prompt_tokens(llm, follow_up)
    rendered = text(llm, second)
    assert harmony_model.expected_reasoning not in rendered
    assert "<|channel|>final<|message|>" + harmony_model.expected_answer + "<|end|>" in rendered
    assert contains(second, answer)
    assert text(llm, generate(llm, second, temp=0.0)[:-1]) == scripted_stream(harmony_model)


def test_gpt_oss_model_loads_and_generates(gpt_oss_model: TinyModel) -> None:
    llm = load(gpt_oss_model)
    assert llm.metadata["general.architecture"] == "gpt-oss"
    assert llm.metadata["gpt-oss.context_length"] == str(gpt_oss_model.n_ctx_train)
    assert llm.metadata["tokenizer.chat_template"] == GPT_OSS_CHAT_TEMPLATE_PATH.read_text(encoding="utf-8")
    prompt = prompt_tokens(llm, GREETING)
    assert text(llm, prompt).endswith("<|start|>user<|message|>Hi!<|end|><|start|>assistant")
    out = generate(llm, prompt, temp=0.0, max_tokens=8)
    assert len(out) == 8
    assert not any(is_eog(llm, t) for t in out)


def test_truncated_copy_does_not_load(plain_model: TinyModel, tmp_path: Path) -> None:
    dst = write_truncated_copy(plain_model.path, tmp_path / "truncated.gguf")
    assert dst.read_bytes() == plain_model.path.read_bytes()[: plain_model.path.stat().st_size // 2]
    with pytest.raises(ValueError, match="Failed to load model"):
        Llama(model_path=str(dst), verbose=False)


def test_not_a_gguf_does_not_load(tmp_path: Path) -> None:
    dst = write_not_a_gguf(tmp_path / "page.gguf")
    assert dst.stat().st_size > 0
    with pytest.raises(ValueError, match="Failed to load model"):
        Llama(model_path=str(dst), verbose=False)


def test_models_are_small(plain_model: TinyModel, harmony_model: TinyModel, gpt_oss_model: TinyModel) -> None:
    assert plain_model.path.stat().st_size < 1_000_000
    assert harmony_model.path.stat().st_size < 1_000_000
    assert gpt_oss_model.path.stat().st_size < 5_000_000
