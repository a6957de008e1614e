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
    n_ctx: int = 8192
    n_threads: int | None = None
    n_gpu_layers: int = 0
    reasoning_effort: ReasoningEffort = "medium"
    theme: ThemeChoice = "system"

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


def load_settings(path: Path) -> Settings:
    """Read settings; unknown keys are ignored and a damaged file falls back to defaults."""
    raw = read_json(path, None, log=log, level=logging.WARNING, instead="using the default settings")
    if not isinstance(raw, dict):
        return Settings()
    values = {}
    for field in dataclasses.fields(Settings):
        if field.name not in raw:
            continue
        value = raw[field.name]
        if _VALID[field.name](value):
            values[field.name] = value
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


# What each setting may hold; anything else (a hand-edited file, one from a future version) loads as the
# default, field by field, so one bad value does not cost the others.
_VALID: dict[str, Callable[[object], bool]] = {
    "active_model": lambda v: v is None or (isinstance(v, str) and bool(v.strip())),
    "n_ctx": lambda v: _whole(v) and 256 <= v <= 1 << 24,
    "n_threads": lambda v: v is None or (_whole(v) and 1 <= v <= 1024),
    "n_gpu_layers": lambda v: _whole(v) and v >= -1,
    "reasoning_effort": lambda v: v in REASONING_EFFORTS,
    "theme": lambda v: v in THEMES,
}


def save_settings(path: Path, settings: Settings) -> None:
    """Write atomically (temp file + rename) so a crash never leaves half a settings file."""
    write_json(path, dataclasses.asdict(settings))
