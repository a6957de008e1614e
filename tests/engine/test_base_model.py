"""Telling a base model from a chat model by its GGUF header."""

from __future__ import annotations

import pytest

from app.engine.base_model import base_model_note, check_base_model, check_gguf
from app.engine.gguf_info import MetaValue, read_gguf_info
from tests.fixtures.tiny_models import TinyModel

CHATML = "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"


def header(name: str = "", template: str | None = None, **more: MetaValue) -> dict[str, MetaValue]:
    metadata: dict[str, MetaValue] = {"general.architecture": "llama", "general.type": "model"}
    if name:
        metadata["general.name"] = name
    if template is not None:
        metadata["tokenizer.chat_template"] = template
    metadata.update({f"general.{key}": value for key, value in more.items()})
    return metadata


@pytest.mark.parametrize(
    ("metadata", "file_name"),
    [
        (header("Mistral 7B v0.1"), "mistral-7b-v0.1.Q4_K_M.gguf"),
        (header("Llama 3.1 8B", template="   "), "Meta-Llama-3.1-8B-Q4_K_M.gguf"),
        (header("Qwen2.5 7B", template=CHATML, finetune="Base"), "qwen2.5-7b-q4_k_m.gguf"),
        (header("DeepSeek V3", template=CHATML), "DeepSeek-V3-Base-Q2_K.gguf"),
        (header("Gemma 3 4b Pt", template=CHATML), "gemma-3-4b-pt-q4_0.gguf"),
        (header("", tags=["pretrained", "text-generation"]), "model.gguf"),
    ],
)
def test_base_models_are_flagged(metadata: dict[str, MetaValue], file_name: str) -> None:
    check = check_base_model(metadata, file_name)
    assert check.looks_base, check.evidence


@pytest.mark.parametrize(
    ("metadata", "file_name", "evidence"),
    [
        (header("Smollm2 135M", template=CHATML, finetune="8k-lc100k"), "SmolLM2.Q4_1.gguf", "has a chat"),
        # Old conversions dropped the template; the name still says the model was tuned to answer.
        (header("Mistral 7B Instruct v0.1"), "mistral-7b-instruct-v0.1.Q4_K_M.gguf", "named as tuned"),
        (header("Llama 2 7B Chat"), "llama-2-7b-chat.Q4_0.gguf", "named as tuned"),
        (header("gemma-2-9b-it"), "gemma-2-9b-it-Q4_K_M.gguf", "named as tuned"),
        (header("Zephyr 7B", finetune="dpo"), "zephyr.gguf", "named as tuned"),
        (header("gpt-oss-20b", template="<|start|>{{ messages }}"), "gpt-oss-20b-mxfp4.gguf", "has a chat"),
    ],
)
def test_chat_models_are_not(metadata: dict[str, MetaValue], file_name: str, evidence: str) -> None:
    check = check_base_model(metadata, file_name)
    assert not check.looks_base
    assert check.evidence.startswith(evidence)


def test_words_inside_other_words_do_not_count() -> None:
    # "database" holds "base", "gpt" holds "pt", "Baseline" and "it" inside "Kit" are not words of their own.
    for name in ("SQL Database Coder", "gpt-j 6B", "Baseline Kit 1B"):
        assert not check_base_model(header(name, template=CHATML), f"{name}.gguf").looks_base


def test_a_fine_tune_naming_its_base_model_is_not_a_base_model() -> None:
    metadata = header("My Helper 1B", template=CHATML)
    metadata["general.base_model.0.name"] = "Llama 3.2 1B Base"
    assert not check_base_model(metadata, "my-helper.gguf").looks_base


def test_the_check_reads_a_real_header(plain_model: TinyModel) -> None:
    check = check_gguf(read_gguf_info(plain_model.path))
    assert (check.looks_base, check.evidence) == (False, "has a chat template")


def test_the_note_is_one_plain_sentence() -> None:
    note = base_model_note()
    assert note.startswith("This looks like a base model") and note.endswith(".")
