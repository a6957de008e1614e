"""Reading tool calls from gpt-oss's stream, writing the answers, the session's bounds, and the system
prompt that declares the tools."""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Final

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jinja2.sandbox import ImmutableSandboxedEnvironment

from app.engine.harmony import CALL, Piece
from app.engine.prompt import PromptBuilder, neutralize_specials
from app.engine.tool_calls import (
    PARAGRAPH,
    Header,
    ToolCallParser,
    ToolMessages,
    declares_builtin_tools,
    read_header,
)
from app.engine.tool_loop import LIMIT_ADVICE, MIN_RESULT_TOKENS, ToolLimits, ToolSession
from app.engine.tools import ToolActivity, ToolCall, ToolResult

R: Final = "reasoning"
A: Final = "answer"
GPT_OSS_TEMPLATE = Path(__file__).parent.parent / "fixtures" / "gpt_oss_chat_template.jinja"


def split_at(text: str, cuts: Sequence[int]) -> list[str]:
    bounds = [0, *sorted(set(cuts)), len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds)]


def parse(deltas: Sequence[str]) -> tuple[ToolCall | None, list[Piece]]:
    """Feed a stream that the model ended with `<|call|>` (not fed: the engine stops at the token)."""
    parser = ToolCallParser()
    pieces: list[Piece] = []
    for delta in deltas:
        pieces += parser.feed(delta)
    call, held = parser.end_call()
    return call, [*pieces, *held]


# --- headers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "explicit", "expected"),
    [
        ("assistant<|channel|>analysis to=browser.search code", True, ("browser.search", "analysis", "code")),
        ("assistant to=python<|channel|>analysis code", True, ("python", "analysis", "code")),
        (" to=python<|channel|>analysis", False, ("python", "analysis", "")),
        (
            "<|channel|>commentary to=browser.open <|constrain|>json",
            False,
            ("browser.open", "commentary", "json"),
        ),
        ("<|channel|>commentary to=functions.f json", False, ("functions.f", "commentary", "json")),
        ("assistant to=python", True, ("python", "", "")),
        ("<|channel|>analysis", False, ("", "analysis", "")),
    ],
)
def test_read_header(header: str, explicit: bool, expected: tuple[str, str, str]) -> None:
    facts = read_header(header, explicit)
    assert (facts.recipient, facts.channel, facts.constrain) == expected
    assert facts.role == "assistant"


def test_read_header_keeps_another_role() -> None:
    assert read_header("browser.search to=assistant<|channel|>analysis", True) == Header(
        "browser.search", "assistant", "analysis", ""
    )


def test_declares_builtin_tools() -> None:
    assert declares_builtin_tools(GPT_OSS_TEMPLATE.read_text(encoding="utf-8"))
    assert not declares_builtin_tools("{% for m in messages %}{{ m.content }}{% endfor %}")


# --- the parser ------------------------------------------------------------------------------------

CALLS = [
    (
        "<|channel|>analysis<|message|>Let me search.<|end|>"
        '<|start|>assistant<|channel|>analysis to=browser.search code<|message|>{"query": "a<b"}',
        ToolCall("browser.search", "analysis", "code", '{"query": "a<b"}'),
        [Piece(R, "Let me search.")],
    ),
    (
        " to=python<|channel|>analysis code<|message|>print(1 <|> 2)\nx = a <",
        ToolCall("python", "analysis", "code", "print(1 <|> 2)\nx = a <"),
        [],
    ),
    (
        "<|channel|>commentary<|message|>Opening it.<|end|>"
        '<|start|>assistant<|channel|>commentary to=browser.open <|constrain|>json<|message|>{"id": 1}',
        ToolCall("browser.open", "commentary", "json", '{"id": 1}'),
        [Piece(R, "Opening it.")],
    ),
    ("<|start|>assistant to=python<|message|>1+1", ToolCall("python", "analysis", "", "1+1"), []),
]


@pytest.mark.parametrize(("stream", "call", "shown"), CALLS)
def test_a_call_is_reported_and_never_shown(stream: str, call: ToolCall, shown: list[Piece]) -> None:
    assert parse([stream]) == (call, shown)


@given(st.data(), st.sampled_from(CALLS))
def test_a_call_survives_any_split(data: st.DataObject, case: tuple[str, ToolCall, list[Piece]]) -> None:
    stream, call, shown = case
    cuts = data.draw(st.lists(st.integers(0, len(stream)), max_size=len(stream)))
    found, pieces = parse(split_at(stream, cuts))
    assert found == call
    merged = "".join(p.text for p in pieces)
    assert merged == "".join(p.text for p in shown)
    assert all(p.kind == R for p in pieces)


