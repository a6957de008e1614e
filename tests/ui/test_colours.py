"""Colours that carry meaning stay readable on both themes: a contrast of at least 4.5:1 (WCAG AA)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.ui.banner import ErrorBanner
from app.ui.colours import notice_colours, problem_text, verdict_colour
from app.ui.theme import apply_theme, palette_for


def luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_meaningful_colours_are_readable_on_either_theme(dark: bool) -> None:
    palette = palette_for(dark)
    base = palette.color(palette.ColorRole.Base)
    window = palette.color(palette.ColorRole.Window)
    assert contrast(problem_text(palette), base) >= 4.5
    for verdict in ("fits", "tight", "won't fit"):
        assert contrast(verdict_colour(verdict, palette), window) >= 4.5, verdict
    background, text = notice_colours(palette)
    assert contrast(background, text) >= 4.5
    # A notice on a dark window is itself dark, not a bright light-theme box.
    assert (background.lightness() < 128) == dark


def test_the_banner_follows_the_theme(qtbot: QtBot, qapp: QApplication, themed_app: None) -> None:
    banner = ErrorBanner()
    qtbot.addWidget(banner)
    light_background = notice_colours(palette_for(False))[0].name()
    assert light_background in banner.styleSheet()
    apply_theme(qapp, "dark")
    dark_background = notice_colours(palette_for(True))[0].name()
    qtbot.waitUntil(lambda: dark_background in banner.styleSheet())
