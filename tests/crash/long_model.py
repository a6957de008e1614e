"""A tiny model that talks for as long as it is let: a reply long enough to be killed, paused or cut short
by a full disk in the middle, whose every character is known in advance.

Built like the suite's other scripted models (app.selftest.tiny_model), only wider: its script is WORDS
made-up words and then the first one again, so it goes round and round. One round is longer than the
longest loop the repetition guard looks for (app.engine.repetition.MAX_PERIOD), so the guard never stops
it: a reply ends at its token limit. Every word is one token of TOKEN_CHARS characters.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import gguf
import numpy as np

from app.engine.repetition import MAX_PERIOD
from app.selftest.tiny_model import (
    PLAIN_CHAT_TEMPLATE,
    Array,
    _scripted_weights,
    add_tokenizer,
    build_vocab,
    llama_writer,
    spm,
    tensor_name,
    write_tensors,
)

WORDS: Final = 300
# The scripted weights need one embedding dimension per word (orthonormal predecessors); a multiple of
# the head count.
_N_EMBD: Final = 320
_N_HEAD: Final = 4
_N_FF: Final = 128
N_CTX_TRAIN: Final = 16384
_CONTROLS: Final = ("<s>", "<|system|>", "<|user|>", "<|assistant|>", "<|end|>")


def words(count: int = WORDS) -> list[str]:
    """`count` distinct words of four syllables, each with its leading space: " babababa", " babababe", ..."""
    syllables = [consonant + vowel for consonant in "bdfgklmnprstvz" for vowel in "aeiou"]
    made = (" " + "".join(parts) for parts in itertools.product(syllables, repeat=4))
    return list(itertools.islice(made, count))


# Every token is a space and eight letters: the n-th token of a reply ends at character n * TOKEN_CHARS.
TOKEN_CHARS: Final = 9


@dataclass(frozen=True)
class LongModel:
    path: Path

    @staticmethod
    def reply(tokens: int) -> str:
        """The text of a reply `tokens` tokens long."""
        spoken = words()
        return "".join(spoken[i % len(spoken)] for i in range(tokens))


def build_long_model(path: Path) -> LongModel:
    spoken = [spm(word) for word in words()]
    vocab = build_vocab(_CONTROLS, spoken, generate_only=())
    script = ["<|assistant|>", *spoken, spoken[0]]
    embd, output = _scripted_weights(vocab, script, _N_EMBD)
    ones = np.ones(_N_EMBD, dtype=np.float32)
    T = gguf.MODEL_TENSOR
    tensors: dict[str, Array] = {
        tensor_name(T.TOKEN_EMBD): embd,
        tensor_name(T.OUTPUT_NORM): ones,
        tensor_name(T.OUTPUT): output,
        tensor_name(T.ATTN_NORM, 0): ones,
        tensor_name(T.FFN_NORM, 0): ones,
    }
    # Zero projections: the next token depends on the previous one alone (see app.selftest.tiny_model).
    for tensor in (T.ATTN_Q, T.ATTN_K, T.ATTN_V, T.ATTN_OUT):
        tensors[tensor_name(tensor, 0)] = np.zeros((_N_EMBD, _N_EMBD), dtype=np.float32)
    tensors[tensor_name(T.FFN_GATE, 0)] = np.zeros((_N_FF, _N_EMBD), dtype=np.float32)
    tensors[tensor_name(T.FFN_UP, 0)] = np.zeros((_N_FF, _N_EMBD), dtype=np.float32)
    tensors[tensor_name(T.FFN_DOWN, 0)] = np.zeros((_N_EMBD, _N_FF), dtype=np.float32)
    writer = llama_writer(
        path, n_ctx_train=N_CTX_TRAIN, n_embd=_N_EMBD, n_layer=1, n_ff=_N_FF, n_head=_N_HEAD, f16=False
    )
    add_tokenizer(writer, vocab, bos="<s>", eos="<|end|>", add_bos=True, template=PLAIN_CHAT_TEMPLATE)
    write_tensors(writer, tensors)
    assert len("".join(words())) > MAX_PERIOD, "one round must be longer than any loop the guard stops"
    return LongModel(path)
