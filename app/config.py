"""Where Hearth keeps its files, and the user's settings.

Qt-free so the CLI, the core and the tests share one answer to "where is my data".
"""

from __future__ import annotations

import dataclasses
import errno
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal, TypeGuard, get_args

import platformdirs

from app.atomic import read_json, write_json
from app.errors import UserError
from app.i18n import Deferred, translate

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

    @property
    def sandbox_dir(self) -> Path:
        """The python tool's folders, one per conversation (app.tools.toolbox.ToolSessions)."""
        return self.root / "sandbox"

    def ensure(self) -> Paths:
        for folder in (self.root, self.models_dir, self.log_dir):
            folder.mkdir(parents=True, exist_ok=True)
        return self


class DataFolderError(UserError):
    """Hearth's data folder cannot be used: str() names the folder, says why and what to do.

    Its words are put together when it is read, not when it is raised: the window learns of the problem
    before it has installed the user's language.
    """

    def __init__(self, folder: Path, reason: Deferred, *, disk_full: bool = False) -> None:
        super().__init__(folder, reason)
        self.folder = folder
        self.reason = reason
        self.disk_full = disk_full
        # Then the folder is the user's own choice, and pointing elsewhere is a way out worth naming.
        self.chosen_by_setting = bool(os.environ.get(HOME_ENV, "").strip())

    def __str__(self) -> str:
        parts = [
            translate("DataFolder", "Hearth cannot use its data folder “{folder}”.").format(
                folder=self.folder
            ),
            str(self.reason),
            translate("DataFolder", "Free up some space on the disk, then start Hearth again.")
            if self.disk_full
            else translate(
                "DataFolder",
                "Check that the folder exists and that you are allowed to write to it, "
                "then start Hearth again.",
            ),
        ]
        if self.chosen_by_setting:
            parts.append(
                translate(
                    "DataFolder",
                    "This folder is set by HEARTH_HOME: set it to another folder, or remove it to use "
                    "the usual one.",
                )
            )
        return " ".join(parts)

    def command_line(self) -> str:
        """The problem as the command line's one line (after "hearth: error: ")."""
        advice = (
            "free up some space on the disk"
            if self.disk_full
            else "check that it is a folder you may write to"
        )
        if self.chosen_by_setting:
            advice += ", or set HEARTH_HOME to another folder"
        return f"cannot use the data folder {self.folder} ({str(self.reason).rstrip('.')}); {advice}"

    @classmethod
    def from_os_error(cls, folder: Path, error: OSError) -> DataFolderError:
        """`error`, met making or writing something under `folder`, in plain words."""
        where = Path(os.fsdecode(error.filename)) if error.filename else folder
        # What is in the way is what exists: for "…/notes.txt/Hearth" that is the file notes.txt.
        found = _nearest_existing(where)
        code = error.errno
        if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            return cls(folder, Deferred.translate("DataFolder", "The disk is full."), disk_full=True)
        # Linux says ENOTDIR for a path through a file, Windows ENOENT; EEXIST is the file itself.
        if code in (errno.EEXIST, errno.ENOTDIR, errno.ENOENT) and not found.is_dir():
            reason = Deferred.translate("DataFolder", "“{path}” is a file, not a folder.").format(path=found)
        elif code == errno.EISDIR:
            reason = Deferred.translate("DataFolder", "“{path}” is a folder where Hearth needs a file.")
            reason = reason.format(path=where)
        elif code in (errno.EACCES, errno.EPERM):
            reason = Deferred.translate("DataFolder", "Hearth is not allowed to write to “{path}”.")
            reason = reason.format(path=found)
        elif code == errno.EROFS:
            reason = Deferred.translate("DataFolder", "“{path}” is on a disk that can only be read.")
            reason = reason.format(path=found)
        elif code == errno.ENAMETOOLONG:
            reason = Deferred.translate("DataFolder", "The folder's name is too long.")
        elif code == errno.ELOOP:
            reason = Deferred.translate("DataFolder", "“{path}” is a link that leads back to itself.")
            reason = reason.format(path=where)
        elif code == errno.ENOENT:
            reason = Deferred.translate("DataFolder", "“{path}” cannot be found.").format(path=where)
        else:
            reason = Deferred.translate("DataFolder", "The system said: {reason}.")
            reason = reason.format(reason=error.strerror or str(error))
        return cls(folder, reason)


def _nearest_existing(path: Path) -> Path:
    while not os.path.lexists(path) and path.parent != path:
        path = path.parent
    return path


def data_root() -> Path:
    """The per-user data folder.

    HEARTH_HOME wins so tests and portable installs (a USB stick) can relocate everything; a relative
    one is taken from the current folder, and an empty one counts as unset. Otherwise the platform's
    convention (AppData on Windows, Application Support on macOS, XDG_DATA_HOME on Linux).
    Raises DataFolderError for a HEARTH_HOME that names no folder at all ("~nobody", a loop of links).
    """
    override = os.environ.get(HOME_ENV, "").strip()
    if not override:
        return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))
    try:
        home = Path(override).expanduser()
    except RuntimeError:  # "~someone" for a user this computer does not know
        reason = Deferred.translate("DataFolder", "“{path}” names the home folder of an unknown user.")
        raise DataFolderError(Path(override), reason.format(path=override)) from None
    try:
        return home.resolve()
    except RuntimeError:  # Python 3.11 raises this, not OSError, for a loop of symbolic links
        reason = Deferred.translate("DataFolder", "“{path}” is a link that leads back to itself.")
        raise DataFolderError(home, reason.format(path=home)) from None
    except OSError as error:
        raise DataFolderError.from_os_error(home, error) from None


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
    # The user has read what letting gpt-oss run Python means (said once, when first turned on).
    python_explained: bool = False

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
    "python_explained": lambda v: isinstance(v, bool),
}


_FLOATS: Final = frozenset({"temperature", "top_p"})


def fit_context(n_ctx: ContextLength) -> int:
    """The context a model's fit is judged at: the setting, or for "auto" the shortest it would pick."""
    return AUTO_CONTEXTS[-1] if n_ctx == "auto" else n_ctx


def save_settings(path: Path, settings: Settings) -> None:
    """Write atomically (temp file + rename) so a crash never leaves half a settings file."""
    write_json(path, dataclasses.asdict(settings))
