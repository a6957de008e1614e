"""How much memory a model will need, decided before llama.cpp allocates anything, and the context length
that fits. The engine's load check, the automatic context and the Models window's verdicts all use this
arithmetic, so they never disagree."""

from __future__ import annotations

import math
import mmap
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import gguf

from app.engine.gguf_info import GGUFFormatError, GGUFInfo, shard_paths
from app.i18n import translate

GIB = 1024**3
# llama.cpp's compute buffers, the logits row and the Python side; measured on gpt-oss-20b at 8k
# context this is a few hundred MB, so a fixed allowance plus a small share of the weights is safe.
FIXED_OVERHEAD_BYTES = 384 * 1024**2
WEIGHTS_OVERHEAD_SHARE = 0.03
KV_BYTES_PER_VALUE = 2  # f16 cache, llama.cpp's default
# Sliding-window layers (gpt-oss: every other layer, a 128-token window) could keep a cache of the window
# alone, but only with llama.cpp's swa_full off. Hearth keeps it on (llama.cpp's library default): a
# follow-up turn reuses the cached prefix and drops the old reply, which rewinds the cache by the reply's
# length; with windowed caches a rewind past the window leaves the window's cells missing, and llama.cpp
# still reports the rewind as done (measured on gpt-oss's layout), so answers would quietly degrade.
# Every layer therefore holds the whole context, and the arithmetic counts it so.

# The lengths the automatic choice picks from, longest first; below the first one it is not worth
# loading at all (a document and a few turns would not fit).
AUTO_CONTEXTS: Final = (65_536, 32_768, 16_384, 8_192)
# Memory the rest of the computer keeps: the system, the window, a browser. A model leaving less than
# this slows everything else down.
OS_RESERVE_SHARE = 0.10
OS_RESERVE_MIN_BYTES = int(1.5 * GIB)


@dataclass(frozen=True)
class CacheShape:
    """What a model's KV cache costs: every layer keeps K and V of every token of the context."""

    n_layer: int
    bytes_per_token_layer: int  # f16 K and V of one token in one layer

    def bytes_at(self, n_ctx: int) -> int:
        return self.n_layer * n_ctx * self.bytes_per_token_layer


def cache_shape(info: GGUFInfo) -> CacheShape:
    n_layer = info.arch_int("block_count")
    n_head = info.arch_int("attention.head_count", 1) or 1
    n_head_kv = info.arch_int("attention.head_count_kv", n_head) or n_head
    head_dim = info.arch_int("embedding_length") // n_head
    key_len = info.arch_int("attention.key_length", head_dim) or head_dim
    value_len = info.arch_int("attention.value_length", head_dim) or head_dim
    return CacheShape(n_layer, n_head_kv * (key_len + value_len) * KV_BYTES_PER_VALUE)


@dataclass(frozen=True)
class MemoryEstimate:
    weights_bytes: int
    kv_cache_bytes: int
    overhead_bytes: int

    @property
    def total_bytes(self) -> int:
        return self.weights_bytes + self.kv_cache_bytes + self.overhead_bytes


def kv_cache_bytes(info: GGUFInfo, n_ctx: int) -> int:
    return cache_shape(info).bytes_at(n_ctx)


def overhead_bytes(weights_bytes: int) -> int:
    return FIXED_OVERHEAD_BYTES + int(weights_bytes * WEIGHTS_OVERHEAD_SHARE)


def estimate_memory(info: GGUFInfo, n_ctx: int) -> MemoryEstimate:
    weights = sum(p.stat().st_size for p in shard_paths(info.path))
    return MemoryEstimate(weights, kv_cache_bytes(info, n_ctx), overhead_bytes(weights))


def os_reserve(total_ram: int) -> int:
    return max(OS_RESERVE_MIN_BYTES, int(total_ram * OS_RESERVE_SHARE))


def fits_comfortably(needed: int, total_ram: int, available_ram: int) -> bool:
    """Runs without crowding out the rest of the computer: within what is free now, and leaving the
    system its reserve. The Models window's "fits" and the automatic context both mean this."""
    return needed <= available_ram and needed <= total_ram - os_reserve(total_ram)


def choose_context(
    needed_at: Callable[[int], int], n_ctx_train: int, total_ram: int, available_ram: int
) -> int:
    """The longest of AUTO_CONTEXTS the model was trained for that fits comfortably; the shortest when
    none does (the load's own memory check then says whether even that is too much)."""
    trained = [n for n in AUTO_CONTEXTS if n <= n_ctx_train] or [min(AUTO_CONTEXTS[-1], n_ctx_train)]
    for n_ctx in trained:
        if fits_comfortably(needed_at(n_ctx), total_ram, available_ram):
            return n_ctx
    return trained[-1]


# -- what each of llama.cpp's offload units weighs (the GPU offload planner's input) --------------------

