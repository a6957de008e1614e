"""<think> models in the window: their thought in the Thinking section, and the Think switch of a template
that has one (Qwen3) in place of the effort picker."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config import load_settings
from tests.fixtures.tiny_models import ThinkModel
from tests.fixtures.window import Harness

pytestmark = pytest.mark.usefixtures("themed_app")


def test_a_thinking_model_shows_its_thought_apart_and_no_tags(
    harness: Harness, deepseek_r1_model: ThinkModel
) -> None:
    harness.load(deepseek_r1_model.path)
    bar = harness.window.model_bar
    assert not bar.effort.isVisibleTo(harness.window) and not bar.think.isVisibleTo(harness.window)
    harness.ask("Hi there!")
    answer, reasoning = harness.last_reply()
    assert (answer, reasoning) == (deepseek_r1_model.expected_answer, deepseek_r1_model.expected_reasoning)
    assert "<think>" not in answer + reasoning and "</think>" not in answer + reasoning


def test_the_think_switch_replaces_the_effort_picker_and_is_kept(
    harness: Harness, qwen3_model: ThinkModel, screenshots: Path
) -> None:
    harness.load(qwen3_model.path)
    bar = harness.window.model_bar
    assert bar.think.isVisibleTo(harness.window) and not bar.effort.isVisibleTo(harness.window)
    assert bar.think.isChecked(), "Qwen3 thinks unless told not to"
    harness.ask("Hi there!")
    assert harness.last_reply() == (qwen3_model.expected_answer, qwen3_model.expected_reasoning)
    assert harness.window.grab().save(str(screenshots / "think-switch.png"))

    bar.think.click()
    harness.window.new_chat()
    harness.ask("Hi there!")
    assert harness.last_reply() == (qwen3_model.expected_answer, ""), "no thought with thinking off"
    harness.window.settings.wait_for_saves()
    assert load_settings(harness.window.settings.path).thinking is False, "the choice is kept"
