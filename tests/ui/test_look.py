"""The finished look: no horizontal scroll bar anywhere, long titles elided, icons that follow the theme."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QWidget,
)

from app.ui.about_dialog import AboutDialog
from app.ui.shortcut_sheet import ShortcutSheet
from app.ui.theme import apply_theme
from tests.fixtures.tiny_models import TinyModel
from tests.fixtures.window import Harness

pytestmark = pytest.mark.usefixtures("themed_app")
TIMEOUT_MS = 30_000
LONG_TITLE = "A very long conversation title about " + "quarterly budget planning and more " * 6


def settle(harness: Harness) -> None:
    for _ in range(20):
        QApplication.processEvents()
        QThreadPool.globalInstance().waitForDone(10)


def horizontal_bars(top: QWidget) -> list[str]:
    return [
        f"{type(area).__name__} {area.objectName() or area.accessibleName()!r}"
        for area in top.findChildren(QAbstractScrollArea)
        if area.isVisibleTo(top) and area.horizontalScrollBar().isVisible()
    ]


def test_no_horizontal_scroll_bar_anywhere_at_the_smallest_size(harness: Harness) -> None:
    cid = harness.store.create_conversation(LONG_TITLE)
    harness.store.add_message(cid, "user", "x" * 400)  # one unbroken word, wider than any column
    window = harness.window
    window.refresh_conversations()
    harness.qtbot.waitUntil(lambda: window.sidebar.conversation_ids() == [cid], timeout=TIMEOUT_MS)
    window.open_conversation(cid)
    harness.qtbot.waitUntil(lambda: len(window.chat_view.messages) == 1, timeout=TIMEOUT_MS)
    window.resize(window.minimumSize())
    settle(harness)
    opened: list[QWidget] = [window]
    opened.append(window.open_settings())
    opened.append(window.open_guide())
    for dialog_type in (AboutDialog, ShortcutSheet):
        dialog = dialog_type(window)
        harness.qtbot.addWidget(dialog)
        dialog.show()
        opened.append(dialog)
    settle(harness)
    for top in opened[1:]:
        top.resize(top.minimumSizeHint())
    settle(harness)
    assert {type(top).__name__: horizontal_bars(top) for top in opened} == {
        type(top).__name__: [] for top in opened
    }


def test_a_long_title_is_elided_in_the_sidebar(harness: Harness) -> None:
    cid = harness.store.create_conversation(LONG_TITLE)
    window = harness.window
    window.refresh_conversations()
    harness.qtbot.waitUntil(lambda: window.sidebar.conversation_ids() == [cid], timeout=TIMEOUT_MS)
    listing = window.sidebar.list
    item = listing.item_for(cid)
    assert item is not None
    shown = listing.visualItemRect(item)
    assert shown.right() <= listing.viewport().width(), "the row fits; the title is cut with an ellipsis"
    assert item.toolTip().startswith("A very long conversation title"), "the whole title is one hover away"


def test_icons_follow_a_theme_switch(harness: Harness, qapp: QApplication) -> None:
    button = harness.window.sidebar.new_chat_button
    size = button.iconSize()
    light = button.icon().pixmap(size).toImage()
    apply_theme(qapp, "dark")
    dark = button.icon().pixmap(size).toImage()
    assert light != dark, "the icon is drawn again in the dark theme's colours"


def says_on_hover(widget: QWidget) -> bool:
    """A tooltip of its own, or its parent's (a spin box's text field is part of the spin box)."""
    parent = widget.parentWidget()
    return bool(widget.toolTip() or (parent is not None and parent.toolTip()))


def controls_without_tooltips(top: QWidget) -> list[str]:
    kinds = (QAbstractButton, QComboBox, QAbstractSpinBox, QLineEdit)
    return [
        f"{type(w).__name__} {w.accessibleName() or w.objectName()!r}"
        for kind in kinds
        for w in top.findChildren(kind)
        if w.isVisibleTo(top) and not says_on_hover(w)
    ]


def test_every_control_says_what_it_does_on_hover(harness: Harness, harmony_model: TinyModel) -> None:
    harness.load(harmony_model.path)
    harness.ask("Hi!")
    window = harness.window
    assert controls_without_tooltips(window) == []
    dialog = window.open_settings()
    for section in ("model", "appearance", "privacy", "language"):
        dialog.show_section(section)
        missing = controls_without_tooltips(dialog)
        assert missing == [], f"{section}: {missing}"
