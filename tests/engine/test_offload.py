"""GPU offload: the planner on machines described by hand, the CPU fallback, and ggml's device list here."""

from __future__ import annotations

import logging
import types
from pathlib import Path

import pytest

from app.engine import llama_bridge
from app.engine.devices import Device
from app.engine.gguf_info import read_gguf_info
from app.engine.memory import LayerSizes, MemoryEstimate, layer_sizes
from app.engine.offload import (
    DEVICE_COMPUTE_BYTES,
    MARGIN_MIN_BYTES,
    OffloadPlan,
    load_with_fallback,
    margin,
    memory_split,
    placement_text,
    plan_offload,
)
from tests.fixtures.tiny_models import TinyModel

MIB = 1024**2
GIB = 1024**3
CPU = Device("CPU", "AMD Ryzen 7", "cpu", 30 * GIB, 32 * GIB)
# A gpt-oss-20b-like model at 8k context: 24 blocks of 450 MiB, a 600 MiB head, 16 MiB of cache a block.
MODEL = LayerSizes.uniform(
    24, block_bytes=450 * MIB, kv_bytes=16 * MIB, output_bytes=600 * MIB, input_bytes=600 * MIB
)
WHOLE = 600 * MIB + 24 * (450 + 16) * MIB + DEVICE_COMPUTE_BYTES  # all of MODEL on a device


def gpu(free_gib: float, total_gib: float, name: str = "CUDA0", description: str = "NVIDIA RTX") -> Device:
    return Device(name, description, "gpu", int(free_gib * GIB), int(total_gib * GIB))


def test_without_a_device_list_the_model_runs_on_the_cpu() -> None:
    plan = plan_offload(MODEL, [])
    assert plan == OffloadPlan(0, "", plan.reason)
    assert "No GPU" in plan.reason


def test_a_cpu_only_machine_offloads_nothing() -> None:
    plan = plan_offload(MODEL, [CPU])
    assert plan.n_gpu_layers == 0
    assert not plan.on_gpu
    assert placement_text(plan, 24, 8) == "CPU, 8 threads"
    assert placement_text(plan, 24, 1) == "CPU, 1 thread"


def test_a_big_gpu_takes_every_layer_and_the_output_layer() -> None:
    plan = plan_offload(MODEL, [CPU, gpu(22, 24, description="NVIDIA GeForce RTX 4090")])
    assert plan.n_gpu_layers == 25, "llama.cpp counts the output layer as one more"
    assert plan.device_bytes == WHOLE
    assert plan.main_gpu == 0
    assert "whole model" in plan.reason
    assert placement_text(plan, 24, 8) == "GPU: 24 of 24 layers, NVIDIA GeForce RTX 4090"


def test_a_small_gpu_takes_as_many_layers_as_fit_under_its_margin() -> None:
    device = gpu(7.2, 8)
    plan = plan_offload(MODEL, [CPU, device])
    budget = device.free_bytes - margin(device)
    # The output layer, the compute buffer, then blocks of 450 + 16 MiB from the last one down.
    blocks = (budget - 600 * MIB - DEVICE_COMPUTE_BYTES) // (466 * MIB)
    assert 0 < blocks < 24
    assert plan.n_gpu_layers == blocks + 1
    assert plan.device_bytes <= budget < plan.device_bytes + 466 * MIB
    assert placement_text(plan, 24, 8) == f"GPU: {blocks} of 24 layers, NVIDIA RTX"


def test_the_margin_is_half_a_gib_or_a_tenth_of_the_card() -> None:
    assert margin(gpu(4, 4)) == MARGIN_MIN_BYTES
    assert margin(gpu(20, 24)) == int(2.4 * GIB)


def test_a_gpu_whose_free_memory_is_below_the_margin_gets_nothing_and_says_why() -> None:
    plan = plan_offload(MODEL, [CPU, gpu(0.4, 8)])
    assert plan.n_gpu_layers == 0
    assert "NVIDIA RTX has 429 MB free" in plan.reason
    assert "runs on the CPU" in plan.reason


def test_room_for_the_output_layer_alone_is_not_worth_offloading() -> None:
    device = gpu(1.6, 2)  # 1.6 GiB - 512 MiB margin: the head and compute buffer fit, no block does
    assert plan_offload(MODEL, [device]).n_gpu_layers == 0


def test_unified_memory_counts_what_the_system_has_free() -> None:
    # Metal reports the GPU's share of RAM as its memory (16 GiB of a 24 GB Mac), whatever others use.
    apple = Device("MTL0", "Apple M2", "gpu", 16 * GIB, 16 * GIB)
    roomy = plan_offload(MODEL, [CPU, apple], system_free=18 * GIB)
    assert roomy.n_gpu_layers == 25
    assert roomy.shares_system_memory
    assert placement_text(roomy, 24, 8) == "GPU: 24 of 24 layers, Apple M2"
    crowded = plan_offload(MODEL, [CPU, apple], system_free=5 * GIB)
    assert 1 < crowded.n_gpu_layers < 25
    assert crowded.device_bytes <= 5 * GIB - margin(apple)


def test_an_integrated_gpu_is_used_only_without_a_discrete_one() -> None:
    igpu = Device("Vulkan1", "AMD Radeon 780M", "igpu", 20 * GIB, 24 * GIB)
    alone = plan_offload(MODEL, [CPU, igpu], system_free=20 * GIB)
    assert alone.device_name == "AMD Radeon 780M"
    assert alone.n_gpu_layers == 25
    assert plan_offload(MODEL, [CPU, igpu], system_free=3 * GIB).n_gpu_layers < 25
    small = gpu(3, 4)
    with_discrete = plan_offload(MODEL, [CPU, igpu, small], system_free=20 * GIB)
    # llama.cpp ignores integrated GPUs next to a discrete one.
    assert with_discrete.device_name == "NVIDIA RTX"
    assert with_discrete.main_gpu == 0


