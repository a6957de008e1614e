"""Each browser call in plain words for the Thinking section: "Opened lease.pdf at page 12".

The pages the model reads stay in English (like every text Hearth gives the model); these lines are for
people, so they are translated.
"""

from __future__ import annotations

from app.engine.tools import ToolActivity
from app.i18n import format_number, translate
from app.tools.lines import Place


def _quoted(text: str, limit: int = 80) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def searched(query: str, count: int, past_conversations: bool, detail: str) -> ToolActivity:
    query = _quoted(query)
    if past_conversations:
        if count == 0:
            summary = translate(
                "Browser", "Searched the documents and past conversations for “{query}”: nothing found"
            )
        elif count == 1:
            summary = translate(
                "Browser", "Searched the documents and past conversations for “{query}”: 1 result"
            )
        else:
            summary = translate(
                "Browser", "Searched the documents and past conversations for “{query}”: {count} results"
            )
    elif count == 0:
        summary = translate("Browser", "Searched the documents for “{query}”: nothing found")
    elif count == 1:
        summary = translate("Browser", "Searched the documents for “{query}”: 1 result")
    else:
        summary = translate("Browser", "Searched the documents for “{query}”: {count} results")
    return ToolActivity("search", summary.format(query=query, count=format_number(count)), detail)


def _where(place: Place | None) -> str:
    """Where a page was opened, as a whole sentence."""
    if place is None:
        return translate("Browser", "Looked at the search results")
    if place.conversation_id is not None:
        return translate("Browser", "Opened the past conversation “{title}”").format(title=place.name)
    if place.page is not None:
        return translate("Browser", "Opened {name} at page {page}").format(
            name=place.name, page=format_number(place.page)
        )
    if place.heading:
        return translate("Browser", "Opened {name} at “{heading}”").format(
            name=place.name, heading=_quoted(place.heading)
        )
    return translate("Browser", "Opened {name}").format(name=place.name)


def opened(place: Place | None, detail: str) -> ToolActivity:
    return ToolActivity("open", _where(place), detail)


def found(pattern: str, count: int, name: str, detail: str) -> ToolActivity:
    pattern = _quoted(pattern)
    if count == 0:
        summary = translate("Browser", "Found no match for “{pattern}” in {name}")
    elif count == 1:
        summary = translate("Browser", "Found 1 match for “{pattern}” in {name}")
    else:
        summary = translate("Browser", "Found {count} matches for “{pattern}” in {name}")
    return ToolActivity(
        "find", summary.format(pattern=pattern, name=name, count=format_number(count)), detail
    )


def refused(summary: str | None, detail: str) -> ToolActivity:
    """A call the browser could not answer; `detail` is what the model was told."""
    line = summary or translate("Browser", "The browser could not do what the model asked")
    return ToolActivity("refused", line, detail)


def no_internet(address: str) -> str:
    return translate("Browser", "Did not open {address}: Hearth does not go online").format(
        address=_quoted(address, 60)
    )


def unknown_action(name: str) -> str:
    return translate("Browser", "The model asked for a browser action that does not exist: {name}").format(
        name=_quoted(name, 40)
    )


def stopped() -> str:
    return translate("Browser", "Stopped before the browser was used")
