"""Presets: the built-in ones, the user's saved atomically beside the settings, and a damaged file read
forgivingly (each bad entry costs only itself)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from app.config import REASONING_EFFORTS
from app.presets import BUILTIN_PRESETS, Preset, delete_preset, load_presets, save_preset, valid_temperature


def test_without_a_file_there_are_the_built_in_presets(tmp_path: Path) -> None:
    presets = load_presets(tmp_path / "presets.json")
    assert [p.name for p in presets] == [
        "General assistant",
        "Writing editor",
        "Translator",
        "Code reviewer",
        "Summariser",
    ]
    assert all(p.builtin and p.system_prompt for p in presets)
    assert all(p.reasoning_effort in (None, *REASONING_EFFORTS) for p in presets)


def test_a_saved_preset_comes_back_after_the_built_ins_and_can_be_deleted(tmp_path: Path) -> None:
    path = tmp_path / "presets.json"
    mine = Preset("  Pirate  ", "Answer like a pirate.", reasoning_effort="low", temperature=1.2)
    presets = save_preset(path, mine)
    assert presets[-1] == Preset("Pirate", "Answer like a pirate.", "low", 1.2)
    assert load_presets(path) == presets
    assert json.loads(path.read_text(encoding="utf-8"))[0]["name"] == "Pirate"
    assert [p.name for p in delete_preset(path, "Pirate")] == [p.name for p in BUILTIN_PRESETS]
    assert [p.name for p in delete_preset(path, "Translator")] == [p.name for p in BUILTIN_PRESETS]


def test_a_user_preset_can_replace_a_built_in_one(tmp_path: Path) -> None:
    path = tmp_path / "presets.json"
    presets = save_preset(path, Preset("Translator", "Translate into French."))
    (translator,) = [p for p in presets if p.name == "Translator"]
    assert translator.system_prompt == "Translate into French." and not translator.builtin
    assert len(presets) == len(BUILTIN_PRESETS)


def test_a_damaged_file_costs_only_its_bad_entries(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "presets.json"
    path.write_text(
        json.dumps(
            [
                {
                    "name": "Good",
                    "system_prompt": "Be good.",
                    "reasoning_effort": "extreme",
                    "temperature": 9,
                },
                {"name": "", "system_prompt": "nameless"},
                {"name": "No prompt"},
                "not an object",
                {"name": "Warm", "system_prompt": "Be warm.", "temperature": True},
            ]
        ),
        encoding="utf-8",
    )
    with caplog.at_level(logging.WARNING, logger="hearth.config"):
        presets = load_presets(path)
    mine = [p for p in presets if not p.builtin]
    assert mine == [Preset("Good", "Be good.", None, None), Preset("Warm", "Be warm.", None, None)]
    assert sum("skipped an entry" in r.message for r in caplog.records) == 3


@pytest.mark.parametrize("content", ["{not json", '{"a": 1}', "null"])
def test_an_unreadable_file_leaves_the_built_ins(tmp_path: Path, content: str) -> None:
    path = tmp_path / "presets.json"
    path.write_text(content, encoding="utf-8")
    assert load_presets(path) == list(BUILTIN_PRESETS)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 0.0), (0.7, 0.7), (2, 2.0), (2.01, None), (-0.1, None), (True, None), ("1", None)],
)
def test_valid_temperature(value: object, expected: float | None) -> None:
    assert valid_temperature(value) == expected
