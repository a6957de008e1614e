"""`hearth` with no arguments opens a window (a placeholder until the chat window lands)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.ui.app import build_placeholder_window


def test_placeholder_window_explains_what_works_today(qtbot: QtBot) -> None:
    window = build_placeholder_window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.windowTitle() == "Hearth"
    label = window.centralWidget()
    assert label is not None and "hearth ask" in label.text()  # type: ignore[attr-defined]
    assert label.accessibleName() == "Welcome message"
