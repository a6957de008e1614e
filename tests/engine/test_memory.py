"""The memory arithmetic: what llama.cpp really allocates for the cache, and the automatic context."""

from __future__ import annotations

import logging
import re

import pytest

from app.engine import Engine
from app.engine.gguf_info import read_gguf_info
from app.engine.memory import GIB, choose_context, fits_comfortably, kv_cache_bytes, os_reserve
from tests.fixtures.tiny_models import TinyModel

MIB = 1024**2


def allocated_kv_bytes(records: list[logging.LogRecord]) -> int:
    """The KV cache sizes llama.cpp reports as it creates them ("llama_kv_cache: size = 1.00 MiB (...)")."""
    sizes = [re.search(r"llama_kv_cache: size = +([\d.]+) MiB", r.getMessage()) for r in records]
    return int(sum(float(m.group(1)) for m in sizes if m) * MIB)


def test_the_cache_estimate_is_what_llama_cpp_allocates_for_gpt_oss(
    gpt_oss_model: TinyModel, caplog: pytest.LogCaptureFixture
) -> None:
    # gpt-oss slides every other layer over a 128-token window; with the full-size window caches Hearth
    # keeps (see app.engine.memory), every layer holds the whole context, and the estimate says so.
    engine = Engine()
    with caplog.at_level(logging.DEBUG, logger="hearth.llama"):
        engine.load(gpt_oss_model.path, n_ctx=4096)
    try:
        allocated = allocated_kv_bytes(caplog.records)
        assert allocated > 0, "llama.cpp reported its cache"
        assert kv_cache_bytes(read_gguf_info(gpt_oss_model.path), 4096) == allocated
    finally:
        engine.unload()


def test_the_automatic_context_is_the_longest_that_fits() -> None:
    total, free = 32 * GIB, 24 * GIB

    def needed(n_ctx: int) -> int:
        return 12 * GIB + n_ctx * 200_000  # 12 GB of weights; 64k costs 13 GB more, 32k 6.5 GB

    assert choose_context(needed, 131_072, total, free) == 32_768
    assert choose_context(needed, 16_384, total, free) == 16_384, "never past what it was trained for"
    assert choose_context(needed, 131_072, 16 * GIB, 8 * GIB) == 8_192, "the shortest when none fits"
    assert choose_context(needed, 2048, total, free) == 2048, "a model trained for less keeps its own"


def test_fitting_leaves_the_system_its_reserve() -> None:
    total = 16 * GIB
    assert os_reserve(total) == int(total * 0.10), "a tenth of a big computer's memory"
    assert os_reserve(8 * GIB) == int(1.5 * GIB), "and at least 1.5 GiB on a small one"
    assert fits_comfortably(10 * GIB, total, 12 * GIB)
    assert not fits_comfortably(15 * GIB, total, 16 * GIB), "within the free memory, but not the reserve"
    assert not fits_comfortably(10 * GIB, total, 9 * GIB), "more than is free now"