def test_of_two_gpus_the_one_with_most_free_memory_is_used_and_named() -> None:
    first, second = gpu(3, 8, "CUDA0", "RTX 3060"), gpu(11, 12, "CUDA1", "RTX 4070")
    plan = plan_offload(MODEL, [CPU, first, second])
    assert plan.main_gpu == 1, "an index among llama.cpp's GPUs, so split mode none keeps the model there"
    assert plan.device_name == "RTX 4070"
    assert "RTX 4070 has the most free memory of 2 GPUs." in plan.reason


def test_a_number_from_settings_is_taken_as_it_is_but_clamped() -> None:
    small = [CPU, gpu(1, 2)]
    assert plan_offload(MODEL, small, 10).n_gpu_layers == 10, "the user's number wins over the estimate"
    assert plan_offload(MODEL, small, 99).n_gpu_layers == 25
    assert plan_offload(MODEL, small, -1).n_gpu_layers == 25
    assert plan_offload(MODEL, small, 0) == OffloadPlan(0, "", plan_offload(MODEL, small, 0).reason)
    assert plan_offload(MODEL, [CPU], 10).n_gpu_layers == 0, "without a GPU llama.cpp would use none"


def test_memory_split_moves_the_offloaded_part_off_the_ram() -> None:
    estimate = MemoryEstimate(weights_bytes=12 * GIB, kv_cache_bytes=GIB, overhead_bytes=GIB)
    discrete = plan_offload(MODEL, [gpu(22, 24)])
    assert memory_split(estimate, discrete) == (14 * GIB - WHOLE, WHOLE)
    apple = plan_offload(MODEL, [Device("MTL0", "Apple M2", "gpu", 20 * GIB, 20 * GIB)], system_free=20 * GIB)
    assert memory_split(estimate, apple) == (14 * GIB, WHOLE), "unified memory is the same RAM"
    assert memory_split(estimate, plan_offload(MODEL, [])) == (14 * GIB, 0)


def test_a_failed_gpu_load_is_retried_on_the_cpu_with_a_sentence_for_the_user() -> None:
    tried: list[int] = []

    def open_fn(plan: OffloadPlan) -> str:
        tried.append(plan.n_gpu_layers)
        if plan.n_gpu_layers:
            raise ValueError("Failed to load model from file: model.gguf")
        return "llm"

    plan = plan_offload(MODEL, [gpu(22, 24, description="Radeon RX 7900")])
    llm, used, note = load_with_fallback(open_fn, plan)
    assert (llm, tried) == ("llm", [25, 0])
    assert used.n_gpu_layers == 0
    assert used.reason == note
    assert note.count(".") == 1
    assert note.startswith("The model did not fit in the memory of Radeon RX 7900, so it runs on the CPU")


def test_a_successful_load_or_a_cpu_failure_is_left_alone() -> None:
    plan = plan_offload(MODEL, [gpu(22, 24)])
    assert load_with_fallback(lambda p: p.n_gpu_layers, plan) == (25, plan, "")

    def broken(_plan: OffloadPlan) -> str:
        raise ValueError("Failed to load model from file: model.gguf")

    with pytest.raises(ValueError, match="Failed to load"):
        load_with_fallback(broken, plan_offload(MODEL, []))


def test_layer_sizes_account_for_every_tensor_of_a_real_file(plain_model: TinyModel) -> None:
    info = read_gguf_info(plain_model.path)
    sizes = layer_sizes(info, 512)
    assert sizes.n_layer == info.arch_int("block_count")
    assert all(block > 0 for block in sizes.blocks)
    assert sum(sizes.blocks) + sizes.output_bytes + sizes.input_bytes == info.tensor_bytes
    assert sum(sizes.kv_cache) == layer_sizes(info, 1024).kv_cache[0] * sizes.n_layer // 2


def test_a_tied_embedding_is_copied_to_the_output_layer(tmp_path: Path) -> None:
    import gguf
    import numpy as np

    path = tmp_path / "tied.gguf"
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_block_count(1)
    writer.add_tensor("token_embd.weight", np.zeros((32, 8), dtype=np.float32))
    writer.add_tensor("output_norm.weight", np.zeros(8, dtype=np.float32))
    writer.add_tensor("blk.0.attn_q.weight", np.zeros((8, 8), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    sizes = layer_sizes(read_gguf_info(path), 16)
    assert sizes.blocks == (8 * 8 * 4,)
    assert sizes.input_bytes == 32 * 8 * 4
    assert sizes.output_bytes == 8 * 4 + 32 * 8 * 4


def test_ggml_lists_this_machines_devices() -> None:
    found = llama_bridge.devices()
    assert any(d.type == "cpu" for d in found)
    assert all(d.total_bytes >= d.free_bytes >= 0 for d in found)
    if not llama_bridge.supports_gpu_offload():
        assert [d.type for d in found] == ["cpu"]


def test_a_library_without_the_device_api_lists_no_devices(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="hearth.llama")
    monkeypatch.setattr(llama_bridge, "load_shared_library", lambda *_args: types.SimpleNamespace())
    llama_bridge._device_api.cache_clear()
    try:
        assert llama_bridge.devices() == []
        assert "no device API" in caplog.text
    finally:
        monkeypatch.undo()
        llama_bridge._device_api.cache_clear()
