"""How many of a model's layers go to the GPU, decided from the devices' free memory before loading.

Pure decisions on plain values (the device list comes from llama_bridge.devices(), the sizes from
memory.layer_sizes()), so the tests can play any machine: no GPU, a small one, two, an Apple laptop.

Facts of the pinned llama.cpp that the arithmetic follows (src/llama-model.cpp):
- n_gpu_layers counts n_layer + 1 units: the output layer and the repeating blocks. The output layer goes
  first, then blocks from the last one down; the input embedding always stays on the CPU. A negative
  value or anything above n_layer means all of them.
- A block's KV cache lives on the block's device.
- Without a discrete GPU llama.cpp uses integrated ones; with one or more, it ignores integrated GPUs and
  spreads the layers over all discrete GPUs unless it is told one (split mode "none" and main_gpu, an
  index among the GPUs it uses).
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal, TypeVar

from app.engine.devices import Device
from app.engine.memory import FIXED_OVERHEAD_BYTES, LayerSizes, MemoryEstimate
from app.i18n import format_number, translate
from app.units import format_bytes

log = logging.getLogger("hearth.engine")

MIB = 1024**2
# Memory left free on the device: the desktop, the browser and the driver use the GPU too, and
# llama.cpp's allocations round up. The larger of a fixed amount (small cards) and a share (big ones).
MARGIN_MIN_BYTES = 512 * MIB
MARGIN_SHARE = 0.10
# llama.cpp allocates its compute buffer on the device that holds the layers; the same allowance the RAM
# estimate makes for it (measured on gpt-oss-20b at 8k context).
DEVICE_COMPUTE_BYTES = FIXED_OVERHEAD_BYTES

Setting = int | Literal["auto"]
T = TypeVar("T")


@dataclass(frozen=True)
class OffloadPlan:
    n_gpu_layers: int  # what llama.cpp is given: 0 .. n_layer + 1 (the output layer counts as one)
    device_name: str  # the GPU's own name ("Apple M2"), "" on the CPU
    reason: str  # one sentence for people: why this many layers
    main_gpu: int | None = None  # the device, as an index among llama.cpp's GPUs; None: let it spread
    device_bytes: int = 0  # weights, cache and compute buffer the plan puts on the device
    shares_system_memory: bool = False  # the device's memory is RAM (integrated GPU, Apple Silicon)

    @property
    def on_gpu(self) -> bool:
        return self.n_gpu_layers > 0


def _cpu(reason: str) -> OffloadPlan:
    return OffloadPlan(0, "", reason)


def margin(device: Device) -> int:
    return max(MARGIN_MIN_BYTES, int(device.total_bytes * MARGIN_SHARE))


def _candidates(devices: Sequence[Device]) -> list[Device]:
    """The GPUs llama.cpp would use, in its order (which main_gpu indexes)."""
    discrete = [d for d in devices if d.type == "gpu"]
    return discrete or [d for d in devices if d.type == "igpu"]


def _usable(device: Device, system_free: int | None) -> int:
    # Metal's figure is the share of RAM macOS would let the GPU have, not what other programs leave.
    if device.shares_system_memory and system_free is not None:
        return min(device.free_bytes, system_free)
    return device.free_bytes


def _device_cost(sizes: LayerSizes, units: int) -> int:
    """Bytes on the device when `units` of llama.cpp's offload units are there (output layer first)."""
    if units <= 0:
        return 0
    blocks = min(units - 1, sizes.n_layer)
    first = sizes.n_layer - blocks
    return sizes.output_bytes + sum(sizes.blocks[first:]) + sum(sizes.kv_cache[first:]) + DEVICE_COMPUTE_BYTES


