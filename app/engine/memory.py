"""How much memory a model will need, decided before llama.cpp allocates anything, and the context length
that fits. The engine's load check, the automatic context and the Models window's verdicts all use this
arithmetic, so they never disagree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from app.engine.gguf_info import GGUFInfo, shard_paths

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
