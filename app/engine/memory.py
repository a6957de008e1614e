"""How much memory a model will need, decided before llama.cpp allocates anything."""

from __future__ import annotations

from dataclasses import dataclass

from app.engine.gguf_info import GGUFInfo, shard_paths

GIB = 1024**3
# llama.cpp's compute buffers, the logits row and the Python side; measured on gpt-oss-20b at 8k
# context this is a few hundred MB, so a fixed allowance plus a small share of the weights is safe.
FIXED_OVERHEAD_BYTES = 384 * 1024**2
WEIGHTS_OVERHEAD_SHARE = 0.03
KV_BYTES_PER_VALUE = 2  # f16 cache, llama.cpp's default


@dataclass(frozen=True)
class MemoryEstimate:
    weights_bytes: int
    kv_cache_bytes: int
    overhead_bytes: int

    @property
    def total_bytes(self) -> int:
        return self.weights_bytes + self.kv_cache_bytes + self.overhead_bytes


def kv_cache_bytes(info: GGUFInfo, n_ctx: int) -> int:
    n_layer = info.arch_int("block_count")
    n_head = info.arch_int("attention.head_count", 1) or 1
    n_head_kv = info.arch_int("attention.head_count_kv", n_head) or n_head
    head_dim = info.arch_int("embedding_length") // n_head
    key_len = info.arch_int("attention.key_length", head_dim) or head_dim
    value_len = info.arch_int("attention.value_length", head_dim) or head_dim
    # Upper bound: sliding-window layers need less, but an estimate that errs high never lets a
    # user start a load that then swaps the laptop to a standstill.
    return n_ctx * n_layer * n_head_kv * (key_len + value_len) * KV_BYTES_PER_VALUE


def estimate_memory(info: GGUFInfo, n_ctx: int) -> MemoryEstimate:
    weights = sum(p.stat().st_size for p in shard_paths(info.path))
    overhead = FIXED_OVERHEAD_BYTES + int(weights * WEIGHTS_OVERHEAD_SHARE)
    return MemoryEstimate(weights, kv_cache_bytes(info, n_ctx), overhead)
