"""Which of gpt-oss's built-in tools one reply gets, and the one Toolbox that serves them together.

A reply gets tools only from a model whose template declares them (ModelInfo.builtin_tools), and only
the tools that have something to work on, so the model is never invited to try what is not there:

- the browser, when the branch being answered has attachments or the conversation lets the browser
  search the user's past conversations (PAST_CONVERSATIONS_SETTING); without either a browser could only
  tempt the model to look for the web;
- python, when the conversation's PYTHON_TOOL_SETTING is on (off unless the user turns it on) and the
  sandbox's runtime is installed. Its notebook is the conversation's own (app.tools.tool_sessions keeps
  it between replies) and its folder holds copies of the conversation's attachments.

ConversationTools also turns the browser's citations into Hearth's labels for the stored answer, and finds
the passage each cited page starts with, so the window links those labels like any other citation.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from typing import Any, Final

from app.engine import ModelInfo
from app.engine.tools import ToolActivity, Toolbox, ToolCall, ToolResult
from app.i18n import translate
from app.reply_stats import Passage
from app.store import AttachmentRecord, HistoryStore
from app.tools.arguments import shown
from app.tools.browser import Browser
from app.tools.citations import CitationStream, map_citations, place_labels
from app.tools.lines import Place
from app.tools.python_runtime import SandboxUnavailable, runtime_wasm, wasmtime_version
from app.tools.sources import StoreSources, past_conversations_allowed

# The conversation setting (in ConversationRecord.settings) that lets the model run Python in the
# conversation's sandbox. Off unless the user turns it on.
PYTHON_TOOL_SETTING: Final = "python_tool"

_BRACKETED: Final = re.compile(r"【[^】]*】")

# The python tool for a conversation, given the attachments in play (ToolSessions.python_tool).
PythonFor = Callable[[int, Sequence[AttachmentRecord]], Toolbox]


def python_tool_allowed(settings: dict[str, Any]) -> bool:
    """Whether a conversation's settings let the model run Python."""
    return settings.get(PYTHON_TOOL_SETTING) is True


def python_available() -> bool:
    """Whether this copy of Hearth has the sandbox's runtime (without starting or compiling it)."""
    try:
        runtime_wasm()
        wasmtime_version()
    except SandboxUnavailable:
        return False
    return True


def conversation_tools(
    info: ModelInfo | None,
    store: HistoryStore,
    conversation_id: int,
    message_ids: Sequence[int] | None = None,
    *,
    python_for: PythonFor | None = None,
) -> ConversationTools | None:
    """The tools a reply in this conversation gets (see the module docstring); None for none at all,
    which is also every model without built-in tools: its replies go exactly as before tools existed.

    `message_ids`: the messages of the branch being answered (None: the branch on screen), whose
    attachments the browser reads. `python_for` makes the python tool; without it there is none.
    """
    if info is None or not info.builtin_tools:
        return None
    conversation = store.get_conversation(conversation_id)
    if conversation is None:
        return None
    if message_ids is None:
        message_ids = [message.id for message in store.thread(conversation_id) if message.role == "user"]
    attached = store.attachments_for(message_ids)
    documents = [attachment for message_id in message_ids for attachment in attached.get(message_id, [])]
    past = past_conversations_allowed(conversation.settings)
    browser = None
    if documents or past:
        browser = Browser(StoreSources(store, conversation_id, documents, past_conversations=past))
    python = None
    if python_for is not None and python_tool_allowed(conversation.settings) and python_available():
        python = python_for(conversation_id, documents)
    if browser is None and python is None:
        return None
    return ConversationTools(browser, python)


class ConversationTools:
    """The Toolbox of one reply: its browser, its python, or both. Calls go to the tool their recipient
    names ("browser.search" to the browser, "python" to python); any other gets a plain error text."""

    def __init__(self, browser: Browser | None = None, python: Toolbox | None = None) -> None:
        self.browser = browser
        self.python = python

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for tool in (self.browser, self.python) if tool is not None for name in tool.names)

    def run(self, call: ToolCall, cancel: threading.Event) -> ToolResult:
        """Answer one call; never raises for anything the model wrote."""
        name = call.recipient.strip().removeprefix("functions.")
        if self.browser is not None and name.split(".", 1)[0] == "browser":
            return self.browser.run(call, cancel)
        if self.python is not None and name == "python":
            return self.python.run(call, cancel)
        offered = ", ".join(f"`{tool}`" for tool in self._functions())
        text = f"There is no tool `{shown(name)}` here. The tools are {offered}."
        words = translate("Tools", "The model asked for a tool that is not here: {name}")
        return ToolResult(text, ToolActivity("refused", words.format(name=shown(name, 40)), text))

    def _functions(self) -> list[str]:
        functions = ["browser.search", "browser.open", "browser.find"] if self.browser is not None else []
        return functions + (["python"] if self.python is not None else [])

    # -- citations ---------------------------------------------------------------------------------

    def _line_places(self, cursor: int) -> Sequence[Place | None] | None:
        return self.browser.line_places(cursor) if self.browser is not None else None

    def map_citations(self, text: str) -> str:
        """`text` with the model's `【3†L4-L5】` citations as "[report.pdf p. 4]", the unmappable removed."""
        return map_citations(text, self._line_places)

    def citation_stream(self) -> CitationStream:
        """map_citations for text that streams in (see CitationStream)."""
        return CitationStream(self._line_places)

    def cited_passages(self, text: str, store: HistoryStore) -> dict[int, list[Passage]]:
        """For each attachment the citations in `text` (as the model wrote it) point to, a passage per
        label, the label exactly as map_citations writes it: the passage where the cited page (the first
        of "pp. 4-5") or section begins, so the label links like the labels of passages in the prompt.
        Past conversations have no passages, and a page without text has none to link."""
        found: dict[int, dict[str, Passage]] = {}
        for match in _BRACKETED.finditer(text):
            if self.browser is None or "†" not in match.group():
                continue
            sources: dict[int, list[Place]] = {}
            for place in self.browser.cited_places(match.group()):
                if place.attachment_id is not None:
                    sources.setdefault(place.attachment_id, []).append(place)
            for attachment_id, places in sources.items():
                label = place_labels(places)[0]
                if label not in found.get(attachment_id, {}):
                    passage = _passage(store, attachment_id, places, label)
                    if passage is not None:
                        found.setdefault(attachment_id, {})[label] = passage
        return {attachment_id: list(passages.values()) for attachment_id, passages in found.items()}


def _passage(store: HistoryStore, attachment_id: int, places: Sequence[Place], label: str) -> Passage | None:
    """The passage a label of these places (all of one attachment) links to."""
    pages = sorted({place.page for place in places if place.page is not None})
    headings = list(dict.fromkeys(place.heading for place in places if place.heading))
    if pages:
        chunk = store.first_chunk(attachment_id, pages=(pages[0], pages[-1]))
    elif len(headings) == 1:
        chunk = store.first_chunk(attachment_id, heading=headings[0])
    else:  # labelled by the document's name alone: its start
        chunk = store.first_chunk(attachment_id)
    if chunk is None:
        return None
    return Passage(chunk_id=chunk.id, label=label, page=pages[0] if pages else chunk.page)
