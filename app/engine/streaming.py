"""The generation loop: sample tokens from llama.cpp, split them into reasoning and answer, and stop on
an end token, the length limit or a cancel. One call per reply; the engine decides what goes in."""

from __future__ import annotations

import codecs
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from app.engine import llama_bridge
from app.engine.errors import EngineError
from app.engine.model_info import ChatEvent, ChatStats, FinishReason, ModelInfo
from app.engine.prompt import PromptBuilder
from app.engine.reasoning import make_stream_parser
from app.engine.repetition import RepetitionGuard
from app.engine.sampling import Sampling
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


def stream_reply(
    loaded: LoadedModel,
    *,
    tokens: list[int],
    dropped: int,
    limit: int,
    sampling: Sampling,
    cancel: threading.Event,
    started: float,
    in_thought: bool = False,
) -> Iterator[ChatEvent]:
    """`in_thought`: the prompt ends inside an opened `<think>`, so the reply starts as reasoning."""
    harmony = loaded.info.harmony
    think_tokens = loaded.think_tokens
    parser = make_stream_parser(loaded.info.reasoning_style, in_thought=in_thought)
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    cached = llama_bridge.reuse_prefix(loaded.llm, tokens)
    finish: FinishReason = "stop"
    # Reasoning and answer are separate texts, one guard each: gpt-oss loops in its analysis too.
    guards = {"reasoning": RepetitionGuard(), "answer": RepetitionGuard()}
    produced = 0
    first_at: float | None = None
    last_at = started
    loaded.abort.arm(cancel)
    sampled = llama_bridge.sample_tokens(loaded.llm, tokens[cached:], sampling)
    try:
        while True:
            if cancel.is_set():
                finish = "cancelled"
                break
            if produced >= limit:
                finish = "length"
                break
            token = _next_token(sampled, cancel)
            if token is None:
                if cancel.is_set():
                    finish = "cancelled"
                break
            last_at = time.perf_counter()
            if first_at is None:
                first_at = last_at
                loaded.abort.disarm()  # the prompt is evaluated; see AbortSwitch
            if loaded.vocab.is_end_of_generation(token):
                break
            produced += 1
            text = decoder.decode(loaded.vocab.piece(token, special=harmony or token in think_tokens))
            looping = False
            for piece in parser.feed(text):
                looping = guards[piece.kind].feed(piece.text) or looping  # every piece is fed
                yield ChatEvent(piece.kind, piece.text)
            if looping:
                finish = "repetition"
                break
    finally:
        loaded.abort.disarm()
        sampled.close()
    tail = parser.feed(decoder.decode(b"", final=True))
    for piece in [*tail, *parser.finish(cut_short=finish != "stop")]:
        yield ChatEvent(piece.kind, piece.text)
    first = first_at if first_at is not None else time.perf_counter()
    decode_span = last_at - first
    stats = ChatStats(
        prompt_tokens=len(tokens),
        cached_tokens=cached,
        completion_tokens=produced,
        ttft_s=round(first - started, 4),
        decode_tok_s=round((produced - 1) / decode_span, 2) if produced > 1 and decode_span > 0 else 0.0,
        finish_reason=finish,
        dropped_messages=dropped,
    )
    yield ChatEvent("done", stats=stats)


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
