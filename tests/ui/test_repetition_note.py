"""A reply the repetition guard stopped, in the window: one copy of the loop and a note under it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures.window import Harness

pytestmark = pytest.mark.usefixtures("themed_app")


def test_a_looping_reply_ends_with_a_note(harness: Harness, looping_model: Path) -> None:
    harness.load(looping_model)
    harness.ask("What will we do tomorrow?")
    thread = harness.store.thread(harness.window.conversation_id or -1)
    reply = harness.window.chat_view.reply(thread[-1].id)
    assert reply is not None
    assert reply.answer_text.count("weather") == 1, "the streamed loop is replaced by the saved copy"
    assert reply.error_label.isVisibleTo(reply)
    assert reply.error_label.text() == "Stopped: the model was repeating itself."
