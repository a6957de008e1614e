"""gpt-oss's built-in tools, offline: the browser over the conversation's documents (and, if the user
allows it, their past conversations). The engine runs them through app.engine.tools' Toolbox contract."""

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
