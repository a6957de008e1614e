"""Hearth's GPU offload path on a real GPU backend: packaging/vulkan-check.sh runs it in a Vulkan build.

Checks, each printed on a line of its own: ggml lists a GPU with memory; the planner puts every layer
there; llama.cpp reports them offloaded; the scripted tiny model answers its exact text on the GPU as on
the CPU; a random llama and the tiny gpt-oss (sinks, experts, sliding window) give the same next-token
logits on both, within float tolerance, and the same next token. Exit status 1 if a check failed.

Needs the repository on sys.path (the shell script sets PYTHONPATH) and, on a machine whose only Vulkan
device is Mesa's software one, GGML_VK_VISIBLE_DEVICES=0: ggml-vulkan skips CPU-type devices by default.
"""

from __future__ import annotations

import logging
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import llama_cpp
import numpy as np
import numpy.typing as npt
import psutil
from llama_cpp import Llama

from app.engine import Engine, llama_bridge
from app.engine.gguf_info import read_gguf_info
from app.engine.memory import layer_sizes
from app.engine.offload import OffloadPlan, load_with_fallback, placement_text, plan_offload
from tests.fixtures.tiny_models import ANSWER, build_gpt_oss_model, build_plain_model, build_random_llama

N_CTX = 512
CONTINUATION = 24
PROMPT = ANSWER  # text every tiny vocabulary can spell
failures: list[str] = []


def check(name: str, ok: bool, detail: str = "") -> None:
    print(f"{'ok  ' if ok else 'FAIL'} {name}" + (f": {detail}" if detail else ""), flush=True)
    if not ok:
        failures.append(name)


@contextmanager
def llama_log() -> Iterator[list[str]]:
    """llama.cpp's own log lines (llama_bridge forwards them to the "hearth.llama" logger)."""
    lines: list[str] = []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = lambda record: lines.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("hearth.llama")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield lines
    finally:
        logger.removeHandler(handler)


def seconds(started: float) -> str:
    return f"{time.perf_counter() - started:.2f}s"


def next_tokens(path: Path, n_gpu_layers: int) -> tuple[npt.NDArray[np.float32], list[int]]:
    """The logits after a fixed prompt, and the greedy continuation, with `n_gpu_layers` on the GPU."""
    started = time.perf_counter()
    llm = llama_bridge.open_llama(path, n_ctx=N_CTX, n_threads=2, n_gpu_layers=n_gpu_layers, n_batch=N_CTX)
    try:
        prompt = llm.tokenize(PROMPT.encode("utf-8"), add_bos=True, special=True)
        llm.eval(prompt)
        # Only the last token's logits are computed; llama-cpp-python keeps none without logits_all.
        last = np.ctypeslib.as_array(llama_cpp.llama_get_logits(llm._ctx.ctx), shape=(llm.n_vocab(),))
        logits = np.array(last, dtype=np.float32)
        tokens = []
        for token in llm.generate(prompt, top_k=1, temp=0.0, reset=True):
            tokens.append(int(token))
            if len(tokens) == CONTINUATION:
                break
    finally:
        llm.close()
    print(f"     {path.name} with {n_gpu_layers} GPU layers: {seconds(started)}", flush=True)
    return logits, tokens


def compare_on_both(path: Path) -> None:
    cpu_logits, cpu_tokens = next_tokens(path, 0)
    gpu_logits, gpu_tokens = next_tokens(path, -1)
    scale = float(np.max(np.abs(cpu_logits))) or 1.0
    error = float(np.max(np.abs(cpu_logits - gpu_logits))) / scale
    check(f"{path.name}: the logits are real numbers", bool(np.all(np.isfinite(cpu_logits))) and scale > 1e-6)
    # GPU kernels round differently (f16 accumulation, other summation orders): 0.3-0.9% on lavapipe.
    check(f"{path.name}: next-token logits agree within 5%", error < 5e-2, f"relative error {error:.1e}")
    check(f"{path.name}: the same next token", int(np.argmax(cpu_logits)) == int(np.argmax(gpu_logits)))
    # Random weights leave near ties that rounding may break later on; how far they agree is told, not judged.
    same = next(
        (i for i, (a, b) in enumerate(zip(cpu_tokens, gpu_tokens, strict=True)) if a != b), CONTINUATION
    )
    print(f"     {path.name}: {same} of {CONTINUATION} greedy tokens agree before the first difference")


def open_planned(path: Path, plan: OffloadPlan) -> Llama:
    return llama_bridge.open_llama(
        path, n_ctx=N_CTX, n_threads=2, n_gpu_layers=plan.n_gpu_layers, n_batch=N_CTX, main_gpu=plan.main_gpu
    )


def answer(path: Path, n_gpu_layers: int) -> str:
    engine = Engine()
    started = time.perf_counter()
    engine.load(path, n_ctx=N_CTX, n_gpu_layers=n_gpu_layers)
    print(f"     {path.name} loaded with {n_gpu_layers} GPU layers in {seconds(started)}", flush=True)
    try:
        events = engine.chat([{"role": "user", "content": "Hi!"}], temperature=0.0)
        return "".join(event.text for event in events if event.kind == "answer")
    finally:
        engine.unload()


def main() -> int:
    print(f"     {llama_bridge.runtime_description()}")
    check("the build has a GPU backend", llama_bridge.supports_gpu_offload())
    devices = llama_bridge.devices()
    for device in devices:
        print(f"     {device}")
    gpus = [d for d in devices if d.type in {"gpu", "igpu"}]
    check("ggml lists a GPU with memory", any(d.total_bytes > 0 for d in gpus))

    with tempfile.TemporaryDirectory(prefix="hearth-gpu-check-") as folder:
        model = build_plain_model(Path(folder) / "tiny-plain.gguf")
        sizes = layer_sizes(read_gguf_info(model.path), N_CTX)
        plan = plan_offload(sizes, devices, "auto", system_free=int(psutil.virtual_memory().available))
        print(f"     {plan}")
        check("auto puts every layer on the GPU", plan.n_gpu_layers == sizes.n_layer + 1, plan.reason)
        print(f"     model bar: {placement_text(plan, sizes.n_layer, 2)}")

        with llama_log() as lines:
            llm, used, note = load_with_fallback(lambda p: open_planned(model.path, p), plan)
            llm.close()
        offloaded = [line for line in lines if "offloaded" in line]
        check("the planned load stays on the GPU", used == plan and not note, note)
        expected = f"offloaded {plan.n_gpu_layers}/{plan.n_gpu_layers} layers"
        check("llama.cpp offloads every layer", any(expected in line for line in offloaded), repr(offloaded))

        on_cpu, on_gpu = answer(model.path, 0), answer(model.path, -1)
        check("the tiny model answers its script on the GPU", on_gpu == model.expected_answer, repr(on_gpu))
        check("the GPU's answer is the CPU's", on_gpu == on_cpu)

        compare_on_both(
            build_random_llama(Path(folder) / "random-llama.gguf", n_embd=256, n_layer=4, n_ff=512)
        )
        compare_on_both(build_gpt_oss_model(Path(folder) / "tiny-gpt-oss.gguf").path)

    print("all checks passed" if not failures else f"{len(failures)} failed: {', '.join(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
