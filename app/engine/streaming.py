"""The generation loop: sample tokens from llama.cpp, split them into reasoning and answer, and stop on
an end token, the length limit or a cancel. One call per reply; the engine decides what goes in.

With a ToolSession (app.engine.tool_loop), a `<|call|>` does not end the reply: the session answers the
call, its tokens are evaluated after the ones already in the cache, and generation goes on. A reply is
then several stretches of generation, with the tool exchanges between them."""

from __future__ import annotations

import codecs
import logging
import threading
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import Any

from app.engine import llama_bridge
from app.engine.errors import EngineError
from app.engine.harmony import StreamParser
from app.engine.model_info import ChatEvent, ChatStats, FinishReason, ModelInfo
from app.engine.prompt import PromptBuilder
from app.engine.reasoning import make_stream_parser
from app.engine.repetition import RepetitionGuard
from app.engine.sampling import Sampling
from app.engine.tool_calls import ToolCallParser, ToolMessages
from app.engine.tool_loop import ToolSession
from app.i18n import translate

log = logging.getLogger("hearth.engine")


@dataclass
class LoadedModel:
    """A model llama.cpp has open, with what the engine keeps beside it."""

    llm: Any  # llama_cpp.Llama (untyped)
    info: ModelInfo
    vocab: llama_bridge.Vocab
    prompts: PromptBuilder
    abort: llama_bridge.AbortSwitch
    # Token ids of `<think>` and `</think>`: printed as text even where the GGUF types them as control
    # tokens, which are otherwise left out of the text like every other control token.
    think_tokens: frozenset[int] = frozenset()
    # How tool exchanges are written in this model's tokens; None when it cannot use built-in tools.
    tool_messages: ToolMessages | None = None


def stream_reply(
    loaded: LoadedModel,
    *,
    tokens: list[int],
    dropped: int,
    room: int,
    max_tokens: int | None,
    sampling: Sampling,
    cancel: threading.Event,
    started: float,
    in_thought: bool = False,
    tools: ToolSession | None = None,
) -> Iterator[ChatEvent]:
    """`room`: tokens the context has left after the prompt, for the reply and any tool exchanges;
    `max_tokens` caps the model's own tokens. `in_thought`: the prompt ends inside an opened `<think>`, so
    the reply starts as reasoning. With `tools`, a `<|call|>` is answered and generation goes on."""
    cached = llama_bridge.reuse_prefix(loaded.llm, tokens)
    reply = _Reply(
        loaded,
        room=room,
        max_tokens=max_tokens,
        sampling=sampling,
        cancel=cancel,
        started=started,
        in_thought=in_thought,
        tools=tools,
    )
    # Only new tokens are ever evaluated: the prompt after its cached part, then each tool exchange.
    pending: list[int] | None = tokens[cached:]
    while pending is not None:
        ended_by = yield from reply.generate(pending)
        pending = None
        if tools is not None and ended_by == tools.call_token:
            pending = yield from reply.answer_call(tools)
    yield from reply.flush()
    stats = ChatStats(
        prompt_tokens=len(tokens),
        cached_tokens=cached,
        completion_tokens=reply.produced,
        ttft_s=round(reply.timing.first - started, 4),
        decode_tok_s=reply.timing.decode_rate(),
        finish_reason=reply.finish,
        dropped_messages=dropped,
        tool_calls=tools.calls if tools else 0,
        tool_tokens=tools.tokens if tools else 0,
    )
    yield ChatEvent("done", stats=stats)


