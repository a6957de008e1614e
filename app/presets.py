"""Presets: a conversation's role in one click (instructions for the model, reasoning effort,
temperature). A few built in, and the user's own, kept in presets.json beside the settings.

The file is read forgivingly: a damaged file or entry costs only itself (logged), never the built-ins.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from app.atomic import read_json, write_json
from app.config import REASONING_EFFORTS, TEMPERATURE_RANGE
from app.i18n import Deferred

log = logging.getLogger("hearth.config")

NAME_MAX: Final = 60
INSTRUCTIONS_MAX: Final = 20_000


@dataclass(frozen=True)
class Preset:
    name: str
    system_prompt: str
    reasoning_effort: str | None = None  # None: keep the conversation's or the model bar's
    temperature: float | None = None  # None: the model's own default
    builtin: bool = False


@dataclass(frozen=True)
class ConversationOptions:
    """What a conversation asks of the model, beside the messages."""

    system_prompt: str = ""  # "": none
    reasoning_effort: str | None = None  # None: leave it as the model bar has it
    temperature: float | None = None  # None: the model's own default

    @classmethod
    def from_preset(cls, preset: Preset) -> ConversationOptions:
        return cls(preset.system_prompt, preset.reasoning_effort, preset.temperature)


# A built-in's name stays English, the key a user's preset of that name replaces it by, and is translated
# where it is shown (shown_name). The instructions stay English: they are for the model, which reads them
# whatever language the conversation is in.
BUILTIN_PRESETS: Final = (
    Preset(
        Deferred.translate("Presets", "General assistant").text,
        "You are a helpful, honest assistant. Answer clearly and concisely; say so when you are not sure.",
        builtin=True,
    ),
    Preset(
        Deferred.translate("Presets", "Writing editor").text,
        "You are a careful editor. Improve the clarity, grammar and flow of the text you are given while "
        "keeping the author's voice and meaning. Show the revised text first, then list the main changes.",
        temperature=0.7,
        builtin=True,
    ),
    Preset(
        Deferred.translate("Presets", "Translator").text,
        "You are a translator. Translate the text you are given into the language the user asks for "
        "(into English if they do not say). Keep the meaning, tone and formatting; add no commentary.",
        reasoning_effort="low",
        temperature=0.3,
        builtin=True,
    ),
    Preset(
        Deferred.translate("Presets", "Code reviewer").text,
        "You are an experienced code reviewer. Point out bugs, security problems and unclear code in what "
        "you are shown, most important first, and suggest concrete fixes with short code examples.",
        reasoning_effort="high",
        builtin=True,
    ),
    Preset(
        Deferred.translate("Presets", "Summariser").text,
        "You summarise. Give the key points of what you are given as a short list, then one sentence "
        "with the overall conclusion. Do not add anything that is not in the text.",
        reasoning_effort="low",
        temperature=0.3,
        builtin=True,
    ),
)


def shown_name(preset: Preset) -> str:
    """The name as the user reads it: a built-in's in the user's language, the user's own as typed."""
    return str(Deferred("Presets", preset.name)) if preset.builtin else preset.name


def valid_temperature(value: object) -> float | None:
    """`value` as a temperature if it is one (a number within TEMPERATURE_RANGE), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    low, high = TEMPERATURE_RANGE
    return float(value) if low <= value <= high else None


def _from_json(entry: Any) -> Preset | None:
    if not isinstance(entry, dict):
        return None
    name, prompt = entry.get("name"), entry.get("system_prompt")
    if not isinstance(name, str) or not name.strip() or not isinstance(prompt, str):
        return None
    effort = entry.get("reasoning_effort")
    temperature = entry.get("temperature")
    return Preset(
        name=name.strip()[:NAME_MAX],
        system_prompt=prompt[:INSTRUCTIONS_MAX],
        reasoning_effort=effort if effort in REASONING_EFFORTS else None,
        temperature=valid_temperature(temperature),
    )


def load_presets(path: Path) -> list[Preset]:
    """The built-in presets, then the user's (a user preset with a built-in's name replaces it)."""
    raw = read_json(path, [], log=log, level=logging.WARNING, instead="using the built-in presets only")
    entries = raw if isinstance(raw, list) else []
    if not isinstance(raw, list):
        log.warning("presets file %s is not a list; using the built-in presets only", path)
    mine: dict[str, Preset] = {}
    for entry in entries:
        preset = _from_json(entry)
        if preset is None:
            log.warning("presets file %s: skipped an entry that is not a preset: %.200r", path, entry)
        else:
            mine[preset.name] = preset
    builtins = [p for p in BUILTIN_PRESETS if p.name not in mine]
    return [*builtins, *mine.values()]


def save_preset(path: Path, preset: Preset) -> list[Preset]:
    """Add or replace the user's preset of that name (written atomically); returns all presets."""
    mine = [p for p in load_presets(path) if not p.builtin and p.name != preset.name]
    mine.append(
        Preset(
            preset.name.strip()[:NAME_MAX], preset.system_prompt, preset.reasoning_effort, preset.temperature
        )
    )
    write_json(path, [_to_json(p) for p in mine])
    return load_presets(path)


def delete_preset(path: Path, name: str) -> list[Preset]:
    """Remove the user's preset of that name (a built-in one cannot be removed); returns all presets."""
    mine = [p for p in load_presets(path) if not p.builtin and p.name != name]
    write_json(path, [_to_json(p) for p in mine])
    return load_presets(path)


def _to_json(preset: Preset) -> dict[str, Any]:
    return {
        "name": preset.name,
        "system_prompt": preset.system_prompt,
        "reasoning_effort": preset.reasoning_effort,
        "temperature": preset.temperature,
    }
