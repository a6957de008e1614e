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

from app.engine.repetition import MAX_PERIOD
from app.selftest.tiny_model import PLAIN_CHAT_TEMPLATE, build_vocab, spm, write_scripted_llama

WORDS: Final = 300
# The scripted weights need one embedding dimension per word (orthonormal predecessors); a multiple of
# the head count.
_N_EMBD: Final = 320
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
    write_scripted_llama(
        path,
        vocab,
        ["<|assistant|>", *spoken, spoken[0]],
        bos="<s>",
        eos="<|end|>",
        add_bos=True,
        template=PLAIN_CHAT_TEMPLATE,
        n_embd=_N_EMBD,
        n_ctx_train=N_CTX_TRAIN,
    )
    assert len("".join(words())) > MAX_PERIOD, "one round must be longer than any loop the guard stops"
    return LongModel(path)
