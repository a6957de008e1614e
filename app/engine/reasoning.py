"""How a model writes its reasoning, read from its GGUF: harmony channels, `<think>` tags, or none.

Decided once at load from the chat template, the vocabulary and a test render of the template:
- "harmony": gpt-oss (its architecture, or a template that writes `<|channel|>`).
- "think": the template mentions `<think>` or `</think>`, or the vocabulary has both tags as single
  tokens (DeepSeek-R1 distills, Qwen3, QwQ; also Qwen3 variants that never think, which then just
  answer: a think-style reply without tags is all answer).
- "plain": everything else; the whole reply is the answer.

Two more facts matter for "think" models. Some templates open the thought themselves (the generation
prompt ends with `<think>\\n`), so the reply starts inside it; that is checked on every rendered prompt,
because a switch can change it. And some templates read an `enable_thinking` switch (Qwen3): the
template has one when rendering with it on and off gives different prompts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from app.engine.errors import PromptError
from app.engine.harmony import StreamParser
from app.engine.harmony import make_parser as make_harmony_parser
from app.engine.prompt import PromptBuilder
from app.engine.think import CLOSE, OPEN, ThinkParser

ReasoningStyle = Literal["harmony", "think", "plain"]
REASONING_STYLES: tuple[ReasoningStyle, ...] = ("harmony", "think", "plain")

SWITCH_VARIABLE = "enable_thinking"
# A one-question conversation is enough to see what a template puts at the end of the prompt.
_PROBE = ({"role": "user", "content": "Hello"},)


@dataclass(frozen=True)
class ReasoningFormat:
    style: ReasoningStyle
    # The template's generation prompt (as rendered by default) leaves a `<think>` open.
    opens_thought: bool = False
    # The template reads `enable_thinking` and renders differently with it on and off.
    thinks_by_switch: bool = False
    # With the switch left unset, the template renders as with it on (Qwen3 thinks unless told not to).
    thinking_default: bool = False


PLAIN = ReasoningFormat("plain")
HARMONY = ReasoningFormat("harmony")


def ends_in_open_thought(prompt: str) -> bool:
    """Whether a rendered prompt ends inside an opened `<think>`, so the reply starts in the thought.

    Only the very end counts: a `<think>` in an earlier message (or a user asking about the tag) is
    followed by more prompt text, and a template that turns thinking off writes `<think></think>`.
    """
    return prompt.rstrip().endswith(OPEN)


def tag_tokens(tokenize: Callable[[str], list[int]]) -> dict[str, int]:
    """The think tags this vocabulary has as single tokens, with their ids.

    `tokenize` must parse special tokens: some GGUFs type the tags as control tokens.
    """
    found = {}
    for tag in (OPEN, CLOSE):
        ids = tokenize(tag)
        if len(ids) == 1:
            found[tag] = ids[0]
    return found


def detect(
    *, architecture: str, template: str, prompts: PromptBuilder, vocab_tags: Iterable[str] = ()
) -> ReasoningFormat:
    """The reasoning format of a model; `vocab_tags` are the think tags its vocabulary has as tokens."""
    if architecture == "gpt-oss" or "<|channel|>" in template:
        return HARMONY
    think = OPEN in template or CLOSE in template or {OPEN, CLOSE} <= set(vocab_tags)
    try:
        default = prompts.render(_PROBE, "medium")
        with_switch = [prompts.render(_PROBE, "medium", thinking=on) for on in (True, False)]
    except PromptError:
        # A template that cannot render a lone question fails again, more usefully, on the first chat.
        return ReasoningFormat("think") if think else PLAIN
    # Rendering twice must give the same prompt, so a difference is the switch's doing; the name check
    # keeps a template that prints something changing (a date) from passing for one.
    switch = SWITCH_VARIABLE in template and with_switch[0] != with_switch[1]
    return ReasoningFormat(
        "think" if think else "plain",
        opens_thought=think and ends_in_open_thought(default),
        thinks_by_switch=switch,
        thinking_default=switch and default == with_switch[0],
    )


def make_stream_parser(style: ReasoningStyle, *, in_thought: bool = False) -> StreamParser:
    """The parser for one reply; `in_thought`: the prompt opened a `<think>` (think style only)."""
    if style == "think":
        return ThinkParser(in_thought=in_thought)
    return make_harmony_parser(style == "harmony")