def plan_offload(
    sizes: LayerSizes,
    devices: Sequence[Device],
    setting: Setting = "auto",
    *,
    system_free: int | None = None,
) -> OffloadPlan:
    """The layers to offload for `setting`: "auto" fits them to the device's free memory, a number is
    taken as it is (clamped; negative means all).

    `devices`: llama_bridge.devices(), or [] when the build has no GPU backend. `system_free`: available
    RAM, which bounds what a GPU sharing it (Apple Silicon, integrated) can take.
    """
    all_units = sizes.n_layer + 1
    candidates = _candidates(devices)
    if not candidates:
        return _cpu(translate("Engine", "No GPU was found, so the model runs on the CPU."))
    device = max(candidates, key=lambda d: _usable(d, system_free))
    plan = OffloadPlan(
        0,
        device.display_name,
        "",
        main_gpu=candidates.index(device),
        shares_system_memory=device.shares_system_memory,
    )
    if len(candidates) > 1:
        others = translate("Engine", "{device} has the most free memory of {count} GPUs.").format(
            device=device.display_name, count=format_number(len(candidates))
        )
    else:
        others = ""

    if setting != "auto":
        units = all_units if setting < 0 else min(setting, all_units)
        if units == 0:
            return _cpu(translate("Engine", "GPU offload is turned off in Settings."))
        reason = _join(translate("Engine", "The number of GPU layers is set in Settings."), others)
        return replace(plan, n_gpu_layers=units, reason=reason, device_bytes=_device_cost(sizes, units))

    usable = _usable(device, system_free)
    kept = margin(device)
    budget = usable - kept
    units = 0
    while units < all_units and _device_cost(sizes, units + 1) <= budget:
        units += 1
    # The output layer alone is hardly worth a GPU: at least one repeating block must fit.
    if units < 2:
        reason = translate(
            "Engine",
            "{device} has {free} free, too little for even one layer of this model once {kept} is kept "
            "free, so the model runs on the CPU.",
        ).format(device=device.display_name, free=format_bytes(usable), kept=format_bytes(kept))
        return _cpu(reason)
    if units == all_units:
        reason = translate("Engine", "The whole model fits in the memory of {device}.")
    else:
        reason = translate("Engine", "As many layers as fit in the free memory of {device} go there.")
    reason = _join(reason.format(device=device.display_name), others)
    plan = replace(plan, n_gpu_layers=units, reason=reason, device_bytes=_device_cost(sizes, units))
    log.info(
        "offload plan: %d of %d units on %s (%s usable, %s kept free, %s needed)",
        units,
        all_units,
        device.name,
        format_bytes(usable),
        format_bytes(kept),
        format_bytes(plan.device_bytes),
    )
    return plan


def _join(*sentences: str) -> str:
    return " ".join(s for s in sentences if s)


def layers_on_gpu(plan: OffloadPlan, n_layer: int) -> int:
    """Repeating layers on the GPU (what people call the model's layers): the output layer goes first."""
    units = min(plan.n_gpu_layers, n_layer + 1)
    return n_layer if units > n_layer else max(0, units - 1)


def placement_text(plan: OffloadPlan, n_layer: int, threads: int) -> str:
    """Where the model runs, for the model bar: "GPU: 24 of 24 layers, Apple M2" or "CPU, 8 threads"."""
    if plan.on_gpu:
        return translate("Engine", "GPU: {layers} of {total} layers, {device}").format(
            layers=format_number(layers_on_gpu(plan, n_layer)),
            total=format_number(n_layer),
            device=plan.device_name,
        )
    if threads == 1:
        return translate("Engine", "CPU, 1 thread")
    return translate("Engine", "CPU, {threads} threads").format(threads=format_number(threads))


def memory_split(estimate: MemoryEstimate, plan: OffloadPlan) -> tuple[int, int]:
    """(RAM, device memory) a model needs under `plan`, for the hardware-fit verdicts.

    A GPU that shares the RAM (Apple Silicon, integrated) takes its part out of the same memory.
    """
    device = min(plan.device_bytes, estimate.total_bytes)
    if plan.shares_system_memory:
        return estimate.total_bytes, device
    return estimate.total_bytes - device, device


def load_with_fallback(open_fn: Callable[[OffloadPlan], T], plan: OffloadPlan) -> tuple[T, OffloadPlan, str]:
    """Open with `plan`; if that fails with layers on a GPU (usually out of device memory), open on the
    CPU. Returns what open_fn returned, the plan it used and a sentence for the user ("" if none).

    A failure on the CPU, or without offload, is raised as it is: the file or the RAM is the problem.
    """
    if not plan.on_gpu:
        return open_fn(plan), plan, ""
    try:
        return open_fn(plan), plan, ""
    except (ValueError, RuntimeError, MemoryError) as exc:
        log.warning("loading with %d GPU layers on %s failed: %s", plan.n_gpu_layers, plan.device_name, exc)
    # The failed attempt's half-built model (and its device buffers) hangs off the exception's
    # traceback; collect it before loading again, which matters most where GPU memory is the RAM.
    gc.collect()
    note = translate(
        "Engine",
        "The model did not fit in the memory of {device}, so it runs on the CPU; choose a shorter "
        "context or a smaller model to use the GPU.",
    ).format(device=plan.device_name)
    cpu = OffloadPlan(0, "", note)
    return open_fn(cpu), cpu, note