@pytest.mark.parametrize(
    "stream",
    [
        "<|channel|>analysis<|message|>Thinking out loud",  # addressed to no one
        "<|start|>functions.f to=assistant<|channel|>commentary<|message|>{}",  # not the assistant's
        "<|channel|>analysis to=python",  # no message yet
        "<|channel|>analysis to=python<|message|>x<|end|><|channel|>final<|message|>done",  # ended
    ],
)
def test_no_call_without_an_assistant_message_to_a_recipient(stream: str) -> None:
    assert parse([stream])[0] is None


def test_after_a_call_the_parser_reads_the_next_message_as_at_the_start() -> None:
    parser = ToolCallParser()
    assert parser.feed("<|channel|>analysis<|message|>First.<|end|><|start|>assistant to=python") == [
        Piece(R, "First.")
    ]
    parser.feed("<|channel|>analysis code<|message|>6*7")
    call, _ = parser.end_call()
    assert call == ToolCall("python", "analysis", "code", "6*7")
    # The engine reopens the turn with `<|start|>assistant`; the model goes on after it.
    pieces = parser.feed("<|channel|>analysis<|message|>It is 42.<|end|><|start|>assistant")
    pieces += parser.feed("<|channel|>final<|message|>42")
    assert pieces == [Piece(R, PARAGRAPH + "It is 42."), Piece(A, "42")]
    assert parser.finish() == []


def test_a_header_too_long_for_a_header_is_no_call() -> None:
    call, pieces = parse(["<|channel|>analysis to=python " + "x" * 300 + "<|message|>code"])
    assert call is None
    assert pieces and pieces[0].kind == A


# --- the tool's message, in tokens -----------------------------------------------------------------

MARKERS = {"<|call|>": 1000, "<|start|>": 1001, "<|channel|>": 1002, "<|message|>": 1003, "<|end|>": 1004}


class ByteTokenizer:
    """Stands in for llama.cpp: every byte is a token, and with special tokens on a marker is one."""

    def tokenize(self, data: bytes, *, add_bos: bool, special: bool) -> list[int]:
        assert not add_bos
        if not special:
            return list(data)
        pattern = "|".join(re.escape(m) for m in MARKERS)
        ids: list[int] = []
        for part in re.split(f"({pattern})", data.decode()):
            ids += [MARKERS[part]] if part in MARKERS else list(part.encode())
        return ids


def messages() -> ToolMessages:
    found = ToolMessages.for_model(ByteTokenizer(), MARKERS, lambda text: neutralize_specials(text, MARKERS))
    assert found is not None
    return found


def test_a_vocabulary_without_the_markers_cannot_use_tools() -> None:
    assert ToolMessages.for_model(ByteTokenizer(), {"<|end|>": 1}, str) is None


def test_the_tool_message_wraps_the_text() -> None:
    wire = messages()
    call = ToolCall("browser.find", "commentary", "json", '{"pattern": "x"}')
    assert wire.opening(call) == [1001, *b"browser.find to=assistant", 1002, *b"commentary", 1003]
    assert wire.closing() == [1004, 1001, *b"assistant"]
    assert wire.call_token == 1000
    assert set(wire.text("a<|end|>b")).isdisjoint(MARKERS.values())


# --- the session's bounds --------------------------------------------------------------------------


class CountingToolbox:
    names = ("browser",)

    def __init__(self, clock: list[float], seconds: float = 0.0, cancel_on_run: bool = False) -> None:
        self.runs = 0
        self._clock, self._seconds, self._cancel_on_run = clock, seconds, cancel_on_run

    def run(self, call: ToolCall, cancel: threading.Event) -> ToolResult:
        self.runs += 1
        self._clock[0] += self._seconds
        if self._cancel_on_run:
            cancel.set()
        return ToolResult(f"result of {call.arguments}", ToolActivity("search", call.arguments))


def session(toolbox: CountingToolbox, clock: list[float], limits: ToolLimits | None = None) -> ToolSession:
    return ToolSession(
        toolbox, messages(), n_ctx=30_000, reserve=100, limits=limits or ToolLimits(), clock=lambda: clock[0]
    )


def search(query: str) -> ToolCall:
    return ToolCall("browser.search", "analysis", "code", query)


def body(tokens: list[int]) -> str:
    return bytes(t for t in tokens if t < 256).decode()


