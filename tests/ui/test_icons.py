"""The buttons' line icons: every one ships and draws, sharp at 200%, in the theme's colours."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import QByteArray, QRect, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from app.ui.icons import icon_colour, icon_names, themed_icon
from app.ui.resources import icon_path
from app.ui.theme import apply_theme, palette_for

# The icons the buttons are designed around; a missing or renamed file fails here, not in a window.
EXPECTED = {
    "attach", "check", "chevron-down", "chevron-left", "chevron-right", "close", "code", "copy", "delete",
    "edit", "export", "file", "folder", "help", "import", "info", "keyboard", "models", "monitor", "moon",
    "new-chat", "pin", "regenerate", "search", "send", "settings", "stop", "sun", "thinking", "verified",
    "warning",
}  # fmt: skip
THEMES = pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])


def argb_pixels(pixmap: QPixmap) -> list[QColor]:
    """Every pixel, un-premultiplied, so a half-covered edge pixel still reports the stroke's colour."""
    image = pixmap.toImage().convertToFormat(QImage.Format.Format_ARGB32)
    return [QColor.fromRgba(image.pixel(x, y)) for y in range(image.height()) for x in range(image.width())]


def drawn_colour(pixmap: QPixmap) -> str:
    """The colour of the fully covered pixels, which must all be one colour (the stroke's).

    Where two antialiased strokes overlap, blending may round a channel by one, so "one colour" allows that.
    """
    solid = [colour for colour in argb_pixels(pixmap) if colour.alpha() == 255]
    assert solid, "no pixel is fully covered"
    main = Counter(colour.name() for colour in solid).most_common(1)[0][0]
    ink = QColor(main)
    for colour in solid:
        off = max(abs(colour.red() - ink.red()), abs(colour.green() - ink.green()))
        off = max(off, abs(colour.blue() - ink.blue()))
        assert off <= 2, (colour.name(), main)
    return main


def test_the_icon_set_is_the_one_the_buttons_expect() -> None:
    assert set(icon_names()) == EXPECTED
    assert "hearth" not in icon_names()  # the logo is full colour and never recoloured


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_svg_is_a_lucide_line_icon_qt_can_read(name: str) -> None:
    source = icon_path(name).read_text(encoding="utf-8")
    assert 'viewBox="0 0 24 24"' in source
    assert 'stroke="currentColor"' in source
    assert QSvgRenderer(QByteArray(source.encode())).isValid()


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("size", [16, 24])
def test_every_icon_draws_something(qapp: QApplication, name: str, size: int) -> None:
    pixmap = themed_icon(name, palette_for(False)).pixmap(QSize(size, size), 1.0)
    assert (pixmap.width(), pixmap.height()) == (size, size)
    covered = sum(colour.alpha() > 0 for colour in argb_pixels(pixmap))
    # Some ink, and not a filled square: a line icon covers a fraction of its box.
    assert size <= covered < size * size * 0.8


@pytest.mark.parametrize("ratio", [1.0, 1.5, 2.0])
def test_icons_are_rendered_at_the_screens_pixel_ratio(qapp: QApplication, ratio: float) -> None:
    pixmap = themed_icon("send", palette_for(False)).pixmap(QSize(24, 24), ratio)
    assert pixmap.size() == QSize(round(24 * ratio), round(24 * ratio))  # device pixels, not upscaled
    assert pixmap.devicePixelRatio() == ratio
    assert pixmap.deviceIndependentSize().toSize() == QSize(24, 24)


def ink_bounds(pixmap: QPixmap) -> QRect:
    """The smallest rectangle, in device pixels, holding every pixel with any ink."""
    image = pixmap.toImage().convertToFormat(QImage.Format.Format_ARGB32)
    inked = [(x, y) for y in range(image.height()) for x in range(image.width()) if image.pixel(x, y) >> 24]
    xs, ys = [x for x, _ in inked], [y for _, y in inked]
    return QRect(min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1)


@pytest.mark.parametrize("name", ["search", "send", "close", "settings"])
def test_a_2x_pixmap_is_drawn_at_2x_not_scaled_up(qapp: QApplication, name: str) -> None:
    icon = themed_icon(name, palette_for(False))
    normal, sharp = icon.pixmap(QSize(24, 24), 1.0), icon.pixmap(QSize(24, 24), 2.0)
    # The drawing fills the same part of the box at both ratios, at twice the pixels...
    one, two = ink_bounds(normal), ink_bounds(sharp)
    for at_1x, at_2x in ((one.left(), two.left()), (one.right(), two.right()), (one.width(), two.width())):
        assert abs(at_2x - 2 * at_1x) <= 2, (one, two)
    # ...and is drawn afresh, not the 1x pixmap blown up.
    scaled = normal.toImage().scaled(48, 48).convertToFormat(sharp.toImage().format())
    assert sharp.toImage() != scaled


