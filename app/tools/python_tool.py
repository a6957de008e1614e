"""gpt-oss's `python` tool: the model's code, run in the conversation's sandbox, and its output read back.

The model writes `to=python` with the code as the message (raw; a JSON {"code": …} or a fenced block is
accepted too). It reads back what a notebook shows: the printed output, then the value of a last bare
expression, then the traceback, at most `output_limit` characters, followed by plain notes when the code
ran out of time or memory or the output was cut. Like every text Hearth gives the model, it stays in
English; the activity line under "Thinking" is for people and is translated.
"""

from __future__ import annotations

import json
import re
import threading
from typing import Final

from app.engine.tools import ToolActivity, ToolCall, ToolResult
from app.i18n import format_number, translate
from app.tools.python_runtime import SandboxUnavailable
from app.tools.python_sandbox import PythonSandbox, SandboxOutcome

NAME: Final = "python"
# The notes the model reads (English, like every text Hearth gives the model).
RESET_BEFORE: Final = (
    "[The Python session was reset before this call: variables and imports from earlier calls are gone; "
    "files in /mnt/data remain.]"
)
TIMED_OUT: Final = "The code ran longer than {limit} and was stopped; the Python session was reset."
CANCELLED: Final = "The user stopped the code; the Python session was reset."
ENDED: Final = "The Python interpreter stopped; the Python session was reset."
OUT_OF_MEMORY: Final = "[The code ran out of memory: Python may use {megabytes} MB here.]"
TRUNCATED: Final = "[The output was too long and was cut to about {limit} characters.]"
NO_OUTPUT: Final = "[The code ran and printed nothing. Use print() to see values.]"
NOT_AVAILABLE: Final = "Python is not available here, so the code did not run. Answer without it."
NO_CODE: Final = "There was no code to run."
_FENCED: Final = re.compile(r"\A```[ \t]*(?:python3?|py)?[ \t]*\n(?P<code>.*?)\n?```\s*\Z", re.DOTALL)


def code_of(arguments: str) -> str:
    """The code in a call's arguments: raw text, or the "code" of a JSON object, or a fenced block."""
    text = arguments.strip()
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if isinstance(data, dict) and isinstance(data.get("code"), str):
            text = data["code"].strip()
    fenced = _FENCED.match(text)
    return fenced.group("code") if fenced else text


def _seconds_phrase(seconds: float) -> str:
    count = f"{seconds:g}"
    return f"{count} second" if count == "1" else f"{count} seconds"


def model_text(outcome: SandboxOutcome, sandbox: PythonSandbox) -> str:
    """What the model reads: the notebook's output (at most the output limit), then notes."""
    notes_before: list[str] = []
    if outcome.session_reset:
        notes_before.append(RESET_BEFORE)
    if outcome.timed_out:
        notes_before.append(TIMED_OUT.format(limit=_seconds_phrase(sandbox.time_limit_s)))
    elif outcome.cancelled:
        notes_before.append(CANCELLED)
    elif outcome.ended:
        notes_before.append(ENDED)
    body, cut = _fit(outcome, sandbox.output_limit)
    notes_after: list[str] = []
    if outcome.memory_exceeded:
        notes_after.append(OUT_OF_MEMORY.format(megabytes=sandbox.memory_limit_bytes // (1024 * 1024)))
    if cut or outcome.truncated:
        notes_after.append(TRUNCATED.format(limit=sandbox.output_limit))
    if not body and not notes_before and not notes_after:
        body = NO_OUTPUT
    return "\n".join(part for part in [*notes_before, body, *notes_after] if part)


def _fit(outcome: SandboxOutcome, limit: int) -> tuple[str, bool]:
    """stdout, value and traceback in `limit` characters; the traceback's end and the value come first."""
    tail = "".join(_line(part) for part in (outcome.result, outcome.error) if part)
    cut = False
    if len(tail) > limit:
        tail, cut = "…" + tail[-(limit - 1) :], True
    printed = _line(outcome.stdout) if outcome.stdout else ""
    room = limit - len(tail)
    if len(printed) > room:
        printed, cut = (printed[: room - 2] + "…\n" if room >= 2 else ""), True
    return printed + tail, cut


def _line(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


def summary(outcome: SandboxOutcome, sandbox: PythonSandbox) -> str:
    """The activity line for people: "Ran Python, 0.3 s"."""
    seconds = format_number(outcome.seconds, 1)
    if outcome.timed_out:
        limit = sandbox.time_limit_s
        if limit == 1:
            return translate("PythonTool", "Python stopped: it ran longer than 1 second")
        text = translate("PythonTool", "Python stopped: it ran longer than {limit} seconds")
        return text.format(limit=format_number(limit, 0 if limit == int(limit) else 1))
    if outcome.cancelled:
        return translate("PythonTool", "Python was stopped")
    if outcome.ended:
        return translate("PythonTool", "Python stopped unexpectedly and was started again")
    if outcome.memory_exceeded:
        return translate("PythonTool", "Python ran out of memory after {seconds} s").format(seconds=seconds)
    if outcome.error:
        return translate("PythonTool", "Ran Python, {seconds} s: the code stopped with an error").format(
            seconds=seconds
        )
    return translate("PythonTool", "Ran Python, {seconds} s").format(seconds=seconds)


class PythonTool:
    """The `python` part of a Toolbox (and a Toolbox of its own: `names` is ("python",))."""

    def __init__(self, sandbox: PythonSandbox) -> None:
        self.sandbox = sandbox

    @property
    def names(self) -> tuple[str, ...]:
        return (NAME,)

    def run(self, call: ToolCall, cancel: threading.Event) -> ToolResult:
        """Run the call's code; never raises for anything the model wrote."""
        code = code_of(call.arguments)
        if not code.strip():
            words = translate("PythonTool", "The model asked to run Python without any code")
            return ToolResult(NO_CODE, ToolActivity("refused", words, call.arguments))
        try:
            outcome = self.sandbox.run(code, cancel)
        except SandboxUnavailable as error:
            return ToolResult(NOT_AVAILABLE, ToolActivity("refused", str(error), code))
        text = model_text(outcome, self.sandbox)
        output = translate("PythonTool", "Output:")
        detail = f"{code.rstrip()}\n\n{output}\n{text}"
        activity = ToolActivity("python", summary(outcome, self.sandbox), detail, outcome.seconds)
        return ToolResult(text, activity)
