"""The few colours that carry meaning (a problem, whether a model fits), chosen from the palette so they
read well on the light and the dark theme alike. Everything else comes from the palette itself."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

# (on a light background, on a dark background); each pair keeps a contrast of at least 4.5:1.
_PROBLEM_TEXT = ("#c92a2a", "#ff8787")
_NOTICE = (("#fff4e6", "#7c2d12"), ("#3d2a1b", "#ffd8a8"))  # (background, text)
_VERDICTS = {
    "fits": ("#166534", "#8ce99a"),
    "tight": ("#92400e", "#ffc078"),
    "won't fit": ("#991b1b", "#ffa8a8"),
}


def palette_is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def renders_dark(palette: QPalette, forced: bool | None) -> bool:
    """Whether code is coloured for a dark background: as `forced`, or else as the palette is."""
    return palette_is_dark(palette) if forced is None else forced


def problem_text(palette: QPalette) -> QColor:
    """Red for words about a failure (a reply that failed, a file that could not be read)."""
    return QColor(_PROBLEM_TEXT[palette_is_dark(palette)])


def notice_colours(palette: QPalette) -> tuple[QColor, QColor]:
    """Background and text of a notice line (the error banner, the Models window's message)."""
    background, text = _NOTICE[palette_is_dark(palette)]
    return QColor(background), QColor(text)


def notice_style(palette: QPalette) -> str:
    background, text = notice_colours(palette)
    return f"background: {background.name()}; color: {text.name()};"


def verdict_colour(verdict: str, palette: QPalette) -> QColor:
    """The colour of a model's fit badge ("fits", "tight", "won't fit")."""
    return QColor(_VERDICTS[verdict][palette_is_dark(palette)])
