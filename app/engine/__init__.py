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
from app.engine.tools import ToolActivity, Toolbox, ToolCall, ToolResult

__all__ = [
    "ChatEvent",
    "ChatStats",
    "Engine",
    "EngineError",
    "ModelInfo",
    "ModelLoadError",
    "NoModelLoaded",
    "PromptError",
    "ToolActivity",
    "ToolCall",
    "ToolResult",
    "Toolbox",
    "default_threads",
    "gpu_offload_available",
    "reply_reserve",
    "runtime_description",
]
