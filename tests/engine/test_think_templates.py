"""Real chat templates of `<think>` models through our PromptBuilder, and reasoning-style detection."""

from __future__ import annotations

import pytest

from app.engine.prompt import PromptBuilder
from app.engine.reasoning import ReasoningFormat, detect, ends_in_open_thought, tag_tokens
from tests.fixtures.tiny_models import (
    DEEPSEEK_R1_CHAT_TEMPLATE_PATH,
    GPT_OSS_CHAT_TEMPLATE_PATH,
    QWEN3_CHAT_TEMPLATE_PATH,
    QWQ_CHAT_TEMPLATE_PATH,
)

QWEN3 = QWEN3_CHAT_TEMPLATE_PATH.read_text(encoding="utf-8")
QWQ = QWQ_CHAT_TEMPLATE_PATH.read_text(encoding="utf-8")
DEEPSEEK_R1 = DEEPSEEK_R1_CHAT_TEMPLATE_PATH.read_text(encoding="utf-8")
CHATML = (
    "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
HISTORY = [
    {"role": "user", "content": "Hi"},
    {"role": "assistant", "content": "Hello!", "reasoning": "They greet me."},
    {"role": "user", "content": "How are you?"},
]


def builder(template: str, bos: str = "<s>") -> PromptBuilder:
    return PromptBuilder(
        template,
        bos_token=bos,
        eos_token="</s>",
        tokenize=lambda text: [ord(c) for c in text],
        special_texts=("<think>", "</think>", "<|im_start|>", "<|im_end|>"),
    )


def detected(template: str, vocab_tags: tuple[str, ...] = ()) -> ReasoningFormat:
    return detect(architecture="llama", template=template, prompts=builder(template), vocab_tags=vocab_tags)


# --- Qwen3: a thinking switch, old thoughts dropped by the template ------------------------------


def test_qwen3_is_detected_with_its_switch() -> None:
    assert detected(QWEN3) == ReasoningFormat(
        "think", opens_thought=False, thinks_by_switch=True, thinking_default=True
    )


def test_qwen3_drops_earlier_thoughts_and_gets_the_answer_alone() -> None:
    text = builder(QWEN3).render(HISTORY, "medium")
    assert text == (
        "<|im_start|>user\nHi<|im_end|>\n"
        "<|im_start|>assistant\nHello!<|im_end|>\n"
        "<|im_start|>user\nHow are you?<|im_end|>\n"
        "<|im_start|>assistant\n"
    )


def test_qwen3_switch_off_closes_an_empty_thought_in_the_prompt() -> None:
    prompts = builder(QWEN3)
    off = prompts.render(HISTORY, "medium", thinking=False)
    assert off == prompts.render(HISTORY, "medium") + "<think>\n\n</think>\n\n"
    assert not ends_in_open_thought(off)
    assert prompts.render(HISTORY, "medium", thinking=True) == prompts.render(HISTORY, "medium")
    assert prompts.count_tokens(HISTORY, "medium", thinking=False) > prompts.count_tokens(HISTORY, "medium")
    fitted = prompts.fit(HISTORY, "medium", 10_000, thinking=False)
    assert fitted.text == off


def test_qwen3_reads_the_thought_where_it_keeps_one() -> None:
    # After the last user message (a reply being continued, or tool steps), Qwen3 keeps the thought: it
    # reads it from reasoning_content, so it never has to find tags in the content.
    text = builder(QWEN3).render(HISTORY[:2], "medium")
    assert "<|im_start|>assistant\n<think>\nThey greet me.\n</think>\n\nHello!<|im_end|>\n" in text


# --- templates that open the thought themselves --------------------------------------------------


def test_qwq_opens_the_thought_and_drops_old_ones() -> None:
    assert detected(QWQ) == ReasoningFormat("think", opens_thought=True)
    text = builder(QWQ).render(HISTORY, "medium")
    assert "<|im_start|>assistant\nHello!<|im_end|>\n" in text
    assert "They greet me." not in text
    assert text.endswith("<|im_start|>assistant\n<think>\n")
    assert ends_in_open_thought(text)


def test_deepseek_r1_opens_the_thought_and_drops_old_ones() -> None:
    assert detected(DEEPSEEK_R1) == ReasoningFormat("think", opens_thought=True)
    text = builder(DEEPSEEK_R1, bos="<｜begin▁of▁sentence｜>").render(
        [{"role": "system", "content": "Be brief."}, *HISTORY], "medium"
    )
    assert text == (
        "<｜begin▁of▁sentence｜>Be brief.<｜User｜>Hi<｜Assistant｜>Hello!<｜end▁of▁sentence｜>"
        "<｜User｜>How are you?<｜Assistant｜><think>\n"
    )


def test_switch_whose_default_is_off() -> None:
    # A template that opens the thought and closes it again unless enable_thinking is true.
    template = CHATML.replace(
        "assistant\n{% endif %}",
        "assistant\n<think>\n{% if not enable_thinking %}</think>{% endif %}{% endif %}",
    )
    assert detected(template) == ReasoningFormat(
        "think", opens_thought=False, thinks_by_switch=True, thinking_default=False
    )
    assert ends_in_open_thought(builder(template).render(HISTORY, "low", thinking=True))


# --- detection -----------------------------------------------------------------------------------


def test_harmony_and_plain_templates() -> None:
    assert detected(GPT_OSS_CHAT_TEMPLATE_PATH.read_text(encoding="utf-8")).style == "harmony"
    assert detect(architecture="gpt-oss", template="", prompts=builder(""), vocab_tags=()).style == "harmony"
    assert detected(CHATML) == ReasoningFormat("plain")


def test_think_tags_in_the_vocabulary_alone_make_a_think_model() -> None:
    # Qwen3's instruct-only variants: the tags are in the vocabulary, the template never mentions them.
    assert detected(CHATML, vocab_tags=("<think>", "</think>")) == ReasoningFormat("think")
    assert detected(CHATML, vocab_tags=("<think>",)).style == "plain"


def test_a_switch_name_that_changes_nothing_is_no_switch() -> None:
    template = "{# enable_thinking is not supported #}" + CHATML
    assert not detected(template).thinks_by_switch


def test_a_template_that_cannot_render_a_question_is_still_classified() -> None:
    template = "{{ raise_exception('needs a system message') }}<think>"
    assert detected(template) == ReasoningFormat("think")


@pytest.mark.parametrize(
    ("prompt", "opened"),
    [
        ("<|im_start|>assistant\n<think>\n", True),
        ("<｜Assistant｜><think>", True),
        ("<|im_start|>assistant\n<think>\n\n</think>\n\n", False),
        ("<|im_start|>user\nWhat is <think>?<|im_end|>\n<|im_start|>assistant\n", False),
        ("", False),
    ],
)
def test_ends_in_open_thought(prompt: str, opened: bool) -> None:
    assert ends_in_open_thought(prompt) is opened


def test_tag_tokens_are_the_tags_that_are_one_token() -> None:
    vocab = {"<think>": [7], "</think>": [3, 9]}
    assert tag_tokens(lambda text: vocab[text]) == {"<think>": 7}


def test_user_text_cannot_open_a_thought() -> None:
    # The tags are marker texts in these vocabularies, so a user's "<think>" is broken up like "<|im_end|>".
    text = builder(QWEN3).render([{"role": "user", "content": "say <think>"}], "medium")
    assert "say <think>" not in text
    assert not ends_in_open_thought(builder(CHATML).render([{"role": "user", "content": "<think>"}], "low"))
