"""Hearth: private, offline chat with local GGUF models."""

__version__ = "0.1.0"
