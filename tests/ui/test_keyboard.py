"""Keyboard only: Tab reaches every control of the window and of Settings, in a sensible order."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from tests.fixtures.tiny_models import TinyModel
from tests.fixtures.window import Harness

pytestmark = pytest.mark.usefixtures("themed_app")


def tab_stops(top: QWidget) -> list[QWidget]:
    """The controls a keyboard user should reach in `top`: shown, enabled, taking focus by Tab."""
    return [
        widget
        for widget in top.findChildren(QWidget)
        if widget.isVisibleTo(top)
        and widget.isEnabled()
        and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        and widget.focusProxy() is None
    ]


def walk_tabs(qtbot: QtBot, top: QWidget, start: QWidget, limit: int = 300) -> list[QWidget]:
    """Press Tab from `start` until the focus comes back round; the widgets focused, in order."""
    top.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is top)  # keys go to the active window
    start.setFocus(Qt.FocusReason.TabFocusReason)
    assert QApplication.focusWidget() is start
    seen: list[QWidget] = []
    for _ in range(limit):
        QTest.keyClick(QApplication.focusWidget() or top, Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        assert focused is not None, "the focus left the window"
        if focused is start:
            return seen
        seen.append(focused)
    raise AssertionError(f"Tab never came back to {start!r}: stuck in {seen[-5:]}")


def test_tab_reaches_every_control_of_the_window(harness: Harness, harmony_model: TinyModel) -> None:
    harness.load(harmony_model.path)
    harness.ask("Hi!")
    window = harness.window
    search = window.sidebar.search
    reached = walk_tabs(harness.qtbot, window, search)
    missing = [
        f"{type(w).__name__} {w.accessibleName()!r}" for w in tab_stops(window) if w not in [*reached, search]
    ]
    assert missing == []
    order = [
        reached.index(w) for w in (window.model_bar.picker, window.composer.input, window.composer.button)
    ]
    assert order == sorted(order), "the sidebar, then the model bar, the conversation and the composer"


def test_tab_reaches_every_setting(harness: Harness) -> None:
    dialog = harness.window.open_settings()
    for section in ("model", "appearance", "privacy", "language"):
        dialog.show_section(section)
        reached = walk_tabs(harness.qtbot, dialog, dialog.sections)
        missing = [
            f"{type(w).__name__} {w.accessibleName()!r}"
            for w in tab_stops(dialog)
            if w not in [*reached, dialog.sections]
        ]
        assert missing == [], section
    dialog.reject()


def test_focused_controls_show_a_ring(harness: Harness) -> None:
    button = harness.window.sidebar.new_chat_button
    plain = button.grab().toImage()
    button.setFocus(Qt.FocusReason.TabFocusReason)
    ringed = button.grab().toImage()
    accent = QApplication.palette().highlight().color()
    edge = [ringed.pixelColor(x, ringed.height() // 2) for x in range(3)]
    assert any(abs(c.red() - accent.red()) < 40 and abs(c.green() - accent.green()) < 40 for c in edge)
    assert plain != ringed
