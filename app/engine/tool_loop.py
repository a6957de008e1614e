"""One reply's use of gpt-oss's built-in tools: run each call, answer it as the tool, within bounds.

The engine's generation loop (app.engine.streaming) stops when the model writes `<|call|>`, and asks
the ToolSession for the tokens to continue with: the call token itself, the tool's message and the
reopened assistant turn (app.engine.tool_calls). The session decides what that message says:

- the Toolbox's answer, run on the engine's own thread with the reply's cancel event;
- the same answer again, from a per-reply cache, for a call identical to an earlier one (same recipient
  and arguments): a model that repeats itself gets no new work done;
- once a bound is reached (MAX_CALLS calls, TOOL_SECONDS in the tools, the tools' share of the context),
  a note telling the model to answer with what it has, instead of running the tool. A model that calls
  again after that note ends the reply: finish reason "tool_limit".

Every call gives the caller one "tool" event with the call and what was done, for an activity row. The
texts for the model are English, as the tools' own are; the activity rows are in the user's language.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from app.engine.model_info import ChatEvent, FinishReason
from app.engine.tool_calls import ToolMessages
from app.engine.tools import ToolActivity, Toolbox, ToolCall, ToolResult
from app.i18n import translate

log = logging.getLogger("hearth.engine")

MAX_CALLS = 8
TOOL_SECONDS = 120.0
TOOL_SHARE = 1 / 3  # of the context, at most, for the calls and the tools' answers of one reply
# Less room than this for an answer and the tool is not run: a few lines are no use to the model.
MIN_RESULT_TOKENS = 64
NOTE_SLACK = 32

Bound = Literal["calls", "time", "room"]
_LIMIT_TEXTS: dict[Bound, str] = {
    "calls": "Tool limit reached: this reply has made all the tool calls it may.",
    "time": "Tool limit reached: the tools have used all the time this reply may take.",
    "room": "Tool limit reached: tool output has filled the share of the context this reply may use.",
}
LIMIT_ADVICE = " No more tool calls in this reply. Answer now with what you have."
CUT_NOTE = "\n\n[The rest of this tool output was cut: it did not fit in the context.]"
FAILED_TEXT = "The tool failed with an internal error. Do not call it again in this reply."


@dataclass(frozen=True)
class ToolLimits:
    calls: int = MAX_CALLS
    seconds: float = TOOL_SECONDS
    share: float = TOOL_SHARE


@dataclass(frozen=True)
class ToolStep:
    """What the generation loop does after a call: continue with `tokens`, or stop with `finish`."""

    events: list[ChatEvent]
    tokens: list[int] = field(default_factory=list)
    finish: FinishReason | None = None


class ToolSession:
    """The tools of one reply, with their bounds and their cache; see the module docstring."""

    def __init__(
        self,
        toolbox: Toolbox,
        messages: ToolMessages,
        *,
        n_ctx: int,
        reserve: int,
        limits: ToolLimits = ToolLimits(),
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        """`reserve`: context kept free for the model's answer after it has read the tools' output."""
        self.toolbox = toolbox
        self.call_token = messages.call_token
        self._messages = messages
        self._limits = limits
        self._reserve = reserve
        self._budget = int(n_ctx * limits.share)
        self._clock = clock
        self._limit_notes = {
            bound: messages.text(text + LIMIT_ADVICE) for bound, text in _LIMIT_TEXTS.items()
        }
        self._cache: dict[tuple[str, str], ToolResult] = {}
        self._seconds = 0.0
        self._told_to_stop = False
        self.calls = 0  # every call the model made, answered or not
        self.tokens = 0  # what the calls and the answers added to the context

    def answer(self, call: ToolCall, cancel: threading.Event, context_left: int) -> ToolStep:
        """Deal with one call. `context_left`: tokens the context can still take in this reply."""
        self.calls += 1
        if self._told_to_stop:
            activity = ToolActivity(
                "limit",
                translate(
                    "Engine", "The model kept calling tools after its limit, so the reply was stopped."
                ),
            )
            return ToolStep([ChatEvent("tool", call=call, activity=activity)], finish="tool_limit")
        opening, closing = self._messages.opening(call), self._messages.closing()
        wrapper = 1 + len(opening) + len(closing)  # and the call token
        # The tools' share keeps room for one more message: the note that tells the model to stop (its
        # wrapper may name a longer tool and channel than this one's).
        last_note = wrapper + NOTE_SLACK + max(len(body) for body in self._limit_notes.values())
        room = min(self._budget - self.tokens - last_note, context_left - self._reserve) - wrapper
        bound = self._bound(room)
        if bound is not None:
            return self._tell_to_stop(call, bound, opening, closing, context_left)
        result = self._cache.get((call.recipient, call.arguments))
        if result is None:
            result = self._run(call, cancel)
            if cancel.is_set():
                return ToolStep([ChatEvent("tool", call=call, activity=result.activity)], finish="cancelled")
            self._cache[(call.recipient, call.arguments)] = result
        body = self._messages.text(result.text)
        if len(body) > room:
            cut = self._messages.text(CUT_NOTE)
            body = body[: max(0, room - len(cut))] + cut
        return self._step(call, result.activity, [*opening, *body, *closing])

    def _tell_to_stop(
        self, call: ToolCall, bound: Bound, opening: list[int], closing: list[int], context_left: int
    ) -> ToolStep:
        """Answer a call past a bound with the note that asks for the final answer, once."""
        self._told_to_stop = True
        activity = ToolActivity(
            "limit",
            translate("Engine", "Tool limit reached: the model was asked to answer with what it has."),
        )
        message = [*opening, *self._limit_notes[bound], *closing]
        if 1 + len(message) > context_left:
            return ToolStep([ChatEvent("tool", call=call, activity=activity)], finish="length")
        return self._step(call, activity, message)

    def _bound(self, room: int) -> Bound | None:
        if self.calls > self._limits.calls:
            return "calls"
        if self._seconds >= self._limits.seconds:
            return "time"
        if room < MIN_RESULT_TOKENS:
            return "room"
        return None

    def _run(self, call: ToolCall, cancel: threading.Event) -> ToolResult:
        started = self._clock()
        try:
            return self.toolbox.run(call, cancel)
        except Exception:
            # A Toolbox answers whatever the model writes; an exception is its bug, and the reply goes on.
            log.exception("the tool %r failed", call.recipient)
            activity = ToolActivity("refused", translate("Engine", "A tool failed with an internal error."))
            return ToolResult(FAILED_TEXT, activity)
        finally:
            self._seconds += self._clock() - started

    def _step(self, call: ToolCall, activity: ToolActivity, message: list[int]) -> ToolStep:
        tokens = [self.call_token, *message]
        self.tokens += len(tokens)
        return ToolStep([ChatEvent("tool", call=call, activity=activity)], tokens)
