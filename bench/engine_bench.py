"""P1 (engine decode speed vs a raw llama-cpp-python loop) and P2 (follow-up TTFT with KV reuse).

Both run on a synthetic ~85M-parameter F16 llama model built on the spot, so no download is needed.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import llama_cpp

from app.engine import ChatStats, Engine, gpu_offload_available
from app.engine.sampling import GENERIC_SAMPLING
from tests.fixtures.tiny_models import build_random_llama

N_CTX = 4096
DECODE_TOKENS = 128
DECODE_ROUNDS = 5
TTFT_ROUNDS = 3
PROMPT = [{"role": "user", "content": "Tell me a story about a lighthouse keeper."}]


def run_chat(engine: Engine, messages: list[dict[str, Any]], max_tokens: int) -> tuple[str, ChatStats]:
    answer, stats = [], None
    for event in engine.chat(messages, max_tokens=max_tokens, temperature=0.0):
        if event.kind == "answer":
            answer.append(event.text)
        elif event.kind == "done":
            stats = event.stats
    assert stats is not None
    return "".join(answer), stats


def raw_decode_rate(llm: llama_cpp.Llama, prompt_tokens: list[int]) -> float:
    """The plainest streaming loop llama-cpp-python allows: generate + detokenize, same sampler."""
    llm.reset()  # type: ignore[no-untyped-call]
    first = last = 0.0
    produced = 0
    for token in llm.generate(
        prompt_tokens,
        top_k=GENERIC_SAMPLING.top_k,
        top_p=GENERIC_SAMPLING.top_p,
        min_p=GENERIC_SAMPLING.min_p,
        temp=0.0,
        repeat_penalty=1.0,
    ):
        now = time.perf_counter()
        first = first or now
        last = now
        llm.detokenize([token])
        produced += 1
        if produced == DECODE_TOKENS:
            break
    return (produced - 1) / (last - first)


def bench_decode(model: Path) -> None:
    engine = Engine()
    info = engine.load(model, n_ctx=N_CTX)
    llm = llama_cpp.Llama(
        model_path=str(model), n_ctx=N_CTX, n_threads=info.n_threads, n_batch=512, n_ubatch=512, verbose=False
    )
    # The bench model's template, rendered by hand so the raw loop owes nothing to the engine.
    prompt_text = f"<|user|>{PROMPT[0]['content']}<|end|><|assistant|>"
    prompt_tokens = llm.tokenize(prompt_text.encode("utf-8"), add_bos=True, special=True)
    ours, raw = [], []
    for _ in range(DECODE_ROUNDS):  # interleaved, so drift in machine load hits both sides alike
        ours.append(run_chat(engine, PROMPT, DECODE_TOKENS)[1].decode_tok_s)
        raw.append(raw_decode_rate(llm, prompt_tokens))
    llm.close()
    engine.unload()
    ours_median, raw_median = statistics.median(ours), statistics.median(raw)
    print(f"P1 decode: engine {ours_median:.1f} tok/s, raw llama-cpp-python loop {raw_median:.1f} tok/s")
    print(f"P1 ratio engine/raw = {ours_median / raw_median:.3f}   (goal >= 0.97)")


def long_history(target_tokens: int, engine: Engine) -> list[dict[str, Any]]:
    history: list[dict[str, Any]] = []
    turn = 0
    while engine.count_tokens([*history, {"role": "user", "content": "?"}]) < target_tokens:
        history += [
            {"role": "user", "content": f"Question {turn}: what happened to the keeper on day {turn}?"},
            {
                "role": "assistant",
                "content": f"On day {turn} the keeper trimmed the wick and watched the sea. " * 3,
            },
        ]
        turn += 1
    return history


def bench_follow_up(model: Path) -> None:
    """The same short question asked fresh, and as the follow-up of a 3k-token conversation."""
    engine = Engine()
    engine.load(model, n_ctx=N_CTX)
    history = long_history(3000, engine)
    question = {"role": "user", "content": "Tell me more."}
    fresh: list[ChatStats] = []
    follow: list[ChatStats] = []
    cold: list[ChatStats] = []
    for round_no in range(TTFT_ROUNDS):
        engine.load(model, n_ctx=N_CTX)  # empty cache
        run_chat(engine, [{"role": "system", "content": "warm-up"}, {"role": "user", "content": "x"}], 1)
        fresh.append(run_chat(engine, [question], 4)[1])
        asked = [*history, {"role": "user", "content": f"And on day {round_no}?"}]
        answer, first = run_chat(engine, asked, 8)
        cold.append(first)
        follow.append(run_chat(engine, [*asked, {"role": "assistant", "content": answer}, question], 4)[1])
    engine.unload()

    def ttft(runs: list[ChatStats]) -> float:
        return statistics.median(s.ttft_s for s in runs)

    def evaluated(runs: list[ChatStats]) -> int:
        return runs[-1].prompt_tokens - runs[-1].cached_tokens

    print(
        f"P2 TTFT: fresh short prompt {ttft(fresh) * 1000:.0f} ms ({evaluated(fresh)} tokens evaluated); "
        f"follow-up with 3k-token history {ttft(follow) * 1000:.0f} ms ({follow[-1].cached_tokens} reused, "
        f"{evaluated(follow)} evaluated); the same history without reuse {ttft(cold) * 1000:.0f} ms"
    )
    print(f"P2 reuse speed-up on the follow-up = {ttft(cold) / ttft(follow):.0f}x")
    print(f"P2 ratio follow-up/fresh = {ttft(follow) / ttft(fresh):.2f}   (goal <= 1.5)")


def bench_gpu(model: Path) -> None:
    """Prompt and decode speed on the CPU against "auto" (the GPU, where the build has one)."""
    if not gpu_offload_available():
        print("P10 GPU offload: no GPU here (this llama.cpp has no GPU backend)")
        return
    rates: list[tuple[str, float, float]] = []  # (where it ran, prompt tok/s, decode tok/s)
    for setting in (0, "auto"):
        engine = Engine()
        info = engine.load(model, n_ctx=N_CTX, n_gpu_layers=setting)
        _answer, stats = run_chat(engine, PROMPT, DECODE_TOKENS)
        prompt_rate = stats.prompt_tokens / stats.ttft_s if stats.ttft_s > 0 else 0.0
        rates.append((info.placement, prompt_rate, stats.decode_tok_s))
        engine.unload()
    (cpu, cpu_prompt, cpu_decode), (gpu, gpu_prompt, gpu_decode) = rates
    print(f"P10 {cpu}: prompt {cpu_prompt:.0f} tok/s, decode {cpu_decode:.1f} tok/s")
    print(f"P10 {gpu}: prompt {gpu_prompt:.0f} tok/s, decode {gpu_decode:.1f} tok/s")
    print(f"P10 ratio auto/CPU: prompt {gpu_prompt / cpu_prompt:.2f}, decode {gpu_decode / cpu_decode:.2f}")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="hearth-bench-") as folder:
        model = build_random_llama(Path(folder) / "bench-85m.gguf")
        bench_decode(model)
        bench_follow_up(model)
        bench_gpu(model)
