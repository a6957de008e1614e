"""Turn a conversation into prompt tokens with the model's own chat template.

We render ourselves instead of calling create_chat_completion because gpt-oss's template reads a
`reasoning_effort` variable (and Qwen3's an `enable_thinking` one) that llama-cpp-python's chat API has
no way to pass, and because we must know exactly which earlier messages were left out when a long
conversation is fitted into the context window: a silent cut is a bug users notice.

Earlier replies go back as their answer alone in "content", with the reasoning beside it under the
names templates read: "thinking" (gpt-oss) and "reasoning_content" (Qwen3 and others). Each template
then keeps or drops old thoughts as its model was trained; one that reads neither drops them, and
none ever finds reasoning tags inside "content" to strip.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import jinja2
from llama_cpp.llama_chat_format import Jinja2ChatFormatter

from app.engine.errors import PromptError
from app.i18n import format_number, translate

log = logging.getLogger("hearth.engine")

ChatMessage = Mapping[str, Any]

# Used when a GGUF carries no chat template (rare, mostly old conversions): ChatML is what most
# small instruction-tuned models were trained on.
FALLBACK_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
ZERO_WIDTH_SPACE = "\u200b"


@dataclass(frozen=True)
class RenderedPrompt:
    text: str
    tokens: list[int]
    dropped_messages: int


def neutralize_specials(text: str, special_texts: Iterable[str]) -> str:
    """Break control-token strings inside message text.

    The rendered prompt is tokenized with special tokens enabled (the template's own markers
    must become control tokens), so a user or a document that contains "<|end|>" would otherwise
    forge a turn boundary. A zero-width space keeps the text readable but no longer a marker.
    """
    for special in special_texts:
        if special and special in text:
            text = text.replace(special, special[0] + ZERO_WIDTH_SPACE + special[1:])
    return text


class PromptBuilder:
    def __init__(
        self,
        template: str,
        *,
        bos_token: str,
        eos_token: str,
        tokenize: Callable[[str], list[int]],
        special_texts: Iterable[str] = (),
    ) -> None:
        self._tokenize = tokenize
        # Longest first, so "<|start|>" is broken before a shorter special that is a part of it.
        self._specials = sorted({s for s in special_texts if len(s) > 1}, key=len, reverse=True)
        try:
            self._formatter = Jinja2ChatFormatter(
                template=template or FALLBACK_TEMPLATE, bos_token=bos_token, eos_token=eos_token
            )
        except jinja2.TemplateError as exc:
            raise PromptError(
                translate("Engine", "This model's chat template is broken ({problem}).").format(problem=exc)
            ) from exc

    def _template_messages(self, messages: Sequence[ChatMessage]) -> list[dict[str, str]]:
        out: list[dict[str, str]] = []
        for message in messages:
            role = str(message.get("role", "user"))
            item = {"role": role, "content": self._clean(message.get("content"))}
            thinking = message.get("thinking") or message.get("reasoning")
            if role == "assistant" and thinking:
                item["thinking"] = item["reasoning_content"] = self._clean(thinking)
            out.append(item)
        return out

    def _clean(self, value: Any) -> str:
        return neutralize_specials("" if value is None else str(value), self._specials)

    def neutralize(self, text: str) -> str:
        """`text` with every control-token string in it broken (see neutralize_specials)."""
        return neutralize_specials(text, self._specials)

    def render(
        self,
        messages: Sequence[ChatMessage],
        reasoning_effort: str,
        *,
        thinking: bool | None = None,
        builtin_tools: Sequence[str] = (),
    ) -> str:
        """The prompt text; `thinking` goes to templates as `enable_thinking` (None: leave it unset,
        so each template does what it does by default). `builtin_tools` ("browser", "python") goes to
        gpt-oss's template, which describes those tools in the system message as the model was trained;
        when empty the variable is not set at all."""
        variables: dict[str, Any] = {} if thinking is None else {"enable_thinking": thinking}
        if builtin_tools:
            variables["builtin_tools"] = list(builtin_tools)
        try:
            result = self._formatter(
                # llama_cpp types messages as its OpenAI-style TypedDicts; ours carry "thinking" too.
                messages=cast(Any, self._template_messages(messages)),
                reasoning_effort=reasoning_effort,
                **variables,
            )
        except (jinja2.TemplateError, ValueError, TypeError) as exc:
            raise PromptError(
                translate(
                    "Engine", "This model's chat template could not format the conversation ({problem})."
                ).format(problem=exc)
            ) from exc
        return result.prompt

    def count_tokens(
        self,
        messages: Sequence[ChatMessage],
        reasoning_effort: str,
        *,
        thinking: bool | None = None,
        builtin_tools: Sequence[str] = (),
    ) -> int:
        text = self.render(messages, reasoning_effort, thinking=thinking, builtin_tools=builtin_tools)
        return len(self._tokenize(text))

    def count_text_tokens(self, text: str) -> int:
        """Tokens `text` adds inside a message (give or take the BOS), without rendering a template."""
        return len(self._tokenize(self._clean(text)))

    def fit(
        self,
        messages: Sequence[ChatMessage],
        reasoning_effort: str,
        budget: int,
        *,
        thinking: bool | None = None,
        builtin_tools: Sequence[str] = (),
    ) -> RenderedPrompt:
        """Render as much of the conversation as fits in `budget` tokens, dropping the oldest turns first.

        Leading system messages and the newest message are always kept. Drops stop only where the
        kept part starts with a user turn, because many templates insist on user/assistant order.
        """
        if not messages:
            raise PromptError(translate("Engine", "There is nothing to send."))
        n_system = 0
        while n_system < len(messages) - 1 and messages[n_system].get("role") == "system":
            n_system += 1
        head, middle, last = list(messages[:n_system]), list(messages[n_system:-1]), messages[-1]
        cut_points = [0] + [
            k for k in range(1, len(middle) + 1) if k == len(middle) or middle[k].get("role") == "user"
        ]

        def attempt(k: int) -> RenderedPrompt:
            kept = [*head, *middle[k:], last]
            text = self.render(kept, reasoning_effort, thinking=thinking, builtin_tools=builtin_tools)
            return RenderedPrompt(text, self._tokenize(text), k)

        best = attempt(0)
        if len(best.tokens) <= budget:
            return best
        # Token count falls as more turns are dropped, so binary search the fewest drops that fit.
        low, high = 1, len(cut_points) - 1
        fitting: RenderedPrompt | None = None
        while low <= high:
            mid = (low + high) // 2
            candidate = attempt(cut_points[mid])
            if len(candidate.tokens) <= budget:
                fitting, high = candidate, mid - 1
            else:
                low = mid + 1
        if fitting is None:
            shortest = attempt(cut_points[-1]) if len(cut_points) > 1 else best
            raise PromptError(
                translate(
                    "Engine",
                    "The message is too long for this model's context: it needs {needed} tokens and only "
                    "{budget} are available. Shorten it, or raise the context size in Settings.",
                ).format(needed=format_number(len(shortest.tokens)), budget=format_number(budget))
            )
        log.info("dropped %d earlier messages to fit %d tokens", fitting.dropped_messages, budget)
        return fitting
