"""Errors the engine raises for people to read: every message is plain words, never a traceback."""

from __future__ import annotations

from app.errors import UserError
from app.i18n import translate


class EngineError(UserError):
    """A failure the user should read about."""


class ModelLoadError(EngineError):
    """The model could not be loaded."""


class NoModelLoaded(EngineError):
    def __init__(self) -> None:
        super().__init__(translate("Engine", "No model is loaded yet. Choose a model first."))


class PromptError(EngineError):
    """The conversation cannot be turned into a prompt for this model."""