# Byte sizes of GGUF metadata scalars (the GGUF spec), to step over the metadata to the tensor table.
_SCALAR_SIZES: dict[int, int] = {
    gguf.GGUFValueType.UINT8: 1,
    gguf.GGUFValueType.INT8: 1,
    gguf.GGUFValueType.BOOL: 1,
    gguf.GGUFValueType.UINT16: 2,
    gguf.GGUFValueType.INT16: 2,
    gguf.GGUFValueType.UINT32: 4,
    gguf.GGUFValueType.INT32: 4,
    gguf.GGUFValueType.FLOAT32: 4,
    gguf.GGUFValueType.UINT64: 8,
    gguf.GGUFValueType.INT64: 8,
    gguf.GGUFValueType.FLOAT64: 8,
}
_OUTPUT_TENSORS = frozenset({"output.weight", "output.bias", "output_norm.weight", "output_norm.bias"})


@dataclass(frozen=True)
class LayerSizes:
    """A model's weights and cache by the units llama.cpp offloads, for one context length.

    llama.cpp offloads the output layer first and then repeating blocks from the last one down; the
    input embedding always stays on the CPU.
    """

    blocks: tuple[int, ...]  # weight bytes of each repeating block (blk.N), in order
    kv_cache: tuple[int, ...]  # each block's KV cache at the context length
    output_bytes: int  # output norm and head; a copy of the embedding when the model ties them
    input_bytes: int  # token embedding and the rest that llama.cpp keeps on the CPU

    @property
    def n_layer(self) -> int:
        return len(self.blocks)

    @classmethod
    def uniform(
        cls, n_layer: int, *, block_bytes: int, kv_bytes: int, output_bytes: int, input_bytes: int = 0
    ) -> LayerSizes:
        return cls((block_bytes,) * n_layer, (kv_bytes,) * n_layer, output_bytes, input_bytes)


def _skip_value(buf: mmap.mmap, pos: int, vtype: int) -> int:
    if vtype == gguf.GGUFValueType.STRING:
        return pos + 8 + int(struct.unpack_from("<Q", buf, pos)[0])
    if vtype == gguf.GGUFValueType.ARRAY:
        item_type, count = struct.unpack_from("<IQ", buf, pos)
        pos += 12
        if item_type in _SCALAR_SIZES:
            return pos + _SCALAR_SIZES[item_type] * int(count)
        for _ in range(count):
            pos = _skip_value(buf, pos, item_type)
        return pos
    return pos + _SCALAR_SIZES[vtype]


def _tensor_sizes(path: Path) -> dict[str, int]:
    """Name -> bytes of every tensor in one GGUF file (gguf_info keeps only their sum)."""
    sizes = {}
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as buf:
        n_tensors, n_kv = struct.unpack_from("<QQ", buf, 8)
        pos = 24
        for _ in range(n_kv):
            pos = _skip_value(buf, pos, gguf.GGUFValueType.STRING)  # the key
            pos = _skip_value(buf, pos + 4, struct.unpack_from("<I", buf, pos)[0])
        for _ in range(n_tensors):
            (name_len,) = struct.unpack_from("<Q", buf, pos)
            name = bytes(buf[pos + 8 : pos + 8 + name_len]).decode("utf-8", "replace")
            pos += 8 + name_len
            (n_dims,) = struct.unpack_from("<I", buf, pos)
            dims = struct.unpack_from(f"<{n_dims}Q", buf, pos + 4)
            pos += 4 + 8 * n_dims
            (type_id,) = struct.unpack_from("<I", buf, pos)
            pos += 12  # type and offset
            block_size, type_size = gguf.GGML_QUANT_SIZES[gguf.GGMLQuantizationType(type_id)]
            sizes[name] = math.prod(dims) // block_size * type_size
    return sizes


def layer_sizes(info: GGUFInfo, n_ctx: int) -> LayerSizes:
    """What each offload unit of `info`'s model weighs at `n_ctx`. Raises GGUFFormatError."""
    try:
        sizes: dict[str, int] = {}
        for part in shard_paths(info.path):
            sizes.update(_tensor_sizes(part))
    except (struct.error, ValueError, KeyError) as exc:
        raise GGUFFormatError(translate("Engine", "the file's tensor table is damaged")) from exc
    n_layer = info.arch_int("block_count")
    blocks = [0] * n_layer
    output = input_ = 0
    for name, nbytes in sizes.items():
        prefix, _, rest = name.partition(".")
        index = rest.partition(".")[0]
        if prefix == "blk" and index.isdigit() and int(index) < n_layer:
            blocks[int(index)] += nbytes
        elif name in _OUTPUT_TENSORS:
            output += nbytes
        else:
            input_ += nbytes
    if "output.weight" not in sizes:
        # Tied embeddings: llama.cpp loads a second copy of the embedding as the output head.
        output += sizes.get("token_embd.weight", 0)
    # Spread evenly: kv_cache_bytes is the whole cache, and follows it when it learns sliding windows.
    per_block = kv_cache_bytes(info, n_ctx) // max(1, n_layer)
    return LayerSizes(tuple(blocks), (per_block,) * n_layer, output, input_)
