"""What the engine and gpt-oss's built-in tools say to each other: a call, its result, and a line for people.

gpt-oss was trained with a `browser` and a `python` tool. The engine renders the prompt declaring the tools
a Toolbox offers, stops when the model ends a message with <|call|>, hands the ToolCall to the Toolbox, and
gives the result back to the model as the tool's message. The tools themselves (app.tools) know nothing of
tokens, and the engine knows nothing of documents or sandboxes.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Literal, Protocol

# What a tool did, for the activity rows under "Thinking" and `hearth ask --json`.
ActivityKind = Literal["search", "open", "find", "python", "refused", "limit"]


@dataclass(frozen=True)
class ToolCall:
    """One call as the model wrote it: `<|start|>assistant<|channel|>analysis to=browser.search code
    <|message|>{"query": "notice period"}<|call|>` is ToolCall("browser.search", "analysis", "code", …)."""

    recipient: (
        str  # "browser.search", "browser.open", "browser.find", "python", or anything the model made up
    )
    channel: str  # "analysis" or "commentary": the tool's answer goes back on the same channel
    constrain: str  # "json", "code" or "" (what the header said the arguments are)
    arguments: str  # the raw text between <|message|> and <|call|>: JSON for the browser, code for python


@dataclass(frozen=True)
class ToolActivity:
    """One tool use, for people: "Searched the documents for “notice period”: 7 results"."""

    kind: ActivityKind
    summary: str  # one line in plain words, in the user's language
    detail: str = ""  # what a click on the row shows: the query, the page read, the code and its output
    seconds: float = 0.0


@dataclass(frozen=True)
class ToolResult:
    """What the model reads back (always as text: the engine tokenizes it with special tokens off), and
    what the user is shown of the call."""

    text: str
    activity: ToolActivity


class Toolbox(Protocol):
    """The tools one reply may use. `names` is what the chat template declares (its `builtin_tools`)."""

    @property
    def names(self) -> tuple[str, ...]: ...  # ("browser",) or ("browser", "python")

    def run(self, call: ToolCall, cancel: threading.Event) -> ToolResult:
        """Answer one call. Never raises for anything the model wrote: a bad call gets a plain error text
        the model can read (and an activity of kind "refused")."""
        ...
