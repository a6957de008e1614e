"""The line icons on the app's buttons (Lucide's, in resources/icons/), drawn in the theme's colours.

The SVGs stroke in "currentColor". Qt's SVG renderer has no CSS colour to resolve that against, so the
palette's colour is written into the SVG text before it is rendered. Each icon is a small QIconEngine
that renders on demand: a button gets a pixmap drawn for its exact size and device pixel ratio (sharp at
100%, 150% and 200%) instead of a bitmap scaled from some other size.

Theme switches: an icon made without a palette asks the application for its palette every time it is
drawn, so when the theme changes at run time (app.ui.theme.apply_theme sets a new palette, and every
widget repaints) the icons follow without anyone making them again. The rendered pixmaps are cached, and
the colour is part of the cache key, so a switch misses the cache instead of showing the old colour.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from app.ui.resources import icon_path, icons_dir

# In resources/icons/ but not a line icon: the app's own full-colour logo, which is never recoloured.
_NOT_LINE_ICONS = frozenset({"hearth"})

# Rendered pixmaps one icon keeps: a few sizes × modes × two themes. Past this the cache starts over,
# which only costs a re-render (a fraction of a millisecond) and keeps a long session from growing it.
_CACHE_LIMIT = 32

# (width, height) in device pixels, the mode, and the colour as 0xAARRGGBB.
_CacheKey = tuple[int, int, QIcon.Mode, int]


def icon_names() -> list[str]:
    """Every line icon the app ships, sorted (the tests render each one)."""
    return sorted(path.stem for path in icons_dir().glob("*.svg") if path.stem not in _NOT_LINE_ICONS)


@cache
def _svg_source(name: str) -> str:
    """The icon's SVG text, read once per run: every button with the same icon shares it."""
    known = icon_names()
    # Matched against the listing, not tried as a path: exact case on every file system, no "../".
    if name not in known:
        # A typo in the code, not something a user can cause: fail loudly where the icon is made.
        raise ValueError(f"no line icon named {name!r}; the icons are: {', '.join(known)}")
    return icon_path(name).read_text(encoding="utf-8")


def icon_colour(
    palette: QPalette, mode: QIcon.Mode, role: QPalette.ColorRole = QPalette.ColorRole.ButtonText
) -> QColor:
    """The colour an icon is drawn in: `role` (the buttons' text colour unless the button's label has
    another: muted actions, the Send button's text on the accent), greyed when disabled, and the
    highlighted text colour when selected (an icon in a highlighted list row), so it reads like the
    label beside it."""
    if mode == QIcon.Mode.Disabled:
        return palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText)
    if mode == QIcon.Mode.Selected:
        return palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.HighlightedText)
    return palette.color(QPalette.ColorGroup.Active, role)


def _render(source: str, colour: QColor, painter: QPainter, target: QRectF) -> None:
    """Draw the SVG in `colour`, as large as fits in `target` and centred (the icons are square)."""
    renderer = QSvgRenderer(QByteArray(source.replace("currentColor", colour.name()).encode("utf-8")))
    side = min(target.width(), target.height())
    square = QRectF(0, 0, side, side)
    square.moveCenter(target.center())
    painter.save()
    # name() is #rrggbb, which SVG Tiny understands; a translucent palette colour keeps its alpha here.
    painter.setOpacity(painter.opacity() * colour.alphaF())
    renderer.render(painter, square)
    painter.restore()


class _ThemedSvgEngine(QIconEngine):
    """Renders one SVG in the palette's colours at whatever size, ratio and mode Qt asks for.

    Qt asks pixmap() for device pixels (the logical size times the device pixel ratio) and marks the
    result with the ratio itself, so the device size in the cache key stands for size and ratio both.
    """

    def __init__(self, name: str, source: str, palette: QPalette | None, role: QPalette.ColorRole) -> None:
        super().__init__()
        self._name = name
        self._source = source
        self._role = role
        # A copy, so a caller changing its palette later cannot change this icon behind Qt's back.
        self._palette = QPalette(palette) if palette is not None else None
        self._pixmaps: dict[_CacheKey, QPixmap] = {}

    def _colour(self, mode: QIcon.Mode) -> QColor:
        palette = self._palette if self._palette is not None else QGuiApplication.palette()
        return icon_colour(palette, mode, self._role)

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        # Straight onto the painter as vectors: sharp on any device, whatever its pixel ratio.
        _render(self._source, self._colour(mode), painter, QRectF(rect))

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        if size.isEmpty():
            return QPixmap()  # a painter on an empty pixmap would only warn
        colour = self._colour(mode)
        key = (size.width(), size.height(), mode, colour.rgba())
        cached = self._pixmaps.get(key)
        if cached is None:
            if len(self._pixmaps) >= _CACHE_LIMIT:
                self._pixmaps.clear()
            cached = QPixmap(size)
            cached.fill(Qt.GlobalColor.transparent)
            painter = QPainter(cached)
            _render(self._source, colour, painter, QRectF(cached.rect()))
            painter.end()
            self._pixmaps[key] = cached
        return cached

    def clone(self) -> QIconEngine:
        return _ThemedSvgEngine(self._name, self._source, self._palette, self._role)

    def iconName(self) -> str:
        return self._name

    def key(self) -> str:
        return "hearth-themed-svg"


def themed_icon(
    name: str,
    palette: QPalette | None = None,
    role: QPalette.ColorRole = QPalette.ColorRole.ButtonText,
) -> QIcon:
    """The line icon `name` ("send", "copy", see icon_names()) in the theme's colours.

    Without a palette the icon follows the application's palette as it is when drawn, which is what a
    button wants: it changes with the theme. Pass a palette to pin the colours (tests, a preview of the
    other theme). `role` is the palette colour of its label: PlaceholderText beside muted text.
    An unknown name raises ValueError.
    """
    return QIcon(_ThemedSvgEngine(name, _svg_source(name), palette, role))
