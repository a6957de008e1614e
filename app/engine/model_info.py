"""What the engine says about a loaded model and a reply, and the small decisions made before loading
(threads, GPU layers, room kept for the reply). Plain values, shared by the engine, the CLI and the window."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Literal

import psutil

from app.engine import llama_bridge
from app.engine.memory import MemoryEstimate
from app.engine.reasoning import PLAIN, ReasoningFormat, ReasoningStyle
from app.engine.sampling import Sampling
from app.engine.tools import ToolActivity, ToolCall

# "tool": the model called one of gpt-oss's built-in tools (only when Engine.chat got a Toolbox).
EventKind = Literal["reasoning", "answer", "tool", "done"]
# "repetition": the repetition guard stopped a reply that was looping (app.engine.repetition).
# "tool_limit": the model kept calling tools after it was told to stop (app.engine.tool_loop).
FinishReason = Literal["stop", "length", "cancelled", "repetition", "tool_limit"]
# Room kept free for the reply when no max_tokens is given; the reply may still grow beyond it
# until the context is full.
DEFAULT_REPLY_RESERVE = 1024


@dataclass(frozen=True)
class ChatStats:
    prompt_tokens: int
    cached_tokens: int
    completion_tokens: int
    ttft_s: float
    decode_tok_s: float
    finish_reason: FinishReason
    dropped_messages: int = 0
    # The calls the model made to its built-in tools, and the tokens the calls and their results added
    # to the context (the model's own words are completion_tokens).
    tool_calls: int = 0
    tool_tokens: int = 0

    def as_dict(self) -> dict[str, Any]:
        """The figures by name. The tool figures only when the model called a tool, so a reply without
        tools is stored and printed as before tools existed."""
        figures = asdict(self)
        if not self.tool_calls:
            del figures["tool_calls"], figures["tool_tokens"]
        return figures


@dataclass(frozen=True)
class ChatEvent:
    kind: EventKind
    text: str = ""
    stats: ChatStats | None = None  # "done"
    # "tool": the call as the model wrote it, and what was done, for an activity row.
    call: ToolCall | None = None
    activity: ToolActivity | None = None


@dataclass(frozen=True)
class ModelInfo:
    path: Path
    name: str
    architecture: str
    n_ctx: int
    n_ctx_train: int
    n_threads: int
    sampling: Sampling
    memory: MemoryEstimate
    n_gpu_layers: int = 0
    reasoning: ReasoningFormat = PLAIN
    placement: str = ""  # where it runs, for people: "GPU: 24 of 24 layers, Apple M2" / "CPU, 8 threads"
    offload_note: str = ""  # why it runs on the CPU after the GPU was tried ("" when it was not)
    base_model: bool = False  # no chat training, by its header: it continues text (app.engine.base_model)
    # The template declares gpt-oss's built-in tools (its `builtin_tools`) and the vocabulary ends a call
    # with `<|call|>`: Engine.chat can take a Toolbox.
    builtin_tools: bool = False

    def memory_at(self, n_ctx: int) -> MemoryEstimate:
        """What this model would need at another context length: its cache grows with the context."""
        kv = self.memory.kv_cache_bytes * n_ctx // max(1, self.n_ctx)
        return replace(self.memory, kv_cache_bytes=kv)

    @property
    def reasoning_style(self) -> ReasoningStyle:
        """How the model writes reasoning: "harmony" (gpt-oss), "think" (`<think>` tags) or "plain" (none)."""
        return self.reasoning.style

    @property
    def harmony(self) -> bool:
        return self.reasoning.style == "harmony"

    @property
    def uses_reasoning_effort(self) -> bool:
        """The model takes a reasoning effort (low/medium/high): gpt-oss."""
        return self.harmony

    @property
    def thinks_by_switch(self) -> bool:
        """The model's template has a thinking on/off switch (Engine.chat's `thinking`): Qwen3."""
        return self.reasoning.thinks_by_switch

    @property
    def thinking_default(self) -> bool:
        """Where the switch stands when Engine.chat gets `thinking=None`; False without a switch."""
        return self.reasoning.thinking_default

    @property
    def opens_thought(self) -> bool:
        """The template writes `<think>` at the end of the prompt, so every reply starts in a thought."""
        return self.reasoning.opens_thought


def available_memory() -> int:
    return int(psutil.virtual_memory().available)


def total_memory() -> int:
    return int(psutil.virtual_memory().total)


def default_threads() -> int:
    """One decode thread per physical core.

    llama-cpp-python's default (half the logical CPUs) assumes hyper-threading; on a machine without
    it that halves decode speed (measured: 39 vs 70 tok/s with 1 vs 2 threads on a 2-core machine).
    """
    return psutil.cpu_count(logical=False) or psutil.cpu_count() or 1


def runtime_description() -> str:
    """The model runtime's version and build, in one line (the About box shows it)."""
    return llama_bridge.runtime_description()


def gpu_offload_available() -> bool:
    """Whether this build of llama.cpp can run layers on a GPU at all."""
    return llama_bridge.supports_gpu_offload()


def reply_reserve(n_ctx: int, max_tokens: int | None) -> int:
    """Context kept free for the answer when the prompt is fitted."""
    return min(max_tokens or DEFAULT_REPLY_RESERVE, n_ctx // 2)
