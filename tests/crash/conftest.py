"""The crash tests' model, one that talks long enough to be cut off in the middle of a reply, and their
data folder's settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config import Paths
from tests.crash.child import one_thread_each
from tests.crash.long_model import LongModel, build_long_model


@pytest.fixture(scope="session")
def long_model(models_dir: Path) -> LongModel:
    return build_long_model(models_dir / "tiny-long.gguf")


@pytest.fixture(autouse=True)
def one_thread(hearth_home: Path) -> None:
    one_thread_each(Paths(hearth_home).settings_file)
