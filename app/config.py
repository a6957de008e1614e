"""Where Hearth keeps its files, and the user's settings.

Qt-free so the CLI, the core and the tests share one answer to "where is my data".
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal, TypeGuard, get_args

import platformdirs

from app.atomic import read_json, write_json

# The choices a setting can hold; the engine and the window take their lists from here.
ReasoningEffort = Literal["low", "medium", "high"]
REASONING_EFFORTS: Final[tuple[ReasoningEffort, ...]] = get_args(ReasoningEffort)
ThemeChoice = Literal["system", "light", "dark"]
THEMES: Final[tuple[ThemeChoice, ...]] = get_args(ThemeChoice)
LanguageChoice = Literal["system", "en", "de"]
LANGUAGES: Final[tuple[LanguageChoice, ...]] = get_args(LanguageChoice)
ChatWidth = Literal["narrow", "medium", "wide", "full"]
CHAT_WIDTHS: Final[tuple[ChatWidth, ...]] = get_args(ChatWidth)
# "auto": the engine decides how many layers go to the GPU (none on a build without GPU support).
GpuLayers = int | Literal["auto"]
# "auto": the engine picks the longest of AUTO_CONTEXTS the model allows that fits in memory; below the
# last one it is not worth loading at all (a document and a few turns would not fit).
ContextLength = int | Literal["auto"]
AUTO_CONTEXTS: Final = (65_536, 32_768, 16_384, 8_192)

# Bounds of the values a person can choose in Settings; the same bounds check settings.json.
CONTEXT_RANGE: Final = (512, 1 << 20)
THREADS_RANGE: Final = (1, 256)
GPU_LAYERS_MAX: Final = 999
TEMPERATURE_RANGE: Final = (0.0, 2.0)  # 2.0 is already close to noise; llama.cpp would take more
TOP_P_RANGE: Final = (0.05, 1.0)
MAX_TOKENS_RANGE: Final = (16, 1 << 20)
TEXT_SCALE_RANGE: Final = (80, 200)  # percent of the system font, for the chat's text

log = logging.getLogger("hearth.config")

APP_NAME = "Hearth"
HOME_ENV = "HEARTH_HOME"


@dataclass(frozen=True)
class Paths:
    """Every file location Hearth uses, all under one per-user root."""

    root: Path

    @property
    def models_dir(self) -> Path:
        return self.root / "models"

    @property
    def history_db(self) -> Path:
        return self.root / "history.sqlite3"

    @property
    def settings_file(self) -> Path:
        return self.root / "settings.json"

    @property
    def presets_file(self) -> Path:
        return self.root / "presets.json"

    @property
    def log_dir(self) -> Path:
        return self.root / "logs"

    def ensure(self) -> Paths:
        for folder in (self.root, self.models_dir, self.log_dir):
            folder.mkdir(parents=True, exist_ok=True)
        return self


def data_root() -> Path:
    """The per-user data folder.

    HEARTH_HOME wins so tests and portable installs (a USB stick) can relocate everything;
    otherwise the platform's convention (AppData on Windows, Application Support on macOS,
    XDG_DATA_HOME on Linux).
    """
    override = os.environ.get(HOME_ENV, "").strip()
    if override:
        return Path(override).expanduser().resolve()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def default_paths() -> Paths:
    return Paths(data_root())


@dataclass(frozen=True)
class Settings:
    """Every user setting with its default, in one place."""

    active_model: str | None = None
    # Loading the model: a change reloads it.
    n_ctx: ContextLength = "auto"
    n_threads: int | None = None  # None: one per physical core
    n_gpu_layers: GpuLayers = "auto"
    # Each reply; None: the model's own default. A conversation's own temperature wins over this one.
    reasoning_effort: ReasoningEffort = "medium"
    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = None  # None: as long as the context allows
    thinking: bool | None = None  # a model with a thinking switch (Qwen3): on, off, or None its default
    # Appearance and language.
    theme: ThemeChoice = "system"
    text_scale: int = 100
    chat_width: ChatWidth = "medium"
    language: LanguageChoice = "system"

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


def load_settings(path: Path) -> Settings:
    """Read settings; unknown keys are ignored and a damaged file falls back to defaults."""
    raw = read_json(path, None, log=log, level=logging.WARNING, instead="using the default settings")
    if not isinstance(raw, dict):
        return Settings()
    values: dict[str, Any] = {}
    for field in dataclasses.fields(Settings):
        if field.name not in raw:
            continue
        value = raw[field.name]
        if _VALID[field.name](value):
            # JSON has one kind of number: a temperature written as 1 reads back as the float it meant.
            values[field.name] = float(value) if field.name in _FLOATS and value is not None else value
        else:
            log.warning(
                "settings file %s: %s = %r is not valid; using the default %r",
                path,
                field.name,
                value,
                field.default,
            )
    return Settings(**values)


def _whole(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _whole_in(bounds: tuple[int, int]) -> Callable[[object], bool]:
    return lambda v: _whole(v) and bounds[0] <= v <= bounds[1]


def _number_in(bounds: tuple[float, float]) -> Callable[[object], bool]:
    # A whole number is a fine temperature too (1 means 1.0); a bool is not a number here.
    return lambda v: isinstance(v, int | float) and not isinstance(v, bool) and bounds[0] <= v <= bounds[1]


def _or_none(check: Callable[[object], bool]) -> Callable[[object], bool]:
    return lambda v: v is None or check(v)


# What each setting may hold; anything else (a hand-edited file, one from a future version) loads as the
# default, field by field, so one bad value does not cost the others.
_VALID: dict[str, Callable[[object], bool]] = {
    "active_model": _or_none(lambda v: isinstance(v, str) and bool(v.strip())),
    "n_ctx": lambda v: v == "auto" or _whole_in(CONTEXT_RANGE)(v),
    "n_threads": _or_none(_whole_in(THREADS_RANGE)),
    # -1 is llama.cpp's "all of them", which older settings files may hold.
    "n_gpu_layers": lambda v: v == "auto" or _whole_in((-1, GPU_LAYERS_MAX))(v),
    "reasoning_effort": lambda v: v in REASONING_EFFORTS,
    "temperature": _or_none(_number_in(TEMPERATURE_RANGE)),
    "top_p": _or_none(_number_in(TOP_P_RANGE)),
    "max_tokens": _or_none(_whole_in(MAX_TOKENS_RANGE)),
    "thinking": lambda v: v is None or isinstance(v, bool),
    "theme": lambda v: v in THEMES,
    "text_scale": _whole_in(TEXT_SCALE_RANGE),
    "chat_width": lambda v: v in CHAT_WIDTHS,
    "language": lambda v: v in LANGUAGES,
}


_FLOATS: Final = frozenset({"temperature", "top_p"})


def fit_context(n_ctx: ContextLength) -> int:
    """The context a model's fit is judged at: the setting, or for "auto" the shortest it would pick."""
    return AUTO_CONTEXTS[-1] if n_ctx == "auto" else n_ctx


def save_settings(path: Path, settings: Settings) -> None:
    """Write atomically (temp file + rename) so a crash never leaves half a settings file."""
    write_json(path, dataclasses.asdict(settings))
