"""The engine's GPU decisions end to end, on the real llama.cpp (a CPU build here): where the model runs,
what a GPU plan becomes, and the retry on the CPU when the GPU cannot hold the model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.engine import Engine, llama_bridge
from app.engine.devices import Device
from app.engine.model_info import default_threads
from tests.fixtures.tiny_models import TinyModel

GIB = 1024**3


def big_gpu() -> list[Device]:
    return [
        Device("CPU", "AMD", "cpu", 32 * GIB, 64 * GIB),
        Device("CUDA0", "Test GPU", "gpu", 16 * GIB, 16 * GIB),
    ]


def test_this_build_runs_models_on_the_cpu_and_says_so(plain_model: TinyModel) -> None:
    engine = Engine()
    try:
        info = engine.load(plain_model.path, n_ctx=1024, n_gpu_layers="auto")
        threads = default_threads()
        assert info.n_gpu_layers == 0
        assert info.placement == ("CPU, 1 thread" if threads == 1 else f"CPU, {threads} threads")
        assert info.offload_note == ""
    finally:
        engine.unload()


def test_a_gpu_with_room_takes_every_layer(plain_model: TinyModel) -> None:
    engine = Engine(devices=big_gpu)
    try:
        info = engine.load(plain_model.path, n_ctx=1024, n_gpu_layers="auto")
        assert info.n_gpu_layers == 2, "the one block and the output layer"
        assert info.placement == "GPU: 1 of 1 layers, Test GPU"
        assert [e.text for e in engine.chat([{"role": "user", "content": "Hi"}]) if e.kind == "answer"]
    finally:
        engine.unload()


def test_out_of_device_memory_falls_back_to_the_cpu_with_a_reason(
    plain_model: TinyModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = llama_bridge.open_llama
    tried: list[int] = []

    def open_llama(path: Path, **options: Any) -> Any:
        tried.append(options["n_gpu_layers"])
        if options["n_gpu_layers"] > 0:
            raise ValueError("Failed to load model from file")  # what llama-cpp-python raises on OOM
        return real_open(path, **options)

    monkeypatch.setattr(llama_bridge, "open_llama", open_llama)
    engine = Engine(devices=big_gpu)
    try:
        info = engine.load(plain_model.path, n_ctx=1024, n_gpu_layers="auto")
        assert tried == [2, 0]
        assert info.n_gpu_layers == 0 and info.placement.startswith("CPU")
        assert info.offload_note.startswith("The model did not fit in the memory of Test GPU")
        answer = "".join(
            e.text for e in engine.chat([{"role": "user", "content": "Hi"}]) if e.kind == "answer"
        )
        assert answer == plain_model.expected_answer
    finally:
        engine.unload()
