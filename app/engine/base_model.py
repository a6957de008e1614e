"""Does a GGUF look like a base model, one that continues text instead of answering?

A base (pretrained-only) model has never been taught to answer: asked a question, it writes more
questions, the rest of an imagined web page, or the same line forever. People load one by mistake
(it sits next to the instruct model on the Hub, with a near-identical name), so the app says so up
front instead of leaving them to think Hearth is broken.

The evidence is the header only, read before the model loads:
- A chat template is the strongest sign of a chat model: instruct conversions carry one, and Hearth
  needs it to write the prompt. No template, and the model is most likely a base model.
- Names settle what the template cannot. "Instruct", "chat", "-it" and the tuning methods (SFT, DPO,
  RLHF) mean tuned to answer, even without a template (old conversions dropped it); "base", "-pt",
  "pretrained" mean a base model, even with one (some base conversions copy the tokenizer's template).
  The names looked at are general.name, general.finetune, general.basename, general.tags and the
  file name, cut into words, so "database" or "gpt" never count as "base" or "pt". Not the
  general.base_model.* keys: a fine-tune names the base model it was made from there.
- The vocabulary's chat tokens (<|im_start|>, [INST]) are not evidence: base models of families
  such as SmolLM2 and Qwen2.5 ship the same tokenizer as their instruct models. general.type is
  "model" for both kinds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from app.engine.gguf_info import GGUFInfo, MetaValue
from app.i18n import translate

_NAME_KEYS: Final = ("general.name", "general.finetune", "general.basename", "general.tags")
# Words of a model's names that say it was tuned to follow instructions or chat.
TUNED_WORDS: Final = frozenset(
    {"instruct", "instruction", "chat", "it", "sft", "dpo", "rlhf", "orpo", "kto", "assistant", "hermes"}
)
# Words that say it was not: "pt" is Gemma's name for its pretrained checkpoints.
BASE_WORDS: Final = frozenset({"base", "pt", "pretrained", "pretrain", "foundation"})
_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class BaseModelCheck:
    looks_base: bool
    # Why, in a few English words for the log (the user is told base_model_note()).
    evidence: str


def _words(texts: Iterable[str]) -> set[str]:
    """The alphabetic words of names: "Qwen2.5-7B-Instruct" -> qwen, b, instruct (digits split words)."""
    found: set[str] = set()
    for text in texts:
        found.update(_WORD.findall(text.lower()))
    return found


def _names(metadata: Mapping[str, MetaValue], file_name: str) -> list[str]:
    names = [file_name.removesuffix(".gguf")]
    for key in _NAME_KEYS:
        value = metadata.get(key)
        if isinstance(value, list):
            names += [str(item) for item in value]
        elif value is not None:
            names.append(str(value))
    return names


def check_base_model(metadata: Mapping[str, MetaValue], file_name: str = "") -> BaseModelCheck:
    """Whether the model whose GGUF header is `metadata` looks like a base model, and why."""
    words = _words(_names(metadata, file_name))
    tuned = sorted(words & TUNED_WORDS)
    if tuned:
        return BaseModelCheck(False, f"named as tuned ({', '.join(tuned)})")
    base = sorted(words & BASE_WORDS)
    if base:
        return BaseModelCheck(True, f"named as a base model ({', '.join(base)})")
    template = metadata.get("tokenizer.chat_template")
    if isinstance(template, str) and template.strip():
        return BaseModelCheck(False, "has a chat template")
    return BaseModelCheck(True, "no chat template")


def check_gguf(info: GGUFInfo) -> BaseModelCheck:
    return check_base_model(info.metadata, info.path.name)


def base_model_note() -> str:
    """What the user is told when the loaded model looks like a base model."""
    return translate(
        "Engine", "This looks like a base model: it continues text rather than answering questions."
    )