class _Reply:
    """The state of one reply across its stretches of generation (one, or one per tool call plus one)."""

    def __init__(
        self,
        loaded: LoadedModel,
        *,
        room: int,
        max_tokens: int | None,
        sampling: Sampling,
        cancel: threading.Event,
        started: float,
        in_thought: bool,
        tools: ToolSession | None,
    ) -> None:
        self._loaded = loaded
        self._room = room
        self._limit = room if max_tokens is None else min(room, max_tokens)
        self._sampling = sampling
        self._cancel = cancel
        self._tools = tools
        self._harmony = loaded.info.harmony
        self._parser: StreamParser = (
            ToolCallParser()
            if tools is not None
            else make_stream_parser(loaded.info.reasoning_style, in_thought=in_thought)
        )
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        # Reasoning and answer are separate texts, one guard each: gpt-oss loops in its analysis too.
        self._guards = {"reasoning": RepetitionGuard(), "answer": RepetitionGuard()}
        self.timing = _Timing(started)
        self.produced = 0
        self.finish: FinishReason = "stop"

    def _used(self) -> int:
        return self.produced + (self._tools.tokens if self._tools is not None else 0)

    def generate(self, new_tokens: list[int]) -> Generator[ChatEvent, None, int | None]:
        """Evaluate `new_tokens` and stream what the model writes next; return the end-of-generation token
        that stopped it (None when the length, a cancel or the repetition guard did)."""
        loaded = self._loaded
        loaded.abort.arm(self._cancel)
        sampled = llama_bridge.sample_tokens(loaded.llm, new_tokens, self._sampling)
        try:
            while True:
                if self._cancel.is_set():
                    self.finish = "cancelled"
                    return None
                if self.produced >= self._limit or self._used() >= self._room:
                    self.finish = "length"
                    return None
                token = _next_token(sampled, self._cancel)
                if token is None:
                    if self._cancel.is_set():
                        self.finish = "cancelled"
                    return None
                if self.timing.arrived():
                    loaded.abort.disarm()  # the new tokens are evaluated; see AbortSwitch
                if loaded.vocab.is_end_of_generation(token):
                    return token
                self.produced += 1
                self.timing.counted()
                # Harmony's markers are text the parser reads; so are `<think>` tags typed as control.
                special = self._harmony or token in loaded.think_tokens
                looping = False
                for piece in self._parser.feed(
                    self._decoder.decode(loaded.vocab.piece(token, special=special))
                ):
                    looping = self._guards[piece.kind].feed(piece.text) or looping  # every piece is fed
                    yield ChatEvent(piece.kind, piece.text)
                if looping:
                    self.finish = "repetition"
                    return None
        finally:
            loaded.abort.disarm()
            sampled.close()

    def answer_call(self, tools: ToolSession) -> Generator[ChatEvent, None, list[int] | None]:
        """The model wrote `<|call|>`: answer the call; return the tokens to go on with (None: stop)."""
        self.timing.pause()
        parser = self._parser
        assert isinstance(parser, ToolCallParser)
        for piece in parser.feed(self._decoder.decode(b"", final=True)):
            yield ChatEvent(piece.kind, piece.text)
        call, held = parser.end_call()
        for piece in held:
            yield ChatEvent(piece.kind, piece.text)
        if call is None:
            return None  # `<|call|>` ended a message addressed to no one: the model is done
        step = tools.answer(call, self._cancel, self._room - self._used())
        yield from step.events
        if step.finish is not None:
            self.finish = step.finish
            return None
        return step.tokens

    def flush(self) -> Iterator[ChatEvent]:
        """What the parser still holds, at the end of the reply."""
        tail = self._parser.feed(self._decoder.decode(b"", final=True))
        for piece in [*tail, *self._parser.finish(cut_short=self.finish != "stop")]:
            yield ChatEvent(piece.kind, piece.text)


class _Timing:
    """When tokens came, for the time to the first token and the decode speed. Time spent in tools and
    in evaluating their answers is not decoding, so each stretch between two calls counts on its own."""

    def __init__(self, started: float) -> None:
        self._first: float | None = None
        self._stretch_first: float | None = None
        self._stretch_last = started
        self._stretch_tokens = 0  # of the model's own, end tokens aside
        self._decoding = 0.0
        self._intervals = 0

    def arrived(self) -> bool:
        """A token arrived; True for the first one of a stretch (the evaluation before it is over)."""
        now = time.perf_counter()
        first_of_stretch = self._stretch_first is None
        if self._stretch_first is None:
            self._stretch_first = now
            self._first = self._first if self._first is not None else now
        self._stretch_last = now
        return first_of_stretch

    def counted(self) -> None:
        """The token was the model's own text, not an end token."""
        self._stretch_tokens += 1

    def pause(self) -> None:
        """Generation stopped for a tool; the next token begins a new stretch."""
        if self._stretch_first is not None:
            self._decoding += self._stretch_last - self._stretch_first
            self._intervals += max(0, self._stretch_tokens - 1)
        self._stretch_first = None
        self._stretch_tokens = 0

    @property
    def first(self) -> float:
        return self._first if self._first is not None else time.perf_counter()

    def decode_rate(self) -> float:
        self.pause()
        return (
            round(self._intervals / self._decoding, 2) if self._intervals > 0 and self._decoding > 0 else 0.0
        )


def _next_token(sampled: Iterator[int], cancel: threading.Event) -> int | None:
    """The next sampled token; None when generation ended, or stopped because of a cancel."""
    try:
        return next(sampled)
    except StopIteration:
        return None
    except RuntimeError as exc:
        # llama_decode reports an abort as a failure; only a cancel makes that expected.
        if cancel.is_set():
            return None
        log.warning("generation failed: %s", exc)
        raise EngineError(
            translate("Engine", "The model stopped with an internal error. Try again.")
        ) from exc
