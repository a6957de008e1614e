"""The Qt-free core that runs a GGUF model: see Engine."""

from app.engine.engine import Engine
from app.engine.errors import EngineError, ModelLoadError, NoModelLoaded, PromptError
from app.engine.model_info import (
    ChatEvent,
    ChatStats,
    ModelInfo,
    default_threads,
    gpu_offload_available,
    reply_reserve,
    runtime_description,
)

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
