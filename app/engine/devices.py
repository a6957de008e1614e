"""The compute devices llama.cpp can put a model on, as plain values.

llama_bridge reads them from ggml; the offload planner decides with them. Keeping the type apart from
both lets the planner's tests build device lists by hand, as on machines this one is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

DeviceType = Literal["cpu", "gpu", "igpu", "accel"]


@dataclass(frozen=True)
class Device:
    name: str  # ggml's short name: "CPU", "CUDA0", "Vulkan0", "MTL0"
    description: str  # the hardware's own name: "NVIDIA GeForce RTX 4070", "Apple M2"
    type: DeviceType
    free_bytes: int
    total_bytes: int

    @property
    def shares_system_memory(self) -> bool:
        """Whether the device's memory is the computer's RAM (an integrated GPU, Apple Silicon).

        ggml's Metal backend reports type "gpu" and, as memory, the share of RAM macOS lets the GPU
        use, so it is recognised by its device name (MTL0, MTL1...).
        """
        return self.type == "igpu" or self.name.startswith("MTL")

    @property
    def display_name(self) -> str:
        return self.description or self.name
