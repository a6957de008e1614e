"""Will a model run here? Verdicts from injected hardware numbers, never this machine's."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.engine.devices import Device
from app.engine.gguf_info import read_gguf_info
from app.engine.memory import GIB, estimate_memory
from app.models.catalog import builtin_variant, custom_variant, recommended_variant
from app.models.hardware import (
    FALLBACK_KV_BYTES_PER_TOKEN,
    HardwareInfo,
    assess_fit,
    detect_hardware,
    free_disk_bytes,
    memory_needed,
)
from tests.fixtures.tiny_models import TinyModel

MIB = 1024**2
# What a "16 GB" laptop reports: some memory is reserved by the firmware and the GPU.
LAPTOP_16 = HardwareInfo(
    total_ram=int(15.5 * GIB), available_ram=14 * GIB, free_disk=100 * GIB, physical_cores=4, logical_cpus=8
)


def hardware(total_gib: float, free_gib: float) -> HardwareInfo:
    return HardwareInfo(int(total_gib * GIB), int(free_gib * GIB), 100 * GIB, 4, 8)


def test_needed_memory_counts_weights_kv_cache_and_overhead() -> None:
    variant = recommended_variant()
    assert variant.size_bytes is not None
    needed_8k = memory_needed(variant, 8192)
    needed_16k = memory_needed(variant, 16384)
    assert needed_16k - needed_8k == 384 * MIB  # the KV cache grows 48 KiB per token
    assert variant.size_bytes + 384 * MIB < needed_8k < 13 * GIB


def test_gpt_oss_20b_fits_a_16_gb_laptop_with_room() -> None:
    fit = assess_fit(recommended_variant(), LAPTOP_16, 8192)
    assert fit.verdict == "fits"
    assert fit.available_bytes == 14 * GIB
    # Decimal units, as everywhere in Hearth: 15.5 GiB is 16.6 GB.
    assert fit.explanation.startswith("Needs about 13.3 GB; this computer has 16.6 GB (15.0 GB free now).")


def test_busy_laptop_is_tight_and_says_what_to_do() -> None:
    fit = assess_fit(recommended_variant(), hardware(15.5, 11.2), 8192)
    assert fit.verdict == "tight"
    assert "(12.0 GB free now)" in fit.explanation  # 11.2 GiB
    assert "Close other apps" in fit.explanation


def test_little_headroom_for_the_os_is_tight() -> None:
    # Everything free, but the model leaves the system under its reserve.
    fit = assess_fit(recommended_variant(), hardware(13.0, 13.0), 8192)
    assert fit.verdict == "tight"
    assert "slow down" in fit.explanation


def test_120b_wont_fit_a_laptop_but_fits_a_workstation() -> None:
    big = builtin_variant("gpt-oss-120b-mxfp4")
    assert big is not None
    assert assess_fit(big, LAPTOP_16, 8192).verdict == "won't fit"
    assert "smaller model" in assess_fit(big, LAPTOP_16, 8192).explanation
    assert assess_fit(big, hardware(128, 100), 8192).verdict == "fits"


def test_longer_context_can_change_the_verdict() -> None:
    variant = recommended_variant()
    roomy = hardware(16, 13.3)
    assert assess_fit(variant, roomy, 4096).verdict == "fits"
    assert assess_fit(variant, roomy, 131072).verdict != "fits"  # 6 GB of KV cache on top


def test_bare_size_and_unknown_variant_use_the_fallback_kv() -> None:
    size = 2 * GIB
    assert memory_needed(size, 1000) - memory_needed(size, 0) == 1000 * FALLBACK_KV_BYTES_PER_TOKEN
    custom = custom_variant("org/small-GGUF", "small.gguf")
    assert memory_needed(custom, 1000) - memory_needed(custom, 0) == 1000 * FALLBACK_KV_BYTES_PER_TOKEN
    assert assess_fit(size, hardware(8, 6), 4096).verdict == "fits"


def test_installed_model_uses_the_engines_estimate(gpt_oss_model: TinyModel) -> None:
    estimate = estimate_memory(read_gguf_info(gpt_oss_model.path), 4096)
    fit = assess_fit(estimate, hardware(8, 6), 4096)
    assert fit.needed_bytes == estimate.total_bytes
    assert fit.verdict == "fits"


@pytest.mark.parametrize("exists", [True, False])
def test_detect_hardware_reports_sane_numbers(tmp_path: Path, exists: bool) -> None:
    folder = tmp_path / "models" / "not-yet"
    if exists:
        folder.mkdir(parents=True)
    info = detect_hardware(folder)
    assert info.total_ram >= info.available_ram > 0
    assert info.free_disk > 0
    assert free_disk_bytes(tmp_path) > 0
    assert info.logical_cpus >= info.physical_cores >= 1


def test_a_gpu_with_room_takes_the_weights_off_the_ram() -> None:
    small_ram = HardwareInfo(8 * GIB, 6 * GIB, 100 * GIB, 4, 8)
    with_gpu = HardwareInfo(
        8 * GIB, 6 * GIB, 100 * GIB, 4, 8, devices=(Device("CUDA0", "Test GPU", "gpu", 20 * GIB, 24 * GIB),)
    )
    variant = recommended_variant()
    assert assess_fit(variant, small_ram, 8192).verdict == "won't fit", "12 GB of weights in 8 GB of RAM"
    fit = assess_fit(variant, with_gpu, 8192)
    assert fit.verdict == "fits"
    assert fit.needed_bytes < GIB, "what stays in RAM"
    assert fit.explanation.endswith("GPU: 24 of 24 layers, Test GPU.")


def test_a_gpu_sharing_the_ram_does_not_make_room() -> None:
    apple = HardwareInfo(
        8 * GIB, 6 * GIB, 100 * GIB, 8, 8, devices=(Device("MTL0", "Apple M2", "gpu", 5 * GIB, 5 * GIB),)
    )
    assert assess_fit(recommended_variant(), apple, 8192).verdict == "won't fit"
