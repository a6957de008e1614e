"""Instructions, effort and temperature per conversation, and presets, in the real window on the real
engine: a chat started from a preset in one click, the panel, a preset saved beside the settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QInputDialog

from app.presets import BUILTIN_PRESETS
from tests.fixtures.tiny_models import TinyModel
from tests.fixtures.window import Harness

pytestmark = pytest.mark.usefixtures("themed_app")
TIMEOUT_MS = 30_000


def test_a_chat_starts_from_a_preset_in_one_click(harness: Harness, harmony_model: TinyModel) -> None:
    window = harness.window
    names = [b.text() for b in window.chat_view.preset_buttons()]
    assert names == [p.name for p in BUILTIN_PRESETS]
    harness.load(harmony_model.path)
    (translator,) = [b for b in window.chat_view.preset_buttons() if b.text() == "Translator"]
    translator.click()
    assert window.instructions.isVisible()
    assert window.instructions.label.toolTip().startswith("You are a translator.")
    assert window.model_bar.current_effort() == "low"
    assert window.composer.input.hasFocus()
    harness.ask("Guten Morgen")
    (conversation,) = harness.store.list_conversations()
    assert conversation.system_prompt is not None and conversation.system_prompt.startswith(
        "You are a translator."
    )
    assert conversation.reasoning_effort == "low" and conversation.settings == {"temperature": 0.3}


def test_the_panel_changes_the_open_conversation(harness: Harness, screenshots: Path) -> None:
    store = harness.store
    cid = store.create_conversation("Notes")
    store.add_message(cid, "user", "hello")
    window = harness.window
    window.open_conversation(cid)
    harness.qtbot.waitUntil(lambda: len(window.chat_view.messages) == 1, timeout=TIMEOUT_MS)
    assert not window.instructions.isVisible()

    window.model_bar.settings_button.click()
    panel = window.conversation_settings.panel
    assert panel is not None and panel.isVisible()
    panel.preset.setCurrentIndex(panel.preset.findText("Code reviewer"))
    panel.preset.activated.emit(panel.preset.currentIndex())
    assert panel.instructions.toPlainText().startswith("You are an experienced code reviewer.")
    assert panel.effort.currentData() == "high"
    panel.instructions.setPlainText("Review my Python code. Be kind.")
    panel.default_temperature.setChecked(False)
    panel.temperature.setValue(0.5)
    assert panel.grab().save(str(screenshots / "conversation-panel.png"))
    panel.accept()

    assert window.instructions.isVisible()
    assert window.instructions.label.toolTip() == "Review my Python code. Be kind."
    assert window.model_bar.current_effort() == "high"

    def stored() -> bool:
        conversation = store.get_conversation(cid)
        return conversation is not None and conversation.system_prompt == "Review my Python code. Be kind."

    harness.qtbot.waitUntil(stored, timeout=TIMEOUT_MS)
    conversation = store.get_conversation(cid)
    assert conversation is not None
    assert (conversation.reasoning_effort, conversation.settings) == ("high", {"temperature": 0.5})
    assert window.grab().save(str(screenshots / "instructions.png"))


def test_cancel_changes_nothing(harness: Harness) -> None:
    window = harness.window
    window.model_bar.settings_button.click()
    panel = window.conversation_settings.panel
    assert panel is not None
    panel.instructions.setPlainText("Never mind")
    panel.reject()
    assert not window.instructions.isVisible() and window.conversation.options.system_prompt == ""


def test_a_preset_is_saved_beside_the_settings_and_offered_at_once(
    harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = harness.window
    window.model_bar.settings_button.click()
    panel = window.conversation_settings.panel
    assert panel is not None
    QTest.keyClicks(panel.instructions, "Answer like a pirate.")
    monkeypatch.setattr(QInputDialog, "getText", lambda *_args, **_kwargs: ("Pirate", True))
    panel.save_preset_button.click()
    harness.qtbot.waitUntil(
        lambda: "Pirate" in [b.text() for b in window.chat_view.preset_buttons()], timeout=TIMEOUT_MS
    )
    saved = json.loads((tmp_path / "presets.json").read_text(encoding="utf-8"))
    assert saved == [
        {
            "name": "Pirate",
            "system_prompt": "Answer like a pirate.",
            "reasoning_effort": None,
            "temperature": None,
        }
    ]
    assert [p.name for p in window.conversation_settings.presets][-1] == "Pirate"