@THEMES
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_icons_are_drawn_in_the_button_text_colour(qapp: QApplication, dark: bool, name: str) -> None:
    palette = palette_for(dark)
    pixmap = themed_icon(name, palette).pixmap(QSize(24, 24), 2.0)
    assert drawn_colour(pixmap) == palette.color(QPalette.ColorRole.ButtonText).name()


@THEMES
def test_each_mode_has_its_own_colour(qapp: QApplication, dark: bool) -> None:
    palette = palette_for(dark)
    icon = themed_icon("copy", palette)
    expected = {
        QIcon.Mode.Normal: palette.color(QPalette.ColorRole.ButtonText),
        QIcon.Mode.Active: palette.color(QPalette.ColorRole.ButtonText),
        QIcon.Mode.Disabled: palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText),
        QIcon.Mode.Selected: palette.color(QPalette.ColorRole.HighlightedText),
    }
    # The theme's disabled grey really differs from its text colour, so this checks something.
    assert expected[QIcon.Mode.Disabled] != expected[QIcon.Mode.Normal]
    for mode, colour in expected.items():
        assert icon_colour(palette, mode) == colour
        assert drawn_colour(icon.pixmap(QSize(24, 24), 2.0, mode)) == colour.name(), mode


def test_icons_follow_the_theme_when_it_changes(qapp: QApplication, themed_app: None) -> None:
    icon = themed_icon("settings")  # no palette: the application's, whenever it is drawn
    light = palette_for(False).color(QPalette.ColorRole.ButtonText).name()
    dark = palette_for(True).color(QPalette.ColorRole.ButtonText).name()
    assert drawn_colour(icon.pixmap(QSize(24, 24), 2.0)) == light
    apply_theme(qapp, "dark")
    assert drawn_colour(icon.pixmap(QSize(24, 24), 2.0)) == dark  # same icon, not a stale cached pixmap
    apply_theme(qapp, "light")
    assert drawn_colour(icon.pixmap(QSize(24, 24), 2.0)) == light


def test_a_copied_icon_keeps_its_pinned_palette(qapp: QApplication) -> None:
    palette = palette_for(True)
    icon = QIcon(themed_icon("pin", palette))
    palette.setColor(QPalette.ColorRole.ButtonText, QColor("#00ff00"))  # the caller's copy, not the icon's
    assert (
        drawn_colour(icon.pixmap(QSize(24, 24), 2.0))
        == palette_for(True).color(QPalette.ColorRole.ButtonText).name()
    )


def test_painting_draws_the_vectors_at_the_devices_ratio(qapp: QApplication) -> None:
    palette = palette_for(False)
    icon = themed_icon("check", palette)
    canvas = QImage(48, 48, QImage.Format.Format_ARGB32_Premultiplied)
    canvas.setDevicePixelRatio(2.0)
    canvas.fill(Qt.GlobalColor.transparent)
    painter = QPainter(canvas)
    icon.paint(painter, QRect(0, 0, 24, 24))
    painter.end()
    painted = QPixmap.fromImage(canvas)
    assert drawn_colour(painted) == palette.color(QPalette.ColorRole.ButtonText).name()
    expected = icon.pixmap(QSize(24, 24), 2.0).toImage().convertToFormat(canvas.format())
    expected.setDevicePixelRatio(2.0)
    assert canvas == expected


def test_a_translucent_text_colour_draws_translucent_strokes(qapp: QApplication) -> None:
    palette = palette_for(False)
    palette.setColor(QPalette.ColorRole.ButtonText, QColor(255, 0, 0, 128))
    pixels = argb_pixels(themed_icon("stop", palette).pixmap(QSize(24, 24), 2.0))
    assert max(colour.alpha() for colour in pixels) in range(126, 131)


@pytest.mark.parametrize("name", ["no-such-icon", "Send", "hearth", "../themes/base"])
def test_an_unknown_icon_is_a_clear_error(qapp: QApplication, name: str) -> None:
    with pytest.raises(ValueError, match="no line icon named") as raised:
        themed_icon(name)
    assert "send" in str(raised.value)  # the message lists the names there are
