"""Tiny GGUF models with a scripted greedy output, written on the spot with the `gguf` package.

The self-test uses one to prove that the installed llama.cpp loads a model and generates exactly the
expected text; the test suite builds its harmony and gpt-oss variants on the same pieces.

Every transformer block is zeroed, so attention and feed-forward add nothing and the residual at each
position is just that token's embedding. The logits of the last position are then
``output.weight @ rmsnorm(embedding(last token))``: the next token depends only on the previous one.
Setting row ``b`` of ``output.weight`` to a multiple of the embedding of token ``a`` makes ``b`` follow
``a`` by a margin of ``_LOGIT_MARGIN`` nats, so sampling at temperature 1.0 with every truncation disabled
still picks ``b``. A token has a single successor, so every token of a script is distinct.

The vocabulary is a SentencePiece ("llama") one without a space prefix: ``<unk>``, the control tokens,
the 256 byte tokens, ``▁`` plus every printable ASCII character, every word of the scripts with all of its
prefixes, and any "generate-only" tokens. llama.cpp's SPM tokenizer builds words by merging adjacent
pieces, highest score first and leftmost first on a tie. The vocabulary has no scores (all 0), so each
word grows from its start ("H", "He", "Hel", ...) before a piece inside it gets a chance to merge:
tokenizing a scripted answer gives back the generated ids.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import gguf
import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float32]

PLAIN_CHAT_TEMPLATE = (
    "{% for m in messages %}<|{{ m.role }}|>{{ m.content }}<|end|>{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>{% endif %}"
)

ANSWER = "Hello there! How can I help you today?"

SPACE = "\u2581"  # SentencePiece's visible space
_LOGIT_MARGIN = 40.0  # nats between the scripted successor and every other token
SEED = 20240806
N_EMBD = 64
_N_HEAD = 4


@dataclass(frozen=True)
class TinyModel:
    path: Path
    expected_answer: str  # exact text the model streams as the final answer (greedy, and at temperature 1.0)
    expected_reasoning: str  # exact analysis-channel text; "" when there is none
    n_ctx_train: int


@dataclass(frozen=True)
class Vocab:
    tokens: list[str]
    types: list[int]

    def id(self, text: str) -> int:
        return self.tokens.index(text)


def pieces(text: str) -> list[str]:
    """Split text into the tokens the scripted model emits: words with their leading space, and marks."""
    pieces = re.findall(r" ?\w+|[^\w ]", text)
    assert "".join(pieces) == text, f"unsupported script text: {text!r}"
    return pieces


def spm(piece: str) -> str:
    return piece.replace(" ", SPACE)


def build_vocab(controls: Sequence[str], words: Sequence[str], generate_only: Sequence[str]) -> Vocab:
    """``<unk>`` is id 0; controls follow in order. Words are in SPM spelling (``▁`` for a space)."""
    tokens = ["<unk>", *controls]
    types = [gguf.TokenType.UNKNOWN] + [gguf.TokenType.CONTROL] * len(controls)
    tokens += [f"<0x{b:02X}>" for b in range(256)]
    types += [gguf.TokenType.BYTE] * 256
    singles = [SPACE, *(chr(c) for c in range(0x21, 0x7F))]
    prefixes = [w[:n] for w in words for n in range(2, len(w) + 1)]
    # A multi-character NORMAL token none of whose prefixes is in the vocabulary can never be produced by
    # the tokenizer; the harmony models emit their second header through such tokens.
    normals = list(dict.fromkeys([*singles, *prefixes, *generate_only]))
    tokens += normals
    types += [gguf.TokenType.NORMAL] * len(normals)
    assert len(set(tokens)) == len(tokens), "llama.cpp requires unique token texts"
    return Vocab(tokens, [int(t) for t in types])


def _unit_rows(rng: np.random.Generator, n: int, dim: int) -> Array:
    rows = rng.standard_normal((n, dim))
    unit: Array = (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)
    return unit


def _scripted_weights(vocab: Vocab, script: Sequence[str], n_embd: int) -> tuple[Array, Array]:
    """Token embeddings and output matrix that make each script token follow its predecessor."""
    ids = [vocab.id(t) for t in script]
    # A token may follow several others (a script that ends where it started loops forever), but it
    # can only lead to one.
    assert len(set(ids[:-1])) == len(ids) - 1, "a token can only have one successor"
    assert len(ids) - 1 <= n_embd, "script too long for orthonormal predecessor embeddings"
    rng = np.random.default_rng(SEED)
    embd = _unit_rows(rng, len(vocab.tokens), n_embd)
    # Orthonormal predecessors: a script row scores 0 against every other predecessor, so the only
    # non-zero logit at a scripted position is the successor's.
    q, _ = np.linalg.qr(rng.standard_normal((n_embd, len(ids) - 1)))
    embd[ids[:-1]] = q.T.astype(np.float32)
    # The final RMS norm scales a unit vector by sqrt(n_embd).
    scale = _LOGIT_MARGIN / np.sqrt(n_embd)
    output = np.zeros_like(embd)
    for a, b in itertools.pairwise(ids):
        output[b] += scale * embd[a]
    return embd, output


def tensor_name(tensor: gguf.MODEL_TENSOR, bid: int | None = None, suffix: str = "weight") -> str:
    return f"{gguf.TENSOR_NAMES[tensor].format(bid=bid)}.{suffix}"


def add_tokenizer(
    writer: gguf.GGUFWriter, vocab: Vocab, *, bos: str, eos: str, add_bos: bool, template: str
) -> None:
    writer.add_tokenizer_model("llama")
    writer.add_token_list(vocab.tokens)
    writer.add_token_types(vocab.types)
    writer.add_unk_token_id(0)
    writer.add_bos_token_id(vocab.id(bos))
    writer.add_eos_token_id(vocab.id(eos))
    writer.add_add_bos_token(add_bos)
    writer.add_add_eos_token(False)
    # Without it llama.cpp prepends "▁" to text after every special token, so "<|assistant|>Hello" would
    # not tokenize back to the generated "Hello".
    writer.add_add_space_prefix(False)
    writer.add_chat_template(template)


def write_tensors(writer: gguf.GGUFWriter, tensors: dict[str, Array]) -> None:
    for name, data in tensors.items():
        writer.add_tensor(name, data)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def llama_writer(
    path: Path, *, n_ctx_train: int, n_embd: int, n_layer: int, n_ff: int, n_head: int, f16: bool
) -> gguf.GGUFWriter:
    """A writer for a llama-architecture model with these hyper-parameters (tokenizer and tensors to add)."""
    writer = gguf.GGUFWriter(path, gguf.MODEL_ARCH_NAMES[gguf.MODEL_ARCH.LLAMA])
    writer.add_name(path.stem)
    writer.add_context_length(n_ctx_train)
    writer.add_embedding_length(n_embd)
    writer.add_block_count(n_layer)
    writer.add_feed_forward_length(n_ff)
    writer.add_head_count(n_head)
    writer.add_head_count_kv(n_head)
    writer.add_rope_dimension_count(n_embd // n_head)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_F16 if f16 else gguf.LlamaFileType.ALL_F32)
    return writer


def write_scripted_llama(
    path: Path,
    vocab: Vocab,
    script: Sequence[str],
    *,
    bos: str,
    eos: str,
    add_bos: bool,
    template: str,
    n_embd: int = N_EMBD,
    n_ctx_train: int = 4096,
) -> int:
    """Write a one-layer llama model whose greedy continuation follows ``script``; return n_ctx_train.

    A vocabulary of more than a few dozen tokens needs a wider `n_embd` to keep each successor's margin.
    """
    n_ff = 128
    embd, output = _scripted_weights(vocab, script, n_embd)
    ones = np.ones(n_embd, dtype=np.float32)
    T = gguf.MODEL_TENSOR
    tensors: dict[str, Array] = {
        tensor_name(T.TOKEN_EMBD): embd,
        tensor_name(T.OUTPUT_NORM): ones,
        tensor_name(T.OUTPUT): output,
        tensor_name(T.ATTN_NORM, 0): ones,
        tensor_name(T.FFN_NORM, 0): ones,
    }
    # Zero projections: attention and feed-forward contribute nothing to the residual stream.
    for tensor in (T.ATTN_Q, T.ATTN_K, T.ATTN_V, T.ATTN_OUT):
        tensors[tensor_name(tensor, 0)] = np.zeros((n_embd, n_embd), dtype=np.float32)
    tensors[tensor_name(T.FFN_GATE, 0)] = np.zeros((n_ff, n_embd), dtype=np.float32)
    tensors[tensor_name(T.FFN_UP, 0)] = np.zeros((n_ff, n_embd), dtype=np.float32)
    tensors[tensor_name(T.FFN_DOWN, 0)] = np.zeros((n_embd, n_ff), dtype=np.float32)

    writer = llama_writer(
        path, n_ctx_train=n_ctx_train, n_embd=n_embd, n_layer=1, n_ff=n_ff, n_head=_N_HEAD, f16=False
    )
    add_tokenizer(writer, vocab, bos=bos, eos=eos, add_bos=add_bos, template=template)
    write_tensors(writer, tensors)
    return n_ctx_train


def build_plain_model(path: Path) -> TinyModel:
    """Llama model with a simple control-token template; BOS ``<s>`` is added when tokenizing.

    After ``<|assistant|>`` it answers ``ANSWER`` and ends with ``<|end|>`` (EOS, end-of-generation).
    """
    answer = [spm(p) for p in pieces(ANSWER)]
    controls = ["<s>", "<|system|>", "<|user|>", "<|assistant|>", "<|end|>"]
    vocab = build_vocab(controls, answer, generate_only=())
    script = ["<|assistant|>", *answer, "<|end|>"]
    n_ctx_train = write_scripted_llama(
        path, vocab, script, bos="<s>", eos="<|end|>", add_bos=True, template=PLAIN_CHAT_TEMPLATE
    )
    return TinyModel(path, ANSWER, "", n_ctx_train)
