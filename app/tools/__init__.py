"""gpt-oss's built-in tools, offline: the browser over the conversation's documents (and, if the user
allows it, their past conversations) and python in a WebAssembly sandbox. The engine runs them through
app.engine.tools' Toolbox contract.

The names below are loaded when first used: the python sandbox's worker process imports this package on
its way to app.tools.python_worker, and importing the browser (the store, SQLAlchemy, the engine and
llama.cpp with it) there cost 0.5 s and 50 MB per worker for nothing.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.tools.browser import NO_INTERNET, Browser
    from app.tools.citations import CitationStream, cited_places, map_citations
    from app.tools.lines import Place
    from app.tools.sources import (
        PAST_CONVERSATIONS_SETTING,
        PastConversation,
        Sources,
        StoreSources,
        past_conversations_allowed,
    )

_WHERE = {
    "NO_INTERNET": "browser",
    "Browser": "browser",
    "CitationStream": "citations",
    "cited_places": "citations",
    "map_citations": "citations",
    "Place": "lines",
    "PAST_CONVERSATIONS_SETTING": "sources",
    "PastConversation": "sources",
    "Sources": "sources",
    "StoreSources": "sources",
    "past_conversations_allowed": "sources",
}

__all__ = [
    "NO_INTERNET",
    "PAST_CONVERSATIONS_SETTING",
    "Browser",
    "CitationStream",
    "PastConversation",
    "Place",
    "Sources",
    "StoreSources",
    "cited_places",
    "map_citations",
    "past_conversations_allowed",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"app.tools.{_WHERE[name]}"), name)
