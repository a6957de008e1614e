"""The Qt-free core that runs a GGUF model: see Engine."""

from app.engine.engine import (
    ChatEvent,
    ChatStats,
    Engine,
    ModelInfo,
    default_threads,
    gpu_offload_available,
    reply_reserve,
    runtime_description,
)
from app.engine.errors import EngineError, ModelLoadError, NoModelLoaded, PromptError

__all__ = [
    "ChatEvent",
    "ChatStats",
    "Engine",
    "EngineError",
    "ModelInfo",
    "ModelLoadError",
    "NoModelLoaded",
    "PromptError",
    "default_threads",
    "gpu_offload_available",
    "reply_reserve",
    "runtime_description",
]
