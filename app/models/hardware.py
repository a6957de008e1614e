"""What this computer has, and whether a model will run on it: "fits", "tight" or "won't fit".

The verdict counts the weights, the KV cache at the chosen context and llama.cpp's working buffers, using
the same allowances as the engine's own pre-load check (app.engine.memory), so the model manager never
promises what the engine will then refuse.

Thresholds, in the order they are tested:
- "won't fit": the model needs more than the computer's total memory. It could only run by swapping to
  disk, which on a laptop means minutes per answer.
- "tight": it needs more than the memory left after an OS reserve (10% of RAM, at least 1.5 GiB, for the
  system and a browser), or more than is free right now. It runs, but other apps may slow down or need
  closing first.
- "fits": otherwise. gpt-oss-20b (about 13.3 GB with an 8k context) fits a laptop sold as "16 GB" (16 GiB,
  17.2 GB) with enough free, which is what "runs within 16 GB" means in practice.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import psutil

from app.engine import gpu_offload_available, llama_bridge
from app.engine.devices import Device
from app.engine.memory import LayerSizes, MemoryEstimate, fits_comfortably, os_reserve, overhead_bytes
from app.engine.offload import OffloadPlan, placement_text, plan_offload
from app.i18n import translate
from app.models.catalog import Variant
from app.units import format_bytes

Verdict = Literal["fits", "tight", "won't fit"]

# A model whose KV layout we don't know (a bare size): a typical 7-8B llama with grouped-query attention
# (32 layers x 8 KV heads x 128 dims, f16) needs 128 KiB per token; most small GGUFs need less.
FALLBACK_KV_BYTES_PER_TOKEN = 128 * 1024


@dataclass(frozen=True)
class HardwareInfo:
    total_ram: int
    available_ram: int
    free_disk: int  # in the folder models go to
    physical_cores: int
    logical_cpus: int
    # The GPUs llama.cpp can use (empty on a build without a GPU backend): a model's layers that fit in
    # their memory need none of the RAM.
    devices: tuple[Device, ...] = ()


def detect_hardware(folder: Path) -> HardwareInfo:
    """Measure this computer now. `folder` need not exist yet: its nearest existing parent is measured."""
    memory = psutil.virtual_memory()
    logical = psutil.cpu_count(logical=True) or 1
    physical = psutil.cpu_count(logical=False) or logical
    return HardwareInfo(
        total_ram=int(memory.total),
        available_ram=int(memory.available),
        free_disk=free_disk_bytes(folder),
        physical_cores=physical,
        logical_cpus=logical,
        devices=tuple(llama_bridge.devices()) if gpu_offload_available() else (),
    )


def free_disk_bytes(folder: Path) -> int:
    probe = folder.resolve()
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    return shutil.disk_usage(probe).free


@dataclass(frozen=True)
class Fit:
    verdict: Verdict
    needed_bytes: int
    available_bytes: int  # free memory right now
    explanation: str


def memory_needed(target: Variant | MemoryEstimate | int, n_ctx: int) -> int:
    """RAM to run `target` at `n_ctx`: an installed model's estimate, a catalogue variant, or a bare size."""
    if isinstance(target, MemoryEstimate):
        return target.total_bytes
    if isinstance(target, Variant):
        weights = target.size_bytes or 0
        kv = target.kv_cache_bytes(n_ctx)
        kv = n_ctx * FALLBACK_KV_BYTES_PER_TOKEN if kv is None else kv
    else:
        weights, kv = target, n_ctx * FALLBACK_KV_BYTES_PER_TOKEN
    return weights + kv + overhead_bytes(weights)


def _gpu_plan(
    target: Variant | MemoryEstimate | int, hardware: HardwareInfo, n_ctx: int
) -> OffloadPlan | None:
    """The layers of a catalogue variant that would go to a GPU, as the engine would plan them; None
    without a GPU, or for a model whose layout the catalogue does not give. Its blocks are taken as
    equal, and the output layer as one of them."""
    if not hardware.devices or not isinstance(target, Variant) or target.cache is None:
        return None
    n_layer, weights = target.cache.n_layer, target.size_bytes or 0
    sizes = LayerSizes.uniform(
        n_layer,
        block_bytes=weights // (n_layer + 1),
        kv_bytes=target.cache.bytes_at(n_ctx) // n_layer,
        output_bytes=weights // (n_layer + 1),
    )
    plan = plan_offload(sizes, hardware.devices, "auto", system_free=hardware.available_ram)
    return plan if plan.on_gpu else None


def assess_fit(target: Variant | MemoryEstimate | int, hardware: HardwareInfo, n_ctx: int) -> Fit:
    needed = memory_needed(target, n_ctx)
    plan = _gpu_plan(target, hardware, n_ctx)
    if plan is not None and not plan.shares_system_memory:
        needed -= min(plan.device_bytes, needed)  # what the GPU holds needs no RAM
    total, free = hardware.total_ram, hardware.available_ram
    verdict: Verdict
    if needed > total:
        verdict = "won't fit"
        advice = translate(
            "Models", "It would be far too slow here; choose a smaller model or a shorter context."
        )
    elif fits_comfortably(needed, total, free):
        verdict = "fits"
        advice = translate("Models", "It should run comfortably.")
    elif needed > total - os_reserve(total):
        verdict = "tight"
        advice = translate(
            "Models",
            "It may run, but leaves too little for everything else; expect the computer to slow down.",
        )
    else:
        verdict = "tight"
        advice = translate("Models", "Close other apps first to make room.")
    # The advice is a sentence of its own, so a translation may put it before the facts.
    explanation = translate(
        "Models", "Needs about {needed}; this computer has {total} ({free} free now). {advice}"
    ).format(needed=format_bytes(needed), total=format_bytes(total), free=format_bytes(free), advice=advice)
    if plan is not None and isinstance(target, Variant) and target.cache is not None:
        # Where it would run, as the model bar will say it: "GPU: 24 of 24 layers, Apple M2".
        explanation += f" {placement_text(plan, target.cache.n_layer, hardware.physical_cores)}."
    return Fit(verdict, needed, free, explanation)
