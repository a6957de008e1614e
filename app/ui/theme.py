"""Light and dark looks that follow the system, on Qt's Fusion style so every platform looks the same."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from app.config import ThemeChoice
from app.ui.resources import style_sheet

_LIGHT = {
    QPalette.ColorRole.Window: "#f6f4f1",
    QPalette.ColorRole.WindowText: "#1f1b18",
    QPalette.ColorRole.Base: "#ffffff",
    QPalette.ColorRole.AlternateBase: "#efebe6",
    QPalette.ColorRole.Text: "#1f1b18",
    QPalette.ColorRole.Button: "#ece8e3",
    QPalette.ColorRole.ButtonText: "#1f1b18",
    QPalette.ColorRole.Highlight: "#d9480f",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#c2410c",
    QPalette.ColorRole.PlaceholderText: "#8a817a",
    QPalette.ColorRole.ToolTipBase: "#ffffff",
    QPalette.ColorRole.ToolTipText: "#1f1b18",
    QPalette.ColorRole.Mid: "#cfc8c0",
    QPalette.ColorRole.Midlight: "#e7e1da",  # hover
}
_DARK = {
    QPalette.ColorRole.Window: "#1d1a18",
    QPalette.ColorRole.WindowText: "#ece6e0",
    QPalette.ColorRole.Base: "#262220",
    QPalette.ColorRole.AlternateBase: "#2e2926",
    QPalette.ColorRole.Text: "#ece6e0",
    QPalette.ColorRole.Button: "#2e2926",
    QPalette.ColorRole.ButtonText: "#ece6e0",
    QPalette.ColorRole.Highlight: "#e8590c",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#ff922b",
    QPalette.ColorRole.PlaceholderText: "#8f8680",
    QPalette.ColorRole.ToolTipBase: "#2e2926",
    QPalette.ColorRole.ToolTipText: "#ece6e0",
    QPalette.ColorRole.Mid: "#4a433e",
    QPalette.ColorRole.Midlight: "#3a3431",  # hover
}


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def is_dark(choice: ThemeChoice) -> bool:
    return choice == "dark" or (choice == "system" and system_prefers_dark())


def palette_for(dark: bool) -> QPalette:
    palette = QPalette()
    for role, colour in (_DARK if dark else _LIGHT).items():
        palette.setColor(role, QColor(colour))
    disabled = QColor("#6f6661" if dark else "#a39a93")
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return palette


# The type scale's steps above the body text (the system font), as multiples of its size.
TYPE_SCALE = {"@title": 1.5, "@heading": 1.15}


def _sized(sheet: str, body_pt: float) -> str:
    """The style sheet with its type-scale placeholders as point sizes for this system's font."""
    for name, factor in TYPE_SCALE.items():
        sheet = sheet.replace(name, f"{body_pt * factor:.1f}pt")
    return sheet


def apply_theme(app: QApplication, choice: ThemeChoice = "system") -> bool:
    """Style the whole app; returns whether the dark look was chosen."""
    dark = is_dark(choice)
    # With a style sheet Qt stops passing a widget's font and palette on to its children; the chat's text
    # size (set on the conversation column) must reach every message, so propagation is turned back on.
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_UseStyleSheetPropagationInWidgetStyles)
    app.setStyle("Fusion")
    app.setPalette(palette_for(dark))
    # Rules name palette roles (palette(mid)), which Qt resolves when the sheet is set: set it afresh
    # so they take the new theme's colours.
    app.setStyleSheet("")
    app.setStyleSheet(_sized(style_sheet(), app.font().pointSizeF()))
    return dark
