"""The Qt-free core that runs a GGUF model: see Engine."""

from app.engine.engine import ChatEvent, ChatStats, Engine, ModelInfo, reply_reserve
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
    "reply_reserve",
]