def test_time_spent_in_tools_is_bounded() -> None:
    clock = [0.0]
    toolbox = CountingToolbox(clock, seconds=70.0)
    tools = session(toolbox, clock, ToolLimits(seconds=120.0))
    cancel = threading.Event()
    assert [s.finish for s in (tools.answer(search(q), cancel, 20_000) for q in "ab")] == [None, None]
    told = tools.answer(search("c"), cancel, 20_000)
    assert told.finish is None
    assert body(told.tokens).endswith(LIMIT_ADVICE + "assistant")
    assert "time" in body(told.tokens)
    assert told.events[0].activity is not None and told.events[0].activity.kind == "limit"
    assert tools.answer(search("d"), cancel, 20_000).finish == "tool_limit"
    assert toolbox.runs == 2
    assert tools.calls == 4


def test_calls_are_bounded_and_cached_ones_count() -> None:
    clock = [0.0]
    toolbox = CountingToolbox(clock)
    tools = session(toolbox, clock, ToolLimits(calls=2))
    cancel = threading.Event()
    first = tools.answer(search("a"), cancel, 20_000)
    assert tools.answer(search("a"), cancel, 20_000).tokens == first.tokens
    assert "all the tool calls" in body(tools.answer(search("b"), cancel, 20_000).tokens)
    assert toolbox.runs == 1
    assert tools.answer(search("c"), cancel, 20_000).finish == "tool_limit"
    assert tools.calls == 4


def test_a_cancelled_run_stops_the_reply_and_is_not_cached() -> None:
    clock = [0.0]
    tools = session(CountingToolbox(clock, cancel_on_run=True), clock)
    step = tools.answer(search("a"), threading.Event(), 20_000)
    assert step.finish == "cancelled"
    assert step.tokens == []
    assert len(step.events) == 1
    assert tools.tokens == 0


def test_no_room_left_in_the_context() -> None:
    clock = [0.0]
    toolbox = CountingToolbox(clock)
    tools = session(toolbox, clock)
    cancel = threading.Event()
    wire = messages()
    wrapper = 1 + len(wire.opening(search("a"))) + len(wire.closing())
    # Room for the note, not for a useful result (after the 100 kept for the answer): the model is told.
    told = tools.answer(search("a"), cancel, 100 + wrapper + MIN_RESULT_TOKENS - 1)
    assert "filled the share" in body(told.tokens)
    assert toolbox.runs == 0
    # Not even room for the note: the reply ends at the length of the context.
    tools = session(toolbox, clock)
    assert tools.answer(search("a"), cancel, 20).finish == "length"


# --- the system prompt ----------------------------------------------------------------------------


def builder() -> PromptBuilder:
    return PromptBuilder(
        GPT_OSS_TEMPLATE.read_text(encoding="utf-8"),
        bos_token="<|startoftext|>",
        eos_token="<|return|>",
        tokenize=lambda text: [ord(c) for c in text],
    )


def test_the_system_prompt_with_builtin_tools_is_the_templates_own() -> None:
    question = [{"role": "user", "content": "Hi"}]
    ours = builder().render(question, "medium", builtin_tools=["browser", "python"])
    environment = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
    own = environment.from_string(GPT_OSS_TEMPLATE.read_text(encoding="utf-8")).render(
        messages=question,
        builtin_tools=["browser", "python"],
        add_generation_prompt=True,
        reasoning_effort="medium",
        strftime_now=lambda fmt: datetime.now().strftime(fmt),
    )
    date = re.compile(r"Current date: \d{4}-\d{2}-\d{2}")
    assert date.sub("", ours) == date.sub("", own)
    system = ours[: ours.index("<|end|>")]
    assert system.startswith("<|start|>system<|message|>")
    assert "# Tools\n\n## browser\n\n" in system
    assert "namespace browser {\n\n" in system
    assert "type search = (_: {\nquery: string," in system
    assert "\n## python\n\n" in system
    assert system.index("## browser") < system.index("## python") < system.index("# Valid channels")
    assert ours.endswith("<|start|>user<|message|>Hi<|end|><|start|>assistant")


def test_only_the_named_tools_are_declared() -> None:
    question = [{"role": "user", "content": "Hi"}]
    browser_only = builder().render(question, "low", builtin_tools=["browser"])
    assert "## browser" in browser_only and "## python" not in browser_only
    without = builder().render(question, "low")
    assert "# Tools" not in without
    assert without == builder().render(question, "low", builtin_tools=())
    assert builder().count_tokens(question, "low", builtin_tools=["browser"]) == len(browser_only)


def test_the_session_reports_the_call_token() -> None:
    clock = [0.0]
    tools = session(CountingToolbox(clock), clock)
    assert tools.call_token == MARKERS[CALL]
